"""The period report as tables: what the page, the PDF and the XLSX workbook all show.

A :class:`Table` is one breakdown: its title and definition (English source messages,
translated when shown), key columns (what a row is about: a code's label, a country, an
organisation, a month...) and value cells (counts, money, averages). :class:`Words` turns
keys and cells into text in one language without touching the application's language,
and hides small counts: a count from 1 to 4, and any amount or average computed from 1 to
4 people or events, prints as "<5" when the report is suppressed.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from babel import Locale, dates, numbers

from shelter_desk.i18n import N_, is_rtl, load_translations, locale, ltr, translate

SMALL_LOW, SMALL_HIGH = 1, 4
SUPPRESSED = "<5"
NOT_RECORDED = N_("Not recorded")


SOURCE_LANGUAGE = "en"


@functools.cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    # Not reports.layout.translated: that module imports reportlab, and the GUI shows these
    # tables without loading reportlab until a report is printed.
    return load_translations(lang)


def translated(lang: str, message: str) -> str:
    """``message`` in ``lang``, without touching the application's language."""
    return translate(_catalogue(lang), message)


def is_small(n: int) -> bool:
    return SMALL_LOW <= n <= SMALL_HIGH


@dataclass(frozen=True, slots=True)
class Key:
    """What a row (or a column) is about. ``kind``: ``msg`` (an English source message:
    a code's label...), ``country`` (ISO code), ``org`` (an organisation's name as it is
    written), ``month`` (YYYY-MM), ``currency`` (ISO 4217) or ``text`` (as it is)."""

    kind: str
    value: str


def msg(message: str) -> Key:
    return Key("msg", message)


@dataclass(frozen=True, slots=True)
class Count:
    value: int

    @property
    def n(self) -> int:
        return self.value


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal | None
    currency: str
    n: int  # how many people or services the amount is about


@dataclass(frozen=True, slots=True)
class Mean:
    """An average or a median (days, a score); None when there is nothing to average."""

    value: float | None
    n: int
    digits: int = 1


Cell = Count | Money | Mean


@dataclass(frozen=True)
class Table:
    key: str  # stable: the XLSX sheet order and the tests use it
    title: str  # source message
    definition: str  # source message: what is counted, and how
    keys: tuple[Key, ...]  # the headers of the key columns
    values: tuple[Key, ...]  # the headers of the value columns
    rows: tuple[tuple[tuple[Key, ...], tuple[Cell, ...]], ...]
    chart: int | None = None  # the value column drawn as bars, if any
    notes: tuple[str, ...] = field(default=())

    def column(self, index: int) -> list[Cell]:
        return [cells[index] for _keys, cells in self.rows]


class Words:
    """Text of keys and cells in ``lang`` (CLDR numbers, dates, countries)."""

    def __init__(self, lang: str, *, suppress: bool) -> None:
        self.lang = lang
        self.suppress = suppress
        self.locale: Locale = locale(lang)
        self.rtl = is_rtl(lang)

    def tr(self, message: str) -> str:
        return translated(self.lang, message)

    def text_lang(self, message: str) -> str:
        """The language a translated message is really in (English until translated)."""
        return self.lang if translated(self.lang, message) != message else SOURCE_LANGUAGE

    def key(self, key: Key) -> str:
        if key.kind == "msg":
            return self.tr(key.value)
        if key.kind == "country":
            return str(self.locale.territories.get(key.value.upper(), key.value))
        if key.kind == "month":
            day = dt.date.fromisoformat(key.value + "-01")
            return dates.format_date(day, "MMM y", locale=self.locale)
        if key.kind == "currency":
            return key.value or self.tr(NOT_RECORDED)
        return key.value

    def hidden(self, cell: Cell) -> bool:
        return self.suppress and is_small(cell.n)

    def cell(self, cell: Cell) -> str:
        if self.hidden(cell):
            return ltr(SUPPRESSED) if self.rtl else SUPPRESSED
        if isinstance(cell, Count):
            return numbers.format_decimal(cell.value, locale=self.locale)
        if isinstance(cell, Money):
            if cell.amount is None:
                return ""
            if not cell.currency:
                return numbers.format_decimal(cell.amount, locale=self.locale)
            text = numbers.format_currency(cell.amount, cell.currency, locale=self.locale)
            return ltr(text) if self.rtl else text
        if cell.value is None:
            return ""
        step = "0." + "0" * cell.digits if cell.digits else "0"
        return numbers.format_decimal(cell.value, format=f"#,##{step}", locale=self.locale)

    def raw(self, cell: Cell) -> int | float | str | None:
        """The value for a spreadsheet cell: a number, "<5" when hidden, or None."""
        if self.hidden(cell):
            return SUPPRESSED
        if isinstance(cell, Count):
            return cell.value
        if isinstance(cell, Money):
            return float(cell.amount) if cell.amount is not None else None
        return round(cell.value, cell.digits) if cell.value is not None else None

    def headers(self, table: Table) -> list[str]:
        return [self.key(k) for k in (*table.keys, *table.values)]

    def row(self, keys: Sequence[Key], cells: Sequence[Cell]) -> list[str]:
        return [self.key(k) for k in keys] + [self.cell(c) for c in cells]
