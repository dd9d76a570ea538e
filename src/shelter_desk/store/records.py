"""Case records as a change log, and the derived indexes the lists read.

``changes`` holds immutable transactions (one per record per save); ``records`` holds the
current state of each record with the clock of every field's last write, so that a change
arriving later from another installation merges field by field (last writer wins by hybrid
logical clock). Inserting a change that is already here does nothing: applying the same
transactions twice, or in another order, gives the same state.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shelter_desk.store.compact import decode_clocks, encode_clocks, pack_json, unpack_json
from shelter_desk.store.db import Database

JSON = dict[str, Any]


# Built once: json.dumps with options builds a new encoder per call, and an import writes
# a record's data for every transaction.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)


@dataclass(frozen=True)
class Change:
    """One immutable transaction: the fields of one record written by one save."""

    txn_id: str
    hlc: str
    device: str
    user_id: str
    org_id: str
    case_id: str
    entity: str
    record_id: str
    parents: tuple[str, ...]
    fields: JSON
    deleted: bool = False


@dataclass(frozen=True)
class StoredRecord:
    id: str
    entity: str
    org_id: str
    case_id: str
    data: JSON
    clocks: dict[str, str]
    created_at: str
    updated_at: str
    updated_by: str
    origin_device: str
    version: int
    deleted: bool


_RECORD_COLUMNS = (
    "id, entity, org_id, case_id, data, clocks, created_at, updated_at, updated_by,"
    " origin_device, version, deleted"
)


def _record(row: Sequence[Any]) -> StoredRecord:
    data = json.loads(row[4])
    return StoredRecord(
        id=row[0],
        entity=row[1],
        org_id=row[2],
        case_id=row[3],
        data=data,
        clocks=decode_clocks(data, row[5]),
        created_at=row[6],
        updated_at=row[7],
        updated_by=row[8],
        origin_device=row[9],
        version=int(row[10]),
        deleted=bool(row[11]),
    )


def merge(record: StoredRecord | None, change: Change) -> tuple[JSON, dict[str, str]]:
    """Per-field last writer wins: a field takes the change's value only when the change
    is later (by clock) than the field's last write."""
    if record is None and change.hlc:  # a new record: every field is the change's
        data, clocks = dict(change.fields), dict.fromkeys(change.fields, change.hlc)
    else:
        data = dict(record.data) if record else {}
        clocks = dict(record.clocks) if record else {}
        for name, value in change.fields.items():
            if clocks.get(name, "") < change.hlc:
                data[name] = value
                clocks[name] = change.hlc
    if change.deleted and clocks.get("__deleted__", "") < change.hlc:
        clocks["__deleted__"] = change.hlc
    return data, clocks


_CHUNK = 500  # ids per IN (...) query, well under SQLite's variable limit
_INSERT_CHANGE = (
    "INSERT INTO changes (txn_id, hlc, device, user_id, org_id, case_id, entity,"
    " record_id, parents, fields, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT(txn_id) DO NOTHING"
)


def _change_row(change: Change) -> tuple[Any, ...]:
    return (
        change.txn_id,
        change.hlc,
        change.device,
        change.user_id,
        change.org_id,
        change.case_id,
        change.entity,
        change.record_id,
        _dumps(list(change.parents)),
        pack_json(change.fields),
        int(change.deleted),
    )


def _record_row(r: StoredRecord) -> tuple[Any, ...]:
    return (
        r.id,
        r.entity,
        r.org_id,
        r.case_id,
        _dumps(r.data),
        encode_clocks(r.data, r.clocks),
        r.created_at,
        r.updated_at,
        r.updated_by,
        r.origin_device,
        r.version,
        int(r.deleted),
    )


def next_state(current: StoredRecord | None, change: Change) -> StoredRecord:
    """The record after merging ``change`` into ``current`` (None: a new record)."""
    data, clocks = merge(current, change)
    newest = max(clocks.values(), default=change.hlc)
    latest_change = current is None or change.hlc >= current.updated_at
    return StoredRecord(
        id=change.record_id,
        entity=change.entity,
        org_id=current.org_id if current else change.org_id,
        case_id=current.case_id if current else change.case_id,
        data=data,
        clocks=clocks,
        created_at=min(current.created_at, change.hlc) if current else change.hlc,
        updated_at=max(newest, current.updated_at if current else ""),
        updated_by=change.user_id if latest_change else current.updated_by,  # type: ignore[union-attr]
        origin_device=current.origin_device if current else change.device,
        version=(current.version if current else 0) + 1,
        deleted="__deleted__" in clocks,
    )


class Records:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, record_id: str) -> StoredRecord | None:
        row = self._db.one(f"SELECT {_RECORD_COLUMNS} FROM records WHERE id = ?", (record_id,))
        return _record(row) if row else None

    def for_case(self, case_id: str, *, include_deleted: bool = False) -> list[StoredRecord]:
        sql = f"SELECT {_RECORD_COLUMNS} FROM records WHERE case_id = ?"
        if not include_deleted:
            sql += " AND deleted = 0"
        return [_record(r) for r in self._db.all(sql + " ORDER BY created_at", (case_id,))]

    def of_entity(self, entity: str, *, include_deleted: bool = False) -> list[StoredRecord]:
        sql = f"SELECT {_RECORD_COLUMNS} FROM records WHERE entity = ?"
        if not include_deleted:
            sql += " AND deleted = 0"
        return [_record(r) for r in self._db.all(sql + " ORDER BY created_at", (entity,))]

    def last_txn(self, record_id: str) -> str | None:
        value = self._db.scalar(
            "SELECT txn_id FROM changes WHERE record_id = ? ORDER BY hlc DESC LIMIT 1",
            (record_id,),
        )
        return str(value) if value is not None else None

    def apply(self, change: Change) -> StoredRecord | None:
        """Record a change and merge it into the record; None if it was already applied."""
        inserted = self._db.execute(_INSERT_CHANGE, _change_row(change)).rowcount
        if not inserted:
            return None
        record = next_state(self.get(change.record_id), change)
        self._write(record)
        return record

    def get_many(self, record_ids: Iterable[str]) -> dict[str, StoredRecord]:
        """The records with these ids that exist (deleted ones included)."""
        ids = sorted(set(record_ids))
        found: dict[str, StoredRecord] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            rows = self._db.all(
                f"SELECT {_RECORD_COLUMNS} FROM records WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            found.update((r[0], _record(r)) for r in rows)
        return found

    def apply_many(self, changes: Sequence[Change]) -> list[Change]:
        """The same result as :meth:`apply` on each change, in far fewer statements (for
        sync imports). Returns the changes that were new, in the order given."""
        return self.apply_batch(changes)[0]

    def apply_batch(
        self, changes: Sequence[Change], current: Mapping[str, StoredRecord] | None = None
    ) -> tuple[list[Change], dict[str, StoredRecord]]:
        """:meth:`apply_many`, also returning each record it changed as it now is.
        ``current``: the records of these changes as they are, when the caller has just read
        them (inside the same database transaction), so they are not read again."""
        fresh: dict[str, Change] = {}
        for change in changes:
            fresh.setdefault(change.txn_id, change)
        ids = list(fresh)
        present: set[str] = set()
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            rows = self._db.all(
                f"SELECT txn_id FROM changes WHERE txn_id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            present.update(str(r[0]) for r in rows)
        new = [c for c in fresh.values() if c.txn_id not in present]
        if not new:
            return [], {}
        self._db.executemany(_INSERT_CHANGE, (_change_row(c) for c in new))
        states = dict(current) if current is not None else self.get_many(c.record_id for c in new)
        touched: dict[str, StoredRecord] = {}
        for change in new:
            record = next_state(states.get(change.record_id), change)
            states[change.record_id] = touched[change.record_id] = record
        self._db.executemany(
            f"INSERT OR REPLACE INTO records ({_RECORD_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_record_row(r) for r in touched.values()),
        )
        return new, touched

    def _write(self, r: StoredRecord) -> None:
        self._db.execute(
            f"INSERT OR REPLACE INTO records ({_RECORD_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _record_row(r),
        )

    def history(self, record_ids: Iterable[str]) -> list[Change]:
        ids = list(record_ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self._db.all(
            "SELECT txn_id, hlc, device, user_id, org_id, case_id, entity, record_id, parents,"
            f" fields, deleted FROM changes WHERE record_id IN ({marks}) ORDER BY hlc",
            ids,
        )
        return [
            Change(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                r[7],
                tuple(json.loads(r[8])),
                unpack_json(r[9]),
                bool(r[10]),
            )
            for r in rows
        ]

    def count_by_entity(self) -> dict[str, int]:
        rows = self._db.all(
            "SELECT entity, count(*) FROM records WHERE deleted = 0 GROUP BY entity"
        )
        return {str(e): int(n) for e, n in rows}


class CaseNumbers:
    """Per-prefix, per-year counters. Numbers are never reused: the counter only grows."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def next(self, prefix: str, year: int) -> int:
        self._db.execute(
            "INSERT INTO case_numbers (prefix, year, last) VALUES (?, ?, 1)"
            " ON CONFLICT(prefix, year) DO UPDATE SET last = last + 1",
            (prefix, year),
        )
        return int(
            self._db.scalar(
                "SELECT last FROM case_numbers WHERE prefix = ? AND year = ?", (prefix, year)
            )
        )

    def observe(self, prefix: str, year: int, seq: int) -> None:
        """Keep the counter past a number that arrived from elsewhere (sync, import)."""
        self._db.execute(
            "INSERT INTO case_numbers (prefix, year, last) VALUES (?, ?, ?)"
            " ON CONFLICT(prefix, year) DO UPDATE SET last = max(last, excluded.last)",
            (prefix, year, seq),
        )


@dataclass(frozen=True)
class CaseSummary:
    """One row of the case list, derived from the case's records by the services."""

    case_id: str
    org_id: str
    number: str
    name: str
    sort_name: str
    status: str
    owner_id: str
    risk_level: str
    exploitation: tuple[str, ...]
    nationality: tuple[str, ...]
    gender: str
    opened_on: str
    next_follow_up: str
    deleted: bool = False
    search_exact: str = ""
    search_fuzzy: str = ""


@dataclass(frozen=True)
class CaseQuery:
    text: str | None = None  # an FTS5 MATCH expression (already built from typed text)
    statuses: tuple[str, ...] = ()
    owner_id: str | None = None
    risk_level: str | None = None
    exploitation: str | None = None
    nationality: str | None = None
    follow_up_before: str | None = None  # ISO date: an open follow-up scheduled before it
    sort: str = "number"
    descending: bool = False


SORT_COLUMNS = {
    "number": "ci.number",
    "name": "ci.sort_name",
    "status": "ci.status",
    "owner": "ci.owner_id",
    "risk": "ci.risk_level",
    "opened": "ci.opened_on",
    "follow_up": "ci.next_follow_up",
    "nationality": "ci.nationality",
}

LIST_COLUMNS = (
    "ci.case_id, ci.number, ci.name, ci.status, ci.owner_id, ci.risk_level, ci.exploitation,"
    " ci.nationality, ci.gender, ci.opened_on, ci.next_follow_up, ci.rowid"
)


@dataclass(frozen=True)
class CaseListRow:
    case_id: str
    number: str
    name: str
    status: str
    owner_id: str
    risk_level: str
    exploitation: tuple[str, ...]
    nationality: tuple[str, ...]
    gender: str
    opened_on: str
    next_follow_up: str
    key: int = 0  # the row's place in the index: what the case list keeps per row


def _codes(joined: str) -> tuple[str, ...]:
    return tuple(c for c in joined.split(";") if c)


def _list_row(r: Sequence[Any]) -> CaseListRow:
    return CaseListRow(
        r[0], r[1], r[2], r[3], r[4], r[5], _codes(r[6]), _codes(r[7]), r[8], r[9], r[10], r[11]
    )


def _index_values(s: CaseSummary) -> tuple[Any, ...]:
    """A case's list row, as case_index holds it (after its case id)."""
    return (
        s.org_id,
        s.number,
        s.name,
        s.sort_name,
        s.status,
        s.owner_id,
        s.risk_level,
        f";{';'.join(s.exploitation)};",
        f";{';'.join(s.nationality)};",
        s.gender,
        s.opened_on,
        s.next_follow_up,
        int(s.deleted),
    )


class CaseIndex:
    def __init__(self, db: Database) -> None:
        self._db = db

    def upsert(self, s: CaseSummary) -> None:
        self.upsert_many([s])

    def upsert_many(self, summaries: Sequence[CaseSummary]) -> None:
        """Write the list rows and search tokens of these cases (new or not) in a few
        statements: a sync import refreshes thousands at once."""
        latest = {s.case_id: s for s in summaries}
        rowids = self._rowids(list(latest))
        old = [s for s in latest.values() if s.case_id in rowids]
        new = [s for s in latest.values() if s.case_id not in rowids]
        if old:
            self._db.executemany(
                "UPDATE case_index SET org_id = ?, number = ?, name = ?, sort_name = ?,"
                " status = ?, owner_id = ?, risk_level = ?, exploitation = ?, nationality = ?,"
                " gender = ?, opened_on = ?, next_follow_up = ?, deleted = ? WHERE rowid = ?",
                [(*_index_values(s), rowids[s.case_id]) for s in old],
            )
            self._db.executemany(
                "DELETE FROM case_search WHERE rowid = ?", [(rowids[s.case_id],) for s in old]
            )
        if new:
            self._db.executemany(
                "INSERT INTO case_index (case_id, org_id, number, name, sort_name, status,"
                " owner_id, risk_level, exploitation, nationality, gender, opened_on,"
                " next_follow_up, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(s.case_id, *_index_values(s)) for s in new],
            )
            rowids.update(self._rowids([s.case_id for s in new]))
        self._db.executemany(
            "INSERT INTO case_search (rowid, exact, fuzzy) VALUES (?, ?, ?)",
            [
                (rowids[s.case_id], s.search_exact, s.search_fuzzy)
                for s in latest.values()
                if not s.deleted
            ],
        )

    def _rowids(self, case_ids: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(case_ids), _CHUNK):
            chunk = case_ids[start : start + _CHUNK]
            rows = self._db.all(
                "SELECT case_id, rowid FROM case_index"
                f" WHERE case_id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            found.update((str(r[0]), int(r[1])) for r in rows)
        return found

    def _where(self, q: CaseQuery, *, text: bool = True) -> tuple[str, list[Any]]:
        """The filters as SQL; ``text=False`` leaves the search out (the caller joins
        case_search itself, so the full-text query runs once)."""
        clauses, params = ["ci.deleted = 0"], []  # type: list[str], list[Any]
        if q.text and text:
            clauses.append("ci.rowid IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)")
            params.append(q.text)
        if q.statuses:
            clauses.append(f"ci.status IN ({','.join('?' * len(q.statuses))})")
            params.extend(q.statuses)
        if q.owner_id:
            clauses.append("ci.owner_id = ?")
            params.append(q.owner_id)
        if q.risk_level:
            clauses.append("ci.risk_level = ?")
            params.append(q.risk_level)
        if q.exploitation:
            clauses.append("ci.exploitation LIKE ?")
            params.append(f"%;{q.exploitation};%")
        if q.nationality:
            clauses.append("ci.nationality LIKE ?")
            params.append(f"%;{q.nationality};%")
        if q.follow_up_before:
            clauses.append("ci.next_follow_up != '' AND ci.next_follow_up < ?")
            params.append(q.follow_up_before)
        return " AND ".join(clauses), params

    def count(self, q: CaseQuery) -> int:
        where, params = self._where(q)
        return int(self._db.scalar(f"SELECT count(*) FROM case_index ci WHERE {where}", params))

    def _ordered(self, q: CaseQuery, columns: str) -> tuple[str, list[Any]]:
        if q.text and q.sort == "rank":
            where, params = self._where(q, text=False)
            sql = (
                f"SELECT {columns} FROM case_search JOIN case_index ci"
                " ON ci.rowid = case_search.rowid"
                f" WHERE case_search MATCH ? AND {where}"
                " ORDER BY bm25(case_search, 10.0, 1.0), ci.number"
            )
            return sql, [q.text, *params]
        where, params = self._where(q)
        direction = "DESC" if q.descending else "ASC"
        column = SORT_COLUMNS.get(q.sort, "ci.number")
        sql = (
            f"SELECT {columns} FROM case_index ci WHERE {where}"
            f" ORDER BY {column} {direction}, ci.number {direction}"
        )
        return sql, params

    def page(self, q: CaseQuery, offset: int, limit: int) -> list[CaseListRow]:
        sql, params = self._ordered(q, LIST_COLUMNS)
        rows = self._db.all(sql + " LIMIT ? OFFSET ?", [*params, limit, offset])
        return [_list_row(r) for r in rows]

    def keys(self, q: CaseQuery) -> list[int]:
        """Every matching row's key, in list order: small (an integer a case) and read from
        the indexes alone, so a list of 100k cases can jump to any row without OFFSET."""
        sql, params = self._ordered(q, "ci.rowid")
        return [int(r[0]) for r in self._db.all(sql, params)]

    def rows(self, keys: Sequence[int]) -> list[CaseListRow]:
        """The list rows for these keys, in the same order (rows gone since are left out)."""
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        found = {
            row.key: row
            for row in map(
                _list_row,
                self._db.all(
                    f"SELECT {LIST_COLUMNS} FROM case_index ci WHERE ci.rowid IN ({marks})",
                    list(keys),
                ),
            )
        }
        return [found[k] for k in keys if k in found]

    def get(self, case_id: str) -> CaseListRow | None:
        row = self._db.one(
            f"SELECT {LIST_COLUMNS} FROM case_index ci WHERE case_id = ?", (case_id,)
        )
        return _list_row(row) if row else None


@dataclass(frozen=True)
class FollowUpDue:
    record_id: str
    case_id: str
    owner_id: str
    scheduled_on: str
    number: str
    name: str


class FollowUpIndex:
    def __init__(self, db: Database) -> None:
        self._db = db

    def upsert(
        self, record_id: str, case_id: str, owner_id: str, scheduled: str, done: str
    ) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO follow_up_index VALUES (?, ?, ?, ?, ?)",
            (record_id, case_id, owner_id, scheduled, done),
        )

    def remove(self, record_id: str) -> None:
        self._db.execute("DELETE FROM follow_up_index WHERE record_id = ?", (record_id,))

    def open_until(self, until: str, owner_id: str | None = None) -> list[FollowUpDue]:
        """Follow-ups not done and scheduled on or before ``until`` (ISO date), oldest first."""
        sql = (
            "SELECT f.record_id, f.case_id, f.owner_id, f.scheduled_on, ci.number, ci.name"
            " FROM follow_up_index f JOIN case_index ci ON ci.case_id = f.case_id"
            " WHERE f.done_on = '' AND f.scheduled_on != '' AND f.scheduled_on <= ?"
            " AND ci.deleted = 0 AND ci.status IN ('Active', 'FollowUp')"
        )
        params: list[Any] = [until]
        if owner_id:
            sql += " AND f.owner_id = ?"
            params.append(owner_id)
        rows = self._db.all(sql + " ORDER BY f.scheduled_on, ci.number", params)
        return [FollowUpDue(*(str(v) for v in r)) for r in rows]


class Drafts:
    """Unsaved form contents kept (encrypted, in the database) across a lock."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def save(self, user_id: str, key: str, data: JSON, saved_at: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO drafts VALUES (?, ?, ?, ?)",
            (user_id, key, _dumps(data), saved_at),
        )

    def load(self, user_id: str, key: str) -> JSON | None:
        raw = self._db.scalar(
            "SELECT data FROM drafts WHERE user_id = ? AND key = ?", (user_id, key)
        )
        return json.loads(raw) if raw is not None else None

    def keys(self, user_id: str) -> list[str]:
        return [
            str(r[0]) for r in self._db.all("SELECT key FROM drafts WHERE user_id = ?", (user_id,))
        ]

    def delete(self, user_id: str, key: str) -> None:
        self._db.execute("DELETE FROM drafts WHERE user_id = ? AND key = ?", (user_id, key))
