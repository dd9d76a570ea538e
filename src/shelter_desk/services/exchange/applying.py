"""Applying checked transactions: the change log, conflict detection on safety-critical
fields and the case list."""

from __future__ import annotations

import dataclasses
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from shelter_desk.domain import rules
from shelter_desk.domain.entities import Case, Organisation
from shelter_desk.domain.serialize import ENTITY_TYPES
from shelter_desk.services import cases
from shelter_desk.services.exchange.checks import Decoded
from shelter_desk.services.exchange.common import (
    Progress,
    invalid,
    now_iso,
    part_of,
)
from shelter_desk.services.session import Session
from shelter_desk.store.exchange_state import (
    ConflictRow,
    ExchangeState,
    PartnerRow,
)
from shelter_desk.store.records import Change, StoredRecord
from shelter_desk.sync.identity import PartnerRole

APPLY_BATCH = 5000  # transactions written per step (between progress reports)
REFRESH_BATCH = 1000  # cases whose list rows are written at once


@dataclasses.dataclass
class Applied:
    new: int = 0
    cases: set[str] = dataclasses.field(default_factory=set)
    entities: Counter[str] = dataclasses.field(default_factory=Counter)
    conflicts: list[ConflictRow] = dataclasses.field(default_factory=list)
    records: dict[str, StoredRecord] = dataclasses.field(default_factory=dict)  # as now


def apply_changes(
    session: Session,
    state: ExchangeState,
    changes: list[Change],
    before: Mapping[str, StoredRecord],
    progress: Progress | None,
    decoded: Decoded,
) -> Applied:
    """Write the new transactions and the records they change, queue and settle conflicts,
    and refresh the touched cases' list rows; ``decoded`` keeps the entities it decodes for
    the rule checks that follow."""
    result = Applied()
    bundle_parents: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
    for c in changes:
        bundle_parents[c.record_id][c.txn_id] = c.parents
    present = state.existing_txns([c.txn_id for c in changes])
    found = _detect_conflicts(
        state, [c for c in changes if c.txn_id not in present], before, bundle_parents
    )
    new: list[Change] = []
    current = dict(before)
    for start in range(0, len(changes), APPLY_BATCH):
        if progress is not None:
            progress(start, 2 * len(changes))  # the first half: the change log and records
        fresh, touched = session.records.apply_batch(changes[start : start + APPLY_BATCH], current)
        new += fresh
        current.update(touched)
        result.records.update(touched)
    result.new = len(new)
    for c in new:
        result.entities[c.entity] += 1
        if c.case_id:
            result.cases.add(c.case_id)
        if c.entity == "follow_up" and c.deleted:
            session.follow_up_index.remove(c.record_id)
    for row in found:
        if state.add_conflict(row):
            result.conflicts.append(row)
    open_pairs = {(r.record_id, r.field) for r in state.conflicts()}
    in_conflict = {record_id for record_id, _field in open_pairs}
    for c in new:
        if c.record_id in in_conflict and any((c.record_id, f) in open_pairs for f in c.fields):
            _settle_conflicts(state, c, bundle_parents[c.record_id])
    _refresh_cases(
        session,
        state,
        result.cases,
        (result.records, current),
        decoded,
        part_of(progress, 0.5, 1.0),
    )
    return result


def _refresh_cases(
    session: Session,
    state: ExchangeState,
    case_ids: set[str],
    records: tuple[Mapping[str, StoredRecord], Mapping[str, StoredRecord]],
    decoded: Decoded,
    progress: Progress | None,
) -> None:
    """Bring the case list of every touched case up to date. Decoding each record into its
    entity also proves every field decodes; a change that does not is refused.

    ``records``: those the bundle wrote, and every record read or written by the import as
    it now is; the cases' other records are read from the store."""
    written, held = records
    checked: set[str] = set()
    try:
        by_case = _live_records(session, state, case_ids, held)
        files: list[cases.CaseFile] = []
        for index, records_of_case in enumerate(by_case.values(), 1):
            cf = _case_file(records_of_case, decoded)
            checked.update(r.id for r in records_of_case)
            if cf is not None:
                files.append(cf)
                _observe_case_number(session, cf.case)
            if len(files) == REFRESH_BATCH or index == len(by_case):
                cases.refresh_indexes(session, files)
                files = []
                if progress is not None:
                    progress(index, len(by_case))
        for record_id, record in written.items():
            if record_id not in checked:
                decoded.entity(record)
    except (ValueError, TypeError, AttributeError, KeyError):
        raise invalid() from None


def _live_records(
    session: Session, state: ExchangeState, case_ids: set[str], held: Mapping[str, StoredRecord]
) -> dict[str, list[StoredRecord]]:
    """case id -> its records that are not deleted, oldest first (as ``Records.for_case``
    gives them), those in ``held`` (the import just read or wrote them) taken from there
    rather than read and decoded again."""
    ids = state.records_of_cases(case_ids, list(ENTITY_TYPES))
    others = session.records.get_many(rid for rid in ids if rid not in held)
    found: dict[str, list[StoredRecord]] = {cid: [] for cid in sorted(case_ids)}
    for rid in ids:
        record = held[rid] if rid in held else others[rid]
        if not record.deleted:
            found[record.case_id].append(record)
    for records in found.values():
        records.sort(key=lambda r: r.created_at)
    return found


def _case_file(records: list[StoredRecord], decoded: Decoded) -> cases.CaseFile | None:
    """A case file from its records (as cases._read_case_file builds it), None while its
    case or person record has not arrived."""
    cf = cases.case_file_from(records, decoded.entity)
    if cf is None:  # still check that what arrived decodes
        for r in records:
            decoded.entity(r)
    return cf


def _observe_case_number(session: Session, case: Case) -> None:
    if case.org_id != session.org_id:
        return
    number = rules.parse_case_number(case.number)
    if number is not None:
        session.case_numbers.observe(number.prefix, number.year, number.sequence)


def _ancestors(start: Iterable[str], parents: Mapping[str, tuple[str, ...]]) -> set[str]:
    seen: set[str] = set()
    todo = list(start)
    while todo:
        txn = todo.pop()
        if txn in seen:
            continue
        seen.add(txn)
        todo.extend(parents.get(txn, ()))
    return seen


def _detect_conflicts(
    state: ExchangeState,
    new: list[Change],
    before: Mapping[str, StoredRecord],
    bundle_parents: Mapping[str, Mapping[str, tuple[str, ...]]],
) -> list[ConflictRow]:
    """Concurrent writes of a safety-critical field: for each such field of a record that
    was here before the bundle, the bundle's latest write of it against the write that set
    the local value, when neither caused the other."""
    heads: dict[tuple[str, str], Change] = {}
    for c in new:
        if c.record_id not in before:
            continue
        declared: frozenset[str] = getattr(ENTITY_TYPES[c.entity], "SAFETY_CRITICAL", frozenset())
        for name in declared & c.fields.keys():
            head = heads.get((c.record_id, name))
            if head is None or (c.hlc, c.txn_id) > (head.hlc, head.txn_id):
                heads[(c.record_id, name)] = c
    found: list[ConflictRow] = []
    for (record_id, name), change in sorted(heads.items()):
        current = before[record_id]
        local_hlc = current.clocks.get(name, "")
        if not local_hlc or local_hlc == change.hlc:
            continue
        if current.data.get(name) == change.fields[name]:
            continue
        writers = [c for c in state.changes_at(record_id, local_hlc) if name in c.fields]
        if not writers:
            continue
        local = writers[0]
        parents = {**state.parents_of_record(record_id), **bundle_parents.get(record_id, {})}
        if local.txn_id in _ancestors(change.parents, parents):
            continue
        if change.txn_id in _ancestors(local.parents, parents):
            continue
        found.append(
            ConflictRow(
                id=str(uuid.uuid4()),
                record_id=record_id,
                entity=change.entity,
                case_id=current.case_id,
                field=name,
                local_value=current.data.get(name),
                local_hlc=local_hlc,
                local_user=local.user_id,
                local_device=local.device,
                local_txn=local.txn_id,
                remote_value=change.fields[name],
                remote_hlc=change.hlc,
                remote_user=change.user_id,
                remote_device=change.device,
                remote_txn=change.txn_id,
                detected_at=now_iso(),
            )
        )
    return found


def _settle_conflicts(
    state: ExchangeState, change: Change, in_bundle: Mapping[str, tuple[str, ...]]
) -> None:
    """A change made after both sides of a queued conflict (a resolution made elsewhere)
    settles it here too."""
    parents = {**state.parents_of_record(change.record_id), **in_bundle}
    before = _ancestors(change.parents, parents)
    for name in change.fields:
        for row in state.open_conflicts_for(change.record_id, name):
            if row.local_txn in before and row.remote_txn in before:
                state.resolve_conflict(row.id, change.user_id, now_iso(), change.txn_id)


def learn_partner_org(
    session: Session, state: ExchangeState, partner: PartnerRow, org_id: str
) -> None:
    """Pin the partner's organisation id; a coordinator adds it to its partner directory."""
    state.set_partner_org(partner.key_id, org_id)
    if session.installation_role != PartnerRole.COORDINATOR.value:
        return
    if session.records.get(org_id) is not None:
        return
    entry = Organisation(
        id=org_id,
        org_id=session.org_id,
        name=partner.organisation,
        country=partner.country,
    )
    cases._write(session, entry, "")
