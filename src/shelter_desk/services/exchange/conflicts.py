"""The conflict queue: concurrent writes of safety-critical fields and their resolution."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from shelter_desk.domain import rules
from shelter_desk.domain.errors import (
    NotFound,
    ValidationError,
)
from shelter_desk.domain.serialize import ENTITY_TYPES, from_fields
from shelter_desk.i18n import _
from shelter_desk.security.permissions import Permission
from shelter_desk.services import cases
from shelter_desk.services.exchange.common import (
    AUDIT_CONFLICT_RESOLVE,
    now_iso,
    state_of,
)
from shelter_desk.services.session import Session
from shelter_desk.store.exchange_state import (
    ConflictRow,
)
from shelter_desk.store.records import Change
from shelter_desk.sync.hlc import Timestamp


@dataclasses.dataclass(frozen=True)
class ConflictView:
    """One entry of the conflict queue: both values with who and when."""

    id: str
    record_id: str
    entity: str
    case_id: str
    case_number: str
    field: str
    local_value: Any
    local_at: str  # ISO time from the clock
    local_user: str
    local_device: str
    remote_value: Any
    remote_at: str
    remote_user: str
    remote_device: str
    status: str
    resolved_by: str
    resolved_at: str


def _clock_time(hlc: str) -> str:
    try:
        stamp = Timestamp.decode(hlc)
    except ValueError:
        return ""
    return dt.datetime.fromtimestamp(stamp.wall_ms / 1000, dt.UTC).isoformat(timespec="seconds")


def conflict_view(session: Session, row: ConflictRow) -> ConflictView:
    index_row = session.case_index.get(row.case_id) if row.case_id else None
    return ConflictView(
        id=row.id,
        record_id=row.record_id,
        entity=row.entity,
        case_id=row.case_id,
        case_number=index_row.number if index_row else "",
        field=row.field,
        local_value=row.local_value,
        local_at=_clock_time(row.local_hlc),
        local_user=row.local_user,
        local_device=row.local_device,
        remote_value=row.remote_value,
        remote_at=_clock_time(row.remote_hlc),
        remote_user=row.remote_user,
        remote_device=row.remote_device,
        status=row.status,
        resolved_by=row.resolved_by,
        resolved_at=row.resolved_at,
    )


def conflicts(session: Session, *, include_resolved: bool = False) -> list[ConflictView]:
    """The conflict queue (open conflicts, oldest first)."""
    session.require(Permission.VIEW_CASES)
    rows = state_of(session).conflicts(status=None if include_resolved else "open")
    return [conflict_view(session, r) for r in rows]


def resolve_conflict(
    session: Session, conflict_id: str, chosen_value: Any, *, today: dt.date | None = None
) -> ConflictView:
    """Settle a conflict with the value a supervisor chose (either side's, or a combination):
    a new transaction, made after both conflicting writes, so it wins everywhere."""
    session.require(Permission.RESOLVE_CONFLICTS)
    state = state_of(session)
    row = state.conflict(conflict_id)
    if row is None:
        raise NotFound(_("There is no such conflict."))
    if row.status != "open":
        raise ValidationError({"conflict": _("This conflict was already resolved.")})
    stored = session.records.get(row.record_id)
    if stored is None:
        raise NotFound(_("There is no such record."))
    entity: Any = from_fields(ENTITY_TYPES[row.entity], {**stored.data, row.field: chosen_value})
    errors = rules.validate(entity, today or dt.date.today())
    if row.field in errors:
        raise ValidationError({row.field: errors[row.field]})
    last = session.records.last_txn(row.record_id)
    parents = tuple(dict.fromkeys(p for p in (row.local_txn, row.remote_txn, last) if p))
    change = Change(
        txn_id=cases.new_id(),
        hlc=session.tick(),
        device=session.device_id,
        user_id=session.user.id,
        org_id=stored.org_id,
        case_id=stored.case_id,
        entity=row.entity,
        record_id=row.record_id,
        parents=parents,
        fields={row.field: chosen_value},
    )
    with session.db.transaction():
        session.records.apply(change)
        at = now_iso()
        for other in state.open_conflicts_for(row.record_id, row.field):
            state.resolve_conflict(other.id, session.user.id, at, change.txn_id)
        if stored.case_id:
            cases.refresh_index(session, cases._read_case_file(session, stored.case_id))
        session.audit(AUDIT_CONFLICT_RESOLVE, row.entity, row.record_id)
    resolved = state.conflict(conflict_id)
    assert resolved is not None
    return conflict_view(session, resolved)
