"""Run the benchmark scripts in this folder, one after another, then print one table.

.venv/bin/python benchmarks/run_all.py                 # defaults (100k cases where relevant)
.venv/bin/python benchmarks/run_all.py --quick         # small sizes, a quick look
.venv/bin/python benchmarks/run_all.py --only sync,size  # chosen scripts (name or file)
.venv/bin/python benchmarks/run_all.py --markdown      # the table in Markdown, for the README

Every script's output is echoed live. The scripts print one ``@result`` line per figure that
has a target (``verdict.result``); at the end these become one table: figure, target,
measured, met / NOT met / no target, with the machine and the date. The exit status is
non-zero only when a script failed, never because a target was not met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from verdict import MARK, machine

HERE = Path(__file__).resolve().parent

# Small sizes for --quick, for every script that has a size option.
QUICK_ARGS: dict[str, list[str]] = {
    "bundle_bench.py": ["--counts", "1000"],
    "cases_bench.py": ["--cases", "2000", "--repeat", "10"],
    "cli_start_bench.py": ["--runs", "2"],
    "coordinator_bench.py": ["--shelters", "2", "--cases", "300", "--repeat", "10"],
    "dashboard_bench.py": ["--cases", "2000"],
    "duplicates_bench.py": ["--cases", "1000", "--copies", "100"],
    "forms_bench.py": ["--rounds", "2", "--batch", "200"],
    "frozen_startup_bench.py": ["--runs", "2"],
    "gui_bench.py": ["--cases", "1000"],
    "import_bench.py": ["--rows", "1000"],
    "reports_bench.py": ["--pages", "2", "--rounds", "2"],
    "search_quality_bench.py": ["--cases", "1000"],
    "search_tokens_bench.py": ["2000"],
    "size_bench.py": ["--cases", "2000"],
    "startup_bench.py": ["--runs", "2"],
    "store_bench.py": ["--records", "5000", "--cache-kib", "2000", "--lookups", "2000"],
    "sync_bench.py": ["--cases", "500", "--edits", "20"],
}


@dataclass(frozen=True)
class Row:
    script: str
    figure: str
    target: str
    measured: str
    verdict: str


def parse_results(script: str, lines: Iterable[str]) -> list[Row]:
    """The ``@result`` lines among a script's output, as table rows."""
    rows = []
    for line in lines:
        fields = line.rstrip("\r\n").split("\t")
        if fields[0] != MARK or len(fields) != 5:
            continue
        rows.append(Row(script, *fields[1:]))
    return rows


def build_table(
    rows: Sequence[Row],
    machine_line: str,
    when: str,
    failed: Sequence[str] = (),
    markdown: bool = False,
) -> str:
    """One table of every row, then the machine, the date and any script that failed."""
    head = ("figure", "target", "measured", "verdict")
    body = [(r.figure, r.target, r.measured, r.verdict) for r in rows]
    body += [(f"{name} failed", "", "", "script failed") for name in failed]
    out: list[str] = []
    if markdown:
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "|".join("---" for _ in head) + "|")
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in body]
        out += ["", f"Machine: {machine_line}. Date: {when}."]
    else:
        widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
        line = "  ".join("-" * w for w in widths)
        out += ["  ".join(c.ljust(w) for c, w in zip(head, widths, strict=True)).rstrip(), line]
        out += [
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in body
        ]
        out += [line, f"machine: {machine_line}", f"date: {when}"]
    if not body:
        out.insert(0, "(no figure with a target was printed)")
    return "\n".join(out)


def run_script(script: Path, args: list[str]) -> tuple[int, list[str]]:
    """Run one script, echoing its output live; its exit code and output lines."""
    proc = subprocess.Popen(
        [sys.executable, str(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        lines.append(line)
    return proc.wait(), lines


def choose(names: str | None) -> list[Path]:
    scripts = sorted(HERE.glob("*_bench.py"))
    if not names:
        return scripts
    chosen = []
    for name in (n.strip() for n in names.split(",") if n.strip()):
        stem = name.removesuffix(".py").removesuffix("_bench")
        match = [s for s in scripts if s.name == f"{stem}_bench.py"]
        if not match:
            raise SystemExit(f"no benchmark called {name!r} in {HERE}")
        chosen += match
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (QUICK_ARGS)")
    parser.add_argument("--only", metavar="NAME[,NAME]", help="e.g. sync,size or cases_bench")
    parser.add_argument("--markdown", action="store_true", help="the table in Markdown")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    failed: list[str] = []
    for script in choose(args.only):
        extra = QUICK_ARGS.get(script.name, []) if args.quick else []
        print(f"\n=== {script.name} {' '.join(extra)}".rstrip(), flush=True)
        code, lines = run_script(script, extra)
        rows += parse_results(script.name, lines)
        if code != 0:
            failed.append(script.name)
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    sizes = "quick sizes" if args.quick else "default sizes"
    print(f"\n=== One table ({sizes})")
    print(build_table(rows, machine(), when, failed, markdown=args.markdown))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
