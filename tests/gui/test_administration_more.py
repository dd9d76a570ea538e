"""Administration beyond accounts: settings, the audit log, backup and restore, and the
passphrase dialog every user has in the File menu."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QTableWidget
from pytestqt.qtbot import QtBot

from shelter_desk.gui.shell import Shell
from shelter_desk.gui.unlock import UnlockWindow
from shelter_desk.gui.views.administration import AdministrationView
from shelter_desk.gui.views.backup_restore import RestoreDialog
from shelter_desk.gui.views.settings_dialog import SettingsDialog
from shelter_desk.gui.views.user_dialogs import ChangePassphraseDialog
from shelter_desk.security.permissions import Role
from shelter_desk.services import backup, users
from shelter_desk.services.installation import Installation
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.conftest import CASEWORKER, CASEWORKER_PASSPHRASE, OFFSCREEN_LIMITS, unlock_as

pytestmark = OFFSCREEN_LIMITS


def text_at(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


AUDITOR, AUDITOR_PASSPHRASE = "ruth", "copper willow seventy kestrel"


def administration(qtbot: QtBot, shell: Shell, user: str = ADMIN) -> AdministrationView:
    passphrase = {ADMIN: ADMIN_PASSPHRASE, AUDITOR: AUDITOR_PASSPHRASE}[user]
    main = unlock_as(qtbot, shell, user, passphrase)
    view = main.show_page("administration")
    assert isinstance(view, AdministrationView)
    return view


def tab_titles(view: AdministrationView) -> list[str]:
    return [view.tabs.tabText(i).replace("&", "") for i in range(view.tabs.count())]


def test_settings_change_auto_lock_and_follow_up_months(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    view = administration(qtbot, shell)
    assert tab_titles(view) == ["Users", "Settings and backups", "Audit log"]
    qtbot.waitUntil(lambda: view.settings is not None)
    assert "Follow-ups at 1, 3, 6, 12 months" in view.settings_summary.text()

    view.open_settings()
    dialog = view.dialog
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitUntil(lambda: dialog.loaded)
    assert dialog.org_name.text() == "Hope House" and dialog.autolock.value() == 5
    dialog.autolock.setValue(0)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    message = dialog.form.fields["autolock_minutes"].message
    qtbot.waitUntil(message.isVisible)
    assert "cannot be switched off" in message.message
    assert dialog.isVisible()

    dialog.autolock.setValue(9)
    dialog.follow_up_months.setText("2, 4")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.data_status.text() == "The settings were saved.")
    assert "after 9 minutes" in view.settings_summary.text()
    assert "Follow-ups at 2, 4 months" in view.settings_summary.text()

    # The next unlock locks after 9 idle minutes.
    shell.lock_now()
    unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    assert shell.idle_lock is not None and shell.idle_lock.minutes == 9


def test_the_audit_log_lists_events_in_words(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    view = administration(qtbot, make_shell(existing))
    audit = view.audit
    assert audit is not None
    qtbot.waitUntil(lambda: audit.table.rowCount() > 0)
    rows = [
        [text_at(audit.table, r, c) for c in range(audit.table.columnCount())]
        for r in range(audit.table.rowCount())
    ]
    # Newest first: this unlock, then the caseworker's account, then the installation.
    assert rows[0][1:] == [ADMIN, "Unlocked", "User account"]
    assert [ADMIN, "Added a user", "User account"] in [r[1:] for r in rows]
    assert rows[-1][1:3] == [ADMIN, "Installed Shelter Desk"]
    assert [r[2] for r in rows] == ["Unlocked", "Locked", "Added a user", "Installed Shelter Desk"]
    assert audit.position.text() == "Events 1 to 4 of 4, newest first"


def test_the_audit_log_pages(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    view = administration(qtbot, make_shell(existing))
    audit = view.audit
    assert audit is not None
    qtbot.waitUntil(lambda: audit.page is not None)
    audit.page_size = 2
    audit.load(0)
    qtbot.waitUntil(lambda: audit.table.rowCount() == 2)
    assert not audit.newer_button.isEnabled() and audit.older_button.isEnabled()
    first = text_at(audit.table, 0, 2)
    qtbot.mouseClick(audit.older_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: audit.offset == 2)
    assert audit.newer_button.isEnabled()
    assert "Events 3 to 4" in audit.position.text()
    qtbot.mouseClick(audit.newer_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: audit.offset == 0)
    assert text_at(audit.table, 0, 2) == first


def test_an_auditor_sees_the_audit_log_but_not_users(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    installation = Installation(existing)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    users.add_user(session, AUDITOR, Role.AUDITOR, AUDITOR_PASSPHRASE)
    session.lock()
    installation.release()

    shell = make_shell(existing)
    view = administration(qtbot, shell, AUDITOR)
    assert tab_titles(view) == ["Audit log"]
    assert view.users_tab is None and view.data_tab is None
    assert view.accounts == [] and view.table.rowCount() == 0
    audit = view.audit
    assert audit is not None
    qtbot.waitUntil(lambda: audit.table.rowCount() > 0)
    assert text_at(audit.table, 0, 1) == AUDITOR
    main = shell.main_window
    assert main is not None and main.page_keys() == ["administration"]


def test_a_backup_made_through_the_gui_can_be_read(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path, tmp_path: Path
) -> None:
    view = administration(qtbot, make_shell(existing))
    out = tmp_path / "usb" / "hope-house.backup"
    out.parent.mkdir()
    view.backup_to(out)
    qtbot.waitUntil(lambda: "backup was written" in view.data_status.text(), timeout=20_000)
    header, slots, _offset = backup.read_header(out)
    assert header.db_size > 0 and ADMIN in {s.username for s in slots.slots.values()}


def test_restore_locks_then_replaces_the_data_and_keeps_the_old(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path, tmp_path: Path
) -> None:
    shell = make_shell(existing)
    view = administration(qtbot, shell)
    saved = tmp_path / "before.backup"
    view.backup_to(saved)
    qtbot.waitUntil(lambda: "backup was written" in view.data_status.text(), timeout=20_000)
    # A user added after the backup is gone once the backup is restored.
    view.open_add_user()
    assert view.dialog is not None
    session = shell.signed_in.session if shell.signed_in else None
    assert session is not None
    shell.runner.worker.call(
        lambda: users.add_user(session, "later", Role.CASEWORKER, AUDITOR_PASSPHRASE)
    )
    view.dialog.reject()

    view.ask_restore(saved)
    qtbot.waitUntil(lambda: isinstance(view.dialog, RestoreDialog))
    dialog = view.dialog
    assert isinstance(dialog, RestoreDialog)
    assert "kept" in dialog.explanation.text()
    assert dialog.username.text() == ADMIN
    qtbot.keyClicks(dialog.passphrase, ADMIN_PASSPHRASE)
    assert not dialog.restore_button.isEnabled()  # not before the replacement is understood
    dialog.understood.setChecked(True)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: isinstance(shell.window, UnlockWindow))
    unlock = shell.window
    assert isinstance(unlock, UnlockWindow)
    qtbot.waitUntil(lambda: _box_named("restoreDone") is not None, timeout=30_000)
    box = _box_named("restoreDone")
    assert box is not None and "was kept as" in box.text()
    assert sorted(
        unlock.user_list.item(i).text() for i in range(unlock.user_list.count())
    ) == sorted([ADMIN, CASEWORKER])
    assert list(existing.glob("*.replaced-*"))
    box.close()
    unlock_as(qtbot, shell, CASEWORKER, CASEWORKER_PASSPHRASE)


def test_a_wrong_passphrase_restores_nothing(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path, tmp_path: Path
) -> None:
    shell = make_shell(existing)
    view = administration(qtbot, shell)
    saved = tmp_path / "before.backup"
    view.backup_to(saved)
    qtbot.waitUntil(lambda: "backup was written" in view.data_status.text(), timeout=20_000)
    view.restore(saved, ADMIN, "not the passphrase at all")
    qtbot.waitUntil(lambda: _box_named("restoreRefused") is not None, timeout=30_000)
    box = _box_named("restoreRefused")
    assert box is not None and "Your data is unchanged" in box.text()
    assert not list(existing.glob("*.replaced-*"))
    box.close()
    unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)


def _box_named(name: str) -> QMessageBox | None:
    for widget in QApplication.allWidgets():
        if isinstance(widget, QMessageBox) and widget.objectName() == name:
            return widget
    return None


def test_anyone_changes_their_own_passphrase_from_the_file_menu(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, CASEWORKER, CASEWORKER_PASSPHRASE)
    assert main.passphrase_action in main.file_menu.actions()
    dialog = main.open_change_passphrase()
    assert isinstance(dialog, ChangePassphraseDialog)
    qtbot.keyClicks(dialog.current, "wrong wrong wrong wrong")
    qtbot.keyClicks(dialog.passphrase, AUDITOR_PASSPHRASE)
    qtbot.keyClicks(dialog.repeat, AUDITOR_PASSPHRASE)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    message = dialog.form.fields["current"].message
    qtbot.waitUntil(message.isVisible, timeout=10_000)
    assert dialog.isVisible()

    dialog.current.setText(CASEWORKER_PASSPHRASE)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "passphrase was changed" in main.statusBar().currentMessage())
    shell.lock_now()
    unlock_as(qtbot, shell, CASEWORKER, AUDITOR_PASSPHRASE)
