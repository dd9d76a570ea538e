"""The audit log viewer: who did what and when, newest first, a page at a time.

It shows the time, the staff member, the action in words and the kind of record; never
who a record is about.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.gui.operations import OpRunner, run_op
from shelter_desk.i18n import N_, _, format_datetime, format_number
from shelter_desk.services import audit_view
from shelter_desk.services.audit_view import PAGE_SIZE, AuditPage, AuditRow
from shelter_desk.services.session import Session

COLUMNS = (N_("Time"), N_("User"), N_("Action"), N_("Record"))


def audit_cells(row: AuditRow) -> list[str]:
    return [
        format_datetime(row.at.astimezone(), "short"),
        row.user_name or _(row.user_label),
        _(row.action_label),
        _(row.object_label) if row.object_label else "",
    ]


class AuditLogPanel(QWidget):
    def __init__(
        self,
        runner: OpRunner,
        session: Session,
        page_size: int = PAGE_SIZE,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.session = session
        self.page_size = page_size
        self.page: AuditPage | None = None
        self.offset = 0
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.newer_button = QPushButton()
        self.older_button = QPushButton()
        self.refresh_button = QPushButton()
        self.newer_button.clicked.connect(lambda: self.load(self.offset - self.page_size))
        self.older_button.clicked.connect(lambda: self.load(self.offset + self.page_size))
        self.refresh_button.clicked.connect(lambda: self.load(0))
        self.position = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.newer_button)
        buttons.addWidget(self.older_button)
        buttons.addWidget(self.position, 1)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.retranslate()
        self.load(0)

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setAccessibleName(_("Audit log"))
        self.newer_button.setText(_("&Newer events"))
        self.older_button.setText(_("&Older events"))
        self.refresh_button.setText(_("Show the &latest"))
        if self.page is not None:
            self._show(self.page)
        else:
            self._update_buttons()

    def load(self, offset: int) -> None:
        session, size = self.session, self.page_size
        offset = max(offset, 0)
        for button in (self.newer_button, self.older_button):
            button.setEnabled(False)
        run_op(
            self,
            self.runner,
            lambda: audit_view.audit_page(session, offset, size),
            self._show,
        )

    def _show(self, page: AuditPage) -> None:
        self.page = page
        self.offset = page.offset
        self.table.setRowCount(len(page.rows))
        for row, event in enumerate(page.rows):
            for column, text in enumerate(audit_cells(event)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if page.rows:
            self.position.setText(
                _("Events {first} to {last} of {total}, newest first").format(
                    first=format_number(page.offset + 1),
                    last=format_number(page.offset + len(page.rows)),
                    total=format_number(page.total),
                )
            )
        else:
            self.position.setText(_("No events."))
        self._update_buttons()

    def _update_buttons(self) -> None:
        page = self.page
        self.newer_button.setEnabled(page is not None and page.offset > 0)
        self.older_button.setEnabled(page is not None and page.offset + len(page.rows) < page.total)
