"""Switching the interface language at run time: direction, Qt's own strings, stored."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from shelter_desk.gui.fonts import families_for
from shelter_desk.gui.shell import Shell
from shelter_desk.i18n import current_language
from shelter_desk.services import users
from shelter_desk.services.installation import Installation
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.conftest import OFFSCREEN_LIMITS, unlock_as

pytestmark = OFFSCREEN_LIMITS


def test_arabic_turns_the_layout_right_to_left_and_english_turns_it_back(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    view = main.show_page("cases")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight

    main.language_actions["ar"].trigger()
    assert current_language() == "ar"
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert main.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert view.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert main.language_actions["ar"].isChecked()
    assert shell.interface.qt_translations_loaded  # Qt ships qtbase_ar.qm
    assert QApplication.font().families()[0] == families_for("ar")[0]

    main.language_actions["en"].trigger()
    assert current_language() == "en"
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert main.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert QApplication.font().families()[0] == "Noto Sans"
    assert view.heading.text() == "Cases"

    main.language_actions["he"].trigger()
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    qtbot.waitUntil(lambda: not shell.runner.busy)
    shell.shutdown()

    installation = Installation(existing)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    assert session.user.language == "he"  # remembered for this user
    session.lock()
    installation.release()


def test_the_stored_language_is_used_after_unlock_unless_lang_was_given(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    installation = Installation(existing)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    users.set_language(session, "ar")
    session.lock()
    installation.release()

    shell = make_shell(existing)
    unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    assert current_language() == "ar"
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    shell.shutdown()

    chosen = make_shell(existing, language="ru")
    assert current_language() == "ru"
    unlock_as(qtbot, chosen, ADMIN, ADMIN_PASSPHRASE)
    assert current_language() == "ru"
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_language_can_be_chosen_on_the_unlock_window_and_stays_after_unlock(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    from shelter_desk.gui.unlock import UnlockWindow

    shell = make_shell(existing)
    qtbot.waitUntil(lambda: isinstance(shell.window, UnlockWindow))
    window = shell.window
    assert isinstance(window, UnlockWindow)
    qtbot.waitUntil(lambda: window.language.count() == 5)
    assert window.language.itemText(window.language.findData("ar")) == "العربية"
    window.language.activated.emit(window.language.findData("ar"))
    assert current_language() == "ar"
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.unlock_button.text() != "&Unlock"
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    assert current_language() == "ar"
    assert main.layoutDirection() == Qt.LayoutDirection.RightToLeft
    main.language_actions["en"].trigger()
