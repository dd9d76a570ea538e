"""The coordination log: meetings, visits, problem hotspots and trainings, and their rules.

These records belong to an organisation, not to a case (their ``case_id`` is empty, like the
partner directory's). Organisations are named by the id of their partner-directory entry (or
the installation's own organisation id). Pure data and pure functions: no I/O, no clock (the
rules are given ``today``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from shelter_desk.domain import codes
from shelter_desk.domain.codes import Code, CodeList
from shelter_desk.domain.text import record_text_problems
from shelter_desk.i18n import N_, _


def _list(name: str, *pairs: tuple[str, str]) -> CodeList:
    return CodeList(name, tuple(Code(code, label) for code, label in pairs))


MEETING_TYPE = _list(
    "MEETING_TYPE",
    ("RoundTable", N_("Round table")),
    ("OneToOne", N_("One-to-one")),
)
FACILITY_TYPE = _list(
    "FACILITY_TYPE",
    ("Shelter", N_("Shelter")),
    ("DetentionFacility", N_("Detention facility")),
)
HOTSPOT_STATUS = _list(
    "HOTSPOT_STATUS",
    ("Open", N_("Open")),
    ("Raised", N_("Raised with the authorities")),
    ("InProgress", N_("Being addressed")),
    ("Resolved", N_("Resolved")),
    ("Closed", N_("Closed without resolution")),
)
TRAINING_TOPIC = _list(
    "TRAINING_TOPIC",
    ("VictimIdentification", N_("Victim identification")),
    ("CulturalCompetence", N_("Cultural competence")),
    ("TraumaInformedCare", N_("Trauma-informed care")),
    ("ReferralMechanism", N_("National referral mechanism")),
    ("DataProtection", N_("Data protection")),
    ("ChildVictims", N_("Child victims")),
    ("Other", N_("Other topic")),
)
# The status every record has for the log's status filter: a hotspot's own status, and for
# the others whether follow-up work is still open.
RECORD_STATUS = _list(
    "RECORD_STATUS",
    ("OpenActions", N_("Actions open")),
    ("Overdue", N_("Actions overdue")),
    ("Done", N_("Nothing open")),
    ("Planned", N_("Planned")),
    *((c.code, c.label) for c in HOTSPOT_STATUS),
)
CLOSED_HOTSPOT_STATUSES = frozenset({"Resolved", "Closed"})


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionItem:
    """Something agreed to be done, by one organisation, by a date."""

    action: str = ""
    owner_org_id: str = ""
    due_on: dt.date | None = None
    done_on: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HotspotStep:
    """One step in a hotspot's history: its status from that day, who was approached."""

    on: dt.date | None = None
    status: str = ""  # HOTSPOT_STATUS
    body_org_id: str = ""
    note: str = ""


@dataclass(slots=True, kw_only=True)
class Meeting:
    ENTITY: ClassVar[str] = "meeting"
    SAFETY_CRITICAL: ClassVar[frozenset[str]] = frozenset()
    HTCDS: ClassVar[dict[str, str]] = {}

    id: str = ""
    org_id: str = ""
    meeting_type: str = "RoundTable"  # MEETING_TYPE
    held_on: dt.date | None = None
    title: str = ""
    place: str = ""
    participant_org_ids: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    action_items: tuple[ActionItem, ...] = ()
    notes: str = ""


@dataclass(slots=True, kw_only=True)
class Visit:
    ENTITY: ClassVar[str] = "visit"
    SAFETY_CRITICAL: ClassVar[frozenset[str]] = frozenset()
    HTCDS: ClassVar[dict[str, str]] = {}

    id: str = ""
    org_id: str = ""
    facility_type: str = "Shelter"  # FACILITY_TYPE
    facility_name: str = ""
    facility_org_id: str = ""  # the visited organisation, when it is in the directory
    country: str = ""
    city: str = ""
    visited_on: dt.date | None = None
    visitor_org_ids: tuple[str, ...] = ()
    findings: str = ""
    follow_up_actions: tuple[ActionItem, ...] = ()


@dataclass(slots=True, kw_only=True)
class Hotspot:
    ENTITY: ClassVar[str] = "hotspot"
    SAFETY_CRITICAL: ClassVar[frozenset[str]] = frozenset()
    HTCDS: ClassVar[dict[str, str]] = {}

    id: str = ""
    org_id: str = ""
    problem: str = ""
    place: str = ""
    country: str = ""
    reported_on: dt.date | None = None
    status: str = "Open"  # HOTSPOT_STATUS
    approached_org_ids: tuple[str, ...] = ()
    history: tuple[HotspotStep, ...] = ()
    notes: str = ""


@dataclass(slots=True, kw_only=True)
class Training:
    ENTITY: ClassVar[str] = "training"
    SAFETY_CRITICAL: ClassVar[frozenset[str]] = frozenset()
    HTCDS: ClassVar[dict[str, str]] = {}

    id: str = ""
    org_id: str = ""
    topic: str = ""  # TRAINING_TOPIC
    held_on: dt.date | None = None
    audience_org_id: str = ""
    participants: int | None = None
    trainer: str = ""
    place: str = ""
    notes: str = ""


CoordinationRecord = Meeting | Visit | Hotspot | Training
COORDINATION_TYPES: dict[str, type] = {
    Meeting.ENTITY: Meeting,
    Visit.ENTITY: Visit,
    Hotspot.ENTITY: Hotspot,
    Training.ENTITY: Training,
}
COORDINATION_ENTITIES: tuple[str, ...] = tuple(COORDINATION_TYPES)
KIND_LABELS: dict[str, str] = {
    Meeting.ENTITY: N_("Meeting"),
    Visit.ENTITY: N_("Visit"),
    Hotspot.ENTITY: N_("Problem hotspot"),
    Training.ENTITY: N_("Training"),
}
DATE_FIELDS: dict[str, str] = {
    Meeting.ENTITY: "held_on",
    Visit.ENTITY: "visited_on",
    Hotspot.ENTITY: "reported_on",
    Training.ENTITY: "held_on",
}


# --- derived values --------------------------------------------------------------------
def date_of(record: CoordinationRecord) -> dt.date | None:
    value: dt.date | None = getattr(record, DATE_FIELDS[record.ENTITY])
    return value


def title_of(record: CoordinationRecord) -> str:
    """A short line naming the record (as typed; a training is named by its topic)."""
    if isinstance(record, Meeting):
        return record.title
    if isinstance(record, Visit):
        return record.facility_name
    if isinstance(record, Hotspot):
        return record.problem
    return _(TRAINING_TOPIC.label(record.topic)) if record.topic else ""


def action_items(record: CoordinationRecord) -> tuple[ActionItem, ...]:
    if isinstance(record, Meeting):
        return record.action_items
    if isinstance(record, Visit):
        return record.follow_up_actions
    return ()


def is_overdue(item: ActionItem, today: dt.date) -> bool:
    return item.done_on is None and item.due_on is not None and item.due_on < today


def status_of(record: CoordinationRecord, today: dt.date) -> str:
    """The record's RECORD_STATUS code."""
    if isinstance(record, Hotspot):
        return record.status
    day = date_of(record)
    if day is not None and day > today:
        return "Planned"
    items = action_items(record)
    if any(is_overdue(i, today) for i in items):
        return "Overdue"
    if any(i.done_on is None for i in items):
        return "OpenActions"
    return "Done"


def organisations_of(record: CoordinationRecord) -> set[str]:
    """Every organisation the record names (participants, owners, visited, approached...)."""
    found: set[str] = {i.owner_org_id for i in action_items(record)}
    if isinstance(record, Meeting):
        found.update(record.participant_org_ids)
    elif isinstance(record, Visit):
        found.update((record.facility_org_id, *record.visitor_org_ids))
    elif isinstance(record, Hotspot):
        found.update(record.approached_org_ids)
        found.update(s.body_org_id for s in record.history)
    else:
        found.add(record.audience_org_id)
    found.discard("")
    return found


def hotspot_history(
    record: Hotspot,
    stored: Hotspot | None,
    today: dt.date,
) -> tuple[HotspotStep, ...]:
    """The hotspot's history after a save: every step already kept (a step is never lost to
    an edit made on an older copy), the steps added in this edit, a step for a new status
    and one for each body approached since, all dated ``today``."""
    kept = stored.history if stored is not None else ()
    added = tuple(step for step in record.history if step not in kept)
    if stored is None or stored.status != record.status:
        added += (HotspotStep(on=today, status=record.status),)
    before = set(stored.approached_org_ids) if stored is not None else set()
    added += tuple(
        HotspotStep(on=today, status=record.status, body_org_id=org)
        for org in record.approached_org_ids
        if org not in before
    )
    return (*kept, *added)


# --- rules -----------------------------------------------------------------------------
class _Check:
    """Collects the first problem of each field (the messages of ``rules``)."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.errors: dict[str, str] = {}

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def required(self, name: str, value: object) -> None:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(name, _("This field is required."))

    def code(self, name: str, value: str, code_list: CodeList) -> None:
        if value and value not in code_list:
            self.add(name, _("Unknown value: {value}").format(value=value))

    def past(self, name: str, value: dt.date | None) -> None:
        if value is not None and value > self.today:
            self.add(name, _("This date is in the future."))

    def country(self, name: str, value: str) -> None:
        if value and not codes.is_country_code(value):
            self.add(name, _("Not a country code: {value}").format(value=value))

    def actions(self, name: str, items: Iterable[ActionItem]) -> None:
        for i, item in enumerate(items):
            key = f"{name}[{i}]"
            self.required(f"{key}.action", item.action)
            self.required(f"{key}.owner_org_id", item.owner_org_id)
            self.required(f"{key}.due_on", item.due_on)
            self.past(f"{key}.done_on", item.done_on)


def validate_meeting(e: Meeting, today: dt.date) -> dict[str, str]:
    check = _Check(today)
    check.required("meeting_type", e.meeting_type)
    check.code("meeting_type", e.meeting_type, MEETING_TYPE)
    check.required("held_on", e.held_on)
    check.required("title", e.title)
    if e.meeting_type == "OneToOne" and len(e.participant_org_ids) > 1:
        check.add("participant_org_ids", _("A one-to-one meeting has one other organisation."))
    check.actions("action_items", e.action_items)
    _texts(check, e)
    return check.errors


def validate_visit(e: Visit, today: dt.date) -> dict[str, str]:
    check = _Check(today)
    check.required("facility_type", e.facility_type)
    check.code("facility_type", e.facility_type, FACILITY_TYPE)
    check.required("facility_name", e.facility_name)
    check.required("visited_on", e.visited_on)
    check.country("country", e.country)
    check.actions("follow_up_actions", e.follow_up_actions)
    _texts(check, e)
    return check.errors


def validate_hotspot(e: Hotspot, today: dt.date) -> dict[str, str]:
    check = _Check(today)
    check.required("problem", e.problem)
    check.required("place", e.place)
    check.required("reported_on", e.reported_on)
    check.past("reported_on", e.reported_on)
    check.required("status", e.status)
    check.code("status", e.status, HOTSPOT_STATUS)
    check.country("country", e.country)
    for i, step in enumerate(e.history):
        check.code(f"history[{i}].status", step.status, HOTSPOT_STATUS)
        check.past(f"history[{i}].on", step.on)
    _texts(check, e)
    return check.errors


def validate_training(e: Training, today: dt.date) -> dict[str, str]:
    check = _Check(today)
    check.required("topic", e.topic)
    check.code("topic", e.topic, TRAINING_TOPIC)
    check.required("held_on", e.held_on)
    check.required("audience_org_id", e.audience_org_id)
    if e.participants is not None and e.participants < 0:
        check.add("participants", _("This cannot be negative."))
    _texts(check, e)
    return check.errors


def _texts(check: _Check, record: object) -> None:
    for name, message in record_text_problems(record).items():
        check.add(name, message)


COORDINATION_VALIDATORS: dict[str, Any] = {
    Meeting.ENTITY: validate_meeting,
    Visit.ENTITY: validate_visit,
    Hotspot.ENTITY: validate_hotspot,
    Training.ENTITY: validate_training,
}
