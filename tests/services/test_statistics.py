"""Dashboard figures against counts made by hand on a few known cases."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal

import pytest

from shelter_desk.domain.entities import FollowUp, Return, ServiceDelivery
from shelter_desk.domain.errors import PermissionDenied
from shelter_desk.security.permissions import Role
from shelter_desk.services import cases, users
from shelter_desk.services.session import Session
from shelter_desk.services.statistics import dashboard_figures, last_months
from shelter_desk.store.statistics import MONEY_SCALE, CaseStatistics
from tests.services.case_helpers import consent, intake, person

TODAY = dt.date(2026, 11, 20)


def open_case(
    session: Session, name: str, citizenships: tuple[str, ...], types: tuple[str, ...], on: dt.date
) -> str:
    cf = cases.open_case(
        session,
        replace(person(latin=name), citizenships=citizenships),
        intake(intake_date=on, exploitation_types=types),
        consent(given_on=on),
        today=TODAY,
    )
    return cf.case.id


def service(
    session: Session, case_id: str, on: dt.date, cost: str | None, currency: str = ""
) -> None:
    cases.save_record(
        session,
        ServiceDelivery(
            case_id=case_id,
            service_type="Medical",
            started_on=on,
            cost=Decimal(cost) if cost is not None else None,
            currency=currency,
        ),
        today=TODAY,
    )


@pytest.fixture
def recorded(admin_session: Session) -> Session:
    s = admin_session
    a = open_case(s, "Amina", ("NG",), ("SexualExploitation",), dt.date(2026, 11, 3))
    b = open_case(s, "Olena", ("UA", "RU"), ("ForcedLabour", "Servitude"), dt.date(2026, 9, 14))
    c = open_case(s, "Tesfaye", ("ET",), ("ForcedLabour",), dt.date(2025, 2, 1))  # > 12 months
    d = open_case(s, "Nino", ("UA",), ("ForcedLabour",), dt.date(2026, 9, 30))
    cases.close_case(s, d, "SupportCompleted", closed_on=TODAY, today=TODAY)

    service(s, a, dt.date(2026, 11, 4), "120.50", "ILS")
    service(s, a, dt.date(2026, 11, 5), "0.125", "JOD")
    service(s, b, dt.date(2026, 11, 6), "79.50", "ILS")
    service(s, b, dt.date(2026, 9, 20), None)  # free: counted, costs nothing
    service(s, c, dt.date(2025, 3, 1), "1000", "ILS")  # before the twelve months shown

    # Case c returned; of its follow-ups two are overdue, one is done, one is to come.
    cases.save_record(
        s, Return(case_id=c, travel_on=dt.date(2026, 6, 1), destination_country="ET"), today=TODAY
    )
    scheduled = cases.schedule_follow_ups(s, c)  # 1, 3, 6 and 12 months after the return
    assert [f.scheduled_on.month for f in scheduled if f.scheduled_on] == [7, 9, 12, 6]
    july = scheduled[0]
    cases.record_follow_up(
        s,
        FollowUp(
            id=july.id,
            case_id=c,
            scheduled_on=july.scheduled_on,
            done_on=dt.date(2026, 7, 2),
            mode="InPerson",
        ),
        today=TODAY,
    )
    return s


def test_the_figures_match_the_cases_recorded(recorded: Session) -> None:
    f = dashboard_figures(recorded, today=TODAY)
    assert f.cases_by_status == {"Active": 3, "FollowUp": 0, "Closed": 1, "ClosedReferred": 0}
    assert f.open_cases == 3 and f.total_cases == 4
    months = dict(f.new_cases_per_month)
    assert len(months) == 12 and min(months) == dt.date(2025, 12, 1)
    assert months[dt.date(2026, 11, 1)] == 1
    assert months[dt.date(2026, 9, 1)] == 2
    assert sum(months.values()) == 3  # the case of February 2025 is older
    assert f.exploitation_types == [
        ("ForcedLabour", 3),
        ("SexualExploitation", 1),
        ("Servitude", 1),
    ]
    assert f.nationalities == [("UA", 2), ("ET", 1), ("NG", 1), ("RU", 1)]
    services = {m.month: m for m in f.services_per_month}
    assert services[dt.date(2026, 11, 1)].count == 3
    assert services[dt.date(2026, 11, 1)].cost == {
        "ILS": Decimal("200.00"),
        "JOD": Decimal("0.125"),
    }
    assert services[dt.date(2026, 9, 1)].count == 1
    assert services[dt.date(2026, 9, 1)].cost == {}
    assert f.services_delivered == 4
    assert f.service_cost_totals() == {"ILS": Decimal("200"), "JOD": Decimal("0.125")}
    assert f.overdue_follow_ups == 1  # September's; July's is done, December's is to come


def test_services_per_month_equal_what_every_service_record_says(recorded: Session) -> None:
    """The compact rows the dashboard reads give what reading every record's JSON gives,
    also after a service is edited and another deleted."""
    stats = CaseStatistics(recorded.db)
    since, until = last_months(TODAY)[0].isoformat(), TODAY.isoformat()

    def from_records() -> dict[str, tuple[int, dict[str, int]]]:
        rows = recorded.db.all(
            "SELECT data FROM records WHERE entity = 'service_delivery' AND deleted = 0"
        )
        months: dict[str, tuple[int, dict[str, int]]] = {}
        for (data,) in rows:
            service = json.loads(data)
            if not since <= service["started_on"] <= until:
                continue
            count, costs = months.get(service["started_on"][:7], (0, {}))
            if service.get("cost") is not None and service.get("currency"):
                cost = round(Decimal(str(service["cost"])) * MONEY_SCALE)
                costs = {**costs, service["currency"]: costs.get(service["currency"], 0) + cost}
            months[service["started_on"][:7]] = (count + 1, costs)
        return months

    def from_dashboard() -> dict[str, tuple[int, dict[str, int]]]:
        found = stats.services_per_month(since, until)
        return {m.month: (m.count, m.cost_thousandths) for m in found}

    assert from_dashboard() == from_records() != {}
    plan = str(
        recorded.db.all(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM report_services WHERE started_on >= ?",
            (since,),
        )
    )
    assert "report_services_by_start" in plan
    (case_id,) = recorded.db.one(
        "SELECT case_id FROM records WHERE entity = 'service_delivery' GROUP BY case_id"
        " HAVING count(*) > 1 LIMIT 1"
    )
    first, second = cases.load_case(recorded, case_id).services[:2]
    moved = replace(first, started_on=dt.date(2026, 10, 2), cost=Decimal("7.5"), currency="EUR")
    cases.save_record(recorded, moved, today=TODAY)
    cases.delete_record(recorded, second.id)
    assert from_dashboard() == from_records()


def test_last_months_cross_the_year() -> None:
    months = last_months(dt.date(2026, 2, 27), 4)
    assert months == [
        dt.date(2025, 11, 1),
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]


def test_an_auditor_sees_no_case_figures(admin_session: Session) -> None:
    users.add_user(admin_session, "ruth", Role.AUDITOR, "copper willow seventy kestrel")
    auditor = admin_session.installation.unlock("ruth", "copper willow seventy kestrel")
    with pytest.raises(PermissionDenied):
        dashboard_figures(auditor, today=TODAY)
    auditor.lock()
