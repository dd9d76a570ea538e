"""The Dashboard page: figures and charts about the organisation's cases.

The figures are counted on the database worker (:func:`services.statistics.dashboard_figures`)
and the charts are drawn when they arrive; until then the page says it is counting. Only
aggregate numbers are kept here, never anything about a person.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain import codes
from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.gui.charts import Bar, BarChartCard
from shelter_desk.gui.operations import run_op
from shelter_desk.gui.views.base import View, ViewContext
from shelter_desk.gui.views.coordination_actions import OverdueActionsCard
from shelter_desk.i18n import (
    N_,
    _,
    country_name,
    format_currency,
    format_date,
    format_list,
    format_number,
    ngettext,
)
from shelter_desk.services import statistics
from shelter_desk.services.statistics import DashboardFigures


def _bar(label: str, value: int) -> Bar:
    return Bar(label, value, format_number(value))


def month_label(month: dt.date) -> str:
    return format_date(month, "MMM y")


class Figure(QFrame):
    """One big number with the words that say what it counts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.number = QLabel()
        font = QFont(self.number.font())
        font.setPointSizeF(font.pointSizeF() * 2.4)
        font.setBold(True)
        self.number.setFont(font)
        self.words = QLabel()
        self.words.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.number)
        layout.addWidget(self.words)

    def show_figure(self, number: str, words: str) -> None:
        self.number.setText(number)
        self.words.setText(words)
        self.setAccessibleName(f"{number} {words}")


class DashboardView(View):
    HEADING = N_("Dashboard")

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.figures: DashboardFigures | None = None
        self.loading = False
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.refresh_button)

        self.open_cases = Figure()
        self.overdue = Figure()
        self.services_figure = Figure()
        figures = QHBoxLayout()
        for figure in (self.open_cases, self.overdue, self.services_figure):
            figures.addWidget(figure, 1)
        self.costs = QLabel()
        self.costs.setWordWrap(True)
        self.costs.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.overdue_actions = OverdueActionsCard(context)  # from the coordination log

        self.by_status = BarChartCard(horizontal=True)  # "Closed (referred)" fits on a row
        self.new_cases = BarChartCard()
        self.exploitation = BarChartCard(horizontal=True)
        self.nationalities = BarChartCard(horizontal=True)
        self.services = BarChartCard()
        grid = QGridLayout()
        # Charts by month take the whole width, so that every month's name fits.
        grid.addWidget(self.by_status, 0, 0)
        grid.addWidget(self.exploitation, 0, 1)
        grid.addWidget(self.new_cases, 1, 0, 1, 2)
        grid.addWidget(self.services, 2, 0, 1, 2)
        grid.addWidget(self.nationalities, 3, 0, 1, 2)

        content = QWidget()
        inner = QVBoxLayout(content)
        inner.addLayout(figures)
        inner.addWidget(self.costs)
        inner.addWidget(self.overdue_actions)
        inner.addLayout(grid)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.content = content
        self.body.addLayout(top)
        self.body.addWidget(scroll, 1)
        self.retranslate()
        self.refresh()

    @property
    def charts(self) -> list[BarChartCard]:
        return [
            self.by_status,
            self.new_cases,
            self.exploitation,
            self.nationalities,
            self.services,
        ]

    # -- data ----------------------------------------------------------------------
    def refresh(self) -> None:
        """Count again on the worker; the page keeps showing the last figures meanwhile."""
        if self.loading:
            return
        self.loading = True
        self.refresh_button.setEnabled(False)
        self.status.setText(_("Counting…"))
        self.overdue_actions.refresh()
        session = self.context.session
        run_op(
            self,
            self.context.runner,
            lambda: statistics.dashboard_figures(session),
            self.show_figures,
            self._failed,
        )

    def _failed(self, error: ShelterDeskError) -> None:
        self.loading = False
        self.refresh_button.setEnabled(True)
        self.status.setText(error.message)

    def show_figures(self, figures: DashboardFigures) -> None:
        self.loading = False
        self.refresh_button.setEnabled(True)
        self.figures = figures
        self._draw()

    # -- drawing -------------------------------------------------------------------
    def retranslate(self) -> None:
        super().retranslate()
        self.refresh_button.setText(_("&Count again"))
        self.refresh_button.setToolTip(_("Count the figures again from the current records"))
        self.overdue_actions.retranslate()
        if self.figures is None:
            self.status.setText(_("Counting…") if self.loading else "")
        else:
            self._draw()

    def _draw(self) -> None:
        f = self.figures
        if f is None:
            return
        self.status.setText(
            _("Figures as of {date}. {count} cases recorded in all.").format(
                date=format_date(f.today, "long"), count=format_number(f.total_cases)
            )
        )
        self.open_cases.show_figure(
            format_number(f.open_cases),
            ngettext(
                "open case (active or in follow-up)",
                "open cases (active or in follow-up)",
                f.open_cases,
            ),
        )
        self.overdue.show_figure(
            format_number(f.overdue_follow_ups),
            ngettext(
                "follow-up visit is overdue", "follow-up visits are overdue", f.overdue_follow_ups
            ),
        )
        self.services_figure.show_figure(
            format_number(f.services_delivered),
            ngettext(
                "service delivered in the last 12 months",
                "services delivered in the last 12 months",
                f.services_delivered,
            ),
        )
        totals = f.service_cost_totals()
        if totals:
            amounts = format_list([format_currency(v, c) for c, v in totals.items()])
            self.costs.setText(
                _("What these services cost (per currency): {amounts}.").format(amounts=amounts)
            )
        else:
            self.costs.setText(_("No service costs were recorded in the last 12 months."))

        cases_title = _("Cases")
        self.by_status.show_bars(
            _("Cases by status"),
            [_bar(_(codes.CASE_STATUS.label(s)), n) for s, n in f.cases_by_status.items()],
            category_title=_("Status"),
            value_title=cases_title,
        )
        self.new_cases.show_bars(
            _("New cases per month"),
            [_bar(month_label(m), n) for m, n in f.new_cases_per_month],
            category_title=_("Month opened"),
            value_title=cases_title,
        )
        self.exploitation.show_bars(
            _("Types of exploitation"),
            [_bar(_(codes.EXPLOITATION_TYPE.label(t)), n) for t, n in f.exploitation_types],
            category_title=_("Type of exploitation"),
            value_title=cases_title,
        )
        self.nationalities.show_bars(
            _("Nationalities (the ten most frequent)"),
            [_bar(country_name(c), n) for c, n in f.nationalities],
            category_title=_("Citizenship"),
            value_title=cases_title,
        )
        self.services.show_bars(
            _("Services delivered per month"),
            [_bar(month_label(m.month), m.count) for m in f.services_per_month],
            category_title=_("Month the service started"),
            value_title=_("Services"),
        )
