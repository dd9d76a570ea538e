"""The Period report page on a coordinator that imported two shelters' bundles: the figures
for a chosen period and filter, and the report saved as XLSX and PDF per organisation."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pypdf
from openpyxl import load_workbook
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from shelter_desk.gui.shell import Shell
from shelter_desk.gui.views.national import NationalView
from shelter_desk.i18n import set_language
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.conftest import OFFSCREEN_LIMITS, unlock_as
from tests.services.national_world import build

pytestmark = OFFSCREEN_LIMITS


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def rows(table: QTableWidget) -> dict[str, list[str]]:
    return {
        cell(table, r, 0): [cell(table, r, c) for c in range(1, table.columnCount())]
        for r in range(table.rowCount())
    }


def open_page(qtbot: QtBot, make_shell: Callable[..., Shell], tmp_path: Path) -> NationalView:
    world = build(tmp_path / "world")
    world.close()
    shell = make_shell(tmp_path / "world" / "coordinator")
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    view = main.show_page("national")
    assert isinstance(view, NationalView)
    # The page counts the current quarter at once, on the worker.
    qtbot.waitUntil(lambda: view.figures is not None and not view.loading, timeout=15_000)
    return view


def count(qtbot: QtBot, view: NationalView) -> None:
    view.figures = None
    view.count_button.click()
    qtbot.waitUntil(lambda: view.figures is not None and not view.loading, timeout=15_000)


def test_the_page_counts_the_chosen_period_and_filter(
    qtbot: QtBot, make_shell: Callable[..., Shell], tmp_path: Path
) -> None:
    view = open_page(qtbot, make_shell, tmp_path)
    assert view.organisation.isVisibleTo(view) and view.internal.isVisibleTo(view)
    assert "<5" in view.note.text()  # the page says what the saved reports hide
    names = [view.organisation.itemText(i) for i in range(view.organisation.count())]
    assert names[1:] == ["Hope House", "Safe Haven"]
    view.kind.setCurrentIndex(view.kind.findData("year"))
    view.start.setDate(QDate(2026, 5, 1))
    count(qtbot, view)
    assert view.figures is not None and view.figures.identified == 4
    cards = {card.title.text(): card for card in view.cards}
    per_org = rows(cards["Per organisation"].table)
    assert per_org["Hope House"][0] == "3" and per_org["Safe Haven"][0] == "1"
    assert "1" in rows(cards["People identified by citizenship"].table)["Ukraine"]

    view.kind.setCurrentIndex(view.kind.findData("quarter"))  # April to June
    view.organisation.setCurrentIndex(view.organisation.findText("Hope House"))
    view.sex.setCurrentIndex(view.sex.findData("Masculine"))
    count(qtbot, view)
    assert view.figures is not None and view.figures.period.start == dt.date(2026, 4, 1)
    assert view.figures.identified == 1  # the boy of May
    summary = rows(view.cards[0].table)
    assert summary["Returns (AVRR)"] == ["1"]  # the page shows every count

    view.kind.setCurrentIndex(view.kind.findData("custom"))
    view.end.setDate(QDate(2026, 3, 1))  # before the start: refused, nothing counted
    view.count_button.click()
    assert "ends before it starts" in view.status.text()


def test_the_page_saves_the_report_per_organisation(
    qtbot: QtBot, make_shell: Callable[..., Shell], tmp_path: Path
) -> None:
    view = open_page(qtbot, make_shell, tmp_path)
    view.kind.setCurrentIndex(view.kind.findData("year"))
    view.start.setDate(QDate(2026, 1, 1))
    view.organisation.setCurrentIndex(view.organisation.findText("Safe Haven"))
    out = tmp_path / "haven.xlsx"
    view.internal.setChecked(True)
    dialog = view.choose_file("xlsx")
    dialog.fileSelected.emit(str(out))
    qtbot.waitUntil(lambda: view.saved == out, timeout=15_000)
    dialog.close()
    book = load_workbook(io.BytesIO(out.read_bytes()))
    per_org = book.worksheets[-1]
    assert [c.value for c in next(per_org.iter_rows(min_row=3))][:2] == ["Safe Haven", 1]

    view.internal.setChecked(False)
    view.language.setCurrentIndex(view.language.findData("he"))
    pdf = tmp_path / "haven.pdf"
    view.save(pdf, "pdf")
    qtbot.waitUntil(lambda: view.saved == pdf, timeout=15_000)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "Safe Haven" in text and "Hope House" not in text and "<5" in text
    assert "הפיליפינים" in text  # the Philippines, in Hebrew
    assert "haven.pdf" in view.status.text()

    nowhere = tmp_path / "missing-folder" / "haven.xlsx"
    view.save(nowhere, "xlsx")  # the folder does not exist: said on the page, nothing written
    qtbot.waitUntil(lambda: "Could not write" in view.status.text(), timeout=15_000)
    assert not nowhere.parent.exists() and view.saved == pdf
    assert view.pdf_button.isEnabled()


def test_the_page_follows_the_language(
    qtbot: QtBot, make_shell: Callable[..., Shell], tmp_path: Path
) -> None:
    view = open_page(qtbot, make_shell, tmp_path)
    set_language("ru")
    view.retranslate()
    sexes = [view.sex.itemText(i) for i in range(view.sex.count())]
    assert "Feminine" not in sexes  # the filter lists are in Russian now
    citizenship = [view.citizenship.itemText(i) for i in range(view.citizenship.count())]
    assert "Украина" in citizenship
