"""Sync bookkeeping: partners, the bundle log, what each partner acknowledged, quarantined
bundles and the conflict queue (tables of migration 3), and the change-log reads that
choosing a bundle's contents needs.

Nothing here decides what a partner may receive; that is ``services.exchange``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from shelter_desk.store.compact import unpack_json
from shelter_desk.store.db import Database
from shelter_desk.store.records import Change

_CHANGE_COLUMNS = (
    "txn_id, hlc, device, user_id, org_id, case_id, entity, record_id, parents, fields, deleted"
)
_CHUNK = 500  # ids per IN (...) query, well under SQLite's variable limit


def _change(r: Sequence[Any]) -> Change:
    return Change(
        txn_id=r[0],
        hlc=r[1],
        device=r[2],
        user_id=r[3],
        org_id=r[4],
        case_id=r[5],
        entity=r[6],
        record_id=r[7],
        parents=tuple(json.loads(r[8])),
        fields=unpack_json(r[9]),
        deleted=bool(r[10]),
    )


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


@dataclass(frozen=True)
class PartnerRow:
    key_id: str
    card: bytes
    fingerprint: str
    organisation: str
    country: str
    role: str
    org_id: str
    trusted_at: str
    trusted_by: str
    revoked_at: str
    revoked_by: str


_PARTNER_COLUMNS = (
    "key_id, card, fingerprint, organisation, country, role, org_id, trusted_at, trusted_by,"
    " revoked_at, revoked_by"
)


def _partner(r: Sequence[Any]) -> PartnerRow:
    return PartnerRow(
        str(r[0]),
        bytes(r[1]),
        *(str(v) for v in r[2:]),
    )


@dataclass(frozen=True)
class BundleLogRow:
    bundle_hash: str
    bundle_id: str
    partner_key_id: str
    direction: str  # "sent" or "received"
    seq: int
    previous_hash: str
    at: str
    user_id: str
    size: int
    transactions: int
    new_transactions: int = 0
    cases: int = 0
    acknowledgements: int = 0
    conflicts: int = 0
    gap_before: int = 0
    chain_broken: bool = False
    future_clocks: tuple[str, ...] = ()  # transaction ids stamped too far in the future
    acknowledged_at: str = ""
    # Sent bundles: every transaction that had arrived here up to this point of
    # ``change_arrivals`` was considered for it (0: unknown, the next export reads everything).
    arrivals_mark: int = 0


_BUNDLE_COLUMNS = (
    "bundle_hash, bundle_id, partner_key_id, direction, seq, previous_hash, at, user_id, size,"
    " transactions, new_transactions, cases, acknowledgements, conflicts, gap_before,"
    " chain_broken, future_clocks, acknowledged_at, arrivals_mark"
)


def _bundle(r: Sequence[Any]) -> BundleLogRow:
    return BundleLogRow(
        bundle_hash=r[0],
        bundle_id=r[1],
        partner_key_id=r[2],
        direction=r[3],
        seq=int(r[4]),
        previous_hash=r[5],
        at=r[6],
        user_id=r[7],
        size=int(r[8]),
        transactions=int(r[9]),
        new_transactions=int(r[10]),
        cases=int(r[11]),
        acknowledgements=int(r[12]),
        conflicts=int(r[13]),
        gap_before=int(r[14]),
        chain_broken=bool(r[15]),
        future_clocks=tuple(json.loads(r[16])),
        acknowledged_at=r[17],
        arrivals_mark=int(r[18]),
    )


@dataclass(frozen=True)
class QuarantineRow:
    id: int
    bundle_hash: str
    reason: str
    sender_key_id: str
    size: int
    at: str
    user_id: str


@dataclass(frozen=True)
class ConflictRow:
    id: str
    record_id: str
    entity: str
    case_id: str
    field: str
    local_value: Any
    local_hlc: str
    local_user: str
    local_device: str
    local_txn: str
    remote_value: Any
    remote_hlc: str
    remote_user: str
    remote_device: str
    remote_txn: str
    detected_at: str
    status: str = "open"
    resolved_by: str = ""
    resolved_at: str = ""
    resolution_txn: str = ""


_CONFLICT_COLUMNS = (
    "id, record_id, entity, case_id, field, local_value, local_hlc, local_user, local_device,"
    " local_txn, remote_value, remote_hlc, remote_user, remote_device, remote_txn, detected_at,"
    " status, resolved_by, resolved_at, resolution_txn"
)


def _conflict(r: Sequence[Any]) -> ConflictRow:
    values = list(r)
    values[5] = json.loads(values[5])
    values[10] = json.loads(values[10])
    return ConflictRow(*values)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class ExchangeState:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- partners ------------------------------------------------------------------
    def partner(self, key_id: str) -> PartnerRow | None:
        row = self._db.one(
            f"SELECT {_PARTNER_COLUMNS} FROM sync_partners WHERE key_id = ?", (key_id,)
        )
        return _partner(row) if row else None

    def partners(self) -> list[PartnerRow]:
        rows = self._db.all(
            f"SELECT {_PARTNER_COLUMNS} FROM sync_partners ORDER BY organisation, key_id"
        )
        return [_partner(r) for r in rows]

    def partner_by_org(self, org_id: str) -> PartnerRow | None:
        row = self._db.one(
            f"SELECT {_PARTNER_COLUMNS} FROM sync_partners WHERE org_id = ? AND org_id != ''"
            " AND revoked_at = '' LIMIT 1",
            (org_id,),
        )
        return _partner(row) if row else None

    def save_partner(self, p: PartnerRow) -> None:
        self._db.execute(
            f"INSERT OR REPLACE INTO sync_partners ({_PARTNER_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                p.key_id,
                p.card,
                p.fingerprint,
                p.organisation,
                p.country,
                p.role,
                p.org_id,
                p.trusted_at,
                p.trusted_by,
                p.revoked_at,
                p.revoked_by,
            ),
        )

    def set_partner_org(self, key_id: str, org_id: str) -> None:
        self._db.execute("UPDATE sync_partners SET org_id = ? WHERE key_id = ?", (org_id, key_id))

    def revoke_partner(self, key_id: str, at: str, by: str) -> None:
        self._db.execute(
            "UPDATE sync_partners SET revoked_at = ?, revoked_by = ? WHERE key_id = ?",
            (at, by, key_id),
        )

    # -- bundle log ----------------------------------------------------------------
    def log_bundle(self, b: BundleLogRow) -> None:
        self._db.execute(
            f"INSERT INTO sync_bundles ({_BUNDLE_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                b.bundle_hash,
                b.bundle_id,
                b.partner_key_id,
                b.direction,
                b.seq,
                b.previous_hash,
                b.at,
                b.user_id,
                b.size,
                b.transactions,
                b.new_transactions,
                b.cases,
                b.acknowledgements,
                b.conflicts,
                b.gap_before,
                int(b.chain_broken),
                _dumps(list(b.future_clocks)),
                b.acknowledged_at,
                b.arrivals_mark,
            ),
        )

    def bundle(self, bundle_hash: str) -> BundleLogRow | None:
        row = self._db.one(
            f"SELECT {_BUNDLE_COLUMNS} FROM sync_bundles WHERE bundle_hash = ?", (bundle_hash,)
        )
        return _bundle(row) if row else None

    def bundles(
        self, partner_key_id: str | None = None, direction: str | None = None
    ) -> list[BundleLogRow]:
        """The bundle log, newest first."""
        clauses, params = [], []  # type: list[str], list[Any]
        if partner_key_id is not None:
            clauses.append("partner_key_id = ?")
            params.append(partner_key_id)
        if direction is not None:
            clauses.append("direction = ?")
            params.append(direction)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._db.all(
            f"SELECT {_BUNDLE_COLUMNS} FROM sync_bundles{where} ORDER BY at DESC, seq DESC",
            params,
        )
        return [_bundle(r) for r in rows]

    def last_sent(self, partner_key_id: str) -> BundleLogRow | None:
        row = self._db.one(
            f"SELECT {_BUNDLE_COLUMNS} FROM sync_bundles WHERE partner_key_id = ?"
            " AND direction = 'sent' ORDER BY seq DESC LIMIT 1",
            (partner_key_id,),
        )
        return _bundle(row) if row else None

    def received_seqs(self, partner_key_id: str) -> dict[int, str]:
        """Sequence number -> hash of every bundle applied from this partner."""
        rows = self._db.all(
            "SELECT seq, bundle_hash FROM sync_bundles WHERE partner_key_id = ?"
            " AND direction = 'received' ORDER BY seq",
            (partner_key_id,),
        )
        return {int(s): str(h) for s, h in rows}

    def record_sent_txns(self, bundle_hash: str, txn_ids: Iterable[str]) -> None:
        self._db.executemany(
            "INSERT OR IGNORE INTO sync_bundle_txns (bundle_hash, txn_id) VALUES (?, ?)",
            ((bundle_hash, t) for t in txn_ids),
        )

    def acknowledge(self, partner_key_id: str, seq: int, bundle_hash: str, at: str) -> bool:
        """Mark a bundle sent to this partner as received by it; its transactions will not
        be sent again. False if no such unacknowledged bundle was sent."""
        found = self._db.scalar(
            "SELECT 1 FROM sync_bundles WHERE bundle_hash = ? AND partner_key_id = ?"
            " AND direction = 'sent' AND seq = ? AND acknowledged_at = ''",
            (bundle_hash, partner_key_id, seq),
        )
        if not found:
            return False
        self._db.execute(
            "UPDATE sync_bundles SET acknowledged_at = ? WHERE bundle_hash = ?", (at, bundle_hash)
        )
        self._db.execute(
            "INSERT OR IGNORE INTO sync_acknowledged (partner_key_id, txn_id)"
            " SELECT ?, txn_id FROM sync_bundle_txns WHERE bundle_hash = ?",
            (partner_key_id, bundle_hash),
        )
        self._db.execute("DELETE FROM sync_bundle_txns WHERE bundle_hash = ?", (bundle_hash,))
        return True

    def acknowledged_among(self, partner_key_id: str, txn_ids: Iterable[str]) -> set[str]:
        """Which of these (sent) transaction ids the partner acknowledged."""
        found: set[str] = set()
        for chunk in _chunks(sorted(set(txn_ids))):
            marks = ",".join("?" * len(chunk))
            rows = self._db.all(
                f"SELECT txn_id FROM sync_acknowledged WHERE partner_key_id = ?"
                f" AND txn_id IN ({marks})",
                [partner_key_id, *chunk],
            )
            found.update(str(r[0]) for r in rows)
        return found

    def acknowledged_mark(self, partner_key_id: str) -> int:
        """The arrivals mark of the newest bundle this partner acknowledged (0: none). Every
        transaction chosen for that bundle or an earlier one is acknowledged by then, since a
        bundle carries everything chosen and not yet acknowledged."""
        value = self._db.scalar(
            "SELECT max(arrivals_mark) FROM sync_bundles WHERE partner_key_id = ?"
            " AND direction = 'sent' AND acknowledged_at != ''",
            (partner_key_id,),
        )
        return int(value or 0)

    def forget_arrival_marks(self) -> None:
        """Make the next export to every partner consider the whole change log."""
        self._db.execute("UPDATE sync_bundles SET arrivals_mark = 0 WHERE arrivals_mark != 0")

    # -- the order of arrival in the change log (migration 9) ----------------------
    def arrivals_mark(self) -> int:
        """How far ``change_arrivals`` reaches now."""
        return int(self._db.scalar("SELECT coalesce(max(n), 0) FROM change_arrivals"))

    def cases_arrived_since(self, mark: int) -> set[str]:
        """The cases where a transaction arrived after ``mark``."""
        rows = self._db.all(
            "SELECT DISTINCT case_id FROM change_arrivals WHERE n > ? AND case_id != ''",
            (mark,),
        )
        return {str(r[0]) for r in rows}

    # -- quarantine ----------------------------------------------------------------
    def quarantine(
        self,
        bundle_hash: str,
        reason: str,
        sender_key_id: str,
        size: int,
        at: str,
        user_id: str,
        *,
        keep: int,
    ) -> bool:
        """Remember a refused file once (a file refused again adds nothing) and keep only
        the newest ``keep`` entries. False when the file was already there."""
        cur = self._db.execute(
            "INSERT INTO sync_quarantine (bundle_hash, reason, sender_key_id, size, at, user_id)"
            " SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS"
            " (SELECT 1 FROM sync_quarantine WHERE bundle_hash = ?)",
            (bundle_hash, reason, sender_key_id, size, at, user_id, bundle_hash),
        )
        self._db.execute(
            "DELETE FROM sync_quarantine WHERE id NOT IN"
            " (SELECT id FROM sync_quarantine ORDER BY id DESC LIMIT ?)",
            (keep,),
        )
        return bool(cur.rowcount)

    def quarantined(self) -> list[QuarantineRow]:
        rows = self._db.all(
            "SELECT id, bundle_hash, reason, sender_key_id, size, at, user_id"
            " FROM sync_quarantine ORDER BY id DESC"
        )
        return [QuarantineRow(int(r[0]), r[1], r[2], r[3], int(r[4]), r[5], r[6]) for r in rows]

    # -- conflicts -----------------------------------------------------------------
    def add_conflict(self, c: ConflictRow) -> bool:
        """Queue a conflict; False if the same pair of writes is already queued."""
        cur = self._db.execute(
            f"INSERT INTO sync_conflicts ({_CONFLICT_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(record_id, field, local_txn, remote_txn) DO NOTHING",
            (
                c.id,
                c.record_id,
                c.entity,
                c.case_id,
                c.field,
                _dumps(c.local_value),
                c.local_hlc,
                c.local_user,
                c.local_device,
                c.local_txn,
                _dumps(c.remote_value),
                c.remote_hlc,
                c.remote_user,
                c.remote_device,
                c.remote_txn,
                c.detected_at,
                c.status,
                c.resolved_by,
                c.resolved_at,
                c.resolution_txn,
            ),
        )
        return bool(cur.rowcount)

    def conflict(self, conflict_id: str) -> ConflictRow | None:
        row = self._db.one(
            f"SELECT {_CONFLICT_COLUMNS} FROM sync_conflicts WHERE id = ?", (conflict_id,)
        )
        return _conflict(row) if row else None

    def conflicts(self, *, status: str | None = "open") -> list[ConflictRow]:
        sql = f"SELECT {_CONFLICT_COLUMNS} FROM sync_conflicts"
        params: tuple[str, ...] = ()
        if status is not None:
            sql += " WHERE status = ?"
            params = (status,)
        return [_conflict(r) for r in self._db.all(sql + " ORDER BY detected_at, id", params)]

    def open_conflicts_for(self, record_id: str, field: str) -> list[ConflictRow]:
        rows = self._db.all(
            f"SELECT {_CONFLICT_COLUMNS} FROM sync_conflicts WHERE status = 'open'"
            " AND record_id = ? AND field = ?",
            (record_id, field),
        )
        return [_conflict(r) for r in rows]

    def resolve_conflict(self, conflict_id: str, by: str, at: str, txn_id: str) -> None:
        self._db.execute(
            "UPDATE sync_conflicts SET status = 'resolved', resolved_by = ?, resolved_at = ?,"
            " resolution_txn = ? WHERE id = ?",
            (by, at, txn_id, conflict_id),
        )

    # -- reading the change log for export -----------------------------------------
    def changes_by(self, org_id: str, device: str) -> list[Change]:
        """Transactions written on ``device`` to records owned by ``org_id``."""
        rows = self._db.all(
            f"SELECT {_CHANGE_COLUMNS} FROM changes WHERE org_id = ? AND device = ? ORDER BY hlc",
            (org_id, device),
        )
        return [_change(r) for r in rows]

    def changes_of_entity(self, entity: str, org_id: str) -> list[Change]:
        rows = self._db.all(
            f"SELECT {_CHANGE_COLUMNS} FROM changes WHERE entity = ? AND org_id = ? ORDER BY hlc",
            (entity, org_id),
        )
        return [_change(r) for r in rows]

    def changes_of_records(self, record_ids: Iterable[str]) -> list[Change]:
        ids = sorted(set(record_ids))
        found: list[Change] = []
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            rows = self._db.all(
                f"SELECT {_CHANGE_COLUMNS} FROM changes WHERE record_id IN ({marks})", chunk
            )
            found.extend(_change(r) for r in rows)
        found.sort(key=lambda c: (c.hlc, c.txn_id))
        return found

    def changes_at(self, record_id: str, hlc: str) -> list[Change]:
        rows = self._db.all(
            f"SELECT {_CHANGE_COLUMNS} FROM changes WHERE record_id = ? AND hlc = ?",
            (record_id, hlc),
        )
        return [_change(r) for r in rows]

    def parents_of_record(self, record_id: str) -> dict[str, tuple[str, ...]]:
        rows = self._db.all("SELECT txn_id, parents FROM changes WHERE record_id = ?", (record_id,))
        return {str(t): tuple(json.loads(p)) for t, p in rows}

    def existing_txns(self, txn_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(list(txn_ids)):
            marks = ",".join("?" * len(chunk))
            rows = self._db.all(f"SELECT txn_id FROM changes WHERE txn_id IN ({marks})", chunk)
            found.update(str(r[0]) for r in rows)
        return found

    def current_fields(
        self, entity: str, case_ids: Iterable[str] | None = None
    ) -> dict[str, tuple[str, str, dict[str, Any]]]:
        """record id -> (org_id, case_id, data) of every record of ``entity``, deleted or not
        (only those of these cases, when given)."""
        sql = "SELECT id, org_id, case_id, data FROM records WHERE entity = ?"
        if case_ids is None:
            rows = self._db.all(sql, (entity,))
        else:
            rows = []
            for chunk in _chunks(sorted(set(case_ids))):
                marks = ",".join("?" * len(chunk))
                rows += self._db.all(f"{sql} AND case_id IN ({marks})", [entity, *chunk])
        return {str(r[0]): (str(r[1]), str(r[2]), json.loads(r[3])) for r in rows}

    def changes_of_cases(self, case_ids: Iterable[str]) -> list[Change]:
        """Every transaction of every record of these cases, oldest first."""
        ids: list[str] = []
        for chunk in _chunks(sorted(set(case_ids))):
            marks = ",".join("?" * len(chunk))
            rows = self._db.all(f"SELECT id FROM records WHERE case_id IN ({marks})", chunk)
            ids.extend(str(r[0]) for r in rows)
        return self.changes_of_records(ids)

    def records_of_cases(self, case_ids: Iterable[str], entities: Sequence[str]) -> list[str]:
        """Ids of the records of these entities in these cases."""
        ids = sorted(set(case_ids))
        ents = list(entities)
        found: list[str] = []
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            emarks = ",".join("?" * len(ents))
            rows = self._db.all(
                f"SELECT id FROM records WHERE case_id IN ({marks}) AND entity IN ({emarks})",
                [*chunk, *ents],
            )
            found.extend(str(r[0]) for r in rows)
        return found

    def cases_by_organisation(self) -> dict[str, int]:
        rows = self._db.all(
            "SELECT org_id, count(*) FROM case_index WHERE deleted = 0 GROUP BY org_id"
        )
        return {str(k): int(n) for k, n in rows}

    def change_count(self) -> int:
        return int(self._db.scalar("SELECT count(*) FROM changes"))
