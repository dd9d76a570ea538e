"""The national picture at a coordinator that imported two shelters' bundles: every figure
of a known world, by period and filter, and the shelter's view of its own cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from shelter_desk.domain.errors import PermissionDenied, ValidationError
from shelter_desk.reports.national_tables import Count, Mean, Money, Table
from shelter_desk.security.permissions import Role
from shelter_desk.services import reports, users
from shelter_desk.services.reports import period as periods
from shelter_desk.services.reports.figures import NationalFigures
from shelter_desk.services.session import Session
from tests.services.case_helpers import TODAY, open_case
from tests.services.national_world import World, build

Q2 = periods.quarter(2026, 2)
YEAR = periods.year(2026)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    made = build(tmp_path_factory.mktemp("national"))
    yield made
    made.close()


def figures(world: World, period: periods.Period, **filters: str) -> NationalFigures:
    session = world.coordinator.session
    found = reports.make_filters(session, **filters) if filters else None
    return reports.national_figures(session, period, found, today=TODAY)


def values(table: Table) -> dict[str, tuple[object, ...]]:
    """Rows by their first key, with plain values."""

    def plain(cell: Count | Money | Mean) -> object:
        if isinstance(cell, Count):
            return cell.value
        if isinstance(cell, Money):
            return (cell.amount, cell.currency)
        return cell.value

    return {
        " / ".join(k.value for k in keys): tuple(plain(c) for c in cells)
        for keys, cells in table.rows
    }


def test_the_quarter_counts_each_figure_by_its_own_date(world: World) -> None:
    f = figures(world, Q2)
    summary = values(f.table("summary"))
    assert summary["People identified"] == (2,)  # HH2 in May, SH1 in April
    assert summary["Minors (under 18 when identified)"] == (1,)
    assert summary["Possible victims of trafficking"] == (2,)
    assert summary["Services delivered"] == (1,)  # the stay from April 1st
    assert summary["Referrals made"] == (0,)  # made in March
    assert summary["Returns (AVRR)"] == (1,)
    assert summary["Cases closed"] == (1,)
    assert values(f.table("services")) == {
        "Accommodation / shelter stay / ILS": (1, (Decimal("50.50"), "ILS"))
    }
    assert values(f.table("returns")) == {
        "USD": (1, (Decimal("300"), "USD"), (Decimal("300.00"), "USD"))
    }
    assert values(f.table("closures")) == {"Support period completed": (1,)}
    assert values(f.table("sustainability")) == {"2026-06": (1, 1.0, 1.0, 1.0, 1.0)}
    assert values(f.table("follow_ups")) == {
        "Due in the period": (1,),
        "Done": (1,),
        "Overdue": (0,),
    }
    assert values(f.table("citizenship")) == {"SD": (1,), "PH": (1,)}
    assert values(f.table("exploited_in")) == {"EG": (1,), "Not recorded": (1,)}
    sex_age = f.table("sex_age")
    headers = [k.value for k in sex_age.values]
    boys = dict(zip(headers, values(sex_age)["Masculine"], strict=True))
    assert boys["12\u201317"] == 1 and boys["Minors"] == 1 and boys["Total"] == 1
    women = dict(zip(headers, values(sex_age)["Feminine"], strict=True))
    assert women["25\u201334"] == 1 and women["Minors"] == 0


def test_the_caseload_and_the_organisations_are_those_of_the_bundles(world: World) -> None:
    f = figures(world, Q2)
    names = {name for _org, name in f.organisations}
    assert names == {"Hope House", "Safe Haven"}
    # Hope House: HH1 open on April 1st, HH2 opened, HH1 closed, HH2 open at the end
    # (HH3 carries only its year: it is in no quarter's caseload).
    assert values(f.table("caseload")) == {"Hope House": (1, 1, 1, 1), "Safe Haven": (0, 1, 0, 1)}
    per_org = values(f.table("organisations"))
    assert per_org["Hope House"][:4] == (1, 1, 0, 1)
    assert per_org["Safe Haven"][0] == 1


def test_a_year_holds_the_statistics_only_case_and_the_march_figures(world: World) -> None:
    f = figures(world, YEAR)
    assert f.identified == 4  # HH1, HH2, HH3 (its year), SH1; SH2 was never shared
    summary = values(f.table("summary"))
    assert summary["Services delivered"] == (2,)
    assert summary["Referrals made"] == (1,)
    referrals = values(f.table("referrals"))
    assert referrals["Accepted"] == (1,)
    assert referrals["Days to a response (median)"] == (5.0,)
    first = values(f.table("first_service"))
    assert first["Days from intake to the first service (median)"] == (2.0,)  # Mar 10 -> 12
    assert first["People with a service"] == (1,)
    assert values(f.table("identification_source"))["Police"] == (1,)
    assert values(f.table("sector"))["Agriculture, forestry and fishing"] == (1,)
    due = values(f.table("follow_ups"))
    # HH2 returned on May 20th: visits after 1, 3 and 6 months fall in 2026; June's is done,
    # November 20th's is due TODAY, not overdue yet; August's is overdue.
    assert due == {"Due in the period": (3,), "Done": (1,), "Overdue": (1,)}


@pytest.mark.parametrize(
    ("filters", "identified"),
    [
        ({"org": "hope house"}, 3),
        ({"org": "Safe Haven"}, 1),
        ({"exploitation_type": "SexualExploitation"}, 1),
        ({"citizenship": "ua"}, 1),
        ({"sex": "Feminine"}, 2),
        ({"age_band": "12-17"}, 1),
        ({"identification_source": "Police"}, 1),
        ({"sex": "Feminine", "citizenship": "PH"}, 1),
    ],
)
def test_filters_keep_only_the_matching_cases(
    world: World, filters: dict[str, str], identified: int
) -> None:
    assert figures(world, YEAR, **filters).identified == identified


def test_a_filter_applies_to_services_and_returns_too(world: World) -> None:
    f = figures(world, YEAR, org="Safe Haven")
    summary = values(f.table("summary"))
    assert summary["Services delivered"] == (0,) and summary["Returns (AVRR)"] == (0,)
    assert set(values(f.table("caseload"))) == {"Safe Haven"}


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"org": "Nowhere"}, "org"),
        ({"citizenship": "XX"}, "citizenship"),
        ({"sex": "Other"}, "sex"),
        ({"age_band": "17-18"}, "age_band"),
        ({"exploitation_type": "Piracy"}, "exploitation_type"),
    ],
)
def test_unknown_filters_are_refused_by_name(
    world: World, filters: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        reports.make_filters(world.coordinator.session, **filters)
    assert set(refused.value.errors) == {field}


def test_a_shelter_sees_its_own_cases_only(world: World) -> None:
    session = world.haven.session
    f = reports.national_figures(session, YEAR, today=TODAY)
    assert f.identified == 2  # its shared and its unshared case
    assert {name for _o, name in f.organisations} == {"Safe Haven"}
    assert reports.organisations(session) == [(session.org_id, "Safe Haven")]
    with pytest.raises(ValidationError):
        reports.make_filters(session, org="Hope House")


def test_periods_name_months_quarters_and_years() -> None:
    assert periods.month(2026, 2).end == dt.date(2026, 2, 28)
    assert periods.month(2026, 12).end == dt.date(2026, 12, 31)
    assert periods.quarter(2026, 4).start == dt.date(2026, 10, 1)
    assert periods.period_from_text("2026-04-01", "2026-06-30").kind == "quarter"
    assert periods.period_from_text("2026-01-01", "2026-12-31").kind == "year"
    assert periods.period_from_text("2026-01-05", "2026-02-01").kind == "custom"
    for start, end, field in (
        ("2026-02-30", "2026-03-01", "from"),
        ("2026-01-01", "yesterday", "to"),
    ):
        with pytest.raises(ValidationError) as refused:
            periods.period_from_text(start, end)
        assert set(refused.value.errors) == {field}
    with pytest.raises(ValidationError):
        periods.period_from_text("2026-03-01", "2026-02-01")


def test_only_a_coordinator_may_ask_for_an_internal_copy(world: World, tmp_path: Path) -> None:
    coordinator = world.coordinator.session
    assert reports.may_report_internally(coordinator)  # the administrator, on a coordinator
    users.add_user(coordinator, "karim", Role.CASEWORKER.value, "walnut harbour violet ninety")
    assert not reports.may_report_internally(world.hope.session)  # a shelter's administrator
    with pytest.raises(PermissionDenied):
        reports.report(world.hope.session, YEAR, fmt="xlsx", lang="en", internal=True)
    with pytest.raises(ValidationError):
        reports.report(coordinator, YEAR, fmt="docx", lang="en")
    with pytest.raises(ValidationError):
        reports.report(coordinator, YEAR, fmt="pdf", lang="fr")


def test_figures_asked_again_are_kept_until_a_change_arrives(
    admin_session: Session,
) -> None:
    """The page, the PDF and the workbook ask for the same figures in turn: computed once,
    and anew as soon as anything is written (a case opened here)."""
    year = periods.year(TODAY.year)
    first = reports.national_figures(admin_session, year, today=TODAY)
    assert reports.national_figures(admin_session, year, today=TODAY) is first
    assert first.identified == 0
    open_case(admin_session)
    after = reports.national_figures(admin_session, year, today=TODAY)
    assert after is not first and after.identified == 1
    assert reports.national_figures(admin_session, year, today=TODAY) is after
    other_day = reports.national_figures(admin_session, year, today=TODAY.replace(day=21))
    assert other_day is not after and other_day.identified == 1
    with pytest.raises(RuntimeError), admin_session.db.transaction():
        open_case(admin_session)
        raise RuntimeError("the write fails half-way")
    assert reports.national_figures(admin_session, year, today=TODAY) is after
