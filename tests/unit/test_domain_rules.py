import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shelter_desk.domain import rules
from shelter_desk.domain.coordination import COORDINATION_VALIDATORS
from shelter_desk.domain.entities import (
    ENTITY_CLASSES,
    Case,
    Consent,
    Contact,
    ContactPerson,
    FollowUp,
    IdentityDocument,
    Intake,
    NeedRating,
    NeedsAssessment,
    Organisation,
    Person,
    Referral,
    ReintegrationObjective,
    ReintegrationPlan,
    Return,
    RiskFactor,
    ServiceDelivery,
    SupportObjective,
    TraffickingEvent,
)
from shelter_desk.domain.rules import (
    add_months,
    age_at_trafficking,
    age_on,
    follow_up_schedule,
    follow_up_state,
    format_case_number,
    majority_status,
    parse_case_number,
    validate,
    validate_case_closure,
    validate_follow_up,
)

TODAY = dt.date(2026, 3, 15)
YESTERDAY = TODAY - dt.timedelta(days=1)
TOMORROW = TODAY + dt.timedelta(days=1)
D = dt.date

VALID: dict[type, Any] = {
    Organisation: Organisation(
        name="Shelter A",
        type="NGO",
        country="IL",
        phone="+972 3-123 4567",
        email="office@example.org",
        languages=("he", "ar"),
        services_offered=("Accommodation", "LegalAid"),
        coalition_role="Core",
        case_number_prefix="SHA",
        contact_persons=(ContactPerson(name="Dana", phone="054-1234567", languages=("he",)),),
    ),
    Person: Person(
        first_name="ნინო",
        first_name_latin="Nino",
        birth_date=D(2000, 5, 1),
        gender="Feminine",
        citizenships=("GE",),
        primary_language="ka",
        secondary_language="rus",
        marital_status="Single",
        number_of_children=0,
        education_level="UpperSecondaryEducation",
        documents=(
            IdentityDocument(
                document_type="Passport",
                issuing_country="GE",
                issued_on=D(2019, 1, 1),
                expires_on=D(2029, 1, 1),
                withheld_by_trafficker=True,
            ),
        ),
        contacts=(
            Contact(contact_type="MobilePhone", value="+995 555 12 34 56"),
            Contact(contact_type="Email", value="nino@example.org"),
        ),
        country="GE",
    ),
    Case: Case(
        number="SHA-2026-0042",
        person_id="p1",
        owner_id="u1",
        opened_on=D(2026, 1, 10),
        trafficking_status="ActualVictimOfTrafficking",
        trafficking_status_decision_org="Police",
        trafficking_status_decided_on=D(2026, 2, 1),
        risk_level="High",
        sharing_level="Pseudonymised",
    ),
    Intake: Intake(
        case_id="c1",
        intake_date=D(2026, 1, 10),
        interpreter_language="ka",
        identification_source="Police",
        data_source="CaseManagement",
        exploitation_types=("SexualExploitation", "ForcedLabour"),
        forced_labour_industry="I_AccommodationAndFoodServiceActivities",
        sex_exploitation_types=("Prostitution",),
        methods_of_control=("DebtBondage", "WithholdsDocuments"),
        recruitment_methods=("ThroughOnlineSocialNetworks",),
        relationship_to_trafficker="Acquainted",
        trafficking_began_on=D(2024, 6, 1),
        trafficking_ended_on=D(2025, 12, 20),
        forced_labour_indicators=("DebtBondage",),
        delphi_indicators=("DeceptiveRecruitment.NatureOfJob",),
    ),
    TraffickingEvent: TraffickingEvent(
        case_id="c1", event_type="Recruitment", event_date=D(2024, 6, 1), country="GE"
    ),
    Consent: Consent(
        case_id="c1",
        consent_given=True,
        sharing_level="StatisticsOnly",
        share_with_partners=True,
        method="OralWithInterpreter",
        interpreter_language="ka",
        given_on=D(2026, 1, 10),
    ),
    NeedsAssessment: NeedsAssessment(
        case_id="c1",
        assessed_on=D(2026, 1, 12),
        ratings=(
            NeedRating(domain="Safety", level="Urgent"),
            NeedRating(domain="PhysicalHealth", level="None"),
        ),
        risk_level="High",
        risk_factors=(
            RiskFactor(level="Household", description="Debt to recruiter"),
            RiskFactor(level="Community", description="Supportive church", protective=True),
        ),
        next_review_on=D(2026, 4, 12),
    ),
    SupportObjective: SupportObjective(
        case_id="c1",
        objective_type="Legal",
        objective="Residence permit",
        status="InProgress",
        planned_end_on=D(2026, 9, 1),
    ),
    ServiceDelivery: ServiceDelivery(
        case_id="c1",
        service_type="Accommodation",
        started_on=D(2026, 1, 10),
        ended_on=D(2026, 3, 1),
        cost=Decimal("1250.00"),
        currency="ILS",
    ),
    Referral: Referral(
        case_id="c1",
        from_org_id="o1",
        to_org_id="o2",
        referred_on=D(2026, 2, 1),
        reason="AdditionalServicesRequired",
        services_requested=("LegalAid",),
        status="Accepted",
        responded_on=D(2026, 2, 3),
    ),
    Return: Return(
        case_id="c1",
        decided_on=D(2026, 3, 1),
        counselling_sessions=2,
        destination_country="GE",
        travel_on=D(2026, 4, 1),  # planned travel may be ahead
        checklist=("TravelDocument", "Ticket"),
        cost=Decimal("300"),
        currency="USD",
    ),
    ReintegrationPlan: ReintegrationPlan(
        case_id="c1",
        planned_on=D(2026, 3, 10),
        objectives=(ReintegrationObjective(dimension="Economic", objective="Small shop"),),
    ),
    FollowUp: FollowUp(
        case_id="c1",
        scheduled_on=D(2026, 3, 1),
        done_on=D(2026, 3, 2),
        mode="Phone",
        answers={"Working": "Yes", "FeelsSafe": "Safe"},
        next_on=D(2026, 6, 1),
    ),
}


def check(entity: Any, **changes: Any) -> dict[str, str]:
    return validate(dataclasses.replace(entity, **changes), TODAY)


def test_every_entity_has_a_valid_example_and_a_validator() -> None:
    # The coordination log's records have their examples in tests/services/test_coordination.py.
    assert set(VALID) == set(ENTITY_CLASSES)
    case_entities = {cls.ENTITY for cls in ENTITY_CLASSES}  # type: ignore[attr-defined]
    assert set(rules.VALIDATORS) == case_entities | set(COORDINATION_VALIDATORS)
    for entity in VALID.values():
        assert validate(entity, TODAY) == {}, type(entity).__name__


def test_all_errors_are_reported_at_once() -> None:
    errors = validate(Case(status="Nope", sharing_level=""), TODAY)
    assert set(errors) == {
        "number",
        "person_id",
        "owner_id",
        "status",
        "opened_on",
        "sharing_level",
    }
    assert errors["number"] == "This field is required."
    assert errors["status"] == "Unknown value: Nope"


# (entity type, changes, field with an error)
CASES: list[tuple[type, dict[str, Any], str]] = [
    # Organisation
    (Organisation, {"name": " "}, "name"),
    (Organisation, {"type": "Charity"}, "type"),
    (Organisation, {"country": "Israel"}, "country"),
    (Organisation, {"phone": "call me"}, "phone"),
    (Organisation, {"email": "office@"}, "email"),
    (Organisation, {"languages": ("Hebrew",)}, "languages"),
    (Organisation, {"services_offered": ("Massage",)}, "services_offered"),
    (Organisation, {"coalition_role": "Lead"}, "coalition_role"),
    (Organisation, {"case_number_prefix": "sh-a"}, "case_number_prefix"),
    (Organisation, {"contact_persons": (ContactPerson(),)}, "contact_persons[0].name"),
    (
        Organisation,
        {"contact_persons": (ContactPerson(name="X", email="x"),)},
        "contact_persons[0].email",
    ),
    (
        Organisation,
        {"contact_persons": (ContactPerson(name="X", phone="12"),)},
        "contact_persons[0].phone",
    ),
    (
        Organisation,
        {"contact_persons": (ContactPerson(name="X", languages=("EN",)),)},
        "contact_persons[0].languages",
    ),
    # Person
    (Person, {"first_name": "", "first_name_latin": ""}, "first_name"),
    (Person, {"birth_date": TOMORROW}, "birth_date"),
    (Person, {"estimated_birth_year": 1899}, "estimated_birth_year"),
    (Person, {"estimated_birth_year": TODAY.year + 1}, "estimated_birth_year"),
    (Person, {"gender": "F"}, "gender"),
    (Person, {"citizenships": ("GE", "geo")}, "citizenships"),
    (Person, {"primary_language": "KA"}, "primary_language"),
    (Person, {"secondary_language": "russian"}, "secondary_language"),
    (Person, {"marital_status": "Engaged"}, "marital_status"),
    (Person, {"number_of_children": -1}, "number_of_children"),
    (Person, {"education_level": "ISCED3"}, "education_level"),
    (Person, {"country": "Georgia"}, "country"),
    (Person, {"documents": (IdentityDocument(),)}, "documents[0].document_type"),
    (
        Person,
        {"documents": (IdentityDocument(document_type="Passport", issuing_country="geo"),)},
        "documents[0].issuing_country",
    ),
    (
        Person,
        {"documents": (IdentityDocument(document_type="Visa", issued_on=TOMORROW),)},
        "documents[0].issued_on",
    ),
    (
        Person,
        {
            "documents": (
                IdentityDocument(
                    document_type="Visa", issued_on=D(2020, 1, 1), expires_on=D(2019, 1, 1)
                ),
            )
        },
        "documents[0].expires_on",
    ),
    (Person, {"contacts": (Contact(value="x"),)}, "contacts[0].contact_type"),
    (
        Person,
        {"contacts": (Contact(contact_type="Pigeon", value="x"),)},
        "contacts[0].contact_type",
    ),
    (Person, {"contacts": (Contact(contact_type="Address"),)}, "contacts[0].value"),
    (Person, {"contacts": (Contact(contact_type="HomePhone", value="abc"),)}, "contacts[0].value"),
    (Person, {"contacts": (Contact(contact_type="Email", value="a@b"),)}, "contacts[0].value"),
    # Case
    (Case, {"number": "42"}, "number"),
    (Case, {"number": "SHA-26-0042"}, "number"),
    (Case, {"person_id": ""}, "person_id"),
    (Case, {"owner_id": ""}, "owner_id"),
    (Case, {"status": ""}, "status"),
    (Case, {"status": "Open"}, "status"),
    (Case, {"opened_on": None}, "opened_on"),
    (Case, {"opened_on": TOMORROW}, "opened_on"),
    (Case, {"status": "Closed", "closed_on": TOMORROW, "closure_reason": "Deceased"}, "closed_on"),
    (
        Case,
        {"status": "Closed", "closed_on": D(2026, 1, 1), "closure_reason": "Deceased"},
        "closed_on",
    ),
    (Case, {"status": "Closed", "closed_on": YESTERDAY}, "closure_reason"),
    (Case, {"trafficking_status": ""}, "trafficking_status"),
    (Case, {"trafficking_status": "Actual"}, "trafficking_status"),
    (Case, {"trafficking_status_decision_org": "Army"}, "trafficking_status_decision_org"),
    (Case, {"trafficking_status_decided_on": TOMORROW}, "trafficking_status_decided_on"),
    (Case, {"risk_level": "Extreme"}, "risk_level"),
    (Case, {"sharing_level": "Everything"}, "sharing_level"),
    # Intake
    (Intake, {"case_id": ""}, "case_id"),
    (Intake, {"intake_date": None}, "intake_date"),
    (Intake, {"intake_date": TOMORROW}, "intake_date"),
    (Intake, {"interpreter_language": "Georgian"}, "interpreter_language"),
    (Intake, {"identification_source": "Neighbour"}, "identification_source"),
    (Intake, {"data_source": ""}, "data_source"),
    (Intake, {"exploitation_types": ("Slavery",)}, "exploitation_types"),
    (Intake, {"forced_labour_industry": "Farming"}, "forced_labour_industry"),
    (Intake, {"sex_exploitation_types": ("Escort",)}, "sex_exploitation_types"),
    (Intake, {"exploitation_types": ("ForcedLabour",)}, "sex_exploitation_types"),
    (Intake, {"methods_of_control": ("Drugs",)}, "methods_of_control"),
    (Intake, {"recruitment_methods": ("Radio",)}, "recruitment_methods"),
    (Intake, {"relationship_to_trafficker": "Unacquainted"}, "relationship_to_trafficker"),
    (
        Intake,
        {"trafficking_began_on": TOMORROW, "trafficking_ended_on": None},
        "trafficking_began_on",
    ),
    (Intake, {"trafficking_ended_on": TOMORROW}, "trafficking_ended_on"),
    (Intake, {"trafficking_ended_on": D(2024, 5, 1)}, "trafficking_ended_on"),
    (Intake, {"forced_labour_indicators": ("Hunger",)}, "forced_labour_indicators"),
    (Intake, {"delphi_indicators": ("NatureOfJob",)}, "delphi_indicators"),
    # TraffickingEvent
    (TraffickingEvent, {"case_id": ""}, "case_id"),
    (TraffickingEvent, {"event_type": ""}, "event_type"),
    (TraffickingEvent, {"event_type": "Rescue"}, "event_type"),
    (TraffickingEvent, {"event_date": TOMORROW}, "event_date"),
    (TraffickingEvent, {"country": "ge"}, "country"),
    # Consent
    (Consent, {"case_id": ""}, "case_id"),
    (Consent, {"given_on": None}, "given_on"),
    (Consent, {"given_on": TOMORROW}, "given_on"),
    (Consent, {"method": ""}, "method"),
    (Consent, {"method": "Telepathy"}, "method"),
    (Consent, {"interpreter_language": ""}, "interpreter_language"),
    (Consent, {"interpreter_language": "Georgian"}, "interpreter_language"),
    (Consent, {"sharing_level": ""}, "sharing_level"),
    (Consent, {"sharing_level": "All"}, "sharing_level"),
    (Consent, {"withdrawn_on": TOMORROW}, "withdrawn_on"),
    (Consent, {"withdrawn_on": D(2026, 1, 9)}, "withdrawn_on"),
    (Consent, {"consent_given": False}, "sharing_level"),
    (Consent, {"consent_given": False, "sharing_level": "NotShared"}, "share_with_partners"),
    (
        Consent,
        {
            "consent_given": False,
            "sharing_level": "NotShared",
            "share_with_partners": False,
            "research": True,
        },
        "research",
    ),
    (
        Consent,
        {
            "consent_given": False,
            "sharing_level": "NotShared",
            "share_with_partners": False,
            "photographs": True,
        },
        "photographs",
    ),
    # NeedsAssessment
    (NeedsAssessment, {"case_id": ""}, "case_id"),
    (NeedsAssessment, {"assessed_on": None}, "assessed_on"),
    (NeedsAssessment, {"assessed_on": TOMORROW, "next_review_on": None}, "assessed_on"),
    (NeedsAssessment, {"ratings": (NeedRating(level="Low"),)}, "ratings[0].domain"),
    (NeedsAssessment, {"ratings": (NeedRating(domain="Food", level="Low"),)}, "ratings[0].domain"),
    (NeedsAssessment, {"ratings": (NeedRating(domain="Safety"),)}, "ratings[0].level"),
    (
        NeedsAssessment,
        {"ratings": (NeedRating(domain="Safety", level="Critical"),)},
        "ratings[0].level",
    ),
    (
        NeedsAssessment,
        {
            "ratings": (
                NeedRating(domain="Safety", level="Low"),
                NeedRating(domain="Safety", level="High"),
            )
        },
        "ratings[1].domain",
    ),
    (NeedsAssessment, {"risk_level": "Urgent"}, "risk_level"),
    (NeedsAssessment, {"risk_factors": (RiskFactor(description="x"),)}, "risk_factors[0].level"),
    (
        NeedsAssessment,
        {"risk_factors": (RiskFactor(level="Global", description="x"),)},
        "risk_factors[0].level",
    ),
    (
        NeedsAssessment,
        {"risk_factors": (RiskFactor(level="Individual"),)},
        "risk_factors[0].description",
    ),
    (NeedsAssessment, {"next_review_on": D(2026, 1, 1)}, "next_review_on"),
    # SupportObjective
    (SupportObjective, {"case_id": ""}, "case_id"),
    (SupportObjective, {"objective_type": ""}, "objective_type"),
    (SupportObjective, {"objective_type": "Spiritual"}, "objective_type"),
    (SupportObjective, {"objective": ""}, "objective"),
    (SupportObjective, {"status": ""}, "status"),
    (SupportObjective, {"status": "Done"}, "status"),
    (SupportObjective, {"actual_end_on": TOMORROW}, "actual_end_on"),
    # ServiceDelivery
    (ServiceDelivery, {"case_id": ""}, "case_id"),
    (ServiceDelivery, {"service_type": ""}, "service_type"),
    (ServiceDelivery, {"service_type": "Spa"}, "service_type"),
    (ServiceDelivery, {"started_on": None}, "started_on"),
    (ServiceDelivery, {"started_on": TOMORROW, "ended_on": None}, "started_on"),
    (ServiceDelivery, {"ended_on": TOMORROW}, "ended_on"),
    (ServiceDelivery, {"ended_on": D(2026, 1, 9)}, "ended_on"),
    (ServiceDelivery, {"cost": Decimal("-1")}, "cost"),
    (ServiceDelivery, {"cost": Decimal("NaN")}, "cost"),
    (ServiceDelivery, {"currency": ""}, "currency"),
    (ServiceDelivery, {"currency": "shekel"}, "currency"),
    # Referral
    (Referral, {"case_id": ""}, "case_id"),
    (Referral, {"to_org_id": ""}, "to_org_id"),
    (Referral, {"to_org_id": "o1"}, "to_org_id"),
    (Referral, {"referred_on": None}, "referred_on"),
    (Referral, {"referred_on": TOMORROW, "responded_on": None, "status": "Sent"}, "referred_on"),
    (Referral, {"reason": ""}, "reason"),
    (Referral, {"reason": "Capacity"}, "reason"),
    (Referral, {"services_requested": ("Spa",)}, "services_requested"),
    (Referral, {"status": ""}, "status"),
    (Referral, {"status": "Lost"}, "status"),
    (Referral, {"responded_on": TOMORROW}, "responded_on"),
    (Referral, {"responded_on": D(2026, 1, 31)}, "responded_on"),
    (Referral, {"responded_on": None}, "responded_on"),
    # Return
    (Return, {"case_id": ""}, "case_id"),
    (Return, {"destination_country": ""}, "destination_country"),
    (Return, {"destination_country": "GEO"}, "destination_country"),
    (Return, {"decided_on": TOMORROW, "travel_on": None}, "decided_on"),
    (Return, {"travel_on": D(2026, 2, 1)}, "travel_on"),
    (Return, {"counselling_sessions": -2}, "counselling_sessions"),
    (Return, {"checklist": ("Passport",)}, "checklist"),
    (Return, {"cost": Decimal("-0.01")}, "cost"),
    (Return, {"currency": ""}, "currency"),
    # ReintegrationPlan
    (ReintegrationPlan, {"case_id": ""}, "case_id"),
    (ReintegrationPlan, {"planned_on": None}, "planned_on"),
    (ReintegrationPlan, {"planned_on": TOMORROW}, "planned_on"),
    (
        ReintegrationPlan,
        {"objectives": (ReintegrationObjective(objective="x"),)},
        "objectives[0].dimension",
    ),
    (
        ReintegrationPlan,
        {"objectives": (ReintegrationObjective(dimension="Cultural", objective="x"),)},
        "objectives[0].dimension",
    ),
    (
        ReintegrationPlan,
        {"objectives": (ReintegrationObjective(dimension="Social"),)},
        "objectives[0].objective",
    ),
    (
        ReintegrationPlan,
        {"objectives": (ReintegrationObjective(dimension="Social", objective="x", status=""),)},
        "objectives[0].status",
    ),
    # FollowUp
    (FollowUp, {"case_id": ""}, "case_id"),
    (FollowUp, {"scheduled_on": None}, "scheduled_on"),
    (FollowUp, {"done_on": TOMORROW, "next_on": None}, "done_on"),
    (FollowUp, {"done_on": None, "mode": ""}, "done_on"),
    (FollowUp, {"mode": ""}, "mode"),
    (FollowUp, {"mode": "Letter"}, "mode"),
    (FollowUp, {"done_on": None, "answers": {}, "mode": "Zoom"}, "mode"),
    (FollowUp, {"answers": {"Working": "Sometimes"}}, "answers.Working"),
    (FollowUp, {"answers": {"Salary": "High"}}, "answers.Salary"),
    (FollowUp, {"next_on": D(2026, 3, 1)}, "next_on"),
]


@pytest.mark.parametrize(
    ("cls", "changes", "field"),
    CASES,
    ids=[f"{cls.__name__}-{field}-{i}" for i, (cls, _c, field) in enumerate(CASES)],
)
def test_each_error(cls: type, changes: dict[str, Any], field: str) -> None:
    errors = check(VALID[cls], **changes)
    assert field in errors, errors
    assert errors[field].strip()


def test_messages() -> None:
    stay = VALID[ServiceDelivery]
    assert check(stay, ended_on=D(2026, 1, 1))["ended_on"] == (
        "The discharge date is before the admission date."
    )
    assert check(stay, service_type="Medical", ended_on=D(2026, 1, 1))["ended_on"] == (
        "The end date is before the start date."
    )
    assert check(stay, cost=Decimal("-5"))["cost"] == "The cost cannot be negative."
    assert check(stay, started_on=TOMORROW, ended_on=None)["started_on"] == (
        "This date is in the future."
    )
    assert check(VALID[Person], citizenships=("Georgia",))["citizenships"] == (
        "Not a country code: Georgia"
    )


def test_today_is_not_in_the_future() -> None:
    assert check(VALID[ServiceDelivery], ended_on=TODAY) == {}


def test_follow_up_done_before_return() -> None:
    fu = VALID[FollowUp]
    errors = validate_follow_up(fu, TODAY, return_date=D(2026, 3, 5))
    assert errors == {"done_on": "A follow-up cannot be done before the return date."}
    assert validate_follow_up(fu, TODAY, return_date=fu.done_on) == {}


def test_scheduled_follow_up_without_answers_is_valid() -> None:
    assert check(VALID[FollowUp], done_on=None, mode="", answers={}, next_on=None) == {}


# --- Case closure ---------------------------------------------------------------------


def test_closed_case_needs_date_and_reason() -> None:
    assert validate_case_closure(Case(status="Closed")) == {
        "closed_on": "Enter the date the case was closed.",
        "closure_reason": "Choose why the case is being closed.",
    }
    assert set(validate_case_closure(Case(status="ClosedReferred"))) == {
        "closed_on",
        "closure_reason",
    }


def test_closed_case_reason_must_be_known() -> None:
    errors = validate_case_closure(
        Case(status="Closed", closed_on=YESTERDAY, closure_reason="Bored")
    )
    assert errors == {"closure_reason": "Unknown value: Bored"}


def test_open_case_has_no_closure() -> None:
    errors = validate_case_closure(
        Case(status="FollowUp", closed_on=YESTERDAY, closure_reason="Deceased")
    )
    assert set(errors) == {"closed_on", "closure_reason"}
    assert validate_case_closure(Case(status="Active")) == {}


def test_properly_closed_case() -> None:
    case = dataclasses.replace(
        VALID[Case],
        status="ClosedReferred",
        closed_on=YESTERDAY,
        closure_reason="ReferredToOtherOrganisation",
    )
    assert validate_case_closure(case) == {}
    assert validate(case, TODAY) == {}


# --- Ages -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (D(2000, 5, 1), D(2018, 4, 30), 17),
        (D(2000, 5, 1), D(2018, 5, 1), 18),
        (D(2000, 5, 1), D(2000, 5, 1), 0),
        (D(2004, 2, 29), D(2005, 2, 28), 0),  # leap-day birthday: older on 1 March
        (D(2004, 2, 29), D(2005, 3, 1), 1),
        (D(2004, 2, 29), D(2008, 2, 28), 3),
        (D(2004, 2, 29), D(2008, 2, 29), 4),
        (D(2007, 12, 31), D(2025, 12, 31), 18),
        (D(2008, 1, 1), D(2025, 12, 31), 17),
    ],
)
def test_age_on_birth_date(birth: dt.date, on: dt.date, age: int) -> None:
    assert age_on(birth, None, on) == age


def test_age_on_edge_cases() -> None:
    assert age_on(D(2010, 1, 1), None, D(2009, 12, 31)) is None  # before birth
    assert age_on(None, 2000, D(2026, 1, 1)) == 26
    assert age_on(D(2000, 12, 31), 1990, D(2026, 1, 1)) == 25  # the exact date wins
    assert age_on(None, 2030, D(2026, 1, 1)) is None
    assert age_on(None, None, D(2026, 1, 1)) is None


@pytest.mark.parametrize(
    ("age", "status"), [(None, None), (0, "Minor"), (17, "Minor"), (18, "Adult"), (80, "Adult")]
)
def test_majority_status(age: int | None, status: str | None) -> None:
    assert majority_status(age) == status


def test_age_at_trafficking_from_intake_or_events() -> None:
    person = Person(birth_date=D(2008, 6, 15))
    assert age_at_trafficking(person, Intake(trafficking_began_on=D(2024, 6, 14))) == 15
    assert age_at_trafficking(person, Intake()) is None
    events = [
        TraffickingEvent(event_type="Exploitation", event_date=D(2025, 1, 1)),
        TraffickingEvent(event_type="Transit"),
        TraffickingEvent(event_type="Recruitment", event_date=D(2024, 7, 1)),
    ]
    assert age_at_trafficking(person, events) == 16
    assert age_at_trafficking(person, []) is None
    assert age_at_trafficking(Person(estimated_birth_year=2000), events) == 24
    assert age_at_trafficking(Person(), events) is None


def test_trafficking_duration() -> None:
    intake = Intake(trafficking_began_on=D(2024, 2, 28), trafficking_ended_on=D(2024, 3, 1))
    assert rules.trafficking_duration_days(intake) == 2
    assert rules.trafficking_duration_days(Intake(trafficking_began_on=D(2024, 1, 1))) is None


# --- Follow-up schedule ---------------------------------------------------------------


def test_schedule_clamps_to_month_end() -> None:
    assert follow_up_schedule(D(2026, 1, 31)) == [
        D(2026, 2, 28),
        D(2026, 4, 30),
        D(2026, 7, 31),
        D(2027, 1, 31),
    ]


def test_schedule_in_a_leap_year_and_across_years() -> None:
    assert follow_up_schedule(D(2027, 11, 30), months=(3,)) == [D(2028, 2, 29)]
    assert follow_up_schedule(D(2026, 12, 15), months=(1, 2)) == [D(2027, 1, 15), D(2027, 2, 15)]
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2026, 5, 31), 0) == D(2026, 5, 31)
    assert follow_up_schedule(D(2026, 1, 1), months=()) == []


@given(st.dates(max_value=D(9000, 1, 1)), st.integers(min_value=0, max_value=240))
def test_add_months_lands_in_the_right_month(start: dt.date, months: int) -> None:
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day == start.day or (
        result.day < start.day and (result + dt.timedelta(1)).day == 1
    )


@pytest.mark.parametrize(
    ("scheduled", "done", "state"),
    [
        (D(2026, 3, 1), D(2026, 3, 2), "done"),
        (None, D(2026, 3, 2), "done"),
        (D(2026, 3, 14), None, "overdue"),
        (TODAY, None, "due_today"),
        (D(2026, 3, 16), None, "due_this_week"),
        (D(2026, 3, 22), None, "due_this_week"),
        (D(2026, 3, 23), None, "upcoming"),
        (None, None, "upcoming"),
    ],
)
def test_follow_up_state(scheduled: dt.date | None, done: dt.date | None, state: str) -> None:
    assert follow_up_state(FollowUp(scheduled_on=scheduled, done_on=done), TODAY) == state


# --- Case numbers ---------------------------------------------------------------------


def test_case_number_format_and_parse() -> None:
    assert format_case_number("ORG", 2026, 42) == "ORG-2026-0042"
    assert format_case_number("ORG", 2026, 12345) == "ORG-2026-12345"
    assert parse_case_number("ORG-2026-0042") == ("ORG", 2026, 42)
    assert parse_case_number(" ORG-2026-0042 ").sequence == 42  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ORG-2026-42",
        "org-2026-0042",
        "ORG-26-0042",
        "ORG-2026-0000",
        "O-2026-0001",
        "ORG 2026 0042",
        "ORG-2026-0042-1",
    ],
)
def test_not_case_numbers(text: str) -> None:
    assert parse_case_number(text) is None


@pytest.mark.parametrize(
    ("prefix", "year", "seq"),
    [("or", 2026, 1), ("ORG-A", 2026, 1), ("ORG", 26, 1), ("ORG", 2026, 0)],
)
def test_bad_case_number_parts(prefix: str, year: int, seq: int) -> None:
    with pytest.raises(ValueError):
        format_case_number(prefix, year, seq)


@given(
    st.from_regex(r"[A-Z0-9]{2,10}", fullmatch=True),
    st.integers(min_value=1000, max_value=9999),
    st.integers(min_value=1, max_value=10**7),
)
def test_case_number_round_trip(prefix: str, year: int, seq: int) -> None:
    assert parse_case_number(format_case_number(prefix, year, seq)) == (prefix, year, seq)
