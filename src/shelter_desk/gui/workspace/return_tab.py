"""Assisted voluntary return: the person's decision, counselling, destination and travel,
the checklist before departure, the reception partner and the cost. Once the travel date is
saved, the follow-up visits can be scheduled from it."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget

from shelter_desk.domain import codes
from shelter_desk.domain.entities import FollowUp, Return
from shelter_desk.domain.errors import ValidationError
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.gui.widgets.inputs import ChoiceChecklist, ChoiceCombo, DateField, country_combo
from shelter_desk.gui.workspace.record_inputs import (
    MoneyInput,
    OrganisationCombo,
    counter,
    notes_edit,
    record_checklist,
)
from shelter_desk.gui.workspace.record_tab import RecordTab
from shelter_desk.i18n import N_, _, ngettext
from shelter_desk.services import cases
from shelter_desk.services.cases import CaseFile


class ReturnTab(RecordTab):
    TITLE = N_("Return")
    KEY = "return"

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.record: Return | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.form = self.new_form()
        f = self.form
        self.decided_on: DateField = self.add_input(
            f, "decided_on", lambda: _("Decision to return"), DateField(known_by_default=False)
        )
        self.counselling_sessions: QSpinBox = self.add_input(
            f, "counselling_sessions", lambda: _("Counselling sessions"), counter()
        )
        self.destination_country: ChoiceCombo = self.add_input(
            f, "destination_country", lambda: _("Destination country"), country_combo()
        )
        self.destination_city: QLineEdit = self.add_input(
            f, "destination_city", lambda: _("Destination city"), QLineEdit()
        )
        self.travel_on: DateField = self.add_input(
            f, "travel_on", lambda: _("Travel date"), DateField(known_by_default=False)
        )
        self.checklist: ChoiceChecklist = self.add_input(
            f,
            "checklist",
            lambda: _("Ready before departure"),
            record_checklist(codes.RETURN_CHECKLIST),
        )
        self.reception: OrganisationCombo = self.add_input(
            f, "reception_org_id", lambda: _("Reception organisation"), OrganisationCombo()
        )
        self.cost: MoneyInput = self.add_input(f, "cost", lambda: _("Cost"), MoneyInput())
        self.form.fields["currency"] = self.form.fields["cost"]
        self.notes = self.add_input(f, "notes", lambda: _("Notes"), notes_edit())
        self.schedule_button = QPushButton()
        self.schedule_button.clicked.connect(self.schedule_follow_ups)
        self.phase_button = QPushButton()
        self.phase_button.clicked.connect(self.move_to_follow_up)
        self.schedule_note = QLabel()
        self.schedule_note.setWordWrap(True)

        self.main.addWidget(self.intro)
        self.main.addLayout(self.form.layout)
        self.main.addWidget(self.message)
        buttons = QHBoxLayout()
        for button in (self.schedule_button, self.phase_button):  # saving: the header's Save
            buttons.addWidget(button)
            button.setVisible(self.can_edit)
        buttons.addStretch(1)
        self.main.addLayout(buttons)
        self.main.addWidget(self.schedule_note)
        self.main.addWidget(self.status)
        self.main.addStretch(1)
        self.retranslate()
        self._update_buttons()
        self.load_organisations()

    def retranslate(self) -> None:
        super().retranslate()
        self.intro.setText(
            _(
                "Record the person's own decision to return, the counselling before it and"
                " the journey. Follow-up visits are scheduled from the travel date."
            )
        )
        self.schedule_button.setText(_("Schedule follo&w-ups"))
        self.phase_button.setText(_("Move the case to &follow-up"))
        self._schedule_note()

    def show_case(self, case_file: CaseFile) -> None:
        super().show_case(case_file)
        self.record = case_file.return_
        self.clear_messages()
        with self.loading():
            self.fill_form(self.record)
        self.set_dirty(False)
        self._update_buttons()
        self._schedule_note()
        self.load_organisations()

    def organisations_loaded(self) -> None:
        self.reception.set_organisations(self.organisations)

    def fill_form(self, record: Return | None) -> None:
        r = record or Return()
        self.decided_on.set_date(r.decided_on)
        self.counselling_sessions.setValue(r.counselling_sessions)
        self.destination_country.set_code(r.destination_country)
        self.destination_city.setText(r.destination_city)
        self.travel_on.set_date(r.travel_on)
        self.checklist.set_selected(r.checklist)
        self.reception.set_org_id(r.reception_org_id)
        self.cost.set_money(r.cost, r.currency)
        self.notes.setPlainText(r.notes)

    def read_form(self, case_id: str) -> Return:
        try:
            cost = self.cost.cost()
        except ValueError:
            raise ValidationError({"cost": _("Not an amount of money.")}) from None
        base = self.record
        return Return(
            id=base.id if base else "",
            org_id=base.org_id if base else "",
            case_id=case_id,
            decided_on=self.decided_on.date(),
            counselling_sessions=self.counselling_sessions.value(),
            destination_country=self.destination_country.code(),
            destination_city=self.destination_city.text().strip(),
            travel_on=self.travel_on.date(),
            checklist=self.checklist.selected(),
            reception_org_id=self.reception.org_id(),
            cost=cost,
            currency=self.cost.currency_code() if cost is not None else "",
            notes=self.notes.toPlainText().strip(),
        )

    def _update_buttons(self) -> None:
        saved_travel = self.record is not None and self.record.travel_on is not None
        self.schedule_button.setEnabled(saved_travel and not self.is_dirty())
        case = self.case_file.case if self.case_file else None
        self.phase_button.setVisible(
            self.can_edit and case is not None and case.status == "Active" and saved_travel
        )
        self.phase_button.setEnabled(not self.is_dirty())

    def set_dirty(self, dirty: bool) -> None:
        super().set_dirty(dirty)
        if hasattr(self, "schedule_button"):
            self._update_buttons()

    def _schedule_note(self) -> None:
        if self.case_file is None or not self.case_file.follow_ups:
            self.schedule_note.setText("")
            return
        count = len(self.case_file.follow_ups)
        self.schedule_note.setText(
            ngettext(
                "{count} follow-up is scheduled; see the Reintegration tab.",
                "{count} follow-ups are scheduled; see the Reintegration tab.",
                count,
            ).format(count=count)
        )

    # -- actions ---------------------------------------------------------------------
    def save(self) -> None:
        if self.case_file is None:
            return
        try:
            record = self.read_form(self.case_file.case.id)
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return
        session = self.context.session
        self.submit(lambda: cases.save_record(session, record), self._saved)

    def _saved(self, _record: Return) -> None:
        self.status.setText(_("The return was saved."))
        self.saved()

    def schedule_follow_ups(self) -> None:
        if self.case_file is None:
            return
        session, case_id = self.context.session, self.case_file.case.id
        self.submit(lambda: cases.schedule_follow_ups(session, case_id), self._scheduled)

    def _scheduled(self, added: list[FollowUp]) -> None:
        if added:
            self.status.setText(
                ngettext(
                    "{count} follow-up was scheduled.",
                    "{count} follow-ups were scheduled.",
                    len(added),
                ).format(count=len(added))
            )
        else:
            self.status.setText(_("Every follow-up was already scheduled."))
        self.saved()

    def move_to_follow_up(self) -> None:
        if self.case_file is None:
            return
        session, case_id = self.context.session, self.case_file.case.id
        self.submit(lambda: cases.set_follow_up_phase(session, case_id), self._moved)

    def _moved(self, _case: Any) -> None:
        self.status.setText(_("The case is now in follow-up."))
        self.saved()
