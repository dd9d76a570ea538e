"""No two texts shown together answer to one Alt+letter, in any language (issue 16).

Two texts with one letter make Alt+letter only move the focus between them: a button no
longer presses, a field is reached only every other time. The new case wizard has its own
test (test_keyboard_intake_ar.py); this one covers the main window with each section of a
real case in front, and the dialogs with several labelled fields. One installation serves
every language, and all clashes are listed at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from shelter_desk.domain import coordination as co
from shelter_desk.gui.main_window import MainWindow
from shelter_desk.gui.print_dialog import PrintDialog
from shelter_desk.gui.shell import Shell
from shelter_desk.gui.views.cases import CasesView
from shelter_desk.gui.views.coordination_dialog import CoordinationDialog
from shelter_desk.gui.views.export_dialog import ExportDialog
from shelter_desk.gui.views.partner_dialog import PartnerDialog
from shelter_desk.gui.views.settings_dialog import SettingsDialog
from shelter_desk.gui.views.user_dialogs import (
    AddUserDialog,
    ChangePassphraseDialog,
    ChangeRoleDialog,
    ResetPassphraseDialog,
)
from shelter_desk.security.permissions import Role
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.cases_helpers import on_worker
from tests.gui.conftest import CASEWORKER, OFFSCREEN_LIMITS, unlock_as
from tests.gui.mnemonics import clashes, marked_texts
from tests.services.case_helpers import open_case

pytestmark = OFFSCREEN_LIMITS

LANGUAGES = ("en", "he", "ar", "ka", "ru")


def _record(m: MainWindow, record: co.CoordinationRecord) -> QDialog:
    return CoordinationDialog(m.context.runner, m.context.session, record, [], m, own_org_id="")


DIALOGS: dict[str, Callable[[MainWindow], QDialog]] = {
    "settings": lambda m: SettingsDialog(m.context.runner, m.context.session, m),
    "add user": lambda m: AddUserDialog(m.context.runner, m.context.session, m),
    "reset passphrase": lambda m: ResetPassphraseDialog(
        m.context.runner, m.context.session, CASEWORKER, m
    ),
    "change role": lambda m: ChangeRoleDialog(
        m.context.runner, m.context.session, CASEWORKER, Role.CASEWORKER.value, m
    ),
    "own passphrase": lambda m: ChangePassphraseDialog(m.context.runner, m.context.session, m),
    "print": lambda m: PrintDialog(m.context, None, m),
    "export": lambda m: ExportDialog(m.context, m),
    "directory entry": lambda m: PartnerDialog(m.context.runner, m.context.session, None, m),
    "meeting": lambda m: _record(m, co.Meeting()),
    "visit": lambda m: _record(m, co.Visit()),
    "hotspot": lambda m: _record(m, co.Hotspot()),
    "training": lambda m: _record(m, co.Training()),
}


def pages(qtbot: QtBot, window: QWidget) -> Iterator[str]:
    """Each page of the window's tabs in front in turn (or the window as it is), named."""
    tab_widgets = [t for t in window.findChildren(QTabWidget) if t.isVisibleTo(window)]
    if not tab_widgets:
        yield ""
    for tabs in tab_widgets:
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            qtbot.wait(0)
            yield tabs.tabText(index).replace("&", "")


Shown = dict[tuple[str, str], list[str]]
"""The marked texts shown together, by (language, window and page)."""

_SHOWN: Shown = {}
"""Filled by the first test that runs (one installation for every language)."""


def collect(qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path) -> Shown:
    """The marked texts of each case section and dialog, in every language."""
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    case_id = on_worker(shell, lambda s: open_case(s).case.id)
    view = main.show_page("cases")
    assert isinstance(view, CasesView)
    workspace = view.open_case(case_id)
    qtbot.waitUntil(lambda: workspace.case_file is not None, timeout=10_000)
    shown: Shown = {}
    for language in LANGUAGES:
        main.language_actions[language].trigger()
        for tab in workspace.case_tabs:
            workspace.show_tab(tab.KEY)
            qtbot.wait(0)
            assert tab.isVisible()
            shown[(language, f"case: {tab.KEY}")] = marked_texts(main)
        for name, make in DIALOGS.items():
            dialog = make(main)
            dialog.show()
            qtbot.waitExposed(dialog)
            for page in pages(qtbot, dialog):
                shown[(language, f"{name} {page}".strip())] = marked_texts(dialog)
            dialog.done(QDialog.DialogCode.Rejected.value)
            dialog.deleteLater()
        QApplication.processEvents()
    shell.change_language("en")
    return shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_two_texts_shown_together_answer_to_the_same_alt_letter(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path, language: str
) -> None:
    if not _SHOWN:
        _SHOWN.update(collect(qtbot, make_shell, existing))
    listed = [
        f"{window}: {key} {' / '.join(texts)}"
        for (in_language, window), shown in _SHOWN.items()
        if in_language == language
        for key, texts in clashes(shown).items()
    ]
    assert not listed, "\n".join(listed)
