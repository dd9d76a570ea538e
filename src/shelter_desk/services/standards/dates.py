"""Dates as spreadsheets write them: ISO (``2026-11-20``), day first (``20/11/2026``,
``20.11.2026``) or month first (``11/20/2026``).

An ISO date is always read as one. The others are read in the order chosen. The guess is ISO
for a file without other dates; else what the file's own dates prove (a first number above
12 is a day, a second number above 12 too); else how the organisation's country writes short
dates (CLDR); else day first, as most of the world writes them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from babel import Locale, UnknownLocaleError
from babel.languages import get_official_languages

from shelter_desk.i18n import _
from shelter_desk.services.standards import choices

DATE_ORDERS = choices.DATE_ORDERS
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]*)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?:[ T][\d:.]*)?$")
_EXAMPLES = {"iso": "2026-11-20", "dmy": "20/11/2026", "mdy": "11/20/2026"}


def date_order_label(order: str) -> str:
    """How the choice is shown to people (translated)."""
    labels = {
        "iso": _("ISO (2026-11-20)"),
        "dmy": _("day first (20/11/2026)"),
        "mdy": _("month first (11/20/2026)"),
    }
    return labels.get(order, order)


def example(order: str) -> str:
    return _EXAMPLES.get(order, _EXAMPLES["iso"])


def parse_date(text: str, order: str) -> tuple[dt.date | None, str | None]:
    """The date, or an error message that shows the expected form."""
    text = text.strip()
    if not text:
        return None, None
    try:
        iso = _ISO.match(text)
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3])), None
        numeric = _NUMERIC.match(text)
        if numeric and order in ("dmy", "mdy"):
            first, second, year = int(numeric[1]), int(numeric[2]), int(numeric[3])
            day, month = (first, second) if order == "dmy" else (second, first)
            return dt.date(year, month, day), None
    except ValueError:
        pass
    return None, _("Enter a date like {example}.").format(example=example(order))


def guess_date_order(cells: Iterable[str], country: str = "") -> str:
    """The order the file's dates are written in (see the module docstring)."""
    day_first = month_first = numeric = 0
    for text in cells:
        found = _NUMERIC.match(text.strip())
        if not found:
            continue
        numeric += 1
        day_first += int(found[1]) > 12
        month_first += int(found[2]) > 12
    if not numeric:
        return "iso"
    if day_first and not month_first:
        return "dmy"
    if month_first and not day_first:
        return "mdy"
    return country_date_order(country)


def country_date_order(country: str) -> str:
    """``mdy`` where the country's short date puts the month before the day (the United
    States, the Philippines...), else ``dmy``."""
    if not country:
        return "dmy"
    for language in get_official_languages(country.upper(), de_facto=True):
        try:
            pattern = Locale.parse(f"{language}_{country.upper()}").date_formats["short"].pattern
        except (UnknownLocaleError, ValueError):
            continue
        letters = [c for c in pattern if c in "dMy"]
        order = "".join(dict.fromkeys(letters))
        return "mdy" if order.startswith("M") else "dmy"
    return "dmy"
