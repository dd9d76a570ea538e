"""The bundled Noto fonts, registered with reportlab, and the choice of font per character.

Printed forms draw HarfBuzz-shaped glyphs as outlines (:mod:`shelter_desk.reports.outlines`);
the text is carried by an invisible layer of codes that draw nothing and stand for one
character each, as wide as the text layer needs (:meth:`ShapedTTFont.text_code`, see
:mod:`shelter_desk.reports.text`). reportlab can only write characters, so
:class:`ShapedTTFont` gives such codes private code points (plane 15) mapped to the blank
glyph, and rewrites the subsets' ToUnicode maps. Subsets are embedded, as reportlab does
for every TTF.

Noto Sans Hebrew and Georgian have no digits or ``:``, Noto Sans Arabic no Latin letters:
:func:`font_for` picks a font per character, keeping digits and punctuation in the font of
the text around them when that font has them.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from shelter_desk.resources import resource_path

# (family, regular file, bold file); the first family is the fallback for everything that
# is not Arabic, Hebrew or Georgian (Latin, Cyrillic, Greek, digits, punctuation).
FONT_FAMILIES: tuple[tuple[str, str, str], ...] = (
    ("NotoSans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("NotoSansArabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    ("NotoSansHebrew", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf"),
    ("NotoSansGeorgian", "NotoSansGeorgian-Regular.ttf", "NotoSansGeorgian-Bold.ttf"),
    # Names of the people these shelters serve, written in their own scripts:
    # Tigrinya and Amharic (Ge'ez), Thai, Nepali (Devanagari), Sinhala, Bengali.
    ("NotoSansEthiopic", "NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf"),
    ("NotoSansThai", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf"),
    ("NotoSansDevanagari", "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"),
    ("NotoSansSinhala", "NotoSansSinhala-Regular.ttf", "NotoSansSinhala-Bold.ttf"),
    ("NotoSansBengali", "NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf"),
)

_PRIVATE_FIRST = 0xF0000  # Supplementary Private Use Area-A: never in these fonts' cmaps
_PRIVATE_LAST = 0xFFFFD


class ShapedTTFont(TTFont):
    """A reportlab TrueType font that can also draw glyphs that have no character.

    :meth:`code_for_glyph` returns the character to hand to reportlab for a glyph and the
    text it stands for; :meth:`addObjects` (called by reportlab when the PDF is written)
    fixes the ToUnicode maps of subsets that use private codes.
    """

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self.cmap: frozenset[int] = frozenset(self.face.charToGlyph)
        self._private_text: dict[int, str] = {}
        self._private_code: dict[tuple[int, str, float], int] = {}
        self._next_private = _PRIVATE_FIRST
        self._lock = threading.Lock()
        self._drawing: dict[int, str] = {}
        self._text: dict[tuple[str, int], str] = {}
        self._blank = self.face.charToGlyph.get(32, 0)

    def code_for_glyph(self, gid: int, text: str, width: float) -> str:
        """The character that makes reportlab draw glyph ``gid`` and extract as ``text``.

        ``width`` is the advance in thousandths of an em (the PDF /Widths value), rounded
        to a whole number: codes are shared by every use of the same glyph, text and width.
        """
        width = float(round(width))
        char_to_glyph = self.face.charToGlyph
        if (
            len(text) == 1
            and char_to_glyph.get(ord(text)) == gid
            and self.face.charWidths.get(ord(text)) == width
        ):
            return text
        key = (gid, text, width)
        code = self._private_code.get(key)
        if code is None:
            with self._lock:
                code = self._private_code.get(key)
                if code is None:
                    code = self._next_private
                    if code > _PRIVATE_LAST:
                        raise RuntimeError(f"font {self.fontName}: private code points exhausted")
                    self._next_private += 1
                    self._private_text[code] = text
                    char_to_glyph[code] = gid
                    self.face.charWidths[code] = width
                    self._private_code[key] = code
        return chr(code)

    def text_code(self, char: str, width: float) -> str:
        """A character ``width`` thousandths of an em wide that extracts as ``char`` and
        draws a blank glyph (the space), for the invisible text layer."""
        key = (char, round(width))
        code = self._text.get(key)
        if code is None:
            own = self.face.charToGlyph.get(ord(char)) if len(char) == 1 else None
            if own is not None and abs(self.face.charWidths.get(ord(char), -1) - width) < 0.5:
                code = char  # the character's own code is already that wide
            else:
                code = self.code_for_glyph(self._blank, char, width)
            self._text[key] = code
        return code

    def text_for_code(self, code: int) -> str:
        """The text a PDF reader extracts for a character drawn with this font."""
        return self._private_text.get(code, chr(code))

    def addObjects(self, doc: object) -> None:
        state = self.state.get(doc)
        subsets: list[list[int]] = [list(s) for s in state.subsets] if state else []
        names = [self.getSubsetInternalName(n, doc)[1:] for n in range(len(subsets))]
        super().addObjects(doc)
        id_to_object = doc.idToObject  # type: ignore[attr-defined]
        fonts = id_to_object["BasicFonts"].dict
        for name, subset in zip(names, subsets, strict=True):
            if not any(code in self._private_text for code in subset):
                continue
            pdf_font = fonts[name]
            stream = id_to_object[pdf_font.ToUnicode.name]
            texts = [self.text_for_code(code) for code in subset]
            stream.content = to_unicode_cmap(str(pdf_font.BaseFont), texts)


def to_unicode_cmap(cmap_name: str, texts: Sequence[str]) -> str:
    """A ToUnicode CMap mapping one-byte code ``i`` to ``texts[i]`` (any length, UTF-16BE).

    A code whose text is empty maps to an empty string, so that readers extract nothing
    for it (pypdf would otherwise fall back to the code itself).
    """
    entries = [
        f"<{code:02X}> <{text.encode('utf-16-be').hex().upper()}>"
        for code, text in enumerate(texts)
    ]
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        f"/CIDSystemInfo << /Registry ({cmap_name}) /Ordering ({cmap_name}) /Supplement 0 >> def",
        f"/CMapName /{cmap_name} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{max(len(texts) - 1, 0):02X}>",
        "endcodespacerange",
    ]
    # A bfchar block holds at most 100 entries.
    for start in range(0, len(entries), 100):
        block = entries[start : start + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines.extend(block)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


@dataclass(frozen=True, eq=False)
class FontFace:
    """One registered font: its reportlab object and its HarfBuzz font for shaping."""

    family: str
    bold: bool
    ttf: ShapedTTFont
    hb_font: hb.Font = field(repr=False)
    units_per_em: int

    @property
    def name(self) -> str:
        return str(self.ttf.fontName)

    def covers(self, char: str) -> bool:
        return ord(char) in self.ttf.cmap

    def character_of(self, gid: int) -> str | None:
        """The character whose own glyph ``gid`` is (lowest code point), if any."""
        return _glyph_characters(self.ttf).get(gid)

    def glyph_width(self, gid: int) -> float:
        """A glyph's advance in thousandths of an em."""
        return float(self.hb_font.get_glyph_h_advance(gid)) * 1000.0 / self.units_per_em


@functools.cache
def _glyph_characters(ttf: ShapedTTFont) -> dict[int, str]:
    reverse: dict[int, str] = {}
    for code in sorted(ttf.cmap, reverse=True):
        reverse[ttf.face.charToGlyph[code]] = chr(code)
    return reverse


_register_lock = threading.Lock()


@functools.cache
def _faces(bold: bool) -> tuple[FontFace, ...]:
    faces = []
    for family, regular, bold_file in FONT_FAMILIES:
        path = resource_path("fonts", bold_file if bold else regular)
        name = f"ShelterDesk-{family}{'-Bold' if bold else ''}"
        with _register_lock:
            try:
                existing = pdfmetrics.getFont(name)
            except KeyError:
                existing = None
            if isinstance(existing, ShapedTTFont):
                ttf = existing
            else:
                ttf = ShapedTTFont(name, str(path))
                pdfmetrics.registerFont(ttf)
        hb_face = hb.Face(hb.Blob.from_file_path(str(path)))
        faces.append(FontFace(family, bold, ttf, hb.Font(hb_face), hb_face.upem))
    return tuple(faces)


def font_faces(bold: bool = False) -> tuple[FontFace, ...]:
    """The bundled faces in fallback order, registered with reportlab on first use."""
    return _faces(bold)


def register_fonts() -> list[str]:
    """Register every bundled face with reportlab; the reportlab font names."""
    return [face.name for bold in (False, True) for face in font_faces(bold)]


def _is_letter(char: str) -> bool:
    return unicodedata.category(char)[0] == "L"


def font_for(
    char: str, faces: Sequence[FontFace], neighbour: FontFace | None = None
) -> FontFace | None:
    """The face to draw ``char`` with, or None when no bundled face has it.

    Letters take the first face (in fallback order) that has them, so Arabic letters always
    come from Noto Sans Arabic. Digits, punctuation, spaces and marks stay in ``neighbour``
    (the face of the text around them) when it has them, so an Arabic phrase keeps Arabic
    digits and spacing and a Hebrew one borrows Noto Sans only for its digits.
    """
    if neighbour is not None and not _is_letter(char) and neighbour.covers(char):
        return neighbour
    for face in faces:
        if face.covers(char):
            return face
    return None


def assign_fonts(text: str, faces: Sequence[FontFace]) -> list[FontFace | None]:
    """A face for each character of ``text`` (logical order), None where none has it.

    Neutral characters follow the last letter before them (the first letter of the text
    when they come before any letter); combining marks follow the character they sit on.
    """
    # The choice depends only on the character and the face before it: remember it, as
    # lines are measured many times while they are wrapped.
    cache = _choices.setdefault(tuple(id(face) for face in faces), {})
    first_letter = next((char for char in text if _is_letter(char)), None)
    last_letter = font_for(first_letter, faces) if first_letter is not None else None
    chosen: list[FontFace | None] = []
    previous: FontFace | None = None
    for char in text:
        key = (char, last_letter, previous, bool(chosen))
        entry = cache.get(key)
        if entry is None:
            if _is_letter(char):
                face = font_for(char, faces)
                entry = (face, face or last_letter)
            elif unicodedata.category(char)[0] == "M" and chosen:
                entry = (font_for(char, faces, previous), last_letter)
            else:
                entry = (font_for(char, faces, last_letter), last_letter)
            if len(cache) < _CHOICES_KEPT:
                cache[key] = entry
        previous, last_letter = entry
        chosen.append(previous)
    return chosen


_CHOICES_KEPT = 50_000
_Choice = tuple[FontFace | None, FontFace | None]  # the face, the last letter's face after it
_choices: dict[
    tuple[int, ...], dict[tuple[str, FontFace | None, FontFace | None, bool], _Choice]
] = {}


def missing_characters(text: str, bold: bool = False) -> set[str]:
    """Characters of ``text`` that no bundled face can draw (control characters excluded)."""
    faces = font_faces(bold)
    return {
        char
        for char in text
        if unicodedata.category(char) not in ("Cc", "Cf") and not any(f.covers(char) for f in faces)
    }
