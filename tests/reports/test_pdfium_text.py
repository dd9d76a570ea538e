"""The printed forms read by pdfium (Chrome, Edge and QtPdf's text extraction).

pdfium gives a drawn character the text of its ToUnicode entry and falls back to the
character code when the entry is empty. The forms' glyphs were once drawn as text through
codes that stand for nothing, and pdfium read each of them as a control character between
the letters of the invisible text layer; they are outlines now, so the text layer is the
only text on the page.

pdfium puts the pieces of a line in their left-to-right order on the page and turns only
each right-to-left piece around: a line that mixes directions (an Arabic label with a Latin
name or a number) reads in visual order of its pieces, in any PDF. So the strings checked
here are those of one direction.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from tests.reports.conftest import pdfium_document
from tests.reports.test_forms import TEXTS, build_form, drawn_strings
from tests.reports.test_forms_printed import (
    EXPECTED_LABELS,
    LANGUAGE_SETS,
    catalogue_text,
    rendered,
)

NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\U000f0000-\U0010ffff]")
RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
LTR_OR_NUMBER = re.compile(r"[A-Za-z0-9\u00c0-\u024f\u0400-\u04ff\u10a0-\u10ff()\[\]{}<>]")


def pdfium_pages(pdf: bytes) -> list[str]:
    with pdfium_document(pdf) as document:
        pages = [document.getAllText(page).text() for page in range(document.pageCount())]
    return [unicodedata.normalize("NFKC", page) for page in pages]


def one_direction(text: str) -> bool:
    return not (RTL_LETTER.search(text) and LTR_OR_NUMBER.search(text))


def words_of(text: str) -> str:
    """pdfium joins lines with CR LF and may put a line break where a label wraps."""
    return " ".join(text.split())


@pytest.mark.parametrize(("lang", "second"), LANGUAGE_SETS)
def test_pdfium_reads_the_labels_and_nothing_else(
    qapp: object, lang: str, second: str | None
) -> None:
    pages = pdfium_pages(rendered("intake", lang, second, True).pdf)
    text = words_of("\n".join(pages))
    assert not NOT_TEXT.search("".join(pages)), "pdfium read a drawn glyph as a character"
    checked = 0
    for message in EXPECTED_LABELS["intake"]:
        for language in filter(None, (lang, second)):
            label, _ = catalogue_text(language, message)
            if one_direction(label):
                assert words_of(unicodedata.normalize("NFKC", label)) in text, (message, language)
                checked += 1
    assert checked >= len(EXPECTED_LABELS["intake"])


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_pdfium_reads_names_and_paragraphs_in_reading_order(qapp: object, lang: str) -> None:
    pdf, _ = build_form(lang, None)
    (page,) = pdfium_pages(pdf)
    assert not NOT_TEXT.search(page)
    text = words_of(page)
    strings = [value for value, _ in drawn_strings(lang, None)]
    for value in strings:
        if one_direction(value):
            assert words_of(value) in text, value
    paragraph = TEXTS[lang].paragraph
    # The paragraph's words, in reading order (a wrapped line of mixed direction aside).
    opening = " ".join(paragraph.split()[:3])
    assert opening in text
