"""The order in which dates are written: the interface language with the organisation's
country, or the order an administrator chose.

English alone is CLDR's en_US (3/12 is the twelfth of March); a shelter in Israel, Jordan or
Georgia writes the day first. The date locale is therefore ``<language>_<country>`` where
CLDR has it (en_IL, en_GE, ar_JO), else the language's world variant where there is one
(en_001 for en_JO: day first, as everywhere but the United States), else the language's
likely locale. An explicit order (day-month-year, month-day-year, year-month-day) takes
the pattern of a locale of the same language that writes it so ("Dec 3, 2026" from en_US),
or, when no locale of the language does, the same pattern with its fields moved; a pattern
with the month in words ("3 декабря 2026 г.") is then kept, as it cannot be misread.

Digits stay Latin: babel writes dates with Latin digits in every locale.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

FOLLOW_COUNTRY = ""
DAY_MONTH_YEAR = "dmy"
MONTH_DAY_YEAR = "mdy"
YEAR_MONTH_DAY = "ymd"
DATE_ORDERS: tuple[str, ...] = (FOLLOW_COUNTRY, DAY_MONTH_YEAR, MONTH_DAY_YEAR, YEAR_MONTH_DAY)
"""The stored values of the date order setting; "" follows the organisation's country."""

NAMED_FORMATS = ("short", "medium", "long", "full")

_TOKENS = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*|[^A-Za-z']+")
_FIELD_KIND = {"d": "d", "M": "m", "L": "m", "y": "y"}


@dataclass(frozen=True)
class DateStyle:
    """Where dates are written (``country``, ISO 3166-1 alpha-2 or "") and the order
    chosen for them (one of :data:`DATE_ORDERS`)."""

    country: str = ""
    order: str = FOLLOW_COUNTRY

    def locale(self, lang: str) -> Locale:
        return date_locale(lang, self.country)

    def pattern(self, fmt: str, lang: str) -> str:
        """The CLDR pattern for a named format (``short``...), or ``fmt`` itself when it is
        already a pattern (``"MMM y"``)."""
        if fmt not in NAMED_FORMATS:
            return fmt
        return _pattern(lang, self.country.upper(), self.order, fmt)


def check_order(order: str) -> str:
    if order not in DATE_ORDERS:
        raise ValueError(f"unknown date order: {order!r}")
    return order


@functools.cache
def date_locale(lang: str, country: str = "") -> Locale:
    """``lang_COUNTRY`` where CLDR has it, else ``lang_001``, else the likely locale."""
    from babel import Locale
    from babel.core import get_global
    from babel.localedata import exists

    country = country.upper()
    likely = str(get_global("likely_subtags").get(lang, lang))
    if country and likely.endswith("_" + country):
        return Locale.parse(likely)
    for candidate in (f"{lang}_{country}" if country else "", f"{lang}_001" if country else ""):
        if candidate and exists(candidate):
            return Locale.parse(candidate)
    return Locale.parse(likely)


def pattern_order(pattern: str) -> str:
    """``"dmy"``, ``"mdy"``, ``"ymd"``... the order of the day, month and year fields of a
    CLDR pattern, or "" when it lacks one of them."""
    kinds = [_FIELD_KIND[t[0]] for t in _tokens(pattern) if t[0] in _FIELD_KIND]
    order = "".join(dict.fromkeys(kinds))
    return order if len(order) == 3 else ""


@functools.cache
def _pattern(lang: str, country: str, order: str, fmt: str) -> str:
    own = str(date_locale(lang, country).date_formats[fmt].pattern)
    if not order or pattern_order(own) in ("", order):
        return own
    for other in _same_language(lang):
        candidate = str(other.date_formats[fmt].pattern)
        if pattern_order(candidate) == order:
            return candidate
    if any(t[0] in "ML" and len(t) >= 3 for t in _tokens(own)):
        return own  # a month written in words is not misread in any order
    return _reordered(own, order)


@functools.cache
def _same_language(lang: str) -> tuple[Locale, ...]:
    """The locales of ``lang``: its likely one first, then its world one, then the rest."""
    from babel import Locale
    from babel.core import get_global
    from babel.localedata import locale_identifiers

    likely = str(get_global("likely_subtags").get(lang, lang))
    names = sorted(
        n for n in locale_identifiers() if n.startswith(lang + "_") and n.count("_") == 1
    )
    first = [n for n in (likely, f"{lang}_001") if n in names]
    return tuple(Locale.parse(n) for n in first + [n for n in names if n not in first])


def _tokens(pattern: str) -> list[str]:
    return [m.group(0) for m in _TOKENS.finditer(pattern)]


def _reordered(pattern: str, order: str) -> str:
    """The pattern with its day, month and year fields put in ``order``; the text between
    them stays where it was. The year is written in full: "26.12.03" is misread."""
    tokens = _tokens(pattern)
    slots = [i for i, t in enumerate(tokens) if t[0] in _FIELD_KIND]
    fields = {_FIELD_KIND[tokens[i][0]]: tokens[i] for i in slots}
    fields["y"] = "y"
    if len(slots) != 3 or len(fields) != 3:
        return pattern
    for slot, kind in zip(slots, order, strict=True):
        tokens[slot] = fields[kind]
    return "".join(tokens)
