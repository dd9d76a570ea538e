"""The Administration page: an administrator manages accounts through the dialogs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from shelter_desk.gui.shell import Shell
from shelter_desk.gui.unlock import UnlockWindow
from shelter_desk.gui.views.administration import AdministrationView
from shelter_desk.gui.views.user_dialogs import (
    AddUserDialog,
    ChangeRoleDialog,
    ResetPassphraseDialog,
)
from shelter_desk.security.permissions import Role
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.conftest import CASEWORKER, OFFSCREEN_LIMITS, unlock_as

pytestmark = OFFSCREEN_LIMITS

NADIA, NADIA_PASSPHRASE = "nadia", "copper willow seventy kestrel"


def administration(qtbot: QtBot, shell: Shell) -> AdministrationView:
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    view = main.show_page("administration")
    assert isinstance(view, AdministrationView)
    qtbot.waitUntil(lambda: view.table.rowCount() == 2)
    return view


def row_of(view: AdministrationView, username: str) -> list[str]:
    for row in range(view.table.rowCount()):
        items = [view.table.item(row, c) for c in range(view.table.columnCount())]
        cells = [item.text() if item is not None else "" for item in items]
        if cells[0] == username:
            return cells
    raise AssertionError(f"{username} is not in the table")


def test_the_users_table_lists_every_account(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    view = administration(qtbot, make_shell(existing))
    assert row_of(view, ADMIN)[2] == "Administrator"
    assert row_of(view, CASEWORKER)[2:] == ["Caseworker", "English", "Active"]
    assert not view.disable_button.isEnabled()  # nothing selected yet
    view.select_user(ADMIN)
    assert not view.disable_button.isEnabled()  # nobody disables their own account
    view.select_user(CASEWORKER)
    assert view.disable_button.isEnabled()


def test_an_added_user_can_then_unlock(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    view = administration(qtbot, shell)
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, AddUserDialog)
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.username, NADIA)
    qtbot.keyClicks(dialog.display_name, "Nadia Haddad")
    dialog.role.setCurrentIndex(dialog.role.findData(str(Role.SUPERVISOR)))
    qtbot.keyClicks(dialog.passphrase, NADIA_PASSPHRASE)
    qtbot.keyClicks(dialog.repeat, NADIA_PASSPHRASE)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.table.rowCount() == 3, timeout=10_000)
    assert row_of(view, NADIA)[1:3] == ["Nadia Haddad", "Supervisor"]
    assert "nadia was added" in view.status.text()

    shell.lock_now()
    main = unlock_as(qtbot, shell, NADIA, NADIA_PASSPHRASE)
    assert "Nadia Haddad (Supervisor)" in main.user_label.text()
    assert "administration" not in main.page_keys()


def test_a_weak_passphrase_for_a_new_user_is_shown_in_the_dialog(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    view = administration(qtbot, make_shell(existing))
    view.open_add_user()
    dialog = view.dialog
    assert isinstance(dialog, AddUserDialog)
    qtbot.keyClicks(dialog.username, NADIA)
    qtbot.keyClicks(dialog.passphrase, "nadia123")
    qtbot.keyClicks(dialog.repeat, "nadia123")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    message = dialog.form.fields["passphrase"].message
    qtbot.waitUntil(message.isVisible)
    assert "too easy to guess" in message.message
    assert dialog.isVisible()
    assert view.table.rowCount() == 2


def test_change_role_reset_passphrase_and_disable(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    view = administration(qtbot, shell)
    view.select_user(CASEWORKER)

    view.open_change_role()
    role_dialog = view.dialog
    assert isinstance(role_dialog, ChangeRoleDialog)
    role_dialog.role.setCurrentIndex(role_dialog.role.findData(str(Role.SUPERVISOR)))
    qtbot.mouseClick(role_dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row_of(view, CASEWORKER)[2] == "Supervisor")

    view.select_user(CASEWORKER)
    view.open_reset_passphrase()
    reset = view.dialog
    assert isinstance(reset, ResetPassphraseDialog)
    qtbot.keyClicks(reset.passphrase, NADIA_PASSPHRASE)
    qtbot.keyClicks(reset.repeat, NADIA_PASSPHRASE)
    qtbot.mouseClick(reset.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "passphrase of bob was reset" in view.status.text(), timeout=10_000)

    view.select_user(CASEWORKER)
    view.disable(CASEWORKER)
    qtbot.waitUntil(lambda: row_of(view, CASEWORKER)[4] == "Disabled")

    shell.lock_now()
    unlock = shell.window
    assert isinstance(unlock, UnlockWindow)
    # The list refreshes once the worker has locked: a disabled account cannot unlock.
    qtbot.waitUntil(lambda: unlock.user_list.count() == 1)
    assert unlock.user_list.item(0).text() == ADMIN
