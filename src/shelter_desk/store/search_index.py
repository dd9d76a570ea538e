"""Rebuild the case-list search index from the stored records, as a schema migration.

The search table is contentless: the tokens of a case cannot be read back, only written.
When ``search_tokens`` changes what it stores (schema 5 added names-table keys and moved
transliterations to the second column), rows written by the older code would no longer be
found by the new queries, so the migration writes every row again from the person records.

The values indexed are those of ``services.cases._search_values`` when the migration was
written (the person's names in both forms, aliases and document numbers, and the case
number); a migration must keep doing what it did when it shipped, so they are listed here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from shelter_desk.store.search_tokens import index_columns

if TYPE_CHECKING:
    from shelter_desk.store.statements import Statements

_NAME_FIELDS = (
    "first_name",
    "middle_name",
    "second_name",
    "first_name_latin",
    "middle_name_latin",
    "second_name_latin",
)


def _person_values(person: dict[str, Any], number: str) -> Iterator[str]:
    for field in _NAME_FIELDS:
        yield person.get(field) or ""
    yield number
    yield from person.get("aliases") or ()
    for document in person.get("documents") or ():
        if isinstance(document, dict):
            yield document.get("number") or ""


def _fields(data: str) -> dict[str, Any]:
    """A record's fields; a record that cannot be read leaves the case findable by its number
    only (the migration must not make the database unopenable)."""
    try:
        fields = json.loads(data)
    except ValueError:
        return {}
    return fields if isinstance(fields, dict) else {}


def rebuild_search_index(db: Statements) -> None:
    """Write the search row of every listed case again (inside the migration's transaction)."""
    db.execute("INSERT INTO case_search (case_search) VALUES ('delete-all')")
    # Each listed case with its person records, oldest first (the case's person is the first).
    rows = db.execute(
        "SELECT ci.rowid, ci.number, r.data FROM case_index ci"
        " LEFT JOIN records r ON r.case_id = ci.case_id AND r.entity = 'person'"
        " AND r.deleted = 0 WHERE ci.deleted = 0 ORDER BY ci.rowid, r.created_at"
    ).fetchall()
    done: set[int] = set()
    for rowid, number, data in rows:
        if rowid in done:
            continue
        done.add(rowid)
        person = _fields(data) if data is not None else {}
        values = [v for v in _person_values(person, number) if isinstance(v, str) and v]
        db.execute(
            "INSERT INTO case_search (rowid, exact, fuzzy) VALUES (?, ?, ?)",
            (rowid, *index_columns(values)),
        )
