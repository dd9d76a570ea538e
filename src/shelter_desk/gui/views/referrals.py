"""The Referrals page: every referral this organisation sent or received, with its status.

One click (or Enter) on a row asks for its case to open at the referrals tab, through
:attr:`ReferralsView.open_case_requested`; the main window connects that to the Cases page.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from shelter_desk.domain import codes
from shelter_desk.gui.operations import run_op
from shelter_desk.gui.views.activatable_table import ActivatableTable
from shelter_desk.gui.views.base import View, ViewContext
from shelter_desk.i18n import N_, NP_, _, format_date, format_list, ngettext
from shelter_desk.services import referrals
from shelter_desk.services.referrals import ReferralRow

REFERRALS_TAB = "referrals"
COLUMNS = (
    N_("Direction"),
    N_("Case"),
    # TRANSLATORS: the other organisation of a referral (from the directory).
    N_("Organisation"),
    N_("Date"),
    N_("Reason"),
    N_("Services requested"),
    N_("Status"),
)
WIDE_COLUMNS = (2, 4, 5)
"""The partner, the reason and the services share the width; the direction, the case, the
date and the status are as wide as their text. (Our own name, one end of every referral,
is not a column: "Sent" or "Received" says which end we are.)"""
DIRECTIONS = {
    # TRANSLATORS: a referral we sent to a partner (the referral, feminine in he/ar/ru).
    referrals.OUTGOING: NP_("referral direction", "Sent"),
    # TRANSLATORS: a referral a partner sent to us.
    referrals.INCOMING: NP_("referral direction", "Received"),
}
SHOWING = (
    ("", N_("All referrals")),
    (referrals.OUTGOING, N_("Sent by us")),
    (referrals.INCOMING, N_("Received by us")),
)


class ReferralsView(View):
    HEADING = N_("Referrals")
    REFRESH_WHEN_SHOWN = True

    open_case_requested = Signal(str, str)
    """(case id, workspace tab key): open this case at this tab."""

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.all_rows: list[ReferralRow] = []
        self.shown: list[ReferralRow] = []
        self.showing_label = QLabel()
        self.showing = QComboBox()
        for key, _label in SHOWING:
            self.showing.addItem("", key)
        self.showing_label.setBuddy(self.showing)
        self.showing.currentIndexChanged.connect(lambda _i: self._fill())
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        controls = QHBoxLayout()
        controls.addWidget(self.showing_label)
        controls.addWidget(self.showing)
        controls.addStretch(1)
        controls.addWidget(self.refresh_button)
        self.count = QLabel()
        self.table = ActivatableTable(len(COLUMNS))
        self.table.row_chosen.connect(self.open_row)
        self.table.fit_columns(wide=WIDE_COLUMNS)
        self.body.addLayout(controls)
        self.body.addWidget(self.count)
        self.body.addWidget(self.table, 1)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        super().retranslate()
        self.showing_label.setText(_("&Show"))
        self.showing.setAccessibleName(_("Show"))
        for index, (_key, label) in enumerate(SHOWING):
            self.showing.setItemText(index, _(label))
        self.refresh_button.setText(_("&Refresh"))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setAccessibleName(_("Referrals"))
        self._fill()

    def refresh(self) -> None:
        session = self.context.session
        run_op(self, self.context.runner, lambda: referrals.list_referrals(session), self._show)

    def _show(self, rows: list[ReferralRow]) -> None:
        self.all_rows = rows
        self._fill()

    def _fill(self) -> None:
        direction = str(self.showing.currentData() or "")
        self.shown = [r for r in self.all_rows if not direction or r.direction == direction]
        self.count.setText(
            ngettext("{count} referral", "{count} referrals", len(self.shown)).format(
                count=len(self.shown)
            )
        )
        self.table.set_rows([_cells(r) for r in self.shown])

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.shown):
            self.open_case_requested.emit(self.shown[row].case_id, REFERRALS_TAB)


def _cells(r: ReferralRow) -> list[str]:
    return [
        _(DIRECTIONS[r.direction]),
        r.case_number,
        r.to_org_name if r.direction == referrals.OUTGOING else r.from_org_name,
        format_date(r.referred_on) if r.referred_on else "",
        _(codes.REFERRAL_REASON.label(r.reason)) if r.reason else "",
        format_list([_(codes.SERVICE_TYPE.label(s)) for s in r.services_requested]),
        _(codes.REFERRAL_STATUS.label(r.status)),
    ]
