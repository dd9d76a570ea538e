"""The Dashboard page: figures arrive from the worker and the charts are drawn from them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCharts import QBarSet
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from shelter_desk.gui.shell import Shell
from shelter_desk.gui.views.dashboard import DashboardView
from shelter_desk.services.installation import Installation
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.conftest import OFFSCREEN_LIMITS, unlock_as
from tests.services.case_helpers import open_case

pytestmark = OFFSCREEN_LIMITS


def text_at(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def with_cases(data_dir: Path, count: int) -> Path:
    installation = Installation(data_dir)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    for n in range(count):
        open_case(session, latin=f"Person {n}")
    session.lock()
    installation.release()
    return data_dir


def bar_values(chart_series: object) -> list[float]:
    bar_sets = chart_series.barSets()  # type: ignore[attr-defined]
    assert len(bar_sets) == 1 and isinstance(bar_sets[0], QBarSet)
    return [bar_sets[0].at(i) for i in range(bar_sets[0].count())]


def test_the_charts_are_drawn_when_the_figures_arrive(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(with_cases(existing, 3))
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    view = main.show_page("dashboard")
    assert isinstance(view, DashboardView)
    # The page is shown at once and counts on the worker: nothing blocked the GUI thread.
    assert view.figures is None and view.loading
    assert view.status.text() == "Counting…"
    qtbot.waitUntil(lambda: view.figures is not None, timeout=10_000)

    assert view.open_cases.number.text() == "3"
    assert "open cases" in view.open_cases.words.text()
    assert view.overdue.number.text() == "0"
    assert "follow-up visits are overdue" in view.overdue.words.text()
    for card in view.charts:
        assert card.series is not None and card.bars
    assert [b.label for b in view.by_status.bars] == [
        "Active",
        "Follow-up",
        "Closed",
        "Closed (referred)",
    ]
    # Statuses as rows (each name on its own line): drawn bottom up, the first on top.
    assert bar_values(view.by_status.series) == [0, 0, 0, 3]
    assert [(b.label, b.value) for b in view.nationalities.bars] == [("Sudan", 3)]
    assert [(b.label, b.value) for b in view.exploitation.bars] == [("Forced labour", 3)]
    assert len(view.new_cases.bars) == 12 and len(view.services.bars) == 12
    # The same figures as a table, for those who do not read charts.
    view.by_status.toggle.click()
    assert view.by_status.stack.currentWidget() is view.by_status.table
    assert text_at(view.by_status.table, 0, 0) == "Active"
    assert text_at(view.by_status.table, 0, 1) == "3"
    assert view.by_status.toggle.text() == "Show as a chart"

    # Counting again keeps showing the last figures until the new ones arrive.
    view.refresh()
    assert view.figures is not None and not view.refresh_button.isEnabled()
    qtbot.waitUntil(lambda: not view.loading, timeout=10_000)
    assert view.refresh_button.isEnabled()


def test_the_dashboard_speaks_the_interface_language(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(with_cases(existing, 1))
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    view = main.show_page("dashboard")
    assert isinstance(view, DashboardView)
    qtbot.waitUntil(lambda: view.figures is not None, timeout=10_000)
    shell.change_language("ar")
    assert view.nationalities.bars[0].label == "السودان"
    assert view.by_status.bars[0].label != "Active"
