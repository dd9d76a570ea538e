"""Aggregate queries for the dashboard: counts and sums only, never a person's details.

Each query reads one derived index (``case_index``, ``follow_up_index``) or one entity's
records, groups in SQL and returns small dictionaries, so the dashboard costs a handful of
index or table scans however many cases there are. Money is summed exactly in thousandths
of the currency unit (enough for the three-decimal dinars of Jordan, Kuwait and Bahrain).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shelter_desk.store.db import Database

MONEY_SCALE = 1000
"""Costs are summed as whole thousandths, so the total is exact (no float rounding)."""


@dataclass(frozen=True)
class MonthlyServices:
    """Services that started in one month, and what those with a cost cost, per currency."""

    month: str  # YYYY-MM
    count: int
    cost_thousandths: dict[str, int]


_STARTED = "json_extract(data, '$.started_on')"
_CURRENCY = "json_extract(data, '$.currency')"
_COST = "json_extract(data, '$.cost')"

SERVICES_BY_MONTH_INDEX = "records_services_by_month"
"""The partial, covering index made by migration 4 for :meth:`services_per_month`: one index
range instead of every service record (milliseconds instead of seconds at 100k cases)."""


def _count_codes(groups: Sequence[tuple[str, int]]) -> dict[str, int]:
    """Per code, the cases whose ``;A;B;`` list holds it, from counts per whole list."""
    counts: dict[str, int] = {}
    for joined, n in groups:
        for code in {c for c in joined.split(";") if c}:
            counts[code] = counts.get(code, 0) + n
    return counts


class CaseStatistics:
    def __init__(self, db: Database) -> None:
        self._db = db

    def cases_by_status(self) -> dict[str, int]:
        rows = self._db.all(
            "SELECT status, count(*) FROM case_index WHERE deleted = 0 GROUP BY status"
        )
        return {str(status): int(n) for status, n in rows}

    def new_cases_per_month(self, since: str) -> dict[str, int]:
        """Cases opened on or after ``since`` (ISO date), counted per month (YYYY-MM)."""
        rows = self._db.all(
            "SELECT substr(opened_on, 1, 7), count(*) FROM case_index"
            " WHERE opened_on >= ? AND deleted = 0 GROUP BY 1",
            (since,),
        )
        return {str(month): int(n) for month, n in rows}

    def cases_with_exploitation(self) -> dict[str, int]:
        """How many cases list each exploitation type (a case may list several)."""
        return _count_codes(self._grouped("exploitation"))

    def cases_by_nationality(self) -> dict[str, int]:
        """How many cases hold each citizenship (ISO country code; a person may hold two)."""
        return _count_codes(self._grouped("nationality"))

    def _grouped(self, column: str) -> list[tuple[str, int]]:
        # Cases share few combinations of codes: group in SQL, split the few groups here.
        rows = self._db.all(
            f"SELECT {column}, count(*) FROM case_index WHERE deleted = 0 GROUP BY {column}"
        )
        return [(str(joined), int(n)) for joined, n in rows]

    def services_per_month(self, since: str, until: str) -> list[MonthlyServices]:
        """Services delivered (by start date, ``since`` <= start <= ``until``) per month.

        With the index ``SERVICES_BY_MONTH_INDEX`` (see :data:`SERVICES_BY_MONTH_SQL`) the
        query reads only that index; without it, every service record."""
        hint = f" INDEXED BY {SERVICES_BY_MONTH_INDEX}"
        rows = self._db.all(
            f"SELECT substr({_STARTED}, 1, 7), {_CURRENCY}, count(*),"
            f" sum(CAST(round(CAST({_COST} AS REAL) * {MONEY_SCALE}) AS INTEGER))"
            f" FROM records{hint}"
            f" WHERE entity = 'service_delivery' AND deleted = 0"
            f" AND {_STARTED} >= ? AND {_STARTED} <= ?"
            " GROUP BY 1, 2 ORDER BY 1",
            (since, until),
        )
        counts: dict[str, int] = {}
        costs: dict[str, dict[str, int]] = {}
        for month, currency, count, total in rows:
            counts[month] = counts.get(month, 0) + int(count)
            month_costs = costs.setdefault(month, {})
            if currency and total is not None:
                month_costs[str(currency)] = int(total)
        return [MonthlyServices(str(m), counts[m], costs[m]) for m in sorted(counts)]

    def overdue_follow_ups(self, today: str) -> int:
        """Follow-ups not done and scheduled before ``today`` on active or follow-up cases
        (the same rule as the Follow-ups due page)."""
        return int(
            self._db.scalar(
                "SELECT count(*) FROM follow_up_index f JOIN case_index ci"
                " ON ci.case_id = f.case_id"
                " WHERE f.done_on = '' AND f.scheduled_on != '' AND f.scheduled_on < ?"
                " AND ci.deleted = 0 AND ci.status IN ('Active', 'FollowUp')",
                (today,),
            )
        )
