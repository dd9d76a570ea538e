"""The export dialog (File > Export): the standard exports the CLI writes, from the GUI.

Four choices: the HTCDS case data (IOM's Excel template or CSV files; encrypted with a
passphrase or for a trusted partner, or plain after a warning), the CTDC statistics in the
k-anonymised global dataset's columns or the synthetic dataset's schema (a release, logged),
and the intake form for phones (XLSForm for KoBo or ODK). The export runs on the database
worker; the dialog then says what was written and, for CTDC, how much was generalised or left
out. Nothing is written when a passphrase does not match or is too weak.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.gui.operations import run_op
from shelter_desk.gui.retranslation import Retranslated
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.i18n import _, ngettext
from shelter_desk.security.permissions import Permission
from shelter_desk.services import exchange
from shelter_desk.services.standards import ctdc, xlsform
from shelter_desk.services.standards import htcds_export as exports

HTCDS = "htcds"
CTDC_GLOBAL = "ctdc-global"
CTDC_SYNTHETIC = "ctdc-synthetic"
XLSFORM = "xlsform"
PASSPHRASE = "passphrase"
PARTNER = "partner"
PLAIN = "plain"


class ExportDialog(Retranslated, QDialog):
    exported = Signal(str)
    """Emitted with the path written after a successful export."""

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.can_export = context.session.can(Permission.EXPORT)
        self.partners: list[exchange.PartnerInfo] = []
        self.setMinimumWidth(560)
        self.kind = QComboBox()
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.file_type = QComboBox()
        self.protection = QComboBox()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.partner = QComboBox()
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.export_button = QPushButton()
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.choose_file)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)

        self.form = QFormLayout()
        self.fields: tuple[QWidget, ...] = (
            self.kind,
            self.file_type,
            self.protection,
            self.passphrase,
            self.repeat,
            self.partner,
        )
        self.labels = [QLabel() for _field in self.fields]
        for label, field in zip(self.labels, self.fields, strict=True):
            label.setBuddy(field)
            self.form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addWidget(self.description)
        layout.addLayout(self.form)
        layout.addWidget(self.warning)
        layout.addWidget(self.outcome)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.kind.currentIndexChanged.connect(self._update)
        self.protection.currentIndexChanged.connect(self._update)
        self._update()
        if self.can_export and context.session.can(Permission.VIEW_CASES):
            run_op(self, context.runner, self._read_partners, self._partners_read)

    # -- texts ---------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("Export"))
        kind, file_type, protection = (
            self.kind.currentData(),
            self.file_type.currentData(),
            self.protection.currentData(),
        )
        self.kind.clear()
        if self.can_export:
            self.kind.addItem(_("HTCDS case data (identifies every person)"), HTCDS)
            self.kind.addItem(_("CTDC statistics: the k-anonymised global dataset"), CTDC_GLOBAL)
            self.kind.addItem(_("CTDC statistics: the synthetic dataset's schema"), CTDC_SYNTHETIC)
        self.kind.addItem(_("Intake form for phones (XLSForm for KoBo or ODK)"), XLSFORM)
        self.file_type.clear()
        self.file_type.addItem(_("Excel workbook in IOM's template, one sheet per table"), "xlsx")
        self.file_type.addItem(_("CSV files, one per table"), "csv")
        self.protection.clear()
        self.protection.addItem(_("Encrypted with a passphrase"), PASSPHRASE)
        self.protection.addItem(_("Encrypted for a trusted sync partner"), PARTNER)
        self.protection.addItem(_("Not encrypted"), PLAIN)
        for combo, value in (
            (self.kind, kind),
            (self.file_type, file_type),
            (self.protection, protection),
        ):
            if value is not None:
                combo.setCurrentIndex(max(0, combo.findData(value)))
        texts = (
            _("&What to export:"),
            _("File &type:"),
            _("Pr&otection:"),
            _("Pass&phrase for the file:"),
            _("&Repeat the passphrase:"),
            _("Trusted p&artner:"),
        )
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.export_button.setText(_("&Export…"))
        self._fill_partners()
        self._update()

    def _describe(self, kind: str) -> str:
        if kind == HTCDS:
            return _(
                "Every case with every HTCDS 2.0 field Shelter Desk keeps: the person, the case"
                " and the intake in one row, referrals, trafficking events, the support plan"
                " and the organisations in tables of their own. Names and contact details"
                " are in it: encrypt it unless it stays on an encrypted disk."
            )
        if kind in (CTDC_GLOBAL, CTDC_SYNTHETIC):
            return _(
                "Only the cases whose consent allows statistics, without names or free text,"
                " dates reduced to the year. No combination of year, gender, age, majority,"
                " countries and data source is shared by fewer than 11 cases. Each export is"
                " a release: cases published before stay as they were, new cases are added"
                " only in groups that reveal no one."
            )
        return _(
            "The questions an outreach worker asks, in English, Hebrew, Arabic, Georgian and"
            " Russian, consent first, with Shelter Desk's lists as choices. Load it into KoBo"
            " or ODK; their export of the answers imports with File > Import."
        )

    # -- state ---------------------------------------------------------------------
    def _update(self) -> None:
        kind = self.kind.currentData()
        self.description.setText(self._describe(kind or XLSFORM))
        htcds = kind == HTCDS
        protection = self.protection.currentData()
        for row, visible in enumerate(
            (
                True,
                htcds,
                htcds,
                htcds and protection == PASSPHRASE,
                htcds and protection == PASSPHRASE,
                htcds and protection == PARTNER,
            )
        ):
            self.form.setRowVisible(row, visible)
        plain = htcds and protection == PLAIN
        self.warning.setVisible(plain)
        self.warning.setText(
            _(
                "The file will hold the names and details of every person in plain text. Keep"
                " it on an encrypted disk and delete it when done."
            )
        )

    def _read_partners(self) -> list[exchange.PartnerInfo]:
        return exchange.list_partners(self.context.session, include_revoked=False)

    def _partners_read(self, partners: list[exchange.PartnerInfo]) -> None:
        self.partners = partners
        self._fill_partners()

    def _fill_partners(self) -> None:
        self.partner.clear()
        for p in self.partners:
            self.partner.addItem(p.organisation, p.fingerprint)
        if not self.partners:
            self.partner.addItem(_("(no trusted sync partner yet)"), "")

    # -- exporting -----------------------------------------------------------------
    def _problem(self) -> str:
        """Why the export cannot start yet ("" when it can)."""
        if self.kind.currentData() != HTCDS:
            return ""
        protection = self.protection.currentData()
        if protection == PASSPHRASE:
            if not self.passphrase.text():
                return _("Enter a passphrase for the file.")
            if self.passphrase.text() != self.repeat.text():
                return _("The two passphrases are not the same.")
        if protection == PARTNER and not self.partner.currentData():
            return _("Choose a trusted sync partner, or another protection.")
        return ""

    def _suggested_name(self) -> str:
        kind = self.kind.currentData()
        if kind == HTCDS:
            return f"htcds.{self.file_type.currentData()}"
        if kind == XLSFORM:
            return "shelter-desk-intake.xlsx"
        return f"{kind}.csv"

    def choose_file(self) -> QFileDialog | None:
        problem = self._problem()
        if problem:
            self.outcome.setText(problem)
            return None
        dialog = QFileDialog(self, _("Export to"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.selectFile(self._suggested_name())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda name: self.export_to(Path(name)))
        dialog.open()
        return dialog

    def export_to(self, path: Path) -> None:
        """Run the chosen export to ``path`` on the worker."""
        problem = self._problem()
        if problem:
            self.outcome.setText(problem)
            return
        session = self.context.session
        kind = self.kind.currentData()
        self.outcome.setText("")
        self.export_button.setEnabled(False)
        if kind == HTCDS:
            protection = self.protection.currentData()
            secret = self.passphrase.text() if protection == PASSPHRASE else ""
            partner = str(self.partner.currentData() or "") if protection == PARTNER else ""
            fmt = str(self.file_type.currentData())

            def work() -> str:
                count = exports.export_htcds(
                    session, path, to_partner=partner, passphrase=secret, fmt=fmt
                )
                text = ngettext(
                    "{count} case was exported to {path}.",
                    "{count} cases were exported to {path}.",
                    count,
                ).format(count=count, path=path)
                beside = [f.name for f in exports.written_files(path, fmt)[1:]]
                if beside:
                    text += " " + _("The related tables are beside it: {names}.").format(
                        names=", ".join(beside)
                    )
                return text

        elif kind in (CTDC_GLOBAL, CTDC_SYNTHETIC):
            schema = ctdc.GLOBAL if kind == CTDC_GLOBAL else ctdc.SYNTHETIC

            def work() -> str:
                return _ctdc_summary(ctdc.export_ctdc(session, path, schema=schema), path)

        else:

            def work() -> str:
                xlsform.export_xlsform(path)
                return _("The intake form was written to {path}.").format(path=path)

        run_op(self, self.context.runner, work, lambda text: self._done(text, path), self._failed)

    def _done(self, text: str, path: Path) -> None:
        self.export_button.setEnabled(True)
        self.passphrase.clear()
        self.repeat.clear()
        self.outcome.setText(text)
        self.exported.emit(str(path))

    def _failed(self, error: ShelterDeskError) -> None:
        self.export_button.setEnabled(True)
        self.outcome.setText(error.message)


def _ctdc_summary(result: ctdc.CtdcExport, path: Path) -> str:
    return _(
        "Release {number}: {exported} cases in {path}, {added} of them new. Left out:"
        " {without_consent} without consent for statistics, {held_back} until enough new"
        " cases keep them anonymous, {removed} no longer counted since the last release."
        " {generalised} new cases had a value left out to keep them anonymous."
    ).format(
        number=result.release,
        exported=result.exported,
        path=path,
        added=result.added,
        without_consent=result.without_consent,
        held_back=result.held_back,
        removed=result.removed,
        generalised=result.generalised,
    )
