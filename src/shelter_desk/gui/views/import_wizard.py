"""The import wizard: an HTCDS file (CSV or XLSX: IOM's template, a KoBo/ODK export, a
Shelter Desk export) into cases, in four steps.

1. The file: chosen, then read on the database worker (encoding, separator, sheet).
2. The columns: what each column of the file was recognised as, changeable, and how the file
   writes its dates (ISO, day first, month first; the guess preselected).
3. The check: every row through the domain rules, with real progress; a table of every
   row's problems (row number, the file's column, the message: never a cell's content), the
   rows already imported (skipped) and the likely duplicates.
4. The import: all rows or none, with real progress, then what was imported and skipped.

Everything that reads or writes runs on the database worker (``run_op``); the worker's
progress reaches the bars through a queued signal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.gui.operations import run_op
from shelter_desk.gui.retranslation import Retranslated
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.i18n import _, ngettext
from shelter_desk.services.standards import aliases
from shelter_desk.services.standards import htcds_import as imports
from shelter_desk.services.standards.htcds_fields import HTCDS_COLUMNS

MAX_FILE_BYTES = 200 * 1024 * 1024
_LEAVE_OUT = ""


def _how(header: str, match: aliases.ColumnMatch) -> str:
    """How a column was recognised, for the mapping table (translated)."""
    if match.kind == "column" and header != match.name:
        return _("HTCDS field, spelled differently in the file")
    texts = {
        "column": _("HTCDS field"),
        "choice": _("one choice of a KoBo multiple choice"),
        "uuid": _("KoBo/ODK submission id (finds rows imported before)"),
        "meta": _("KoBo/ODK form information (not imported)"),
        "derived": _("worked out by Shelter Desk (not imported)"),
        "not_imported": _("HTCDS field Shelter Desk does not keep"),
        "unknown": _("not recognised (left out)"),
    }
    return texts.get(match.kind, match.kind)


class _Progress(QObject):
    """Carries the worker's progress to the GUI thread (a queued connection)."""

    moved = Signal(int, int)


def _progress_bar() -> QProgressBar:
    bar = QProgressBar()
    bar.setRange(0, 1)
    bar.setValue(0)
    return bar


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.choose = QPushButton()
        self.choose.clicked.connect(self._choose)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.choose)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.setTitle(_("Choose the file"))
        self.setSubTitle(
            _(
                "An HTCDS case spreadsheet: IOM's Excel template, a KoBo or ODK export of the"
                " HTCDS form, or a Shelter Desk export (.xlsx or .csv)."
            )
        )
        self.path.setAccessibleName(_("File"))
        self.choose.setText(_("Choose a file…"))

    def _choose(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            _("Choose the file"),
            "",
            _("Spreadsheets (*.xlsx *.csv *.txt);;All files (*)"),
        )
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> None:
        """Read ``path`` on the worker; the page is complete once it is read."""
        self.path.setText(str(path))
        self.status.setText(_("Reading the file…"))
        self.wizard_.file = None
        self.completeChanged.emit()
        session = self.wizard_.context.session

        def read() -> imports.ImportFile:
            try:
                if path.stat().st_size > MAX_FILE_BYTES:
                    raise ShelterDeskError(_("The file is too large to import."))
                data = path.read_bytes()
            except OSError as exc:
                raise ShelterDeskError(_("The file could not be read.")) from exc
            return imports.open_import_file(session, data)

        run_op(self, self.wizard_.context.runner, read, self._read, self._failed)

    def _read(self, file: imports.ImportFile) -> None:
        self.wizard_.file = file
        table = file.table
        if table.kind == "xlsx":
            where = _("Excel workbook, sheet {sheet}").format(sheet=table.sheet)
        else:
            where = _("CSV file, encoding {encoding}, separator {separator}").format(
                encoding=table.encoding, separator=repr(table.delimiter)
            )
        rows = ngettext("{count} row", "{count} rows", len(table.rows)).format(
            count=len(table.rows)
        )
        recognised = len(file.recognised)
        self.status.setText(
            _("{where}: {rows}, {known} of {columns} columns recognised.").format(
                where=where, rows=rows, known=recognised, columns=len(file.columns)
            )
        )
        self.completeChanged.emit()

    def _failed(self, error: ShelterDeskError) -> None:
        self.status.setText(error.message)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.wizard_.file is not None and bool(self.wizard_.file.recognised)


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.table = QTableWidget(0, 3)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.dates = QComboBox()
        for order in imports.DATE_ORDERS:
            self.dates.addItem(imports.date_order_label(order), order)
        self.dates_label = QLabel()
        self.dates_label.setBuddy(self.dates)
        form = QFormLayout()
        form.addRow(self.dates_label, self.dates)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        self.combos: list[QComboBox] = []

    def retranslate(self) -> None:
        self.setTitle(_("Check the columns"))
        self.setSubTitle(
            _("What each column of the file was recognised as. Change a column if it is wrong.")
        )
        self.table.setHorizontalHeaderLabels(
            [_("Column in the file"), _("Imported as"), _("Recognised as")]
        )
        self.dates_label.setText(_("Dates in the file are written"))
        for index, order in enumerate(imports.DATE_ORDERS):
            self.dates.setItemText(index, imports.date_order_label(order))

    def initializePage(self) -> None:
        file = self.wizard_.file
        if file is None:
            return
        targets = sorted({c.name for c in HTCDS_COLUMNS} | set(aliases.EXTRA_COLUMNS))
        self.table.setRowCount(len(file.columns))
        self.combos = []
        for row, column in enumerate(file.columns):
            self.table.setItem(row, 0, QTableWidgetItem(column.header or _("(no name)")))
            combo = QComboBox()
            combo.setAccessibleName(_("Imported as"))
            combo.addItem(_("(left out)"), _LEAVE_OUT)
            for name in targets:
                combo.addItem(name, name)
            if column.match.kind == "column":
                combo.setCurrentIndex(max(combo.findData(column.match.name), 0))
            elif column.match.kind != "unknown" or not column.header:
                combo.setEnabled(False)  # meta, choices, no name (IOM's row counter)
            self.table.setCellWidget(row, 1, combo)
            self.combos.append(combo)
            self.table.setItem(row, 2, QTableWidgetItem(_how(column.header, column.match)))
        self.dates.setCurrentIndex(max(self.dates.findData(file.date_order), 0))

    def mapped_file(self) -> imports.ImportFile | None:
        """The file with the columns as chosen here."""
        file = self.wizard_.file
        if file is None:
            return None
        columns = []
        for column, combo in zip(file.columns, self.combos, strict=True):
            match = column.match
            if combo.isEnabled():
                wanted = str(combo.currentData())
                match = aliases.match_column(wanted) if wanted else aliases.ColumnMatch("unknown")
            columns.append(imports.FileColumn(column.header, match))
        return dataclasses.replace(file, columns=columns)

    def date_order(self) -> str:
        return str(self.dates.currentData())


class CheckPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setCommitPage(True)
        self.bar = _progress_bar()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problems = QTableWidget(0, 3)
        self.problems.verticalHeader().hide()
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.problems.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        self.progress = _Progress(self)
        self.progress.moved.connect(_move(self.bar))

    def retranslate(self) -> None:
        self.setTitle(_("Check every row"))
        self.problems.setHorizontalHeaderLabels([_("Row"), _("Column"), _("Problem")])

    def initializePage(self) -> None:
        self.wizard_.preview = None
        self.problems.setRowCount(0)
        self.summary.setText(_("Checking the rows…"))
        mapping = self.wizard_.mapping_page
        file = mapping.mapped_file()
        if file is None:
            return
        order = mapping.date_order()
        session, progress = self.wizard_.context.session, self.progress
        today = self.wizard_.today

        def check() -> imports.ImportPreview:
            return imports.preview_file(
                session, file, today=today, date_order=order, progress=progress.moved.emit
            )

        run_op(self, self.wizard_.context.runner, check, self._checked, self._failed)

    def _checked(self, preview: imports.ImportPreview) -> None:
        self.wizard_.preview = preview
        lines = [
            _("{rows} rows: {ok} ready, {bad} with errors").format(
                rows=preview.rows, ok=preview.ok, bad=preview.bad
            )
        ]
        if preview.already_imported:
            lines.append(
                ngettext(
                    "{count} row was imported before and will be skipped.",
                    "{count} rows were imported before and will be skipped.",
                    preview.already_imported,
                ).format(count=preview.already_imported)
            )
        if preview.problems:
            lines.append(_("Correct the file and choose it again: nothing is imported yet."))
        elif preview.ok:
            lines.append(_("Press Import to add these cases, all of them at once."))
        self.summary.setText("\n".join(lines))
        entries = [(p.row, p.field, p.message) for p in preview.problems]
        entries += [
            (d.row, "", _("May be the person of case {number}.").format(number=d.case_number))
            for d in preview.likely_duplicates
        ]
        entries.sort(key=lambda e: e[0])
        self.problems.setRowCount(len(entries))
        for row, (number, column, message) in enumerate(entries):
            self.problems.setItem(row, 0, QTableWidgetItem(str(number)))
            self.problems.setItem(row, 1, QTableWidgetItem(column))
            self.problems.setItem(row, 2, QTableWidgetItem(message))
        self.completeChanged.emit()

    def _failed(self, error: ShelterDeskError) -> None:
        self.summary.setText(error.message)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        preview = self.wizard_.preview
        return preview is not None and not preview.problems and preview.ok > 0


class CommitPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.bar = _progress_bar()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        self.progress = _Progress(self)
        self.progress.moved.connect(_move(self.bar))
        self.done = False

    def retranslate(self) -> None:
        self.setTitle(_("Importing"))

    def initializePage(self) -> None:
        preview = self.wizard_.preview
        if preview is None:
            return
        self.done = False
        self.summary.setText(_("Importing the cases…"))
        session, progress = self.wizard_.context.session, self.progress

        def commit() -> int:
            return imports.commit_preview(session, preview, progress=progress.moved.emit)

        run_op(self, self.wizard_.context.runner, commit, self._committed, self._failed)

    def _committed(self, count: int) -> None:
        self.done = True
        self.wizard_.imported = count
        preview = self.wizard_.preview
        lines = [
            ngettext("Imported {count} case.", "Imported {count} cases.", count).format(count=count)
        ]
        skipped = preview.already_imported if preview is not None else 0
        if skipped:
            lines.append(
                ngettext(
                    "{count} row had been imported before and was skipped.",
                    "{count} rows had been imported before and were skipped.",
                    skipped,
                ).format(count=skipped)
            )
        self.summary.setText("\n".join(lines))
        self.completeChanged.emit()

    def _failed(self, error: ShelterDeskError) -> None:
        self.done = True
        self.summary.setText(_("Nothing was imported: {reason}").format(reason=error.message))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.done


def _move(bar: QProgressBar) -> Callable[[int, int], None]:
    def moved(done: int, total: int) -> None:
        bar.setRange(0, max(total, 1))
        bar.setValue(min(done, max(total, 1)))

    return moved


class ImportWizard(Retranslated, QWizard):
    """Import cases from an HTCDS file (see the module docstring)."""

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.today = dt.date.today()
        self.file: imports.ImportFile | None = None
        self.preview: imports.ImportPreview | None = None
        self.imported = 0
        self.setObjectName("importWizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.check_page = CheckPage(self)
        self.commit_page = CommitPage(self)
        for page in (self.file_page, self.mapping_page, self.check_page, self.commit_page):
            self.addPage(page)
        self.resize(820, 560)
        self.retranslate()

    def retranslate(self) -> None:
        """The fixed texts; a file's summary and problems stay as they were worded."""
        self.setWindowTitle(_("Import cases from an HTCDS file"))
        self.setButtonText(QWizard.WizardButton.CommitButton, _("Import"))
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("Back"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Close"))
        self.file_page.retranslate()
        self.mapping_page.retranslate()
        self.check_page.retranslate()
        self.commit_page.retranslate()
