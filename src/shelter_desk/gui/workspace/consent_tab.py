"""The Consent tab: what the person agreed to, in plain words; withdrawing consent."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from shelter_desk.domain.entities import Consent
from shelter_desk.gui.operations import run_op
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.gui.widgets.sections import ConsentSection
from shelter_desk.gui.workspace.form_tab import FormTab
from shelter_desk.i18n import N_, _, format_date
from shelter_desk.services import cases
from shelter_desk.services.cases import CaseFile
from shelter_desk.services.session import Session


class ConsentTab(FormTab):
    TITLE = N_("Consent")
    KEY = "consent"

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.earlier = QLabel()
        self.earlier.setWordWrap(True)
        self.withdraw_button = QPushButton()
        self.withdraw_button.clicked.connect(self.ask_withdraw)
        self.confirm: QMessageBox | None = None
        row = QHBoxLayout()
        row.addWidget(self.withdraw_button)
        row.addStretch(1)
        self.content_layout.addWidget(self.earlier)
        self.content_layout.addLayout(row)
        self.consent = ConsentSection(full=True)
        self.add_section(self.consent)
        self.content_layout.addStretch(1)
        self.retranslate()

    def record_of(self, case_file: CaseFile) -> Any | None:
        """The latest consent unless it was withdrawn (a new one is recorded then); a
        refusal is shown as recorded, so that it can be changed."""
        latest = case_file.latest_consent
        return latest if latest is not None and latest.withdrawn_on is None else None

    def new_record(self, case_file: CaseFile) -> Any:
        return Consent(case_id=case_file.case.id)

    @staticmethod
    def store(session: Session, record: Any) -> Any:
        return cases.save_record(session, record)

    def show_case(self, case_file: CaseFile) -> None:
        super().show_case(case_file)
        self._describe()

    def _describe(self) -> None:
        case_file = self.case_file
        if case_file is None:
            return
        lines = []
        for consent in case_file.consents:
            if consent.withdrawn_on is not None:
                lines.append(
                    _("Consent given on {given} was withdrawn on {withdrawn}.").format(
                        given=format_date(consent.given_on) if consent.given_on else _("unknown"),
                        withdrawn=format_date(consent.withdrawn_on),
                    )
                )
        if case_file.consent is None:
            lines.append(_("No consent is in force. Record the person's new consent below."))
        self.earlier.setText("\n".join(lines))
        self.earlier.setVisible(bool(lines))
        self.withdraw_button.setEnabled(case_file.consent is not None)

    def ask_withdraw(self) -> None:
        if self.case_file is None or self.case_file.consent is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Withdraw consent"),
            _(
                "Record that the person withdraws their consent today? Nothing more will be"
                " shared about them; what was recorded stays in the case."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(self._withdraw_answered)
        self.confirm = box
        box.open()

    def _withdraw_answered(self, answer: int) -> None:
        self.confirm = None
        if answer != QMessageBox.StandardButton.Yes or self.case_file is None:
            return
        consent = self.case_file.consent
        if consent is None:
            return
        session, consent_id = self.context.session, consent.id
        run_op(
            self,
            self.context.runner,
            lambda: cases.withdraw_consent(session, consent_id),
            lambda _c: self.saved(),
        )

    def retranslate(self) -> None:
        super().retranslate()
        self.intro.setText(
            _(
                "Ask each question in words the person understands. They may say no to any"
                " of them, and change their mind later."
            )
        )
        self.withdraw_button.setText(_("&Withdraw consent…"))
        self._describe()
