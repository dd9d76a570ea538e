"""Bundle export and import on the Sync page show real progress (issue 12 item 3): work on
the database worker reports (done, total) through a ProgressFeed and run_op's dialog shows it
on the GUI thread, no longer a busy bar."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QProgressDialog, QWidget
from pytestqt.qtbot import QtBot

from shelter_desk.gui.operations import OpRunner, ProgressFeed, run_op


def test_work_on_the_worker_moves_the_dialog_in_real_steps(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = OpRunner()
    feed = ProgressFeed()
    halfway = threading.Event()
    go_on = threading.Event()
    results: list[str] = []

    def work() -> str:
        feed(0, 1000)
        feed(500, 1000)
        halfway.set()
        go_on.wait(10)
        feed(1000, 1000)
        return "done"

    try:
        run_op(parent, runner, work, results.append, progress_title="Working", feed=feed)
        dialog = parent.findChild(QProgressDialog)
        assert dialog is not None
        assert halfway.wait(10)
        qtbot.waitUntil(lambda: dialog.maximum() == 1000 and dialog.value() == 500)
        go_on.set()
        qtbot.waitUntil(lambda: results == ["done"])
    finally:
        go_on.set()
        runner.stop()
