"""Queries for the coordination log, and the case-number prefixes of every organisation.

The coordination records (meetings, visits, hotspots, trainings) are ordinary records of the
change log (``store.records``), so they merge and travel like case records; this module only
reads them with the filters the log offers. ``case_prefixes`` (schema 7) is kept by triggers
on ``case_index``: which organisations number their cases with which prefix, so that numbers
that two organisations share can be told apart where both are listed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from shelter_desk.store.db import Database
from shelter_desk.store.records import _RECORD_COLUMNS, StoredRecord, _record


class CoordinationLog:
    def __init__(self, db: Database) -> None:
        self._db = db

    def records(
        self,
        date_fields: Mapping[str, str],
        *,
        date_from: str = "",
        date_to: str = "",
    ) -> list[StoredRecord]:
        """The live records of the entities named in ``date_fields`` (entity -> the field
        holding its date) whose date lies in [date_from, date_to] (ISO dates; "" is open),
        newest first. A record without a date is kept only when no range is asked for."""
        if not date_fields:
            return []
        clauses, params = [], []  # type: list[str], list[Any]
        for entity, field in date_fields.items():
            clause = "(entity = ?"
            params.append(entity)
            if date_from:
                clause += " AND json_extract(data, ?) >= ?"
                params += [f"$.{field}", date_from]
            if date_to:
                clause += " AND json_extract(data, ?) <= ?"
                params += [f"$.{field}", date_to]
            clauses.append(clause + ")")
        rows = self._db.all(
            f"SELECT {_RECORD_COLUMNS} FROM records WHERE deleted = 0 AND ("
            + " OR ".join(clauses)
            + ") ORDER BY created_at DESC",
            params,
        )
        return [_record(r) for r in rows]


class CasePrefixes:
    def __init__(self, db: Database) -> None:
        self._db = db

    def shared(self) -> set[str]:
        """The prefixes that more than one organisation numbers its cases with."""
        rows: Sequence[Any] = self._db.all(
            "SELECT prefix FROM case_prefixes GROUP BY prefix HAVING count(*) > 1"
        )
        return {str(r[0]) for r in rows}

    def organisations_of(self, case_ids: Sequence[str]) -> dict[str, str]:
        """Case id -> the organisation whose case it is (from the case list)."""
        found: dict[str, str] = {}
        ids = list(case_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self._db.all(
                "SELECT case_id, org_id FROM case_index"
                f" WHERE case_id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            found.update((str(r[0]), str(r[1])) for r in rows)
        return found

    def cases_numbered(self, number: str) -> list[tuple[str, str]]:
        """(case id, organisation) of every listed case with this number."""
        rows = self._db.all(
            "SELECT case_id, org_id FROM case_index WHERE number = ? ORDER BY org_id",
            (number,),
        )
        return [(str(r[0]), str(r[1])) for r in rows]
