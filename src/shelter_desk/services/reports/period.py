"""The period a report covers (a month, a quarter, a year or any two dates) and its filters."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from shelter_desk.domain.errors import ValidationError
from shelter_desk.i18n import N_, _

KINDS = ("month", "quarter", "year", "custom")
KIND_LABELS = {
    "month": N_("Month"),
    "quarter": N_("Quarter"),
    "year": N_("Year"),
    "custom": N_("From a date to a date"),
}

# Age at identification, in whole years; the first two bands are the minors.
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("0-11", 0, 11),
    ("12-17", 12, 17),
    ("18-24", 18, 24),
    ("25-34", 25, 34),
    ("35-44", 35, 44),
    ("45+", 45, 200),
)
MINOR_BANDS = frozenset({"0-11", "12-17"})
UNKNOWN_AGE = "unknown"
AGE_BAND_CODES = (*(code for code, _low, _high in AGE_BANDS), UNKNOWN_AGE)


def age_band(age: int | None) -> str:
    if age is None or age < 0:
        return UNKNOWN_AGE
    for code, low, high in AGE_BANDS:
        if low <= age <= high:
            return code
    return UNKNOWN_AGE


def age_band_label(code: str) -> str:
    """The band as people write it ("18–24"), or "Age not known"."""
    if code == UNKNOWN_AGE:
        return N_("Age not known")
    return code.replace("-", "\u2013")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # included
    kind: str = "custom"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(
                {"period": _("The period ends before it starts: check the two dates.")}
            )

    def covers_year(self, year: int) -> bool:
        """Whether the period holds the whole of ``year`` (for records that carry only
        the year: statistics-only cases)."""
        return self.start <= dt.date(year, 1, 1) and dt.date(year, 12, 31) <= self.end

    def holds(self, iso: str) -> bool:
        return bool(iso) and self._bounds[0] <= iso[:10] <= self._bounds[1]

    @functools.cached_property
    def _bounds(self) -> tuple[str, str]:
        """The first and last day as ISO text (holds() is asked for every record counted)."""
        return self.start.isoformat(), self.end.isoformat()

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def month(year: int, number: int) -> Period:
    start = dt.date(year, number, 1)
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return Period(start, following - dt.timedelta(days=1), "month")


def quarter(year: int, number: int) -> Period:
    first = month(year, 3 * number - 2)
    last = month(year, 3 * number)
    return Period(first.start, last.end, "quarter")


def year(number: int) -> Period:
    return Period(dt.date(number, 1, 1), dt.date(number, 12, 31), "year")


def between(start: dt.date, end: dt.date) -> Period:
    """A custom period; a whole calendar month, quarter or year is named as such."""
    for kind in ("year", "quarter", "month"):
        found = _calendar(kind, start)
        if found.start == start and found.end == end:
            return found
    return Period(start, end, "custom")


def _calendar(kind: str, day: dt.date) -> Period:
    if kind == "year":
        return year(day.year)
    if kind == "quarter":
        return quarter(day.year, (day.month - 1) // 3 + 1)
    return month(day.year, day.month)


def containing(kind: str, day: dt.date) -> Period:
    """The calendar month, quarter or year that holds ``day``."""
    return _calendar(kind, day)


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str, field: str = "date") -> dt.date:
    """An ISO date (YYYY-MM-DD) typed on the command line, or a translated error."""
    value = text.strip()
    try:
        if _DATE.match(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise ValidationError(
        {field: _("{value} is not a date: write it as YYYY-MM-DD.").format(value=value)}
    )


def period_from_text(start: str, end: str) -> Period:
    return between(parse_date(start, "from"), parse_date(end, "to"))


@dataclass(frozen=True)
class Filters:
    """Which cases count: every field left empty counts all of them."""

    org_id: str = ""
    exploitation_type: str = ""
    citizenship: str = ""
    sex: str = ""
    age_band: str = ""
    identification_source: str = ""

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.org_id,
                self.exploitation_type,
                self.citizenship,
                self.sex,
                self.age_band,
                self.identification_source,
            )
        )
