"""Shared checks for printed forms. QtPdf rendering needs the offscreen platform."""

from __future__ import annotations

import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from bidi.algorithm import get_display as reference_display
from pypdf import PdfReader
from pypdf.generic import ContentStream

from shelter_desk.reports.text import isolate_numbers

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)


def visual_reference(text: str, rtl: bool) -> str:
    """The characters of one drawn line, left to right (display order).

    The display string of python-bidi's pure-Python reference implementation -- a second
    implementation, independent of the Rust one the engine uses -- for the line with its
    numbers isolated as the engine does (written as LRE...PDF embeddings, as the reference
    predates isolates), bidi controls dropped, NFKC. The reference mirrors brackets in
    right-to-left text; the page's text layer holds the characters as typed, so in a
    right-to-left paragraph brackets are turned back.
    """
    embedded = isolate_numbers(text).replace("\u2066", "\u202a").replace("\u2069", "\u202c")
    display = str(reference_display(embedded, base_dir="R" if rtl else "L"))
    display = "".join(c for c in display if c not in BIDI_CONTROLS)
    if rtl:
        display = display.translate(UNMIRROR)
    return unicodedata.normalize("NFKC", display)


UNMIRROR = str.maketrans("()[]{}", ")(][}{")


def logical_reference(text: str) -> str:
    """What a reader should extract from a drawn line: the text as typed (NFC), without
    bidi controls."""
    return unicodedata.normalize("NFC", "".join(c for c in text if c not in BIDI_CONTROLS))


@pytest.fixture
def expected_visual() -> Callable[[str, bool], str]:
    return visual_reference


_GLYPH_FORM = re.compile(r"/FormXob\.Glyph-(?P<face>.+)-(?P<gid>\d+)")


@dataclass(frozen=True)
class DrawnGlyphs:
    count: int  # outlines drawn, page after page
    notdef: int  # of them the .notdef box (a character its font lacks)


def drawn_glyphs(pdf: bytes) -> DrawnGlyphs:
    """The glyphs a PDF draws as outlines (one form XObject per glyph, see
    reports/outlines.py), read from its pages' content streams."""
    reader = PdfReader(io.BytesIO(pdf))
    count = notdef = 0
    for page in reader.pages:
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Do" and (match := _GLYPH_FORM.fullmatch(str(operands[0]))):
                count += 1
                notdef += match["gid"] == "0"
    return DrawnGlyphs(count, notdef)


@contextmanager
def pdfium_document(pdf: bytes) -> Iterator[QPdfDocument]:
    """The PDF opened by QtPdf (pdfium, as Chrome and Edge read it), from memory."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtPdf import QPdfDocument

    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    assert document.status() == QPdfDocument.Status.Ready
    try:
        yield document
    finally:
        document.close()
