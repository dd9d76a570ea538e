"""The latest value an installation wrote into a field, to start a new record with it
(the currency of the last cost recorded)."""

from __future__ import annotations

from shelter_desk.store.db import Database


def last_value(db: Database, entity: str, org_id: str, field: str) -> str:
    """The non-empty value of ``field`` in the most recently changed live record of
    ``entity`` that ``org_id`` wrote (a partner's imported records do not count), or ""
    when no record has one."""
    path = "$." + field
    value = db.scalar(
        "SELECT json_extract(data, ?) FROM records WHERE entity = ? AND org_id = ?"
        " AND deleted = 0 AND coalesce(json_extract(data, ?), '') != ''"
        " ORDER BY updated_at DESC, rowid DESC LIMIT 1",
        (path, entity, org_id, path),
    )
    return str(value) if value is not None else ""
