"""Quitting with unsaved edits keeps them as encrypted drafts, exactly as a lock does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from shelter_desk.domain.entities import Person
from shelter_desk.gui.shell import Shell
from shelter_desk.gui.workspace.person_tab import PersonTab
from shelter_desk.gui.workspace.window import draft_key
from shelter_desk.services import drafts
from shelter_desk.services.installation import Installation
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.cases_helpers import cases_view, open_first_case, seed_cases
from tests.gui.conftest import OFFSCREEN_LIMITS

pytestmark = OFFSCREEN_LIMITS


def test_quitting_keeps_unsaved_edits(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    seed_cases(existing, Person(first_name="Olga", citizenships=("UA",)))
    shell = make_shell(existing)
    workspace = open_first_case(qtbot, cases_view(qtbot, shell, rows=1))
    tab = workspace.case_tabs[0]
    assert isinstance(tab, PersonTab)
    qtbot.keyClicks(tab.person.city, "Tbilisi")
    case_id = workspace.case_id
    shell.quit()
    shell.shutdown()

    installation = Installation(existing)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    kept = drafts.load_draft(session, draft_key(case_id, PersonTab.KEY))
    session.lock()
    installation.release()
    assert kept is not None
    assert "Tbilisi" in str(kept)


def test_print_button_opens_the_dialog_for_this_case(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from shelter_desk.gui.print_dialog import PrintDialog

    seed_cases(existing, Person(first_name="Amal", citizenships=("ER",)))
    workspace = open_first_case(qtbot, cases_view(qtbot, make_shell(existing), rows=1))
    assert workspace.case_file is not None
    qtbot.mouseClick(workspace.print_button, Qt.MouseButton.LeftButton)
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, PrintDialog)]
    assert dialogs, "the print dialog opened"
    assert dialogs[-1].case_number.text() == workspace.case_file.case.number
    dialogs[-1].reject()
