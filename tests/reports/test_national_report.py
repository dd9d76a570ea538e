"""The period report of a coordinator that imported two shelters' bundles, per organisation,
as XLSX (read back with openpyxl) and as PDF (text read back with pypdf), in every language."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from openpyxl import load_workbook

from shelter_desk.i18n import LANGUAGES, locale
from shelter_desk.reports.layout import translated
from shelter_desk.reports.national_tables import SUPPRESSED
from shelter_desk.services import reports
from shelter_desk.services.reports import period as periods
from tests.services.case_helpers import TODAY
from tests.services.national_world import World, build

YEAR = periods.year(2026)
BAR_FILL = b".25 .42 .62 rg"  # the fill colour of the bars


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    made = build(tmp_path_factory.mktemp("national-report"))
    yield made
    made.close()


def _report(world: World, fmt: str, lang: str, *, org: str = "", internal: bool = False) -> bytes:
    session = world.coordinator.session
    filters = reports.make_filters(session, org=org)
    return reports.report(
        session, YEAR, filters, fmt=fmt, lang=lang, internal=internal, today=TODAY
    )


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _country(lang: str, code: str) -> str:
    return str(locale(lang).territories[code])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_workbook_per_organisation_in_every_language(world: World, lang: str) -> None:
    data = _report(world, "xlsx", lang, org="Hope House", internal=True)
    book = load_workbook(io.BytesIO(data))
    figures = reports.national_figures(
        world.coordinator.session,
        YEAR,
        reports.make_filters(world.coordinator.session, org="Hope House"),
        today=TODAY,
    )
    assert len(book.worksheets) == 1 + len(figures.tables)  # definitions, then one per table
    definitions = book.worksheets[0]
    assert "Hope House" in " ".join(str(c.value) for c in definitions["A"] if c.value)
    sheets = dict(zip((t.key for t in figures.tables), book.worksheets[1:], strict=True))
    per_org = [[c.value for c in row] for row in sheets["organisations"].iter_rows(min_row=3)]
    assert per_org == [["Hope House", 3, 2, 1, 1, 1, 1, 1]]
    citizenship = {row[0].value: row[1].value for row in sheets["citizenship"].iter_rows(min_row=3)}
    assert citizenship[_country(lang, "UA")] == 1 and _country(lang, "PH") not in citizenship
    exploitation = [row[0].value for row in sheets["exploitation"].iter_rows(min_row=3)]
    assert translated(lang, "Forced labour") in exploitation
    for ws in book.worksheets:
        assert ws.sheet_view.rightToLeft == (lang in ("he", "ar"))


def test_the_workbook_hides_small_counts_unless_internal(world: World) -> None:
    hidden = load_workbook(io.BytesIO(_report(world, "xlsx", "en")))
    shown = load_workbook(io.BytesIO(_report(world, "xlsx", "en", internal=True)))
    for ws_hidden, ws_shown in zip(hidden.worksheets[1:], shown.worksheets[1:], strict=True):
        for row_hidden, row_shown in zip(
            ws_hidden.iter_rows(min_row=3), ws_shown.iter_rows(min_row=3), strict=True
        ):
            for a, b in zip(row_hidden, row_shown, strict=True):
                if isinstance(b.value, int) and 1 <= b.value <= 4:
                    assert a.value == SUPPRESSED
                elif b.value == 0:
                    assert a.value == 0
    summary = {r[0].value: r[1].value for r in hidden.worksheets[1].iter_rows(min_row=3)}
    assert summary["People identified"] == SUPPRESSED
    returns = [
        [c.value for c in r] for r in hidden["Returns (AVRR) and their cost"].iter_rows(min_row=3)
    ]
    assert returns == [["USD", SUPPRESSED, SUPPRESSED, SUPPRESSED]]  # one person's cost


def test_the_workbook_is_made_in_memory(world: World, tmp_path: Path) -> None:
    spy = tmp_path / "tmp"
    spy.mkdir()
    before = tempfile.tempdir
    tempfile.tempdir = str(spy)
    try:
        _report(world, "xlsx", "ar", internal=True)
    finally:
        tempfile.tempdir = before
    assert list(spy.iterdir()) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_printed_report_per_organisation_in_every_language(world: World, lang: str) -> None:
    pdf = _report(world, "pdf", lang, org="Hope House", internal=True)
    text = _pdf_text(pdf)
    assert "Hope House" in text and "Safe Haven" not in text
    assert _country(lang, "UA") in text and _country(lang, "SD") in text
    assert translated(lang, "Forced labour") in text
    assert translated(lang, "Support period completed") in text
    page_one = translated(lang, "Page {page} of {total}").split("{page}")[0].strip()
    assert page_one in text
    assert SUPPRESSED not in text  # the internal copy hides nothing
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert any(BAR_FILL in page.get_contents().get_data() for page in reader.pages)


def test_the_printed_report_hides_small_counts(world: World) -> None:
    text = _pdf_text(_report(world, "pdf", "en"))
    assert SUPPRESSED in text
    assert "Counts from 1 to 4 are shown as <5" in text
    assert "Hope House" in text and "Safe Haven" in text


@pytest.mark.parametrize("lang", ["ar", "he"])
def test_right_to_left_reports_start_on_the_right(world: World, lang: str) -> None:
    pdf = _report(world, "pdf", lang, internal=True)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    width = float(reader.pages[0].mediabox.width)
    name = _country(lang, "UA")
    # The text layer may write a word in several pieces: join the pieces in reading order
    # and take the positions of the pieces that make up each occurrence of the name.
    pieces: list[tuple[str, float]] = []

    def visit(text: str, _cm: object, tm: list[float], *_rest: object) -> None:
        if text:
            pieces.append((text, tm[4]))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    joined = "".join(text for text, _x in pieces)
    owner = [x for text, x in pieces for _char in text]
    found = [
        owner[i]
        for start in range(len(joined))
        if joined.startswith(name, start)
        for i in range(start, start + len(name))
    ]
    assert found, "the country's name is printed"
    assert all(x > width / 2 for x in found)
