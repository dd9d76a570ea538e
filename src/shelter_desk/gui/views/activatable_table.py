"""A read-only table whose rows open something with one click or with Enter."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem


class ActivatableTable(QTableWidget):
    """Emits ``row_chosen(row)`` on a left click on a row or Enter/Return on the current one.

    (Qt's own ``activated`` fires on a double click on most platforms, and a double click
    would send a click first: one gesture, one signal.)
    """

    row_chosen = Signal(int)

    def __init__(self, columns: int) -> None:
        super().__init__(0, columns)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().hide()
        self.clicked.connect(self._clicked)

    def _clicked(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.isValid():
            self.row_chosen.emit(index.row())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.row_chosen.emit(self.currentRow())
            return
        super().keyPressEvent(event)

    def set_rows(self, rows: list[list[str]]) -> None:
        self.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.setItem(row, column, QTableWidgetItem(text))

    def fit_columns(self, *, wide: Sequence[int]) -> None:
        """The columns in ``wide`` share the room left; every other column is as wide as
        its longest text (short, repetitive ones such as a direction or a date)."""
        header = self.horizontalHeader()
        for column in range(self.columnCount()):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column in wide
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(column, mode)

    def content_height(self) -> int:
        """The height that shows the header and every row, without a vertical scroll bar."""
        return self.content_height_of(self.rowCount())

    def content_height_of(self, rows: int) -> int:
        """The height that shows the header and the first ``rows`` rows."""
        height = 2 * self.frameWidth() + self.horizontalHeader().sizeHint().height()
        height += sum(self.rowHeight(row) for row in range(min(rows, self.rowCount())))
        if self.horizontalScrollBar().isVisible():
            height += self.horizontalScrollBar().sizeHint().height()
        return height
