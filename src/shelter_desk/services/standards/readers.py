"""A spreadsheet file's bytes as a header and rows of text: CSV in any common encoding and
separator, or an XLSX workbook (IOM's HTCDS template, a KoBo/ODK XLSX export).

CSV: the encoding is UTF-8 (with or without a byte-order mark), UTF-16 (with a mark, or
recognised by its zero bytes), or one of the Windows code pages Excel writes in the regions
Shelter Desk serves (1256 Arabic, 1255 Hebrew, 1251 Cyrillic, 1252 Western European); the
code page is chosen by which one turns the bytes into letters of a single script, and
``charset-normalizer`` decides when none of them does. The separator is the one of
``, ; TAB |`` that splits the header line into the most columns.

XLSX (read with ``python-calamine``): the sheet whose first rows hold the most column names
``recognise`` knows; the header is the row with the most known names, field names counting
twice (IOM's template has a hidden row of field names above a row of labels, and a
row-counter column without a name). Cells become text: dates as ISO dates, numbers without
a trailing ``.0``, booleans as ``true``/``false``.

Row numbers are the file's own (a spreadsheet program's row numbers), so an error can say
where to look. Rows that are empty in every named column are left out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import charset_normalizer
import python_calamine

from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.i18n import _

DELIMITERS = (",", ";", "\t", "|")
# Code page -> the Unicode script its letters belong to.
_CODE_PAGES = (("cp1256", "ARABIC"), ("cp1255", "HEBREW"), ("cp1251", "CYRILLIC"))
_LATIN_PAGE = "cp1252"
_HEADER_SCAN_ROWS = 12
_FIELD_NAME = re.compile(r"^[a-z]{2,4}_[A-Za-z]")


@dataclass
class Table:
    """What a file holds: its column names, its rows as text, and how it was read."""

    header: list[str]
    rows: list[list[str]]
    row_numbers: list[int]  # the file's row number of each row
    kind: str  # "csv" or "xlsx"
    encoding: str = ""  # CSV only: "utf-8", "cp1256"...
    delimiter: str = ""  # CSV only
    sheet: str = ""  # XLSX only
    labels: list[str] = field(default_factory=list)  # XLSX: the label row under the header


def read_table(data: bytes, recognise: Callable[[str], bool]) -> Table:
    """Read a CSV or XLSX file; ``recognise`` says whether a header cell is a known column."""
    if not data.strip():
        raise ShelterDeskError(_("The file is empty."))
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, recognise)
    if data.startswith(b"age-encryption.org/"):  # the CLI opens these before reading
        raise ShelterDeskError(
            _(
                "This export is encrypted. Import it with the command line"
                " (shelter-desk import htcds FILE), which asks for its passphrase."
            )
        )
    return _read_csv(data)


# --- CSV -------------------------------------------------------------------------------
def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16"), "utf-16"
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0) * 3 >= len(sample):
        little = sample[1::2].count(0) > sample[0::2].count(0)
        name = "utf-16-le" if little else "utf-16-be"
        return _strict(data, name), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:  # binary: no text of an 8-bit code page has zero bytes
        raise ShelterDeskError(_not_recognised())
    best, best_score = "", 0.0
    for name, script in (*_CODE_PAGES, (_LATIN_PAGE, "LATIN")):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        score = _script_score(text, script)
        if score > best_score:
            best, best_score = name, score
    if best and best_score >= 0.9:
        return data.decode(best), best
    match = charset_normalizer.from_bytes(data).best()
    if match is None:
        raise ShelterDeskError(_not_recognised())
    return str(match), match.encoding


def _not_recognised() -> str:
    return _(
        "The file's text encoding was not recognised. Save it again as"
        " \u201cCSV UTF-8\u201d (or as an Excel workbook) and import that."
    )


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ShelterDeskError(
            _("The file says it is {encoding} text but is not: save it again as CSV UTF-8.").format(
                encoding=encoding.upper()
            )
        ) from exc


def _script_score(text: str, script: str) -> float:
    """How well the non-ASCII letters of ``text`` read as ``script``: the share of them in
    that script. For Arabic, Hebrew and Cyrillic, less for each such letter glued to a Latin
    one (``HיlטnטN`` is French read as Hebrew); for Latin, halved when most letters are
    non-ASCII (what an Arabic or Hebrew file read as Latin looks like)."""
    others = [i for i, c in enumerate(text) if ord(c) > 127 and not c.isspace()]
    if not others:
        return 0.0
    in_script = sum(1 for i in others if unicodedata.name(text[i], "").startswith(script))
    score = in_script / len(others)
    if script == "LATIN":
        letters = sum(1 for c in text if c.isalpha())
        if letters and len(others) * 2 > letters:
            score /= 2
        return score
    glued = sum(1 for i in others if _ascii_letter_beside(text, i))
    return score * (1 - glued / len(others))


def _ascii_letter_beside(text: str, i: int) -> bool:
    return any(
        0 <= j < len(text) and text[j].isascii() and text[j].isalpha() for j in (i - 1, i + 1)
    )


def sniff_delimiter(text: str) -> str:
    """The separator that splits the header line into the most columns (a comma on a tie)."""
    first = next(iter(text.splitlines()), "")
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], d == ","))


def _read_csv(data: bytes) -> Table:
    text, encoding = decode(data)
    if text.startswith("\ufeff"):
        text = text[1:]
    delimiter = sniff_delimiter(text)
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ShelterDeskError(_("The file is not a readable CSV file.")) from exc
    if not lines or not any(h.strip() for h in lines[0]):
        raise ShelterDeskError(_("The file has no header row."))
    header = [h.strip() for h in lines[0]]
    rows, numbers = _kept(lines[1:], 2, header)
    return Table(header, rows, numbers, "csv", encoding=encoding, delimiter=delimiter)


def _kept(
    lines: Iterable[Sequence[str]], first: int, header: list[str]
) -> tuple[list[list[str]], list[int]]:
    """The rows that have text in a named column, padded to the header, with their numbers."""
    named = [i for i, h in enumerate(header) if h]
    width = len(header)
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, line in enumerate(lines, start=first):
        cells = list(line[:width])
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        if any(cells[i].strip() for i in named):
            rows.append(cells)
            numbers.append(number)
    return rows, numbers


# --- XLSX ------------------------------------------------------------------------------
def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sheet_lines(sheet: python_calamine.CalamineSheet) -> list[list[str]]:
    """The sheet's cells as text, from cell A1 (calamine starts at the first cell used)."""
    top, left = sheet.start or (0, 0)
    lines: list[list[str]] = [[] for _row in range(top)]
    pad = [""] * left
    lines += [pad + [_cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
    return lines


def _read_xlsx(data: bytes, recognise: Callable[[str], bool]) -> Table:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [
            (name, _sheet_lines(workbook.get_sheet_by_name(name))) for name in workbook.sheet_names
        ]
    except python_calamine.CalamineError as exc:
        raise ShelterDeskError(_("The file is not a readable Excel workbook (.xlsx).")) from exc
    best: tuple[int, int, int] | None = None  # (known names, sheet, header row index)
    for number, (_name, lines) in enumerate(sheets):
        for index, row in enumerate(lines[:_HEADER_SCAN_ROWS]):
            # Field names (prs_FirstName) count twice: above a row of labels, the names win.
            known = sum(
                1 + bool(_FIELD_NAME.match(cell.strip()))
                for cell in row
                if cell.strip() and recognise(cell.strip())
            )
            if known and (best is None or known > best[0]):
                best = (known, number, index)
    if best is None:
        raise ShelterDeskError(
            _("No sheet of the workbook has HTCDS column names in its first rows.")
        )
    _known, number, header_index = best
    title, lines = sheets[number]
    header = [h.strip() for h in lines[header_index]]
    first = header_index + 1
    labels: list[str] = []
    if first < len(lines) and _is_label_row(lines[first], header, recognise):
        labels = [c.strip() for c in lines[first]] + [""] * (len(header) - len(lines[first]))
        for i, name in enumerate(header):
            if not name and i < len(labels) and recognise(labels[i]):
                header[i] = labels[i]  # IOM's template leaves one field name out
        first += 1
    rows, numbers = _kept(lines[first:], first + 1, header)
    return Table(header, rows, numbers, "xlsx", sheet=title, labels=labels)


def _is_label_row(row: Sequence[str], header: list[str], recognise: Callable[[str], bool]) -> bool:
    """A row of column labels (``First Name`` under ``prs_FirstName``) rather than a case."""
    texts = [c.strip() for c in row if c and c.strip()]
    if len(texts) < 3:
        return False
    return sum(1 for t in texts if recognise(t)) * 2 > len(texts)
