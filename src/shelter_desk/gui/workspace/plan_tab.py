"""The support plan: objectives agreed with the person, who acts on each and by when."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from shelter_desk.domain import codes
from shelter_desk.domain.entities import SupportObjective
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.gui.widgets.inputs import ChoiceCombo, DateField, code_combo
from shelter_desk.gui.workspace.record_inputs import date_text, notes_edit
from shelter_desk.gui.workspace.record_tab import RecordListTab
from shelter_desk.i18n import N_, _


class PlanTab(RecordListTab[SupportObjective]):
    TITLE = N_("Support plan")
    KEY = "plan"
    LIST = "objectives"
    COLUMNS = (
        N_("Type"),
        N_("Objective"),
        N_("Action"),
        N_("Responsible"),
        N_("Planned end"),
        N_("Actual end"),
        N_("Status"),
    )
    TABLE_NAME = N_("Support plan objectives")
    NEW_HEADING = N_("New objective")
    EDIT_HEADING = N_("Change the selected objective")
    SAVED = N_("The objective was saved.")
    DELETED = N_("The objective was deleted.")

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        f = self.form
        self.objective_type: ChoiceCombo = self.add_input(
            f, "objective_type", lambda: _("Type"), code_combo(codes.SUPPORT_OBJECTIVE_TYPE)
        )
        self.objective: QLineEdit = self.add_input(
            f, "objective", lambda: _("Objective"), QLineEdit()
        )
        self.action = self.add_input(f, "action", lambda: _("Action"), notes_edit())
        self.responsible: QLineEdit = self.add_input(
            f, "responsible", lambda: _("Responsible"), QLineEdit()
        )
        self.planned_end_on: DateField = self.add_input(
            f, "planned_end_on", lambda: _("Planned end"), DateField(known_by_default=False)
        )
        self.actual_end_on: DateField = self.add_input(
            f, "actual_end_on", lambda: _("Actual end"), DateField(known_by_default=False)
        )
        self.status_code: ChoiceCombo = self.add_input(
            f, "status", lambda: _("Status"), code_combo(codes.OBJECTIVE_STATUS, required=True)
        )
        self.lay_out()

    def row_cells(self, record: SupportObjective) -> list[str]:
        return [
            _(codes.SUPPORT_OBJECTIVE_TYPE.label(record.objective_type)),
            record.objective,
            record.action,
            record.responsible,
            date_text(record.planned_end_on),
            date_text(record.actual_end_on),
            _(codes.OBJECTIVE_STATUS.label(record.status)),
        ]

    def fill_form(self, record: SupportObjective | None) -> None:
        r = record or SupportObjective()
        self.objective_type.set_code(r.objective_type)
        self.objective.setText(r.objective)
        self.action.setPlainText(r.action)
        self.responsible.setText(r.responsible)
        self.planned_end_on.set_date(r.planned_end_on)
        self.actual_end_on.set_date(r.actual_end_on)
        self.status_code.set_code(r.status)

    def read_form(self, case_id: str) -> SupportObjective:
        base = next((r for r in self.records if r.id == self.editing_id), None)
        return SupportObjective(
            id=self.editing_id,
            org_id=base.org_id if base else "",
            case_id=case_id,
            objective_type=self.objective_type.code(),
            objective=self.objective.text().strip(),
            action=self.action.toPlainText().strip(),
            responsible=self.responsible.text().strip(),
            planned_end_on=self.planned_end_on.date(),
            actual_end_on=self.actual_end_on.date(),
            status=self.status_code.code(),
        )
