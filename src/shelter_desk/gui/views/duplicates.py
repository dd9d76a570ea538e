"""The Possible duplicates page: pairs of cases that are possibly the same person.

A shelter sees pairs among its own cases; the coordinator sees pairs of two organisations
(``services.duplicates``). A pair chosen in the table can be confirmed as the same person
(the two cases are linked, nothing is merged), dismissed as two people, or its decision
undone; each is audited by the service.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from shelter_desk.gui.operations import run_op
from shelter_desk.gui.views.base import View, ViewContext
from shelter_desk.i18n import N_, _, ngettext
from shelter_desk.services.duplicates import decisions as duplicates
from shelter_desk.services.duplicates.decisions import DuplicatePair
from shelter_desk.services.session import Session

COLUMNS = (
    N_("Case"),
    N_("Organisation"),
    N_("Possibly the same person as"),
    N_("Organisation"),
    N_("Likelihood"),
    N_("Decision"),
)
WIDE_COLUMNS = (1, 3)
LIMIT = 500


class DuplicatesView(View):
    HEADING = N_("Possible duplicates")
    REFRESH_WHEN_SHOWN = True

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.pairs: list[DuplicatePair] = []
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.count = QLabel()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column in WIDE_COLUMNS
                else (QHeaderView.ResizeMode.ResizeToContents)
            )
            header.setSectionResizeMode(column, mode)
        self.table.itemSelectionChanged.connect(self._enable)
        self.same_button = QPushButton()
        self.same_button.clicked.connect(lambda: self._decide(duplicates.confirm_same_person))
        self.dismiss_button = QPushButton()
        self.dismiss_button.clicked.connect(lambda: self._decide(duplicates.dismiss))
        self.undo_button = QPushButton()
        self.undo_button.clicked.connect(lambda: self._decide(duplicates.undo_decision))
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        for button in (self.same_button, self.dismiss_button, self.undo_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        self.body.addWidget(self.explanation)
        self.body.addWidget(self.count)
        self.body.addWidget(self.table, 1)
        self.body.addLayout(buttons)
        self.retranslate()
        self._enable()
        self.refresh()

    def retranslate(self) -> None:
        super().retranslate()
        self.explanation.setText(
            _(
                "Cases whose names (in any script or spelling), birth year, citizenship or"
                " document number suggest one person registered twice, most likely first."
                " Confirming links the two cases; nothing is merged or changed in them."
            )
        )
        self.same_button.setText(_("&Same person"))
        self.dismiss_button.setText(_("&Not the same person"))
        self.undo_button.setText(_("&Undo decision"))
        self.refresh_button.setText(_("&Refresh"))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setAccessibleName(_("Possible duplicates"))
        self._fill()

    def refresh(self) -> None:
        session = self.context.session
        run_op(
            self,
            self.context.runner,
            lambda: duplicates.possible_duplicates(session, LIMIT),
            self._show,
        )

    def _show(self, pairs: list[DuplicatePair]) -> None:
        self.pairs = pairs
        self._fill()

    def _fill(self) -> None:
        self.count.setText(
            ngettext("{count} pair", "{count} pairs", len(self.pairs)).format(count=len(self.pairs))
        )
        self.table.setRowCount(len(self.pairs))
        for row, pair in enumerate(self.pairs):
            for column, text in enumerate(_cells(pair)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self._enable()

    def selected(self) -> DuplicatePair | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.pairs):
            return None
        return self.pairs[rows[0].row()]

    def _enable(self) -> None:
        pair = self.selected()
        self.same_button.setEnabled(pair is not None and not pair.linked)
        self.dismiss_button.setEnabled(pair is not None)
        self.undo_button.setEnabled(pair is not None and pair.linked)

    def _decide(self, decide: Callable[[Session, str, str], None]) -> None:
        pair = self.selected()
        if pair is None:
            return
        session = self.context.session
        run_op(
            self,
            self.context.runner,
            lambda: decide(session, pair.case_a, pair.case_b),
            lambda _done: self.refresh(),
        )


def _cells(pair: DuplicatePair) -> list[str]:
    return [
        pair.number_a,
        pair.organisation_a,
        pair.number_b,
        pair.organisation_b,
        _("{score} %").format(score=pair.score),
        _("Linked: same person") if pair.linked else _("Not decided"),
    ]
