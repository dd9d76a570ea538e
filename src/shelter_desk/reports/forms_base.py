"""What the four printed forms share: their languages, translations, values and tables.

The case a filled form prints is a :class:`~shelter_desk.domain.case_file.CaseFile` with the
names behind its ids resolved (``services.printing.with_names``).

A form is printed in one language or two (``second_lang``: every label also in the second
language, smaller, for a caseworker and a survivor who read different ones). Labels are
English source messages marked with ``N_``; :class:`FormPrinter` translates them for the
form's languages without touching the application's language, formats dates, money and
country names with the form's CLDR locale, and hides identifying values when the form is
printed with ``redact_identity``.

Values typed by caseworkers (names, places, notes) are printed as typed; their direction
comes from their first strong letter, so a Latin name reads left to right inside an Arabic
form.
"""

from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from babel import Locale, dates, lists, numbers
from reportlab.lib.colors import Color

from shelter_desk.domain.codes import CodeList
from shelter_desk.i18n import LANGUAGES, N_, is_rtl, locale, ltr, translate
from shelter_desk.i18n.date_style import DateStyle
from shelter_desk.reports.layout import (
    DATE,
    SOURCE_LANGUAGE,
    FormWriter,
    Label,
    PageFrame,
    paper_for_locale,
    translated,
)
from shelter_desk.reports.text import ASCENT, DESCENT, LEADING, Line, draw_lines, wrap_paragraph

YES = N_("Yes")
NO = N_("No")
UNKNOWN = N_("Not known")
WITHHELD = N_("Withheld")
NOT_RECORDED = N_("Not recorded")
PAPER_NAMES = {"a4": "A4", "letter": "Letter"}

_HEADING_ROOM = 45.0  # a heading with its spacing and rule, in points
TABLE_START = 50.0  # a table's header and first row
_HEADER_FILL = Color(0.9, 0.9, 0.9)
_GRID = Color(0.45, 0.45, 0.45)
_INK = Color(0, 0, 0)


def check_languages(lang: str, second_lang: str | None) -> str | None:
    """Validate the form's languages; the second one is dropped when equal to the first."""
    for code in filter(None, (lang, second_lang)):
        if code not in LANGUAGES:
            raise ValueError(f"unsupported form language: {code}")
    return None if second_lang == lang else second_lang


def paper_size(lang: str, country: str | None, paper: str | None) -> tuple[float, float]:
    """A4 or Letter; ``paper`` may be given as on the command line (``a4``, ``letter``)."""
    override = PAPER_NAMES.get(paper.lower(), paper) if paper else None
    return paper_for_locale(lang, country, override)


Cell = tuple[str, str | None]  # text and the language it is in (None: from its letters)


class FormSheet(FormWriter):
    """A :class:`FormWriter` with tables (rows flow over pages, the header repeats)."""

    cell_pad = 3.0
    blank_row_height = 20.0

    def table(
        self,
        headers: Sequence[Label],
        widths: Sequence[float],
        rows: Sequence[Sequence[Cell]],
        *,
        blank_rows: int = 0,
    ) -> None:
        """A grid with ``headers`` over columns of relative ``widths``, then ``rows`` and
        ``blank_rows`` empty rows to write in. Columns run from the form's start side."""
        s, pad = self.style, self.cell_pad
        total = sum(widths)
        column_widths = [self.width * w / total for w in widths]
        offsets = [sum(column_widths[:i]) for i in range(len(column_widths))]
        header_blocks = [
            self._label_lines(h, w - 2 * pad, s.label_size, bold=True)
            for h, w in zip(headers, column_widths, strict=True)
        ]
        header_height = max(self._blocks_height(b) for b in header_blocks) + 2 * pad
        wrapped: list[list[list[Line]]] = [
            [
                wrap_paragraph(text, w - 2 * pad, s.label_size, text_lang) if text else []
                for (text, text_lang), w in zip(row, column_widths, strict=True)
            ]
            for row in rows
        ]
        heights = [
            max(self.blank_row_height, *(_lines_height(c) + 2 * pad for c in row))
            for row in wrapped
        ]
        heights += [self.blank_row_height] * blank_rows
        wrapped += [[[] for _ in column_widths]] * blank_rows
        first = heights[0] if heights else 0.0
        self.ensure_space(header_height + first + s.block_spacing)

        def draw_header() -> None:
            top = self.y
            for offset, width, blocks in zip(offsets, column_widths, header_blocks, strict=True):
                x = self.span(offset, width)
                self.canvas.setFillColor(_HEADER_FILL)
                self._cell_rect(x, top - header_height, width, header_height, fill=True)
                self._draw_blocks(blocks, x + pad, top - pad, width - 2 * pad)
            self.y -= header_height

        draw_header()
        for cells, height in zip(wrapped, heights, strict=True):
            if self.y - height < self.bottom:
                self.new_page()
                draw_header()
            top = self.y
            for offset, width, lines in zip(offsets, column_widths, cells, strict=True):
                x = self.span(offset, width)
                self._cell_rect(x, top - height, width, height, fill=False)
                if lines:
                    self.canvas.setFillColor(_INK)
                    draw_lines(
                        self.canvas,
                        x + pad,
                        top - pad,
                        lines,
                        width - 2 * pad,
                        align=self.start_side,
                    )
            self.y -= height
        self.y -= s.block_spacing
        self._page_has_content = True

    def _cell_rect(self, x: float, y: float, width: float, height: float, *, fill: bool) -> None:
        self.canvas.setStrokeColor(_GRID)
        self.canvas.setLineWidth(0.5)
        self.canvas.rect(x, y, width, height, stroke=1, fill=1 if fill else 0)


def _pair(primary: str, primary_lang: str, secondary: str, secondary_lang: str) -> Label:
    """A bilingual label; a message translated in neither language is printed once."""
    if secondary == primary:
        return Label(primary, lang=primary_lang)
    return Label(primary, secondary, primary_lang, secondary_lang)


def _lines_height(lines: Sequence[Line]) -> float:
    if not lines:
        return 0.0
    size = lines[0].size
    return size * (ASCENT + DESCENT) + size * LEADING * (len(lines) - 1)


class FormPrinter:
    """One form being printed: its sheet, languages, locale and translations.

    ``catalogues`` replaces the bundled catalogue of a language (a translator checking a
    draft catalogue on paper); languages not in it use the bundled ones.
    """

    def __init__(
        self,
        *,
        lang: str,
        second_lang: str | None,
        organisation: str,
        case_number: str | None,
        paper: tuple[float, float],
        printed_on: dt.date,
        redact_identity: bool = False,
        catalogues: Mapping[str, gettext.NullTranslations] | None = None,
        demo: bool = False,
        date_style: DateStyle | None = None,
    ) -> None:
        self.lang = lang
        self.date_style = date_style or DateStyle()
        self.second_lang = second_lang
        self.organisation = organisation
        self.printed_on = printed_on
        self.redact_identity = redact_identity
        self.catalogues = dict(catalogues or {})
        self.locale: Locale = locale(lang)
        self.rtl = is_rtl(lang)
        frame = PageFrame(
            organisation=organisation,
            lang=lang,
            # Isolated: "HH-2026-0017" keeps its order inside a right-to-left phrase.
            case_number=ltr(case_number) if case_number else None,
            secondary_lang=second_lang,
            printed_on=printed_on,
            paper=paper,
            demo=demo,
            date_style=self.date_style,
        )
        self.sheet = FormSheet(frame)

    # -- translation ------------------------------------------------------------------

    def text_in(self, lang: str, message: str, **values: object) -> tuple[str, str]:
        """``message`` in ``lang`` (placeholders filled) and the language it really is in:
        a message not translated yet stays in English and is laid out left to right."""
        catalogue = self.catalogues.get(lang)
        text = translate(catalogue, message) if catalogue is not None else translated(lang, message)
        real_lang = lang if text != message or lang == SOURCE_LANGUAGE else SOURCE_LANGUAGE
        return (text.format(**values) if values else text), real_lang

    def text(self, message: str, **values: object) -> tuple[str, str]:
        return self.text_in(self.lang, message, **values)

    def tr(self, message: str, **values: object) -> str:
        """``message`` in the form's (first) language."""
        return self.text(message, **values)[0]

    def label(self, message: str, **values: object) -> Label:
        primary, primary_lang = self.text(message, **values)
        if self.second_lang is None:
            return Label(primary, lang=primary_lang)
        secondary, secondary_lang = self.text_in(self.second_lang, message, **values)
        return _pair(primary, primary_lang, secondary, secondary_lang)

    def composed(self, message: str, **parts: str) -> Label:
        """A label whose placeholders are themselves source messages (a code's label...),
        each translated into the language of the text it goes into."""

        def text_in(lang: str) -> tuple[str, str]:
            values = {key: self.text_in(lang, part)[0] for key, part in parts.items()}
            return self.text_in(lang, message, **values)

        primary, primary_lang = text_in(self.lang)
        if self.second_lang is None:
            return Label(primary, lang=primary_lang)
        secondary, secondary_lang = text_in(self.second_lang)
        return _pair(primary, primary_lang, secondary, secondary_lang)

    def options(self, code_list: CodeList | Iterable[tuple[str, str]]) -> list[tuple[str, Label]]:
        """Tick-box options: (code, bilingual label) for each code of a list."""
        pairs = (
            [(item.code, item.label) for item in code_list]
            if isinstance(code_list, CodeList)
            else list(code_list)
        )
        return [(code, self.label(message)) for code, message in pairs]

    def yes_no(self) -> list[tuple[str, Label]]:
        return [("yes", self.label(YES)), ("no", self.label(NO))]

    # -- values -----------------------------------------------------------------------

    def code(self, code_list: CodeList, code: str) -> str:
        return self.tr(code_list.label(code)) if code else ""

    def codes(self, code_list: CodeList, values: Iterable[str]) -> str:
        return self.join(self.code(code_list, v) for v in values if v)

    def join(self, items: Iterable[str]) -> str:
        kept = [item for item in items if item]
        return lists.format_list(kept, locale=self.locale) if kept else ""

    def place(self, parts: Iterable[str]) -> str:
        """Parts of an address or place (street, city, country), comma-separated: a list
        pattern would join them with "and"."""
        separator = "\u060c " if self.lang == "ar" else ", "  # Arabic writes the comma "،"
        return separator.join(part for part in parts if part)

    def date(self, value: dt.date | None) -> str:
        if value is None:
            return ""
        style, lang = self.date_style, self.lang
        return dates.format_date(value, style.pattern("medium", lang), locale=style.locale(lang))

    def country(self, code: str) -> str:
        return str(self.locale.territories.get(code.upper(), code)) if code else ""

    def language(self, code: str) -> str:
        return str(self.locale.languages.get(code, code)) if code else ""

    def money(self, amount: Decimal | None, currency: str) -> str:
        if amount is None:
            return ""
        if not currency:
            return numbers.format_decimal(amount, locale=self.locale)
        text = numbers.format_currency(amount, currency, locale=self.locale)
        # In right-to-left text "US$" would come apart ("$US"): keep the amount as written.
        return ltr(text) if self.rtl else text

    def percent(self, value: float | None) -> str:
        return numbers.format_percent(value, locale=self.locale) if value is not None else ""

    def number(self, value: int | None) -> str:
        return numbers.format_decimal(value, locale=self.locale) if value is not None else ""

    def flag(self, value: bool | None) -> str:
        if value is None:
            return ""
        return self.tr(YES if value else NO)

    def identity(self, value: str) -> str:
        """An identifying value (name, contact, document number, free text that may name
        people), or "Withheld" when the form is printed with ``redact_identity``."""
        if self.redact_identity and value:
            return self.tr(WITHHELD)
        return value

    # -- blocks -----------------------------------------------------------------------

    def heading(self, message: str, *, keep: float = 0.0, **values: object) -> None:
        """A section heading; ``keep`` points of what follows must fit under it on the
        same page (a table's header and first row), or it starts a new page."""
        if keep:
            self.sheet.ensure_space(keep + _HEADING_ROOM)
        self.sheet.heading(self.label(message, **values))

    def field(self, message: str, value: str = "", *, lines: int = 1) -> None:
        """A labelled box, blank (``lines`` high) or holding ``value`` as typed."""
        self.sheet.field(self.label(message), value or None, lines=lines)

    def ticks(
        self,
        message: str,
        options: Sequence[tuple[str, Label]],
        ticked: Iterable[str] = (),
        *,
        columns: int = 2,
    ) -> None:
        self.sheet.tick_boxes(self.label(message), options, frozenset(ticked), columns=columns)

    def say(self, message: str, **values: object) -> None:
        """Running text in the form's language and, smaller, in the second language."""
        text, text_lang = self.text(message, **values)
        self.sheet.paragraph(text, lang=text_lang)
        if self.second_lang is not None:
            second, second_lang = self.text_in(self.second_lang, message, **values)
            if second != text:
                size = self.sheet.style.secondary_size
                self.sheet.paragraph(second, lang=second_lang, size=size)

    def table(
        self,
        headers: Sequence[str],
        widths: Sequence[float],
        rows: Sequence[Sequence[str]],
        *,
        blank_rows: int = 0,
    ) -> None:
        self.sheet.table(
            [self.label(h) for h in headers],
            widths,
            [[(cell, None) for cell in row] for row in rows],
            blank_rows=blank_rows,
        )

    def signature(self, message: str) -> None:
        self.sheet.signature(self.label(message), self.label(DATE))

    def finish(self) -> bytes:
        return self.sheet.finish()
