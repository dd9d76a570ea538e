"""GUI fixtures: a shell on a real installation in a temporary folder, with a fake clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from shelter_desk.gui.fonts import register_bundled_fonts
from shelter_desk.gui.main_window import MainWindow
from shelter_desk.gui.operations import OpRunner
from shelter_desk.gui.shell import Shell
from shelter_desk.gui.unlock import UnlockWindow
from shelter_desk.security.permissions import Role
from shelter_desk.services import users
from shelter_desk.services.installation import Installation
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, ORG

CASEWORKER = "bob"
CASEWORKER_PASSPHRASE = "granite meadow violin ninety"

OFFSCREEN_LIMITS = pytest.mark.qt_log_ignore(
    # The offscreen platform cannot resize windows to their layouts' size hints; a real
    # display can. This says nothing about our code.
    r"^This plugin does not support propagateSizeHints\(\)$",
)


class FakeClock:
    """A wall clock the test moves forward by hand (as if the laptop slept)."""

    def __init__(self, start: float = 1_750_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="session", autouse=True)
def bundled_fonts(qapp: QApplication) -> list[str]:
    """The fonts the application registers at start (application.py), once per session:
    no GUI test may depend on a font the machine has, or on another test registering it."""
    return register_bundled_fonts()


@pytest.fixture(scope="session", autouse=True)
def window_settings_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Window geometry is remembered in a folder of the test session, never in the
    configuration of whoever runs the tests."""
    folder = tmp_path_factory.mktemp("qt-settings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture(autouse=True)
def left_to_right(qapp: QApplication) -> Iterator[None]:
    """Each test starts left to right: a test that switched to Arabic or Hebrew leaves the
    application's direction behind, and a row click then lands elsewhere (order-dependent)."""
    qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    yield
    qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def existing(data_dir: Path) -> Path:
    """An installation with the administrator and a caseworker, locked and released."""
    installation = Installation(data_dir)
    session, _recovery = installation.create(
        org_name=ORG, admin=ADMIN, passphrase=ADMIN_PASSPHRASE, country="IL"
    )
    users.add_user(session, CASEWORKER, Role.CASEWORKER, CASEWORKER_PASSPHRASE)
    session.lock()
    installation.release()
    return data_dir


@pytest.fixture
def make_shell(
    qapp: QApplication, qtbot: QtBot, clock: FakeClock
) -> Iterator[Callable[..., Shell]]:
    shells: list[Shell] = []

    def make(
        data_dir: Path,
        *,
        language: str | None = None,
        demo_login: tuple[str, str] | None = None,
        idle_poll_ms: int = 50,
    ) -> Shell:
        shell = Shell(
            qapp,
            OpRunner(),
            data_dir,
            language=language,
            demo_login=demo_login,
            clock=clock,
            idle_poll_ms=idle_poll_ms,
        )
        shells.append(shell)
        shell.start()
        return shell

    yield make
    for shell in shells:
        shell.shutdown()
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    qtbot.wait(10)


def unlock_as(qtbot: QtBot, shell: Shell, username: str, passphrase: str) -> MainWindow:
    """Unlock through the unlock window, as a person would, and return the main window."""
    qtbot.waitUntil(lambda: isinstance(shell.window, UnlockWindow))
    window = shell.window
    assert isinstance(window, UnlockWindow)
    qtbot.waitUntil(lambda: bool(window.user_list.findItems(username, Qt.MatchFlag.MatchExactly)))
    window.user_list.setCurrentItem(
        window.user_list.findItems(username, Qt.MatchFlag.MatchExactly)[0]
    )
    qtbot.keyClicks(window.passphrase, passphrase)
    qtbot.keyClick(window.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shell.main_window is not None, timeout=10_000)
    main = shell.main_window
    assert main is not None
    return main


def live_widgets(kind: type[QWidget]) -> list[QWidget]:
    return [w for w in QApplication.allWidgets() if isinstance(w, kind)]
