"""Unlocking, Lock now, auto-lock on the wall clock, and what each role sees."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from shelter_desk.gui.main_window import MainWindow
from shelter_desk.gui.shell import Shell
from shelter_desk.gui.unlock import UnlockWindow
from shelter_desk.gui.views.base import View
from shelter_desk.services.installation import Installation
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, ORG
from tests.gui.conftest import (
    CASEWORKER,
    CASEWORKER_PASSPHRASE,
    OFFSCREEN_LIMITS,
    FakeClock,
    live_widgets,
    unlock_as,
)

pytestmark = OFFSCREEN_LIMITS

DEMO_USER, DEMO_PASSPHRASE = "demo", "shelter-desk-demo"


def unlock_window(qtbot: QtBot, shell: Shell) -> UnlockWindow:
    qtbot.waitUntil(lambda: isinstance(shell.window, UnlockWindow))
    window = shell.window
    assert isinstance(window, UnlockWindow)
    return window


def test_the_unlock_window_lists_the_users_and_nothing_else(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    window = unlock_window(qtbot, make_shell(existing))
    names = [window.user_list.item(i).text() for i in range(window.user_list.count())]
    assert names == sorted([ADMIN, CASEWORKER])
    assert ORG not in window.windowTitle()
    assert not window.demo_banner.isVisible()
    assert window.passphrase.echoMode() == window.passphrase.EchoMode.Password
    assert window.passphrase.accessibleName() == "Passphrase"


def test_a_wrong_passphrase_is_said_plainly_and_the_window_stays(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    window = unlock_window(qtbot, shell)
    window.user_list.setCurrentItem(window.user_list.findItems(ADMIN, Qt.MatchFlag.MatchExactly)[0])
    qtbot.keyClicks(window.passphrase, "not my passphrase at all")
    qtbot.keyClick(window.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(window.message.isVisible, timeout=10_000)
    assert "Wrong passphrase" in window.message.message
    assert shell.window is window
    assert shell.signed_in is None
    assert window.passphrase.text() == ""
    assert window.unlock_button.isEnabled()


def test_the_right_passphrase_opens_the_main_window(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    assert "amira" in main.user_label.text()
    assert "Administrator" in main.user_label.text()
    assert ORG in main.org_label.text()
    assert ORG in main.windowTitle()
    assert "demo" not in main.windowTitle()
    assert not main.demo_label.isVisible()
    assert shell.signed_in is not None and shell.signed_in.session.open


def test_lock_now_clears_every_view_and_closes_the_database(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    main.show_page("administration")
    assert live_widgets(View)
    session = main.context.session
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main)
    qtbot.keyClick(main.navigation, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    unlock = unlock_window(qtbot, shell)
    qtbot.waitUntil(lambda: not session.open)
    qtbot.waitUntil(lambda: not live_widgets(View) and not live_widgets(MainWindow))
    assert shell.signed_in is None
    assert unlock.selected_username() == ADMIN


def test_the_lock_button_in_the_status_bar_locks(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    session = main.context.session
    qtbot.mouseClick(main.lock_button, Qt.MouseButton.LeftButton)
    unlock_window(qtbot, shell)
    qtbot.waitUntil(lambda: not session.open)
    main2 = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    assert main2.context.session.open


def test_auto_lock_after_five_idle_minutes_on_the_wall_clock(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path, clock: FakeClock
) -> None:
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    session = main.context.session
    clock.advance(4 * 60)
    qtbot.wait(200)  # several polls: not idle long enough yet
    assert shell.main_window is main
    clock.advance(61)  # the laptop slept: no timer ran, but the wall clock moved
    unlock_window(qtbot, shell)
    qtbot.waitUntil(lambda: not session.open)
    assert not live_widgets(View)


def test_typing_counts_as_activity_and_the_setting_changes_the_delay(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path, clock: FakeClock
) -> None:
    installation = Installation(existing)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    session.meta.set("autolock_minutes", "2")
    session.lock()
    installation.release()

    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    assert shell.signed_in is not None and shell.signed_in.autolock_minutes == 2
    clock.advance(100)
    qtbot.keyClick(main.navigation, Qt.Key.Key_Down)
    clock.advance(100)
    qtbot.wait(200)
    assert shell.main_window is main  # 100 s since the key press
    clock.advance(21)
    unlock_window(qtbot, shell)


def test_a_caseworker_does_not_see_administration(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, CASEWORKER, CASEWORKER_PASSPHRASE)
    assert "administration" not in main.page_keys()
    assert main.page_keys()[0] == "cases"
    assert "Caseworker" in main.user_label.text()
    labels = [main.navigation.item(i).text() for i in range(main.navigation.count())]
    assert "Administration" not in labels
    assert "Cases" in labels


def test_every_page_shows_its_heading(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    for row, key in enumerate(main.page_keys()):
        view = main.show_page(key)
        assert main.stack.currentWidget() is view
        assert view.heading.text() == main.navigation.item(row).text()


def test_a_demo_installation_says_so_and_shows_how_to_sign_in(
    qtbot: QtBot, make_shell: Callable[..., Shell], data_dir: Path
) -> None:
    installation = Installation(data_dir)
    session, _recovery = installation.create(
        org_name="Demo shelter", admin=DEMO_USER, passphrase=DEMO_PASSPHRASE, demo=True
    )
    session.lock()
    installation.release()

    shell = make_shell(data_dir, demo_login=(DEMO_USER, DEMO_PASSPHRASE))
    window = unlock_window(qtbot, shell)
    assert window.demo_banner.isVisible()
    assert DEMO_USER in window.demo_banner.text()
    assert DEMO_PASSPHRASE in window.demo_banner.text()
    main = unlock_as(qtbot, shell, DEMO_USER, DEMO_PASSPHRASE)
    assert "demo data" in main.windowTitle()
    assert main.demo_label.isVisible()
