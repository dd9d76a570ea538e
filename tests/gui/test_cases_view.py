"""The Cases page: search as you type across scripts, filters, sorting, opening a case."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from shelter_desk.domain.entities import Person
from shelter_desk.gui.models.case_list import CASE_ID_ROLE
from shelter_desk.gui.shell import Shell
from shelter_desk.gui.workspace.window import CaseWorkspace
from tests.gui.cases_helpers import cases_view, seed_cases
from tests.gui.conftest import OFFSCREEN_LIMITS

pytestmark = OFFSCREEN_LIMITS

PEOPLE = (
    Person(first_name="محمد", second_name="حسن", citizenships=("SD",), gender="Masculine"),
    Person(first_name="Ольга", first_name_latin="Olga", citizenships=("UA",)),
    Person(first_name="Amal", second_name="Tesfaye", citizenships=("ER",)),
)


def names_shown(view: object) -> list[str]:
    model = view.model  # type: ignore[attr-defined]
    return [str(model.data(model.index(r, 1))) for r in range(model.rowCount())]


def test_search_as_you_type_finds_an_arabic_name_from_its_latin_spelling(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    seed_cases(existing, *PEOPLE)
    view = cases_view(qtbot, make_shell(existing), rows=3)
    assert view.count_label.text() == "3 cases"
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view.window())
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search.hasFocus()
    qtbot.keyClicks(view.search, "Muhammad")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5_000)
    qtbot.waitUntil(lambda: view.model.row_at(0) is not None)
    assert "محمد" in names_shown(view)[0]
    assert view.count_label.text() == "1 case"
    qtbot.keyClick(view.search, Qt.Key.Key_Space)  # a trailing space: the word is whole
    qtbot.wait(300)
    assert view.model.case_filter.text == "Muhammad "
    assert view.model.rowCount() == 1


def test_filters_and_sorting_by_clicking_a_header(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    seed_cases(existing, *PEOPLE)
    view = cases_view(qtbot, make_shell(existing), rows=3)
    view.nationality_filter.set_code("UA")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    qtbot.waitUntil(lambda: view.model.row_at(0) is not None)
    assert "Ольга" in names_shown(view)[0]
    view.nationality_filter.set_code("")
    view.status_filter.set_code("Closed")
    qtbot.waitUntil(lambda: view.model.rowCount() == 0)
    assert view.count_label.text() == "0 cases"
    view.status_filter.set_code("open")
    qtbot.waitUntil(lambda: view.model.rowCount() == 3)
    view.overdue_filter.setChecked(True)
    qtbot.waitUntil(lambda: view.model.rowCount() == 0)
    view.overdue_filter.setChecked(False)
    qtbot.waitUntil(lambda: view.model.rowCount() == 3)

    header = view.table.horizontalHeader()
    name_header = QPoint(
        header.sectionViewportPosition(1) + header.sectionSize(1) // 2, header.height() // 2
    )
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=name_header)
    qtbot.waitUntil(lambda: view.model.case_filter.sort == "name")
    descending = view.model.case_filter.descending
    by_name = sorted(names_shown(view), key=lambda n: n.strip("\u2068\u2069").casefold())
    expected = list(reversed(by_name)) if descending else by_name
    qtbot.waitUntil(lambda: names_shown(view) == expected)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=name_header)
    qtbot.waitUntil(lambda: view.model.case_filter.descending != descending)
    qtbot.waitUntil(lambda: names_shown(view) == list(reversed(expected)))
    owner = view.model.data(view.model.index(0, 3))
    assert owner  # the caseworker's name, not an id


def test_enter_on_a_row_opens_the_case_in_its_own_tab(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    seed_cases(existing, *PEOPLE[:2])
    view = cases_view(qtbot, make_shell(existing), rows=2)
    qtbot.waitUntil(lambda: view.model.row_at(1) is not None)
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(1, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    workspace = view.tabs.currentWidget()
    assert isinstance(workspace, CaseWorkspace)
    assert workspace.case_id == view.model.data(view.model.index(1, 0), CASE_ID_ROLE)
    qtbot.waitUntil(lambda: workspace.case_file is not None, timeout=5_000)
    assert view.tabs.count() == 2
    assert view.tabs.tabText(1) == workspace.case_file.case.number  # type: ignore[union-attr]
    view.tabs.setCurrentIndex(0)
    view.table.setCurrentIndex(view.model.index(1, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert view.tabs.count() == 2  # the same case is not opened twice
    assert view.tabs.currentWidget() is workspace


def test_switching_to_arabic_retranslates_and_mirrors_open_cases(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    seed_cases(existing, PEOPLE[0])
    shell = make_shell(existing)
    view = cases_view(qtbot, shell, rows=1)
    qtbot.waitUntil(lambda: view.model.case_id(0) is not None)
    case_id = view.model.case_id(0)
    assert case_id is not None
    workspace = view.open_case(case_id)
    qtbot.waitUntil(lambda: workspace.case_file is not None)
    view.open_wizard()
    shell.change_language("ar")
    assert view.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert workspace.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert view.wizard is not None
    assert view.wizard.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert view.status_filter.count() == 1 + 1 + 4  # any, open, and the four statuses
    shell.change_language("en")
    assert view.tabs.tabText(0) == "Case list"
    assert workspace.tabs.tabText(0) == "Person"
