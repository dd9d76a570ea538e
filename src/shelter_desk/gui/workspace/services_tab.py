"""Services delivered: what the person received, from whom, when, and what it cost.

Under the table the costs are added up per service type and per currency (amounts in
different currencies are never added together). A new cost starts in the currency last used
in this installation, or else the organisation's country's.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from shelter_desk.domain import codes
from shelter_desk.domain.entities import ServiceDelivery
from shelter_desk.domain.errors import ValidationError
from shelter_desk.gui.operations import run_op
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.gui.widgets.inputs import ChoiceCombo, DateField, code_combo
from shelter_desk.gui.workspace.record_inputs import (
    MoneyInput,
    OrganisationCombo,
    date_text,
    money_text,
    notes_edit,
    organisation_name,
)
from shelter_desk.gui.workspace.record_tab import RecordListTab
from shelter_desk.i18n import N_, _
from shelter_desk.services import settings
from shelter_desk.services.cases import CaseFile

SHELTER_STAY = "Accommodation"


class ServicesTab(RecordListTab[ServiceDelivery]):
    TITLE = N_("Services delivered")
    KEY = "services"
    LIST = "services"
    COLUMNS = (N_("Service"), N_("Provider"), N_("Staff"), N_("Start"), N_("End"), N_("Cost"))
    TABLE_NAME = N_("Services delivered")
    NEW_HEADING = N_("Record a service")
    EDIT_HEADING = N_("Change the selected service")
    SAVED = N_("The service was saved.")
    DELETED = N_("The service was deleted.")

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.default_currency = ""  # read on the worker when a case is shown
        self.totals_heading = QLabel()
        self.totals = QLabel()
        self.totals.setObjectName("serviceTotals")
        self.totals.setWordWrap(True)
        f = self.form
        self.service_type: ChoiceCombo = self.add_input(
            f, "service_type", lambda: _("Service"), code_combo(codes.SERVICE_TYPE)
        )
        self.provider: OrganisationCombo = self.add_input(
            f, "provider_org_id", lambda: _("Provider organisation"), OrganisationCombo()
        )
        self.staff: QLineEdit = self.add_input(f, "staff", lambda: _("Staff"), QLineEdit())
        self.started_on: DateField = self.add_input(
            f, "started_on", self._start_label, DateField(known_by_default=False)
        )
        self.ended_on: DateField = self.add_input(
            f, "ended_on", self._end_label, DateField(known_by_default=False)
        )
        self.cost: MoneyInput = self.add_input(f, "cost", lambda: _("Cost"), MoneyInput())
        self.form.fields["currency"] = self.form.fields["cost"]  # its message shows there too
        self.notes = self.add_input(f, "notes", lambda: _("Notes"), notes_edit())
        self.service_type.currentIndexChanged.connect(lambda _i: self.form.retranslate())
        self.lay_out([self.totals_heading, self.totals])
        self.load_organisations()

    def _shelter_stay(self) -> bool:
        return self.service_type.code() == SHELTER_STAY

    def _start_label(self) -> str:
        return _("Admission date") if self._shelter_stay() else _("Start date")

    def _end_label(self) -> str:
        return _("Discharge date") if self._shelter_stay() else _("End date")

    def retranslate(self) -> None:
        super().retranslate()
        self.totals_heading.setText(_("Totals"))
        self._show_totals()

    def show_case(self, case_file: CaseFile) -> None:
        super().show_case(case_file)
        self._show_totals()
        self.load_organisations()
        session = self.context.session
        run_op(
            self,
            self.context.runner,
            lambda: settings.default_currency(session),
            self._default_currency_read,
        )

    def _default_currency_read(self, currency: str) -> None:
        self.default_currency = currency
        if not self.editing_id and not self.is_dirty():  # a new service, not touched yet
            with self.loading():
                self.cost.currency.setCurrentText(currency)

    def organisations_loaded(self) -> None:
        self.provider.set_organisations(self.organisations)
        self.refill_table()

    # -- the table and the totals ------------------------------------------------------
    def row_cells(self, record: ServiceDelivery) -> list[str]:
        return [
            _(codes.SERVICE_TYPE.label(record.service_type)),
            organisation_name(self.organisations, record.provider_org_id),
            record.staff,
            date_text(record.started_on),
            date_text(record.ended_on),
            money_text(record.cost, record.currency),
        ]

    def _show_totals(self) -> None:
        if self.case_file is None:
            self.totals.setText("")
            return
        self.totals.setText(totals_text(self.case_file))

    # -- the form --------------------------------------------------------------------
    def fill_form(self, record: ServiceDelivery | None) -> None:
        r = record or ServiceDelivery()
        self.service_type.set_code(r.service_type)
        self.provider.set_org_id(r.provider_org_id)
        self.staff.setText(r.staff)
        self.started_on.set_date(r.started_on)
        self.ended_on.set_date(r.ended_on)
        self.cost.set_money(r.cost, r.currency if record else self.default_currency)
        self.notes.setPlainText(r.notes)
        self.form.retranslate()

    def read_form(self, case_id: str) -> ServiceDelivery:
        try:
            cost = self.cost.cost()
        except ValueError:
            raise ValidationError({"cost": _("Not an amount of money.")}) from None
        base = next((r for r in self.records if r.id == self.editing_id), None)
        return ServiceDelivery(
            id=self.editing_id,
            org_id=base.org_id if base else "",
            case_id=case_id,
            service_type=self.service_type.code(),
            provider_org_id=self.provider.org_id(),
            staff=self.staff.text().strip(),
            started_on=self.started_on.date(),
            ended_on=self.ended_on.date(),
            cost=cost,
            currency=self.cost.currency_code() if cost is not None else "",
            objective_id=base.objective_id if base else "",
            notes=self.notes.toPlainText().strip(),
        )


def totals_text(case_file: CaseFile) -> str:
    """One line per service type and currency, then the total per currency."""
    per_type = case_file.service_totals()
    if not per_type:
        return _("No costs recorded yet.")
    lines = [
        _("{service}: {amount}").format(
            service=_(codes.SERVICE_TYPE.label(service)), amount=money_text(amount, currency)
        )
        for (service, currency), amount in sorted(per_type.items())
    ]
    per_currency: dict[str, Decimal] = {}
    for (_service, currency), amount in per_type.items():
        per_currency[currency] = per_currency.get(currency, Decimal(0)) + amount
    lines.extend(
        _("All services: {amount}").format(amount=money_text(amount, currency))
        for currency, amount in sorted(per_currency.items())
    )
    return "\n".join(lines)
