"""Validation rules and derived values; pure functions, no I/O.

Every ``validate_<entity>(e, today)`` returns **all** field errors at once as
``{field: translated message}`` (empty when valid); a service wraps a non-empty result into
``ValidationError``. Errors inside nested parts are keyed ``"documents[0].issuing_country"``.
Only the first problem of each field is reported. ``today`` is passed in so the rules
never read the clock.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from shelter_desk.domain import codes
from shelter_desk.domain.codes import CodeList
from shelter_desk.domain.coordination import COORDINATION_VALIDATORS
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
from shelter_desk.domain.indicators import DELPHI_INDICATOR_LIST, FORCED_LABOUR_INDICATORS
from shelter_desk.domain.sustainability import DEFAULT, Questionnaire, unknown_answers
from shelter_desk.domain.text import record_text_problems
from shelter_desk.i18n import _

AGE_OF_MAJORITY = 18
EARLIEST_BIRTH_YEAR = 1900
DUE_SOON_DAYS = 7

_CASE_PREFIX = re.compile(r"[A-Z0-9]{2,10}")
_CASE_NUMBER = re.compile(r"([A-Z0-9]{2,10})-(\d{4})-(\d{4,})")
_PHONE_SEPARATORS = re.compile(r"[\s\-.()/]")
_PHONE = re.compile(r"\+?\d{3,15}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


# --- Error collection -----------------------------------------------------------------


class _Errors:
    """Collects the first error of each field."""

    def __init__(self, today: dt.date | None = None) -> None:
        self.today = today
        self.errors: dict[str, str] = {}

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def required(self, name: str, value: object) -> bool:
        """Record a missing value; True when present."""
        missing = value is None or (isinstance(value, str) and not value.strip())
        if missing:
            self.add(name, _("This field is required."))
        return not missing

    def code(self, name: str, value: str, code_list: CodeList, *, required: bool = False) -> None:
        if not value:
            if required:
                self.required(name, value)
            return
        if value not in code_list:
            self.add(name, _("Unknown value: {value}").format(value=value))

    def codes(self, name: str, values: Iterable[str], code_list: CodeList) -> None:
        for value in values:
            if value not in code_list:
                self.add(name, _("Unknown value: {value}").format(value=value))
                return

    def past(self, name: str, value: dt.date | None, *, required: bool = False) -> None:
        """A date that has happened: not after today."""
        if value is None:
            if required:
                self.required(name, value)
            return
        if self.today is not None and value > self.today:
            self.add(name, _("This date is in the future."))

    def not_before(
        self, name: str, later: dt.date | None, earlier: dt.date | None, message: str
    ) -> None:
        if later is not None and earlier is not None and later < earlier:
            self.add(name, message)

    def country(self, name: str, value: str) -> None:
        if value and not codes.is_country_code(value):
            self.add(name, _("Not a country code: {value}").format(value=value))

    def countries(self, name: str, values: Iterable[str]) -> None:
        for value in values:
            self.country(name, value)

    def language(self, name: str, value: str) -> None:
        if value and not codes.is_language_code(value):
            self.add(name, _("Not a language code: {value}").format(value=value))

    def phone(self, name: str, value: str) -> None:
        if value and not _PHONE.fullmatch(_PHONE_SEPARATORS.sub("", value)):
            self.add(name, _("Not a phone number: {value}").format(value=value))

    def email(self, name: str, value: str) -> None:
        if value and not _EMAIL.fullmatch(value.strip()):
            self.add(name, _("Not an email address: {value}").format(value=value))

    def money(self, cost: Decimal | None, currency: str) -> None:
        if cost is not None:
            if not cost.is_finite():
                self.add("cost", _("Not an amount of money."))
            elif cost < 0:
                self.add("cost", _("The cost cannot be negative."))
            if not currency:
                self.add("currency", _("Enter the currency of the cost."))
        if currency and not codes.is_currency_code(currency):
            self.add("currency", _("Not a currency code: {value}").format(value=currency))

    def not_negative(self, name: str, value: int | None) -> None:
        if value is not None and value < 0:
            self.add(name, _("This cannot be negative."))

    def position(self, latitude: float | None, longitude: float | None) -> None:
        """WGS 84 decimal degrees: latitude -90..90, longitude -180..180."""
        if latitude is not None and not -90 <= latitude <= 90:
            self.add("latitude", _("Enter a latitude between -90 and 90."))
        if longitude is not None and not -180 <= longitude <= 180:
            self.add("longitude", _("Enter a longitude between -180 and 180."))

    def texts(self, record: object) -> None:
        """Length and characters of every text in ``record`` (see ``domain.text``)."""
        for name, message in record_text_problems(record).items():
            self.add(name, message)


def _end_before_start() -> str:
    return _("The end date is before the start date.")


# --- Organisation and person ----------------------------------------------------------


def validate_organisation(e: Organisation, today: dt.date) -> dict[str, str]:
    err = _Errors(today)
    err.required("name", e.name)
    err.code("type", e.type, codes.ORGANISATION_TYPE)
    err.country("country", e.country)
    err.phone("phone", e.phone)
    err.email("email", e.email)
    for lang in e.languages:
        err.language("languages", lang)
    err.codes("services_offered", e.services_offered, codes.SERVICE_TYPE)
    err.code("coalition_role", e.coalition_role, codes.COALITION_ROLE)
    err.position(e.latitude, e.longitude)
    if e.case_number_prefix and not _CASE_PREFIX.fullmatch(e.case_number_prefix):
        err.add(
            "case_number_prefix",
            _("Use 2 to 10 capital Latin letters or digits, like {example}.").format(example="ORG"),
        )
    for i, person in enumerate(e.contact_persons):
        key = f"contact_persons[{i}]"
        err.required(f"{key}.name", person.name)
        err.phone(f"{key}.phone", person.phone)
        err.email(f"{key}.email", person.email)
        for lang in person.languages:
            err.language(f"{key}.languages", lang)
    err.texts(e)
    return err.errors


def validate_person(e: Person, today: dt.date) -> dict[str, str]:
    err = _Errors(today)
    names = (e.first_name, e.second_name, e.first_name_latin, e.second_name_latin)
    if not any(name.strip() for name in names):
        err.add("first_name", _("Enter a first or second name, in either script."))
    err.past("birth_date", e.birth_date)
    year = e.estimated_birth_year
    if year is not None and not EARLIEST_BIRTH_YEAR <= year <= today.year:
        err.add(
            "estimated_birth_year",
            _("Enter a year between {first} and {last}.").format(
                first=EARLIEST_BIRTH_YEAR, last=today.year
            ),
        )
    err.code("gender", e.gender, codes.GENDER)
    err.countries("citizenships", e.citizenships)
    err.language("primary_language", e.primary_language)
    err.language("secondary_language", e.secondary_language)
    err.code("marital_status", e.marital_status, codes.MARITAL_STATUS)
    err.not_negative("number_of_children", e.number_of_children)
    err.code("education_level", e.education_level, codes.EDUCATION_LEVEL)
    err.country("country", e.country)
    for i, doc in enumerate(e.documents):
        key = f"documents[{i}]"
        err.code(f"{key}.document_type", doc.document_type, codes.DOCUMENT_TYPE, required=True)
        err.country(f"{key}.issuing_country", doc.issuing_country)
        err.past(f"{key}.issued_on", doc.issued_on)
        err.not_before(
            f"{key}.expires_on",
            doc.expires_on,
            doc.issued_on,
            _("The expiry date is before the issue date."),
        )
    for i, contact in enumerate(e.contacts):
        key = f"contacts[{i}]"
        err.code(f"{key}.contact_type", contact.contact_type, codes.CONTACT_TYPE, required=True)
        err.required(f"{key}.value", contact.value)
        if contact.contact_type in ("MobilePhone", "HomePhone"):
            err.phone(f"{key}.value", contact.value)
        elif contact.contact_type == "Email":
            err.email(f"{key}.value", contact.value)
    err.texts(e)
    return err.errors


# --- Case -----------------------------------------------------------------------------


def validate_case(e: Case, today: dt.date) -> dict[str, str]:
    err = _Errors(today)
    if err.required("number", e.number) and parse_case_number(e.number) is None:
        err.add(
            "number",
            _("Not a case number like {example}.").format(example="ORG-2026-0042"),
        )
    err.required("person_id", e.person_id)
    err.required("owner_id", e.owner_id)
    err.code("status", e.status, codes.CASE_STATUS, required=True)
    err.past("opened_on", e.opened_on, required=True)
    err.past("closed_on", e.closed_on)
    err.not_before(
        "closed_on", e.closed_on, e.opened_on, _("The case cannot close before it opened.")
    )
    for name, message in validate_case_closure(e).items():
        err.add(name, message)
    err.code("trafficking_status", e.trafficking_status, codes.TRAFFICKING_STATUS, required=True)
    err.code(
        "trafficking_status_decision_org",
        e.trafficking_status_decision_org,
        codes.TRAFFICKING_STATUS_DECISION_ORG,
    )
    err.past("trafficking_status_decided_on", e.trafficking_status_decided_on)
    err.code("risk_level", e.risk_level, codes.RISK_LEVEL)
    err.code("sharing_level", e.sharing_level, codes.SHARING_LEVEL, required=True)
    err.texts(e)
    return err.errors


def validate_case_closure(case: Case) -> dict[str, str]:
    """A closed case needs a closing date and a reason (IOM Handbook §2.7); an open case
    has neither."""
    err = _Errors()
    if case.status in codes.CLOSED_CASE_STATUSES:
        if case.closed_on is None:
            err.add("closed_on", _("Enter the date the case was closed."))
        if not case.closure_reason:
            err.add("closure_reason", _("Choose why the case is being closed."))
        else:
            err.code("closure_reason", case.closure_reason, codes.CLOSURE_REASON)
    else:
        if case.closed_on is not None:
            err.add("closed_on", _("An open case cannot have a closing date."))
        if case.closure_reason:
            err.add("closure_reason", _("An open case cannot have a closure reason."))
    return err.errors


# --- Intake and trafficking events ----------------------------------------------------


def validate_intake(e: Intake, today: dt.date) -> dict[str, str]:
    err = _Errors(today)
    err.required("case_id", e.case_id)
    err.past("intake_date", e.intake_date, required=True)
    err.language("interpreter_language", e.interpreter_language)
    err.code("identification_source", e.identification_source, codes.IDENTIFICATION_SOURCE)
    err.code("data_source", e.data_source, codes.DATA_SOURCE, required=True)
    err.codes("exploitation_types", e.exploitation_types, codes.EXPLOITATION_TYPE)
    err.code("forced_labour_industry", e.forced_labour_industry, codes.FORCED_LABOUR_INDUSTRY)
    err.codes("sex_exploitation_types", e.sex_exploitation_types, codes.SEX_EXPLOITATION_TYPE)
    if e.sex_exploitation_types and "SexualExploitation" not in e.exploitation_types:
        err.add(
            "sex_exploitation_types",
            _("Tick sexual exploitation among the types of exploitation first."),
        )
    err.codes("methods_of_control", e.methods_of_control, codes.METHODS_OF_CONTROL)
    err.codes("recruitment_methods", e.recruitment_methods, codes.RECRUITMENT_METHOD)
    err.code(
        "relationship_to_trafficker",
        e.relationship_to_trafficker,
        codes.RELATIONSHIP_TO_TRAFFICKER,
    )
    err.codes("recruitment_websites", e.recruitment_websites, codes.WEBSITE_OR_APP)
    err.codes("exploitation_websites", e.exploitation_websites, codes.WEBSITE_OR_APP)
    err.past("trafficking_began_on", e.trafficking_began_on)
    err.past("trafficking_ended_on", e.trafficking_ended_on)
    err.not_before(
        "trafficking_ended_on",
        e.trafficking_ended_on,
        e.trafficking_began_on,
        _end_before_start(),
    )
    err.codes("forced_labour_indicators", e.forced_labour_indicators, FORCED_LABOUR_INDICATORS)
    err.codes("delphi_indicators", e.delphi_indicators, DELPHI_INDICATOR_LIST)
    err.texts(e)
    return err.errors


def validate_trafficking_event(e: TraffickingEvent, today: dt.date) -> dict[str, str]:
    err = _Errors(today)
    err.required("case_id", e.case_id)
    err.code("event_type", e.event_type, codes.EVENT_TYPE, required=True)
    err.past("event_date", e.event_date)
    err.country("country", e.country)
    err.position(e.latitude, e.longitude)
    err.texts(e)
    return err.errors


# --- Consent --------------------------------------------------------------------------


def validate_consent(e: Consent, today: dt.date) -> dict[str, str]:
    err = _Errors(today)
    err.required("case_id", e.case_id)
    err.past("given_on", e.given_on, required=True)
    err.code("method", e.method, codes.CONSENT_METHOD, required=e.consent_given)
    err.language("interpreter_language", e.interpreter_language)
    if e.method == "OralWithInterpreter":
        err.required("interpreter_language", e.interpreter_language)
    err.code("sharing_level", e.sharing_level, codes.SHARING_LEVEL, required=True)
    err.past("withdrawn_on", e.withdrawn_on)
    err.not_before(
        "withdrawn_on",
        e.withdrawn_on,
        e.given_on,
        _("Consent cannot be withdrawn before it was given."),
    )
    if not e.consent_given:
        message = _("Nothing can be shared without consent.")
        if e.sharing_level and e.sharing_level != "NotShared":
            err.add("sharing_level", message)
        for scope in ("share_with_partners", "research", "photographs"):
            if getattr(e, scope):
                err.add(scope, message)
    err.texts(e)
    return err.errors


# --- Needs assessment and plans -------------------------------------------------------


def validate_needs_assessment(e: NeedsAssessment, today: dt.date) -> dict[str, str]:
    err = _Errors(today)
    err.required("case_id", e.case_id)
    err.past("assessed_on", e.assessed_on, required=True)
    seen: set[str] = set()
    for i, rating in enumerate(e.ratings):
        key = f"ratings[{i}]"
        err.code(f"{key}.domain", rating.domain, codes.NEED_DOMAIN, required=True)
        err.code(f"{key}.level", rating.level, codes.NEED_LEVEL, required=True)
        if rating.domain and rating.domain in seen:
            err.add(f"{key}.domain", _("This need is rated twice."))
        seen.add(rating.domain)
    err.code("risk_level", e.risk_level, codes.RISK_LEVEL)
    for i, factor in enumerate(e.risk_factors):
        key = f"risk_factors[{i}]"
        err.code(f"{key}.level", factor.level, codes.RISK_FACTOR_LEVEL, required=True)
        err.required(f"{key}.description", factor.description)
    err.not_before(
        "next_review_on",
        e.next_review_on,
        e.assessed_on,
        _("The next review cannot be before the assessment."),
    )
    err.texts(e)
    return err.errors


def validate_support_objective(e: SupportObjective, today: dt.date) -> dict[str, str]:
    err = _Errors(today)
    err.required("case_id", e.case_id)
    err.code("objective_type", e.objective_type, codes.SUPPORT_OBJECTIVE_TYPE, required=True)
    err.required("objective", e.objective)
    err.code("status", e.status, codes.OBJECTIVE_STATUS, required=True)
    err.past("actual_end_on", e.actual_end_on)
    err.texts(e)
    return err.errors


def validate_reintegration_plan(e: ReintegrationPlan, today: dt.date) -> dict[str, str]:
    err = _Errors(today)
    err.required("case_id", e.case_id)
    err.past("planned_on", e.planned_on, required=True)
    for i, objective in enumerate(e.objectives):
        key = f"objectives[{i}]"
        err.code(
            f"{key}.dimension", objective.dimension, codes.REINTEGRATION_DIMENSION, required=True
        )
        err.required(f"{key}.objective", objective.objective)
        err.code(f"{key}.status", objective.status, codes.OBJECTIVE_STATUS, required=True)
    err.texts(e)
    return err.errors


# --- Services and referrals -----------------------------------------------------------


def validate_service_delivery(e: ServiceDelivery, today: dt.date) -> dict[str, str]:
    err = _Errors(today)
    err.required("case_id", e.case_id)
    err.code("service_type", e.service_type, codes.SERVICE_TYPE, required=True)
    err.past("started_on", e.started_on, required=True)
    err.past("ended_on", e.ended_on)
    if e.service_type == "Accommodation":
        order_message = _("The discharge date is before the admission date.")
    else:
        order_message = _end_before_start()
    err.not_before("ended_on", e.ended_on, e.started_on, order_message)
    err.money(e.cost, e.currency)
    err.texts(e)
    return err.errors


def validate_referral(e: Referral, today: dt.date) -> dict[str, str]:
    err = _Errors(today)
    err.required("case_id", e.case_id)
    if err.required("to_org_id", e.to_org_id) and e.to_org_id == e.from_org_id:
        err.add("to_org_id", _("An organisation cannot refer a case to itself."))
    err.past("referred_on", e.referred_on, required=True)
    err.code("reason", e.reason, codes.REFERRAL_REASON, required=True)
    err.codes("services_requested", e.services_requested, codes.SERVICE_TYPE)
    err.code("status", e.status, codes.REFERRAL_STATUS, required=True)
    err.past("responded_on", e.responded_on)
    err.not_before(
        "responded_on",
        e.responded_on,
        e.referred_on,
        _("The response cannot be dated before the referral."),
    )
    if e.status in ("Accepted", "Declined", "Completed") and e.responded_on is None:
        err.add("responded_on", _("Enter the date of the response."))
    err.texts(e)
    return err.errors


# --- Return and follow-up -------------------------------------------------------------


def validate_return(e: Return, today: dt.date) -> dict[str, str]:
    err = _Errors(today)
    err.required("case_id", e.case_id)
    if err.required("destination_country", e.destination_country):
        err.country("destination_country", e.destination_country)
    err.past("decided_on", e.decided_on)
    err.not_before(
        "travel_on",
        e.travel_on,
        e.decided_on,
        _("The travel date is before the decision to return."),
    )
    err.not_negative("counselling_sessions", e.counselling_sessions)
    err.codes("checklist", e.checklist, codes.RETURN_CHECKLIST)
    err.money(e.cost, e.currency)
    err.texts(e)
    return err.errors


def validate_follow_up(
    e: FollowUp,
    today: dt.date,
    *,
    return_date: dt.date | None = None,
    questionnaire: Questionnaire = DEFAULT,
) -> dict[str, str]:
    """``return_date`` is the case's return travel date when there is one."""
    err = _Errors(today)
    err.required("case_id", e.case_id)
    err.required("scheduled_on", e.scheduled_on)
    err.past("done_on", e.done_on)
    err.not_before(
        "done_on",
        e.done_on,
        return_date,
        _("A follow-up cannot be done before the return date."),
    )
    if e.done_on is not None:
        err.code("mode", e.mode, codes.FOLLOW_UP_MODE, required=True)
    else:
        err.code("mode", e.mode, codes.FOLLOW_UP_MODE)
        if e.answers:
            err.add("done_on", _("Enter the date the follow-up was done."))
    for code, value in unknown_answers(e.answers, questionnaire).items():
        err.add(f"answers.{code}", _("Unknown answer: {value}").format(value=value))
    err.not_before(
        "next_on",
        e.next_on,
        e.done_on or e.scheduled_on,
        _("The next follow-up cannot be before this one."),
    )
    err.texts(e)
    return err.errors


VALIDATORS: dict[str, Callable[[Any, dt.date], dict[str, str]]] = {
    Organisation.ENTITY: validate_organisation,
    Person.ENTITY: validate_person,
    Case.ENTITY: validate_case,
    Intake.ENTITY: validate_intake,
    TraffickingEvent.ENTITY: validate_trafficking_event,
    Consent.ENTITY: validate_consent,
    NeedsAssessment.ENTITY: validate_needs_assessment,
    SupportObjective.ENTITY: validate_support_objective,
    ServiceDelivery.ENTITY: validate_service_delivery,
    Referral.ENTITY: validate_referral,
    Return.ENTITY: validate_return,
    ReintegrationPlan.ENTITY: validate_reintegration_plan,
    FollowUp.ENTITY: validate_follow_up,
    **COORDINATION_VALIDATORS,
}


def validate(entity: Any, today: dt.date) -> dict[str, str]:
    """Dispatch on ``entity.ENTITY`` (follow-ups without the return-date check)."""
    return VALIDATORS[entity.ENTITY](entity, today)


# --- Ages -----------------------------------------------------------------------------


def age_on(birth_date: dt.date | None, estimated_birth_year: int | None, on: dt.date) -> int | None:
    """Age in whole years on ``on``.

    With a birth date the age is exact; someone born on 29 February becomes a year older
    on 1 March in common years. With only an estimated birth year the age is
    ``on.year - year`` (possibly one year too high). ``None`` when neither is known or the
    date is before the birth.
    """
    if birth_date is not None:
        if on < birth_date:
            return None
        before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
        return on.year - birth_date.year - int(before_birthday)
    if estimated_birth_year is not None:
        age = on.year - estimated_birth_year
        return age if age >= 0 else None
    return None


def majority_status(age: int | None) -> str | None:
    """CTDC ``majorityStatus`` value: ``"Adult"``, ``"Minor"`` or ``None`` when unknown."""
    if age is None:
        return None
    return "Adult" if age >= AGE_OF_MAJORITY else "Minor"


def age_at_trafficking(person: Person, source: Intake | Iterable[TraffickingEvent]) -> int | None:
    """HTCDS ``vic_AgeWhenTrafficked``: the age when trafficking began, from the intake's
    ``trafficking_began_on`` or else the earliest dated trafficking event."""
    if isinstance(source, Intake):
        began = source.trafficking_began_on
    else:
        dates = [event.event_date for event in source if event.event_date is not None]
        began = min(dates) if dates else None
    if began is None:
        return None
    return age_on(person.birth_date, person.estimated_birth_year, began)


# --- Dates ----------------------------------------------------------------------------


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, clamped to the month's last day
    (31 January + 1 month = 28 or 29 February)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def follow_up_schedule(
    return_date: dt.date, months: Iterable[int] = (1, 3, 6, 12)
) -> list[dt.date]:
    """Follow-up dates at the given calendar months after return."""
    return [add_months(return_date, m) for m in months]


def follow_up_state(fu: FollowUp, today: dt.date) -> str:
    """``"done"``, ``"overdue"``, ``"due_today"``, ``"due_this_week"`` (within the next
    seven days) or ``"upcoming"`` (later, or not scheduled)."""
    if fu.done_on is not None:
        return "done"
    if fu.scheduled_on is None:
        return "upcoming"
    if fu.scheduled_on < today:
        return "overdue"
    if fu.scheduled_on == today:
        return "due_today"
    if (fu.scheduled_on - today).days <= DUE_SOON_DAYS:
        return "due_this_week"
    return "upcoming"


# --- Case numbers ---------------------------------------------------------------------


class CaseNumber(NamedTuple):
    prefix: str
    year: int
    sequence: int


def format_case_number(prefix: str, year: int, seq: int) -> str:
    """``ORG-2026-0042``: organisation prefix, year, sequence padded to four digits (it
    grows past 9999). Raises ``ValueError`` for a malformed part (a programming error: the
    prefix is validated with the organisation)."""
    if not _CASE_PREFIX.fullmatch(prefix):
        raise ValueError(f"bad case number prefix: {prefix!r}")
    if not 1000 <= year <= 9999:
        raise ValueError(f"bad year: {year}")
    if seq < 1:
        raise ValueError(f"bad sequence: {seq}")
    return f"{prefix}-{year}-{seq:04d}"


def parse_case_number(text: str) -> CaseNumber | None:
    """The parts of a case number, or ``None`` when ``text`` is not one."""
    match = _CASE_NUMBER.fullmatch(text.strip())
    if match is None:
        return None
    prefix, year, seq = match.groups()
    if int(seq) < 1:
        return None
    return CaseNumber(prefix, int(year), int(seq))


def trafficking_duration_days(intake: Intake) -> int | None:
    """Days between the start and end of trafficking, when both are known."""
    if intake.trafficking_began_on is None or intake.trafficking_ended_on is None:
        return None
    return (intake.trafficking_ended_on - intake.trafficking_began_on).days
