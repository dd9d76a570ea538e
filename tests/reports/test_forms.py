"""Printed-form pages in five languages and two bilingual pairs, checked as real PDFs.

Each test builds a form in memory (BytesIO; nothing is written to disk) and reads it back
with pypdf: fonts embedded as subsets, text extracted as typed (logical order, whatever
the script), page frame on every page. "Expected" text for a line is defined by the
``expected_visual`` fixture below: the string itself, as a reader extracts it. Missing glyphs
are ruled out in code (every character has a face, no drawn code is a subset's .notdef
code 0), and pages are rendered with QtPdf to check that right-to-left forms are mirrored.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from babel import dates
from pypdf import PdfReader

from shelter_desk.i18n import current_language, locale
from shelter_desk.reports.fonts import missing_characters
from shelter_desk.reports.layout import (
    CASE_NUMBER as CASE_NUMBER_LABEL,
)
from shelter_desk.reports.layout import (
    CONFIDENTIAL,
    LETTER,
    PAGE_OF,
    FormWriter,
    Label,
    PageFrame,
    label_for,
    paper_for_locale,
    translated,
)
from shelter_desk.reports.text import paragraph_is_rtl, wrap_paragraph
from tests.reports.conftest import drawn_glyphs, logical_reference, pdfium_document

A4 = (595.2755905511812, 841.8897637795277)
PRINTED = dt.date(2024, 4, 17)
PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")


@dataclass(frozen=True)
class FormText:
    organisation: str
    heading: str
    name: str
    name_value: str
    notes: str
    status: str
    options: tuple[str, str, str]
    paragraph: str


TEXTS = {
    "en": FormText(
        "Hope Shelter",
        "Case details",
        "Full name",
        "Maria Lopez",
        "Notes",
        "Status",
        ("Victim", "Witness", "Companion"),
        "The person was referred by the hotline on 2024-04-17 and agreed to an interview.",
    ),
    "he": FormText(
        "מקלט תקווה",
        "פרטי התיק",
        "שם מלא",
        "מרים כהן",
        "הערות",
        "מצב",
        ("נפגעת", "עדה", "מלווה"),
        "האישה הופנתה על ידי הקו החם בתאריך 2024-04-17 והסכימה לראיון (בנוכחות מתורגמנית).",
    ),
    "ar": FormText(
        "دار الأمل",
        "بيانات الحالة",
        "الاسم الكامل",
        "فاطمة Maria Lopez",
        "ملاحظات",
        "الوضع",
        ("ضحية", "شاهد", "مرافق"),
        "رقم الحالة: 2024-17 أحيلت السيدة من الخط الساخن ووافقت على المقابلة.",
    ),
    "ka": FormText(
        "თავშესაფარი იმედი",
        "საქმის დეტალები",
        "სრული სახელი",
        "ნინო ბერიძე",
        "შენიშვნები",
        "სტატუსი",
        ("მსხვერპლი", "მოწმე", "თანმხლები"),
        "პირი ცხელმა ხაზმა გადმოგზავნა 2024-04-17 და დათანხმდა გასაუბრებას.",
    ),
    "ru": FormText(
        "Приют Надежда",
        "Сведения о деле",
        "Полное имя",
        "Анна Иванова",
        "Примечания",
        "Статус",
        ("Пострадавшая", "Свидетель", "Сопровождающий"),
        "Женщина направлена горячей линией 2024-04-17 и согласилась на беседу.",
    ),
}

LANGUAGE_SETS = [("en", None), ("he", None), ("ar", None), ("ka", None), ("ru", None)]
BILINGUAL = [("ar", "en"), ("ka", "ru")]
CASE_NUMBER = "2024-17"


def pair(key: str, lang: str, second: str | None) -> Label:
    first = getattr(TEXTS[lang], key)
    return Label(first, getattr(TEXTS[second], key) if second else None)


def build_form(lang: str, second: str | None, *, paragraphs: int = 1) -> tuple[bytes, FormWriter]:
    frame = PageFrame(
        organisation=TEXTS[lang].organisation,
        lang=lang,
        case_number=CASE_NUMBER,
        secondary_lang=second,
        printed_on=PRINTED,
        paper=A4,
    )
    writer = FormWriter(frame)
    writer.heading(pair("heading", lang, second))
    writer.field(pair("name", lang, second), TEXTS[lang].name_value)
    writer.field(pair("notes", lang, second), lines=2)
    options = [
        (str(i), Label(TEXTS[lang].options[i], TEXTS[second].options[i] if second else None))
        for i in range(3)
    ]
    writer.tick_boxes(pair("status", lang, second), options, {"0"}, columns=3)
    for _ in range(paragraphs):
        writer.paragraph(TEXTS[lang].paragraph)
    writer.signature()
    return writer.finish(), writer


def page_texts(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [
        unicodedata.normalize("NFKC", logical_reference(page.extract_text()))
        for page in reader.pages
    ]


@pytest.fixture
def expected_visual() -> Callable[[str, bool], str]:
    """Extracted text is the text as typed: what to find for a drawn string."""
    return lambda text, rtl: unicodedata.normalize("NFKC", logical_reference(text))


def drawn_strings(lang: str, second: str | None) -> Iterator[tuple[str, str]]:
    for language in filter(None, (lang, second)):
        texts = TEXTS[language]
        yield from (
            (value, language)
            for value in (texts.heading, texts.name, texts.notes, texts.status, *texts.options)
        )
    yield TEXTS[lang].organisation, lang
    yield TEXTS[lang].name_value, lang


ALL_SETS = LANGUAGE_SETS + BILINGUAL


@pytest.mark.parametrize(("lang", "second"), ALL_SETS)
def test_fonts_are_embedded_subsets_of_the_bundled_faces(lang: str, second: str | None) -> None:
    pdf, _ = build_form(lang, second)
    reader = PdfReader(io.BytesIO(pdf))
    seen = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for reference in resources["/Font"].values():
            font = reference.get_object()
            base = str(font["/BaseFont"])
            seen.add(base.split("+", 1)[1])
            assert re.fullmatch(
                r"/[A-Z]{6}\+NotoSans(Arabic|Hebrew|Georgian)?-(Regular|Bold)", base
            )
            assert font["/Subtype"] == "/TrueType"
            assert "/FontFile2" in font["/FontDescriptor"].get_object()
            assert "/ToUnicode" in font
    assert b"Helvetica" not in pdf
    script_face = {"he": "NotoSansHebrew", "ar": "NotoSansArabic", "ka": "NotoSansGeorgian"}
    if lang in script_face:
        assert f"{script_face[lang]}-Regular" in seen


@pytest.mark.parametrize(("lang", "second"), ALL_SETS)
def test_extracted_text_is_each_string_in_display_order(
    expected_visual: Callable[[str, bool], str], lang: str, second: str | None
) -> None:
    pdf, writer = build_form(lang, second)
    (text,) = page_texts(pdf)
    assert not PRIVATE_USE.search(text), "a glyph's private code leaked into the text"
    for value, language in drawn_strings(lang, second):
        rtl = paragraph_is_rtl(value, language)
        assert expected_visual(value, rtl) in text, (value, language)
    rows = [row.strip() for row in text.splitlines()]
    paragraph = wrap_paragraph(TEXTS[lang].paragraph, writer.width, writer.style.text_size, lang)
    for line in paragraph:
        assert expected_visual(line.text, line.rtl) in rows


def test_case_number_keeps_its_order_in_arabic(expected_visual: Callable[[str, bool], str]) -> None:
    pdf, _ = build_form("ar", None)
    (text,) = page_texts(pdf)
    assert expected_visual("رقم الحالة: 2024-17", True) in text
    assert "رقم الحالة: 2024-17" in text
    assert "17-2024" not in text


def test_latin_names_inside_arabic_survive() -> None:
    pdf, _ = build_form("ar", "en")
    (text,) = page_texts(pdf)
    assert "Maria Lopez" in text
    assert "فاطمة Maria Lopez" in text  # the Latin name after the Arabic one, as typed


LONG_ARABIC = " ".join(
    [
        "يلتزم المأوى بحماية بيانات الضحايا، ولا يجوز نسخ هذا النموذج أو مشاركته إلا بإذن",
        "المنسق John Smith، وتحفظ النسخة الورقية في خزانة مقفلة حتى تاريخ 2024-12-31 ثم",
        "تتلف بطريقة آمنة. يوقع الموظف المسؤول على سجل الاطلاع في كل مرة يفتح فيها الملف،",
        "ويبلغ المنسق فوراً عن أي فقدان أو اطلاع غير مأذون به.",
    ]
)


def test_long_arabic_paragraph_lines_stay_in_reading_order(
    expected_visual: Callable[[str, bool], str],
) -> None:
    frame = PageFrame("دار الأمل", "ar", CASE_NUMBER, printed_on=PRINTED, paper=A4)
    writer = FormWriter(frame)
    writer.paragraph(LONG_ARABIC)
    pdf = writer.finish()
    (text,) = page_texts(pdf)
    rows = [row.strip() for row in text.splitlines() if row.strip()]
    lines = wrap_paragraph(LONG_ARABIC, writer.width, writer.style.text_size, "ar")
    assert len(lines) >= 3
    positions = [rows.index(expected_visual(line.text, True)) for line in lines]
    assert positions == sorted(positions)
    assert rows[positions[0]].startswith(expected_visual("يلتزم المأوى بحماية", True))
    assert "2024-12-31" in text
    assert "John Smith" in text


def test_page_n_of_m_and_frame_on_every_page() -> None:
    pdf, _ = build_form("ru", None, paragraphs=70)
    texts = page_texts(pdf)
    total = len(texts)
    assert total >= 3
    printed = unicodedata.normalize(
        "NFKC", dates.format_date(PRINTED, format="long", locale=locale("ru"))
    )
    for number, text in enumerate(texts, start=1):
        assert translated("ru", PAGE_OF).format(page=number, total=total) in text
        assert "Приют Надежда" in text
        assert translated("ru", CASE_NUMBER_LABEL).format(number=CASE_NUMBER) in text
        assert printed in text
        assert translated("ru", CONFIDENTIAL) in text


def test_frame_in_arabic_puts_the_date_in_arabic_order(
    expected_visual: Callable[[str, bool], str],
) -> None:
    pdf, _ = build_form("ar", "en")
    (text,) = page_texts(pdf)
    date = dates.format_date(PRINTED, format="long", locale=locale("ar"))
    assert date == "17 أبريل 2024"
    assert expected_visual(date, True) in text  # as typed, whatever the display order


@pytest.mark.parametrize(("lang", "second"), ALL_SETS)
def test_no_missing_glyphs(lang: str, second: str | None) -> None:
    """Coverage in code: every character has a bundled face, and no drawn glyph is 0 (the
    .notdef box a font draws for a character it lacks)."""
    for value, _ in drawn_strings(lang, second):
        assert missing_characters(value) == set()
    assert missing_characters(TEXTS[lang].paragraph) == set()
    pdf, _ = build_form(lang, second)
    glyphs = drawn_glyphs(pdf)
    assert glyphs.notdef == 0
    assert glyphs.count > 200


def test_paper_size_follows_the_country_unless_set() -> None:
    assert paper_for_locale("en", "US") == LETTER
    assert paper_for_locale("ar", "JO") == pytest.approx(A4)
    assert paper_for_locale("en", "ca") == LETTER
    assert paper_for_locale("he") == pytest.approx(A4)  # he -> IL
    assert paper_for_locale("en") == LETTER  # en -> US
    assert paper_for_locale("en", "US", override="A4") == pytest.approx(A4)
    with pytest.raises(ValueError, match="paper size"):
        paper_for_locale("en", override="B5")


def test_translated_leaves_the_current_language_alone() -> None:
    before = current_language()
    assert translated("ar", "Signature") == "التوقيع"
    assert translated("ar", "Not in any catalogue") == "Not in any catalogue"
    assert current_language() == before
    label = label_for("Not in any catalogue", "ar", "en")
    assert label == Label("Not in any catalogue", "Not in any catalogue", "en", "en")


def test_finished_form_cannot_be_finished_again() -> None:
    pdf, writer = build_form("en", None)
    assert pdf.startswith(b"%PDF")
    with pytest.raises(RuntimeError):
        writer.finish()


# -- rendering --------------------------------------------------------------------------


class Ink:
    """A page rendered by QtPdf as greyscale, with ink counts in PDF coordinates."""

    def __init__(self, pdf: bytes, page: int, scale: float = 2.0) -> None:
        from PySide6.QtCore import QSize, Qt
        from PySide6.QtGui import QImage, QPainter

        with pdfium_document(pdf) as document:
            size = document.pagePointSize(page)
            self.height_pt = size.height()
            self.scale = scale
            pixels = QSize(int(size.width() * scale), int(size.height() * scale))
            rendered = document.render(page, pixels)  # transparent where nothing is drawn
        image = QImage(pixels, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        painter.drawImage(0, 0, rendered)
        painter.end()
        image = image.convertToFormat(QImage.Format.Format_Grayscale8)
        self.width = image.width()
        self.stride = image.bytesPerLine()
        self.pixels = bytes(image.constBits())[: self.stride * image.height()]

    def count(self, x0: float, y0: float, x1: float, y1: float) -> int:
        """Dark pixels in the PDF rectangle (x0, y0)-(x1, y1), y upwards."""
        left, right = int(x0 * self.scale), int(x1 * self.scale)
        top = int((self.height_pt - y1) * self.scale)
        bottom = int((self.height_pt - y0) * self.scale)
        return sum(
            1
            for row in range(top, bottom)
            for value in self.pixels[row * self.stride + left : row * self.stride + right]
            if value < 128
        )


@pytest.mark.parametrize("lang", ["en", "ar", "he"])
def test_rendered_form_is_mirrored_for_right_to_left(qapp: object, lang: str) -> None:
    frame = PageFrame(TEXTS[lang].organisation, lang, CASE_NUMBER, printed_on=PRINTED, paper=A4)
    writer = FormWriter(frame)
    top = writer.y
    writer.field(TEXTS[lang].notes, lines=3)
    bottom = writer.y + writer.style.block_spacing
    ink = Ink(writer.finish(), 0)
    label_x = writer.span(0, writer.label_width)
    box_x = writer.span(writer.box_offset, writer.box_width)
    label_ink = ink.count(label_x, bottom, label_x + writer.label_width, top)
    inside_box = ink.count(box_x + 3, bottom + 3, box_x + writer.box_width - 3, top - 3)
    box_edges = ink.count(box_x - 1, bottom - 1, box_x + writer.box_width + 1, top + 1)
    assert label_ink > 20  # the label is drawn in its column...
    assert inside_box == 0  # ...the box is left blank for handwriting...
    assert box_edges > 100  # ...and its border is drawn
    on_right = label_x > writer.page_width / 2
    assert on_right == (lang in ("ar", "he"))
    assert ink.count(0, 0, writer.page_width, writer.page_height) > 1000
