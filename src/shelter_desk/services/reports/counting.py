"""What counts where: the rules that put a case or an event into a period and a filter,
and the small sums the tables are made of (see ``figures`` for the tables themselves)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation

from shelter_desk.domain import codes
from shelter_desk.reports.national_tables import NOT_RECORDED, Cell, Count, Key, Mean, msg
from shelter_desk.services.reports.period import Filters, Period, age_band
from shelter_desk.store.national import CaseFacts

Row = tuple[tuple[Key, ...], tuple[Cell, ...]]


def code_key(code_list: codes.CodeList, code: str) -> Key:
    return msg(code_list.label(code)) if code else msg(NOT_RECORDED)


def age_at_identification(case: CaseFacts) -> int | None:
    opened = case.opened_on[:4] or (str(case.opened_year) if case.opened_year else "")
    if not opened or case.birth_year is None:
        return None
    return int(opened) - case.birth_year


def keeps(filters: Filters, case: CaseFacts) -> bool:
    f = filters
    return (
        (not f.org_id or case.org_id == f.org_id)
        and (not f.exploitation_type or f.exploitation_type in case.exploitation_types)
        and (not f.citizenship or f.citizenship in case.citizenships)
        and (not f.sex or case.gender == f.sex)
        and (not f.age_band or age_band(age_at_identification(case)) == f.age_band)
        and (not f.identification_source or case.identification_source == f.identification_source)
    )


def _on_or_year(period: Period, iso: str, year: int | None) -> bool:
    return period.holds(iso) if iso else bool(year) and period.covers_year(year or 0)


def opened_in(period: Period, case: CaseFacts) -> bool:
    if case.opened_on or case.opened_year:
        return _on_or_year(period, case.opened_on, case.opened_year)
    return period.holds(case.intake_on)


def closed_in(period: Period, case: CaseFacts) -> bool:
    return _on_or_year(period, case.closed_on, case.closed_year)


def before(iso: str, year: int | None, day: str) -> bool | None:
    """Whether a date (or only its year) lies before ``day``; None when not known."""
    if iso:
        return iso[:10] < day
    if year:
        return str(year) < day[:4]
    return None


def open_on(case: CaseFacts, day: str) -> bool:
    """Open at the start of ``day``: opened before it and not closed before it."""
    opened = before(case.opened_on or case.intake_on, case.opened_year, day)
    closed = before(case.closed_on, case.closed_year, day)
    return bool(opened) and not closed


def money(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def days(start: str, end: str) -> int | None:
    try:
        return (dt.date.fromisoformat(end[:10]) - dt.date.fromisoformat(start[:10])).days
    except ValueError:
        return None


def mean(values: Sequence[float], digits: int = 1) -> Mean:
    return Mean(statistics.fmean(values) if values else None, len(values), digits)


def median(values: Sequence[float]) -> Mean:
    return Mean(float(statistics.median(values)) if values else None, len(values), 0)


def ranked(counter: Counter[str], key: Callable[[str], Key]) -> tuple[Row, ...]:
    ordered = sorted(counter.items(), key=lambda pair: (-pair[1], pair[0]))
    return tuple(((key(code),), (Count(n),)) for code, n in ordered)


def by_codes(
    cases: Iterable[CaseFacts], pick: Callable[[CaseFacts], Iterable[str]]
) -> Counter[str]:
    counter: Counter[str] = Counter()
    for case in cases:
        counter.update(set(pick(case)) or {""})
    return counter


def next_day(iso: str) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat()
