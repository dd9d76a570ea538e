"""The new case wizard's last step names the cases here that are possibly the same person
(another script, another spelling, a year off), and still saves a new case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from shelter_desk.domain.entities import Consent, Intake, Person
from shelter_desk.gui.shell import Shell
from shelter_desk.gui.views.cases import CasesView
from shelter_desk.gui.wizard import NewCaseWizard
from shelter_desk.services import cases
from shelter_desk.services.cases import CaseFilter
from shelter_desk.services.installation import Installation
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.cases_helpers import cases_view, on_worker
from tests.gui.conftest import OFFSCREEN_LIMITS
from tests.services.case_helpers import TODAY, consent, intake, person

pytestmark = OFFSCREEN_LIMITS


def with_a_case(folder: Path) -> str:
    """The installation with ياسمين حداد, born 1998; her case number."""
    installation = Installation(folder)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    try:
        known = person(first="ياسمين", latin="", second="حداد", birth_date=dt.date(1998, 3, 4))
        return cases.open_case(session, known, intake(), consent(), today=TODAY).case.number
    finally:
        session.lock()
        installation.release()


def review(qtbot: QtBot, view: CasesView, someone: Person) -> NewCaseWizard:
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view.window())
    wizard = view.open_wizard()
    today = dt.date.today()
    wizard.fill(
        someone,
        Intake(
            intake_date=today, exploitation_types=("ForcedLabour",), identification_source="NGO"
        ),
        Consent(consent_given=True, method="Written", given_on=today),
    )
    for _step in wizard.steps:
        wizard.next()
    assert wizard.currentPage() is wizard.review_page
    return wizard


def test_the_last_step_names_a_possible_duplicate_and_saving_still_works(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    number = with_a_case(existing)
    shell = make_shell(existing)
    view = cases_view(qtbot, shell, rows=1)
    newcomer = Person(
        first_name="Yasmeen",
        second_name="Haddad",
        estimated_birth_year=1999,
        gender="Masculine",
        citizenships=("SD",),
    )
    wizard = review(qtbot, view, newcomer)
    notice = wizard.review_page.duplicates
    qtbot.waitUntil(lambda: notice.isVisibleTo(wizard), timeout=10_000)
    assert number in notice.text() and "may already be registered" in notice.text()
    wizard.accept()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10_000)
    assert on_worker(shell, lambda s: cases.count_cases(s, CaseFilter())) == 2


def test_someone_else_gets_no_notice(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    with_a_case(existing)
    view = cases_view(qtbot, make_shell(existing), rows=1)
    other = Person(first_name="Salma", second_name="Nasser", estimated_birth_year=1998)
    wizard = review(qtbot, view, other)
    qtbot.waitUntil(lambda: not wizard.context.runner.busy, timeout=10_000)
    assert not wizard.review_page.duplicates.isVisibleTo(wizard)
    assert wizard.review_page.matches == []
