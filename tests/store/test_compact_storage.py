"""Records' compact clocks and the compressed change log (schema 11): reading gives back
exactly what was written, the migration converts what an earlier schema wrote, and a
damaged body is refused rather than read as something else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shelter_desk.security.audit import GENESIS, AuditEvent, event_hash, first_broken
from shelter_desk.store import migrations
from shelter_desk.store.accounts import AuditLog, Meta
from shelter_desk.store.compact import (
    compact_storage,
    decode_clocks,
    encode_clocks,
    pack_json,
    unpack_json,
)
from shelter_desk.store.db import Database, _connect
from shelter_desk.store.exchange_state import ExchangeState
from shelter_desk.store.records import Change, Records
from tests.fixtures.make_schema_fixture import FIXTURE_KEY

VERSION = migrations.MIGRATIONS.index(compact_storage) + 1
H1, H2, H3 = (f"0193a00000{n}0-0000-00112233aabbccdd" for n in (1, 2, 3))
FIELDS = st.sampled_from(["name", "status", "notes", "city", "__deleted__", "a", "b"])
CLOCK = st.sampled_from([H1, H2, H3, ""])


@given(
    st.dictionaries(FIELDS, st.one_of(st.none(), st.text(max_size=5), st.integers())),
    st.dictionaries(FIELDS, CLOCK),
)
def test_clocks_read_back_exactly_as_written(
    data: dict[str, object], clocks: dict[str, str]
) -> None:
    stored = encode_clocks(data, clocks)
    assert decode_clocks(data, stored) == clocks
    assert encode_clocks(data, dict(reversed(clocks.items()))) == stored  # order-free text


def test_a_record_written_once_stores_one_clock() -> None:
    data = {f"field_{n}": n for n in range(40)}
    stored = encode_clocks(data, dict.fromkeys(data, H1))
    assert stored == f'["{H1}"]'
    deleted = encode_clocks(data, {**dict.fromkeys(data, H1), "__deleted__": H2, "field_3": H3})
    assert json.loads(deleted) == [H1, {"__deleted__": H2, "field_3": H3}]


def test_clocks_written_before_schema_11_are_read() -> None:
    assert decode_clocks({"a": 1}, json.dumps({"a": H1, "b": H2})) == {"a": H1, "b": H2}


def test_bodies_read_back_and_are_smaller() -> None:
    body = {"first_name": "Ольга", "notes": "ሰላም " * 3, "citizenships": ["UA"], "cost": 1.5}
    packed = pack_json(body)
    assert unpack_json(packed) == body
    assert len(packed) < len(json.dumps(body, ensure_ascii=False).encode())
    assert unpack_json('{"a": 1}') == {"a": 1}  # text as stored before schema 11


@pytest.mark.parametrize("damage", ["format", "truncated", "empty"])
def test_a_damaged_body_is_refused(damage: str) -> None:
    packed = pack_json({"name": "Fixture Person", "notes": "x" * 200})
    broken = {
        "format": b"\x09" + packed[1:],
        "truncated": packed[: len(packed) // 2],
        "empty": b"",
    }[damage]
    with pytest.raises(ValueError):
        unpack_json(broken)


def _database_before(path: Path) -> Database:
    db = Database(_connect(path, FIXTURE_KEY), path)
    migrations.upgrade(db, VERSION - 1)
    return db


RECORD = "0193a000-0000-7000-8000-000000000001"
OLD_CLOCKS = {"name": H1, "status": H2, "__deleted__": H3}


def _old_rows(db: Database) -> None:
    """Rows as the code before schema 11 wrote them (JSON clocks, JSON bodies)."""
    db.execute(
        "INSERT INTO records VALUES (?, 'organisation', 'org-1', '', ?, ?, ?, ?, 'u1',"
        " 'dev1', 2, 1)",
        (RECORD, '{"name":"Fixture Partner","status":"Open"}', json.dumps(OLD_CLOCKS), H1, H3),
    )
    db.execute(
        "INSERT INTO records VALUES ('bad', 'organisation', 'org-1', '', 'not json {', '{}', ?, ?,"
        " 'u1', 'dev1', 1, 0)",
        (H1, H1),
    )
    for n, (hlc, fields) in enumerate(
        [(H1, '{"name":"Fixture Partner","status":"New"}'), (H2, '{"status":"Open"}')], start=1
    ):
        db.execute(
            "INSERT INTO changes VALUES (?, ?, 'dev1', 'u1', 'org-1', '', 'organisation', ?,"
            " '[]', ?, 0)",
            (f"txn-{n}", hlc, RECORD, fields),
        )


def test_the_migration_converts_clocks_and_bodies(tmp_path: Path) -> None:
    path = tmp_path / "before.db"
    db = _database_before(path)
    with db.transaction():
        _old_rows(db)
    arrivals = db.scalar("SELECT count(*) FROM change_arrivals")
    db.close()

    db = Database.open(path, FIXTURE_KEY)
    try:
        assert db.scalar("PRAGMA user_version") == migrations.LATEST
        record = Records(db).get(RECORD)
        assert record is not None
        assert record.clocks == OLD_CLOCKS and record.deleted
        assert json.loads(db.scalar("SELECT clocks FROM records WHERE id = ?", (RECORD,))) == [
            H2,
            {"__deleted__": H3, "name": H1},
        ]
        assert db.scalar("SELECT clocks FROM records WHERE id = 'bad'") == "{}"  # left as is
        history = Records(db).history([RECORD])
        assert [c.fields for c in history] == [
            {"name": "Fixture Partner", "status": "New"},
            {"status": "Open"},
        ]
        assert ExchangeState(db).changes_of_records([RECORD]) == history
        assert db.scalar("SELECT typeof(fields) FROM changes LIMIT 1") == "blob"
        indexes = {r[0] for r in db.all("SELECT name FROM sqlite_schema WHERE type = 'index'")}
        assert "changes_by_record" in indexes and "changes_by_hlc" not in indexes
        assert db.integrity_problems() == []

        # The change log's trigger came back with the table: arrivals are still recorded.
        change = Change("txn-3", H3, "dev1", "u1", "org-1", "", "organisation", RECORD, (), {})
        with db.transaction():
            assert Records(db).apply(change) is not None
            assert Records(db).apply(change) is None  # applying twice changes nothing
        assert db.scalar("SELECT count(*) FROM change_arrivals") == arrivals + 1
    finally:
        db.close()


def test_a_failing_conversion_leaves_the_earlier_schema(tmp_path: Path) -> None:
    path = tmp_path / "before.db"
    db = _database_before(path)
    with db.transaction():
        _old_rows(db)
        db.execute("CREATE TABLE changes_v11 (x)")  # the migration's new table cannot be made
    db.close()
    with pytest.raises(Exception):  # noqa: B017 - the SQL error of the clash
        Database.open(path, FIXTURE_KEY)
    db = Database.open(path, FIXTURE_KEY, migrate=False)
    try:
        assert db.scalar("PRAGMA user_version") == VERSION - 1
        assert db.scalar("SELECT typeof(fields) FROM changes LIMIT 1") == "text"
        raw = db.scalar("SELECT clocks FROM records WHERE id = ?", (RECORD,))
        assert json.loads(raw) == OLD_CLOCKS
    finally:
        db.close()


def test_the_audit_chain_survives_the_migration_and_a_damaged_row_still_shows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "before.db"
    db = _database_before(path)
    prev, expected = GENESIS, []
    with db.transaction():
        for seq in (1, 2, 3):
            at = f"2026-01-0{seq}T00:00:00.000+00:00"
            digest = event_hash(prev, seq, at, "u1", "create", "case", f"c{seq}")
            db.execute(
                "INSERT INTO audit VALUES (?, ?, 'u1', 'create', 'case', ?, ?, ?)",
                (seq, at, f"c{seq}", prev, digest),
            )
            expected.append(AuditEvent(seq, at, "u1", "create", "case", f"c{seq}", prev, digest))
            prev = digest
        Meta(db).set("audit_head", f"3:{prev}")
    db.close()

    db = Database.open(path, FIXTURE_KEY)
    try:
        log = AuditLog(db)
        assert log.events() == expected
        assert log.for_object("case", "c2") == [expected[1]]
        assert log.has(3, prev) and not log.has(3, "not-a-hash")
        assert first_broken(log.events(), log.head()) is None
        assert db.scalar("SELECT typeof(hash) || length(hash) FROM audit WHERE seq = 1") == "blob32"
        seq, digest = log.append("u1", "view", "case", "c1")  # the chain goes on
        assert seq == 4 and log.has(4, digest)
        assert first_broken(log.events(), log.head()) is None
    finally:
        db.close()

    damaged = tmp_path / "damaged.db"
    db = _database_before(damaged)
    with db.transaction():
        db.execute(
            "INSERT INTO audit VALUES (1, '2026-01-01', 'u1', 'create', 'case', 'c1', ?, 'zz')",
            (GENESIS,),
        )
    db.close()
    db = Database.open(damaged, FIXTURE_KEY)  # opens; the check names the row
    try:
        assert first_broken(AuditLog(db).events(), None) == 1
    finally:
        db.close()


def test_compacting_gives_the_pages_the_migration_freed_back(tmp_path: Path) -> None:
    path = tmp_path / "before.db"
    db = _database_before(path)
    body = json.dumps({"notes": "Fixture text of a made-up record. " * 20, "status": "Open"})
    with db.transaction():
        for n in range(400):
            db.execute(
                "INSERT INTO changes VALUES (?, ?, 'dev1', 'u1', 'org-1', '', 'organisation',"
                " ?, '[]', ?, 0)",
                (f"txn-{n}", H1, f"record-{n}", body),
            )
    db.close()
    db = Database.open(path, FIXTURE_KEY)
    try:
        assert int(db.scalar("PRAGMA freelist_count")) > 0
        assert not db.compact(max_bytes=4096)  # above the limit: left for later writes
        before = path.stat().st_size
        assert db.compact()
        assert int(db.scalar("PRAGMA freelist_count")) == 0
        assert path.stat().st_size < before * 0.6
        assert not db.compact()  # nothing left to give back
        assert len(ExchangeState(db).changes_of_records([f"record-{n}" for n in range(400)])) == 400
        assert db.integrity_problems() == []
    finally:
        db.close()
