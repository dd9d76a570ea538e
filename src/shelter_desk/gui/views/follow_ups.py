"""The Follow-ups due page: overdue visits, today's, and this week's.

One click (or Enter) on a row asks for its case to open at the reintegration tab, through
:attr:`FollowUpsView.open_case_requested`; the main window connects that to the Cases page.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QWidget

from shelter_desk.gui.operations import run_op
from shelter_desk.gui.views.activatable_table import ActivatableTable
from shelter_desk.gui.views.base import View, ViewContext
from shelter_desk.gui.widgets.bidi import isolated_name
from shelter_desk.i18n import N_, _, format_date, ngettext
from shelter_desk.services import cases
from shelter_desk.services.cases import FollowUpDue, FollowUpsDue

REINTEGRATION_TAB = "reintegration"
COLUMNS = (N_("Case"), N_("Name"), N_("Scheduled for"))
SECTIONS = ("overdue", "today", "this_week")
WIDE_COLUMNS = (1,)  # the name; the case number and the date are as wide as they need
MIN_ROWS_SHOWN = 4


class FollowUpsView(View):
    HEADING = N_("Follow-ups due")
    REFRESH_WHEN_SHOWN = True

    open_case_requested = Signal(str, str)
    """(case id, workspace tab key): open this case at this tab."""

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.due = FollowUpsDue([], [], [])
        self.mine_only = QCheckBox()
        self.mine_only.toggled.connect(lambda _on: self.refresh())
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        controls = QHBoxLayout()
        controls.addWidget(self.mine_only)
        controls.addStretch(1)
        controls.addWidget(self.refresh_button)
        self.body.addLayout(controls)
        self.headings: dict[str, QLabel] = {}
        self.tables: dict[str, ActivatableTable] = {}
        for section in SECTIONS:
            heading = QLabel()
            font = QFont(heading.font())
            font.setBold(True)
            heading.setFont(font)
            table = ActivatableTable(len(COLUMNS))
            table.row_chosen.connect(lambda row, s=section: self.open_row(s, row))
            heading.setBuddy(table)
            table.fit_columns(wide=WIDE_COLUMNS)
            self.headings[section], self.tables[section] = heading, table
            self.body.addWidget(heading)
            self.body.addWidget(table, 1)
        self.body.addStretch(1)  # short lists sit at the top; the room left stays below
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        super().retranslate()
        self.mine_only.setText(_("&Mine only"))
        self.mine_only.setToolTip(_("Only the follow-ups of the cases you manage."))
        self.refresh_button.setText(_("&Refresh"))
        for table in self.tables.values():
            table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self._fill()

    # -- data ------------------------------------------------------------------------
    def refresh(self) -> None:
        session, mine = self.context.session, self.mine_only.isChecked()
        run_op(
            self,
            self.context.runner,
            lambda: cases.follow_ups_due(session, mine=mine),
            self._show,
        )

    def _show(self, due: FollowUpsDue) -> None:
        self.due = due
        self._fill()

    def rows(self, section: str) -> list[FollowUpDue]:
        rows: list[FollowUpDue] = getattr(self.due, section)
        return rows

    def _fill(self) -> None:
        titles = {
            "overdue": lambda n: ngettext(
                "Overdue: {count} follow-up", "Overdue: {count} follow-ups", n
            ),
            "today": lambda n: ngettext(
                "Due today: {count} follow-up", "Due today: {count} follow-ups", n
            ),
            "this_week": lambda n: ngettext(
                "Due this week: {count} follow-up", "Due this week: {count} follow-ups", n
            ),
        }
        for section in SECTIONS:
            rows = self.rows(section)
            title = titles[section](len(rows)).format(count=len(rows))
            self.headings[section].setText(title)
            table = self.tables[section]
            table.setAccessibleName(title)
            table.set_rows([[r.number, isolated_name(r.name), _date(r.scheduled_on)] for r in rows])
            self._size_by_content(table, len(rows))

    def _size_by_content(self, table: ActivatableTable, rows: int) -> None:
        """Each list as tall as its rows (an empty one not shown: its heading says 0), the
        longest taking the room the others leave; a long one never below a few rows."""
        table.setVisible(rows > 0)
        full = table.content_height()
        table.setMaximumHeight(full)
        few = table.content_height_of(min(rows, MIN_ROWS_SHOWN))
        table.setMinimumHeight(few)
        self.body.setStretchFactor(table, max(rows, 1))

    def open_row(self, section: str, row: int) -> None:
        rows = self.rows(section)
        if 0 <= row < len(rows):
            self.open_case_requested.emit(rows[row].case_id, REINTEGRATION_TAB)


def _date(iso: str) -> str:
    return format_date(dt.date.fromisoformat(iso)) if iso else ""
