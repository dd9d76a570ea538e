"""What a new record starts with: a cost in the currency last used (or the organisation's
country's), a referral that names the person only when their consent in force allows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from shelter_desk.domain.entities import Consent, Referral, ServiceDelivery
from shelter_desk.gui.workspace.referrals_tab import ReferralsTab
from shelter_desk.gui.workspace.services_tab import ServicesTab
from shelter_desk.services import cases, settings
from shelter_desk.services.session import Session
from tests.gui.case_desk import TODAY, Desk, open_desk
from tests.gui.conftest import OFFSCREEN_LIMITS
from tests.services.case_helpers import consent, intake, person

pytestmark = OFFSCREEN_LIMITS


@pytest.fixture
def desk(data_dir: Path, qtbot: QtBot) -> Iterator[Desk]:
    with open_desk(data_dir) as opened:
        yield opened


def on_worker(desk: Desk, work):  # type: ignore[no-untyped-def]
    session = desk.context.session
    return desk.context.runner.worker.call(lambda: work(session))


def services_tab(qtbot: QtBot, desk: Desk) -> ServicesTab:
    tab = desk.show(qtbot, ServicesTab(desk.context))
    assert isinstance(tab, ServicesTab)
    return tab


def test_a_new_cost_starts_in_the_organisations_currency(qtbot: QtBot, desk: Desk) -> None:
    tab = services_tab(qtbot, desk)
    qtbot.waitUntil(lambda: tab.cost.currency_code() == "ILS")  # Israel, nothing used yet
    assert not tab.is_dirty()  # a default is not an edit
    assert tab.cost.amount.text() == ""


def test_a_new_cost_starts_in_the_currency_last_used(qtbot: QtBot, desk: Desk) -> None:
    tab = services_tab(qtbot, desk)
    qtbot.waitUntil(lambda: tab.cost.currency_code() == "ILS")
    tab.service_type.set_code("Medical")
    tab.started_on.set_date(TODAY)
    qtbot.keyClicks(tab.cost.amount, "80")
    tab.cost.currency.setCurrentText("USD")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1)
    assert desk.load().services[0].currency == "USD"

    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.cost.currency_code() == "USD" and not tab.editing_id)

    # Another case of the installation starts with it too.
    other = on_worker(
        desk,
        lambda s: cases.open_case(s, person(), intake(), consent(), today=TODAY).case.id,
    )
    second = ServicesTab(desk.context)
    qtbot.addWidget(second)
    second.show_case(
        desk.context.runner.worker.call(lambda: cases.load_case(desk.context.session, other))
    )
    qtbot.waitUntil(lambda: second.cost.currency_code() == "USD")


def test_the_last_currency_is_the_latest_cost_this_installation_recorded(desk: Desk) -> None:
    def record(session: Session, currency: str, cost: str | None) -> None:
        cases.save_record(
            session,
            ServiceDelivery(
                case_id=desk.case_id,
                service_type="Medical",
                started_on=TODAY,
                cost=Decimal(cost) if cost else None,
                currency=currency,
            ),
            today=TODAY,
        )

    assert on_worker(desk, settings.default_currency) == "ILS"
    on_worker(desk, lambda s: record(s, "EUR", "10"))
    on_worker(desk, lambda s: record(s, "GEL", "20"))
    on_worker(desk, lambda s: record(s, "", None))  # a service without a cost does not count
    assert on_worker(desk, settings.default_currency) == "GEL"


def test_without_a_country_or_a_cost_a_new_cost_has_no_currency(desk: Desk) -> None:
    on_worker(desk, lambda s: settings.set_organisation(s, country=""))
    assert on_worker(desk, settings.default_currency) == ""
    assert on_worker(desk, lambda s: settings.default_currency(s, today=dt.date(2026, 12, 3))) == ""


def referrals_tab(qtbot: QtBot, desk: Desk) -> ReferralsTab:
    tab = desk.show(qtbot, ReferralsTab(desk.context))
    assert isinstance(tab, ReferralsTab)
    qtbot.waitUntil(lambda: tab.to_org.count() == 2)
    return tab


def record_consent(desk: Desk, **fields: object) -> None:
    base: dict[str, object] = {
        "case_id": desk.case_id,
        "consent_given": True,
        "method": "Written",
        "given_on": TODAY,
        "sharing_level": "Pseudonymised",
    }
    on_worker(desk, lambda s: cases.save_record(s, Consent(**(base | fields)), today=TODAY))  # type: ignore[arg-type]


def test_a_new_referral_names_the_person_only_with_consent_to_referral(
    qtbot: QtBot, desk: Desk
) -> None:
    tab = referrals_tab(qtbot, desk)
    assert not tab.shares_identity.isChecked()  # consent given, but not to referral

    record_consent(desk, share_with_partners=True)
    tab.show_case(desk.load())
    assert tab.shares_identity.isChecked()
    assert not tab.is_dirty()

    record_consent(desk, share_with_partners=True, withdrawn_on=TODAY)  # the latest counts
    tab.show_case(desk.load())
    assert not tab.shares_identity.isChecked()


def test_a_stored_referral_keeps_what_it_says(qtbot: QtBot, desk: Desk) -> None:
    record_consent(desk, share_with_partners=True)
    on_worker(
        desk,
        lambda s: cases.save_record(
            s,
            Referral(
                case_id=desk.case_id,
                to_org_id=desk.partner_id,
                referred_on=TODAY,
                reason="AdditionalServicesRequired",
                shares_identity=False,
            ),
            today=TODAY,
        ),
    )
    tab = referrals_tab(qtbot, desk)
    tab.table.selectRow(0)
    qtbot.waitUntil(lambda: bool(tab.editing_id))
    assert not tab.shares_identity.isChecked()
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    assert tab.shares_identity.isChecked()
