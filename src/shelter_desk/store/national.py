"""The national picture's queries: one row of facts per case and per dated event.

:class:`NationalStore` is the small interface the period report is computed from; it asks
for nothing but codes, dates, years, scores and amounts (never a name or a free text), so
the same rows come from identified, pseudonymised and statistics-only records alike.
:class:`SqliteNationalStore` answers it from the SQLCipher file (``json_extract`` on the
``records`` table); another store (PostgreSQL, say) implements the same five methods.

Dates are ISO strings (``""`` when unknown); a statistics-only case carries only the years
(``opened_year``, ``closed_year``). Amounts are the decimal text as stored. Deleted records
are left out everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from shelter_desk.store.db import Database


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

    def services(self) -> Iterator[ServiceFacts]:
        """Every service delivered (with or without a start date)."""
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


def _j(alias: str, name: str) -> str:
    return f"json_extract({alias}.data, '$.{name}')"


_CASES_SQL = (
    "SELECT c.case_id, c.org_id, "
    + ", ".join(
        _j("c", n)
        for n in (
            "opened_on",
            "opened_on_year",
            "closed_on",
            "closed_on_year",
            "status",
            "closure_reason",
            "trafficking_status",
            "trafficking_status_decision_org",
        )
    )
    + ", "
    + ", ".join(_j("p", n) for n in ("gender", "birth_date", "estimated_birth_year", "birth_year"))
    + ", "
    + _j("p", "citizenships")
    + ", "
    + ", ".join(
        _j("i", n)
        for n in (
            "exploitation_types",
            "forced_labour_industry",
            "identification_source",
            "intake_date",
        )
    )
    + " FROM records c"
    " LEFT JOIN records p ON p.id = json_extract(c.data, '$.person_id') AND p.deleted = 0"
    " LEFT JOIN records i ON i.case_id = c.case_id AND i.entity = 'intake' AND i.deleted = 0"
    " WHERE c.entity = 'case' AND c.deleted = 0"
    " ORDER BY c.case_id, i.created_at"
)

_EXPLOITED_IN_SQL = (
    "SELECT case_id, json_extract(data, '$.country') FROM records"
    " WHERE entity = 'trafficking_event' AND deleted = 0"
    " AND json_extract(data, '$.event_type') = 'Exploitation'"
)


class SqliteNationalStore:
    """:class:`NationalStore` on the SQLCipher file."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def cases(self) -> Iterator[CaseFacts]:
        exploited: dict[str, list[str]] = {}
        for case_id, country in self._db.all(_EXPLOITED_IN_SQL):
            if country:
                found = exploited.setdefault(str(case_id), [])
                if country not in found:
                    found.append(str(country))
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
                citizenships=_codes(row[14]),
                exploitation_types=_codes(row[15]),
                industry=_text(row[16]),
                identification_source=_text(row[17]),
                intake_on=_text(row[18]),
                exploited_in=tuple(exploited.get(seen, ())),
            )

    def services(self) -> Iterator[ServiceFacts]:
        rows = self._db.all(
            "SELECT case_id, json_extract(data, '$.service_type'),"
            " json_extract(data, '$.started_on'), json_extract(data, '$.cost'),"
            " json_extract(data, '$.currency')"
            " FROM records WHERE entity = 'service_delivery' AND deleted = 0"
        )
        for case_id, kind, started, cost, currency in rows:
            yield ServiceFacts(
                str(case_id), _text(kind), _text(started), _text(cost), _text(currency)
            )

    def referrals(self, since: str, until: str) -> Iterator[ReferralFacts]:
        rows = self._db.all(
            "SELECT case_id, json_extract(data, '$.referred_on'), json_extract(data, '$.status'),"
            " json_extract(data, '$.responded_on') FROM records"
            " WHERE entity = 'referral' AND deleted = 0"
            " AND json_extract(data, '$.referred_on') BETWEEN ? AND ?",
            (since, until),
        )
        for case_id, referred, status, responded in rows:
            yield ReferralFacts(str(case_id), _text(referred), _text(status), _text(responded))

    def returns(self, since: str, until: str) -> Iterator[ReturnFacts]:
        rows = self._db.all(
            "SELECT case_id, json_extract(data, '$.travel_on'), json_extract(data, '$.cost'),"
            " json_extract(data, '$.currency') FROM records"
            " WHERE entity = 'return' AND deleted = 0"
            " AND json_extract(data, '$.travel_on') BETWEEN ? AND ?",
            (since, until),
        )
        for case_id, travel, cost, currency in rows:
            yield ReturnFacts(str(case_id), _text(travel), _text(cost), _text(currency))

    def follow_ups(self, since: str, until: str) -> Iterator[FollowUpFacts]:
        scheduled = "json_extract(data, '$.scheduled_on')"
        done = "json_extract(data, '$.done_on')"
        rows = self._db.all(
            f"SELECT case_id, {scheduled}, {done}, json_extract(data, '$.composite_score'),"
            " json_extract(data, '$.economic_score'), json_extract(data, '$.social_score'),"
            " json_extract(data, '$.psychosocial_score') FROM records"
            " WHERE entity = 'follow_up' AND deleted = 0"
            f" AND ({scheduled} BETWEEN ? AND ? OR {done} BETWEEN ? AND ?)",
            (since, until, since, until),
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
