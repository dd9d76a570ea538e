"""The case summary: what a partner needs to continue the support, on a few pages.

It travels with a referral, so ``redact_identity`` prints it without names, contacts,
document numbers, birth date, address or destination city, and without free-text notes,
which may name people (age, gender and citizenship stay: the receiving organisation needs
them to help).
"""

from __future__ import annotations

from shelter_desk.domain import codes, rules
from shelter_desk.domain.case_file import CaseFile
from shelter_desk.domain.indicators import assess_delphi
from shelter_desk.i18n import N_, NP_, ltr
from shelter_desk.reports.forms_base import TABLE_START, FormPrinter

TITLE = N_("Case summary")
INTRO = N_("Summary of case {number} as recorded on {date}.")
REDACTED_NOTE = N_(
    "This copy does not show who the person is: names, contacts and document numbers are left out."
)

PERSON = N_("The person")
NAME = N_("Name")
NAME_LATIN = N_("Name in Latin letters")
OTHER_NAMES = N_("Other names used")
BIRTH_DATE = N_("Date of birth")
AGE = N_("Age")
AGE_ESTIMATED = N_("{age} (estimated)")
GENDER = N_("Gender")
CITIZENSHIP = N_("Citizenship")
LANGUAGES = N_("Languages spoken")
DOCUMENTS = N_("Identity documents")
DOCUMENT = N_("Document")
DOCUMENT_NUMBER = N_("Number")
ISSUING_COUNTRY = N_("Issued by (country)")
HELD_BY_TRAFFICKER = N_("Held by the trafficker?")
CONTACTS = N_("Contacts")
CONTACT_TYPE = N_("Type")
CONTACT_VALUE = N_("Number or address")
SAFE_TO_USE = N_("Safe to use?")

THE_CASE = N_("The case")
CASE_NUMBER = N_("Case number")
STATUS = N_("Status")
OPENED_ON = N_("Opened on")
CLOSED_ON = N_("Closed on")
CLOSURE_REASON = N_("Reason for closing")
CASEWORKER = N_("Caseworker")
RISK = N_("Risk of re-trafficking")
TRAFFICKING_STATUS = N_("Trafficking status")
DECIDED_BY = N_("Decided by")
DECIDED_ON = N_("Decided on")
DECISION_ORG = N_("Decision made by (organisation type)")

INTAKE = N_("Intake")
INTAKE_DATE = N_("Date of the interview")
IDENTIFIED_BY = N_("Identified or referred by")
EXPLOITATION = N_("Type of exploitation")
AGE_TRAFFICKED = N_("Age when trafficked")
DELPHI = N_("Delphi indicators")

NEEDS = N_("Needs assessment")
ASSESSED_ON = N_("Assessed on")
ASSESSOR = N_("Assessed by")
NEXT_REVIEW = N_("Next review on")
NEED_DOMAIN = N_("Need")
NEED_LEVEL = N_("Level")
NEED_NOTES = N_("Notes")
NO_ASSESSMENT = N_("No needs assessment recorded.")

SERVICES = N_("Services delivered")
SERVICE = N_("Service")
PROVIDER = N_("Provided by")
# TRANSLATORS: column of the printed summary's services: the date a service started.
STARTED = NP_("date range start", "From")
# TRANSLATORS: column of the printed summary's services: the date a service ended.
ENDED = NP_("date range end", "To")
COST = N_("Cost")
TOTALS = N_("Total cost (services and return)")
CURRENCY = N_("Currency")
TOTAL = N_("Total")
NO_SERVICES = N_("No services recorded.")

REFERRALS = N_("Referrals")
REFERRED_ON = N_("Date")
REFERRED_TO = N_("Referred to")
REASON = N_("Reason")
REQUESTED = N_("Services requested")
REFERRAL_STATUS = N_("Status")

RETURN = N_("Return")
DECISION_ON = N_("Decided on")
DESTINATION = N_("Destination")
TRAVEL_ON = N_("Travel on")
CHECKLIST = N_("Ready for travel")
RECEPTION = N_("Received by")
RETURN_COST = N_("Cost of return")

FOLLOW_UPS = N_("Follow-up visits")
# TRANSLATORS: column of the printed follow-up visits: the date a visit was planned for.
SCHEDULED = NP_("visit date", "Planned")
# TRANSLATORS: column of the printed follow-up visits: the date the visit was made.
DONE = NP_("visit date", "Done")
MODE = N_("How")
ECONOMIC = N_("Economic")
SOCIAL = N_("Social")
PSYCHOSOCIAL = N_("Psychosocial")
COMPOSITE = N_("Overall")

PREPARED_BY = N_("Prepared by (name and signature)")


def draw_case_summary(p: FormPrinter, case: CaseFile) -> None:
    """Draw the summary of ``case`` (a case summary is never blank)."""
    p.heading(TITLE)
    p.say(INTRO, number=ltr(case.case.number), date=p.date(p.printed_on))
    if p.redact_identity:
        p.say(REDACTED_NOTE)
    _person(p, case)
    _case(p, case)
    _intake(p, case)
    _needs(p, case)
    _services(p, case)
    _referrals(p, case)
    _return(p, case)
    _follow_ups(p, case)
    p.signature(PREPARED_BY)


def _person(p: FormPrinter, case: CaseFile) -> None:
    person = case.person
    p.heading(PERSON)
    if not p.redact_identity:
        original = (person.first_name, person.middle_name, person.second_name)
        latin = (person.first_name_latin, person.middle_name_latin, person.second_name_latin)
        p.field(NAME, " ".join(x for x in original if x))
        p.field(NAME_LATIN, " ".join(x for x in latin if x))
        p.field(OTHER_NAMES, p.join(person.aliases))
        p.field(BIRTH_DATE, p.date(person.birth_date))
    age = rules.age_on(person.birth_date, person.estimated_birth_year, p.printed_on)
    age_text = p.number(age)
    if age is not None and person.birth_date is None:
        age_text = p.tr(AGE_ESTIMATED, age=age_text)
    p.field(AGE, age_text)
    p.field(GENDER, p.code(codes.GENDER, person.gender))
    p.field(CITIZENSHIP, p.join(p.country(c) for c in person.citizenships))
    spoken = (person.primary_language, person.secondary_language)
    p.field(LANGUAGES, p.join(p.language(c) for c in spoken))
    if person.documents:
        p.table(
            [DOCUMENT, DOCUMENT_NUMBER, ISSUING_COUNTRY, HELD_BY_TRAFFICKER],
            [3, 3, 2.5, 1.5],
            [
                [
                    p.code(codes.DOCUMENT_TYPE, d.document_type),
                    p.identity(d.number),
                    p.country(d.issuing_country),
                    p.flag(d.withheld_by_trafficker),
                ]
                for d in person.documents
            ],
        )
    if person.contacts and not p.redact_identity:
        p.table(
            [CONTACT_TYPE, CONTACT_VALUE, SAFE_TO_USE],
            [3, 5, 2],
            [
                [p.code(codes.CONTACT_TYPE, c.contact_type), c.value, p.flag(c.safe_to_use)]
                for c in person.contacts
            ],
        )


def _case(p: FormPrinter, case: CaseFile) -> None:
    c = case.case
    p.heading(THE_CASE)
    p.field(CASE_NUMBER, c.number)
    p.field(STATUS, p.code(codes.CASE_STATUS, c.status))
    p.field(OPENED_ON, p.date(c.opened_on))
    if c.closed_on is not None:
        p.field(CLOSED_ON, p.date(c.closed_on))
        p.field(CLOSURE_REASON, p.code(codes.CLOSURE_REASON, c.closure_reason))
    p.field(CASEWORKER, case.owner_name)
    p.field(RISK, p.code(codes.RISK_LEVEL, c.risk_level))
    p.field(TRAFFICKING_STATUS, p.code(codes.TRAFFICKING_STATUS, c.trafficking_status))
    p.field(DECIDED_BY, case.user_name(c.trafficking_status_decided_by))
    p.field(DECIDED_ON, p.date(c.trafficking_status_decided_on))
    decision_org = p.code(codes.TRAFFICKING_STATUS_DECISION_ORG, c.trafficking_status_decision_org)
    p.field(DECISION_ORG, decision_org)


def _intake(p: FormPrinter, case: CaseFile) -> None:
    intake = case.intake
    if intake is None:
        return
    p.heading(INTAKE)
    p.field(INTAKE_DATE, p.date(intake.intake_date))
    p.field(IDENTIFIED_BY, p.code(codes.IDENTIFICATION_SOURCE, intake.identification_source))
    p.field(EXPLOITATION, p.codes(codes.EXPLOITATION_TYPE, intake.exploitation_types))
    p.field(AGE_TRAFFICKED, p.number(rules.age_at_trafficking(case.person, intake)))
    if intake.delphi_indicators:
        p.field(DELPHI, p.tr(assess_delphi(intake.delphi_indicators).conclusion))


def _needs(p: FormPrinter, case: CaseFile) -> None:
    p.heading(NEEDS)
    assessment = case.latest_assessment
    if assessment is None:
        p.say(NO_ASSESSMENT)
        return
    p.field(ASSESSED_ON, p.date(assessment.assessed_on))
    p.field(ASSESSOR, case.user_name(assessment.assessor))
    p.field(RISK, p.code(codes.RISK_LEVEL, assessment.risk_level))
    if assessment.next_review_on is not None:
        p.field(NEXT_REVIEW, p.date(assessment.next_review_on))
    order = {code: i for i, code in enumerate(codes.NEED_DOMAIN.codes())}
    ratings = sorted(assessment.ratings, key=lambda r: order.get(r.domain, len(order)))
    p.table(
        [NEED_DOMAIN, NEED_LEVEL, NEED_NOTES],
        [3, 2, 5],
        [
            [
                p.code(codes.NEED_DOMAIN, r.domain),
                p.code(codes.NEED_LEVEL, r.level),
                p.identity(r.notes),
            ]
            for r in ratings
        ],
    )


def _services(p: FormPrinter, case: CaseFile) -> None:
    p.heading(SERVICES)
    if not case.services:
        p.say(NO_SERVICES)
    else:
        p.table(
            [SERVICE, PROVIDER, STARTED, ENDED, COST],
            [3, 3, 2, 2, 2],
            [
                [
                    p.code(codes.SERVICE_TYPE, s.service_type),
                    case.organisation_name(s.provider_org_id) or s.staff,
                    p.date(s.started_on),
                    p.date(s.ended_on),
                    p.money(s.cost, s.currency),
                ]
                for s in case.services
            ],
        )
    totals = case.cost_totals()
    if totals:
        p.heading(TOTALS, keep=TABLE_START)
        p.table(
            [CURRENCY, TOTAL],
            [1, 2],
            [
                [currency or "", p.money(amount, currency)]
                for currency, amount in sorted(totals.items())
            ],
        )


def _referrals(p: FormPrinter, case: CaseFile) -> None:
    if not case.referrals:
        return
    p.heading(REFERRALS, keep=TABLE_START)
    p.table(
        [REFERRED_ON, REFERRED_TO, REASON, REQUESTED, REFERRAL_STATUS],
        [2, 3, 3, 3, 2],
        [
            [
                p.date(r.referred_on),
                case.organisation_name(r.to_org_id),
                p.code(codes.REFERRAL_REASON, r.reason),
                p.codes(codes.SERVICE_TYPE, r.services_requested),
                p.code(codes.REFERRAL_STATUS, r.status),
            ]
            for r in case.referrals
        ],
    )


def _return(p: FormPrinter, case: CaseFile) -> None:
    r = case.return_
    if r is None:
        return
    p.heading(RETURN)
    p.field(DECISION_ON, p.date(r.decided_on))
    city = "" if p.redact_identity else r.destination_city
    p.field(DESTINATION, p.place([city, p.country(r.destination_country)]))
    p.field(TRAVEL_ON, p.date(r.travel_on))
    p.ticks(CHECKLIST, p.options(codes.RETURN_CHECKLIST), r.checklist, columns=3)
    p.field(RECEPTION, case.organisation_name(r.reception_org_id))
    p.field(RETURN_COST, p.money(r.cost, r.currency))


def _follow_ups(p: FormPrinter, case: CaseFile) -> None:
    if not case.follow_ups:
        return
    p.heading(FOLLOW_UPS, keep=TABLE_START)
    p.table(
        [SCHEDULED, DONE, MODE, ECONOMIC, SOCIAL, PSYCHOSOCIAL, COMPOSITE],
        [2, 2, 2, 1.5, 1.5, 1.5, 1.5],
        [
            [
                p.date(f.scheduled_on),
                p.date(f.done_on),
                p.code(codes.FOLLOW_UP_MODE, f.mode),
                p.percent(f.economic_score),
                p.percent(f.social_score),
                p.percent(f.psychosocial_score),
                p.percent(f.composite_score),
            ]
            for f in case.follow_ups
        ],
    )
