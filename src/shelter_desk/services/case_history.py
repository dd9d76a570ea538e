"""A case's history for people to read: who looked at it and who changed what, when.

Built from two sources kept by other parts: the change log (every save of every record of
the case, with the fields it wrote) and the audit log (views, prints, exports and consent
overrides). Only ids, field names and action codes come out, and for referrals and services
what says which one it is: the organisation's id and the codes of the service or reason
(never a name, a note or another value about the person); the rest stays in the records.
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
# The fields that say which record an entry is about ("a referral to Legal Aid Centre
# (Legal aid)"): organisation ids and codes only.
DESCRIBING_FIELDS: dict[str, tuple[str, ...]] = {
    "referral": ("to_org_id", "services_requested", "reason"),
    "service_delivery": ("service_type", "provider_org_id"),
}

About = tuple[tuple[str, tuple[str, ...]], ...]
"""(field, its codes or ids) pairs, in the order of :data:`DESCRIBING_FIELDS`."""


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime  # UTC
    user_id: str
    action: str  # one of the constants above
    entity: str  # the record's entity name ("person", "case"...)
    fields: tuple[str, ...] = ()  # the fields a change wrote (for CHANGED)
    about: About = ()  # which record it was, as it stood then (referrals and services)

    def about_value(self, field: str) -> tuple[str, ...]:
        return next((codes for name, codes in self.about if name == field), ())


def user_names(session: Session) -> dict[str, str]:
    """Every account's name to show (display name, else user name), by user id."""
    session.require(Permission.VIEW_CASES)
    return {u.id: u.display_name or u.username for u in session.users.all()}


def case_history(session: Session, case_id: str) -> list[HistoryEntry]:
    """Everything that happened to one case, newest first."""
    session.require(Permission.VIEW_CASES)
    records = session.records.for_case(case_id, include_deleted=True)
    known: dict[str, dict[str, tuple[str, ...]]] = {}
    entries = _changes(session.records.history(r.id for r in records), known)
    watched = [("case", case_id)] + [(r.entity, r.id) for r in records]
    for entity, record_id in watched:
        for event in session.audit_log.for_object(entity, record_id):
            action = _AUDITED_ACTIONS.get(event.action)
            if action is not None:
                about = _about(event.object_type, known.get(record_id, {}))
                entries.append(
                    HistoryEntry(
                        _parse_utc(event.at), event.user_id, action, event.object_type, (), about
                    )
                )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def _changes(
    changes: list[Change], known: dict[str, dict[str, tuple[str, ...]]]
) -> list[HistoryEntry]:
    """The entries of the change log; ``known`` gathers each record's describing fields as
    they stood after each change (a removed referral is still told by its organisation)."""
    entries = []
    for change in changes:  # oldest first: the first change of a record added it
        at = dt.datetime.fromtimestamp(Timestamp.decode(change.hlc).wall_ms / 1000, dt.UTC)
        first = change.record_id not in known
        state = known.setdefault(change.record_id, {})
        for name in DESCRIBING_FIELDS.get(change.entity, ()):
            if name in change.fields:
                state[name] = _codes(change.fields[name])
        fields = tuple(sorted(set(change.fields) - _PLUMBING_FIELDS))
        entries.append(
            HistoryEntry(
                at,
                change.user_id,
                _change_action(change, first),
                change.entity,
                fields,
                _about(change.entity, state),
            )
        )
    return entries


def _codes(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value if isinstance(v, str) and v)
    return ()


def _about(entity: str, state: dict[str, tuple[str, ...]]) -> About:
    return tuple(
        (name, state[name]) for name in DESCRIBING_FIELDS.get(entity, ()) if state.get(name)
    )


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
