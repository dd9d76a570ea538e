"""Case records: open a case at intake, record what happens, close and reopen, find cases.

Every save checks permission, validates every field at once (nothing is written when any
field is wrong), writes one change-log transaction per changed record inside one database
transaction, refreshes the case's list row, search tokens and follow-up index, and writes an
audit event. Opening a case file is audited as a view.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import uuid6

from shelter_desk.domain import codes, rules
from shelter_desk.domain.case_file import CaseFile, sharing_level_in_force
from shelter_desk.domain.entities import (
    Case,
    Consent,
    FollowUp,
    Intake,
    NeedsAssessment,
    Organisation,
    Person,
    Referral,
    ReintegrationPlan,
    Return,
    ServiceDelivery,
    SupportObjective,
    TraffickingEvent,
)
from shelter_desk.domain.errors import NotFound, PermissionDenied, ValidationError
from shelter_desk.domain.serialize import ENTITY_TYPES, from_fields, to_fields
from shelter_desk.domain.sustainability import score_answers
from shelter_desk.i18n import _
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission
from shelter_desk.services.coordination.numbers import NumberDisplay, case_for_number
from shelter_desk.services.session import Session
from shelter_desk.store.records import (
    CaseListRow,
    CaseQuery,
    CaseSummary,
    Change,
    FollowUpDue,
    StoredRecord,
)
from shelter_desk.store.search_tokens import index_columns, match_query

E = TypeVar("E")
DEFAULT_FOLLOW_UP_MONTHS = (1, 3, 6, 12)
# Fields of a case that only their own operation may change (and audit).
_GUARDED_CASE_FIELDS = (
    "number",
    "status",
    "closed_on",
    "closure_reason",
    "trafficking_status",
    "trafficking_status_decided_by",
    "trafficking_status_decided_on",
)


def new_id() -> str:
    return str(uuid6.uuid7())


_LISTS: dict[str, str] = {
    Intake.ENTITY: "intakes",
    Consent.ENTITY: "consents",
    TraffickingEvent.ENTITY: "events",
    NeedsAssessment.ENTITY: "assessments",
    SupportObjective.ENTITY: "objectives",
    ServiceDelivery.ENTITY: "services",
    Referral.ENTITY: "referrals",
    Return.ENTITY: "returns",
    ReintegrationPlan.ENTITY: "plans",
    FollowUp.ENTITY: "follow_ups",
}


# --- reading ---------------------------------------------------------------------------
def _entity(record: StoredRecord) -> Any:
    return from_fields(ENTITY_TYPES[record.entity], {**record.data, "id": record.id})


def _read_case_file(session: Session, case_id: str) -> CaseFile:
    cf = case_file_from(session.records.for_case(case_id))
    if cf is None:
        raise NotFound(_("There is no such case."))
    return cf


def case_file_from(
    records: Sequence[StoredRecord], entity_of: Callable[[StoredRecord], Any] | None = None
) -> CaseFile | None:
    """A case file from the stored records of one case; None without its case or person
    record (for example while a partner's bundle has not brought them yet). ``entity_of``
    decodes a record (default: :func:`_entity`); a sync import passes one that remembers
    what it decoded, since its rule checks need the same entities."""
    decode = entity_of or _entity
    by_entity: dict[str, list[StoredRecord]] = defaultdict(list)
    for r in records:
        by_entity[r.entity].append(r)
    if not by_entity[Case.ENTITY] or not by_entity[Person.ENTITY]:
        return None
    cf = CaseFile(
        case=decode(by_entity[Case.ENTITY][0]),
        person=decode(by_entity[Person.ENTITY][0]),
    )
    for entity, attr in _LISTS.items():
        setattr(cf, attr, [decode(r) for r in by_entity[entity]])
    return cf


def load_case(session: Session, case_id: str) -> CaseFile:
    """The whole case, for a caseworker to look at (audited as a view)."""
    session.require(Permission.VIEW_CASES)
    cf = _read_case_file(session, case_id)
    session.audit(Action.VIEW, Case.ENTITY, case_id)
    return cf


def case_id_for_number(session: Session, number: str) -> str:
    session.require(Permission.VIEW_CASES)
    case_id = case_for_number(session, number)
    if case_id is None:
        raise NotFound(_("There is no case {number}.").format(number=number))
    return case_id


# --- writing ---------------------------------------------------------------------------
def _write(session: Session, entity: Any, case_id: str, *, deleted: bool = False) -> bool:
    """One change-log transaction for what changed in ``entity``; False if nothing did."""
    if not entity.id:
        entity.id = new_id()
    if not entity.org_id:
        entity.org_id = session.org_id
    fields = to_fields(entity)
    fields.pop("id")
    current = session.records.get(entity.id)
    changed = {k: v for k, v in fields.items() if current is None or current.data.get(k) != v}
    if not changed and not deleted:
        return False
    last = session.records.last_txn(entity.id)
    session.records.apply(
        Change(
            txn_id=new_id(),
            hlc=session.tick(),
            device=session.device_id,
            user_id=session.user.id,
            org_id=entity.org_id,
            case_id=case_id,
            entity=entity.ENTITY,
            record_id=entity.id,
            parents=(last,) if last else (),
            fields=changed,
            deleted=deleted,
        )
    )
    action = Action.DELETE if deleted else (Action.EDIT if current else Action.CREATE)
    session.audit(action, entity.ENTITY, entity.id)
    return True


def _check(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _prefixed(prefix: str, errors: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}.{k}": v for k, v in errors.items()}


def open_case(
    session: Session,
    person: Person,
    intake: Intake,
    consent: Consent,
    *,
    owner_id: str = "",
    opened_on: dt.date | None = None,
    today: dt.date | None = None,
) -> CaseFile:
    """Register a person at intake: a new case with its person, intake and consent."""
    session.require(Permission.EDIT_CASES)
    today = today or dt.date.today()
    opened_on = opened_on or intake.intake_date or today
    case = Case(
        id=new_id(),
        org_id=session.org_id,
        person_id=person.id or new_id(),
        owner_id=owner_id or session.user.id,
        opened_on=opened_on,
        sharing_level=sharing_level_in_force([consent]),
    )
    person.id = case.person_id
    intake.case_id = consent.case_id = case.id
    with session.db.transaction():  # a refused intake rolls the number back: never reused
        seq = session.case_numbers.next(session.case_prefix, opened_on.year)
        case.number = rules.format_case_number(session.case_prefix, opened_on.year, seq)
        errors = _prefixed("person", rules.validate_person(person, today))
        errors |= _prefixed("intake", rules.validate_intake(intake, today))
        errors |= _prefixed("consent", rules.validate_consent(consent, today))
        errors |= _prefixed("case", rules.validate_case(case, today))
        _check(errors)
        for entity in (case, person, intake, consent):
            _write(session, entity, case.id)
        cf = _read_case_file(session, case.id)
        refresh_index(session, cf)
    return cf


def update_case(session: Session, case: Case, *, today: dt.date | None = None) -> Case:
    """Edit a case's ordinary fields (owner, risk level...).

    Its number, status and trafficking status change only through their own operations; its
    sharing level always follows the consent in force.
    """
    session.require(Permission.EDIT_CASES)
    cf = _read_case_file(session, case.id)
    current = cf.case
    for name in _GUARDED_CASE_FIELDS:
        if getattr(case, name) != getattr(current, name):
            raise ValidationError(
                {name: _("This field changes only through its own action (close, reopen...).")}
            )
    # Changed only by the consent operations. Compared with the stored level, not recomputed:
    # a partner that received a referred case holds the case without its consents.
    if case.sharing_level != current.sharing_level:
        raise ValidationError(
            {
                "sharing_level": _(
                    "A case shares what the person's consent allows: change the consent instead."
                )
            }
        )
    return _save_case(session, case, today or dt.date.today())


def _save_case(session: Session, case: Case, today: dt.date) -> Case:
    _check(rules.validate_case(case, today))
    with session.db.transaction():
        _write(session, case, case.id)
        refresh_index(session, _read_case_file(session, case.id))
    return case


def save_person(session: Session, person: Person, *, today: dt.date | None = None) -> Person:
    session.require(Permission.EDIT_CASES)
    _check(rules.validate_person(person, today or dt.date.today()))
    stored = session.records.get(person.id) if person.id else None
    if stored is None or stored.entity != Person.ENTITY:
        raise NotFound(_("There is no such person."))
    with session.db.transaction():
        _write(session, person, stored.case_id)
        refresh_index(session, _read_case_file(session, stored.case_id))
    return person


def save_record(session: Session, record: E, *, today: dt.date | None = None) -> E:
    """Add or edit one record of a case (intake, consent, assessment, service, referral,
    return, plan, objective, event). Follow-ups go through ``record_follow_up``."""
    session.require(Permission.EDIT_CASES)
    today = today or dt.date.today()
    entity: Any = record
    if entity.ENTITY not in _LISTS or isinstance(entity, FollowUp):
        raise TypeError(f"not a case record: {type(record).__name__}")
    cf = _read_case_file(session, entity.case_id)
    _check(rules.validate(entity, today))
    if isinstance(entity, Referral):
        _check_referral_consent(session, cf, entity)
    with session.db.transaction():
        _write(session, entity, cf.case.id)
        _after_change(session, cf.case.id, today)
    return record


def delete_record(session: Session, record_id: str) -> None:
    """Remove a record from its case (a tombstone: it stays in the change log)."""
    session.require(Permission.EDIT_CASES)
    stored = session.records.get(record_id)
    if stored is None or stored.deleted:
        raise NotFound(_("There is no such record."))
    if stored.entity in (Case.ENTITY, Person.ENTITY):
        raise ValidationError({"record": _("A case and its person are closed, not deleted.")})
    with session.db.transaction():
        _write(session, _entity(stored), stored.case_id, deleted=True)
        if stored.entity == FollowUp.ENTITY:
            session.follow_up_index.remove(record_id)
        _after_change(session, stored.case_id, dt.date.today())


def _after_change(session: Session, case_id: str, today: dt.date) -> None:
    """After a record of the case changed: the case shares what the consent in force allows
    (a consent saved withdrawn, or deleted, stops the sharing at once), and its list row and
    indexes are brought up to date."""
    cf = _read_case_file(session, case_id)
    level = sharing_level_in_force(cf.consents)
    if cf.case.sharing_level != level:
        cf.case = replace(cf.case, sharing_level=level)
        _check(rules.validate_case(cf.case, today))
        _write(session, cf.case, case_id)
    refresh_index(session, cf)


# --- case life cycle -------------------------------------------------------------------
def close_case(
    session: Session,
    case_id: str,
    reason: str,
    *,
    closed_on: dt.date | None = None,
    notes: str = "",
    referred: bool = False,
    today: dt.date | None = None,
) -> Case:
    """Close a case; a closure reason from the IOM list is required."""
    session.require(Permission.CLOSE_CASES)
    today = today or dt.date.today()
    case = _read_case_file(session, case_id).case
    if case.status in codes.CLOSED_CASE_STATUSES:
        raise ValidationError({"status": _("This case is already closed.")})
    closed = replace(
        case,
        status="ClosedReferred" if referred else "Closed",
        closed_on=closed_on or today,
        closure_reason=reason,
        closure_notes=notes,
    )
    _check(rules.validate_case_closure(closed) | rules.validate_case(closed, today))
    return _save_case(session, closed, today)


def reopen_case(session: Session, case_id: str, *, today: dt.date | None = None) -> Case:
    session.require(Permission.CLOSE_CASES)
    case = _read_case_file(session, case_id).case
    if case.status not in codes.CLOSED_CASE_STATUSES:
        raise ValidationError({"status": _("This case is not closed.")})
    reopened = replace(case, status="Active", closed_on=None, closure_reason="", closure_notes="")
    with session.db.transaction():
        _save_case(session, reopened, today or dt.date.today())
        session.audit(Action.REOPEN, Case.ENTITY, case_id)
    return reopened


def set_follow_up_phase(session: Session, case_id: str) -> Case:
    """Move an active case to the follow-up phase (after return or release)."""
    session.require(Permission.EDIT_CASES)
    case = _read_case_file(session, case_id).case
    if case.status != "Active":
        raise ValidationError({"status": _("Only an active case can move to follow-up.")})
    return _save_case(session, replace(case, status="FollowUp"), dt.date.today())


def decide_trafficking_status(
    session: Session,
    case_id: str,
    status: str,
    *,
    decision_org: str = "",
    decided_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Case:
    """Record who decided the trafficking status (possible / actual / not a victim), when."""
    session.require(Permission.DECIDE_TRAFFICKING_STATUS)
    today = today or dt.date.today()
    case = _read_case_file(session, case_id).case
    decided = replace(
        case,
        trafficking_status=status,
        trafficking_status_decided_by=session.user.id,
        trafficking_status_decided_on=decided_on or today,
        trafficking_status_decision_org=decision_org,
    )
    return _save_case(session, decided, today)


# --- consent and referrals -------------------------------------------------------------
def _check_referral_consent(session: Session, cf: CaseFile, referral: Referral) -> None:
    if not referral.shares_identity or referral.consent_override_by:
        return
    if not cf.may_refer_identified:
        raise PermissionDenied(
            _(
                "The person has not consented to being referred to other organisations."
                " Record their consent first, or ask a supervisor to override."
            )
        )


def refer_with_override(session: Session, referral: Referral) -> Referral:
    """A supervisor sends a referral without referral consent (for example to save a life),
    saying why in ``override_reason``; the override is recorded on the referral (who, and
    the reason as typed) and in the audit log."""
    session.require(Permission.OVERRIDE_CONSENT)
    if not referral.override_reason.strip():
        raise ValidationError(
            {"override_reason": _("Write why the referral cannot wait for consent.")}
        )
    referral.consent_override_by = session.user.id
    with session.db.transaction():
        save_record(session, referral)
        session.audit(Action.CONSENT_OVERRIDE, Referral.ENTITY, referral.id)
    return referral


def withdraw_consent(
    session: Session, consent_id: str, *, withdrawn_on: dt.date | None = None
) -> Consent:
    session.require(Permission.EDIT_CASES)
    stored = session.records.get(consent_id)
    if stored is None or stored.entity != Consent.ENTITY:
        raise NotFound(_("There is no such consent."))
    consent: Consent = _entity(stored)
    consent.withdrawn_on = withdrawn_on or dt.date.today()
    return save_record(session, consent)  # the case's sharing follows the consent in force


# --- return, reintegration and follow-ups ----------------------------------------------
def follow_up_months(session: Session) -> tuple[int, ...]:
    raw = session.meta.get("follow_up_months")
    if not raw:
        return DEFAULT_FOLLOW_UP_MONTHS
    return tuple(int(m) for m in raw.split(",") if m.strip())


def schedule_follow_ups(session: Session, case_id: str) -> list[FollowUp]:
    """Follow-ups at the configured months after the return date (1, 3, 6, 12 by default);
    dates already scheduled are not added twice."""
    session.require(Permission.EDIT_CASES)
    cf = _read_case_file(session, case_id)
    if cf.return_date is None:
        raise ValidationError({"travel_on": _("Record the return date first.")})
    have = {f.scheduled_on for f in cf.follow_ups}
    added = [
        FollowUp(case_id=case_id, scheduled_on=day)
        for day in rules.follow_up_schedule(cf.return_date, follow_up_months(session))
        if day not in have
    ]
    with session.db.transaction():
        for fu in added:
            _write(session, fu, case_id)
        refresh_index(session, _read_case_file(session, case_id))
    return added


def record_follow_up(
    session: Session, follow_up: FollowUp, *, today: dt.date | None = None
) -> FollowUp:
    """Save a follow-up visit; its sustainability scores are computed from the answers."""
    session.require(Permission.EDIT_CASES)
    today = today or dt.date.today()
    cf = _read_case_file(session, follow_up.case_id)
    scores = score_answers(follow_up.answers)
    follow_up.economic_score = scores.economic
    follow_up.social_score = scores.social
    follow_up.psychosocial_score = scores.psychosocial
    follow_up.composite_score = scores.composite
    _check(rules.validate_follow_up(follow_up, today, return_date=cf.return_date))
    with session.db.transaction():
        _write(session, follow_up, cf.case.id)
        refresh_index(session, _read_case_file(session, cf.case.id))
    return follow_up


@dataclass(frozen=True)
class FollowUpsDue:
    overdue: list[FollowUpDue]
    today: list[FollowUpDue]
    this_week: list[FollowUpDue]


def follow_ups_due(
    session: Session, *, mine: bool = False, today: dt.date | None = None
) -> FollowUpsDue:
    """Open follow-ups overdue, due today and due within a week (of the signed-in
    caseworker's cases with ``mine``, else of the whole organisation)."""
    session.require(Permission.VIEW_CASES)
    today = today or dt.date.today()
    until = (today + dt.timedelta(days=rules.DUE_SOON_DAYS)).isoformat()
    rows = session.follow_up_index.open_until(until, session.user.id if mine else None)
    day = today.isoformat()
    return FollowUpsDue(
        overdue=[r for r in rows if r.scheduled_on < day],
        today=[r for r in rows if r.scheduled_on == day],
        this_week=[r for r in rows if r.scheduled_on > day],
    )


# --- the case list and search ----------------------------------------------------------
@dataclass(frozen=True)
class CaseFilter:
    text: str = ""
    statuses: tuple[str, ...] = ()
    owner_id: str | None = None
    risk_level: str | None = None
    exploitation: str | None = None
    nationality: str | None = None
    follow_up_overdue: bool = False
    sort: str = ""  # "" = best match when searching, else case number
    descending: bool = False


def _query(f: CaseFilter, today: dt.date) -> CaseQuery | None:
    text = match_query(f.text) if f.text.strip() else None
    if f.text.strip() and text is None:
        return None
    return CaseQuery(
        text=text,
        statuses=f.statuses,
        owner_id=f.owner_id,
        risk_level=f.risk_level,
        exploitation=f.exploitation,
        nationality=f.nationality,
        follow_up_before=today.isoformat() if f.follow_up_overdue else None,
        sort=f.sort or ("rank" if text else "number"),
        descending=f.descending,
    )


def count_cases(session: Session, f: CaseFilter, *, today: dt.date | None = None) -> int:
    session.require(Permission.VIEW_CASES)
    q = _query(f, today or dt.date.today())
    return session.case_index.count(q) if q else 0


def case_page(
    session: Session, f: CaseFilter, offset: int, limit: int, *, today: dt.date | None = None
) -> list[CaseListRow]:
    session.require(Permission.VIEW_CASES)
    q = _query(f, today or dt.date.today())
    return NumberDisplay(session).rows(session.case_index.page(q, offset, limit)) if q else []


def case_keys(session: Session, f: CaseFilter, *, today: dt.date | None = None) -> list[int]:
    """The keys of every case matching ``f``, in list order (see ``case_rows``)."""
    session.require(Permission.VIEW_CASES)
    q = _query(f, today or dt.date.today())
    return session.case_index.keys(q) if q else []


def case_rows(session: Session, keys: Sequence[int]) -> list[CaseListRow]:
    """The case-list rows for keys from ``case_keys``, in that order."""
    session.require(Permission.VIEW_CASES)
    return NumberDisplay(session).rows(session.case_index.rows(keys))


def case_row(session: Session, case_id: str) -> CaseListRow | None:
    session.require(Permission.VIEW_CASES)
    row = session.case_index.get(case_id)
    return NumberDisplay(session).rows([row])[0] if row else None


# --- derived indexes -------------------------------------------------------------------
def display_name(person: Person) -> str:
    original = " ".join(p for p in (person.first_name, person.second_name) if p)
    latin = " ".join(p for p in (person.first_name_latin, person.second_name_latin) if p)
    if original and latin and latin != original:
        return f"{original} ({latin})"
    return original or latin


def _search_values(cf: CaseFile) -> Iterable[str]:
    p = cf.person
    yield from (
        p.first_name,
        p.middle_name,
        p.second_name,
        p.first_name_latin,
        p.middle_name_latin,
        p.second_name_latin,
        cf.case.number,
    )
    yield from p.aliases
    yield from (d.number for d in p.documents)


def summarise(cf: CaseFile) -> CaseSummary:
    p, case = cf.person, cf.case
    exploitation = sorted({t for i in cf.intakes for t in i.exploitation_types})
    open_dates = sorted(
        f.scheduled_on.isoformat() for f in cf.follow_ups if f.done_on is None and f.scheduled_on
    )
    exact, fuzzy = index_columns(v for v in _search_values(cf) if v)
    latin = " ".join(x for x in (p.second_name_latin, p.first_name_latin) if x)
    return CaseSummary(
        case_id=case.id,
        org_id=case.org_id,
        number=case.number,
        name=display_name(p),
        sort_name=(latin or display_name(p)).casefold(),
        status=case.status,
        owner_id=case.owner_id,
        risk_level=case.risk_level,
        exploitation=tuple(exploitation),
        nationality=tuple(p.citizenships),
        gender=p.gender,
        opened_on=case.opened_on.isoformat() if case.opened_on else "",
        next_follow_up=open_dates[0] if open_dates else "",
        search_exact=exact,
        search_fuzzy=fuzzy,
    )


def refresh_index(session: Session, cf: CaseFile) -> None:
    """Bring the case's list row, search tokens and follow-up index up to date."""
    refresh_indexes(session, [cf])


def refresh_indexes(session: Session, files: Sequence[CaseFile]) -> None:
    """:func:`refresh_index` of many cases, their list rows in a few statements (a sync
    import refreshes thousands)."""
    session.case_index.upsert_many([summarise(cf) for cf in files])
    for cf in files:
        _refresh_follow_ups(session, cf)


def _refresh_follow_ups(session: Session, cf: CaseFile) -> None:
    for fu in cf.follow_ups:
        session.follow_up_index.upsert(
            fu.id,
            cf.case.id,
            cf.case.owner_id,
            fu.scheduled_on.isoformat() if fu.scheduled_on else "",
            fu.done_on.isoformat() if fu.done_on else "",
        )


# --- organisations (the partner address book) ------------------------------------------
def save_organisation(
    session: Session, org: Organisation, *, today: dt.date | None = None
) -> Organisation:
    session.require(Permission.MANAGE_PARTNERS)
    _check(rules.validate_organisation(org, today or dt.date.today()))
    with session.db.transaction():
        _write(session, org, "")
    return org


def organisations(session: Session) -> list[Organisation]:
    session.require(Permission.VIEW_CASES)
    found: list[Organisation] = [_entity(r) for r in session.records.of_entity(Organisation.ENTITY)]
    return sorted(found, key=lambda o: o.name.casefold())
