"""The encrypted store against plain SQLite, and the cost of unlocking and opening.

    PYTHONPATH=src .venv/bin/python benchmarks/store_bench.py [--records 100000]
        [--cache-kib 2000 16384 65536 262144] [--lookups 20000]

For every cache size, builds the case-records tables three times in a temporary folder, each
in a fresh process (SQLCipher's memory security, once on, stays on for the whole process):
``plain`` with the standard library's ``sqlite3``; ``store`` with the real encrypted store
(``store.db.Database``: SQLCipher 4 with the store's pragmas, ``cipher_memory_security``
OFF as the store sets it); ``sqlcipher``, the same with memory security ON (the setting of
round 1, for comparison). Prints, per record:

* insert: one ``changes`` row and one ``records`` row per record (what ``Records.apply``
  writes for a new record), committed every 5,000 records;
* lookups: a record by id (primary key) and a case's records by ``case_id`` (index);
* the ratio to plain SQLite (target for the store: within 1.5x).

The schema is migration 2's tables and indexes without the FTS5 search table, which the
standard library's older SQLite cannot create (``contentless_delete`` needs 3.43); its
speed is measured by ``cases_bench.py``. Rows are synthetic: made-up words, no names.

Then, on a real installation with the default Argon2id parameters: the time to unwrap the
database key from one key slot, to open the database with the key, and the whole unlock
(both, plus starting the session).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import sqlcipher3
from verdict import result

from shelter_desk.security import passphrase as pp
from shelter_desk.security.keyslots import KdfParams, new_database_key, unwrap_key
from shelter_desk.services.installation import DB_NAME, Installation
from shelter_desk.store.compact import encode_clocks, pack_json
from shelter_desk.store.db import Database
from shelter_desk.store.migrations import V2_CASE_RECORDS

BATCH = 5000
WORDS = ["ka", "lo", "mi", "ren", "sa", "tu", "vel", "do", "ar", "ni", "shi", "po", "zem"]
RECORDS_PER_CASE = 13
PASSPHRASE = "shelter-desk-demo"

Execute = Callable[[str, Sequence[Any]], Any]


def made_up(rng: random.Random, words: int) -> str:
    return " ".join("".join(rng.choice(WORDS) for _ in range(3)) for _ in range(words))


def synthetic_rows(n: int, seed: int) -> list[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    """(changes row, records row) pairs shaped like the store's (sizes as in the demo)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        record_id = f"{i:012x}-0000-7000-8000-{rng.getrandbits(48):012x}"
        case_id = f"{i // RECORDS_PER_CASE:012x}-0000-7000-8000-000000000000"
        hlc = f"{1_700_000_000_000 + i:012x}-0000-3f2a9c0d1e4b5a67"
        fields = {f"field_{k}": made_up(rng, rng.randint(0, 4)) for k in range(22)}
        data = json.dumps(fields, sort_keys=True, separators=(",", ":"))
        clocks = json.dumps({k: hlc for k in fields}, sort_keys=True, separators=(",", ":"))
        device = "3f2a9c0d1e4b5a67"
        change = (
            f"t{record_id}",
            hlc,
            device,
            "u",
            "o",
            case_id,
            "intake",
            record_id,
            "[]",
            data,
            0,
        )
        record = (record_id, "intake", "o", case_id, data, clocks, hlc, hlc, "u", "d", 1, 0)
        rows.append((change, record))
    return rows


def as_stored(rows: list[tuple[tuple[Any, ...], tuple[Any, ...]]]) -> list[Any]:
    """The rows as the store writes them since schema 11: compact clocks, compressed change
    bodies (store/compact.py)."""
    return [
        (
            (*c[:9], pack_json(json.loads(c[9])), c[10]),
            (*r[:5], encode_clocks(json.loads(r[4]), json.loads(r[5])), *r[6:]),
        )
        for c, r in rows
    ]


def create_tables(execute: Execute) -> None:
    buffer = ""
    for line in V2_CASE_RECORDS.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if "fts5" not in buffer:
                execute(buffer.strip(), ())
            buffer = ""


def insert(execute: Execute, rows: list[tuple[tuple[Any, ...], tuple[Any, ...]]]) -> float:
    started = time.perf_counter()
    for start in range(0, len(rows), BATCH):
        execute("BEGIN IMMEDIATE", ())
        for change, record in rows[start : start + BATCH]:
            execute("INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", change)
            execute("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", record)
        execute("COMMIT", ())
    return (time.perf_counter() - started) / len(rows) * 1e6


def lookups(execute: Execute, ids: list[str], column: str) -> float:
    sql = f"SELECT id, data, clocks FROM records WHERE {column} = ? ORDER BY created_at"
    for key in ids[:100]:
        execute(sql, (key,)).fetchall()
    started = time.perf_counter()
    for key in ids:
        execute(sql, (key,)).fetchall()
    return (time.perf_counter() - started) / len(ids) * 1e6


KINDS = {
    "plain": "stdlib sqlite3, the store's pragmas",
    "store": "encrypted store (store.db.Database: SQLCipher, cipher_memory_security OFF)",
    "sqlcipher": "SQLCipher with the store's pragmas and cipher_memory_security ON",
}


def measure(kind: str, folder: str, records: int, cache_kib: int, lookups_n: int) -> list[float]:
    """[insert, lookup by id, lookup by case] in microseconds, for one kind of database.

    Runs in a fresh process: SQLCipher's memory security, once on, stays on in a process."""
    rows = synthetic_rows(records, 1)
    rng = random.Random(cache_kib)
    record_ids = [rng.choice(rows)[1][0] for _ in range(lookups_n)]
    case_ids = [rng.choice(rows)[1][3] for _ in range(lookups_n)]
    path = Path(folder) / f"{kind}-{cache_kib}.db"
    if kind == "store":
        rows = as_stored(rows)
        db = Database.create(path, new_database_key())  # its migrations make the tables
        db.execute(f"PRAGMA cache_size = -{cache_kib}")
        execute: Execute = db.execute
        close = db.close
    elif kind == "sqlcipher":
        conn = sqlcipher3.connect(str(path), isolation_level=None)
        conn.execute(f"PRAGMA key = \"x'{new_database_key().hex()}'\"")
        conn.execute("PRAGMA cipher_memory_security = ON")
        _store_pragmas(conn.execute, cache_kib)
        create_tables(conn.execute)
        execute, close = conn.execute, conn.close
    else:
        plain = sqlite3.connect(str(path), isolation_level=None)
        _store_pragmas(plain.execute, cache_kib)
        create_tables(plain.execute)
        execute, close = plain.execute, plain.close
    figures = [
        insert(execute, rows),
        lookups(execute, record_ids, "id"),
        lookups(execute, case_ids, "case_id"),
    ]
    close()
    return figures


def _store_pragmas(execute: Execute, cache_kib: int) -> None:
    """The pragmas store.db sets, except the key and SQLCipher's own."""
    execute("PRAGMA journal_mode = WAL", ()).fetchall()
    execute("PRAGMA synchronous = FULL", ())
    execute("PRAGMA temp_store = MEMORY", ())
    execute("PRAGMA foreign_keys = ON", ())
    execute(f"PRAGMA cache_size = -{cache_kib}", ())


def compare(folder: Path, records: int, cache_kib: int, lookups_n: int) -> None:
    figures: dict[str, list[float]] = {}
    spawn = multiprocessing.get_context("spawn")
    for kind in KINDS:
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            job = pool.submit(measure, kind, str(folder), records, cache_kib, lookups_n)
            figures[kind] = job.result()
    print(f"cache_size {cache_kib:,} KiB   (microseconds per record; ratio to plain SQLite)")
    for n, what in enumerate(("insert", "by id", "by case")):
        plain = figures["plain"][n]
        line = f"  {what:<8} plain {plain:7.1f}"
        for kind in ("store", "sqlcipher"):
            value = figures[kind][n]
            line += f"   {kind} {value:7.1f} ({value / plain:4.2f}x)"
        print(line)
    worst = max(figures["store"][n] / figures["plain"][n] for n in range(3))
    print(f"  encrypted store within 1.5x of plain: {'met' if worst <= 1.5 else 'NOT met'}")
    result(
        f"store vs plain SQLite, {records:,} records, cache {cache_kib:,} KiB",
        "<= 1.5x (worst of insert, by id, by case)",
        f"{worst:.2f}x",
        worst <= 1.5,
    )


def unlock_times(folder: Path, repeat: int) -> None:
    installation = Installation(folder / "unlock")
    session, _recovery = installation.create(
        org_name="Bench Shelter", admin="demo", passphrase=PASSPHRASE, demo=True
    )
    session.lock()
    kdf = KdfParams()
    slot = next(s for s in installation.slots().slots.values() if s.username == "demo")
    unwrap, opened, unlocked = [], [], []
    for _n in range(repeat):
        started = time.perf_counter()
        key = unwrap_key(slot, pp.normalise(PASSPHRASE))
        unwrap.append(time.perf_counter() - started)
        started = time.perf_counter()
        db = Database.open(installation.root / DB_NAME, key)
        opened.append(time.perf_counter() - started)
        db.close()
        started = time.perf_counter()
        session = installation.unlock("demo", PASSPHRASE)
        unlocked.append(time.perf_counter() - started)
        session.lock()
    installation.release()
    print(
        f"Key slot: Argon2id time_cost {kdf.time_cost}, memory {kdf.memory_kib // 1024} MiB,"
        f" parallelism {kdf.parallelism}"
    )
    for label, values in (
        ("unwrap the key from one slot", unwrap),
        ("open the database with the key", opened),
        ("whole unlock (slot + open + session)", unlocked),
    ):
        print(f"  {label:<38} median {statistics.median(values) * 1000:8.1f} ms")


def open_time(folder: Path, rows: list[Any], repeat: int) -> None:
    key = new_database_key()
    path = folder / "open.db"
    db = Database.create(path, key)
    insert(db.execute, as_stored(rows))
    db.close()
    times = []
    for _n in range(repeat):
        started = time.perf_counter()
        db = Database.open(path, key)
        db.scalar("SELECT count(*) FROM records WHERE case_id = ?", (rows[0][1][3],))
        times.append(time.perf_counter() - started)
        db.close()
    size = path.stat().st_size / 1e6
    print(
        f"  open a {size:,.0f} MB database and read one case  median"
        f" {statistics.median(times) * 1000:8.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--cache-kib", type=int, nargs="+", default=[2000, 16384, 65536, 262144])
    parser.add_argument("--lookups", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="shelter-desk-store-bench-"))
    try:
        print(f"Store benchmark: {args.records:,} records, {os.cpu_count()} CPUs")
        print(
            f"  SQLite {sqlcipher3.sqlite_version} (SQLCipher), {sqlite3.sqlite_version} (stdlib)"
        )
        for kind, meaning in KINDS.items():
            print(f"  {kind:<10} {meaning}")
        for cache_kib in args.cache_kib:
            compare(folder, args.records, cache_kib, args.lookups)
        unlock_times(folder, args.repeat)
        open_time(folder, synthetic_rows(args.records, 1), args.repeat)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
