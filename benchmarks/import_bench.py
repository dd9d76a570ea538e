"""Figures for the HTCDS import: preview and commit of a large KoBo export or Excel file.

    PYTHONPATH=src .venv/bin/python benchmarks/import_bench.py [--rows 10000]
        [--format csv|xlsx] [--progress]

Builds the file in memory from IOM's toolkit beside the clone (``../shared/standards/htcds``:
a KoBo CSV export of IOM's XLSForm with ";" separators, or the same rows as an XLSX export)
with invented people (``tests/services/htcds_samples.py``), makes a new installation in a
temporary folder (deleted afterwards) and prints, wall-clock and CPU:

* the preview (read, recognise the columns, check every row; nothing written);
* the commit of every row (one transaction);
* importing the same file again (every row skipped as imported before).

Targets (issue 13): 10,000 rows previewed and committed in < 10 s, 100,000 in < 2 minutes.
Nothing printed is personal data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from shelter_desk.services.installation import Installation
from shelter_desk.services.standards import htcds_import as imports

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the sample files' builder
from tests.services import htcds_samples as hs

T = TypeVar("T")
PASSPHRASE = "copper kettle winter orchard"


def _timed(label: str, work: Callable[[], T]) -> tuple[T, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<28} {wall:8.2f} s wall  {cpu:8.2f} s CPU", flush=True)
    return result, wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--progress", action="store_true", help="print the progress reports")
    args = parser.parse_args(argv)
    if not (hs.HTCDS_DIR / hs.XLSFORM).exists():
        print(f"IOM's toolkit is not at {hs.HTCDS_DIR.resolve()}", file=sys.stderr)
        return 1
    header, lines = hs.kobo_rows(hs.samples(args.rows))
    if args.format == "csv":
        data = hs.csv_bytes(header, lines, delimiter=";")
    else:
        data = hs.xlsx_bytes(header, lines)
    print(f"{args.rows} rows, KoBo {args.format} export, {len(data) / 1e6:.1f} MB")

    def report(done: int, total: int) -> None:
        if args.progress:
            print(f"  {done}/{total}", flush=True)

    folder = Path(tempfile.mkdtemp(prefix="import-bench-"))
    try:
        installation = Installation(folder / "data")
        session, _recovery = installation.create(
            org_name="Benchmark Shelter", admin="amira", passphrase=PASSPHRASE, country="JO"
        )
        today = dt.date(2026, 11, 20)
        preview, preview_s = _timed(
            "preview",
            lambda: imports.preview_htcds(session, data, today=today, progress=report),
        )
        assert preview.ok == args.rows, (preview.ok, preview.problems[:3])
        count, commit_s = _timed(
            "commit", lambda: imports.commit_preview(session, preview, progress=report)
        )
        assert count == args.rows
        print(
            f"{'preview + commit':<28} {preview_s + commit_s:8.2f} s wall"
            f"  ({args.rows / (preview_s + commit_s):.0f} rows/s)"
        )
        again, _s = _timed(
            "import again (all skipped)", lambda: imports.commit_htcds(session, data, today=today)
        )
        assert again == 0
        size = sum(p.stat().st_size for p in (folder / "data").rglob("*") if p.is_file())
        print(f"{'data folder':<28} {size / 1e6:8.1f} MB")
        session.lock()
        installation.release()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
