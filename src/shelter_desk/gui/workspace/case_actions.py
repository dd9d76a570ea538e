"""The case's own actions from the workspace header: close (with a reason) and decide the
trafficking status. Each dialog runs the service on the worker and, when it is refused,
stays open with the message next to the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain import codes
from shelter_desk.domain.errors import ShelterDeskError, ValidationError
from shelter_desk.gui.forms import FieldMessage, Form
from shelter_desk.gui.operations import run_op
from shelter_desk.gui.retranslation import Retranslated
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.gui.widgets.inputs import DateField, code_combo
from shelter_desk.i18n import _, pgettext
from shelter_desk.services import cases


class CaseActionDialog(Retranslated, QDialog):
    """A small form whose OK runs one case action on the worker."""

    done_with = Signal()

    def __init__(self, context: ViewContext, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.case_id = case_id
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.form = Form(QFormLayout())
        self.general_message = FieldMessage()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form.layout)
        layout.addWidget(self.general_message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    @property
    def ok_button(self) -> Any:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def work(self) -> Callable[[], object]:
        raise TypeError("each dialog says what it does")

    def submit(self) -> None:
        self.ok_button.setEnabled(False)
        run_op(self, self.context.runner, self.work(), self._done, self._refused)

    def _done(self, _result: object) -> None:
        self.done_with.emit()
        self.accept()

    def _refused(self, error: ShelterDeskError) -> None:
        self.ok_button.setEnabled(True)
        errors = error.errors if isinstance(error, ValidationError) else {"": error.message}
        unplaced = self.form.show_errors(errors)
        self.general_message.show_message("\n".join(unplaced))


class CloseCaseDialog(CaseActionDialog):
    def __init__(self, context: ViewContext, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(context, case_id, parent)
        self.reason = code_combo(codes.CLOSURE_REASON, lambda: _("Choose a reason"))
        self.closed_on = DateField()
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.referred = QCheckBox()
        self.form.add("closure_reason", lambda: _("&Why is the case closing?"), self.reason)
        self.form.add("closed_on", lambda: _("Closed &on"), self.closed_on)
        self.form.add("closure_notes", lambda: _("&Notes"), self.notes)
        # TRANSLATORS: tick box on the close-case form: the case closes because it was
        # referred elsewhere (a past participle, not the noun "referral").
        self.form.add("status", lambda: pgettext("case closure", "Referred"), self.referred)
        self.retranslate()

    def work(self) -> Callable[[], object]:
        session, case_id = self.context.session, self.case_id
        reason, notes = self.reason.code(), self.notes.toPlainText().strip()
        closed_on: dt.date | None = self.closed_on.date()
        referred = self.referred.isChecked()
        return lambda: cases.close_case(
            session, case_id, reason, closed_on=closed_on, notes=notes, referred=referred
        )

    def retranslate(self) -> None:
        self.setWindowTitle(_("Close the case"))
        self.intro.setText(
            _(
                "A closed case stays on record and can be reopened. Say why it closes, so"
                " that whoever reads it later understands."
            )
        )
        self.referred.setText(_("The person was referred to another organisation"))
        self.ok_button.setText(_("&Close case"))
        self.reason.retranslate()
        self.closed_on.retranslate()
        self.form.retranslate()


class DecideStatusDialog(CaseActionDialog):
    def __init__(
        self, context: ViewContext, case_id: str, current: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, case_id, parent)
        self.status = code_combo(codes.TRAFFICKING_STATUS, lambda: _("Choose a status"))
        self.status.set_code(current)
        self.decision_org = code_combo(codes.TRAFFICKING_STATUS_DECISION_ORG)
        self.decided_on = DateField()
        self.form.add("trafficking_status", lambda: _("Trafficking &status"), self.status)
        self.form.add(
            "trafficking_status_decision_org", lambda: _("Decided &by"), self.decision_org
        )
        self.form.add("trafficking_status_decided_on", lambda: _("Decided &on"), self.decided_on)
        self.retranslate()

    def work(self) -> Callable[[], object]:
        session, case_id = self.context.session, self.case_id
        status, org = self.status.code(), self.decision_org.code()
        decided_on = self.decided_on.date()
        return lambda: cases.decide_trafficking_status(
            session, case_id, status, decision_org=org, decided_on=decided_on
        )

    def retranslate(self) -> None:
        self.setWindowTitle(_("Decide the trafficking status"))
        self.intro.setText(
            _(
                "Record the decision on whether the person is a victim of trafficking, and"
                " who made it."
            )
        )
        self.ok_button.setText(_("&Record decision"))
        for widget in (self.status, self.decision_org, self.decided_on):
            widget.retranslate()
        self.form.retranslate()
