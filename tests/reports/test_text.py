"""The text engine: bidi levels, shaping, font fallback, measuring and wrapping."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable

import pytest
from bidi import get_display
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.pdfgen.canvas import Canvas

from shelter_desk.reports.text import (
    bidi_levels,
    draw_paragraph,
    draw_text,
    isolate_numbers,
    paragraph_is_rtl,
    shape_line,
    text_width,
    visual_order,
    wrap_paragraph,
)

SAMPLES = [
    ("en", "Case number: 2024-17, John Smith (urgent)"),
    ("ru", "Номер дела: 2024-17, Иван Петров"),
    ("ka", "საქმის ნომერი: 2024-17, გიორგი"),
    ("he", "מספר תיק: 2024-17 (דחוף), John Smith"),
    ("ar", "رقم الحالة: 2024-17"),
    ("ar", "اسم المنسقة: Maria Lopez، الهاتف +962 79 123 4567"),
    ("ar", "تاريخ الوصول 17/04/2024 الساعة 10:30"),
    ("ar", "مُحَمَّد يحيى"),
    ("ar", "لا توجد ملاحظات للأسرة"),
]


def test_raw_bidi_reverses_case_numbers_after_arabic_and_isolation_fixes_it() -> None:
    text = "رقم الحالة: 2024-17"
    raw = bidi_levels(text, rtl=True)
    assert raw[text.index("-")] == 1  # the hyphen is resolved right to left...
    assert str(get_display(text, base_dir="R")).startswith("17-2024")  # ...so 17-2024
    isolated = isolate_numbers(text)
    assert isolated.endswith("\u20662024-17\u2069")
    levels = bidi_levels(isolated, rtl=True)
    number = isolated.index("2024")
    assert all(level % 2 == 0 for level in levels[number : number + 7])
    assert shape_line(text, rtl=True).visual_text().startswith("2024-17 ")


def test_isolate_numbers_keeps_phone_numbers_and_dates_whole() -> None:
    assert isolate_numbers("tel +962 79 123 4567.") == "tel \u2066+962 79 123 4567\u2069."
    assert isolate_numbers("17/04/2024 و 10:30") == "\u206617/04/2024\u2069 و \u206610:30\u2069"
    assert isolate_numbers("عمره 25 سنة") == "عمره 25 سنة"  # a lone number needs nothing


def test_visual_order_reverses_right_to_left_levels() -> None:
    assert visual_order([0, 0, 0]) == [0, 1, 2]
    assert visual_order([1, 1, 1]) == [2, 1, 0]
    # English inside Arabic: the Latin run keeps its inner order, the whole is reversed.
    assert visual_order([1, 2, 2, 1]) == [3, 1, 2, 0]
    assert visual_order([0, 1, 1, 0]) == [0, 2, 1, 3]


@pytest.mark.parametrize(("lang", "text"), SAMPLES)
def test_shaped_line_reads_as_bidi_display_order(
    expected_visual: Callable[[str, bool], str], lang: str, text: str
) -> None:
    rtl = paragraph_is_rtl(text, lang)
    shaped = shape_line(text, rtl)
    assert unicodedata.normalize("NFKC", shaped.visual_text()) == expected_visual(text, rtl)


@pytest.mark.parametrize(("lang", "text"), SAMPLES)
def test_every_shaped_glyph_exists_in_its_font(lang: str, text: str) -> None:
    for bold in (False, True):
        shaped = shape_line(text, paragraph_is_rtl(text, lang), bold)
        for run in shaped.runs:
            assert run.face.name.startswith("ShelterDesk-Noto")
            for glyph in run.glyphs:
                assert glyph.gid != 0, (run.face.name, glyph)  # not .notdef


def test_arabic_letters_are_joined_not_isolated() -> None:
    shaped = shape_line("محمد", rtl=True)
    (run,) = shaped.runs
    isolated_glyph = run.face.ttf.face.charToGlyph[ord("م")]
    drawn = [g.gid for g in run.glyphs]
    assert len(drawn) == 4
    assert isolated_glyph not in drawn  # initial and medial forms, not the isolated one


def test_latin_names_inside_arabic_keep_their_order(
    expected_visual: Callable[[str, bool], str],
) -> None:
    text = "اسم الضحية John Smith من مصر"
    visual = shape_line(text, rtl=True).visual_text()
    assert "John Smith" in visual
    assert visual.index("John") > visual.index(expected_visual("من مصر", True))


def test_direction_comes_from_language_or_first_strong_letter() -> None:
    assert paragraph_is_rtl("Case", "ar")
    assert paragraph_is_rtl("Case", "he")
    assert not paragraph_is_rtl("رقم", "en")
    assert paragraph_is_rtl("2024 رقم", None)
    assert not paragraph_is_rtl("2024 Case رقم", None)


def test_text_width_uses_shaped_advances() -> None:
    assert text_width("", 10, "en") == 0
    width = text_width("Case 2024-17", 10, "en")
    assert width == pytest.approx(2 * text_width("Case 2024-17", 5, "en"))
    # Hebrew borrows Noto Sans digits: the same digits measure the same.
    assert text_width("2024", 10, "he") == pytest.approx(text_width("2024", 10, "en"))
    assert text_width("مُحَمَّد", 10, "ar") == pytest.approx(text_width("محمد", 10, "ar"))


LONG_ARABIC = (
    "يلتزم المأوى بحماية بيانات الضحايا، ولا يجوز نسخ هذا النموذج أو مشاركته إلا بإذن "
    "المنسق John Smith، وتحفظ النسخة الورقية في خزانة مقفلة حتى تاريخ 2024-12-31 ثم تتلف."
)


def test_wrapped_arabic_paragraph_keeps_lines_in_reading_order(
    expected_visual: Callable[[str, bool], str],
) -> None:
    lines = wrap_paragraph(LONG_ARABIC, 180, 10, "ar")
    assert len(lines) >= 4
    assert all(line.width <= 180 + 1e-6 for line in lines)
    assert all(line.rtl for line in lines)
    assert " ".join(line.text for line in lines) == LONG_ARABIC
    assert lines[0].text.startswith("يلتزم المأوى")
    assert lines[-1].text.endswith("ثم تتلف.")
    # Each line is reordered on its own: the first logical words sit at its right end.
    first = lines[0].shaped.visual_text()
    assert first.endswith(expected_visual("يلتزم المأوى", True))
    numbered = next(line for line in lines if "2024-12-31" in line.text)
    assert "2024-12-31" in numbered.shaped.visual_text()


def test_wrap_keeps_hard_line_breaks_and_cuts_overlong_words() -> None:
    lines = wrap_paragraph("first line\nsecond", 500, 10, "en")
    assert [line.text for line in lines] == ["first line", "second"]
    long_word = "Ж" * 60
    cut = wrap_paragraph(long_word, 100, 10, "ru")
    assert len(cut) > 1
    assert "".join(line.text for line in cut) == long_word
    assert all(line.width <= 100 for line in cut)
    assert wrap_paragraph("   ", 100, 10, "en") == []


def _text_positions(pdf: bytes) -> list[float]:
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    content = ContentStream(page.get_contents(), reader)
    # beginText() first resets the text matrix to the origin; skip that.
    return [
        float(ops[4])
        for ops, op in content.operations
        if op == b"Tm" and (float(ops[4]), float(ops[5])) != (0.0, 0.0)
    ]


def _pdf_of(draw: object) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    draw(canvas)  # type: ignore[operator]
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("lang", "align", "expected_left"),
    [
        ("en", "start", 300.0),
        ("en", "end", 300.0 - 1.0),  # 1.0 stands for "minus the width"
        ("ar", "start", 300.0 - 1.0),
        ("ar", "end", 300.0),
    ],
)
def test_start_is_left_in_ltr_and_right_in_rtl(lang: str, align: str, expected_left: float) -> None:
    text = "رقم الحالة" if lang == "ar" else "Case number"
    widths: list[float] = []

    def draw(canvas: Canvas) -> None:
        widths.append(draw_text(canvas, 300, 500, text, 12, lang=lang, align=align))  # type: ignore[arg-type]

    positions = _text_positions(_pdf_of(draw))
    left = 300.0 - widths[0] if expected_left < 300.0 else 300.0
    assert min(positions) == pytest.approx(left, abs=0.01)


def test_draw_paragraph_returns_the_height_it_used() -> None:
    heights: list[float] = []

    def draw(canvas: Canvas) -> None:
        heights.append(draw_paragraph(canvas, 50, 700, LONG_ARABIC, 10, 180, lang="ar"))
        heights.append(draw_paragraph(canvas, 50, 400, "One line", 10, 180, lang="en"))

    pdf = _pdf_of(draw)
    count = len(wrap_paragraph(LONG_ARABIC, 180, 10, "ar"))
    assert heights[0] == pytest.approx(10 * (1.07 + 0.3) + 14 * (count - 1))
    assert heights[1] == pytest.approx(10 * (1.07 + 0.3))
    positions = _text_positions(pdf)
    assert all(50 - 0.01 <= x <= 230 for x in positions)
