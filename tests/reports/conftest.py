"""Shared checks for printed forms. QtPdf rendering needs the offscreen platform."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable

import pytest
import uharfbuzz as hb
from bidi.algorithm import get_display as reference_display

from shelter_desk.reports.text import isolate_numbers
from shelter_desk.resources import resource_path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
_ARABIC = hb.Font(
    hb.Face(hb.Blob.from_file_path(str(resource_path("fonts", "NotoSansArabic-Regular.ttf"))))
)


def harfbuzz_ligatures(text: str) -> set[str]:
    """Letter sequences HarfBuzz draws as one Arabic glyph in ``text`` (lam-alef, lam-yeh...)."""
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl"
    buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    hb.shape(_ARABIC, buffer)
    starts = sorted({info.cluster for info in buffer.glyph_infos})
    pieces = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    return {p for p in pieces if len(p) > 1 and all(unicodedata.category(c)[0] == "L" for c in p)}


def visual_reference(text: str, rtl: bool) -> str:
    """What a reader should extract from one drawn line, left to right.

    The display string of python-bidi's pure-Python reference implementation -- a second
    implementation, independent of the Rust one the engine uses, and one that mirrors
    brackets -- for the line with its numbers isolated as the engine does (written as
    LRE...PDF embeddings, as the reference predates isolates), bidi controls dropped, NFKC.
    One HarfBuzz difference: letters HarfBuzz joins into one ligature glyph (lam-alef,
    lam-alef-maksura...) extract in logical order, as the glyph's text.
    """
    embedded = isolate_numbers(text).replace("\u2066", "\u202a").replace("\u2069", "\u202c")
    display = str(reference_display(embedded, base_dir="R" if rtl else "L"))
    display = "".join(c for c in display if c not in BIDI_CONTROLS)
    for ligature in harfbuzz_ligatures(text):
        display = display.replace(ligature[::-1], ligature)
    return unicodedata.normalize("NFKC", display)


@pytest.fixture
def expected_visual() -> Callable[[str, bool], str]:
    return visual_reference
