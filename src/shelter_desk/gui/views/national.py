"""The Period report page: the national picture for a chosen period and filters.

On a coordinator installation the figures cover every organisation whose bundles were
imported (with a per-organisation breakdown and an organisation filter); a shelter sees the
same page for its own cases. The figures are counted on the database worker and shown as
tables; the page saves the period report as PDF or XLSX in any language. The page shows the
counts themselves; the saved reports hide counts from 1 to 4, as the page says, unless a
coordinator asks for an internal copy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain import codes
from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.gui.operations import run_op
from shelter_desk.gui.views.base import View, ViewContext
from shelter_desk.i18n import (
    LANGUAGES,
    N_,
    _,
    countries,
    current_language,
    format_date,
    language_name,
)
from shelter_desk.reports.national_tables import Count, Table, Words
from shelter_desk.services import reports
from shelter_desk.services.reports import period as periods
from shelter_desk.services.session import Session

SUPPRESSION_NOTE = N_(
    "This page shows every count. Saved reports show counts from 1 to 4 as <5 (and amounts"
    " and averages about 1 to 4 people), so that nobody can be recognised in them."
)
INTERNAL_NOTE = N_(
    "As a coordinator you may save an internal working copy that hides nothing: keep it"
    " inside the coordination office."
)


@dataclass(frozen=True)
class PageSetup:
    """What the page needs before it can count: who may do what, and the organisations."""

    coordinator: bool
    may_report_internally: bool
    organisations: list[tuple[str, str]]


def page_setup(session: Session) -> PageSetup:
    return PageSetup(
        coordinator=session.installation_role == "coordinator",
        may_report_internally=reports.may_report_internally(session),
        organisations=reports.organisations(session),
    )


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _combo(choices: list[tuple[str, str]], everything: str) -> QComboBox:
    box = QComboBox()
    box.addItem(everything, "")
    for code, label in choices:
        box.addItem(label, code)
    return box


def _filters(session: Session, org_id: str, chosen: dict[str, str]) -> reports.Filters:
    """The filters chosen on the page, checked by the service (on the worker)."""
    found = reports.make_filters(session, **chosen)
    return reports.Filters(
        org_id=org_id,
        exploitation_type=found.exploitation_type,
        citizenship=found.citizenship,
        sex=found.sex,
        age_band=found.age_band,
        identification_source=found.identification_source,
    )


class TableCard(QFrame):
    """One breakdown: its title, what it counts, and its rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.definition = QLabel()
        self.definition.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.definition)
        layout.addWidget(self.table)

    def show_table(self, table: Table, words: Words) -> None:
        self.title.setText(words.tr(table.title))
        self.definition.setText(words.tr(table.definition))
        headers = words.headers(table)
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(table.rows))
        for r, (keys, cells) in enumerate(table.rows):
            for c, text in enumerate(words.row(keys, cells)):
                item = QTableWidgetItem(text)
                if c >= len(keys):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        rows_height = sum(self.table.rowHeight(r) for r in range(len(table.rows)))
        self.table.setFixedHeight(
            self.table.horizontalHeader().sizeHint().height() + rows_height + 6
        )


class NationalView(View):
    HEADING = N_("Period report")

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setup: PageSetup | None = None
        self.figures: reports.NationalFigures | None = None
        self.loading = False
        self.saved: Path | None = None
        today = dt.date.today()

        self.kind = QComboBox()
        for kind in periods.KINDS:
            self.kind.addItem("", kind)
        self.kind.setCurrentIndex(periods.KINDS.index("quarter"))
        self.start = QDateEdit(_qdate(today))
        self.end = QDateEdit(_qdate(today))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.count_button = QPushButton()
        self.count_button.clicked.connect(self.refresh)

        self.organisation = QComboBox()
        self.exploitation = QComboBox()
        self.citizenship = QComboBox()
        self.sex = QComboBox()
        self.age = QComboBox()
        self.source = QComboBox()
        self.labels = {
            name: QLabel()
            for name in ("kind", "start", "end", "org", "expl", "cit", "sex", "age", "src", "lang")
        }
        grid = QGridLayout()
        pairs = (
            ("kind", self.kind),
            ("start", self.start),
            ("end", self.end),
            ("org", self.organisation),
            ("expl", self.exploitation),
            ("cit", self.citizenship),
            ("sex", self.sex),
            ("age", self.age),
            ("src", self.source),
        )
        for box in (self.kind, self.organisation, *self._filter_boxes()):
            # As wide as a short name, not as the longest country name: the page must fit.
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(12)
        for i, (name, widget) in enumerate(pairs):
            self.labels[name].setBuddy(widget)
            grid.addWidget(self.labels[name], i // 3, (i % 3) * 2)
            grid.addWidget(widget, i // 3, (i % 3) * 2 + 1)

        self.note = QLabel()
        self.note.setWordWrap(True)
        self.language = QComboBox()
        for code in LANGUAGES:
            self.language.addItem(language_name(code), code)
        self.language.setCurrentIndex(max(0, LANGUAGES.index(current_language())))
        self.labels["lang"].setBuddy(self.language)
        self.internal = QCheckBox()
        self.internal.hide()
        self.pdf_button = QPushButton()
        self.xlsx_button = QPushButton()
        self.pdf_button.clicked.connect(lambda: self.choose_file("pdf"))
        self.xlsx_button.clicked.connect(lambda: self.choose_file("xlsx"))
        saving = QHBoxLayout()
        saving.addWidget(self.labels["lang"])
        saving.addWidget(self.language)
        saving.addWidget(self.internal)
        saving.addStretch(1)
        saving.addWidget(self.pdf_button)
        saving.addWidget(self.xlsx_button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.count_button)

        self.cards: list[TableCard] = []
        content = QWidget()
        self.cards_layout = QVBoxLayout(content)
        self.cards_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.body.addLayout(grid)
        self.body.addLayout(top)
        self.body.addWidget(self.note)
        self.body.addLayout(saving)
        self.body.addWidget(scroll, 1)
        self._fill_choices()
        self._kind_changed()
        self.retranslate()
        self._set_busy(True)
        session = self.context.session
        run_op(self, self.context.runner, lambda: page_setup(session), self._set_up, self._failed)

    # -- choices -------------------------------------------------------------------
    def _fill_choices(self) -> None:
        """(Re)fill the filter lists in the interface language, keeping what is chosen."""
        chosen = [b.currentData() for b in self._filter_boxes()]
        lists = (
            [(c.code, _(c.label)) for c in codes.EXPLOITATION_TYPE],
            countries(),
            [(c.code, _(c.label)) for c in codes.GENDER],
            [(code, _(periods.age_band_label(code))) for code in periods.AGE_BAND_CODES],
            [(c.code, _(c.label)) for c in codes.IDENTIFICATION_SOURCE],
        )
        for box, choices in zip(self._filter_boxes(), lists, strict=True):
            box.clear()
            box.addItem(_("All"), "")
            for code, label in choices:
                box.addItem(label, code)
        for box, value in zip(self._filter_boxes(), chosen, strict=True):
            box.setCurrentIndex(max(0, box.findData(value)))
        org = self.organisation.currentData()
        self.organisation.clear()
        self.organisation.addItem(_("All organisations"), "")
        for org_id, name in self.setup.organisations if self.setup else []:
            self.organisation.addItem(name, org_id)
        self.organisation.setCurrentIndex(max(0, self.organisation.findData(org)))

    def _filter_boxes(self) -> tuple[QComboBox, ...]:
        return (self.exploitation, self.citizenship, self.sex, self.age, self.source)

    def _kind_changed(self) -> None:
        custom = self.kind.currentData() == "custom"
        self.end.setVisible(custom)
        self.labels["end"].setVisible(custom)
        self.labels["start"].setText(_("&From:") if custom else _("&Date:"))

    def period(self) -> periods.Period:
        """The period chosen: the month, quarter or year holding the date, or both dates."""
        kind = str(self.kind.currentData())
        start = _date(self.start.date())
        if kind == "custom":
            return periods.between(start, _date(self.end.date()))
        return periods.containing(kind, start)

    def filters(self) -> dict[str, str]:
        return {
            "exploitation_type": str(self.exploitation.currentData() or ""),
            "citizenship": str(self.citizenship.currentData() or ""),
            "sex": str(self.sex.currentData() or ""),
            "age_band": str(self.age.currentData() or ""),
            "identification_source": str(self.source.currentData() or ""),
        }

    def chosen(self) -> tuple[periods.Period, str, dict[str, str]]:
        """What is chosen on the page (read here, on the GUI thread): the period, the
        organisation's id and the other filters."""
        return self.period(), str(self.organisation.currentData() or ""), self.filters()

    # -- counting ------------------------------------------------------------------
    def _set_up(self, setup: PageSetup) -> None:
        self.setup = setup
        self._fill_choices()
        shown = setup.coordinator and len(setup.organisations) > 1
        self.organisation.setVisible(shown)
        self.labels["org"].setVisible(shown)
        self.internal.setVisible(setup.may_report_internally)
        self.retranslate()
        self.loading = False
        self.refresh()

    def _set_busy(self, busy: bool) -> None:
        for button in (self.count_button, self.pdf_button, self.xlsx_button):
            button.setEnabled(not busy)

    def refresh(self) -> None:
        """Count the chosen period on the worker; the last figures stay until then."""
        if self.loading or self.setup is None:
            return
        try:
            period, org_id, chosen = self.chosen()
        except ShelterDeskError as error:
            self.status.setText(error.message)
            return
        self.loading = True
        self._set_busy(True)
        self.status.setText(_("Counting…"))
        session = self.context.session

        def work() -> reports.NationalFigures:
            filters = _filters(session, org_id, chosen)
            return reports.national_figures(session, period, filters)

        run_op(self, self.context.runner, work, self.show_figures, self._failed)

    def _failed(self, error: ShelterDeskError) -> None:
        self.loading = False
        self._set_busy(False)
        self.status.setText(error.message)

    def show_figures(self, figures: reports.NationalFigures) -> None:
        self.loading = False
        self._set_busy(False)
        self.figures = figures
        self._draw()

    def _draw(self) -> None:
        f = self.figures
        if f is None:
            return
        words = Words(current_language(), suppress=False)
        self.status.setText(
            _("From {start} to {end}: {count} people identified.").format(
                start=format_date(f.period.start, "long"),
                end=format_date(f.period.end, "long"),
                count=words.cell(Count(f.identified)),
            )
        )
        while len(self.cards) < len(f.tables):
            card = TableCard()
            self.cards_layout.insertWidget(len(self.cards), card)
            self.cards.append(card)
        for card, table in zip(self.cards, f.tables, strict=False):
            card.show_table(table, words)

    # -- saving --------------------------------------------------------------------
    def choose_file(self, fmt: str) -> QFileDialog:
        """A Qt file dialog for the report; the report is made when a file is chosen."""
        dialog = QFileDialog(self, _("Save the period report"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        if fmt == "pdf":
            dialog.setNameFilters([_("PDF documents (*.pdf)")])
        else:
            dialog.setNameFilters([_("Excel workbooks (*.xlsx)")])
        dialog.setDefaultSuffix(fmt)
        p = self.period()
        dialog.selectFile(f"report-{p.start.isoformat()}-{p.end.isoformat()}.{fmt}")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda name: self.save(Path(name), fmt))
        dialog.open()
        return dialog

    def save(self, path: Path, fmt: str) -> None:
        """Make the report on the worker and write it to ``path``."""
        try:
            period, org_id, chosen = self.chosen()
        except ShelterDeskError as error:
            self.status.setText(error.message)
            return
        session = self.context.session
        lang = str(self.language.currentData())
        internal = self.internal.isVisibleTo(self) and self.internal.isChecked()

        def work() -> Path:
            filters = _filters(session, org_id, chosen)
            data = reports.report(session, period, filters, fmt=fmt, lang=lang, internal=internal)
            reports.write_report(session, path, data, period)
            return path

        self._set_busy(True)
        run_op(self, self.context.runner, work, self._saved, self._failed)

    def _saved(self, path: Path) -> None:
        self._set_busy(False)
        self.saved = path
        self.status.setText(_("Report saved to {name}.").format(name=path.name))

    # -- words ---------------------------------------------------------------------
    def retranslate(self) -> None:
        super().retranslate()
        for index, kind in enumerate(periods.KINDS):
            self.kind.setItemText(index, _(periods.KIND_LABELS[kind]))
        texts = {
            "kind": _("&Period:"),
            "start": _("&Date:") if self.kind.currentData() != "custom" else _("&From:"),
            "end": _("&To:"),
            "org": _("&Organisation:"),
            "expl": _("E&xploitation:"),
            "cit": _("C&itizenship:"),
            "sex": _("&Sex:"),
            "age": _("&Age:"),
            "src": _("Identified &by:"),
            "lang": _("Report &language:"),
        }
        for name, text in texts.items():
            self.labels[name].setText(text)
        self.count_button.setText(_("&Count"))
        self.pdf_button.setText(_("Save as &PDF…"))
        self.xlsx_button.setText(_("Save as &XLSX…"))
        self.internal.setText(_("Internal copy: do not hide small counts"))
        note = _(SUPPRESSION_NOTE)
        if self.setup is not None and self.setup.may_report_internally:
            note += " " + _(INTERNAL_NOTE)
        self.note.setText(note)
        self._fill_choices()
        self._draw()
