"""Referrals of the case to partner organisations.

A referral that tells the partner who the person is needs the person's referral consent.
Without it the service refuses, and the refusal is shown here; a supervisor may send it
anyway with a written reason (``refer_with_override``), which is recorded on the referral
and in the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from shelter_desk.domain import codes
from shelter_desk.domain.entities import Referral
from shelter_desk.domain.errors import PermissionDenied, ShelterDeskError
from shelter_desk.gui.forms import FieldMessage, Form
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.gui.widgets.inputs import ChoiceChecklist, ChoiceCombo, DateField, code_combo
from shelter_desk.gui.workspace.record_inputs import (
    OrganisationCombo,
    date_text,
    notes_edit,
    organisation_name,
    record_checklist,
)
from shelter_desk.gui.workspace.record_tab import RecordListTab
from shelter_desk.i18n import N_, _, format_list, isolate
from shelter_desk.security.permissions import Permission
from shelter_desk.services import cases, referrals
from shelter_desk.services.cases import CaseFile


class ReferralsTab(RecordListTab[Referral]):
    TITLE = N_("Referrals")
    KEY = "referrals"
    LIST = "referrals"
    COLUMNS = (
        N_("To organisation"),
        N_("Date"),
        N_("Reason"),
        N_("Services requested"),
        N_("Shares identity"),
        N_("Status"),
    )
    TABLE_NAME = N_("Referrals of this case")
    NEW_HEADING = N_("New referral")
    EDIT_HEADING = N_("Change the selected referral")
    SAVED = N_("The referral was saved.")
    DELETED = N_("The referral was deleted.")

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.can_override = context.session.can(Permission.OVERRIDE_CONSENT)
        self.consent_note = QLabel()
        self.consent_note.setWordWrap(True)
        f = self.form
        self.to_org: OrganisationCombo = self.add_input(
            f, "to_org_id", lambda: _("To organisation"), OrganisationCombo()
        )
        self.referred_on: DateField = self.add_input(
            f, "referred_on", lambda: _("Referral date"), DateField(known_by_default=False)
        )
        self.reason: ChoiceCombo = self.add_input(
            f, "reason", lambda: _("Reason"), code_combo(codes.REFERRAL_REASON)
        )
        self.services_requested: ChoiceChecklist = self.add_input(
            f,
            "services_requested",
            lambda: _("Services requested"),
            record_checklist(codes.SERVICE_TYPE),
        )
        self.shares_identity: QCheckBox = self.add_input(
            f,
            "shares_identity",
            lambda: _("Tell the organisation who the person is"),
            QCheckBox(),
        )
        self.cross_border: QCheckBox = self.add_input(
            f, "cross_border", lambda: _("Across a border"), QCheckBox()
        )
        self.status_code: ChoiceCombo = self.add_input(
            f, "status", lambda: _("Status"), code_combo(codes.REFERRAL_STATUS, required=True)
        )
        self.responded_on: DateField = self.add_input(
            f, "responded_on", lambda: _("Response date"), DateField(known_by_default=False)
        )
        self.details = self.add_input(f, "details", lambda: _("Details"), notes_edit())
        # Written in the reader's language from the record (never stored translated).
        self.override_note = QLabel()
        self.override_note.setWordWrap(True)
        self.override_note.setObjectName("overrideNote")

        # Shown after a refusal for lack of consent, to a supervisor only.
        self.refusal = FieldMessage()
        self.override_box = QGroupBox()
        override_layout = QFormLayout(self.override_box)
        self.override_form = Form(override_layout)
        self.override_reason = QLineEdit()
        self.override_form.add(
            "override_reason", lambda: _("Reason for sending without consent"), self.override_reason
        )
        self.override_button = QPushButton()
        self.override_button.clicked.connect(self.send_with_override)
        override_layout.addRow(self.override_button)
        self.override_box.hide()
        self.lay_out([self.consent_note])
        index = self.main.indexOf(self.message)
        self.main.insertWidget(index, self.override_note)
        self.main.insertWidget(index + 2, self.refusal)
        self.main.insertWidget(index + 3, self.override_box)
        self.load_organisations()

    def retranslate(self) -> None:
        super().retranslate()
        self.override_form.retranslate()
        self.override_box.setTitle(_("Override the missing consent"))
        self.override_button.setText(_("Send with &override"))
        self._consent_note()
        if hasattr(self, "override_note"):
            self._override_note(self._editing())

    def show_case(self, case_file: CaseFile) -> None:
        super().show_case(case_file)
        self._consent_note()
        self.load_organisations()

    def organisations_loaded(self) -> None:
        partners = [o for o in self.organisations if o.id != self.own_org_id]
        self.to_org.set_organisations(partners)
        self.refill_table()

    def _consent_note(self) -> None:
        if self.case_file is None:
            self.consent_note.setText("")
            return
        if referrals.may_identify(self.case_file):
            self.consent_note.setText(
                _("The person has agreed to be referred to other organisations.")
            )
        else:
            self.consent_note.setText(
                _(
                    "No consent to referral is recorded: a referral can go without the"
                    " person's identity, or a supervisor can override."
                )
            )

    def clear_messages(self) -> None:
        super().clear_messages()
        if hasattr(self, "override_box"):
            self.refusal.clear_message()
            self.override_form.clear_errors()
            self.override_box.hide()

    # -- rows and form -----------------------------------------------------------------
    def row_cells(self, record: Referral) -> list[str]:
        return [
            organisation_name(self.organisations, record.to_org_id),
            date_text(record.referred_on),
            _(codes.REFERRAL_REASON.label(record.reason)) if record.reason else "",
            format_list([_(codes.SERVICE_TYPE.label(s)) for s in record.services_requested]),
            _("Yes") if record.shares_identity else _("No"),
            _(codes.REFERRAL_STATUS.label(record.status)),
        ]

    def fill_form(self, record: Referral | None) -> None:
        # A new referral names the person only when their consent in force allows it.
        identified = self.case_file is not None and referrals.may_identify(self.case_file)
        r = record or Referral(referred_on=dt.date.today(), shares_identity=identified)
        self.to_org.set_org_id(r.to_org_id)
        self.referred_on.set_date(r.referred_on)
        self.reason.set_code(r.reason)
        self.services_requested.set_selected(r.services_requested)
        self.shares_identity.setChecked(r.shares_identity)
        self.cross_border.setChecked(r.cross_border)
        self.status_code.set_code(r.status)
        self.responded_on.set_date(r.responded_on)
        self.details.setPlainText(r.details)
        self._override_note(record)

    def _editing(self) -> Referral | None:
        return next((r for r in self.records if r.id == self.editing_id), None)

    def _override_note(self, record: Referral | None) -> None:
        if record is None or not record.consent_override_by:
            self.override_note.hide()
            return
        reason = record.override_reason or _("no reason recorded")
        self.override_note.setText(
            _("Sent without referral consent: {reason}").format(reason=isolate(reason))
        )
        self.override_note.show()

    def read_form(self, case_id: str) -> Referral:
        base = self._editing()
        consent = self.case_file.consent if self.case_file else None
        return Referral(
            id=self.editing_id,
            org_id=base.org_id if base else "",
            case_id=case_id,
            from_org_id=base.from_org_id if base else self.own_org_id,
            to_org_id=self.to_org.org_id(),
            referred_on=self.referred_on.date(),
            caseworker=base.caseworker if base else self.context.signed_in.display_name,
            reason=self.reason.code(),
            services_requested=self.services_requested.selected(),
            consent_id=base.consent_id if base else (consent.id if consent else ""),
            status=self.status_code.code(),
            responded_on=self.responded_on.date(),
            cross_border=self.cross_border.isChecked(),
            shares_identity=self.shares_identity.isChecked(),
            consent_override_by=base.consent_override_by if base else "",
            override_reason=base.override_reason if base else "",
            details=self.details.toPlainText().strip(),
        )

    def save_call(self, record: Referral) -> Callable[[], Referral]:
        session = self.context.session

        def send() -> Referral:
            record.from_org_id = record.from_org_id or session.org_id
            return cases.save_record(session, record)

        return send

    # -- refusal and override ----------------------------------------------------------
    def failed(self, exc: ShelterDeskError) -> None:
        if not isinstance(exc, PermissionDenied):
            super().failed(exc)
            return
        self.refusal.show_message(exc.message)
        if self.can_override:
            self.override_box.show()
            self.override_reason.setFocus()

    def send_with_override(self) -> None:
        if self.case_file is None:
            return
        reason = self.override_reason.text().strip()
        if not reason:
            self.override_form.show_errors(
                {"override_reason": _("Write why the referral cannot wait for consent.")}
            )
            return
        referral = self.read_form(self.case_file.case.id)
        referral.override_reason = reason  # as typed; the screens say the rest
        session = self.context.session

        def send() -> Referral:
            referral.from_org_id = referral.from_org_id or session.org_id
            return cases.refer_with_override(session, referral)

        self.submit(send, self._overridden)

    def _overridden(self, referral: Referral) -> None:
        self.override_reason.clear()
        self._saved(referral)
        self.status.setText(_("The referral was sent with your override; it is in the audit log."))
