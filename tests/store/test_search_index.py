"""Schema 5 writes every search row again, so databases indexed by the older tokens are
found by the new queries (names-table keys)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from shelter_desk.domain.entities import IdentityDocument
from shelter_desk.services import cases
from shelter_desk.services.session import Session
from shelter_desk.store import migrations, search_index
from shelter_desk.store.db import Database
from shelter_desk.store.search_tokens import match_query
from tests.fixtures.make_schema_fixture import FIXTURE_KEY
from tests.services.case_helpers import TODAY, consent, intake, person

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# What the tokens of schema 4 held for these people (transliteration in the first column,
# no names-table keys).
PEOPLE = [
    (
        "case-1",
        "ORG-2026-0001",
        {"first_name": "محمد", "second_name": "حداد", "first_name_latin": "Mohammed"},
        "محمد mhmd حداد hdd",
        "_amhmd _ahdd",
    ),
    (
        "case-2",
        "ORG-2026-0002",
        {"first_name": "محمود", "aliases": ["Abu Ali"], "documents": [{"number": "P1234567"}]},
        "محمود mhmwd",
        "_amhmwd",
    ),
    ("case-3", "ORG-2026-0003", "not json {", "", ""),
]


def _version_4_database(path: Path) -> None:
    """The committed schema 4 fixture with these people indexed as schema 4 indexed them."""
    shutil.copy(FIXTURES / "schema_v4.db", path)
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{FIXTURE_KEY.hex()}'\"")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    conn.execute("BEGIN")
    for n, (case_id, number, fields, exact, fuzzy) in enumerate(PEOPLE, start=1):
        data = fields if isinstance(fields, str) else json.dumps(fields, ensure_ascii=False)
        conn.execute(
            "INSERT INTO records VALUES (?, 'person', 'org', ?, ?, '{}', '2026-01-01',"
            " '2026-01-01', 'u1', 'dev', 1, 0)",
            (f"person-{n}", case_id, data),
        )
        conn.execute(
            "INSERT INTO case_index VALUES (?, ?, 'org', ?, '', '', 'open', 'u1', '', ';;',"
            " ';;', '', '2026-01-01', '', 0)",
            (n, case_id, number),
        )
        conn.execute(
            "INSERT INTO case_search (rowid, exact, fuzzy) VALUES (?, ?, ?)", (n, exact, fuzzy)
        )
    conn.execute("COMMIT")
    conn.close()


def _found(db: Database, text: str) -> set[int]:
    rows = db.all("SELECT rowid FROM case_search WHERE case_search MATCH ?", (match_query(text),))
    return {int(rowid) for (rowid,) in rows}


def test_upgrade_to_5_indexes_every_case_again(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    _version_4_database(path)
    db = Database.open(path, FIXTURE_KEY)
    try:
        assert db.scalar("PRAGMA user_version") == migrations.LATEST
        # Found by names-table keys, which schema 4 rows did not hold.
        assert _found(db, "Muhammad ") == {1}
        assert _found(db, "Мухаммед Хаддад ") == {1}
        assert _found(db, "Mahmoud ") == {2}
        assert _found(db, "P1234567 ") == {2}
        assert _found(db, "Abu Ali ") == {2}
        # A person record that cannot be read: found by its case number, and the database opens.
        assert _found(db, "ORG-2026-0003 ") == {3}
    finally:
        db.close()


def test_a_failed_rebuild_leaves_schema_4_and_its_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "v4.db"
    _version_4_database(path)
    calls = []

    def failing(values: Any) -> tuple[str, str]:
        calls.append(values)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return "x", "y"

    monkeypatch.setattr(search_index, "index_columns", failing)
    with pytest.raises(RuntimeError):
        Database.open(path, FIXTURE_KEY)
    monkeypatch.undo()
    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = \"x'{FIXTURE_KEY.hex()}'\"")
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
        rows = conn.execute(
            "SELECT rowid FROM case_search WHERE case_search MATCH '\"_amhmd\"'"
        ).fetchall()
        assert rows == [(1,)]
    finally:
        conn.close()


def test_the_rebuild_finds_what_the_services_indexed(admin_session: Session) -> None:
    """The migration lists the values services.cases indexes; both must find the same."""
    people = [
        person("محمد", "Mohammed", second="حداد", second_latin="Haddad", aliases=("Abu Ali",)),
        person(
            "Ольга",
            "Olha",
            documents=(IdentityDocument(document_type="Passport", number="P 123 4567"),),
        ),
        person("ফাতেমা", "Fatema", middle_name="বেগম"),
        person("გიორგი", "Giorgi", middle_name_latin="Davit"),
    ]
    numbers = [
        cases.open_case(admin_session, p, intake(), consent(), today=TODAY).case.number
        for p in people
    ]
    queries = ("Muhammad ", "Abu ", "Ольга ", "1234567", "Fatima ", "Begum ", "Davit ", numbers[3])

    def found() -> list[list[int]]:
        return [cases.case_keys(admin_session, cases.CaseFilter(text=q)) for q in queries]

    by_services = found()
    assert all(by_services), by_services
    with admin_session.db.transaction():
        search_index.rebuild_search_index(admin_session.db)
    assert found() == by_services
