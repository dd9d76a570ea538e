"""The period report's figures from the compact rows (schema 10) are the figures the records
give (the queries before schema 10, tests/store/national_reference.py): on a generated
installation of several shelters, and at two shelters and their coordinator after sync
imports, edits, deletions, a closing, a reopening and an HTCDS import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from shelter_desk.services import cases, exchange
from shelter_desk.services.demo.network import generate_network
from shelter_desk.services.installation import DEMO_PASSPHRASE, DEMO_USER, Installation
from shelter_desk.services.reports import Filters
from shelter_desk.services.reports import period as periods
from shelter_desk.services.reports.figures import compute
from shelter_desk.services.session import Session
from shelter_desk.services.standards import htcds_export, htcds_import
from shelter_desk.store.national import SqliteNationalStore
from tests.services.case_helpers import TODAY
from tests.services.national_world import World, build
from tests.store.national_reference import RecordsNationalStore
from tests.store.test_national_rows import assert_rows_match

DEMO_TODAY = dt.date(2026, 11, 20)


def _periods(year: int) -> list[periods.Period]:
    return [
        periods.year(year),
        periods.year(year - 1),
        periods.quarter(year, 2),
        periods.quarter(year - 1, 4),
        periods.month(year, 3),
        periods.month(year, 6),
        periods.between(dt.date(year - 2, 7, 15), dt.date(year, 2, 3)),
        periods.year(2000),  # no case counts: the caseload still lists every organisation
    ]


FILTERS = (
    Filters(),
    Filters(sex="Feminine"),
    Filters(exploitation_type="ForcedLabour"),
    Filters(citizenship="UA"),
    Filters(age_band="12-17"),
    Filters(identification_source="Police", sex="Masculine"),
)


def assert_same_figures(session: Session, today: dt.date, *, coordinator: bool) -> int:
    """Every period and filter gives the same figures both ways; returns people counted."""
    names = exchange.organisation_names(session)
    own = session.org_id
    orgs = sorted({str(r[0]) for r in session.db.all("SELECT org_id FROM report_cases")})
    filters = [*FILTERS, *(Filters(org_id=o) for o in orgs[:1])]
    counted = 0
    for period in _periods(today.year):
        for f in filters:
            figures = [
                compute(
                    store,
                    period,
                    f,
                    today=today.isoformat(),
                    names=names,
                    allowed=(lambda _o: True) if coordinator else (lambda o: o == own),
                )
                for store in (SqliteNationalStore(session.db), RecordsNationalStore(session.db))
            ]
            assert figures[0] == figures[1], (period, f)
            counted += figures[0].identified
    return counted


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    inst = Installation(tmp_path_factory.mktemp("network") / "coordinator")
    session, _key = inst.create(
        org_name="Demo Coordinator",
        admin=DEMO_USER,
        passphrase=DEMO_PASSPHRASE,
        role="coordinator",
        country="JO",
        demo=True,
    )
    generate_network(session, 3, 150, 7, today=DEMO_TODAY, batch_size=100)
    yield session
    session.lock()
    inst.release()


def test_a_generated_network_gives_the_same_figures_both_ways(network: Session) -> None:
    assert network.db.scalar("SELECT count(DISTINCT org_id) FROM report_cases") == 3
    assert network.db.scalar("SELECT count(*) FROM report_cases") == 450
    assert_rows_match(network.db)
    assert assert_same_figures(network, DEMO_TODAY, coordinator=True) > 450


def test_edited_and_deleted_records_give_the_same_figures(network: Session) -> None:
    services = network.records.of_entity("service_delivery")[:40]
    for record in services[:20]:  # edited: another cost and a start a year earlier
        service = cases._entity(record)
        if service.cost is not None:
            service.cost += Decimal("7.25")
        if service.started_on:
            service.started_on = service.started_on - dt.timedelta(days=365)
        cases.save_record(network, service, today=DEMO_TODAY)
    for record in services[20:]:
        cases.delete_record(network, record.id)
    closed = [c for c in network.records.of_entity("case") if c.data.get("closed_on")][:5]
    for record in closed:
        cases.reopen_case(network, record.id, today=DEMO_TODAY)
    assert_rows_match(network.db)
    assert_same_figures(network, DEMO_TODAY, coordinator=True)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    made = build(tmp_path_factory.mktemp("national-rows"))
    yield made
    made.close()


def test_shelters_and_coordinator_give_the_same_figures_after_sync(world: World) -> None:
    for party in (world.hope, world.haven, world.coordinator):
        assert_rows_match(party.session.db)
        assert_same_figures(party.session, TODAY, coordinator=party is world.coordinator)


def test_changes_synced_and_imported_give_the_same_figures(world: World, tmp_path: Path) -> None:
    hope = world.hope.session
    service = cases._entity(hope.records.of_entity("service_delivery")[0])
    service.cost = Decimal("12.34")
    cases.save_record(hope, service, today=TODAY)
    cases.delete_record(hope, hope.records.of_entity("referral")[0].id)
    event = cases._entity(hope.records.of_entity("trafficking_event")[0])
    event.event_type = "Transit"
    cases.save_record(hope, event, today=TODAY)
    closed = next(c for c in hope.records.of_entity("case") if c.data.get("closed_on"))
    cases.reopen_case(hope, closed.id, today=TODAY)
    world.coordinator.receive(world.hope.send(world.coordinator))
    out = tmp_path / "hope.csv"
    htcds_export.export_htcds(hope, out)
    assert htcds_import.commit_htcds(world.haven.session, out.read_bytes(), today=TODAY) > 0
    world.coordinator.receive(world.haven.send(world.coordinator))
    for party in (world.hope, world.haven, world.coordinator):
        assert_rows_match(party.session.db)
        assert_same_figures(party.session, TODAY, coordinator=party is world.coordinator)
    coordinator = world.coordinator.session
    costs = [r[0] for r in coordinator.db.all("SELECT cost FROM report_services")]
    assert "12.34" in costs
    assert coordinator.db.scalar("SELECT count(*) FROM report_exploitations") == 0


class _Undo(Exception):
    pass


def test_figures_compare_unequal_when_a_row_is_wrong(network: Session) -> None:
    """The comparison is not vacuous: one wrong compact row changes the figures."""
    year = periods.year(DEMO_TODAY.year)

    def figures(store: SqliteNationalStore | RecordsNationalStore) -> object:
        return compute(store, year, Filters(), today=DEMO_TODAY.isoformat(), names={})

    with pytest.raises(_Undo), network.db.transaction():
        network.db.execute(
            "UPDATE report_cases SET opened_on = '1990-01-01'"
            " WHERE id = (SELECT id FROM report_cases WHERE opened_on LIKE '2026-%' LIMIT 1)"
        )
        assert figures(SqliteNationalStore(network.db)) != figures(RecordsNationalStore(network.db))
        raise _Undo
    assert_rows_match(network.db)
