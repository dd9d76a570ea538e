"""Run every benchmark script in this folder, one after another, printing their figures.

.venv/bin/python benchmarks/run_all.py            # defaults (100k cases where relevant)
.venv/bin/python benchmarks/run_all.py --quick    # small sizes, a quick look
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUICK_ARGS = {"cases_bench.py": ["--cases", "5000"], "sync_bench.py": ["--cases", "2000"]}


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    failed = 0
    for script in sorted(HERE.glob("*_bench.py")):
        print(f"\n=== {script.name}", flush=True)
        args = QUICK_ARGS.get(script.name, []) if quick else []
        failed += subprocess.call([sys.executable, str(script), *args]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
