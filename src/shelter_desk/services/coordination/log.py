"""The coordination log: record, open, list, filter and remove meetings, visits, problem
hotspots and trainings, and find their overdue action items.

Every write checks permission and validates every field at once (nothing is written when any
field is wrong, or when it names an organisation that is neither in the partner directory nor
this installation's own); it is one change-log transaction (so it syncs like a case record)
and one audit event. Opening a record is audited as a view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from shelter_desk.domain import coordination as co
from shelter_desk.domain import rules
from shelter_desk.domain.coordination import ActionItem, CoordinationRecord, Hotspot
from shelter_desk.domain.entities import Organisation
from shelter_desk.domain.errors import NotFound, PermissionDenied, ValidationError
from shelter_desk.domain.serialize import ENTITY_TYPES, from_fields
from shelter_desk.i18n import _
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission
from shelter_desk.services.cases import _write as write_record
from shelter_desk.services.session import Session
from shelter_desk.store.coordination import CoordinationLog
from shelter_desk.store.records import StoredRecord

R = TypeVar("R", bound=CoordinationRecord)
_ORG_FIELDS = {
    co.Meeting.ENTITY: ("participant_org_ids",),
    co.Visit.ENTITY: ("facility_org_id", "visitor_org_ids"),
    co.Hotspot.ENTITY: ("approached_org_ids",),
    co.Training.ENTITY: ("audience_org_id",),
}
_ACTION_FIELDS = {co.Meeting.ENTITY: "action_items", co.Visit.ENTITY: "follow_up_actions"}


@dataclass(frozen=True)
class LogFilter:
    """What the log shows: kinds (entities; none = all), an organisation the record names
    (or that wrote it), a RECORD_STATUS code and a date range (inclusive)."""

    kinds: tuple[str, ...] = ()
    org_id: str = ""
    status: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class LogEntry:
    record: CoordinationRecord
    kind: str
    on: dt.date | None
    title: str
    status: str  # RECORD_STATUS
    org_ids: frozenset[str]


@dataclass(frozen=True)
class OverdueAction:
    record_id: str
    kind: str
    title: str
    action: str
    owner_org_id: str
    due_on: dt.date


def _entity(record: StoredRecord) -> CoordinationRecord:
    return cast(
        CoordinationRecord,
        from_fields(ENTITY_TYPES[record.entity], {**record.data, "id": record.id}),
    )


def _known_orgs(session: Session) -> set[str]:
    return {r.id for r in session.records.of_entity(Organisation.ENTITY)} | {session.org_id}


def _unknown_org_errors(session: Session, record: CoordinationRecord) -> dict[str, str]:
    known = _known_orgs(session)
    message = _("Choose an organisation from the directory.")
    errors: dict[str, str] = {}
    for name in _ORG_FIELDS[record.ENTITY]:
        value: Any = getattr(record, name)
        ids = (value,) if isinstance(value, str) else value
        if any(i and i not in known for i in ids):
            errors[name] = message
    field = _ACTION_FIELDS.get(record.ENTITY)
    items: tuple[ActionItem, ...] = getattr(record, field) if field else ()
    for i, item in enumerate(items):
        if item.owner_org_id and item.owner_org_id not in known:
            errors[f"{field}[{i}].owner_org_id"] = message
    return errors


def _own(session: Session, stored: StoredRecord) -> None:
    """Only the organisation that wrote a record changes it (its partners receive it)."""
    if stored.org_id != session.org_id:
        raise PermissionDenied(
            _("This record belongs to another organisation: only they can change it.")
        )


def save(session: Session, record: R, *, today: dt.date | None = None) -> R:
    """Add or edit a coordination record. A hotspot whose status changed gets a step in its
    history (dated today) without anyone typing it."""
    session.require(Permission.EDIT_CASES)
    today = today or dt.date.today()
    if record.ENTITY not in co.COORDINATION_ENTITIES:
        raise TypeError(f"not a coordination record: {type(record).__name__}")
    stored = session.records.get(record.id) if record.id else None
    if record.id and (stored is None or stored.deleted or stored.entity != record.ENTITY):
        raise NotFound(_("There is no such record."))
    if stored is not None:
        _own(session, stored)
    record.org_id = session.org_id
    if isinstance(record, Hotspot):
        record.history = co.hotspot_history(
            record, cast(Hotspot, _entity(stored)) if stored else None, today
        )
    errors = rules.validate(record, today) | _unknown_org_errors(session, record)
    if errors:
        raise ValidationError(errors)
    with session.db.transaction():
        write_record(session, record, "")
    return record


def get(session: Session, record_id: str) -> CoordinationRecord:
    """One record, to look at or edit (audited as a view)."""
    session.require(Permission.VIEW_CASES)
    stored = session.records.get(record_id)
    if stored is None or stored.deleted or stored.entity not in co.COORDINATION_ENTITIES:
        raise NotFound(_("There is no such record."))
    session.audit(Action.VIEW, stored.entity, record_id)
    return _entity(stored)


def delete(session: Session, record_id: str) -> None:
    """Remove a record from the log (a tombstone: it stays in the change log and syncs)."""
    session.require(Permission.EDIT_CASES)
    stored = session.records.get(record_id)
    if stored is None or stored.deleted or stored.entity not in co.COORDINATION_ENTITIES:
        raise NotFound(_("There is no such record."))
    _own(session, stored)
    with session.db.transaction():
        write_record(session, _entity(stored), "", deleted=True)


def entries(
    session: Session, f: LogFilter = LogFilter(), *, today: dt.date | None = None
) -> list[LogEntry]:
    """The log as filtered, newest first (by the record's date, then as recorded)."""
    session.require(Permission.VIEW_CASES)
    today = today or dt.date.today()
    unknown = [k for k in f.kinds if k not in co.COORDINATION_ENTITIES]
    if unknown:
        raise ValidationError({"kinds": _("Unknown value: {value}").format(value=unknown[0])})
    if f.status and f.status not in co.RECORD_STATUS:
        raise ValidationError({"status": _("Unknown value: {value}").format(value=f.status)})
    if f.date_from and f.date_to and f.date_to < f.date_from:
        raise ValidationError({"date_to": _("The end date is before the start date.")})
    kinds = f.kinds or co.COORDINATION_ENTITIES
    stored = CoordinationLog(session.db).records(
        {k: co.DATE_FIELDS[k] for k in kinds},
        date_from=f.date_from.isoformat() if f.date_from else "",
        date_to=f.date_to.isoformat() if f.date_to else "",
    )
    found: list[LogEntry] = []
    for r in stored:
        record = _entity(r)
        orgs = frozenset(co.organisations_of(record) | {r.org_id})
        status = co.status_of(record, today)
        if f.org_id and f.org_id not in orgs:
            continue
        if f.status and status != f.status:
            continue
        found.append(
            LogEntry(record, r.entity, co.date_of(record), co.title_of(record), status, orgs)
        )
    found.sort(key=lambda e: e.on or dt.date.min, reverse=True)
    return found


def overdue_actions(session: Session, *, today: dt.date | None = None) -> list[OverdueAction]:
    """Action items of meetings and visits not done by their due date, oldest first."""
    session.require(Permission.VIEW_CASES)
    today = today or dt.date.today()
    overdue = [
        OverdueAction(e.record.id, e.kind, e.title, i.action, i.owner_org_id, i.due_on)
        for e in entries(session, LogFilter(kinds=tuple(_ACTION_FIELDS)), today=today)
        for i in co.action_items(e.record)
        if i.due_on is not None and co.is_overdue(i, today)
    ]
    return sorted(overdue, key=lambda o: (o.due_on, o.title))
