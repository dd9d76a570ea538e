"""A case's history for people to read: who looked at it and who changed what, when.

Built from two sources kept by other parts: the change log (every save of every record of
the case, with the fields it wrote) and the audit log (views, prints, exports and consent
overrides). Only ids, field names and action codes come out; the values stay in the records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shelter_desk.domain import codes
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission
from shelter_desk.services.session import Session
from shelter_desk.store.records import Change
from shelter_desk.sync.hlc import Timestamp

# What one entry says happened.
VIEWED, ADDED, CHANGED, REMOVED = "view", "create", "edit", "delete"
CLOSED, REOPENED, STATUS_DECIDED = "close", "reopen", "decide_status"
PRINTED, EXPORTED, CONSENT_OVERRIDDEN = "print", "export", "consent_override"

_AUDITED_ACTIONS = {
    str(Action.VIEW): VIEWED,
    str(Action.PRINT): PRINTED,
    str(Action.EXPORT): EXPORTED,
    str(Action.CONSENT_OVERRIDE): CONSENT_OVERRIDDEN,
}
# Links and bookkeeping every record carries; a change to them says nothing to a person.
_PLUMBING_FIELDS = frozenset({"id", "org_id", "case_id", "person_id"})


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime  # UTC
    user_id: str
    action: str  # one of the constants above
    entity: str  # the record's entity name ("person", "case"...)
    fields: tuple[str, ...] = ()  # the fields a change wrote (for CHANGED)


def user_names(session: Session) -> dict[str, str]:
    """Every account's name to show (display name, else user name), by user id."""
    session.require(Permission.VIEW_CASES)
    return {u.id: u.display_name or u.username for u in session.users.all()}


def case_history(session: Session, case_id: str) -> list[HistoryEntry]:
    """Everything that happened to one case, newest first."""
    session.require(Permission.VIEW_CASES)
    records = session.records.for_case(case_id, include_deleted=True)
    entries = _changes(session.records.history(r.id for r in records))
    watched = [("case", case_id)] + [(r.entity, r.id) for r in records]
    for entity, record_id in watched:
        for event in session.audit_log.for_object(entity, record_id):
            action = _AUDITED_ACTIONS.get(event.action)
            if action is not None:
                entries.append(
                    HistoryEntry(_parse_utc(event.at), event.user_id, action, event.object_type)
                )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def _changes(changes: list[Change]) -> list[HistoryEntry]:
    seen: set[str] = set()
    entries = []
    for change in changes:  # oldest first: the first change of a record added it
        at = dt.datetime.fromtimestamp(Timestamp.decode(change.hlc).wall_ms / 1000, dt.UTC)
        first = change.record_id not in seen
        seen.add(change.record_id)
        fields = tuple(sorted(set(change.fields) - _PLUMBING_FIELDS))
        entries.append(
            HistoryEntry(at, change.user_id, _change_action(change, first), change.entity, fields)
        )
    return entries


def _change_action(change: Change, first: bool) -> str:
    if change.deleted:
        return REMOVED
    if first:
        return ADDED
    if change.entity == "case":
        status = change.fields.get("status")
        if status in codes.CLOSED_CASE_STATUSES:
            return CLOSED
        if status == "Active" and "closed_on" in change.fields:
            return REOPENED
        if "trafficking_status_decided_by" in change.fields:
            return STATUS_DECIDED
    return CHANGED


def _parse_utc(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
