"""The consent form, written to be read aloud to the person in their own language.

Each part says one thing in short sentences, then asks one yes-or-no question. The person
can agree to some parts and not to others; the caseworker ticks what was told and signs,
with the interpreter when there is one. A filled form ticks what the consent record says.
"""

from __future__ import annotations

from shelter_desk.domain import codes
from shelter_desk.domain.case_file import CaseFile
from shelter_desk.domain.entities import Consent
from shelter_desk.i18n import N_
from shelter_desk.reports.forms_base import FormPrinter

TITLE = N_("Consent form")
READ_ALOUD = N_(
    "Read this form aloud with the person, in a language they understand. Stop after each "
    "part and ask if they have questions. They may say yes to some parts and no to others."
)
PERSON_NAME = N_("Name of the person")

ABOUT_US = N_("Who we are")
ABOUT_US_TEXT = N_(
    "We are {organisation}. We help people who were exploited or trafficked. Our help is "
    "free. You do not have to agree to anything on this form to get our help."
)

RECORDS = N_("What we write down and why")
RECORDS_TEXT = N_(
    "We write down your name, your story and the help you need. We do this to help you and "
    "to plan your support. We keep these notes locked and protected by a password."
)
RECORDS_QUESTION = N_("Do you agree that we write down your information?")

WHO_SEES = N_("Who can see it")
WHO_SEES_TEXT = N_(
    "Only the staff who help you can see your information. We record each time someone "
    "opens your file. Outside our organisation, we share it only in the ways you choose "
    "below, or when the law requires it."
)

COORDINATOR = N_("The national coordinator")
COORDINATOR_TEXT = N_(
    "The national coordinator is the office that counts trafficking cases in this country "
    "and improves help for survivors. You choose what we send to this office. Tick one."
)
COORDINATOR_QUESTION = N_("What may we send to the national coordinator?")
SHARE_IDENTIFIED = N_("With my name: they know who I am.")
SHARE_PSEUDONYMISED = N_("Without my name: they see my information under a code.")
SHARE_STATISTICS = N_("Only numbers: I am counted, nothing else about me is sent.")
SHARE_NOTHING = N_("Nothing: nothing about me is sent.")

PARTNERS = N_("Help from other organisations")
PARTNERS_TEXT = N_(
    "Other organisations may help you, for example with health care, a lawyer or a place "
    "to stay. If you agree, we send them only what they need to know to help you."
)
PARTNERS_QUESTION = N_("Do you agree that we share your information with them?")

RESEARCH = N_("Research")
RESEARCH_TEXT = N_(
    "People who study trafficking want to learn how to stop it. If you agree, they may use "
    "your information. They never see your name."
)
RESEARCH_QUESTION = N_("Do you agree that your information is used for research?")

PHOTOGRAPHS = N_("Photographs")
PHOTOGRAPHS_TEXT = N_(
    "Sometimes we need a photograph of you, for example for a new document. We keep it "
    "with your file. We never show it in public."
)
PHOTOGRAPHS_QUESTION = N_("Do you agree that we take and keep photographs of you?")

RIGHTS = N_("Your rights")
RIGHTS_TEXT = N_(
    "You can change your mind at any time. You can say no now or later, and we will still "
    "help you. You can ask to see what we wrote about you. You can ask us to correct it."
)

KEEPING = N_("How long we keep it")
KEEPING_TEXT = N_(
    "We keep your information while we support you, and after that only as long as the law "
    "requires. Then we destroy it safely."
)

CASEWORKER_CHECKS = N_("For the caseworker: the person was told")
TOLD_PURPOSE = N_("Why we record information")
TOLD_DATA_USE = N_("How the information is used and shared")
TOLD_RESEARCH = N_("How research may use it")
TOLD_ACCESS = N_("Their right to see and correct it")
TOLD_RETENTION = N_("How long it is kept")
TOLD_WITHDRAWAL = N_("That they can withdraw consent at any time")
METHOD = N_("Consent given")
WITHDRAWN_ON = N_("Consent withdrawn on")

PERSON_SIGNATURE = N_("Signature or mark of the person")
CASEWORKER_NAME = N_("Caseworker's name")
CASEWORKER_SIGNATURE = N_("Caseworker's signature")
INTERPRETER_LANGUAGE = N_("Interpreter: language used")
INTERPRETER_NAME = N_("Interpreter's name")
INTERPRETER_SIGNATURE = N_("Interpreter's signature")

_SHARING_WORDS = (
    ("Identified", SHARE_IDENTIFIED),
    ("Pseudonymised", SHARE_PSEUDONYMISED),
    ("StatisticsOnly", SHARE_STATISTICS),
    ("NotShared", SHARE_NOTHING),
)


def _answer(consent: Consent | None, value: bool) -> list[str]:
    if consent is None:
        return []
    return ["yes" if value else "no"]


def draw_consent(p: FormPrinter, case: CaseFile | None) -> None:
    """Draw the consent form, blank or with the case's consent record ticked."""
    consent = case.latest_consent if case is not None else None  # withdrawn or not
    p.heading(TITLE)
    p.say(READ_ALOUD)
    name = ""
    if case is not None:
        person = case.person
        original = " ".join(x for x in (person.first_name, person.second_name) if x)
        latin = " ".join(x for x in (person.first_name_latin, person.second_name_latin) if x)
        name = p.identity(" / ".join(x for x in (original, latin) if x))
    p.field(PERSON_NAME, name)

    p.heading(ABOUT_US)
    p.say(ABOUT_US_TEXT, organisation=p.organisation)
    p.heading(RECORDS)
    p.say(RECORDS_TEXT)
    given = consent.consent_given if consent else False
    p.ticks(RECORDS_QUESTION, p.yes_no(), _answer(consent, given))
    p.heading(WHO_SEES)
    p.say(WHO_SEES_TEXT)

    p.heading(COORDINATOR)
    p.say(COORDINATOR_TEXT)
    sharing = [consent.sharing_level] if consent else []
    p.ticks(COORDINATOR_QUESTION, p.options(_SHARING_WORDS), sharing, columns=1)

    for title, text, question, value in (
        (PARTNERS, PARTNERS_TEXT, PARTNERS_QUESTION, "share_with_partners"),
        (RESEARCH, RESEARCH_TEXT, RESEARCH_QUESTION, "research"),
        (PHOTOGRAPHS, PHOTOGRAPHS_TEXT, PHOTOGRAPHS_QUESTION, "photographs"),
    ):
        p.heading(title)
        p.say(text)
        agreed = bool(getattr(consent, value)) if consent else False
        p.ticks(question, p.yes_no(), _answer(consent, agreed))

    p.heading(RIGHTS)
    p.say(RIGHTS_TEXT)
    p.heading(KEEPING)
    p.say(KEEPING_TEXT)

    p.heading(CASEWORKER_CHECKS)
    told = (
        ("purpose", TOLD_PURPOSE, "informed_of_purpose"),
        ("data_use", TOLD_DATA_USE, "informed_of_data_use"),
        ("research", TOLD_RESEARCH, "informed_of_research_use"),
        ("access", TOLD_ACCESS, "informed_of_right_of_access"),
        ("retention", TOLD_RETENTION, "informed_of_retention"),
        ("withdrawal", TOLD_WITHDRAWAL, "informed_of_withdrawal"),
    )
    ticked = [key for key, _label, attr in told if consent and getattr(consent, attr)]
    p.ticks(CASEWORKER_CHECKS, p.options((key, label) for key, label, _attr in told), ticked)
    p.ticks(METHOD, p.options(codes.CONSENT_METHOD), [consent.method] if consent else [])
    if consent is not None and consent.withdrawn_on is not None:
        p.field(WITHDRAWN_ON, p.date(consent.withdrawn_on))

    p.signature(PERSON_SIGNATURE)
    recorded_by = case.user_name(consent.recorded_by) if case and consent else ""
    p.field(CASEWORKER_NAME, recorded_by or (case.owner_name if case else ""))
    p.signature(CASEWORKER_SIGNATURE)
    p.field(INTERPRETER_LANGUAGE, p.language(consent.interpreter_language) if consent else "")
    p.field(INTERPRETER_NAME)
    p.signature(INTERPRETER_SIGNATURE)
