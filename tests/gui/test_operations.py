"""run_op: work on the database worker, results on the GUI thread, errors shown or routed."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from shelter_desk.domain.errors import NotFound, ShelterDeskError
from shelter_desk.gui.fonts import apply_language_font, families_for, register_bundled_fonts
from shelter_desk.gui.operations import OpRunner, on_gui_thread, run_op
from shelter_desk.services.worker import CancelToken
from tests.gui.conftest import OFFSCREEN_LIMITS

pytestmark = OFFSCREEN_LIMITS


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[OpRunner]:
    runner = OpRunner()
    yield runner
    runner.stop()


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def message_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]


def close_message_boxes() -> None:
    for box in message_boxes():
        box.close()


def test_work_runs_on_the_worker_and_the_result_arrives_on_the_gui_thread(
    qtbot: QtBot, runner: OpRunner, parent: QWidget
) -> None:
    seen: dict[str, object] = {}

    def work() -> int:
        seen["worker"] = runner.worker.on_worker_thread()
        seen["work_thread"] = threading.current_thread().name
        return 42

    def success(value: int) -> None:
        seen["value"] = value
        seen["gui"] = on_gui_thread()

    run_op(parent, runner, work, success)
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen == {"worker": True, "work_thread": "shelter-desk-db", "value": 42, "gui": True}
    assert not runner.busy


def test_an_expected_error_goes_to_on_error(
    qtbot: QtBot, runner: OpRunner, parent: QWidget
) -> None:
    errors: list[ShelterDeskError] = []

    def work() -> None:
        raise NotFound("There is no case 12 here.")

    run_op(parent, runner, work, lambda _none: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert errors[0].message == "There is no case 12 here."
    assert not message_boxes()


def test_an_expected_error_without_handler_is_shown_in_a_message_box(
    qtbot: QtBot, runner: OpRunner, parent: QWidget
) -> None:
    def work() -> None:
        raise NotFound("There is no case 12 here.")

    run_op(parent, runner, work, lambda _none: None)
    qtbot.waitUntil(lambda: bool(message_boxes()))
    assert message_boxes()[0].text() == "There is no case 12 here."
    close_message_boxes()


def test_a_bug_is_logged_without_its_message_and_shown_generically(
    qtbot: QtBot, runner: OpRunner, parent: QWidget, caplog: pytest.LogCaptureFixture
) -> None:
    def work() -> None:
        raise KeyError("Fatima Al-Sayed")

    with caplog.at_level(logging.ERROR, logger="shelter_desk.gui.operations"):
        run_op(parent, runner, work, lambda _none: None)
        qtbot.waitUntil(lambda: bool(message_boxes()))
    assert "Something went wrong" in message_boxes()[0].text()
    assert "Fatima" not in message_boxes()[0].text()
    assert "KeyError" in caplog.text
    assert "Fatima" not in caplog.text
    close_message_boxes()


def test_nothing_is_delivered_to_a_window_that_is_gone(qtbot: QtBot, runner: OpRunner) -> None:
    delivered: list[int] = []
    release = threading.Event()
    widget = QWidget()
    run_op(widget, runner, lambda: release.wait(5) and 1, delivered.append)
    widget.deleteLater()
    qtbot.wait(20)
    release.set()
    qtbot.waitUntil(lambda: not runner.busy)
    assert delivered == []


def test_cancel_stops_long_work_quietly(qtbot: QtBot, runner: OpRunner, parent: QWidget) -> None:
    token = CancelToken()
    started = threading.Event()
    delivered: list[int] = []

    def long_work() -> int:
        started.set()
        for step in range(500):
            token.check()
            threading.Event().wait(0.01)
            del step
        return 1

    run_op(parent, runner, long_work, delivered.append, progress_title="Working", cancel=token)
    assert started.wait(5)
    token.cancel()
    qtbot.waitUntil(lambda: not runner.busy)
    assert delivered == []
    assert not message_boxes()


def test_bundled_fonts_register_and_each_language_gets_its_script_first(
    qapp: QApplication, tmp_path: Path
) -> None:
    families = register_bundled_fonts()
    assert {"Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Georgian"} <= set(
        families
    )
    assert register_bundled_fonts(tmp_path / "no-fonts-here") == []
    assert register_bundled_fonts(tmp_path) == []
    assert families_for("ar")[:2] == ["Noto Sans Arabic", "Noto Sans"]
    assert families_for("ru")[0] == "Noto Sans"
    original = QApplication.font()
    try:
        font = apply_language_font(qapp, "ar")
        assert font.families()[0] == "Noto Sans Arabic"
        assert "Noto Kufi Arabic" not in font.families()
    finally:
        QApplication.setFont(original)


def test_void_qt_calls_keep_the_reference_count_of_none(qapp: QApplication) -> None:
    """PySide6 6.12.0 drops a reference to None on every void call (CPython 3.11 then aborts
    with none_dealloc); the pinned 6.11 keeps the count. Guards the pin in pyproject.toml."""
    import sys

    widget = QWidget()

    def change_over_calls() -> int:
        before = sys.getrefcount(None)
        for _ in range(1_000):
            widget.setEnabled(True)
        return sys.getrefcount(None) - before

    change_over_calls()  # warm-up: first calls may create cached objects
    assert [change_over_calls() for _ in range(3)] == [0, 0, 0]
