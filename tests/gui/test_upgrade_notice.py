"""The window after unlocking a data folder the previous release wrote: a notice saying it
was upgraded and where the backup taken before is; the next unlock says nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from shelter_desk.gui.shell import Shell
from shelter_desk.services.installation import DEMO_PASSPHRASE, DEMO_USER
from tests.gui.conftest import OFFSCREEN_LIMITS, unlock_as
from tests.test_upgrade import backup_name, copy_fixture

pytestmark = OFFSCREEN_LIMITS


def test_unlocking_an_older_folder_says_it_was_upgraded(
    qtbot: QtBot, make_shell: Callable[..., Shell], tmp_path: Path
) -> None:
    data = copy_fixture(tmp_path / "data")
    shell = make_shell(data)
    main = unlock_as(qtbot, shell, DEMO_USER, DEMO_PASSPHRASE)
    qtbot.waitUntil(lambda: shell.main_window is main and shell.upgrade_notice is not None)
    notice = shell.upgrade_notice
    assert isinstance(notice, QMessageBox)
    qtbot.waitUntil(notice.isVisible)
    assert notice.parent() is main
    kept = data / "backups" / backup_name()
    assert kept.is_file()
    assert "upgraded this data folder" in notice.text()
    assert str(kept) in notice.text()
    notice.close()

    shell.upgrade_notice = None
    shell.lock_now()
    main = unlock_as(qtbot, shell, DEMO_USER, DEMO_PASSPHRASE)
    qtbot.wait(50)
    assert shell.upgrade_notice is None
    assert [p.name for p in kept.parent.iterdir()] == [kept.name]
