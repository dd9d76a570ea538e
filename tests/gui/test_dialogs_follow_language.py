"""Dialogs opened before a language switch follow it (issue 16): their title, labels and
buttons are in the new language and they are mirrored for Arabic, through the one
mechanism every dialog shares (``gui.retranslation``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from shelter_desk.domain import coordination as co
from shelter_desk.gui.about import AboutDialog
from shelter_desk.gui.main_window import MainWindow
from shelter_desk.gui.print_dialog import PrintDialog
from shelter_desk.gui.retranslation import Retranslated
from shelter_desk.gui.shell import Shell
from shelter_desk.gui.views.coordination_dialog import CoordinationDialog
from shelter_desk.gui.views.export_dialog import ExportDialog
from shelter_desk.gui.views.import_wizard import ImportWizard
from shelter_desk.gui.views.partner_dialog import PartnerDialog
from shelter_desk.gui.views.settings_dialog import SettingsDialog
from shelter_desk.gui.views.sync_dialogs import ExportDialog as BundleExportDialog
from shelter_desk.gui.views.user_dialogs import AddUserDialog, ChangePassphraseDialog
from shelter_desk.gui.wizard import NewCaseWizard
from shelter_desk.gui.workspace.case_actions import CloseCaseDialog
from shelter_desk.i18n import _
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.conftest import OFFSCREEN_LIMITS, unlock_as

pytestmark = OFFSCREEN_LIMITS

ARABIC = re.compile("[\u0600-\u06ff]")

DIALOGS: dict[str, Callable[[MainWindow], QWidget]] = {
    "print": lambda m: PrintDialog(m.context, None, m),
    "export": lambda m: ExportDialog(m.context, m),
    "import": lambda m: ImportWizard(m.context, m),
    "settings": lambda m: SettingsDialog(m.context.runner, m.context.session, m),
    "add user": lambda m: AddUserDialog(m.context.runner, m.context.session, m),
    "own passphrase": lambda m: ChangePassphraseDialog(m.context.runner, m.context.session, m),
    "directory entry": lambda m: PartnerDialog(m.context.runner, m.context.session, None, m),
    "meeting": lambda m: CoordinationDialog(
        m.context.runner, m.context.session, co.Meeting(), [], m, own_org_id=""
    ),
    "bundle export": lambda m: BundleExportDialog([], m),
    "close case": lambda m: CloseCaseDialog(m.context, "no-case", m),
    "about": lambda m: AboutDialog(m.context.session.installation.root, m),
    "new case": lambda m: NewCaseWizard(m.context, m),
}


@pytest.fixture
def signed_in(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> Iterator[tuple[Shell, MainWindow]]:
    shell = make_shell(existing)
    yield shell, unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    shell.change_language("en")


def texts(dialog: QWidget) -> list[str]:
    return [
        w.text()
        for w in dialog.findChildren(QWidget)
        if isinstance(w, QLabel | QAbstractButton) and w.text()
    ]


@pytest.mark.parametrize("name", list(DIALOGS))
def test_an_open_dialog_follows_a_switch_to_arabic_and_back(
    qtbot: QtBot, signed_in: tuple[Shell, MainWindow], name: str
) -> None:
    shell, main = signed_in
    dialog = DIALOGS[name](main)
    assert isinstance(dialog, Retranslated)
    dialog.show()
    qtbot.waitExposed(dialog)
    title, before = dialog.windowTitle(), texts(dialog)
    assert title and not ARABIC.search(title + " ".join(before))
    shell.change_language("ar")
    qtbot.wait(50)  # Qt's own LanguageChange comes later and must not undo ours
    assert dialog.windowTitle() == _(title)  # (a new title may not be translated yet)
    assert any(ARABIC.search(text) for text in texts(dialog))
    assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
    shell.change_language("en")
    qtbot.wait(50)
    assert dialog.windowTitle() == title
    assert dialog.layoutDirection() == Qt.LayoutDirection.LeftToRight
    dialog.close()
