"""The four printed forms in five languages and two bilingual pairs, read back as PDFs.

Every form is rendered once per language set (blank and filled from a synthetic case) and
the renders are shared by the checks: the PDF opens with the page frame on every page,
its fonts are embedded subsets of the bundled faces, extracted text contains the labels
as typed (logical order, whatever the script), and no glyph is missing. Labels are
translated with the small test catalogues of forms_catalogues.py, so the forms really
print Arabic, Hebrew, Georgian and Russian.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from shelter_desk.domain.case_file import CaseFile
from shelter_desk.i18n import ltr
from shelter_desk.reports import forms_consent, forms_follow_up, forms_intake, forms_summary
from shelter_desk.reports.fonts import missing_characters
from shelter_desk.reports.forms import FORMS, render_form
from shelter_desk.reports.forms_base import FormPrinter
from shelter_desk.reports.layout import PAGE_OF, FormStyle, translated_text
from shelter_desk.reports.text import wrap_paragraph
from tests.reports.conftest import BIDI_CONTROLS, drawn_glyphs, pdfium_document
from tests.reports.forms_catalogues import TRANSLATIONS, catalogue, catalogues
from tests.reports.forms_sample import CASE_NUMBER, PRINTED, sample_case

ORGANISATION = "Hope House"
A4 = (595.2755905511812, 841.8897637795277)
LANGUAGE_SETS: list[tuple[str, str | None]] = [
    ("en", None),
    ("he", None),
    ("ar", None),
    ("ka", None),
    ("ru", None),
    ("ar", "en"),
    ("ka", "ru"),
]
RENDERS = [
    (form, lang, second, filled)
    for form in FORMS
    for lang, second in LANGUAGE_SETS
    for filled in (False, True)
    if filled or form != "case-summary"
]
PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")
SCRIPT_FACE = {"he": "NotoSansHebrew", "ar": "NotoSansArabic", "ka": "NotoSansGeorgian"}

# Short labels each form must show (source messages; translated per language below).
EXPECTED_LABELS = {
    "intake": (
        forms_intake.TITLE,
        forms_intake.THE_PERSON,
        forms_intake.GENDER,
        "Feminine",
        forms_intake.EXPLOITATION_TYPE,
        "Forced labour",
        forms_intake.EVENTS,
    ),
    "consent": (
        forms_consent.TITLE,
        forms_consent.PERSON_NAME,
        forms_consent.RECORDS,
        forms_consent.RIGHTS,
        "Yes",
        "No",
    ),
    "case-summary": (forms_summary.TITLE, forms_summary.CASE_NUMBER, forms_summary.STATUS),
    "follow-up": (forms_follow_up.TITLE, forms_follow_up.PERSON_NAME, "Economic", "Yes", "No"),
}


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: tuple[str, ...]  # extracted text per page, NFKC, bidi controls dropped

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


@functools.cache
def rendered(form: str, lang: str, second: str | None, filled: bool) -> Rendered:
    pdf = render_form(
        form,
        lang=lang,
        second_lang=second,
        case=sample_case() if filled else None,
        organisation=ORGANISATION,
        paper="A4",
        printed_on=PRINTED,
        catalogues=catalogues(),
    )
    reader = PdfReader(io.BytesIO(pdf))
    pages = tuple(page_text(page.extract_text()) for page in reader.pages)
    return Rendered(pdf, pages)


def page_text(text: str) -> str:
    return unicodedata.normalize("NFKC", "".join(c for c in text if c not in BIDI_CONTROLS))


def catalogue_text(lang: str, message: str) -> tuple[str, str]:
    """A message as the test catalogue translates it, and the language it ends up in."""
    text = catalogue(lang).gettext(message)
    return text, (lang if text != message or lang == "en" else "en")


def visual(expected_visual: Callable[[str, bool], str], text: str, lang: str) -> str:
    """What a reader extracts for ``text``: the text as typed, in any direction."""
    return page_text(text)


def render_id(render: tuple[str, str, str | None, bool]) -> str:
    form, lang, second, filled = render
    return f"{form}-{lang}{'+' + second if second else ''}-{'filled' if filled else 'blank'}"


@pytest.mark.parametrize("render", RENDERS, ids=render_id)
def test_pdf_opens_with_the_frame_on_every_page(
    expected_visual: Callable[[str, bool], str], render: tuple[str, str, str | None, bool]
) -> None:
    form, lang, second, filled = render
    result = rendered(form, lang, second, filled)
    assert result.pdf.startswith(b"%PDF")
    total = len(result.pages)
    assert total >= 1
    page_words, page_lang = translated_text(lang, PAGE_OF)
    for number, text in enumerate(result.pages, start=1):
        assert ORGANISATION in text
        assert visual(expected_visual, page_words.format(page=number, total=total), page_lang) in (
            text
        )
        assert (CASE_NUMBER in text) == filled
    reader = PdfReader(io.BytesIO(result.pdf))
    assert reader.pages[0].mediabox.width == pytest.approx(A4[0], abs=0.5)


@pytest.mark.parametrize("render", RENDERS, ids=render_id)
def test_fonts_are_embedded_subsets_of_the_bundled_faces(
    render: tuple[str, str, str | None, bool],
) -> None:
    form, lang, second, filled = render
    result = rendered(form, lang, second, filled)
    reader = PdfReader(io.BytesIO(result.pdf))
    seen: set[str] = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for reference in resources["/Font"].values():
            font = reference.get_object()
            base = str(font["/BaseFont"])
            assert re.fullmatch(
                r"/[A-Z]{6}\+NotoSans(Arabic|Hebrew|Georgian)?-(Regular|Bold)", base
            ), base
            assert "/FontFile2" in font["/FontDescriptor"].get_object()
            assert "/ToUnicode" in font
            seen.add(base.split("+", 1)[1])
    assert b"Helvetica" not in result.pdf
    for language in filter(None, (lang, second)):
        if language in SCRIPT_FACE:
            assert f"{SCRIPT_FACE[language]}-Regular" in seen


@pytest.mark.parametrize("render", RENDERS, ids=render_id)
def test_labels_are_printed_in_display_order(
    expected_visual: Callable[[str, bool], str], render: tuple[str, str, str | None, bool]
) -> None:
    form, lang, second, filled = render
    text = rendered(form, lang, second, filled).text
    assert not PRIVATE_USE.search(text), "a glyph's private code leaked into the text"
    for message in EXPECTED_LABELS[form]:
        for language in filter(None, (lang, second)):
            label, label_lang = catalogue_text(language, message)
            assert visual(expected_visual, label, label_lang) in text, (message, language)


@pytest.mark.parametrize("render", RENDERS, ids=render_id)
def test_no_missing_glyphs(render: tuple[str, str, str | None, bool]) -> None:
    """No drawn glyph is 0 (the .notdef box a font draws for a character it lacks), and
    every character of the translations and the case has a face."""
    form, lang, second, filled = render
    result = rendered(form, lang, second, filled)
    glyphs = drawn_glyphs(result.pdf)
    assert glyphs.notdef == 0
    assert glyphs.count > 300
    for language in filter(None, (lang, second)):
        for translation in TRANSLATIONS.get(language, {}).values():
            assert missing_characters(translation) == set()


def test_translations_of_the_test_catalogues_are_used(
    expected_visual: Callable[[str, bool], str],
) -> None:
    """Guards the tests themselves: the test catalogues, not the bundled ones, are printed;
    and the bundled Arabic catalogue prints its own title."""
    text = rendered("intake", "ar", None, False).text
    assert "Intake form" not in text
    plain = render_form("intake", lang="ar", organisation=ORGANISATION, printed_on=PRINTED)
    first = PdfReader(io.BytesIO(plain)).pages[0].extract_text()
    bundled, bundled_lang = translated_text("ar", forms_intake.TITLE)
    assert bundled_lang == "ar"
    assert visual(expected_visual, bundled, "ar") in unicodedata.normalize("NFKC", first)


# -- filled forms -------------------------------------------------------------------


def tick_marks(pdf: bytes) -> int:
    """Ticks drawn in tick boxes: a path of one move and two lines, stroked."""
    reader = PdfReader(io.BytesIO(pdf))
    count = 0
    for page in reader.pages:
        operators = [op for _operands, op in ContentStream(page.get_contents(), reader).operations]
        count += sum(
            1 for i in range(len(operators) - 3) if operators[i : i + 4] == [b"m", b"l", b"l", b"S"]
        )
    return count


def test_blank_forms_have_no_ticks_and_filled_ones_tick_the_record() -> None:
    for form in ("intake", "consent", "follow-up"):
        assert tick_marks(rendered(form, "en", None, False).pdf) == 0, form
    intake = sample_case().intake
    assert intake is not None
    more = sample_case(methods_of_control=(*intake.methods_of_control, "DebtBondage", "Other"))
    filled = tick_marks(rendered("intake", "en", None, True).pdf)
    with_two_more = render_form(
        "intake", lang="en", case=more, organisation=ORGANISATION, printed_on=PRINTED
    )
    assert tick_marks(with_two_more) == filled + 2
    # gender, source, type, industry, 2 means, recruitment, relationship, abducted,
    # 2 ILO, 6 Delphi, 3 positive dimensions, 3 elements
    assert filled == 23


def test_filled_intake_shows_values_and_the_delphi_result(
    expected_visual: Callable[[str, bool], str],
) -> None:
    text = rendered("intake", "ar", None, True).text
    for value in ("فاطمة", "حداد"):
        assert value in text
    for value in ("Fatima", "Haddad", "P7788123", "+972 50 123 4567", "Dana Levi"):
        assert value in text
    english = rendered("intake", "en", None, True).text
    assert (
        "Indicative, not verified against the source (ILO/EC 2009). Indicators show "
        "trafficking for labour exploitation"
    ) in " ".join(english.split())
    assert "Documents confiscated (Strong)" in english


def test_case_number_keeps_its_order_inside_arabic_text(
    expected_visual: Callable[[str, bool], str],
) -> None:
    text = rendered("case-summary", "ar", None, True).text
    intro, intro_lang = catalogue_text("ar", forms_summary.INTRO)
    assert intro_lang == "ar"
    printer = FormPrinter(
        lang="ar",
        second_lang=None,
        organisation=ORGANISATION,
        case_number=None,
        paper=A4,
        printed_on=PRINTED,
    )
    sentence = intro.format(number=ltr(CASE_NUMBER), date=printer.date(PRINTED))
    assert page_text(sentence) in text
    assert CASE_NUMBER in text
    assert "0017-2026-HH" not in text and "2026-0017-HH" not in text


def test_long_arabic_consent_paragraphs_keep_their_line_order() -> None:
    """Each wrapped line extracts as its own row, as typed, marks and all, in order."""
    result = rendered("consent", "ar", None, True)
    width = A4[0] - 2 * FormStyle().margin
    size = FormStyle().text_size
    wrapped_lines = 0
    for message in (
        forms_consent.READ_ALOUD,
        forms_consent.RIGHTS_TEXT,
        forms_consent.RECORDS_TEXT,
    ):
        text, text_lang = catalogue_text("ar", message)
        assert text_lang == "ar"
        lines = wrap_paragraph(text, width, size, "ar")
        assert len(lines) >= 2
        wrapped_lines += len(lines)
        expected = [page_text(line.text) for line in lines]
        page = next(p for p in result.pages if expected[0] in p)
        rows = [" ".join(row.split()) for row in page.splitlines() if row.strip()]
        start = rows.index(expected[0])
        assert rows[start : start + len(expected)] == expected
    assert wrapped_lines >= 6


def test_consent_ticks_follow_the_record() -> None:
    base = sample_case()
    consent = base.consent
    assert consent is not None
    agreed_all = CaseFile(
        case=base.case,
        person=base.person,
        consents=(
            type(consent)(
                consent_given=True,
                share_with_partners=True,
                research=True,
                photographs=True,
                sharing_level="Identified",
                method="Written",
            ),
        ),
    )
    pdf = render_form(
        "consent", lang="en", case=agreed_all, organisation=ORGANISATION, printed_on=PRINTED
    )
    # four yes answers, one sharing level, one method; nothing told was recorded
    assert tick_marks(pdf) == 6
    # the sample: yes, pseudonymised, yes, no, no, 4 things told, method
    assert tick_marks(rendered("consent", "en", None, True).pdf) == 10


def test_case_summary_totals_per_currency_in_the_form_language() -> None:
    english = rendered("case-summary", "en", None, True).text
    assert "₪5,550.50" in english  # 4,200.00 + 1,350.50 ILS
    assert "$1,090.00" in english  # 310 + 780 USD
    russian = rendered("case-summary", "ru", None, True).text
    assert "5 550,50 ₪" in russian
    assert "Safe Haven Shelter" in english and "Clinic for Migrants" in english
    assert "Amira Said" in english  # who decided the trafficking status


def test_redacted_case_summary_prints_no_identity() -> None:
    full = rendered("case-summary", "en", None, True).text
    pdf = render_form(
        "case-summary",
        lang="en",
        case=sample_case(),
        organisation=ORGANISATION,
        printed_on=PRINTED,
        redact_identity=True,
    )
    redacted = "\n".join(
        page_text(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    identifying = (
        "Fatima",
        "Haddad",
        "Fati",
        "P7788123",
        "+972",
        "Omdurman",
        "1996",
        "Trafficker nearby",
    )
    for value in identifying:
        assert value in full
        assert value not in redacted, value
    assert "ةمطاف" not in redacted and "فاطمة" not in redacted
    assert "Withheld" in redacted
    assert CASE_NUMBER in redacted and "Passport" in redacted

    intake = render_form(
        "intake",
        lang="en",
        case=sample_case(),
        organisation=ORGANISATION,
        printed_on=PRINTED,
        redact_identity=True,
    )
    intake_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(intake)).pages)
    for value in ("Fatima", "Haddad", "P7788123", "+972", "Herzl", "passport taken"):
        assert value not in intake_text, value
    assert "Forced labour" in intake_text


def test_follow_up_form_ticks_the_answers_and_shows_scores() -> None:
    case = sample_case()
    result = rendered("follow-up", "en", None, True)
    answers = case.follow_ups[0].answers
    assert tick_marks(result.pdf) == len(answers) + 1  # and the mode of the visit
    assert "Economic score" in result.text and "Overall score" in result.text
    composite = case.follow_ups[0].composite_score
    assert composite is not None
    assert f"{round(composite * 100)}%" in result.text
    planned = render_form(
        "follow-up",
        lang="en",
        case=case,
        organisation=ORGANISATION,
        printed_on=PRINTED,
        follow_up_id="fu-2",
    )
    assert tick_marks(planned) == 0
    with pytest.raises(ValueError, match="no follow-up"):
        render_form(
            "follow-up", lang="en", case=case, organisation=ORGANISATION, follow_up_id="nope"
        )


def test_case_summary_needs_a_case_and_forms_need_known_names() -> None:
    with pytest.raises(ValueError, match="case summary"):
        render_form("case-summary", lang="en", organisation=ORGANISATION)
    with pytest.raises(ValueError, match="unknown form"):
        render_form("receipt", lang="en", organisation=ORGANISATION)
    with pytest.raises(ValueError, match="language"):
        render_form("intake", lang="fr", organisation=ORGANISATION)


def test_paper_follows_the_country_or_the_choice() -> None:
    letter = render_form("consent", lang="en", organisation=ORGANISATION, country="US")
    a4 = render_form("consent", lang="en", organisation=ORGANISATION, country="US", paper="a4")
    assert PdfReader(io.BytesIO(letter)).pages[0].mediabox.width == pytest.approx(612)
    assert PdfReader(io.BytesIO(a4)).pages[0].mediabox.width == pytest.approx(A4[0], abs=0.5)


# -- rendering ----------------------------------------------------------------------


def first_page_ink(pdf: bytes) -> tuple[int, int, int]:
    """Dark pixels of page 1 rendered by QtPdf: (whole page, left third and right third
    of the band holding the form's title)."""
    from PySide6.QtCore import QSize, Qt
    from PySide6.QtGui import QImage, QPainter

    with pdfium_document(pdf) as document:
        size = document.pagePointSize(0)
        pixels = QSize(int(size.width()), int(size.height()))
        image = QImage(pixels, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        painter.drawImage(0, 0, document.render(0, pixels))
        painter.end()
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    stride, width = grey.bytesPerLine(), grey.width()
    data = bytes(grey.constBits())[: stride * grey.height()]
    style = FormStyle()
    title_top = int(style.margin + style.header_height)
    band = range(title_top, title_top + 30)

    def dark(rows: range, left: int, right: int) -> int:
        return sum(
            1
            for row in rows
            for value in data[row * stride + left : row * stride + right]
            if value < 128
        )

    whole = dark(range(grey.height()), 0, width)
    return whole, dark(band, 0, width // 3), dark(band, 2 * width // 3, width)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_first_page_renders_and_is_mirrored_in_arabic(qapp: object, form: str, lang: str) -> None:
    result = rendered(form, lang, None, form == "case-summary")
    whole, title_left, title_right = first_page_ink(result.pdf)
    assert whole > 3000  # not blank: frame, title, boxes and labels are drawn
    if lang == "ar":
        assert title_right > 50 and title_left == 0
    else:
        assert title_left > 50 and title_right == 0
