"""The case workspace: editing with an unsaved marker, drafts across a lock, closing and
reopening a case, what each role sees, and the readable history."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from shelter_desk.domain.entities import Person
from shelter_desk.gui.shell import Shell
from shelter_desk.gui.views.cases import CasesView
from shelter_desk.gui.workspace.case_actions import CloseCaseDialog
from shelter_desk.gui.workspace.history_tab import HistoryTab
from shelter_desk.gui.workspace.intake_tab import IntakeTab
from shelter_desk.gui.workspace.person_tab import PersonTab
from shelter_desk.gui.workspace.window import TABS, CaseWorkspace
from shelter_desk.services import cases
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.cases_helpers import cases_view, on_worker, open_first_case, seed_cases
from tests.gui.conftest import CASEWORKER, CASEWORKER_PASSPHRASE, OFFSCREEN_LIMITS, unlock_as
from tests.gui.test_wizard import unnamed_inputs

pytestmark = OFFSCREEN_LIMITS

MUHAMMAD = Person(first_name="محمد", first_name_latin="Muhammad", citizenships=("SD",))


def person_tab(workspace: CaseWorkspace) -> PersonTab:
    tab = workspace.case_tabs[0]
    assert isinstance(tab, PersonTab)
    return tab


def test_the_tabs_come_from_the_list_in_order(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    seed_cases(existing, MUHAMMAD)
    view = cases_view(qtbot, make_shell(existing), rows=1)
    workspace = open_first_case(qtbot, view)
    assert [type(tab) for tab in workspace.case_tabs] == TABS
    titles = [workspace.tabs.tabText(i) for i in range(workspace.tabs.count())]
    assert titles == [tab.TITLE for tab in TABS]
    assert titles[:3] == ["Person", "Intake && indicators", "Consent"]
    assert unnamed_inputs(workspace) == []
    assert "محمد" in workspace.title.text()
    assert "Status: Active" in workspace.details.text()
    assert person_tab(workspace).person.first_name.text() == "محمد"


def test_unsaved_edits_survive_a_lock_and_are_saved_afterwards(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    seed_cases(existing, MUHAMMAD)
    shell = make_shell(existing)
    view = cases_view(qtbot, shell, rows=1)
    workspace = open_first_case(qtbot, view)
    case_id = workspace.case_id
    tab = person_tab(workspace)
    qtbot.keyClicks(tab.person.city, "Amman")
    assert tab.is_dirty()
    assert workspace.tabs.tabText(0) == "• Person"
    assert workspace.unsaved_label.isVisible()
    assert workspace.unsaved_label.text() == "Unsaved changes: Person"
    assert view.tabs.tabText(1).startswith("• ")
    shell.lock_now()

    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    view2 = main.show_page("cases")
    assert isinstance(view2, CasesView)
    qtbot.waitUntil(view2.drafts_banner.isVisible, timeout=5_000)
    assert "Unsaved changes to 1 case" in view2.drafts_text.text()
    qtbot.mouseClick(view2.open_kept_button, Qt.MouseButton.LeftButton)
    workspace2 = view2.workspaces[case_id]
    qtbot.waitUntil(lambda: workspace2.case_file is not None, timeout=5_000)
    tab2 = person_tab(workspace2)
    assert workspace2.restored_note.isVisible()
    assert "Restored unsaved changes from before the lock" in workspace2.restored_note.text()
    assert tab2.person.city.text() == "Amman"
    assert tab2.is_dirty() and workspace2.tabs.tabText(0) == "• Person"

    main.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main)
    qtbot.keyClick(tab2.person.city, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not tab2.is_dirty(), timeout=5_000)
    assert workspace2.tabs.tabText(0) == "Person"
    assert not workspace2.unsaved_label.isVisible()
    stored = on_worker(shell, lambda s: cases.load_case(s, case_id))
    assert stored.person.city == "Amman"
    assert on_worker(shell, lambda s: s.drafts.keys(s.user.id)) == []

    history = workspace2.case_tabs[-1]
    assert isinstance(history, HistoryTab)
    qtbot.waitUntil(lambda: any("changed the person: City" in line for line in history.lines()))
    lines = history.lines()  # newest first: the view after saving, then the change
    assert "amira" in lines[0] and lines[0].endswith("viewed the case")
    assert lines[1].endswith("changed the person: City")
    assert any(line.endswith("added the person") for line in lines)
    assert " added " in lines[-1]


def test_a_case_closes_only_with_a_reason_and_can_be_reopened(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    seed_cases(existing, MUHAMMAD)
    shell = make_shell(existing)
    view = cases_view(qtbot, shell, rows=1)
    workspace = open_first_case(qtbot, view)
    assert workspace.decide_button.isVisible()  # an administrator may decide the status
    qtbot.mouseClick(workspace.close_case_button, Qt.MouseButton.LeftButton)
    dialog = workspace.dialog
    assert isinstance(dialog, CloseCaseDialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    message = dialog.form.fields["closure_reason"].message
    qtbot.waitUntil(message.isVisible, timeout=5_000)
    assert message.message == "Choose why the case is being closed."
    assert dialog.isVisible()

    dialog.reason.set_code("SupportCompleted")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Status: Closed" in workspace.details.text(), timeout=5_000)
    assert "Support period completed" in workspace.details.text()
    assert workspace.reopen_button.isVisible() and not workspace.close_case_button.isVisible()
    stored = on_worker(shell, lambda s: cases.load_case(s, workspace.case_id))
    assert stored.case.status == "Closed" and stored.case.closure_reason == "SupportCompleted"

    qtbot.mouseClick(workspace.reopen_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Status: Active" in workspace.details.text(), timeout=5_000)


def test_a_caseworker_does_not_see_decide_trafficking_status(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    seed_cases(existing, MUHAMMAD)
    view = cases_view(qtbot, make_shell(existing), CASEWORKER, CASEWORKER_PASSPHRASE, rows=1)
    workspace = open_first_case(qtbot, view)
    assert not workspace.decide_button.isVisible()
    assert workspace.close_case_button.isVisible()


def test_closing_a_case_tab_with_unsaved_work_asks_first(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    seed_cases(existing, MUHAMMAD)
    view = cases_view(qtbot, make_shell(existing), rows=1)
    workspace = open_first_case(qtbot, view)
    intake = workspace.case_tabs[1]
    assert isinstance(intake, IntakeTab)
    workspace.tabs.setCurrentWidget(intake)
    intake.indicators.delphi_indicators.set_checked("ExploitativeConditions.ExcessiveHours", True)
    assert "positive" in intake.indicators.delphi_indicators.dimension_items[
        "ExploitativeConditions"
    ].text(0)
    assert intake.is_dirty()

    view.close_tab_at(1)
    box = workspace.close_box
    assert isinstance(box, QMessageBox)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert view.tabs.count() == 2 and intake.is_dirty()

    view.close_tab_at(1)
    box = workspace.close_box
    assert isinstance(box, QMessageBox)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.tabs.count() == 1, timeout=5_000)
    assert not view.workspaces
