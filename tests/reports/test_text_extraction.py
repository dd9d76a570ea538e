"""Text read back from printed PDFs is the logical string (what was typed), not the glyphs.

Copy and paste, search and screen readers read a PDF's text the way its text extractors
do. Two are used here: pypdf (content order) and poppler's pdftotext (positions, as the
viewers built on poppler). Every line must extract as the logical string: Arabic with its
lam-alef ligatures, shadda and tanween, Hebrew with niqqud, and -- with pypdf -- mixed
right-to-left text with numbers and Latin names. pdftotext rebuilds reading order with its
own simple bidi rule, which cannot give back a number or a Latin word inside right-to-left
text in logical order whatever the PDF holds, so it is held to the letters-only strings.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from shelter_desk.reports import forms_consent, forms_intake
from shelter_desk.reports.forms import render_form
from shelter_desk.reports.layout import FormStyle
from shelter_desk.reports.text import draw_paragraph, draw_text, wrap_paragraph
from tests.reports.conftest import BIDI_CONTROLS
from tests.reports.forms_catalogues import TRANSLATIONS, catalogues
from tests.reports.forms_sample import PRINTED, sample_case

A4 = (595.2755905511812, 841.8897637795277)
ORGANISATION = "جمعية الأمل"  # the example of the issue: lam-alef with hamza

# Letters, marks and punctuation only: what every extractor must give back exactly.
RTL_ONLY = [
    ("ar", "جمعية الأمل"),
    ("ar", "لا توجد ملاحظات للأسرة"),
    ("ar", "مُحَمَّد يحيى"),
    ("ar", "اقرأ هذه الاستمارة بصوت عالٍ مع الشخص"),
    ("ar", "راضٍ جداً"),
    ("ar", "يمكنك أن تغيّر رأيك في أي وقت."),
    ("he", "שָׁלוֹם עֲלֵיכֶם"),
    ("he", "בְּרֵאשִׁית בָּרָא"),
    ("he", "מה אנחנו רושמים ולמה"),
]
MIXED = [
    ("ar", "رقم الحالة: 2024-17"),
    ("ar", "اسم المنسقة: Maria Lopez، الهاتف +962 79 123 4567"),
    ("ar", "تاريخ الوصول 17/04/2024 الساعة 10:30"),
    ("he", "מספר תיק: 2024-17 (דחוף), John Smith"),
    ("he", "סיכום תיק \u2066HH-2026-0017\u2069 כפי שנרשם בתאריך 17 באפריל 2024."),
    ("en", "Name: فاطمة حداد (Fatima Haddad)"),
]
PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="poppler-utils not installed")
_CONTROLS = dict.fromkeys(map(ord, BIDI_CONTROLS))


def logical(text: str) -> str:
    return unicodedata.normalize("NFC", text.translate(_CONTROLS))


def lines_of(text: str) -> list[str]:
    return [" ".join(line.split()) for line in logical(text).splitlines() if line.strip()]


def pypdf_lines(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [line for page in reader.pages for line in lines_of(page.extract_text())]


def pdftotext_lines(pdf: bytes) -> list[str]:
    """pdftotext's lines; the bidi embedding marks it adds around runs are dropped.

    poppler counts separators (``.`` ``:`` and the Arabic comma) with the digits, as left
    to right: a space next to one may come out on its other side (``الشخص ،بلغة``). Spaces
    around them are dropped here, on both sides of every comparison (see ``loose``).
    """
    assert PDFTOTEXT is not None
    result = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return [loose(line) for line in lines_of(result.stdout.decode("utf-8"))]


def loose(text: str) -> str:
    return re.sub(r"\s*([،.:,])\s*", r"\1", text)


def one_per_line(samples: list[tuple[str, str]]) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    y = 800.0
    for lang, text in samples:
        rtl = lang != "en"
        draw_text(
            canvas, 560 if rtl else 40, y, text, 12, lang=lang, align="right" if rtl else "left"
        )
        y -= 30
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def expect(extractor: str, text: str) -> str:
    return loose(logical(text)) if extractor == "pdftotext" else logical(text)


EXTRACTORS: list[tuple[str, Callable[[bytes], list[str]]]] = [("pypdf", pypdf_lines)]
if PDFTOTEXT is not None:
    EXTRACTORS.append(("pdftotext", pdftotext_lines))


@pytest.mark.parametrize(("name", "extract"), EXTRACTORS, ids=[name for name, _ in EXTRACTORS])
def test_arabic_and_hebrew_lines_extract_as_typed(
    name: str, extract: Callable[[bytes], list[str]]
) -> None:
    assert extract(one_per_line(RTL_ONLY)) == [expect(name, text) for _, text in RTL_ONLY]


def test_mixed_lines_extract_in_logical_order_with_pypdf() -> None:
    assert pypdf_lines(one_per_line(MIXED)) == [logical(text) for _, text in MIXED]


@needs_pdftotext
def test_mixed_lines_keep_every_run_whole_with_pdftotext() -> None:
    extracted = pdftotext_lines(one_per_line(MIXED))
    assert len(extracted) == len(MIXED)
    for (_, text), line in zip(MIXED, extracted, strict=True):
        # Each stretch of one direction comes out whole, in its own order.
        for run in re.findall(r"[\u05b0-\u05ea\u0621-\u065f]+|[0-9A-Za-z+-]+", text):
            assert run in line, (run, line)


def test_a_lam_alef_ligature_is_one_glyph_with_its_two_letters_behind_it() -> None:
    """The page draws the ligature (the shaping is unchanged) and extracts the letters."""
    pdf = one_per_line([("ar", "الأمل")])
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.pages[0].extract_text().strip() == "الأمل"
    assert "األمل" not in (pdftotext_lines(pdf) if PDFTOTEXT else [])


WRAPPED = [
    forms_consent.READ_ALOUD,
    forms_consent.RIGHTS_TEXT,
    forms_consent.RECORDS_TEXT,
]


@pytest.mark.parametrize(("name", "extract"), EXTRACTORS, ids=[name for name, _ in EXTRACTORS])
def test_wrapped_arabic_paragraphs_extract_line_by_line_in_reading_order(
    name: str, extract: Callable[[bytes], list[str]]
) -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    top = 800.0
    expected: list[str] = []
    for message in WRAPPED:
        text = TRANSLATIONS["ar"][message]
        lines = wrap_paragraph(text, 220, 11, "ar")
        assert len(lines) >= 3
        expected += [expect(name, line.text) for line in lines]
        top -= draw_paragraph(canvas, 300, top, text, 11, 220, lang="ar") + 20
    canvas.showPage()
    canvas.save()
    assert extract(buffer.getvalue()) == expected


# -- the real forms -----------------------------------------------------------------

INTAKE_LABELS = (
    forms_intake.TITLE,
    forms_intake.THE_PERSON,
    forms_intake.GENDER,
    "Feminine",
    "Masculine",
    forms_intake.EXPLOITATION_TYPE,
    "Forced labour",
)


def intake(lang: str) -> bytes:
    return render_form(
        "intake",
        lang=lang,
        case=sample_case(),
        organisation=ORGANISATION,
        paper="A4",
        printed_on=PRINTED,
        catalogues=catalogues(),
    )


@pytest.mark.parametrize("lang", ["ar", "he"])
@pytest.mark.parametrize(("name", "extract"), EXTRACTORS, ids=[name for name, _ in EXTRACTORS])
def test_intake_form_labels_extract_as_the_catalogue_strings(
    name: str, extract: Callable[[bytes], list[str]], lang: str
) -> None:
    lines = extract(intake(lang))
    for message in INTAKE_LABELS:
        translation = TRANSLATIONS[lang].get(message)
        if translation is not None:
            assert expect(name, translation) in lines, (message, lang)
    assert ORGANISATION in lines
    if lang == "ar":
        for value in ("فاطمة", "حداد"):  # the person's names, as typed
            assert value in lines


@pytest.mark.parametrize("lang", ["ar", "he"])
def test_intake_form_frame_and_values_extract_in_logical_order_with_pypdf(lang: str) -> None:
    pdf = intake(lang)
    text = "\n".join(pypdf_lines(pdf))
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    page_of = {"ar": "الصفحة 1 من {total}", "he": "עמוד 1 מתוך {total}"}[lang]
    if page_of.split()[0] in text:
        assert page_of.format(total=pages) in text
    assert "HH-2026-0017" in text
    assert "+972 50 123 4567" in text


def test_consent_form_paragraphs_extract_in_reading_order() -> None:
    """pypdf only: with the test catalogues most of this page is English, and poppler then
    reads the page as left to right and reverses the sentences of an Arabic line around
    its full stops, whatever the PDF holds."""
    name, extract = EXTRACTORS[0]
    pdf = render_form(
        "consent",
        lang="ar",
        case=sample_case(),
        organisation=ORGANISATION,
        paper="A4",
        printed_on=PRINTED,
        catalogues=catalogues(),
    )
    lines = extract(pdf)
    style = FormStyle()
    width = A4[0] - 2 * style.margin
    for message in WRAPPED:
        wrapped = wrap_paragraph(TRANSLATIONS["ar"][message], width, style.text_size, "ar")
        expected = [expect(name, line.text) for line in wrapped]
        start = lines.index(expected[0])
        assert lines[start : start + len(expected)] == expected
