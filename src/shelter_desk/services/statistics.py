"""Figures for the dashboard: counts of cases, services and follow-ups, never a person.

Everything is read in one call on the database worker (:func:`dashboard_figures`), so the
dashboard asks once and draws when the answer arrives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from shelter_desk.domain import codes
from shelter_desk.security.permissions import Permission
from shelter_desk.services.session import Session
from shelter_desk.store.statistics import MONEY_SCALE, CaseStatistics

MONTHS_SHOWN = 12
TOP_NATIONALITIES = 10
OPEN_STATUSES = ("Active", "FollowUp")


@dataclass(frozen=True)
class ServicesInMonth:
    month: dt.date  # the first day of the month
    count: int
    cost: dict[str, Decimal] = field(default_factory=dict)  # currency -> total


@dataclass(frozen=True)
class DashboardFigures:
    today: dt.date
    cases_by_status: dict[str, int]
    """Every CASE_STATUS code (in its display order) with its count, zeros included."""
    new_cases_per_month: list[tuple[dt.date, int]]
    """The last ``MONTHS_SHOWN`` months, oldest first, zeros included."""
    exploitation_types: list[tuple[str, int]]
    """Exploitation types recorded on at least one case, most frequent first."""
    nationalities: list[tuple[str, int]]
    """The ``TOP_NATIONALITIES`` most frequent citizenships (ISO codes), most frequent first."""
    services_per_month: list[ServicesInMonth]
    """The last ``MONTHS_SHOWN`` months, oldest first, zeros included."""
    overdue_follow_ups: int

    @property
    def open_cases(self) -> int:
        return sum(self.cases_by_status.get(s, 0) for s in OPEN_STATUSES)

    @property
    def total_cases(self) -> int:
        return sum(self.cases_by_status.values())

    def service_cost_totals(self) -> dict[str, Decimal]:
        """What the services of the months shown cost, per currency."""
        totals: dict[str, Decimal] = {}
        for month in self.services_per_month:
            for currency, amount in month.cost.items():
                totals[currency] = totals.get(currency, Decimal(0)) + amount
        return dict(sorted(totals.items()))

    @property
    def services_delivered(self) -> int:
        return sum(m.count for m in self.services_per_month)


def last_months(today: dt.date, count: int = MONTHS_SHOWN) -> list[dt.date]:
    """The first days of the ``count`` months up to and including today's, oldest first."""
    months = []
    year, month = today.year, today.month
    for _n in range(count):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def dashboard_figures(session: Session, *, today: dt.date | None = None) -> DashboardFigures:
    """All the dashboard's figures at once (runs on the database worker)."""
    session.require(Permission.VIEW_CASES)
    today = today or dt.date.today()
    stats = CaseStatistics(session.db)
    months = last_months(today)
    since = months[0].isoformat()

    counts = stats.case_counts()
    by_status = dict(counts.by_status)
    statuses = {code: by_status.pop(code, 0) for code in codes.CASE_STATUS.codes()}
    statuses.update(by_status)  # codes from a newer version are shown as themselves

    opened = stats.new_cases_per_month(since)
    new_cases = [(m, opened.get(m.isoformat()[:7], 0)) for m in months]

    order = {code: i for i, code in enumerate(codes.EXPLOITATION_TYPE.codes())}
    exploitation_types = sorted(
        counts.by_exploitation.items(),
        key=lambda pair: (-pair[1], order.get(pair[0], len(order)), pair[0]),
    )
    nationalities = sorted(counts.by_nationality.items(), key=lambda p: (-p[1], p[0]))

    per_month = {m.month: m for m in stats.services_per_month(since, today.isoformat())}
    services = []
    for m in months:
        found = per_month.get(m.isoformat()[:7])
        cost = (
            {c: Decimal(t) / MONEY_SCALE for c, t in sorted(found.cost_thousandths.items())}
            if found
            else {}
        )
        services.append(ServicesInMonth(m, found.count if found else 0, cost))

    return DashboardFigures(
        today=today,
        cases_by_status=statuses,
        new_cases_per_month=new_cases,
        exploitation_types=exploitation_types,
        nationalities=nationalities[:TOP_NATIONALITIES],
        services_per_month=services,
        overdue_follow_ups=stats.overdue_follow_ups(today.isoformat()),
    )
