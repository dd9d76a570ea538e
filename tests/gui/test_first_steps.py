"""An installation without any case says what to do first, with buttons that do it; a
search or filter that finds nothing in an installation with cases does not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from shelter_desk.gui.shell import Shell
from shelter_desk.gui.views.import_wizard import ImportWizard
from shelter_desk.gui.views.sync import SyncView
from shelter_desk.security.permissions import Permission, Role, allows
from shelter_desk.services import cases
from tests.gui.cases_helpers import cases_view, on_worker
from tests.gui.conftest import CASEWORKER, CASEWORKER_PASSPHRASE, OFFSCREEN_LIMITS, live_widgets
from tests.services.case_helpers import open_case

pytestmark = OFFSCREEN_LIMITS


def test_a_fresh_installation_shows_the_first_steps_and_they_work(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    view = cases_view(qtbot, shell, rows=0)
    qtbot.waitUntil(view.first_steps.isVisible)
    assert "no cases here yet" in view.first_steps_text.text()
    buttons = (view.first_intake_button, view.first_import_button, view.first_bundle_button)
    assert [b.text() for b in buttons] == [
        "New intake…",
        "Import an HTCDS or KoBo file…",
        "Import a sync bundle…",
    ]
    assert all(b.isVisible() for b in buttons)

    qtbot.mouseClick(view.first_intake_button, Qt.MouseButton.LeftButton)
    wizard = view.wizard
    assert wizard is not None and wizard.isVisible()
    wizard.reject()

    qtbot.mouseClick(view.first_import_button, Qt.MouseButton.LeftButton)
    importing = [w for w in live_widgets(ImportWizard) if isinstance(w, ImportWizard)]
    importing = [w for w in importing if w.isVisible()]
    assert len(importing) == 1
    importing[0].reject()

    main = shell.main_window
    assert main is not None
    qtbot.mouseClick(view.first_bundle_button, Qt.MouseButton.LeftButton)
    assert isinstance(main.stack.currentWidget(), SyncView)
    choosers = [w for w in live_widgets(QFileDialog) if isinstance(w, QFileDialog)]
    choosers = [w for w in choosers if w.isVisible()]
    assert len(choosers) == 1
    choosers[0].reject()

    # The first case recorded (here by the worker, as an import would): the hint goes when
    # the list is shown again.
    on_worker(shell, open_case)
    main.show_page("cases")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    qtbot.waitUntil(lambda: not view.first_steps.isVisible())


def test_a_search_without_hits_is_not_a_first_day(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    view = cases_view(qtbot, shell, rows=0)
    qtbot.waitUntil(view.first_steps.isVisible)
    on_worker(shell, open_case)
    view.model.refresh()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert not view.first_steps.isVisible()
    qtbot.keyClicks(view.search, "Zebulon")
    view.apply_filter()
    qtbot.waitUntil(lambda: view.model.listed and view.model.rowCount() == 0)
    qtbot.wait(200)  # the whole installation is counted on the worker
    assert not view.first_steps.isVisible()
    assert on_worker(shell, lambda s: cases.count_cases(s, cases.CaseFilter())) == 1


def test_each_button_shows_only_to_whoever_may_use_it(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    view = cases_view(qtbot, shell, CASEWORKER, CASEWORKER_PASSPHRASE, rows=0)
    qtbot.waitUntil(view.first_steps.isVisible)
    role = Role.CASEWORKER
    assert view.first_intake_button.isVisible() == allows(role, Permission.EDIT_CASES)
    assert view.first_import_button.isVisible() == allows(role, Permission.IMPORT)
    assert view.first_bundle_button.isVisible() == allows(role, Permission.IMPORT)
