"""A complete synthetic case for the form tests and the benchmark, built in memory.

The people and places are invented; nothing here is real personal data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from shelter_desk.domain.case_file import CaseFile
from shelter_desk.domain.entities import (
    Case,
    Consent,
    Contact,
    FollowUp,
    IdentityDocument,
    Intake,
    NeedRating,
    NeedsAssessment,
    Person,
    Referral,
    Return,
    ServiceDelivery,
    TraffickingEvent,
)
from shelter_desk.domain.sustainability import score_answers

CASE_NUMBER = "HH-2026-0017"
PRINTED = dt.date(2026, 11, 20)
FOLLOW_UP_ANSWERS = {
    "EconomicSatisfaction": "Satisfied",
    "IncomeCoversNeeds": "Partly",
    "HasDebt": "Yes",
    "Working": "Yes",
    "HousingSituation": "WithRelatives",
    "HasIdentityDocument": "Yes",
    "PeopleToCountOn": "OneOrTwo",
    "FeelsSafe": "Safe",
    "Distress": "Sometimes",
}


def follow_up(**changes: object) -> FollowUp:
    scores = score_answers(FOLLOW_UP_ANSWERS)
    base = FollowUp(
        id="fu-1",
        case_id="case-1",
        scheduled_on=dt.date(2026, 10, 1),
        done_on=dt.date(2026, 10, 3),
        mode="InPerson",
        done_by="u-2",
        questionnaire="ShelterDeskRSS/1",
        answers=dict(FOLLOW_UP_ANSWERS),
        economic_score=scores.economic,
        social_score=scores.social,
        psychosocial_score=scores.psychosocial,
        composite_score=scores.composite,
        notes="Works at a bakery; wants a language course.",
        next_on=dt.date(2027, 1, 3),
    )
    for name, value in changes.items():
        setattr(base, name, value)
    return base


def sample_case(**intake_changes: object) -> CaseFile:
    person = Person(
        id="p-1",
        first_name="فاطمة",
        second_name="حداد",
        first_name_latin="Fatima",
        second_name_latin="Haddad",
        aliases=("Fati",),
        birth_date=dt.date(1996, 3, 2),
        gender="Feminine",
        citizenships=("SD",),
        primary_language="ar",
        secondary_language="en",
        documents=(
            IdentityDocument(
                document_type="Passport",
                number="P7788123",
                issuing_country="SD",
                withheld_by_trafficker=True,
            ),
        ),
        contacts=(Contact(contact_type="MobilePhone", value="+972 50 123 4567"),),
        street="Herzl 12",
        city="Haifa",
        country="IL",
    )
    intake = Intake(
        id="in-1",
        case_id="case-1",
        intake_date=dt.date(2026, 6, 2),
        place="Haifa",
        interviewer="Dana Levi",
        interpreter_language="ar",
        identification_source="Hotline",
        exploitation_types=("ForcedLabour",),
        forced_labour_industry="T_ActivitiesOfHouseholdsAsEmployers",
        methods_of_control=("WithholdsDocuments", "TakesEarnings"),
        recruitment_methods=("ThroughFriendsOrSocialEvents",),
        relationship_to_trafficker="Acquainted",
        trafficking_began_on=dt.date(2024, 1, 15),
        trafficking_ended_on=dt.date(2026, 5, 30),
        abducted=False,
        forced_labour_indicators=("RetentionOfIdentityDocuments", "WithholdingOfWages"),
        delphi_indicators=(
            "DeceptiveRecruitment.NatureOfJob",
            "DeceptiveRecruitment.Wages",
            "ExploitativeConditions.ExcessiveHours",
            "ExploitativeConditions.LowOrNoSalary",
            "CoercionAtDestination.ConfiscationOfDocuments",
            "CoercionAtDestination.IsolationConfinement",
        ),
        narrative="Recruited as a domestic worker through a friend; passport taken on arrival.",
    )
    for name, value in intake_changes.items():
        setattr(intake, name, value)
    return CaseFile(
        case=Case(
            id="case-1",
            number=CASE_NUMBER,
            person_id="p-1",
            owner_id="u-2",
            status="Active",
            opened_on=dt.date(2026, 6, 2),
            trafficking_status="ActualVictimOfTrafficking",
            trafficking_status_decided_by="u-1",
            trafficking_status_decided_on=dt.date(2026, 6, 20),
            trafficking_status_decision_org="NGO",
            risk_level="High",
            sharing_level="Pseudonymised",
        ),
        person=person,
        intakes=(intake,),
        consents=(
            Consent(
                id="co-1",
                case_id="case-1",
                consent_given=True,
                informed_of_purpose=True,
                informed_of_data_use=True,
                informed_of_right_of_access=True,
                informed_of_withdrawal=True,
                sharing_level="Pseudonymised",
                share_with_partners=True,
                research=False,
                photographs=False,
                method="OralWithInterpreter",
                interpreter_language="ar",
                given_on=dt.date(2026, 6, 2),
                recorded_by="u-2",
            ),
        ),
        events=(
            TraffickingEvent(
                event_type="Recruitment",
                event_date=dt.date(2024, 1, 15),
                country="SD",
                city="Khartoum",
                description="Offer of work as a nanny",
            ),
            TraffickingEvent(
                event_type="Exploitation",
                event_date=dt.date(2024, 2, 1),
                country="IL",
                city="Haifa",
                description="Domestic work, 16 hours a day",
            ),
        ),
        assessments=(
            NeedsAssessment(
                assessed_on=dt.date(2026, 6, 10),
                assessor="u-2",
                ratings=(
                    NeedRating(domain="Safety", level="High", notes="Trafficker nearby"),
                    NeedRating(domain="LegalDocuments", level="Urgent", notes="No passport"),
                    NeedRating(domain="PhysicalHealth", level="Low"),
                ),
                risk_level="High",
                next_review_on=dt.date(2026, 9, 10),
            ),
        ),
        services=(
            ServiceDelivery(
                service_type="Accommodation",
                provider_org_id="o-1",
                started_on=dt.date(2026, 6, 2),
                cost=Decimal("4200.00"),
                currency="ILS",
            ),
            ServiceDelivery(
                service_type="LegalAid",
                staff="Adv. Cohen",
                started_on=dt.date(2026, 6, 15),
                ended_on=dt.date(2026, 8, 1),
                cost=Decimal("1350.50"),
                currency="ILS",
            ),
            ServiceDelivery(
                service_type="Medical",
                provider_org_id="o-2",
                started_on=dt.date(2026, 6, 5),
                cost=Decimal("310"),
                currency="USD",
            ),
        ),
        referrals=(
            Referral(
                to_org_id="o-2",
                referred_on=dt.date(2026, 6, 5),
                reason="AdditionalServicesRequired",
                services_requested=("Medical", "Psychosocial"),
                status="Accepted",
            ),
        ),
        returns=(
            Return(
                decided_on=dt.date(2026, 8, 20),
                counselling_sessions=3,
                destination_country="SD",
                destination_city="Omdurman",
                travel_on=dt.date(2026, 9, 1),
                checklist=("TravelDocument", "Ticket", "FitToTravel"),
                reception_org_id="o-3",
                cost=Decimal("780"),
                currency="USD",
            ),
        ),
        follow_ups=(
            follow_up(),
            FollowUp(id="fu-2", case_id="case-1", scheduled_on=dt.date(2026, 12, 1)),
        ),
        user_names={"u-1": "Amira Said", "u-2": "Dana Levi"},
        organisation_names={
            "o-1": "Safe Haven Shelter",
            "o-2": "Clinic for Migrants",
            "o-3": "Reception Partner Khartoum",
        },
    )
