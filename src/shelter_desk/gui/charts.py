"""Bar charts that say what they show without relying on colour.

A :class:`BarChartCard` is a titled chart (QtCharts) with axis titles and the value written
on every bar, plus the same figures as a table behind a "Show as a table" button, for screen
readers, high-contrast themes and anyone who prefers numbers. It is given ready-made,
translated labels and babel-formatted values; it never asks for data itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.gui.language import qt_locale
from shelter_desk.i18n import _, is_rtl

BAR_COLOUR = QColor("#1f5f8b")  # dark blue: readable values on white, fine in greyscale
CHART_HEIGHT = 260
ROW_HEIGHT = 30


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    shown: str
    """The value formatted for people (babel, in the interface language)."""


class BarChartCard(QFrame):
    """A chart of whole-number bars, with its title and a table alternative."""

    def __init__(self, horizontal: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.horizontal = horizontal
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.toggle = QPushButton()
        self.toggle.setCheckable(True)
        self.toggle.toggled.connect(self._show_table)
        self.chart = QChart()
        self.chart.legend().hide()
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.setBackgroundRoundness(0)
        self.chart.setLocalizeNumbers(True)
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(CHART_HEIGHT)
        self.table = QTableWidget(0, 2)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(CHART_HEIGHT)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.table)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.hide()
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.stack)
        self.bars: list[Bar] = []
        self.series: QBarSeries | QHorizontalBarSeries | None = None
        self._retranslate_toggle()

    def _show_table(self, as_table: bool) -> None:
        self.stack.setCurrentWidget(self.table if as_table else self.view)
        self._retranslate_toggle()

    def _retranslate_toggle(self) -> None:
        self.toggle.setText(
            _("Show as a chart") if self.toggle.isChecked() else _("Show as a table")
        )

    def show_bars(
        self,
        title: str,
        bars: Sequence[Bar],
        *,
        category_title: str,
        value_title: str,
        empty_text: str = "",
    ) -> None:
        """Replace what the card shows (labels and values already translated)."""
        self.bars = list(bars)
        self.title.setText(title)
        self.view.setAccessibleName(title)
        self.view.setAccessibleDescription(
            "; ".join(f"{bar.label}: {bar.shown}" for bar in self.bars)
        )
        self.table.setAccessibleName(title)
        self._retranslate_toggle()
        self.empty.setText(empty_text or _("Nothing recorded yet."))
        self.empty.setVisible(not self.bars or not any(bar.value for bar in self.bars))
        self._fill_table(category_title, value_title)
        self._draw(category_title, value_title)

    def _fill_table(self, category_title: str, value_title: str) -> None:
        self.table.setHorizontalHeaderLabels([category_title, value_title])
        self.table.setRowCount(len(self.bars))
        for row, bar in enumerate(self.bars):
            self.table.setItem(row, 0, QTableWidgetItem(bar.label))
            value = QTableWidgetItem(bar.shown)
            value.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 1, value)

    def _draw(self, category_title: str, value_title: str) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        self.chart.setLocale(qt_locale())
        bars = self.bars[::-1] if self.horizontal else self.bars  # largest at the top
        if self.horizontal:  # one readable row per bar
            self.view.setMinimumHeight(max(CHART_HEIGHT, ROW_HEIGHT * len(bars) + 100))
        if not self.horizontal and is_rtl():
            bars = bars[::-1]  # time and order run right to left
        values = QBarSet(value_title)
        values.setColor(BAR_COLOUR)
        values.setBorderColor(BAR_COLOUR)
        values.setLabelColor(QColor("#000000"))
        for bar in bars:
            values.append(float(bar.value))
        series: QBarSeries | QHorizontalBarSeries = (
            QHorizontalBarSeries() if self.horizontal else QBarSeries()
        )
        series.append(values)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        self.chart.addSeries(series)
        self.series = series
        categories = QBarCategoryAxis()
        categories.append([bar.label for bar in bars])
        categories.setTitleText(category_title)
        categories.setTruncateLabels(False)  # a cut name ("Ethi…") says nothing
        numbers = QValueAxis()
        top = max((bar.value for bar in bars), default=0)
        numbers.setRange(0, max(top * 1.15, 1))
        numbers.setLabelFormat("%.0f")
        numbers.setTickCount(5)
        numbers.applyNiceNumbers()
        numbers.setTitleText(value_title)
        if self.horizontal:
            self.chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
            self.chart.addAxis(numbers, Qt.AlignmentFlag.AlignBottom)
        else:
            self.chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
            self.chart.addAxis(numbers, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(numbers)
