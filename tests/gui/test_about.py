"""Help > About names the release (what a bug report needs first) and the data folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from shelter_desk import __version__
from shelter_desk.gui.about import AboutDialog
from shelter_desk.gui.shell import Shell
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.conftest import OFFSCREEN_LIMITS, unlock_as

pytestmark = OFFSCREEN_LIMITS


def test_help_about_shows_the_version(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    assert main.about_action in main.help_menu.actions()
    assert main.about_action.text() == "&About Shelter Desk"
    main.about_action.trigger()
    qtbot.waitUntil(lambda: any(isinstance(w, AboutDialog) for w in main.children()))
    dialog = next(w for w in main.children() if isinstance(w, AboutDialog))
    qtbot.waitUntil(dialog.isVisible)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert f"Shelter Desk {__version__}" in texts
    assert any(str(existing) in text for text in texts)
    assert dialog.windowTitle() == "About Shelter Desk"
    dialog.reject()


def test_the_about_box_follows_the_language(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing, language="ru")
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    dialog = main.show_about()
    qtbot.waitUntil(dialog.isVisible)
    assert __version__ in dialog.title.text()
    assert dialog.windowTitle() != "About Shelter Desk"  # "О программе Shelter Desk"
    dialog.reject()
