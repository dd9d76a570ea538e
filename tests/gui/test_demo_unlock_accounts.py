"""The unlock window of a demo installation shows every demo account's sign-in, and each
one opens the window in its own role."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from shelter_desk.gui.shell import Shell
from shelter_desk.gui.unlock import UnlockWindow
from shelter_desk.services.demo import setting_up
from shelter_desk.services.installation import (
    DEMO_ACCOUNTS,
    DEMO_PASSPHRASE,
    DEMO_USER,
    Installation,
)
from tests.gui.conftest import OFFSCREEN_LIMITS, unlock_as

pytestmark = OFFSCREEN_LIMITS


def test_the_demo_banner_lists_each_role_and_each_signs_in(
    qtbot: QtBot, make_shell: Callable[..., Shell], data_dir: Path
) -> None:
    installation = Installation(data_dir)
    session, _recovery = installation.create(
        org_name="Demo Shelter", admin=DEMO_USER, passphrase=DEMO_PASSPHRASE, demo=True
    )
    setting_up.add_demo_accounts(session)
    session.lock()
    installation.release()

    shell = make_shell(data_dir, demo_login=(DEMO_USER, DEMO_PASSPHRASE))
    qtbot.waitUntil(lambda: isinstance(shell.window, UnlockWindow))
    window = shell.window
    assert isinstance(window, UnlockWindow)
    banner = window.demo_banner.text()
    for text in (DEMO_USER, DEMO_PASSPHRASE, *(a.passphrase for a in DEMO_ACCOUNTS)):
        assert text in banner
    caseworker = DEMO_ACCOUNTS[0]
    main = unlock_as(qtbot, shell, caseworker.username, caseworker.passphrase)
    assert "demo data" in main.windowTitle()
    assert main.demo_label.isVisible()


def test_a_demo_without_them_shows_only_the_administrator(
    qtbot: QtBot, make_shell: Callable[..., Shell], data_dir: Path
) -> None:
    installation = Installation(data_dir)
    session, _recovery = installation.create(
        org_name="Demo Shelter", admin=DEMO_USER, passphrase=DEMO_PASSPHRASE, demo=True
    )
    session.lock()
    installation.release()

    shell = make_shell(data_dir, demo_login=(DEMO_USER, DEMO_PASSPHRASE))
    qtbot.waitUntil(lambda: isinstance(shell.window, UnlockWindow))
    window = shell.window
    assert isinstance(window, UnlockWindow)
    assert all(a.passphrase not in window.demo_banner.text() for a in DEMO_ACCOUNTS)
