"""Choose a form to print: which form, its language (or two), the paper, and a case to fill
it from or none for a blank form. The form is rendered on the database worker and opens in
a :class:`~shelter_desk.gui.print_preview.PrintPreview`.

Other windows open it with :func:`open_print_dialog`, e.g. a case's workspace with the case
number filled in.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain.errors import NotFound, ShelterDeskError, ValidationError
from shelter_desk.gui.forms import Form
from shelter_desk.gui.operations import run_op, show_error
from shelter_desk.gui.print_preview import FORM_LABELS, PrintPreview
from shelter_desk.gui.retranslation import Retranslated
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.i18n import LANGUAGES, N_, _, current_language, language_name

PAPER_CHOICES: tuple[tuple[str | None, str], ...] = (
    (None, N_("Automatic (from the organisation's country)")),
    ("a4", N_("A4")),
    ("letter", N_("Letter")),
)


class PrintDialog(Retranslated, QDialog):
    """The choices for one printed form; Preview renders it and opens the preview."""

    preview_shown = Signal(object)
    """Emitted with the :class:`PrintPreview` once the rendered form is shown."""

    def __init__(
        self, context: ViewContext, case_number: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.setMinimumWidth(480)
        self.intro = QLabel()
        self.intro.setWordWrap(True)

        self.form_choice = QComboBox()
        for form in FORM_LABELS:
            self.form_choice.addItem("", form)
        self.language = QComboBox()
        self.second_language = QComboBox()
        self.second_language.addItem("", None)
        for code in LANGUAGES:
            self.language.addItem(language_name(code), code)
            self.second_language.addItem(language_name(code), code)
        self.language.setCurrentIndex(max(self.language.findData(current_language()), 0))
        self.paper = QComboBox()
        for paper, _label in PAPER_CHOICES:
            self.paper.addItem("", paper)
        self.case_number = QLineEdit(case_number or "")
        self.case_number.setClearButtonEnabled(True)
        self.case_hint = QLabel()
        self.case_hint.setWordWrap(True)
        self.redact = QCheckBox()

        self.form = Form(QFormLayout())
        self.form.add("form", lambda: _("&Form"), self.form_choice)
        self.form.add("lang", lambda: _("&Language"), self.language)
        self.form.add("second_lang", lambda: _("&Second language"), self.second_language)
        self.form.add("paper", lambda: _("&Paper"), self.paper)
        self.form.add("case", lambda: _("&Case number"), self.case_number)
        self.form.layout.addRow("", self.case_hint)
        self.form.layout.addRow("", self.redact)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.preview)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form.layout)
        layout.addWidget(self.buttons)

        self.form_choice.currentIndexChanged.connect(self._update_case_hint)
        self.case_number.textChanged.connect(self._update_case_hint)
        self.language.currentIndexChanged.connect(self._drop_same_second_language)
        self.second_language.currentIndexChanged.connect(self._drop_same_second_language)
        self.retranslate()
        if case_number:
            self.form_choice.setCurrentIndex(self.form_choice.findData("case-summary"))
        self.form_choice.setFocus()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Print a form"))
        self.intro.setText(
            _(
                "Choose the form and the language it is printed in. Add a second language"
                " for a caseworker and a survivor who read different ones. With a case"
                " number the form is filled in from that case; without one it is blank,"
                " to fill in by hand."
            )
        )
        for index, form in enumerate(FORM_LABELS):
            self.form_choice.setItemText(index, _(FORM_LABELS[form]))
        self.second_language.setItemText(0, _("None"))
        for index, (_code, label) in enumerate(PAPER_CHOICES):
            self.paper.setItemText(index, _(label))
        self.redact.setText(_("Leave out &names and contact details"))
        self.redact.setToolTip(
            _(
                "For a copy that travels with a referral: no names, contacts, document"
                " numbers, birth date, address or notes."
            )
        )
        self.ok_button.setText(_("P&review"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.form.retranslate()
        self._update_case_hint()

    # -- choices ---------------------------------------------------------------------
    def chosen_form(self) -> str:
        return str(self.form_choice.currentData())

    def _update_case_hint(self) -> None:
        if self.chosen_form() == "case-summary":
            hint = _("A case summary is always filled in from a case: give its number.")
        elif self.case_number.text().strip():
            hint = _("The form is filled in from this case.")
        else:
            hint = _("No case number: the form is printed blank, to fill in by hand.")
        self.case_hint.setText(hint)
        self.redact.setEnabled(bool(self.case_number.text().strip()))

    def _drop_same_second_language(self) -> None:
        if self.second_language.currentData() == self.language.currentData():
            self.second_language.setCurrentIndex(0)

    # -- rendering -------------------------------------------------------------------
    def preview(self) -> None:
        """Render the form on the worker; show it in a preview window when done."""
        self.form.clear_errors()
        session = self.context.session
        form = self.chosen_form()
        lang = str(self.language.currentData())
        second = self.second_language.currentData()
        paper = self.paper.currentData()
        case_number = self.case_number.text().strip() or None
        redact = self.redact.isEnabled() and self.redact.isChecked()

        def render() -> bytes:
            from shelter_desk.services import printing  # reportlab: only when printing

            return printing.print_form(
                session,
                form,
                lang=lang,
                second_lang=second,
                case_number=case_number,
                paper=paper,
                redact_identity=redact,
            )

        self.ok_button.setEnabled(False)
        run_op(
            self,
            self.context.runner,
            render,
            lambda pdf: self._show_preview(pdf, form, case_number),
            self._refused,
            progress_title=_("Preparing the form…"),
        )

    def _show_preview(self, pdf: bytes, form: str, case_number: str | None) -> None:
        parent = self.parentWidget()
        preview = PrintPreview(
            self.context,
            pdf,
            form=form,
            case_number=case_number,
            parent=parent.window() if parent is not None else None,
        )
        preview.show()
        preview.activateWindow()
        self.preview_shown.emit(preview)
        self.accept()

    def _refused(self, error: ShelterDeskError) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(error, ValidationError):
            leftover = self.form.show_errors(error.errors)
            if leftover:
                show_error(self, "\n".join(leftover))
        elif isinstance(error, NotFound) and self.case_number.text().strip():
            self.form.show_errors({"case": error.message})
        else:
            show_error(self, error.message)


def open_print_dialog(
    parent: QWidget, context: ViewContext, case_number: str | None = None
) -> PrintDialog:
    """Open the print dialog over ``parent``; with ``case_number`` the form is filled from
    that case (and a case summary is chosen). The preview it opens belongs to ``parent``'s
    window, so it goes when that window does (on lock)."""
    dialog = PrintDialog(context, case_number, parent)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
