"""``make bench``'s one table: the @result lines of the scripts become rows (issue 12 item 9)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import run_all  # noqa: E402
import verdict  # noqa: E402

SAMPLE = [
    "made 500 cases in 2.3 s (not timed)\n",
    verdict.result_line("sync export + import, 500 cases", ">= 10,000 txns/s", "12,000", True)
    + "\n",
    verdict.result_line("incremental export", "<= 2 % of the full export", "7.1 %", False) + "\n",
    verdict.result_line("demo generation, 2,000 cases", "< 180 s at 100,000", "9.0 s", None),
    "@result\tonly\tthree fields\n",
    "an ordinary line mentioning @result in passing\n",
]


def test_result_line_is_tab_separated_and_tabs_inside_fields_become_spaces() -> None:
    line = verdict.result_line("a\tfigure", "< 1 s", "0.5\ts", True)
    assert line.split("\t") == ["@result", "a figure", "< 1 s", "0.5 s", "met"]
    assert verdict.result_line("x", "y", "z", False).endswith("\tNOT met")
    assert verdict.result_line("x", "y", "z", None).endswith("\tno target")


def test_table_has_one_row_per_result_line_with_the_machine_and_date() -> None:
    rows = run_all.parse_results("sync_bench.py", SAMPLE)
    assert [r.verdict for r in rows] == ["met", "NOT met", "no target"]
    table = run_all.build_table(rows, "Test CPU, 2 cores", "2026-12-03 20:00 UTC")
    lines = table.splitlines()
    assert lines[0].split() == ["figure", "target", "measured", "verdict"]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].startswith("sync export + import, 500 cases")
    assert lines[2].endswith("met") and "12,000" in lines[2]
    assert lines[3].endswith("NOT met")
    assert lines[4].endswith("no target")
    # the columns line up: every row's target starts where the header's does
    column = lines[0].index("target")
    starts = zip(lines[2:5], [">=", "<=", "<"], strict=True)
    assert all(line[column:].startswith(t) for line, t in starts)
    assert lines[-2] == "machine: Test CPU, 2 cores"
    assert lines[-1] == "date: 2026-12-03 20:00 UTC"


def test_markdown_table_and_failed_scripts() -> None:
    rows = run_all.parse_results("x_bench.py", SAMPLE[:3])
    table = run_all.build_table(rows, "CPU", "today", ["gui_bench.py"], markdown=True)
    lines = table.splitlines()
    assert lines[0] == "| figure | target | measured | verdict |"
    assert lines[1] == "|---|---|---|---|"
    assert lines[2] == "| sync export + import, 500 cases | >= 10,000 txns/s | 12,000 | met |"
    assert lines[4] == "| gui_bench.py failed |  |  | script failed |"
    assert lines[-1] == "Machine: CPU. Date: today."


def test_machine_names_cores_python_and_load() -> None:
    line = verdict.machine()
    assert f"{os.cpu_count()} cores" in line
    assert f"Python {sys.version.split()[0]}" in line
    assert "load average" in line and "\n" not in line


def test_only_rejects_an_unknown_name() -> None:
    with pytest.raises(SystemExit):
        run_all.choose("no_such")
    assert [p.name for p in run_all.choose("sync, size_bench.py")] == [
        "sync_bench.py",
        "size_bench.py",
    ]


def test_quick_run_of_one_script_ends_with_the_table() -> None:
    env = {**os.environ, "PYTHONPATH": str(BENCHMARKS.parent / "src")}
    out = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run_all.py"), "--quick", "--only", "sync"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    echoed, table = out.stdout.split("=== One table (quick sizes)\n")
    assert "full export + import" in echoed  # the script's own output, echoed
    lines = table.splitlines()
    assert lines[0].split() == ["figure", "target", "measured", "verdict"]
    figures = [line for line in lines[2:] if line.startswith(("sync", "incremental"))]
    assert len(figures) == 2
    assert all(line.endswith(("met", "NOT met")) for line in figures)
    assert lines[-2].startswith("machine: ") and lines[-1].startswith("date: ")
