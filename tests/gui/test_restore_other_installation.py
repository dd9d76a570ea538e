"""Restoring from the Administration page: a backup of another installation is restored
only after a second confirmation that says what it is; cancelling changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from shelter_desk.gui.shell import Shell
from shelter_desk.gui.unlock import UnlockWindow
from shelter_desk.gui.views.administration import AdministrationView
from shelter_desk.gui.views.backup_restore import restore_after_lock
from shelter_desk.services import backup
from shelter_desk.services.installation import Installation
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.conftest import CASEWORKER, CASEWORKER_PASSPHRASE, OFFSCREEN_LIMITS, unlock_as

pytestmark = OFFSCREEN_LIMITS


def _box(name: str) -> QMessageBox | None:
    for widget in QApplication.allWidgets():
        if isinstance(widget, QMessageBox) and widget.objectName() == name:
            return widget
    return None


def _foreign_backup(tmp_path: Path) -> Path:
    other = Installation(tmp_path / "other-shelter")
    session, _recovery = other.create(
        org_name="Safe Harbour", admin=ADMIN, passphrase=ADMIN_PASSPHRASE
    )
    out = tmp_path / "other.backup"
    backup.backup(session, out)
    session.lock()
    other.release()
    return out


def _admin_page(qtbot: QtBot, shell: Shell, user: str, passphrase: str) -> AdministrationView:
    view = unlock_as(qtbot, shell, user, passphrase).show_page("administration")
    assert isinstance(view, AdministrationView)
    return view


def test_another_installations_backup_needs_a_second_confirmation(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path, tmp_path: Path
) -> None:
    foreign = _foreign_backup(tmp_path)
    shell = make_shell(existing)
    view = _admin_page(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    view.restore(foreign, ADMIN, ADMIN_PASSPHRASE)
    qtbot.waitUntil(lambda: _box("restoreOtherInstallation") is not None, timeout=30_000)
    question = _box("restoreOtherInstallation")
    assert question is not None
    assert "Safe Harbour" in question.text() and "another installation" in question.text()
    question.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: not list(existing.glob(".restore-candidate*")), timeout=10_000)
    assert not list(existing.glob("*.replaced-*"))
    assert isinstance(shell.window, UnlockWindow)
    # Still this installation: the caseworker (not in the other one) unlocks.
    view = _admin_page(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    view.restore(foreign, ADMIN, ADMIN_PASSPHRASE)
    qtbot.waitUntil(lambda: _box("restoreOtherInstallation") is not None, timeout=30_000)
    question = _box("restoreOtherInstallation")
    assert question is not None
    replace = next(b for b in question.buttons() if "Replace" in b.text())
    replace.click()
    qtbot.waitUntil(lambda: _box("restoreDone") is not None, timeout=30_000)
    done = _box("restoreDone")
    assert done is not None and "Safe Harbour" in done.text() and "was kept as" in done.text()
    unlock = shell.window
    assert isinstance(unlock, UnlockWindow)
    names = [unlock.user_list.item(i).text() for i in range(unlock.user_list.count())]
    assert CASEWORKER not in names
    done.close()


def test_only_an_administrator_can_restore(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path, tmp_path: Path
) -> None:
    foreign = _foreign_backup(tmp_path)
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, CASEWORKER, CASEWORKER_PASSPHRASE)
    assert shell.signed_in is not None
    restore_after_lock(
        main.lock_requested,
        shell.runner,
        shell.signed_in.session,
        foreign,
        ADMIN,
        ADMIN_PASSPHRASE,
    )
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, QMessageBox) and "may not do this" in w.text()
            for w in QApplication.topLevelWidgets()
        )
    )
    assert shell.main_window is main  # not locked
    assert not list(existing.glob("*.replaced-*")) and not list(existing.glob(".restore*"))
