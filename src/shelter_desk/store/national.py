"""The national picture's queries: one row of facts per case and per dated event.

:class:`NationalStore` is the small interface the period report is computed from; it asks
for nothing but codes, dates, years, scores and amounts (never a name or a free text), so
the same rows come from identified, pseudonymised and statistics-only records alike.
:class:`SqliteNationalStore` answers it from the SQLCipher file, from the compact rows that
triggers keep beside ``records`` (store/national_rows.py: one row of plain values per
record, so no request reads a record's JSON); another store (PostgreSQL, say) implements
the same six methods. Period filters run in SQL on indexed dates, so a request reads the
events of its period, not all of them.

Dates are ISO strings (``""`` when unknown); a statistics-only case carries only the years
(``opened_year``, ``closed_year``). Amounts are the decimal text as stored. Deleted records
are left out everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
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

    def cases(self) -> Iterator[CaseFacts]:
        """Every case that is not deleted."""
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
    " ORDER BY c.case_id, i.created_at"
)


class SqliteNationalStore:
    """:class:`NationalStore` on the SQLCipher file, from the compact rows that triggers
    keep beside the records (store/national_rows.py)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def cases(self) -> Iterator[CaseFacts]:
        exploited: dict[str, list[str]] = {}
        for case_id, country in self._db.all("SELECT case_id, country FROM report_exploitations"):
            if country:
                found = exploited.setdefault(str(case_id), [])
                if country not in found:
                    found.append(str(country))
        codes: dict[Any, tuple[str, ...]] = {}  # few distinct lists: each parsed once

        def parsed(value: Any) -> tuple[str, ...]:
            found = codes.get(value)
            if found is None:
                found = codes[value] = _codes(value)
            return found

        seen = ""
        for row in self._db.all(_CASES_SQL):
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
