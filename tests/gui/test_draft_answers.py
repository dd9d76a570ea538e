"""Drafts say what happens to them (issue 16): cancelling the new case wizard asks whether to
keep what was typed, Ctrl+N continues a kept new case instead of starting an empty one, and
a case edit restored from a draft can be saved at once, wherever its tab is."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from shelter_desk.domain.serialize import to_fields
from shelter_desk.gui.shell import Shell
from shelter_desk.gui.views.cases import CasesView
from shelter_desk.gui.wizard import DRAFT_KEY, NewCaseWizard
from shelter_desk.gui.workspace.person_tab import PersonTab
from shelter_desk.gui.workspace.services_tab import ServicesTab
from shelter_desk.gui.workspace.window import draft_key
from shelter_desk.services import drafts
from tests.gui.case_desk import Desk, open_desk, press_save
from tests.gui.cases_helpers import cases_view, on_worker
from tests.gui.conftest import OFFSCREEN_LIMITS
from tests.gui.test_wizard import give_consent, press, start_wizard

pytestmark = OFFSCREEN_LIMITS


def cancel(qtbot: QtBot, wizard: NewCaseWizard) -> QMessageBox:
    """Press Escape in the wizard; the question about the draft comes up."""
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    box = wizard.draft_box
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    return box


def answer(box: QMessageBox, text: str) -> None:
    (button,) = [b for b in box.buttons() if b.text() == text]
    button.click()


def press_ctrl_n(qtbot: QtBot, view: CasesView) -> NewCaseWizard:
    view.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view.window())
    before = view.wizard
    qtbot.keyClick(view.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.wizard not in (before, None) and view.wizard.isVisible())
    assert view.wizard is not None
    return view.wizard


def test_cancel_asks_and_ctrl_n_continues_the_kept_new_case(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    view = cases_view(qtbot, shell, rows=0)
    wizard = start_wizard(qtbot, view)
    give_consent(qtbot, wizard)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.keyClicks(wizard.person.first_name, "Ruth")

    box = cancel(qtbot, wizard)
    assert box.windowTitle() == "The new case is not saved"
    assert "Keep what you typed as a draft?" in box.text()
    assert {b.text() for b in box.buttons()} == {"&Keep draft", "&Discard draft", "&Go back"}
    assert box.defaultButton().text() == "&Keep draft"
    answer(box, "&Go back")  # nothing lost, still in the wizard
    assert wizard.isVisible() and wizard.person.first_name.text() == "Ruth"
    assert on_worker(shell, drafts.draft_keys) == []

    answer(cancel(qtbot, wizard), "&Keep draft")
    qtbot.waitUntil(lambda: not wizard.isVisible())
    qtbot.waitUntil(view.drafts_banner.isVisible, timeout=5_000)
    assert "new case you started" in view.drafts_text.text()
    assert on_worker(shell, drafts.draft_keys) == [DRAFT_KEY]

    continued = press_ctrl_n(qtbot, view)  # the kept case, not an empty wizard
    assert continued.person.first_name.text() == "Ruth"
    assert continued.currentPage() is continued.person_page
    assert view.drafts_banner.isVisible()  # still kept until saved or discarded

    answer(cancel(qtbot, continued), "&Discard draft")
    qtbot.waitUntil(lambda: not view.drafts_banner.isVisible(), timeout=5_000)
    assert on_worker(shell, drafts.draft_keys) == []  # gone for good
    empty = press_ctrl_n(qtbot, view)
    assert empty.person.first_name.text() == ""


def test_a_wizard_closed_untouched_asks_nothing_and_keeps_the_banner(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    view = cases_view(qtbot, shell, rows=0)
    on_worker(shell, lambda s: drafts.save_draft(s, DRAFT_KEY, {"person": {}, "step": 0}))
    view.refresh_drafts()
    qtbot.waitUntil(view.drafts_banner.isVisible, timeout=5_000)
    view.new_case_kept = False  # as if Ctrl+N came before the look at the drafts
    wizard = view.open_wizard()
    assert view.drafts_banner.isVisible()
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert wizard.draft_box is None
    qtbot.waitUntil(lambda: not wizard.isVisible())
    qtbot.wait(100)
    assert view.drafts_banner.isVisible()
    assert on_worker(shell, drafts.draft_keys) == [DRAFT_KEY]


@pytest.fixture
def desk(data_dir: Path, qtbot: QtBot) -> Iterator[Desk]:
    with open_desk(data_dir) as opened:
        yield opened


def test_a_restored_edit_can_be_saved_before_its_tab_is_opened(qtbot: QtBot, desk: Desk) -> None:
    session = desk.context.session
    edited = dataclasses.replace(desk.load().person, city="Amman")
    key = draft_key(desk.case_id, PersonTab.KEY)
    desk.context.runner.worker.call(lambda: drafts.save_draft(session, key, to_fields(edited)))

    workspace, services = desk.workspace(qtbot, ServicesTab)
    assert workspace.tabs.currentWidget() is services and not services.is_dirty()
    assert workspace.unsaved_label.text() == "Unsaved changes: Person"
    assert workspace.save_button.isEnabled()  # at once, not only once Person is opened
    press_save(qtbot, workspace)
    qtbot.waitUntil(lambda: not workspace.has_unsaved(), timeout=5_000)
    assert desk.load().person.city == "Amman"
    assert not workspace.save_button.isEnabled()
    qtbot.waitUntil(
        lambda: desk.context.runner.worker.call(lambda: drafts.draft_keys(session)) == []
    )
