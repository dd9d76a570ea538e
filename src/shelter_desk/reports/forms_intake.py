"""The intake form: blank for an outreach worker's handwriting, or filled from a case.

It follows the intake screen: the interview, the person, how they were identified, the
exploitation, the ILO indicators of forced labour, the ILO/EC Delphi indicators grouped by
dimension with their weight, the trafficking events, and a pointer to the consent form.
A filled form ticks the recorded codes and shows the Delphi result computed from the
ticked indicators (:func:`~shelter_desk.domain.indicators.assess_delphi`).
"""

from __future__ import annotations

import datetime as dt

from shelter_desk.domain import codes
from shelter_desk.domain.case_file import CaseFile, sharing_level_in_force
from shelter_desk.domain.entities import Intake, Person
from shelter_desk.domain.indicators import (
    DELPHI_DIMENSIONS,
    DELPHI_ELEMENTS,
    FORCED_LABOUR_INDICATORS,
    WEIGHTS,
    assess_delphi,
    indicators_of,
)
from shelter_desk.i18n import N_
from shelter_desk.reports.forms_base import NOT_RECORDED, TABLE_START, FormPrinter

TITLE = N_("Intake form")
HOW_TO_FILL = N_(
    "Write only what the person is willing to tell. Leave a box empty when the answer is "
    "not known. Tick every box that applies."
)
INTERVIEW = N_("Interview")
INTERVIEW_DATE = N_("Date of the interview")
PLACE = N_("Place")
INTERVIEWER = N_("Interviewer")
INTERPRETER = N_("Interpreter (language)")

THE_PERSON = N_("The person")
FIRST_NAME = N_("First name, as the person writes it")
MIDDLE_NAME = N_("Middle name, as the person writes it")
FAMILY_NAME = N_("Family name, as the person writes it")
FIRST_NAME_LATIN = N_("First name in Latin letters")
MIDDLE_NAME_LATIN = N_("Middle name in Latin letters")
FAMILY_NAME_LATIN = N_("Family name in Latin letters")
ALIASES = N_("Other names used")
BIRTH_DATE = N_("Date of birth")
BIRTH_YEAR = N_("Or estimated year of birth")
GENDER = N_("Gender")
CITIZENSHIP = N_("Citizenship")
LANGUAGES = N_("Languages spoken")
MARITAL_STATUS = N_("Marital status")
CHILDREN = N_("Number of children")
EDUCATION = N_("Highest level of education")
ADDRESS = N_("Where the person lives now")
DOCUMENTS = N_("Identity documents")
DOCUMENT_TYPE = N_("Document")
DOCUMENT_NUMBER = N_("Number")
ISSUING_COUNTRY = N_("Issued by (country)")
WITHHELD_BY_TRAFFICKER = N_("Held by the trafficker?")
CONTACTS = N_("Contacts")
CONTACT_TYPE = N_("Type")
CONTACT_VALUE = N_("Number or address")
SAFE_TO_USE = N_("Safe to use?")

IDENTIFICATION = N_("How the person was identified")
IDENTIFICATION_SOURCE = N_("Identified or referred by")
REFERRING_ORGANISATION = N_("Referring organisation")

EXPLOITATION = N_("Exploitation")
EXPLOITATION_TYPE = N_("Type of exploitation")
INDUSTRY = N_("Industry (forced labour)")
SEX_EXPLOITATION = N_("Type of sexual exploitation")
METHODS_OF_CONTROL = N_("Means of control")
RECRUITMENT = N_("How the person was recruited")
RELATIONSHIP = N_("Relationship to the trafficker")
BEGAN_ON = N_("Trafficking began on")
ENDED_ON = N_("Trafficking ended on")
ABDUCTED = N_("Was the person abducted?")

ILO_INDICATORS = N_("ILO indicators of forced labour")
ILO_INDICATORS_SEEN = N_("Indicators present")
DELPHI = N_("Indicators of trafficking for labour exploitation (ILO/EC Delphi)")
# The weights and the rule are not yet checked against the brochure (see the docstring of
# shelter_desk.domain.indicators), so the form says so rather than stating them as the
# ILO/EC method.
# TRANSLATORS: "strong", "medium" and "weak" are the weights printed beside each indicator
# ("Strong", "Medium", "Weak"); use the same words here.
DELPHI_HOW = N_(
    "Tick each indicator the person describes. The weights shown and this rule are not yet "
    "checked against the ILO/EC 2009 source: a dimension is positive with two strong "
    "indicators, one strong and one medium or weak, three medium, or two medium and one "
    "weak; recruitment, exploitation and coercion (or abuse of vulnerability) at "
    "destination together indicate trafficking. This supports the caseworker's judgement; "
    "it is not a legal identification."
)
INDICATOR_WITH_WEIGHT = N_("{indicator} ({weight})")
DELPHI_RESULT = N_("Result")
POSITIVE_DIMENSIONS = N_("Positive dimensions")
ELEMENTS_PRESENT = N_("Elements of trafficking present")
CONCLUSION = N_("Conclusion")

EVENTS = N_("Trafficking events")
EVENT_TYPE = N_("Event")
EVENT_DATE = N_("Date")
EVENT_COUNTRY = N_("Country")
EVENT_CITY = N_("City")
EVENT_DESCRIPTION = N_("What happened")

ACCOUNT = N_("The person's account")
CONSENT = N_("Consent")
CONSENT_POINTER = N_(
    "Ask for the person's consent before the interview and record it on the consent form. "
    "Without consent, write nothing that identifies the person."
)
CONSENT_GIVEN = N_("Consent recorded on")
CONSENT_WITHDRAWN = N_("Consent withdrawn on")
SHARING = N_("Sharing with the national coordinator")
INTERVIEWER_SIGNATURE = N_("Interviewer's signature")

_ABDUCTED_OPTIONS = (("yes", N_("Yes")), ("no", N_("No")), ("unknown", N_("Not known")))


def draw_intake(p: FormPrinter, case: CaseFile | None) -> None:
    """Draw the intake form, blank or filled from ``case``."""
    intake = case.intake if case is not None else None
    person = case.person if case is not None else None
    p.heading(TITLE)
    if case is None:
        p.say(HOW_TO_FILL)
    _interview(p, intake)
    _person(p, person)
    _identification(p, intake, case)
    _exploitation(p, intake)
    _indicators(p, intake)
    _events(p, case)
    p.heading(ACCOUNT)
    p.field(ACCOUNT, p.identity(intake.narrative) if intake else "", lines=8)
    _consent(p, case)
    p.signature(INTERVIEWER_SIGNATURE)


def _interview(p: FormPrinter, intake: Intake | None) -> None:
    p.heading(INTERVIEW)
    p.field(INTERVIEW_DATE, p.date(intake.intake_date) if intake else "")
    p.field(PLACE, intake.place if intake else "")
    p.field(INTERVIEWER, intake.interviewer if intake else "")
    p.field(INTERPRETER, p.language(intake.interpreter_language) if intake else "")


def _person(p: FormPrinter, person: Person | None) -> None:
    p.heading(THE_PERSON)
    pr = person or Person()
    value = p.identity
    p.field(FIRST_NAME, value(pr.first_name))
    p.field(MIDDLE_NAME, value(pr.middle_name))
    p.field(FAMILY_NAME, value(pr.second_name))
    p.field(FIRST_NAME_LATIN, value(pr.first_name_latin))
    p.field(MIDDLE_NAME_LATIN, value(pr.middle_name_latin))
    p.field(FAMILY_NAME_LATIN, value(pr.second_name_latin))
    p.field(ALIASES, value(p.join(pr.aliases)), lines=2)
    p.field(BIRTH_DATE, value(p.date(pr.birth_date)))
    p.field(BIRTH_YEAR, str(pr.estimated_birth_year or ""))
    p.ticks(GENDER, p.options(codes.GENDER), [pr.gender], columns=3)
    p.field(CITIZENSHIP, p.join(p.country(c) for c in pr.citizenships))
    p.field(LANGUAGES, p.join(p.language(c) for c in (pr.primary_language, pr.secondary_language)))
    p.ticks(MARITAL_STATUS, p.options(codes.MARITAL_STATUS), [pr.marital_status], columns=3)
    p.field(CHILDREN, p.number(pr.number_of_children))
    p.ticks(EDUCATION, p.options(codes.EDUCATION_LEVEL), [pr.education_level])
    address = p.place([pr.street, pr.city, p.country(pr.country)])
    p.field(ADDRESS, value(address), lines=2)
    p.table(
        [DOCUMENT_TYPE, DOCUMENT_NUMBER, ISSUING_COUNTRY, WITHHELD_BY_TRAFFICKER],
        [3, 3, 2.5, 1.5],
        [
            [
                p.code(codes.DOCUMENT_TYPE, d.document_type),
                p.identity(d.number),
                p.country(d.issuing_country),
                p.flag(d.withheld_by_trafficker),
            ]
            for d in pr.documents
        ],
        blank_rows=0 if person is not None else 3,
    )
    if p.redact_identity and person is not None:
        return
    p.table(
        [CONTACT_TYPE, CONTACT_VALUE, SAFE_TO_USE],
        [3, 5, 2],
        [
            [p.code(codes.CONTACT_TYPE, c.contact_type), c.value, p.flag(c.safe_to_use)]
            for c in pr.contacts
        ],
        blank_rows=0 if person is not None else 3,
    )


def _identification(p: FormPrinter, intake: Intake | None, case: CaseFile | None) -> None:
    p.heading(IDENTIFICATION)
    source = [intake.identification_source] if intake else []
    p.ticks(IDENTIFICATION_SOURCE, p.options(codes.IDENTIFICATION_SOURCE), source)
    referring = case.organisation_name(intake.referring_org_id) if intake and case else ""
    p.field(REFERRING_ORGANISATION, referring)


def _exploitation(p: FormPrinter, intake: Intake | None) -> None:
    it = intake or Intake()
    p.heading(EXPLOITATION)
    p.ticks(EXPLOITATION_TYPE, p.options(codes.EXPLOITATION_TYPE), it.exploitation_types)
    p.ticks(INDUSTRY, p.options(codes.FORCED_LABOUR_INDUSTRY), [it.forced_labour_industry])
    p.ticks(SEX_EXPLOITATION, p.options(codes.SEX_EXPLOITATION_TYPE), it.sex_exploitation_types)
    p.ticks(METHODS_OF_CONTROL, p.options(codes.METHODS_OF_CONTROL), it.methods_of_control)
    p.ticks(RECRUITMENT, p.options(codes.RECRUITMENT_METHOD), it.recruitment_methods)
    p.ticks(
        RELATIONSHIP,
        p.options(codes.RELATIONSHIP_TO_TRAFFICKER),
        [it.relationship_to_trafficker],
        columns=3,
    )
    p.field(BEGAN_ON, p.date(it.trafficking_began_on))
    p.field(ENDED_ON, p.date(it.trafficking_ended_on))
    abducted = ""
    if intake is not None:
        abducted = "unknown" if it.abducted is None else ("yes" if it.abducted else "no")
    p.ticks(ABDUCTED, p.options(_ABDUCTED_OPTIONS), [abducted], columns=3)


def _indicators(p: FormPrinter, intake: Intake | None) -> None:
    p.heading(ILO_INDICATORS)
    chosen = intake.forced_labour_indicators if intake else ()
    p.ticks(ILO_INDICATORS_SEEN, p.options(FORCED_LABOUR_INDICATORS), chosen)

    p.heading(DELPHI)
    p.say(DELPHI_HOW)
    ticked = intake.delphi_indicators if intake else ()
    for dimension in DELPHI_DIMENSIONS:
        options = [
            (
                indicator.code,
                p.composed(
                    INDICATOR_WITH_WEIGHT,
                    indicator=indicator.label,
                    weight=WEIGHTS.label(indicator.weight),
                ),
            )
            for indicator in indicators_of(dimension.code)
        ]
        p.ticks(dimension.label, options, ticked)
    p.heading(DELPHI_RESULT)
    if intake is None:
        p.ticks(POSITIVE_DIMENSIONS, p.options(DELPHI_DIMENSIONS))
        p.ticks(ELEMENTS_PRESENT, p.options(DELPHI_ELEMENTS), columns=3)
        p.field(CONCLUSION, lines=2)
        return
    result = assess_delphi(intake.delphi_indicators)
    positive = [r.dimension for r in result.dimensions if r.positive]
    p.ticks(POSITIVE_DIMENSIONS, p.options(DELPHI_DIMENSIONS), positive)
    p.ticks(ELEMENTS_PRESENT, p.options(DELPHI_ELEMENTS), result.elements_present, columns=3)
    p.field(CONCLUSION, p.tr(result.conclusion))


def _events(p: FormPrinter, case: CaseFile | None) -> None:
    p.heading(EVENTS, keep=TABLE_START)
    events = sorted(
        case.events if case is not None else (),
        key=lambda e: (e.event_date is None, e.event_date or dt.date.min),
    )
    p.table(
        [EVENT_TYPE, EVENT_DATE, EVENT_COUNTRY, EVENT_CITY, EVENT_DESCRIPTION],
        [2, 2, 2, 2, 4],
        [
            [
                p.code(codes.EVENT_TYPE, e.event_type),
                p.date(e.event_date),
                p.country(e.country),
                e.city,
                p.identity(e.description),
            ]
            for e in events
        ],
        blank_rows=4 if case is None else 0,
    )


def _consent(p: FormPrinter, case: CaseFile | None) -> None:
    p.heading(CONSENT)
    p.say(CONSENT_POINTER)
    if case is None:
        return
    consent = case.latest_consent
    if consent is None or not consent.consent_given:
        p.field(CONSENT_GIVEN, p.tr(NOT_RECORDED))
        return
    p.field(CONSENT_GIVEN, p.date(consent.given_on))
    if consent.withdrawn_on is not None:
        p.field(CONSENT_WITHDRAWN, p.date(consent.withdrawn_on))
    # What may be shared now: nothing once the consent is withdrawn.
    p.field(SHARING, p.code(codes.SHARING_LEVEL, sharing_level_in_force(case.consents)))
