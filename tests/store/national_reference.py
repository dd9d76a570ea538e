"""The national store as it was before the compact rows of schema 10 (a test reference).

The queries are those shipped up to schema 9, reading ``records`` with ``json_extract``;
the figures computed from it and from :class:`SqliteNationalStore` must be the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from shelter_desk.store.db import Database
from shelter_desk.store.national import (
    CaseFacts,
    FollowUpFacts,
    ReferralFacts,
    ReturnFacts,
    ServiceFacts,
    _birth_year,
    _codes,
    _score,
    _text,
    _year,
)


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


class RecordsNationalStore:
    """The period report's store as it was before schema 10: every request reads the
    records' JSON (``json_extract``). Kept here to prove the compact rows give the same."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def cases(self, since: str = "", until: str = "", *, whole: bool = True) -> Iterator[CaseFacts]:
        """Every case, whatever the period (as before schema 10): none left out."""
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

    def open_counts(self, since: str, until: str) -> dict[str, tuple[int, int]]:
        return {}  # cases() leaves nothing out

    def organisations(self) -> list[str]:
        return sorted({c.org_id for c in self.cases()})

    def organisation_cases(self, org_id: str) -> Iterator[CaseFacts]:
        return (c for c in self.cases() if c.org_id == org_id)

    def _all_services(self) -> Iterator[ServiceFacts]:
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

    def services(self, since: str, until: str) -> Iterator[ServiceFacts]:
        """The old pass over every service, kept to those of the period (Period.holds)."""
        for s in self._all_services():
            if s.started_on and since <= s.started_on[:10] <= until:
                yield s

    def first_services(self, case_ids: Iterable[str]) -> dict[str, str]:
        """The old pass: each case's smallest non-empty start."""
        wanted = set(case_ids)
        first: dict[str, str] = {}
        for s in self._all_services():
            if s.case_id not in wanted:
                continue
            found = first.get(s.case_id)
            if s.started_on and (found is None or s.started_on < found):
                first[s.case_id] = s.started_on
        return first

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

    def data_mark(self) -> int:
        return int(self._db.scalar("SELECT coalesce(max(n), 0) FROM change_arrivals"))
