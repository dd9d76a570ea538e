"""Command-line start: what one ``python -m shelter_desk`` process costs before and while it
runs a short command. Every CLI command, and every crash-point test (one process per point),
pays it.

    PYTHONPATH=src .venv/bin/python benchmarks/cli_start_bench.py [--runs 5]

Prints, for ``--version`` and for ``case list`` on a demo installation of 5 cases (built
first with ``demo --cases 5`` in a temporary folder): wall time and the process's CPU time
(user + system), median and minimum of ``--runs`` runs after one warm-up run; then the
cumulative import time of ``shelter_desk.cli`` and of the slowest modules below it, read
from ``python -X importtime -m shelter_desk --version``; and the load average before and
after. The ``.pyc`` files are the source tree's own (warmed by the warm-up run).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEMO_PASSPHRASE = "shelter-desk-demo"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parent.parent / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _timed(args: list[str], stdin: str = "") -> tuple[float, float]:
    """Wall and CPU milliseconds of one ``python -m shelter_desk ARGS`` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "shelter_desk", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=_env(),
        check=True,
    )
    wall = (time.perf_counter() - started) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def _figures(name: str, args: list[str], runs: int, stdin: str = "") -> None:
    _timed(args, stdin)  # warm-up: .pyc files, disk cache
    samples = [_timed(args, stdin) for _ in range(runs)]
    walls = [w for w, _c in samples]
    cpus = [c for _w, c in samples]
    print(
        f"{name:<12} wall median {statistics.median(walls):6.0f} ms (min {min(walls):4.0f}),"
        f" CPU median {statistics.median(cpus):6.0f} ms (min {min(cpus):4.0f}), {runs} runs"
    )


def _import_times(top: int) -> None:
    """Cumulative import times (ms) of shelter_desk.cli and the slowest of its kind."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "shelter_desk", "--version"],
        capture_output=True,
        text=True,
        env=_env(),
        check=True,
    )
    rows: list[tuple[int, str]] = []
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, module = line.removeprefix("import time:").split("|")
        rows.append((int(cumulative), module.rstrip()))
    whole = {m.strip(): c for c, m in rows}
    for name in ("shelter_desk.app", "shelter_desk.cli"):
        print(f"import {name}: {whole.get(name, 0) / 1000:.0f} ms cumulative")
    print(f"slowest shelter_desk modules imported by --version (top {top}):")
    ours = sorted((r for r in rows if r[1].strip().startswith("shelter_desk.")), reverse=True)[:top]
    for cumulative, module in ours:
        print(f"  {cumulative / 1000:6.1f} ms  {module.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=12)
    options = parser.parse_args()
    print("load average before:", Path("/proc/loadavg").read_text().split()[:3])
    with tempfile.TemporaryDirectory() as tmp:
        data = str(Path(tmp) / "demo")
        _timed(["--data-dir", data, "demo", "--cases", "5"])
        _figures("--version", ["--version"], options.runs)
        _figures(
            "case list",
            ["--data-dir", data, "case", "list", "--user", "demo"],
            options.runs,
            stdin=DEMO_PASSPHRASE + "\n",
        )
    _import_times(options.top)
    print("load average after:", Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
