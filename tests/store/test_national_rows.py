"""The period report's compact rows (schema 10) always equal a rebuild from the records:
after the migration, saves, edits, deletions, sync imports, HTCDS imports, a rolled-back
transaction and a process killed in the middle of writing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import sqlcipher3

from shelter_desk.store.db import Database
from shelter_desk.store.national_rows import REBUILD
from tests.fixtures.make_schema_fixture import FIXTURE_KEY

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CASE = "0193a000-0000-7000-8000-00000000ca5e"


def assert_rows_match(db: Database) -> None:
    """Every compact table holds exactly the rows a rebuild from ``records`` gives."""
    for table, select in REBUILD.items():
        kept = sorted(db.all(f"SELECT * FROM {table}"), key=repr)
        rebuilt = sorted(db.all(select), key=repr)
        assert kept == rebuilt, table


def _record(record_id: str, entity: str, data: str, *, deleted: int = 0) -> str:
    return (
        f"INSERT INTO records VALUES ('{record_id}', '{entity}', 'org-1', '{CASE}', '{data}',"
        f" '{{}}', '0193a0000000-0000-00112233aabbccdd', '0193a0000000-0000-00112233aabbccdd',"
        f" 'u1', '00112233aabbccdd', 1, {deleted})"
    )


SCHEMA_9_RECORDS = (
    _record(CASE, "case", '{"person_id":"p1","opened_on":"2026-03-10","status":"Active"}'),
    _record(
        "p1", "person", '{"gender":"Feminine","birth_date":"2000-06-01","citizenships":["UA"]}'
    ),
    _record("i1", "intake", '{"exploitation_types":["ForcedLabour"],"intake_date":"2026-03-10"}'),
    _record("e1", "trafficking_event", '{"event_type":"Exploitation","country":"PL"}'),
    _record("e2", "trafficking_event", '{"event_type":"Recruitment","country":"UA"}'),
    _record("s1", "service_delivery", '{"service_type":"Medical","started_on":"2026-03-12"}'),
    _record("s2", "service_delivery", '{"service_type":"Legal"}', deleted=1),
    _record("r1", "referral", '{"referred_on":"2026-03-15","status":"Sent"}'),
    _record("t1", "return", '{"travel_on":"2026-05-20","cost":300,"currency":"USD"}'),
    _record("f1", "follow_up", '{"scheduled_on":"2026-06-20","composite_score":0.75}'),
)


def test_the_migration_builds_the_rows_of_the_records_there_are(tmp_path: Path) -> None:
    path = tmp_path / "v9.db"
    shutil.copy(FIXTURES / "schema_v9.db", path)
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{FIXTURE_KEY.hex()}'\"")
    for sql in SCHEMA_9_RECORDS:
        conn.execute(sql)
    conn.close()
    db = Database.open(path, FIXTURE_KEY)  # upgrades to the latest schema
    try:
        assert_rows_match(db)
        assert db.all("SELECT id, gender, citizenships FROM report_people") == [
            ("p1", "Feminine", '["UA"]')
        ]
        assert db.all("SELECT id, country FROM report_exploitations") == [("e1", "PL")]
        assert db.all("SELECT id FROM report_services") == [("s1",)]  # s2 is deleted
        assert db.all("SELECT cost, composite FROM report_returns, report_follow_ups") == [
            (300, 0.75)
        ]
        assert db.all("SELECT id, opened_on, status FROM report_cases") == [
            (CASE, "2026-03-10", "Active")
        ]
    finally:
        db.close()


def _fresh(tmp_path: Path) -> Database:
    path = tmp_path / "fresh.db"
    shutil.copy(FIXTURES / "schema_v9.db", path)
    return Database.open(path, FIXTURE_KEY)


def test_a_rolled_back_write_leaves_no_row(tmp_path: Path) -> None:
    db = _fresh(tmp_path)
    try:
        try:
            with db.transaction():
                for sql in SCHEMA_9_RECORDS:
                    db.execute(sql)
                assert db.scalar("SELECT count(*) FROM report_services") == 1
                raise RuntimeError("the save failed after its records were written")
        except RuntimeError:
            pass
        for table in REBUILD:
            assert db.scalar(f"SELECT count(*) FROM {table}") == 0, table
        with db.transaction():  # the next write works and keeps its rows
            for sql in SCHEMA_9_RECORDS:
                db.execute(sql)
        assert db.scalar("SELECT count(*) FROM report_cases") == 1
        assert_rows_match(db)
    finally:
        db.close()


def test_rows_follow_replaced_updated_and_removed_records(tmp_path: Path) -> None:
    """Writes the store never makes today (UPDATE and DELETE of a record) keep the rows too."""
    db = _fresh(tmp_path)
    try:
        with db.transaction():
            for sql in SCHEMA_9_RECORDS:
                db.execute(sql)
        db.execute(
            "UPDATE records SET data = json_set(data, '$.event_type', 'Transit') WHERE id = 'e1'"
        )
        db.execute("UPDATE records SET deleted = 1 WHERE id = 'r1'")
        db.execute("UPDATE records SET deleted = 0 WHERE id = 's2'")
        db.execute("DELETE FROM records WHERE id = 'f1'")
        db.execute(
            "INSERT OR REPLACE INTO records SELECT id, entity, org_id, case_id,"
            " json_set(data, '$.status', 'Closed'), clocks, created_at, updated_at, updated_by,"
            " origin_device, version + 1, deleted FROM records WHERE id = ?",
            (CASE,),
        )
        assert_rows_match(db)
        assert db.scalar("SELECT count(*) FROM report_exploitations") == 0
        assert db.scalar("SELECT count(*) FROM report_referrals") == 0
        assert db.scalar("SELECT count(*) FROM report_services") == 2
        assert db.scalar("SELECT count(*) FROM report_follow_ups") == 0
        assert db.scalar("SELECT status FROM report_cases") == "Closed"
    finally:
        db.close()


def _writer(path: Path) -> str:
    """A process that writes services, edits and deletions through Records.apply_many, one
    transaction per batch, until it is killed."""
    return textwrap.dedent(
        f"""
        import itertools
        import time
        import uuid
        from pathlib import Path
        from shelter_desk.store.db import Database
        from shelter_desk.store.records import Change, Records
        db = Database.open(Path({str(path)!r}), bytes(range(32)))
        records = Records(db)
        n = itertools.count()
        run = uuid.uuid4().hex  # each run's transactions are new; its clock is later
        began = time.time_ns()
        for batch in itertools.count():
            changes = []
            for i in range(300):
                k = next(n)
                record = f"s{{k % 2000}}"
                day = f"2026-0{{k % 9 + 1}}-1{{k % 10}}"
                fields = {{"service_type": "Medical", "started_on": day, "cost": str(k)}}
                changes.append(
                    Change(f"{{run}}-{{k}}", f"{{began}}-{{k:09d}}", "d", "u", "org-1", "c",
                           "service_delivery", record, (), fields, deleted=k % 7 == 0)
                )
            with db.transaction():
                records.apply_many(changes)
            if batch == 2:
                print("WRITING", flush=True)
        """
    )


def test_a_killed_writer_leaves_rows_equal_to_the_records(tmp_path: Path) -> None:
    path = tmp_path / "killed.db"
    shutil.copy(FIXTURES / "schema_v9.db", path)
    Database.open(path, FIXTURE_KEY).close()  # upgraded before the writer starts
    for attempt in range(3):
        child = subprocess.Popen(
            [sys.executable, "-c", _writer(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "WRITING", child.stderr
        time.sleep(0.2 + 0.3 * attempt)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        db = Database.open(path, FIXTURE_KEY)
        try:
            assert db.scalar("SELECT count(*) FROM records") > 0
            assert_rows_match(db)
            assert db.scalar("SELECT count(*) FROM report_services") == db.scalar(
                "SELECT count(*) FROM records WHERE entity = 'service_delivery' AND deleted = 0"
            )
        finally:
            db.close()
