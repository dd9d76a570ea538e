"""The CTDC release log (the tables of migration 6, ``V6_CTDC_RELEASES``): every CTDC export
made, and the exact row each case was published with, so a later release can keep what was
published and add new cases only in groups that reveal no one (``services.standards.ctdc``).

The rows hold CTDC codes only (years, bands, flags, country codes), never a name or free
text; they live in the encrypted database like everything else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from shelter_desk.store.db import Database

CtdcRow = dict[str, object]


@dataclass(frozen=True)
class ReleaseEntry:
    seq: int
    schema: str
    released_at: str
    user_id: str
    k: int
    rows: int
    added: int
    removed: int
    held_back: int


class CtdcReleases:
    """Reads and writes the release log; the caller holds the transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def published(self, schema: str) -> dict[str, CtdcRow]:
        """Case id -> the row it was published with, for every case still published."""
        rows = self._db.all(
            "SELECT case_id, row FROM ctdc_released_rows WHERE schema = ? ORDER BY release_seq,"
            " case_id",
            (schema,),
        )
        return {str(r[0]): json.loads(r[1]) for r in rows}

    def record(
        self,
        entry: ReleaseEntry,
        added: Mapping[str, CtdcRow],
        removed: Sequence[str],
    ) -> int:
        """Log a release: its counts, the rows it added, the cases it no longer holds."""
        cursor = self._db.execute(
            "INSERT INTO ctdc_releases (schema, released_at, user_id, k, rows, added, removed,"
            " held_back) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry.schema,
                entry.released_at,
                entry.user_id,
                entry.k,
                entry.rows,
                entry.added,
                entry.removed,
                entry.held_back,
            ),
        )
        seq = int(cursor.lastrowid)
        self._db.executemany(
            "DELETE FROM ctdc_released_rows WHERE schema = ? AND case_id = ?",
            [(entry.schema, case_id) for case_id in removed],
        )
        self._db.executemany(
            "INSERT INTO ctdc_released_rows (schema, case_id, release_seq, row)"
            " VALUES (?, ?, ?, ?)",
            [
                (entry.schema, case_id, seq, json.dumps(row, sort_keys=True))
                for case_id, row in added.items()
            ],
        )
        return seq

    def history(self, schema: str = "") -> list[ReleaseEntry]:
        """Every release logged (of one schema, when given), oldest first."""
        sql = (
            "SELECT seq, schema, released_at, user_id, k, rows, added, removed, held_back"
            " FROM ctdc_releases"
        )
        params: tuple[str, ...] = ()
        if schema:
            sql += " WHERE schema = ?"
            params = (schema,)
        return [
            ReleaseEntry(int(r[0]), str(r[1]), str(r[2]), str(r[3]), *(int(v) for v in r[4:]))
            for r in self._db.all(sql + " ORDER BY seq", params)
        ]
