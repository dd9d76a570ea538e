"""The case records as plain dataclasses.

Conventions shared by every entity:

* ``id`` is empty until the store assigns a UUIDv7; ``org_id`` is the owning organisation;
  ``case_id`` / ``person_id`` link to the owner record where there is one.
* Dates are :class:`datetime.date` or ``None`` when unknown; money is
  :class:`decimal.Decimal` with an ISO 4217 ``currency``; single choices are a code string
  (``""`` when not answered) and multi-selects a ``tuple`` of codes (see ``codes``).
  Countries are ISO 3166-1 alpha-2 (``"GE"``), languages ISO 639 (``"ka"``).
* Parts that live inside a record (documents, contacts, ratings...) are nested frozen
  dataclasses held in tuples.
* Sync metadata (clock, version, tombstone, author, device) is kept by the store, not here.

Class-level metadata for the services, the store and the exports:

* ``ENTITY``: the stable snake_case name (also the key of ``serialize.ENTITY_TYPES``).
* ``SAFETY_CRITICAL``: fields whose concurrent edits go to a conflict queue instead of
  last-writer-wins (location, contacts, risk level, identity, consent, case status).
* ``HTCDS``: field name -> HTCDS 2.0 column (prefixed name) for the HTCDS export/import.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

# --- Organisation (partner address book) ----------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactPerson:
    name: str = ""
    role: str = ""
    phone: str = ""
    email: str = ""
    languages: tuple[str, ...] = ()


@dataclass(slots=True, kw_only=True)
class Organisation:
    ENTITY: ClassVar[str] = "organisation"
    SAFETY_CRITICAL: ClassVar[frozenset[str]] = frozenset()
    HTCDS: ClassVar[dict[str, str]] = {
        "name": "org_Name",
        "type": "org_Type",
        "country": "org_ShippingCountry",
        "city": "org_ShippingCity",
        "street": "org_ShippingStreet",
        "state": "org_ShippingState",
        "postal_code": "org_ShippingPostalCode",
        "latitude": "org_ShippingLatitude",
        "longitude": "org_ShippingLongitude",
        "phone": "org_Phone",
    }

    id: str = ""
    org_id: str = ""  # the organisation whose address book holds this entry
    name: str = ""
    type: str = ""  # ORGANISATION_TYPE
    country: str = ""
    city: str = ""
    street: str = ""
    state: str = ""
    postal_code: str = ""
    latitude: float | None = None  # WGS 84 decimal degrees
    longitude: float | None = None
    phone: str = ""
    email: str = ""
    languages: tuple[str, ...] = ()
    services_offered: tuple[str, ...] = ()  # SERVICE_TYPE
    coalition_role: str = ""  # COALITION_ROLE
    case_number_prefix: str = ""  # e.g. "ORG" in ORG-2026-0042
    contact_persons: tuple[ContactPerson, ...] = ()
    notes: str = ""


# --- Person ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class IdentityDocument:
    document_type: str = ""  # DOCUMENT_TYPE
    number: str = ""
    issuing_country: str = ""
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None
    withheld_by_trafficker: bool = False
    notes: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact:
    contact_type: str = ""  # CONTACT_TYPE
    value: str = ""
    safe_to_use: bool = True  # False: known to the trafficker or otherwise unsafe
    notes: str = ""


@dataclass(slots=True, kw_only=True)
class Person:
    ENTITY: ClassVar[str] = "person"
    SAFETY_CRITICAL: ClassVar[frozenset[str]] = frozenset(
        {
            "first_name",
            "middle_name",
            "second_name",
            "first_name_latin",
            "middle_name_latin",
            "second_name_latin",
            "aliases",
            "birth_date",
            "estimated_birth_year",
            "documents",
            "contacts",
            "street",
            "city",
            "country",
            "state",
            "postal_code",
        }
    )
    HTCDS: ClassVar[dict[str, str]] = {
        "salutation": "prs_Salutation",
        "title": "prs_Title",
        "first_name": "prs_FirstName",
        "middle_name": "prs_MiddleName",
        "second_name": "prs_SecondName",
        "birth_date": "prs_Birthdate",
        "gender": "prs_Gender",
        "deceased": "prs_Deceased",
        "marital_status": "prs_MaritalStatus",
        "number_of_children": "prs_NumberOfChildren",
        "primary_language": "prs_PrimaryLanguage",
        "secondary_language": "prs_SecondaryLanguage",
        "education_level": "prs_HighestLevelOfEducation",
        "citizenships": "prs_Citizenship",
        "street": "prs_MailingStreet",
        "city": "prs_MailingCity",
        "country": "prs_MailingCountry",
        "state": "prs_MailingState",
        "postal_code": "prs_MailingPostalCode",
    }

    id: str = ""
    org_id: str = ""
    # Names as the person writes them (any script) and their Latin transliteration.
    first_name: str = ""
    middle_name: str = ""
    second_name: str = ""
    first_name_latin: str = ""
    middle_name_latin: str = ""
    second_name_latin: str = ""
    aliases: tuple[str, ...] = ()
    birth_date: dt.date | None = None
    estimated_birth_year: int | None = None  # when the exact date is unknown
    gender: str = ""  # GENDER
    deceased: bool = False
    citizenships: tuple[str, ...] = ()
    primary_language: str = ""
    secondary_language: str = ""
    marital_status: str = ""  # MARITAL_STATUS
    number_of_children: int | None = None
    education_level: str = ""  # EDUCATION_LEVEL
    documents: tuple[IdentityDocument, ...] = ()
    contacts: tuple[Contact, ...] = ()
    # Where the person lives now (not the shelter's address): safety critical.
    street: str = ""
    city: str = ""
    country: str = ""
    state: str = ""  # state, province or region
    postal_code: str = ""
    salutation: str = ""  # as the person wishes to be addressed ("Ms", "Dr"...)
    title: str = ""  # job title


# --- Case ------------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class Case:
    ENTITY: ClassVar[str] = "case"
    SAFETY_CRITICAL: ClassVar[frozenset[str]] = frozenset(
        {
            "status",
            "closed_on",
            "closure_reason",
            "trafficking_status",
            "risk_level",
            "sharing_level",
        }
    )
    HTCDS: ClassVar[dict[str, str]] = {
        "status": "cas_Status",
        "owner_id": "cas_CaseOwner",
        "closure_reason": "cas_ReasonForCaseClosure",
        "trafficking_status": "vic_TraffickingStatus",
        "trafficking_status_decision_org": "vic_TraffickingStatusDecisionMakingOrg",
    }

    id: str = ""
    org_id: str = ""
    number: str = ""  # ORG-2026-0042, see rules.format_case_number
    person_id: str = ""
    owner_id: str = ""  # the caseworker (user id) who manages the case
    status: str = "Active"  # CASE_STATUS
    opened_on: dt.date | None = None
    closed_on: dt.date | None = None
    closure_reason: str = ""  # CLOSURE_REASON
    closure_notes: str = ""
    trafficking_status: str = "PossibleVictimOfTrafficking"  # TRAFFICKING_STATUS
    trafficking_status_decided_by: str = ""
    trafficking_status_decided_on: dt.date | None = None
    trafficking_status_decision_org: str = ""  # TRAFFICKING_STATUS_DECISION_ORG
    risk_level: str = ""  # RISK_LEVEL
    sharing_level: str = "NotShared"  # SHARING_LEVEL, set from consent


# --- Intake and trafficking history ----------------------------------------------------


@dataclass(slots=True, kw_only=True)
class Intake:
    ENTITY: ClassVar[str] = "intake"
    SAFETY_CRITICAL: ClassVar[frozenset[str]] = frozenset()
    HTCDS: ClassVar[dict[str, str]] = {
        "referring_org_id": "cas_ReferringOrganisation",
        "exploitation_types": "vic_TypeOfExploitation",
        "forced_labour_industry": "vic_ForcedLabourIndustry",
        "sex_exploitation_types": "vic_TypeOfSexExploitation",
        "methods_of_control": "vic_MethodsOfControl",
        "recruitment_methods": "vic_MethodOfRecruitment",
        "relationship_to_trafficker": "vic_RelationshipToTrafficker",
        "recruitment_websites": "vic_RecruitmentWebsitesAndApps",
        "exploitation_websites": "vic_ExploitationWebsitesAndApps",
    }

    id: str = ""
    org_id: str = ""
    case_id: str = ""
    intake_date: dt.date | None = None
    place: str = ""
    interviewer: str = ""
    interpreter_language: str = ""
    identification_source: str = ""  # IDENTIFICATION_SOURCE
    referring_org_id: str = ""
    data_source: str = "CaseManagement"  # DATA_SOURCE
    exploitation_types: tuple[str, ...] = ()  # EXPLOITATION_TYPE
    forced_labour_industry: str = ""  # FORCED_LABOUR_INDUSTRY
    sex_exploitation_types: tuple[str, ...] = ()  # SEX_EXPLOITATION_TYPE
    methods_of_control: tuple[str, ...] = ()  # METHODS_OF_CONTROL
    recruitment_methods: tuple[str, ...] = ()  # RECRUITMENT_METHOD
    relationship_to_trafficker: str = ""  # RELATIONSHIP_TO_TRAFFICKER
    recruitment_websites: tuple[str, ...] = ()  # WEBSITE_OR_APP used to recruit
    exploitation_websites: tuple[str, ...] = ()  # WEBSITE_OR_APP used to exploit
    trafficking_began_on: dt.date | None = None  # age when trafficked is derived from it
    trafficking_ended_on: dt.date | None = None
    abducted: bool | None = None
    forced_labour_indicators: tuple[str, ...] = ()  # indicators.FORCED_LABOUR_INDICATORS
    delphi_indicators: tuple[str, ...] = ()  # indicators.DELPHI_INDICATORS codes
    narrative: str = ""  # free text, never exported
    # The spreadsheet row an imported intake came from ("kobo:<_uuid>" or "row:<hash of its
    # cells>"), so importing the same file again adds nothing; "" when entered here.
    source_ref: str = ""


@dataclass(slots=True, kw_only=True)
class TraffickingEvent:
    ENTITY: ClassVar[str] = "trafficking_event"
    SAFETY_CRITICAL: ClassVar[frozenset[str]] = frozenset()
    HTCDS: ClassVar[dict[str, str]] = {
        "event_type": "hte_Type",
        "event_date": "hte_Date",
        "country": "hte_Country",
        "city": "hte_City",
        "state": "hte_State",
        "street": "hte_Street",
        "postal_code": "hte_PostalCode",
        "latitude": "hte_Latitude",
        "longitude": "hte_Longitude",
        "description": "hte_Description",
    }

    id: str = ""
    org_id: str = ""
    case_id: str = ""
    event_type: str = ""  # EVENT_TYPE
    event_date: dt.date | None = None
    country: str = ""
    city: str = ""
    state: str = ""
    street: str = ""
    postal_code: str = ""
    latitude: float | None = None  # WGS 84 decimal degrees
    longitude: float | None = None
    description: str = ""


# --- Consent ---------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class Consent:
    ENTITY: ClassVar[str] = "consent"
    SAFETY_CRITICAL: ClassVar[frozenset[str]] = frozenset(
        {
            "consent_given",
            "sharing_level",
            "share_with_partners",
            "research",
            "photographs",
            "given_on",
            "withdrawn_on",
        }
    )
    HTCDS: ClassVar[dict[str, str]] = {"consent_given": "con_Consent"}

    id: str = ""
    org_id: str = ""
    case_id: str = ""
    consent_given: bool = False  # consents (or assents) to the interview
    # What the person was told (the HTCDS consent guidance questions).
    informed_of_purpose: bool = False
    informed_of_data_use: bool = False
    informed_of_research_use: bool = False
    informed_of_right_of_access: bool = False
    informed_of_retention: bool = False
    informed_of_withdrawal: bool = False
    # Scopes.
    sharing_level: str = "NotShared"  # SHARING_LEVEL: sharing with the coordinator
    share_with_partners: bool = False  # referral to partner organisations
    research: bool = False
    photographs: bool = False
    method: str = ""  # CONSENT_METHOD
    interpreter_language: str = ""
    given_on: dt.date | None = None
    withdrawn_on: dt.date | None = None
    recorded_by: str = ""
    notes: str = ""


# --- Needs assessment ------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class NeedRating:
    domain: str = ""  # NEED_DOMAIN
    level: str = ""  # NEED_LEVEL
    notes: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RiskFactor:
    level: str = ""  # RISK_FACTOR_LEVEL
    description: str = ""
    protective: bool = False  # a protective factor rather than a risk factor


@dataclass(slots=True, kw_only=True)
class NeedsAssessment:
    ENTITY: ClassVar[str] = "needs_assessment"
    SAFETY_CRITICAL: ClassVar[frozenset[str]] = frozenset({"risk_level"})
    HTCDS: ClassVar[dict[str, str]] = {}

    id: str = ""
    org_id: str = ""
    case_id: str = ""
    assessed_on: dt.date | None = None
    assessor: str = ""
    ratings: tuple[NeedRating, ...] = ()
    risk_level: str = ""  # RISK_LEVEL: risk of re-trafficking
    risk_factors: tuple[RiskFactor, ...] = ()
    next_review_on: dt.date | None = None
    notes: str = ""


# --- Support plan, services, referrals -------------------------------------------------


@dataclass(slots=True, kw_only=True)
class SupportObjective:
    ENTITY: ClassVar[str] = "support_objective"
    SAFETY_CRITICAL: ClassVar[frozenset[str]] = frozenset()
    HTCDS: ClassVar[dict[str, str]] = {
        "objective_type": "spl_Type",
        "objective": "spl_Objectives",
        "action": "spl_ActionPlan",
        "planned_end_on": "spl_PlannedEndDate",
        "actual_end_on": "spl_ActualEndDate",
    }

    id: str = ""
    org_id: str = ""
    case_id: str = ""
    objective_type: str = ""  # SUPPORT_OBJECTIVE_TYPE
    objective: str = ""
    action: str = ""
    responsible: str = ""
    planned_end_on: dt.date | None = None
    actual_end_on: dt.date | None = None
    status: str = "Planned"  # OBJECTIVE_STATUS


@dataclass(slots=True, kw_only=True)
class ServiceDelivery:
    ENTITY: ClassVar[str] = "service_delivery"
    SAFETY_CRITICAL: ClassVar[frozenset[str]] = frozenset()
    HTCDS: ClassVar[dict[str, str]] = {}

    id: str = ""
    org_id: str = ""
    case_id: str = ""
    service_type: str = ""  # SERVICE_TYPE; "Accommodation" = shelter stay
    provider_org_id: str = ""
    staff: str = ""
    started_on: dt.date | None = None  # admission, for a shelter stay
    ended_on: dt.date | None = None  # discharge, for a shelter stay
    cost: Decimal | None = None
    currency: str = ""
    objective_id: str = ""  # the SupportObjective this serves
    notes: str = ""


@dataclass(slots=True, kw_only=True)
class Referral:
    ENTITY: ClassVar[str] = "referral"
    SAFETY_CRITICAL: ClassVar[frozenset[str]] = frozenset()
    HTCDS: ClassVar[dict[str, str]] = {
        "to_org_id": "cas_ReferredOrganisation",
        "referred_on": "cas_OutgoingReferralDate",
        "reason": "cas_ReasonForOutgoingReferral",
        "details": "cas_OutgoingReferralDetails",
    }

    id: str = ""
    org_id: str = ""
    case_id: str = ""
    from_org_id: str = ""
    to_org_id: str = ""
    referred_on: dt.date | None = None
    caseworker: str = ""
    reason: str = ""  # REFERRAL_REASON
    services_requested: tuple[str, ...] = ()  # SERVICE_TYPE
    consent_id: str = ""
    status: str = "Sent"  # REFERRAL_STATUS
    responded_on: dt.date | None = None
    cross_border: bool = False
    # Whether the receiving organisation learns who the person is; that needs the
    # person's referral consent, or a supervisor's recorded override (user id) and why, as
    # typed (each reader's screen says "sent without referral consent" in its own language).
    shares_identity: bool = True
    consent_override_by: str = ""
    override_reason: str = ""
    details: str = ""


# --- Return and reintegration ----------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class Return:
    """Assisted voluntary return (AVRR)."""

    ENTITY: ClassVar[str] = "return"
    SAFETY_CRITICAL: ClassVar[frozenset[str]] = frozenset(
        {"destination_country", "destination_city", "travel_on"}
    )
    HTCDS: ClassVar[dict[str, str]] = {}

    id: str = ""
    org_id: str = ""
    case_id: str = ""
    decided_on: dt.date | None = None  # the person's voluntary decision
    counselling_sessions: int = 0
    destination_country: str = ""
    destination_city: str = ""
    travel_on: dt.date | None = None
    checklist: tuple[str, ...] = ()  # RETURN_CHECKLIST items done
    reception_org_id: str = ""
    cost: Decimal | None = None
    currency: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReintegrationObjective:
    dimension: str = ""  # REINTEGRATION_DIMENSION
    objective: str = ""
    planned_assistance: str = ""
    responsible: str = ""
    target_on: dt.date | None = None
    status: str = "Planned"  # OBJECTIVE_STATUS


@dataclass(slots=True, kw_only=True)
class ReintegrationPlan:
    ENTITY: ClassVar[str] = "reintegration_plan"
    SAFETY_CRITICAL: ClassVar[frozenset[str]] = frozenset()
    HTCDS: ClassVar[dict[str, str]] = {}

    id: str = ""
    org_id: str = ""
    case_id: str = ""
    planned_on: dt.date | None = None  # ideally within a month of return
    objectives: tuple[ReintegrationObjective, ...] = ()
    notes: str = ""


@dataclass(slots=True, kw_only=True)
class FollowUp:
    ENTITY: ClassVar[str] = "follow_up"
    SAFETY_CRITICAL: ClassVar[frozenset[str]] = frozenset()
    HTCDS: ClassVar[dict[str, str]] = {}

    id: str = ""
    org_id: str = ""
    case_id: str = ""
    scheduled_on: dt.date | None = None
    done_on: dt.date | None = None
    mode: str = ""  # FOLLOW_UP_MODE
    done_by: str = ""
    questionnaire: str = ""  # "<code>/<version>" of the sustainability questionnaire used
    answers: dict[str, str] = field(default_factory=dict)  # question code -> option code
    # Computed from ``answers`` by sustainability.score_answers, never typed in.
    economic_score: float | None = None
    social_score: float | None = None
    psychosocial_score: float | None = None
    composite_score: float | None = None
    notes: str = ""
    next_on: dt.date | None = None


ENTITY_CLASSES: tuple[type, ...] = (
    Organisation,
    Person,
    Case,
    Intake,
    TraffickingEvent,
    Consent,
    NeedsAssessment,
    SupportObjective,
    ServiceDelivery,
    Referral,
    Return,
    ReintegrationPlan,
    FollowUp,
)
