"""The Partners page: the address book of partner organisations, with search.

The address book is small (tens or hundreds of entries), so it is read whole on the worker
and searched here as the person types. Those who may manage partners add and edit entries;
everyone else opens them read-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from shelter_desk.domain import codes
from shelter_desk.domain.entities import Organisation
from shelter_desk.domain.errors import ShelterDeskError, ValidationError
from shelter_desk.gui.operations import run_op
from shelter_desk.gui.views.base import View, ViewContext
from shelter_desk.gui.views.partner_dialog import PartnerDialog
from shelter_desk.i18n import N_, _, country_name, format_list, format_number, languages, ngettext
from shelter_desk.security.permissions import Permission
from shelter_desk.services import cases
from shelter_desk.services.coordination import directory

MAX_COLUMN_WIDTH = 260
COLUMNS = (
    N_("Name"),
    N_("Type"),
    N_("Country"),
    N_("City"),
    N_("Services offered"),
    N_("Languages"),
    N_("Coalition role"),
)


def partner_cells(org: Organisation) -> list[str]:
    """The table row of an organisation, in the interface language."""
    return [
        org.name,
        _(codes.ORGANISATION_TYPE.label(org.type)) if org.type else "",
        country_name(org.country) if org.country else "",
        org.city,
        format_list([_(codes.SERVICE_TYPE.label(s)) for s in org.services_offered])
        if org.services_offered
        else "",
        format_list([name for _code, name in languages(org.languages)]) if org.languages else "",
        _(codes.COALITION_ROLE.label(org.coalition_role)) if org.coalition_role else "",
    ]


def matches(org: Organisation, cells: Sequence[str], words: Sequence[str]) -> bool:
    """Every typed word is found in the row's text or in a contact person's details."""
    haystack = " ".join(
        [*cells, org.email, org.phone, org.street, org.notes]
        + [f"{p.name} {p.role} {p.phone} {p.email}" for p in org.contact_persons]
    ).casefold()
    return all(word in haystack for word in words)


class PartnersView(View):
    HEADING = N_("Directory")

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.can_edit = context.session.can(Permission.MANAGE_PARTNERS)
        self.organisations: list[Organisation] = []
        self.shown: list[Organisation] = []
        self.dialog: PartnerDialog | None = None
        self.search_label = QLabel()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.search.textChanged.connect(self._filter)
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
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.open_add)
        self.add_button.setVisible(self.can_edit)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_selected)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.choose_export_file)
        self.file_dialog: QFileDialog | None = None
        self.status = QLabel()
        self.status.setWordWrap(True)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.search.setFocus)

        search_row = QHBoxLayout()
        search_row.addWidget(self.search_label)
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.count_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        self.body.addLayout(search_row)
        self.body.addWidget(self.table, 1)
        self.body.addLayout(buttons)
        self.body.addWidget(self.status)
        self.retranslate()
        self._update_buttons()
        self.refresh()

    def retranslate(self) -> None:
        super().retranslate()
        self.search_label.setText(_("&Search:"))
        self.search.setPlaceholderText(
            _("Name, city, country, service, language or contact person")
        )
        self.search.setAccessibleName(_("Search the directory"))
        self.table.setAccessibleName(_("Organisations in the directory"))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.add_button.setText(_("&Add an organisation…"))
        self.open_button.setText(_("&Edit…") if self.can_edit else _("&Open…"))
        self.export_button.setText(_("E&xport the list…"))
        self.export_button.setToolTip(
            _("Save the organisations listed as CSV or vCard, for your own address book")
        )
        self._filter()

    # -- reading -------------------------------------------------------------------
    def refresh(self) -> None:
        session = self.context.session
        run_op(self, self.context.runner, lambda: cases.organisations(session), self._loaded)

    def _loaded(self, organisations: list[Organisation]) -> None:
        self.organisations = organisations
        self._filter()

    def _filter(self) -> None:
        selected = self.selected()
        words = self.search.text().casefold().split()
        self.shown = []
        rows = []
        for org in self.organisations:
            cells = partner_cells(org)
            if matches(org, cells, words):
                self.shown.append(org)
                rows.append(cells)
        self.table.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        for column in range(self.table.columnCount()):
            if self.table.columnWidth(column) > MAX_COLUMN_WIDTH:
                self.table.setColumnWidth(column, MAX_COLUMN_WIDTH)
        self.count_label.setText(
            ngettext("{count} organisation", "{count} organisations", len(rows)).format(
                count=format_number(len(rows))
            )
        )
        if selected is not None:
            self.select(selected.id)
        self._update_buttons()

    def selected(self) -> Organisation | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.shown):
            return None
        return self.shown[rows[0].row()]

    def select(self, org_id: str) -> None:
        for row, org in enumerate(self.shown):
            if org.id == org_id:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.selected() is not None)

    # -- exporting -----------------------------------------------------------------
    def choose_export_file(self) -> None:
        dialog = QFileDialog(self, _("Export the directory"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([_("Address cards (*.vcf)"), _("Spreadsheet, CSV (*.csv)")])
        dialog.setDefaultSuffix("vcf")
        dialog.selectFile("directory.vcf")
        dialog.filterSelected.connect(
            lambda chosen: dialog.setDefaultSuffix("csv" if "*.csv" in chosen else "vcf")
        )
        dialog.fileSelected.connect(lambda name: self.export_to(Path(name)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.file_dialog = dialog
        dialog.open()

    def export_to(self, path: Path) -> None:
        """Save the partners listed now (the search applies) to ``path`` (.csv or .vcf)."""
        session, shown = self.context.session, list(self.shown)
        run_op(
            self,
            self.context.runner,
            lambda: directory.export_directory(session, path, shown),
            lambda count: self.status.setText(
                ngettext(
                    "{count} organisation was saved to {name}.",
                    "{count} organisations were saved to {name}.",
                    count,
                ).format(count=format_number(count), name=path.name)
            ),
            lambda error: self.status.setText(_first_message(error)),
        )

    # -- editing -------------------------------------------------------------------
    def open_add(self) -> None:
        if self.can_edit:
            self._open(None)

    def open_selected(self) -> None:
        org = self.selected()
        if org is not None:
            self._open(org)

    def _open(self, org: Organisation | None) -> None:
        dialog = PartnerDialog(self.context.runner, self.context.session, org, self)
        dialog.saved.connect(self._saved)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def _saved(self, org: Organisation) -> None:
        self.status.setText(_("{name} was saved in the directory.").format(name=org.name))
        self.organisations = [o for o in self.organisations if o.id != org.id] + [org]
        self.organisations.sort(key=lambda o: o.name.casefold())
        self._filter()
        self.select(org.id)


def _first_message(error: ShelterDeskError) -> str:
    if isinstance(error, ValidationError) and error.errors:
        return next(iter(error.errors.values()))
    return error.message
