"""Counts per entity and a digest of the case data, for ``verify``."""

from __future__ import annotations

import hashlib

from shelter_desk.store.db import Database
from shelter_desk.store.records import Records

# Tables whose rows are case data that sync must make equal on every installation.
# Later migrations add their tables here.
COUNTED_TABLES: dict[str, str] = {"users": "users", "audit_events": "audit", "changes": "changes"}


def entity_counts(db: Database) -> dict[str, int]:
    counts = {
        name: int(db.scalar(f"SELECT count(*) FROM {table}"))
        for name, table in COUNTED_TABLES.items()
    }
    counts.update(Records(db).count_by_entity())
    return counts


def case_data_digest(db: Database) -> str:
    """SHA-256 over every record's id, entity, data and tombstone, in id order.

    Equal case data gives an equal digest on any installation, whatever order the changes
    arrived in; clocks, versions and local bookkeeping (audit, users, indexes) are left out.
    """
    h = hashlib.sha256()
    for row in db.all("SELECT id, entity, data, deleted FROM records ORDER BY id"):
        h.update("\x1f".join(str(v) for v in row).encode("utf-8"))
        h.update(b"\x1e")
    return h.hexdigest()
