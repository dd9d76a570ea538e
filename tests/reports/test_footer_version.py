"""Every printed page's footer names the release that printed it (text extracted with pypdf),
in each interface language and script direction; so does the PDF's Creator field."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from shelter_desk import __version__
from tests.reports.test_forms import BILINGUAL, LANGUAGE_SETS, build_form, page_texts


@pytest.mark.parametrize(("lang", "second"), LANGUAGE_SETS + BILINGUAL)
def test_the_version_is_on_every_page(lang: str, second: str | None) -> None:
    pdf, _writer = build_form(lang, second, paragraphs=40)
    texts = page_texts(pdf)
    assert len(texts) >= 2
    for text in texts:
        assert __version__ in text
    if lang == "en":  # a line of its own, between the date and the page number
        assert all(f"Shelter Desk {__version__}" in text.splitlines() for text in texts)
    assert PdfReader(io.BytesIO(pdf)).metadata["/Creator"] == f"Shelter Desk {__version__}"
