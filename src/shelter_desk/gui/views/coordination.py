"""The Coordination page: the log of meetings, visits, problem hotspots and trainings.

The log is read whole on the worker with the filters chosen above it (kind, organisation,
status, date range) and shown newest first. Those who may edit cases record and edit this
organisation's entries; entries other organisations sent are opened read-only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from shelter_desk.domain import coordination as co
from shelter_desk.domain.coordination import CoordinationRecord
from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.gui.language import qt_locale
from shelter_desk.gui.operations import run_op, show_error
from shelter_desk.gui.views.base import View, ViewContext
from shelter_desk.gui.views.coordination_dialog import CoordinationDialog
from shelter_desk.gui.widgets.inputs import NO_DATE, ChoiceCombo, code_choices
from shelter_desk.i18n import (
    N_,
    _,
    format_date,
    format_list,
    format_number,
    ltr,
    ngettext,
    pgettext,
)
from shelter_desk.security.permissions import Permission
from shelter_desk.services import cases
from shelter_desk.services.coordination import log
from shelter_desk.services.coordination.log import LogEntry, LogFilter
from shelter_desk.services.session import Session

COLUMNS = (N_("Date"), N_("Kind"), N_("Subject"), N_("Organisations"), N_("Status"))
MAX_COLUMN_WIDTH = 320
NEW_RECORDS = (co.Meeting, co.Visit, co.Hotspot, co.Training)


@dataclass(frozen=True)
class LogPage:
    entries: list[LogEntry]
    names: list[tuple[str, str]]  # (organisation id, name): this one first, then the directory
    own_org_id: str = ""


def organisation_choices(session: Session) -> list[tuple[str, str]]:
    directory = [(o.id, o.name) for o in cases.organisations(session) if o.id != session.org_id]
    return [(session.org_id, session.org_name), *directory]


def load_page(session: Session, f: LogFilter) -> LogPage:
    return LogPage(log.entries(session, f), organisation_choices(session), session.org_id)


def status_label(code: str) -> str:
    return _(co.RECORD_STATUS.label(code))


def date_box() -> QDateEdit:
    box = QDateEdit()
    box.setCalendarPopup(True)
    box.setMinimumDate(NO_DATE)
    box.setDate(NO_DATE)
    return box


def date_of(box: QDateEdit) -> dt.date | None:
    value = box.date()
    if value == NO_DATE:
        return None
    return dt.date(value.year(), value.month(), value.day())


class CoordinationView(View):
    HEADING = N_("Coordination log")

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.can_edit = context.session.can(Permission.EDIT_CASES)
        self.page = LogPage([], [])  # until the worker has read the log
        self.dialog: CoordinationDialog | None = None
        self.note = ""
        self.kind = ChoiceCombo(
            lambda: [(k, _(co.KIND_LABELS[k])) for k in co.COORDINATION_ENTITIES],
            lambda: _("All kinds"),
        )
        self.organisation = ChoiceCombo(lambda: self.page.names, lambda: _("All organisations"))
        self.status_filter = ChoiceCombo(code_choices(co.RECORD_STATUS), lambda: _("Any status"))
        self.date_from = date_box()
        self.date_to = date_box()
        self.labels = [QLabel() for _i in range(5)]
        filters = QGridLayout()
        widgets = (self.kind, self.organisation, self.status_filter, self.date_from, self.date_to)
        for column, (label, widget) in enumerate(zip(self.labels, widgets, strict=True)):
            label.setBuddy(widget)
            filters.addWidget(label, 0, column)
            filters.addWidget(widget, 1, column)
        for combo in (self.kind, self.organisation, self.status_filter):
            combo.changed.connect(self.refresh)
        for box in (self.date_from, self.date_to):
            box.dateChanged.connect(lambda _d: self.refresh())
        self.count_label = QLabel()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.new_buttons = [QPushButton() for _kind in NEW_RECORDS]
        for button, cls in zip(self.new_buttons, NEW_RECORDS, strict=True):
            button.clicked.connect(lambda _c=False, cls=cls: self._open(cls()))
            button.setVisible(self.can_edit)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button = QPushButton()
        self.delete_button.clicked.connect(self.delete_selected)
        self.delete_button.setVisible(self.can_edit)
        self.status = QLabel()
        self.status.setWordWrap(True)

        buttons = QHBoxLayout()
        for button in (*self.new_buttons, self.open_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.body.addLayout(filters)
        self.body.addWidget(self.count_label)
        self.body.addWidget(self.table, 1)
        self.body.addLayout(buttons)
        self.body.addWidget(self.status)
        self.retranslate()
        self._update_buttons()
        self.refresh()

    def retranslate(self) -> None:
        super().retranslate()
        texts = (_("&Kind:"), _("&Organisation:"), _("S&tatus:"), _("&From:"), _("&Until:"))
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        for combo in (self.kind, self.organisation, self.status_filter):
            combo.retranslate()
        for box in (self.date_from, self.date_to):
            box.setLocale(qt_locale())
            box.setSpecialValueText(_("Any date"))
        # TRANSLATORS: the start of the date range the coordination log is filtered by.
        self.date_from.setAccessibleName(pgettext("date range start", "From"))
        self.date_to.setAccessibleName(_("Until"))
        self.table.setAccessibleName(_("Coordination log"))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        labels = (
            _("New &meeting…"),
            _("New &visit…"),
            _("New &hotspot…"),
            _("New t&raining…"),
        )
        for button, text in zip(self.new_buttons, labels, strict=True):
            button.setText(text)
        self.open_button.setText(_("&Open…"))
        self.delete_button.setText(_("&Delete"))
        self._show()

    # -- reading -------------------------------------------------------------------
    def current_filter(self) -> LogFilter:
        kind = self.kind.code()
        return LogFilter(
            kinds=(kind,) if kind else (),
            org_id=self.organisation.code(),
            status=self.status_filter.code(),
            date_from=date_of(self.date_from),
            date_to=date_of(self.date_to),
        )

    def refresh(self) -> None:
        session, f = self.context.session, self.current_filter()
        run_op(self, self.context.runner, lambda: load_page(session, f), self._loaded, self._failed)

    def _failed(self, error: ShelterDeskError) -> None:
        self.status.setText(error.message)

    def _loaded(self, page: LogPage) -> None:
        self.page = page
        self.organisation.retranslate()  # the directory may have grown
        self.status.setText(self.note)  # what was just saved, or nothing
        self.note = ""
        self._show()

    def _names(self) -> dict[str, str]:
        return dict(self.page.names)

    def cells(self, entry: LogEntry) -> list[str]:
        names = self._names()
        orgs = sorted(names.get(o, "") for o in entry.org_ids if names.get(o))
        return [
            ltr(format_date(entry.on)) if entry.on else "",
            _(co.KIND_LABELS[entry.kind]),
            entry.title,
            format_list(orgs) if orgs else "",
            status_label(entry.status),
        ]

    def _show(self) -> None:
        selected = self.selected()
        entries = self.page.entries
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            for column, text in enumerate(self.cells(entry)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        for column in range(self.table.columnCount()):
            if self.table.columnWidth(column) > MAX_COLUMN_WIDTH:
                self.table.setColumnWidth(column, MAX_COLUMN_WIDTH)
        self.table.resizeRowsToContents()
        self.count_label.setText(
            ngettext("{count} entry", "{count} entries", len(entries)).format(
                count=format_number(len(entries))
            )
        )
        if selected is not None:
            self.select(selected.record.id)
        self._update_buttons()

    def selected(self) -> LogEntry | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.page.entries):
            return None
        return self.page.entries[rows[0].row()]

    def select(self, record_id: str) -> None:
        for row, entry in enumerate(self.page.entries):
            if entry.record.id == record_id:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        entry = self.selected()
        self.open_button.setEnabled(entry is not None)
        mine = entry is not None and entry.record.org_id == self.page.own_org_id
        self.delete_button.setEnabled(self.can_edit and mine)

    # -- editing -------------------------------------------------------------------
    def open_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        session, record_id = self.context.session, entry.record.id
        run_op(self, self.context.runner, lambda: log.get(session, record_id), self._open)

    def _open(self, record: CoordinationRecord) -> None:
        dialog = CoordinationDialog(
            self.context.runner,
            self.context.session,
            record,
            self.page.names,
            self,
            own_org_id=self.page.own_org_id,
            may_edit=self.can_edit,
        )
        dialog.saved.connect(self._saved)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def _saved(self, record: CoordinationRecord) -> None:
        title = co.title_of(record) or _(co.KIND_LABELS[record.ENTITY])
        self.note = _("{title} was saved in the coordination log.").format(title=title)
        self.refresh()

    def delete_selected(self) -> None:
        entry = self.selected()
        if entry is None or not self.can_edit:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Delete from the log"),
            _("Delete “{title}” from the coordination log?").format(title=entry.title),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText(_("&Delete"))
        box.button(QMessageBox.StandardButton.No).setText(_("Cancel"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        record_id = entry.record.id
        box.button(QMessageBox.StandardButton.Yes).clicked.connect(lambda: self._delete(record_id))
        self.confirm = box
        box.open()

    def _delete(self, record_id: str) -> None:
        session = self.context.session
        run_op(
            self,
            self.context.runner,
            lambda: log.delete(session, record_id),
            lambda _none: self.refresh(),
            self._refused,
        )

    def _refused(self, error: ShelterDeskError) -> None:
        show_error(self, error.message)
