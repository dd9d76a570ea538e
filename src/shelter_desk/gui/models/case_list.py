"""The case list: a table model over the whole (possibly 100k-case) list that holds the
ids of every row and the rows of only the pages it has been asked for.

The ordered row keys come first (one query over the indexes: an integer per case); rows are
fetched a page at a time by key on the database worker when the view first shows them, and
kept in a small least-recently-used cache of pages, so jumping to row 60,000 costs the same
as showing row 1. Until a page arrives its cells say "Loading…". Changing the filter, the
search text or the sort starts a new generation: answers to older requests are dropped.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QWidget

from shelter_desk.domain import codes
from shelter_desk.gui.operations import OpRunner, run_op
from shelter_desk.gui.widgets.bidi import isolated_name
from shelter_desk.i18n import N_, NP_, _, country_name, format_date, isolate
from shelter_desk.services.cases import CaseFilter, CaseListRow

Index = QModelIndex | QPersistentModelIndex
KeyFetcher = Callable[[CaseFilter], list[int]]
RowFetcher = Callable[[Sequence[int]], list[CaseListRow]]


@dataclass(frozen=True)
class Column:
    key: str  # the sort key understood by services.cases (CaseQuery.sort)
    title: str  # N_-marked


COLUMNS: tuple[Column, ...] = (
    Column("number", N_("Case number")),
    Column("name", N_("Name")),
    Column("status", N_("Status")),
    Column("owner", N_("Caseworker")),
    Column("risk", N_("Risk")),
    Column("nationality", N_("Citizenship")),
    # TRANSLATORS: column of the case list: the date the case was opened.
    Column("opened", NP_("case opening date", "Opened")),
    Column("follow_up", N_("Next follow-up")),
)

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 2


class CaseListModel(QAbstractTableModel):
    def __init__(
        self,
        runner: OpRunner,
        keys: KeyFetcher,
        rows: RowFetcher,
        *,
        owner_names: dict[str, str] | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        page_size: int = 200,
        max_pages: int = 40,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._fetch_keys = keys
        self._fetch_rows = rows
        self._owners = owner_names or {}
        self._today = today
        self.page_size = page_size
        self._max_pages = max_pages
        self._filter = CaseFilter()
        self._keys: list[int] = []
        self._pages: OrderedDict[int, dict[int, CaseListRow]] = OrderedDict()
        self._requested: set[int] = set()
        self._generation = 0
        self.fetches = 0  # pages requested since creation (tests and benchmarks read it)
        self.listed = False
        """Whether the keys have arrived at least once (until then the count is unknown)."""

    # -- what to show --------------------------------------------------------------
    @property
    def case_filter(self) -> CaseFilter:
        return self._filter

    def set_filter(self, case_filter: CaseFilter) -> None:
        """Show the cases matching ``case_filter`` (counted, then fetched as needed)."""
        self._filter = case_filter
        self.refresh()

    def set_owner_names(self, names: dict[str, str]) -> None:
        self._owners = dict(names)
        self._emit_all_changed()

    def refresh(self) -> None:
        self._generation += 1
        generation, wanted = self._generation, self._filter
        run_op(
            self._anchor(),
            self._runner,
            lambda: self._fetch_keys(wanted),
            lambda keys: self._listed(generation, keys),
        )

    def _anchor(self) -> QObject:
        parent = QObject.parent(self)
        return parent if isinstance(parent, QWidget) else self

    def _listed(self, generation: int, keys: list[int]) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._keys = keys
        self._pages.clear()
        self._requested.clear()
        self.listed = True
        self.endResetModel()
        if keys:
            self._request(0)  # the first rows are always wanted: ask now, not at paint

    def _request(self, page: int) -> None:
        if page in self._requested:
            return
        self._requested.add(page)
        self.fetches += 1
        generation = self._generation
        keys = self._keys[page * self.page_size : (page + 1) * self.page_size]
        run_op(
            self._anchor(),
            self._runner,
            lambda: self._fetch_rows(keys),
            lambda rows: self._arrived(generation, page, rows),
        )

    def _arrived(self, generation: int, page: int, rows: list[CaseListRow]) -> None:
        if generation != self._generation:
            return
        self._requested.discard(page)
        self._pages[page] = {row.key: row for row in rows}
        self._pages.move_to_end(page)
        while len(self._pages) > self._max_pages:
            self._pages.popitem(last=False)
        first = page * self.page_size
        last = min(first + self.page_size, len(self._keys)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def row_at(self, row: int) -> CaseListRow | None:
        """The cached row, or None (and a fetch started) when its page is not here yet."""
        if not 0 <= row < len(self._keys):
            return None
        page = row // self.page_size
        rows = self._pages.get(page)
        if rows is None:
            self._request(page)
            return None
        self._pages.move_to_end(page)
        return rows.get(self._keys[row])

    def is_loaded(self, row: int) -> bool:
        """Whether the row's page has arrived (a row deleted since stays empty)."""
        return 0 <= row < len(self._keys) and row // self.page_size in self._pages

    def case_id(self, row: int) -> str | None:
        found = self.row_at(row)
        return found.case_id if found else None

    # -- QAbstractTableModel -------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section].title)  # the tooltip too: a narrow title elides
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(COLUMNS):
            return None
        row = self.row_at(index.row())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if row is None:
                return "" if self.is_loaded(index.row()) else _("Loading…")
            return self._display(row, COLUMNS[index.column()].key)
        if row is None:
            return None
        if role == CASE_ID_ROLE:
            return row.case_id
        if role == OVERDUE_ROLE:
            return self._overdue(row)
        if role == Qt.ItemDataRole.ToolTipRole and self._overdue(row):
            return _("This case has a follow-up that is overdue.")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(COLUMNS):
            descending = order == Qt.SortOrder.DescendingOrder
            self.set_filter(replace(self._filter, sort=COLUMNS[column].key, descending=descending))

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self._emit_all_changed()

    def _emit_all_changed(self) -> None:
        if self._keys:
            last = len(self._keys) - 1
            self.dataChanged.emit(self.index(0, 0), self.index(last, len(COLUMNS) - 1))

    # -- cell text -----------------------------------------------------------------
    def _overdue(self, row: CaseListRow) -> bool:
        return bool(row.next_follow_up) and row.next_follow_up < self._today().isoformat()

    def _display(self, row: CaseListRow, key: str) -> str:
        if key == "number":
            return isolate(row.number)
        if key == "name":
            return isolated_name(row.name)
        if key == "status":
            return _(codes.CASE_STATUS.label(row.status))
        if key == "owner":
            return self._owners.get(row.owner_id, "")
        if key == "risk":
            return _(codes.RISK_LEVEL.label(row.risk_level)) if row.risk_level else ""
        if key == "nationality":
            return ", ".join(country_name(c) for c in row.nationality)
        if key == "opened":
            return _date(row.opened_on)
        if key == "follow_up":
            text = _date(row.next_follow_up)
            if text and self._overdue(row):
                return _("{date} (overdue)").format(date=text)
            return text
        return ""


def _date(iso: str) -> str:
    return format_date(dt.date.fromisoformat(iso)) if iso else ""


def column_samples(owner_names: dict[str, str]) -> dict[str, list[str]]:
    """The texts each column may show, in the current language, to size it by (the name
    column, which takes the rest, has none). Dates: the longest month of the year."""
    longest = max((_date(dt.date(2026, month, 28).isoformat()) for month in range(1, 13)), key=len)
    return {
        "number": ["DS-0000-0000"],
        "name": [],
        "status": [_(codes.CASE_STATUS.label(c)) for c in codes.CASE_STATUS.codes()],
        "owner": list(owner_names.values()),
        "risk": [_(codes.RISK_LEVEL.label(c)) for c in codes.RISK_LEVEL.codes()],
        "nationality": [country_name("PH"), country_name("ET")],
        "opened": [longest],
        "follow_up": [_("{date} (overdue)").format(date=longest)],
    }
