"""Bytes per case on disk, per table and index, for a demo installation.

    PYTHONPATH=src .venv/bin/python benchmarks/size_bench.py [--cases 2000] [--seed 1]
        [--dir FOLDER]

Builds an encrypted demo installation of ``--cases`` cases with
``services.demo.generate_demo`` (in a temporary folder, deleted afterwards, or in ``--dir``,
kept; an installation already there is measured as it is), then prints:

* the data folder while the session is still open (the write-ahead log included) and after
  it locked (the log checkpointed and truncated), file by file, in bytes per case;
* where the database's bytes go: every table and index, in bytes per case, grouped as the
  issue names them (records, change log, audit, search and list indexes, the rest), and the
  columns of the two biggest tables (the sum of ``length()`` of each, before the per-row
  overhead of SQLite's records).

SQLCipher's build has no ``dbstat`` table, so the per-table figures are read from a
plaintext copy of the database (``sqlcipher_export`` into a file on the in-memory file
system ``/dev/shm`` when there is one, deleted at once) with the standard library's SQLite,
which has it. The copy is laid out afresh, as VACUUM would, and has no 80 bytes per page of
SQLCipher's IV and MAC; its total is printed beside the real file's so the difference
(free pages, half-full pages) shows. The demo people are invented; nothing printed is
personal data.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from verdict import result

from shelter_desk.services.demo import generate_demo
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session

USER = "demo"
PASSPHRASE = "shelter-desk-demo"

# How the issue groups the database's bytes: object name prefix -> group.
GROUPS = (
    ("records", "records"),
    ("changes", "change log"),
    ("change_arrivals", "change log"),
    ("audit", "audit"),
    ("case_search", "search and list indexes"),
    ("case_index", "search and list indexes"),
    ("follow_up", "search and list indexes"),
    ("case_prefixes", "search and list indexes"),
    ("report", "period report rows (schema 10)"),
)


def group_of(table: str) -> str:
    for prefix, group in GROUPS:
        if table == prefix or table.startswith(prefix + "_"):
            return group
    return "the rest"


def folder_files(root: Path) -> dict[str, int]:
    return {
        str(p.relative_to(root)): p.stat().st_size for p in sorted(root.rglob("*")) if p.is_file()
    }


def print_folder(label: str, root: Path, cases: int) -> int:
    files = folder_files(root)
    total = sum(files.values())
    print(f"{label}: {total:,} bytes, {total / max(1, cases):,.0f} bytes per case")
    for name, size in files.items():
        if size:
            print(f"  {name:<34} {size:>14,}  {size / max(1, cases):>10,.0f} per case")
    return total


@contextlib.contextmanager
def plaintext_copy(session: Session) -> Iterator[Path]:
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(prefix="size-bench-", dir=shm if shm.is_dir() else None))
    path = folder / "copy.db"
    db = session.db
    try:
        db.execute("ATTACH DATABASE ? AS plain KEY ''", (str(path),))
        try:
            db.execute("SELECT sqlcipher_export('plain')")
        finally:
            db.execute("DETACH DATABASE plain")
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def print_objects(session: Session, cases: int) -> None:
    real = session.db.path.stat().st_size
    page = int(session.db.scalar("PRAGMA page_size"))
    free = int(session.db.scalar("PRAGMA freelist_count")) * page
    with plaintext_copy(session) as path:
        conn = sqlite3.connect(path)
        try:
            owner = dict(conn.execute("SELECT name, tbl_name FROM sqlite_schema").fetchall())
            rows = conn.execute(
                "SELECT name, sum(pgsize), sum(ncell) FROM dbstat GROUP BY name"
                " ORDER BY sum(pgsize) DESC"
            ).fetchall()
            copy_size = path.stat().st_size
        finally:
            conn.close()
    print(
        f"Database file {real:,} bytes (page {page}, {free:,} bytes in free pages);"
        f" laid out afresh without SQLCipher's page trailer: {copy_size:,}"
    )
    groups: dict[str, int] = {}
    print(f"  {'table or index':<40} {'bytes per case':>14}  {'share':>6}")
    for name, size, _cells in rows:
        table = owner.get(name, name)
        groups[group_of(table)] = groups.get(group_of(table), 0) + size
        print(f"  {name:<40} {size / max(1, cases):>14,.0f}  {size / copy_size:>6.1%}")
    print("  groups:")
    for group, size in sorted(groups.items(), key=lambda kv: -kv[1]):
        print(f"    {group:<38} {size / max(1, cases):>14,.0f}  {size / copy_size:>6.1%}")


def print_columns(session: Session, cases: int) -> None:
    for table in ("records", "changes"):
        info = session.db.all(f"SELECT name FROM pragma_table_info('{table}')")
        names = [str(r[0]) for r in info]
        sums = session.db.one(
            "SELECT count(*), " + ", ".join(f"sum(length({n}))" for n in names) + f" FROM {table}"
        )
        assert sums is not None
        print(f"Columns of {table} ({int(sums[0]):,} rows), bytes per case:")
        for name, total in zip(names, sums[1:], strict=True):
            print(f"  {name:<20} {int(total or 0) / max(1, cases):>10,.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="shelter-desk-size-bench-"))
    installation = Installation(folder / "demo")
    cases = args.cases
    print(f"Shelter Desk size benchmark: {cases:,} demo cases, seed {args.seed}")
    print(f"  load average {Path('/proc/loadavg').read_text().split()[:3]}")
    try:
        if installation.exists():
            print("  measuring the installation already in that folder")
        else:
            session, _recovery = installation.create(
                org_name="Demo Shelter", admin=USER, passphrase=PASSPHRASE, demo=True
            )
            started, cpu = time.perf_counter(), time.process_time()
            generate_demo(session, cases, args.seed)
            print(
                f"  generated in {time.perf_counter() - started:.1f} s wall,"
                f" {time.process_time() - cpu:.1f} s CPU"
            )
            print_folder("Data folder, session open", installation.root, cases)
            session.lock()
        print_folder("Data folder, locked", installation.root, cases)
        session = installation.unlock(USER, PASSPHRASE)
        print_objects(session, cases)
        print_columns(session, cases)
        session.lock()
        total = print_folder("Data folder, locked again", installation.root, cases)
        print(f"Per case on disk: {total / max(1, cases):,.0f} bytes (target <= 12,288)")
        per_case = total / max(1, cases)
        result(
            f"disk per case, {cases:,} demo cases",
            "<= 12 KB (12,288 bytes)",
            f"{per_case:,.0f} bytes",
            per_case <= 12_288,
        )
        if cases >= 100_000:
            result(
                f"data folder, {cases:,} cases", "<= 1 GB", f"{total / 1e9:.2f} GB", total <= 1e9
            )
    finally:
        installation.release()
        if args.dir is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
