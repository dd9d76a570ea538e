"""Printing through the service layer, on a real encrypted installation."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable

import pytest
from pypdf import PdfReader

from shelter_desk.domain.entities import FollowUp
from shelter_desk.domain.errors import NotFound, PermissionDenied, ValidationError
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Role
from shelter_desk.services import cases, printing, users
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from tests.reports.test_forms_printed import tick_marks
from tests.services.case_helpers import TODAY, open_case

CASEWORKER_PASS = "granite meadow violin ninety"
AUDITOR_PASS = "quiet falcon mosaic thirty"


def text_of(pdf: bytes) -> str:
    return "\n".join(
        unicodedata.normalize("NFKC", page.extract_text())
        for page in PdfReader(io.BytesIO(pdf)).pages
    )


def prints(session: Session) -> list[tuple[str, str]]:
    return [
        (event.object_type, event.object_id)
        for event in session.audit_log.events()
        if event.action == Action.PRINT
    ]


def test_filled_intake_from_a_real_case(
    admin_session: Session, expected_visual: Callable[[str, bool], str]
) -> None:
    case_file = open_case(admin_session)
    number = case_file.case.number
    pdf = printing.print_form(
        admin_session, "intake", lang="ar", case_number=number, printed_on=TODAY
    )
    text = text_of(pdf)
    assert number in text
    assert "محمد" in text  # the person's name, as typed
    assert "Mohammed" in text
    assert "Hope House" in text
    # gender, identification source, exploitation type, abducted (not known),
    # and the Delphi result's three missing elements are not ticked
    assert tick_marks(pdf) == 4
    blank = printing.print_form(admin_session, "intake", lang="ar")
    assert tick_marks(blank) == 0
    assert number not in text_of(blank)


def test_printing_is_audited(admin_session: Session) -> None:
    case_file = open_case(admin_session)
    printing.print_form(admin_session, "consent", lang="he")
    printing.print_form(
        admin_session,
        "case-summary",
        lang="en",
        second_lang="ar",
        case_number=case_file.case.number,
    )
    assert prints(admin_session) == [("form", "consent"), ("case", case_file.case.id)]


def test_a_caseworker_can_print_an_auditor_cannot(
    admin_session: Session, installation: Installation
) -> None:
    case_file = open_case(admin_session)
    users.add_user(admin_session, "bob", Role.CASEWORKER, CASEWORKER_PASS)
    users.add_user(admin_session, "aud", Role.AUDITOR, AUDITOR_PASS)
    admin_session.lock()
    bob = installation.unlock("bob", CASEWORKER_PASS)
    pdf = printing.print_form(bob, "case-summary", lang="ka", case_number=case_file.case.number)
    assert case_file.case.number in text_of(pdf)
    bob.lock()
    auditor = installation.unlock("aud", AUDITOR_PASS)
    with pytest.raises(PermissionDenied):
        printing.print_form(auditor, "intake", lang="en")
    with pytest.raises(PermissionDenied):
        printing.print_form(auditor, "case-summary", lang="en", case_number=case_file.case.number)
    assert prints(auditor) == [("case", case_file.case.id)]  # bob's print only
    auditor.lock()


def test_redacted_summary_for_a_referral(admin_session: Session) -> None:
    case_file = open_case(admin_session, second="الأمين", second_latin="Al-Amin")
    number = case_file.case.number
    full = text_of(
        printing.print_form(admin_session, "case-summary", lang="en", case_number=number)
    )
    redacted = text_of(
        printing.print_form(
            admin_session, "case-summary", lang="en", case_number=number, redact_identity=True
        )
    )
    assert "Mohammed Al-Amin" in full
    for name in ("Mohammed", "Al-Amin", "دمحم", "نيملأا"):
        assert name not in redacted
    assert number in redacted


def test_follow_up_visit_of_a_real_case(admin_session: Session) -> None:
    case_file = open_case(admin_session)
    visit = cases.record_follow_up(
        admin_session,
        FollowUp(
            case_id=case_file.case.id,
            scheduled_on=TODAY,
            done_on=TODAY,
            mode="Phone",
            answers={"Working": "Yes", "FeelsSafe": "VerySafe"},
        ),
        today=TODAY,
    )
    pdf = printing.print_form(
        admin_session,
        "follow-up",
        lang="ru",
        case_number=case_file.case.number,
        follow_up_id=visit.id,
    )
    assert tick_marks(pdf) == 3  # two answers and the mode
    assert "100%" in text_of(pdf).replace("\xa0", "").replace(" ", "")
    with pytest.raises(NotFound):
        printing.print_form(
            admin_session,
            "follow-up",
            lang="ru",
            case_number=case_file.case.number,
            follow_up_id="missing",
        )


def test_bad_requests_are_validation_errors(admin_session: Session) -> None:
    with pytest.raises(ValidationError) as summary:
        printing.print_form(admin_session, "case-summary", lang="en")
    assert "case" in summary.value.errors
    with pytest.raises(ValidationError) as wrong:
        printing.print_form(admin_session, "letter", lang="fr", second_lang="de", paper="B5")
    assert set(wrong.value.errors) == {"form", "lang", "second_lang", "paper"}
    with pytest.raises(NotFound):
        printing.print_form(admin_session, "intake", lang="en", case_number="HH-1999-0001")
    assert prints(admin_session) == []


def test_paper_from_the_installation_country_or_the_option(admin_session: Session) -> None:
    a4 = printing.print_form(admin_session, "consent", lang="en")  # installed in IL
    letter = printing.print_form(admin_session, "consent", lang="en", paper="letter")
    assert float(PdfReader(io.BytesIO(a4)).pages[0].mediabox.width) == pytest.approx(595.3, 0.01)
    assert float(PdfReader(io.BytesIO(letter)).pages[0].mediabox.width) == pytest.approx(612)
