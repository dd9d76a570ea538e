"""The period report as an XLSX workbook: a sheet of the report's description and
definitions, then one sheet per breakdown.

Made in memory only: openpyxl writes each worksheet to a temporary file before zipping it,
so :class:`_MemoryWriter` writes them to memory instead (no figure ever touches the disk
before the user's own file is written). Numbers stay numbers; a suppressed count is the
text "<5". Hebrew and Arabic workbooks are laid out right to left.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from shelter_desk.i18n import N_
from shelter_desk.reports.national_tables import Table, Words

DEFINITIONS = N_("Definitions")
SHEET_NAME_LENGTH = 31
_NOT_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})


class _MemoryWriter(ExcelWriter):
    """openpyxl's writer with each worksheet written to memory instead of a temp file."""

    def write_worksheet(self, ws: Worksheet) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        out = io.BytesIO()
        writer = WorksheetWriter(ws, out=out)
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], out.getvalue())
        self.manifest.append(ws)


def in_memory(book: Workbook) -> bytes:
    """The workbook's bytes, made without a temporary file (see :class:`_MemoryWriter`)."""
    buffer = io.BytesIO()
    with ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        _MemoryWriter(book, archive).save()
    return buffer.getvalue()


def sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\, unique."""
    base = " ".join(title.translate(_NOT_IN_SHEET_NAMES).split())[:SHEET_NAME_LENGTH] or "-"
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix
        n += 1
    taken.add(name.casefold())
    return name


def _widths(ws: Worksheet, rows: Sequence[Sequence[object]]) -> None:
    for index in range(max((len(r) for r in rows), default=0)):
        longest = max((len(str(r[index])) for r in rows if index < len(r)), default=8)
        letter = ws.cell(row=1, column=index + 1).column_letter
        ws.column_dimensions[letter].width = min(60, max(10, longest + 2))


def workbook(
    tables: Sequence[Table], words: Words, title: str, description: Sequence[str]
) -> bytes:
    """The workbook's bytes: the first sheet says what the report is (``title``, then the
    lines of ``description``) and defines every breakdown; one sheet per table follows."""
    book = Workbook()
    taken: set[str] = set()
    bold = Font(bold=True)
    first = book.active
    assert first is not None
    first.title = sheet_name(words.tr(DEFINITIONS), taken)
    first.append([title])
    first["A1"].font = Font(bold=True, size=14)
    for line in description:
        first.append([line])
    first.append([])
    names: list[str] = []
    for table in tables:
        names.append(sheet_name(words.tr(table.title), taken))
    for table, name in zip(tables, names, strict=True):
        first.append([name, words.tr(table.definition)])
        first.cell(row=first.max_row, column=1).font = bold
        first.cell(row=first.max_row, column=2).alignment = Alignment(wrap_text=True)
    first.column_dimensions["A"].width = 34
    first.column_dimensions["B"].width = 100
    for table, name in zip(tables, names, strict=True):
        ws = book.create_sheet(name)
        ws.append([words.tr(table.title)])
        ws["A1"].font = Font(bold=True, size=12)
        headers: list[object] = list(words.headers(table))
        ws.append(headers)
        for cell in ws[2]:
            cell.font = bold
        written: list[list[object]] = [headers]
        for keys, cells in table.rows:
            row: list[object] = [words.key(k) for k in keys] + [words.raw(c) for c in cells]
            ws.append(row)
            written.append(row)
        ws.freeze_panes = "A3"
        _widths(ws, written)
    for ws in book.worksheets:
        ws.sheet_view.rightToLeft = words.rtl
    return in_memory(book)
