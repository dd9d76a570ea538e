"""The national picture's queries: one row of facts per case and per dated event.

:class:`NationalStore` is the small interface the period report is computed from; it asks
for nothing but codes, dates, years, scores and amounts (never a name or a free text), so
the same rows come from identified, pseudonymised and statistics-only records alike.
:class:`SqliteNationalStore` answers it from the SQLCipher file, from the compact rows that
triggers keep beside ``records`` (store/national_rows.py: one row of plain values per
record, so no request reads a record's JSON); another store (PostgreSQL, say) implements
the same ten methods. Period filters run in SQL on indexed dates, so a request reads the
events of its period, not all of them.

Dates are ISO strings (``""`` when unknown); a statistics-only case carries only the years
(``opened_year``, ``closed_year``). Amounts are the decimal text as stored. Deleted records
are left out everywhere.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from shelter_desk.store.db import Database

_CHUNK = 500  # case ids per IN (...) query, well under SQLite's variable limit
_LAST_CHARACTER = "\U0010ffff"  # sorts after every character a date may go on with


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the report counts about one case (and its person and intake)."""

    case_id: str
    org_id: str
    opened_on: str
    opened_year: int | None
    closed_on: str
    closed_year: int | None
    status: str
    closure_reason: str
    trafficking_status: str
    decision_org: str
    gender: str
    birth_year: int | None
    citizenships: tuple[str, ...]
    exploitation_types: tuple[str, ...]
    industry: str
    identification_source: str
    intake_on: str
    exploited_in: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ServiceFacts:
    case_id: str
    service_type: str
    started_on: str
    cost: str  # decimal text, "" when no cost was recorded
    currency: str


@dataclass(frozen=True, slots=True)
class ReferralFacts:
    case_id: str
    referred_on: str
    status: str
    responded_on: str


@dataclass(frozen=True, slots=True)
class ReturnFacts:
    case_id: str
    travel_on: str
    cost: str
    currency: str


@dataclass(frozen=True, slots=True)
class FollowUpFacts:
    case_id: str
    scheduled_on: str
    done_on: str
    composite: float | None
    economic: float | None
    social: float | None
    psychosocial: float | None


class NationalStore(Protocol):
    """The queries behind the national picture (see the module docstring)."""

    def cases(self, since: str, until: str, *, whole: bool = True) -> Iterator[CaseFacts]:
        """The cases (not deleted) that may count in the period from ``since`` to ``until``:
        at least every case opened, closed or open in it and every case with a service,
        referral, return or follow-up in it (a store may give more, up to all), by case id.
        ``whole=False`` may leave out cases that are only open in the period (not opened,
        closed, or with anything recorded in it): :meth:`open_counts` counts those."""
        ...

    def open_counts(self, since: str, until: str) -> dict[str, tuple[int, int]]:
        """Of the cases ``cases(since, until, whole=False)`` leaves out, per organisation
        (each organisation with one): how many are open at the start of ``since`` and at
        the end of ``until``."""
        ...

    def organisations(self) -> list[str]:
        """The ids of the organisations that have a case."""
        ...

    def organisation_cases(self, org_id: str) -> Iterator[CaseFacts]:
        """Every case of one organisation (to know whether the filters keep any)."""
        ...

    def services(self, since: str, until: str) -> Iterator[ServiceFacts]:
        """Services that started from ``since`` to ``until`` (ISO dates, both included;
        a start date with a time counts by its day)."""
        ...

    def first_services(self, case_ids: Iterable[str]) -> dict[str, str]:
        """The earliest start date of a service of each of these cases (those with one)."""
        ...

    def referrals(self, since: str, until: str) -> Iterator[ReferralFacts]:
        """Referrals made from ``since`` to ``until`` (ISO dates, both included)."""
        ...

    def returns(self, since: str, until: str) -> Iterator[ReturnFacts]:
        """Returns whose travel date lies from ``since`` to ``until``."""
        ...

    def follow_ups(self, since: str, until: str) -> Iterator[FollowUpFacts]:
        """Follow-ups scheduled, or done, from ``since`` to ``until``."""
        ...

    def data_mark(self) -> int:
        """A number that changes whenever a committed write may change an answer above."""
        ...


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _year(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _codes(value: Any) -> tuple[str, ...]:
    """A JSON list of codes as ``json_extract`` returns it (text), or None."""
    if not value:
        return ()
    try:
        found = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return ()
    if isinstance(found, str):
        return (found,)
    return tuple(str(c) for c in found if c) if isinstance(found, list) else ()


def _score(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _birth_year(birth_date: Any, estimated: Any, derived: Any) -> int | None:
    if isinstance(birth_date, str) and len(birth_date) >= 4:
        return _year(birth_date[:4])
    return _year(estimated) if _year(estimated) is not None else _year(derived)


_CASES_SQL = (
    "SELECT c.case_id, c.org_id, c.opened_on, c.opened_year, c.closed_on, c.closed_year,"
    " c.status, c.closure_reason, c.trafficking_status, c.decision_org,"
    " p.gender, p.birth_date, p.estimated_birth_year, p.birth_year, p.citizenships,"
    " i.exploitation_types, i.industry, i.identification_source, i.intake_on"
    " FROM report_cases c"
    " LEFT JOIN report_people p ON p.id = c.person_id"
    " LEFT JOIN report_intakes i ON i.case_id = c.case_id"
    " WHERE {where} ORDER BY c.case_id, i.created_at"
)


def _dated(column: str) -> str:
    return f"(typeof({column}) = 'text' AND {column} != '')"


def _in_period(column: str) -> str:
    return f"({_dated(column)} AND substr({column}, 1, 10) BETWEEN ? AND ?)"


_EVENTS = (
    "(c.case_id IN (SELECT case_id FROM report_services WHERE started_on BETWEEN ? AND ?)"
    " OR c.case_id IN (SELECT case_id FROM report_referrals WHERE referred_on BETWEEN ? AND ?)"
    " OR c.case_id IN (SELECT case_id FROM report_returns WHERE travel_on BETWEEN ? AND ?)"
    " OR c.case_id IN (SELECT case_id FROM report_follow_ups"
    " WHERE scheduled_on BETWEEN ? AND ? OR done_on BETWEEN ? AND ?))"
)

# Which cases may count in a period (a superset: the report decides exactly, in Python).
# A case is left out only when it surely counts nowhere: opened (by a full date) after the
# period, or closed (by a full date, or by a year when it has no date) before it, neither
# opened nor closed in it, and without an event in it. Parameters: see _relevant().
_RELEVANT = (
    f"(NOT {_dated('c.opened_on')} OR {_in_period('c.opened_on')}"
    f" OR {_in_period('c.closed_on')}"
    f" OR (NOT {_dated('c.closed_on')} AND (c.closed_year IS NOT NULL"
    " OR coalesce(c.closed_on, '') != ''))"
    f" OR (NOT (({_dated('c.closed_on')} AND substr(c.closed_on, 1, 10) < ?)"
    " OR (coalesce(c.closed_on, '') = '' AND typeof(c.closed_year) = 'integer'"
    " AND c.closed_year != 0 AND CAST(c.closed_year AS TEXT) < ?))"
    f" AND NOT ({_dated('c.opened_on')} AND substr(c.opened_on, 1, 10) >= ?))"
    f" OR {_EVENTS})"
)

# The cases whose only part in a period can be being open at its start or end: opened and
# closed (if at all) by full dates or a whole year, neither in the period, and nothing
# recorded in it. Their counts (open_counts) are exact in SQL. Parameters: see _carried().
_CARRIED = (
    f"({_dated('c.opened_on')}"
    f" AND (coalesce(c.closed_on, '') = '' OR {_dated('c.closed_on')})"
    " AND (c.closed_year IS NULL OR typeof(c.closed_year) = 'integer')"
    f" AND NOT {_in_period('c.opened_on')} AND NOT {_in_period('c.closed_on')}"
    f" AND NOT (NOT {_dated('c.closed_on')} AND c.closed_year IS NOT NULL)"
    f" AND NOT {_EVENTS})"
)

# Open at the start of a day (counting.open_on) for a case of _CARRIED.
_OPEN_ON = (
    "(substr(c.opened_on, 1, 10) < ? AND NOT ("
    f"({_dated('c.closed_on')} AND substr(c.closed_on, 1, 10) < ?)"
    " OR (coalesce(c.closed_on, '') = '' AND c.closed_year IS NOT NULL AND c.closed_year != 0"
    " AND CAST(c.closed_year AS TEXT) < ?)))"
)


def _events(since: str, until: str) -> list[str]:
    return [since, until + _LAST_CHARACTER, *(since, until) * 4]


def _relevant(since: str, until: str) -> list[str]:
    """The parameters of _RELEVANT for a period."""
    return [
        *(since, until) * 2,
        since,
        since[:4],
        _day_after(until),
        *_events(since, until),
    ]


def _carried(since: str, until: str) -> list[str]:
    """The parameters of _CARRIED for a period."""
    return [*(since, until) * 2, *_events(since, until)]


def _day_after(iso: str) -> str:
    try:
        return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat()
    except OverflowError:
        return iso + _LAST_CHARACTER  # no date comes after the last day there is


class SqliteNationalStore:
    """:class:`NationalStore` on the SQLCipher file, from the compact rows that triggers
    keep beside the records (store/national_rows.py)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def cases(self, since: str, until: str, *, whole: bool = True) -> Iterator[CaseFacts]:
        where, params = _RELEVANT, _relevant(since, until)
        if not whole:
            where, params = f"{where} AND NOT {_CARRIED}", [*params, *_carried(since, until)]
        rows = self._db.all(_CASES_SQL.format(where=where), params)
        # Every exploitation row, kept for these cases: cheaper than choosing them in SQL by
        # the same condition again (2.8 s of 7 at 100,000 cases).
        exploited = self._exploited("", ())
        wanted = {str(r[0]) for r in rows}
        yield from self._facts(rows, {k: v for k, v in exploited.items() if k in wanted})

    def open_counts(self, since: str, until: str) -> dict[str, tuple[int, int]]:
        after = _day_after(until)
        rows = self._db.all(
            f"SELECT c.org_id, sum({_OPEN_ON}), sum({_OPEN_ON}) FROM report_cases c"
            f" WHERE {_CARRIED} GROUP BY c.org_id",
            [since, since, since[:4], after, after, after[:4], *_carried(since, until)],
        )
        return {str(org): (int(start), int(end)) for org, start, end in rows}

    def organisations(self) -> list[str]:
        return [str(r[0]) for r in self._db.all("SELECT DISTINCT org_id FROM report_cases")]

    def organisation_cases(self, org_id: str) -> Iterator[CaseFacts]:
        exploited = self._exploited(
            "WHERE case_id IN (SELECT case_id FROM report_cases WHERE org_id = ?)", [org_id]
        )
        rows = self._db.all(_CASES_SQL.format(where="c.org_id = ?"), (org_id,))
        yield from self._facts(rows, exploited)

    def _exploited(self, where: str, params: Sequence[Any]) -> dict[str, list[str]]:
        """The countries of exploitation of some cases, each once, by case."""
        exploited: dict[str, list[str]] = {}
        for case_id, country in self._db.all(
            f"SELECT case_id, country FROM report_exploitations {where}", params
        ):
            if country:
                found = exploited.setdefault(str(case_id), [])
                if country not in found:
                    found.append(str(country))
        return exploited

    @staticmethod
    def _facts(
        rows: Iterable[Sequence[Any]], exploited: dict[str, list[str]]
    ) -> Iterator[CaseFacts]:
        codes: dict[Any, tuple[str, ...]] = {}  # few distinct lists: each parsed once

        def parsed(value: Any) -> tuple[str, ...]:
            found = codes.get(value)
            if found is None:
                found = codes[value] = _codes(value)
            return found

        seen = ""
        for row in rows:
            if row[0] == seen:
                continue  # a second intake of the same case: the first one counts
            seen = str(row[0])
            yield CaseFacts(
                case_id=seen,
                org_id=str(row[1]),
                opened_on=_text(row[2]),
                opened_year=_year(row[3]),
                closed_on=_text(row[4]),
                closed_year=_year(row[5]),
                status=_text(row[6]),
                closure_reason=_text(row[7]),
                trafficking_status=_text(row[8]),
                decision_org=_text(row[9]),
                gender=_text(row[10]),
                birth_year=_birth_year(row[11], row[12], row[13]),
                citizenships=parsed(row[14]),
                exploitation_types=parsed(row[15]),
                industry=_text(row[16]),
                identification_source=_text(row[17]),
                intake_on=_text(row[18]),
                exploited_in=tuple(exploited.get(seen, ())),
            )

    def services(self, since: str, until: str) -> Iterator[ServiceFacts]:
        # The range reads the index; substr counts a date with a time by its day.
        rows = self._db.all(
            "SELECT case_id, service_type, started_on, cost, currency FROM report_services"
            " WHERE started_on BETWEEN ? AND ? AND substr(started_on, 1, 10) <= ?",
            (since, until + _LAST_CHARACTER, until),
        )
        for case_id, kind, started, cost, currency in rows:
            yield ServiceFacts(
                str(case_id), _text(kind), _text(started), _text(cost), _text(currency)
            )

    def first_services(self, case_ids: Iterable[str]) -> dict[str, str]:
        ids = list(case_ids)
        found: dict[str, str] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            rows = self._db.all(
                "SELECT case_id, min(started_on) FROM report_services"
                f" WHERE case_id IN ({','.join('?' * len(chunk))})"
                " AND started_on IS NOT NULL AND started_on != '' GROUP BY case_id",
                chunk,
            )
            found.update((str(case_id), _text(first)) for case_id, first in rows)
        return found

    def referrals(self, since: str, until: str) -> Iterator[ReferralFacts]:
        rows = self._db.all(
            "SELECT case_id, referred_on, status, responded_on FROM report_referrals"
            " WHERE referred_on BETWEEN ? AND ?",
            (since, until),
        )
        for case_id, referred, status, responded in rows:
            yield ReferralFacts(str(case_id), _text(referred), _text(status), _text(responded))

    def returns(self, since: str, until: str) -> Iterator[ReturnFacts]:
        rows = self._db.all(
            "SELECT case_id, travel_on, cost, currency FROM report_returns"
            " WHERE travel_on BETWEEN ? AND ?",
            (since, until),
        )
        for case_id, travel, cost, currency in rows:
            yield ReturnFacts(str(case_id), _text(travel), _text(cost), _text(currency))

    def data_mark(self) -> int:
        # Every record is written with its transaction in the change log, and every change
        # arrives in change_arrivals (migration 9), whose numbers only grow once committed.
        return int(self._db.scalar("SELECT coalesce(max(n), 0) FROM change_arrivals"))

    def follow_ups(self, since: str, until: str) -> Iterator[FollowUpFacts]:
        rows = self._db.all(
            "SELECT case_id, scheduled_on, done_on, composite, economic, social, psychosocial"
            " FROM report_follow_ups WHERE scheduled_on BETWEEN ? AND ?"
            " UNION ALL SELECT case_id, scheduled_on, done_on, composite, economic, social,"
            " psychosocial FROM report_follow_ups WHERE done_on BETWEEN ? AND ?"
            " AND NOT coalesce(scheduled_on BETWEEN ? AND ?, 0)",
            (since, until, since, until, since, until),
        )
        for case_id, sched, done_on, composite, economic, social, psycho in rows:
            yield FollowUpFacts(
                str(case_id),
                _text(sched),
                _text(done_on),
                _score(composite),
                _score(economic),
                _score(social),
                _score(psycho),
            )
