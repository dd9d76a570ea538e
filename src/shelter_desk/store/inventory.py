"""Counts per entity and a digest of the case data, for ``verify``."""

from __future__ import annotations

import hashlib

from shelter_desk.store.db import Database

# Tables whose rows are case data that sync must make equal on every installation.
# Later migrations add their tables here.
CASE_DATA_TABLES: tuple[str, ...] = ()
COUNTED_TABLES: dict[str, str] = {"users": "users", "audit_events": "audit"}


def entity_counts(db: Database) -> dict[str, int]:
    return {
        name: int(db.scalar(f"SELECT count(*) FROM {table}"))
        for name, table in COUNTED_TABLES.items()
    }


def case_data_digest(db: Database) -> str:
    """SHA-256 over every case-data row in a canonical order; local bookkeeping excluded."""
    h = hashlib.sha256()
    for table in CASE_DATA_TABLES:
        for row in db.all(f"SELECT * FROM {table} ORDER BY 1"):
            h.update(repr(row).encode("utf-8"))
    return h.hexdigest()
