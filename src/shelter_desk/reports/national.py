"""The period report printed: every table of the national picture, with a bar chart where
one helps, in any of the five languages (right to left in Hebrew and Arabic).

Made in memory; the caller writes the bytes where the user chose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from shelter_desk.i18n import N_
from shelter_desk.reports.layout import Label, PageFrame
from shelter_desk.reports.national_charts import Bar, ReportSheet
from shelter_desk.reports.national_tables import Count, Key, Money, Table, Words

SUPPRESSED_FOOTER = N_("Aggregate figures: counts from 1 to 4 are shown as <5.")
INTERNAL_FOOTER = N_("Internal working copy: small counts are not hidden.")
NO_ROWS = N_("Nothing to count in this period.")


def _key_lang(words: Words, key: Key) -> str | None:
    if key.kind == "msg":
        return words.text_lang(key.value)
    if key.kind in ("country", "month"):
        return words.lang
    return None  # an organisation's name or a currency code: from its letters


def _bars(table: Table, words: Words) -> list[Bar]:
    index = table.chart
    if index is None:
        return []
    bars = []
    for keys, cells in table.rows:
        cell = cells[index]
        label = " \u00b7 ".join(words.key(k) for k in keys)
        lang = _key_lang(words, keys[0]) if len(keys) == 1 else words.lang
        value: float | None
        if words.hidden(cell):
            value = None
        elif isinstance(cell, Count):
            value = float(cell.value)
        elif isinstance(cell, Money):
            value = float(cell.amount) if cell.amount is not None else None
        else:
            value = cell.value
        bars.append(Bar(label, lang, value, words.cell(cell)))
    return bars


def _widths(table: Table) -> list[float]:
    values = len(table.values)
    key_width = 2.6 if values <= 4 else 1.8
    return [key_width] * len(table.keys) + [1.0] * values


def render_report(
    tables: Sequence[Table],
    words: Words,
    *,
    organisation: str,
    title: tuple[str, str],
    description: Sequence[tuple[str, str]],
    paper: tuple[float, float],
    printed_on: dt.date,
    demo: bool = False,
) -> bytes:
    """The PDF: ``title`` and the lines of ``description`` (each translated text with the
    language it is in), then each table with its definition and, where it has one, its
    chart; ``demo`` puts the DEMO DATA mark on every page."""
    note = words.tr(SUPPRESSED_FOOTER if words.suppress else INTERNAL_FOOTER)
    frame = PageFrame(
        organisation=organisation,
        lang=words.lang,
        printed_on=printed_on,
        confidentiality=note,
        paper=paper,
        demo=demo,
    )
    sheet = ReportSheet(frame)
    sheet.canvas.setTitle(title[0])
    sheet.heading(Label(title[0], lang=title[1]))
    for text, text_lang in description:
        sheet.paragraph(text, lang=text_lang)
    small = sheet.style.secondary_size + 1
    for table in tables:
        sheet.ensure_space(120)
        sheet.heading(Label(words.tr(table.title), lang=words.text_lang(table.title)))
        sheet.paragraph(
            words.tr(table.definition), lang=words.text_lang(table.definition), size=small
        )
        if not table.rows:
            sheet.paragraph(words.tr(NO_ROWS), lang=words.text_lang(NO_ROWS))
            continue
        sheet.bar_chart(_bars(table, words))
        headers = [
            Label(words.key(k), lang=_key_lang(words, k)) for k in (*table.keys, *table.values)
        ]
        rows = [
            [(words.key(k), _key_lang(words, k)) for k in keys]
            + [(words.cell(c), words.lang) for c in cells]
            for keys, cells in table.rows
        ]
        sheet.table(headers, _widths(table), rows)
    return sheet.finish()
