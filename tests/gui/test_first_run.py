"""First start: create the organisation and administrator, see the recovery key once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from shelter_desk.gui.first_run import FirstRunWindow
from shelter_desk.gui.shell import Shell
from shelter_desk.security.passphrase import is_valid_recovery_key
from shelter_desk.services.installation import Installation
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, ORG
from tests.gui.conftest import OFFSCREEN_LIMITS

pytestmark = OFFSCREEN_LIMITS


def open_first_run(
    qtbot: QtBot, make_shell: Callable[..., Shell], data_dir: Path
) -> FirstRunWindow:
    shell = make_shell(data_dir)
    qtbot.waitUntil(lambda: isinstance(shell.window, FirstRunWindow))
    window = shell.window
    assert isinstance(window, FirstRunWindow)
    return window


def fill_in(qtbot: QtBot, window: FirstRunWindow, passphrase: str, repeat: str) -> None:
    qtbot.keyClicks(window.org_name, ORG)
    window.country.setCurrentIndex(window.country.findData("JO"))
    qtbot.keyClicks(window.admin, ADMIN)
    qtbot.keyClicks(window.passphrase, passphrase)
    qtbot.keyClicks(window.repeat, repeat)


def test_first_run_creates_the_installation_and_shows_the_recovery_key(
    qtbot: QtBot, make_shell: Callable[..., Shell], data_dir: Path
) -> None:
    shell = make_shell(data_dir)
    qtbot.waitUntil(lambda: isinstance(shell.window, FirstRunWindow))
    window = shell.window
    assert isinstance(window, FirstRunWindow)
    fill_in(qtbot, window, ADMIN_PASSPHRASE, ADMIN_PASSPHRASE)
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.showing_recovery_key, timeout=10_000)

    shown = window.recovery_key.text()
    assert len(shown.splitlines()) == 3  # three groups of four numbered words
    words = [item.split(".", 1)[1] for item in shown.split()]
    assert is_valid_recovery_key(" ".join(words))
    assert window.recovery_key.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert not window.continue_button.isEnabled()
    qtbot.mouseClick(window.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == shown
    QApplication.clipboard().clear()

    window.written_down.setChecked(True)
    assert window.continue_button.isEnabled()
    qtbot.mouseClick(window.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shell.main_window is not None)
    main = shell.main_window
    assert main is not None
    assert ORG in main.windowTitle()
    assert ADMIN in main.user_label.text()

    shell.shutdown()
    installation = Installation(data_dir)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    assert session.org_name == ORG
    assert session.meta.get("org_country") == "JO"
    session.lock()
    installation.release()


def test_a_weak_passphrase_is_explained_next_to_the_field_and_creates_nothing(
    qtbot: QtBot, make_shell: Callable[..., Shell], data_dir: Path
) -> None:
    window = open_first_run(qtbot, make_shell, data_dir)
    fill_in(qtbot, window, "password1", "password1")
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    message = window.form.fields["passphrase"].message
    qtbot.waitUntil(message.isVisible)
    assert "too easy to guess" in message.message
    assert window.create_button.isEnabled()
    assert not window.showing_recovery_key
    assert not Installation(data_dir).exists()


def test_two_different_passphrases_are_refused_before_anything_runs(
    qtbot: QtBot, make_shell: Callable[..., Shell], data_dir: Path
) -> None:
    window = open_first_run(qtbot, make_shell, data_dir)
    fill_in(qtbot, window, ADMIN_PASSPHRASE, ADMIN_PASSPHRASE + "x")
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    assert window.form.fields["repeat"].message.isVisible()
    assert window.passphrase.echoMode() == window.passphrase.EchoMode.Password
    assert not Installation(data_dir).exists()


def test_a_missing_organisation_name_is_shown_next_to_its_field(
    qtbot: QtBot, make_shell: Callable[..., Shell], data_dir: Path
) -> None:
    window = open_first_run(qtbot, make_shell, data_dir)
    qtbot.keyClicks(window.admin, ADMIN)
    qtbot.keyClicks(window.passphrase, ADMIN_PASSPHRASE)
    qtbot.keyClicks(window.repeat, ADMIN_PASSPHRASE)
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    message = window.form.fields["org_name"].message
    qtbot.waitUntil(message.isVisible)
    assert message.message == "Enter the organisation's name."
    assert not Installation(data_dir).exists()
