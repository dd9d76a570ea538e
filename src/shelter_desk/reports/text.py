"""Complex text for printed forms: HarfBuzz shaping, bidi ordering, font fallback.

reportlab has no bidi algorithm and draws characters, not shaped glyphs. This module does
the work per *line*:

1. a paragraph is wrapped in logical order, measuring words with their shaped advances;
2. each line gets its numbers isolated (``2024-17`` stays ``2024-17`` after Arabic text),
   its bidi embedding levels from python-bidi, and a font per character (the bundled Noto
   faces, see :mod:`shelter_desk.reports.fonts`);
3. each run of one level and one font is shaped by HarfBuzz in its own direction, and the
   runs are put in visual order (rule L2 of the Unicode bidi algorithm);
4. the glyphs are drawn at HarfBuzz's positions. Each glyph is drawn through a character
   that maps to it, and the PDF's ToUnicode maps give back the text it stands for, so text
   extracted from the PDF is the original characters, in visual order.

Directions: ``align="start"`` is the left edge in left-to-right text and the right edge in
right-to-left text. A paragraph's direction comes from its language (CLDR character order)
or, when no language is given, from its first strong character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import uharfbuzz as hb
from bidi import get_base_level, get_display
from reportlab.pdfgen.canvas import Canvas

from shelter_desk.i18n import LRI, PDI, is_rtl
from shelter_desk.reports.fonts import FontFace, assign_fonts, font_faces

# "start"/"end" follow the text's direction; "left"/"right" are physical sides (forms use
# them to line a label up with its box whatever language the label is in).
Align = Literal["start", "end", "center", "left", "right"]

# Explicit bidi formatting characters: they steer the levels but are never drawn (rule X9);
# LRM/RLM/ALM are strong but invisible, so they are not drawn either.
_BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)

# Digits joined by date, time, thousands and phone separators (ASCII, Arabic-Indic and
# Persian digits): drawn as one left-to-right unit wherever they appear.
_NUMBER = re.compile(r"\+?\d+(?:[-/.:,\u00a0 ]\d+)+")
_SPACES = re.compile(r"[ \t\u00a0]*[\t ][ \t\u00a0]*")
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")

# Baseline metrics of the bundled faces as a fraction of the font size.
ASCENT = 1.07
DESCENT = 0.3
LEADING = 1.4


@dataclass(frozen=True)
class Glyph:
    """One positioned glyph; lengths are in ems (multiply by the font size)."""

    code: str  # the character reportlab draws for this glyph
    advance: float
    dx: float
    dy: float
    natural: bool  # True when the PDF's own advance places it exactly (no offsets, no kern)


@dataclass(frozen=True)
class GlyphRun:
    face: FontFace
    glyphs: tuple[Glyph, ...]

    @property
    def advance(self) -> float:
        return sum(g.advance for g in self.glyphs)


@dataclass(frozen=True)
class ShapedLine:
    """A line shaped and put in visual order, left to right; widths in ems."""

    runs: tuple[GlyphRun, ...]
    width: float

    def visual_text(self) -> str:
        """The text a PDF reader extracts from this line (each glyph's text, left to right)."""
        return "".join(_glyph_text(run.face, g.code) for run in self.runs for g in run.glyphs)


@dataclass(frozen=True)
class Line:
    """One wrapped line of a paragraph."""

    text: str  # logical order, as typed
    rtl: bool  # the paragraph's direction
    shaped: ShapedLine
    size: float

    @property
    def width(self) -> float:
        return self.shaped.width * self.size


def paragraph_is_rtl(text: str, lang: str | None) -> bool:
    """Right to left for Arabic and Hebrew; without a language, from the first strong letter."""
    if lang is not None:
        return is_rtl(lang)
    return get_base_level(text) == 1


def isolate_numbers(text: str) -> str:
    """Wrap dates, case numbers and phone numbers in left-to-right isolates."""
    return _NUMBER.sub(lambda m: f"{LRI}{m.group(0)}{PDI}", text)


def bidi_levels(text: str, rtl: bool) -> list[int]:
    """The resolved embedding level of each character (rules P to I of the bidi algorithm).

    python-bidi only returns the reordered string or, with ``debug``, its analysis (levels
    per UTF-8 byte); levels are what shaping needs, so they are read from the analysis.
    """
    if not text:
        return []
    dump = str(get_display(text, base_dir="R" if rtl else "L", debug=True))
    end = dump.rindex("paragraphs:")
    start = dump.rindex("levels: [", 0, end)
    byte_levels = [int(level) for level in _LEVEL.findall(dump, start, end)]
    if len(byte_levels) != len(text.encode("utf-8")):
        raise RuntimeError("python-bidi returned levels in an unexpected form")
    levels = []
    offset = 0
    for char in text:
        levels.append(byte_levels[offset])
        offset += len(char.encode("utf-8"))
    return levels


def visual_order(levels: Sequence[int]) -> list[int]:
    """Indices of items in display order, left to right (rule L2)."""
    order = list(range(len(levels)))
    odd = [level for level in levels if level % 2]
    if not odd:
        return order
    for level in range(max(levels), min(odd) - 1, -1):
        index = 0
        while index < len(order):
            if levels[order[index]] < level:
                index += 1
                continue
            end = index
            while end < len(order) and levels[order[end]] >= level:
                end += 1
            order[index:end] = order[index:end][::-1]
            index = end
    return order


def shape_line(text: str, rtl: bool, bold: bool = False) -> ShapedLine:
    """Shape one line (no line breaks) for a paragraph of the given direction."""
    text = unicodedata.normalize("NFC", text.replace("\t", " "))
    isolated = isolate_numbers(text)
    levels = bidi_levels(isolated, rtl)
    base = 1 if rtl else 0
    kept = [(c, lv) for c, lv in zip(isolated, levels, strict=True) if c not in _BIDI_CONTROLS]
    chars = "".join(c for c, _ in kept)
    line_levels = [lv for _, lv in kept]
    # Rule L1: trailing whitespace takes the paragraph level.
    index = len(chars) - 1
    while index >= 0 and chars[index].isspace():
        line_levels[index] = base
        index -= 1
    faces = font_faces(bold)
    fonts = assign_fonts(chars, faces)
    fallback = faces[0]
    items: list[tuple[int, int, FontFace, int]] = []  # start, end, face, level
    start = 0
    for index in range(1, len(chars) + 1):
        if (
            index == len(chars)
            or line_levels[index] != line_levels[start]
            or (fonts[index] or fallback) is not (fonts[start] or fallback)
        ):
            items.append((start, index, fonts[start] or fallback, line_levels[start]))
            start = index
    codepoints = [ord(c) for c in chars]
    runs = [
        _shape_run(codepoints, chars, items[i][0], items[i][1], items[i][2], items[i][3])
        for i in visual_order([item[3] for item in items])
    ]
    return ShapedLine(tuple(runs), sum(run.advance for run in runs))


def _shape_run(
    codepoints: list[int], chars: str, start: int, end: int, face: FontFace, level: int
) -> GlyphRun:
    buffer = hb.Buffer()
    # The whole line is context, so letters join across a change of font or level.
    buffer.add_codepoints(codepoints, start, end - start)
    buffer.direction = "rtl" if level % 2 else "ltr"
    buffer.guess_segment_properties()
    buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    hb.shape(face.hb_font, buffer)
    infos = buffer.glyph_infos
    positions = buffer.glyph_positions
    clusters = sorted({info.cluster for info in infos})
    cluster_end = dict(zip(clusters, [*clusters[1:], end], strict=True))
    per_cluster: dict[int, int] = {}
    for info in infos:
        per_cluster[info.cluster] = per_cluster.get(info.cluster, 0) + 1
    upem = face.units_per_em
    glyphs = []
    given: set[int] = set()
    for info, pos in zip(infos, positions, strict=True):
        gid, cluster = info.codepoint, info.cluster
        cluster_text = chars[cluster : cluster_end[cluster]]
        text = _text_for_glyph(face, gid, cluster_text, per_cluster[cluster] > 1, cluster in given)
        given.add(cluster)
        width = face.glyph_width(gid)
        code = face.ttf.code_for_glyph(gid, text, width)
        pdf_width = float(face.ttf.face.getCharWidth(ord(code)))
        natural = (
            pos.x_offset == 0
            and pos.y_offset == 0
            and abs(pos.x_advance * 1000.0 / upem - pdf_width) < 0.5
        )
        glyphs.append(
            Glyph(
                code=code,
                advance=pos.x_advance / upem,
                dx=pos.x_offset / upem,
                dy=pos.y_offset / upem,
                natural=natural,
            )
        )
    return GlyphRun(face, tuple(glyphs))


def _text_for_glyph(
    face: FontFace, gid: int, cluster_text: str, shared: bool, already_given: bool
) -> str:
    """The text a glyph stands for in the PDF.

    A glyph alone in its cluster stands for the whole cluster (a medial lam for ``ل``, a
    lam-alef ligature for ``لا``), except a mirrored bracket, which stands for the bracket
    it shows, as in python-bidi's display order. When a cluster has several glyphs (a
    letter the font decomposes into base and accent), each glyph that is some character's
    own glyph stands for that character; the first other one carries the cluster's text.
    """
    char_to_glyph = face.ttf.face.charToGlyph
    if not shared:
        shown = face.character_of(gid)
        if (
            len(cluster_text) == 1
            and shown is not None
            and shown != cluster_text
            and unicodedata.mirrored(cluster_text)
            and unicodedata.mirrored(shown)
        ):
            return shown
        return cluster_text
    for char in unicodedata.normalize("NFD", cluster_text):
        if char_to_glyph.get(ord(char)) == gid:
            return char
    return "" if already_given else cluster_text


def _glyph_text(face: FontFace, code: str) -> str:
    return face.ttf.text_for_code(ord(code))


# -- measuring and wrapping --------------------------------------------------------------


def text_width(text: str, size: float, lang: str | None, bold: bool = False) -> float:
    """The width of ``text`` drawn on one line, in points."""
    return shape_line(text, paragraph_is_rtl(text, lang), bold).width * size


def wrap_paragraph(
    text: str, width: float, size: float, lang: str | None, bold: bool = False
) -> list[Line]:
    """Break ``text`` into lines no wider than ``width`` (a word too long is cut).

    Breaks happen at spaces in logical order; each line is then shaped and reordered on its
    own, so the first words of the paragraph are on the first line in either direction.
    Line breaks in ``text`` start new lines; runs of spaces count as one.
    """
    rtl = paragraph_is_rtl(text, lang)
    lines: list[Line] = []
    if not text.strip():
        return lines
    for hard_line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        words = [w for w in _SPACES.split(hard_line.strip()) if w]
        if not words:
            lines.append(Line("", rtl, ShapedLine((), 0.0), size))
            continue
        lines.extend(_wrap_words(words, width, size, rtl, bold))
    return lines


def _wrap_words(words: list[str], width: float, size: float, rtl: bool, bold: bool) -> list[Line]:
    limit = width / size  # in ems
    widths: dict[str, float] = {}

    def measure(candidate: str) -> ShapedLine:
        return shape_line(candidate, rtl, bold)

    def word_width(word: str) -> float:
        if word not in widths:
            widths[word] = measure(word).width
        return widths[word]

    space = measure(" ").width
    lines: list[Line] = []
    pending = list(words)
    while pending:
        count = 0
        total = 0.0
        while count < len(pending):
            extra = word_width(pending[count]) + (space if count else 0.0)
            if count and total + extra > limit:
                break
            total += extra
            count += 1
        # Estimates ignore kerning and font changes between words: check the real line.
        while True:
            candidate = " ".join(pending[:count])
            shaped = measure(candidate)
            if shaped.width <= limit or count == 1:
                break
            count -= 1
        if shaped.width > limit:
            head, tail = _cut_word(pending[0], limit, rtl, bold)
            shaped = measure(head)
            lines.append(Line(head, rtl, shaped, size))
            pending = [tail, *pending[1:]]
            continue
        lines.append(Line(candidate, rtl, shaped, size))
        pending = pending[count:]
    return lines


def _cut_word(word: str, limit: float, rtl: bool, bold: bool) -> tuple[str, str]:
    """Split a word wider than the line at the last character boundary that fits."""
    cuts = [i for i in range(1, len(word)) if unicodedata.category(word[i])[0] != "M"]
    best = cuts[0] if cuts else len(word)
    low, high = 0, len(cuts) - 1
    while low <= high:
        middle = (low + high) // 2
        if shape_line(word[: cuts[middle]], rtl, bold).width <= limit:
            best = cuts[middle]
            low = middle + 1
        else:
            high = middle - 1
    return word[:best], word[best:]


# -- drawing -----------------------------------------------------------------------------


def draw_shaped(canvas: Canvas, x: float, y: float, line: ShapedLine, size: float) -> None:
    """Draw a shaped line with its left edge at ``x`` and baseline at ``y``."""
    text_object = canvas.beginText()
    pen = x
    for run in line.runs:
        text_object.setFont(run.face.name, size)
        pending: list[str] = []
        pending_x = pen
        for glyph in run.glyphs:
            if glyph.natural:
                if not pending:
                    pending_x = pen
                pending.append(glyph.code)
            else:
                if pending:
                    text_object.setTextOrigin(pending_x, y)
                    text_object.textOut("".join(pending))
                    pending = []
                text_object.setTextOrigin(pen + glyph.dx * size, y + glyph.dy * size)
                text_object.textOut(glyph.code)
            pen += glyph.advance * size
        if pending:
            text_object.setTextOrigin(pending_x, y)
            text_object.textOut("".join(pending))
    canvas.drawText(text_object)


def _at_right(align: Align, rtl: bool) -> bool:
    if align in ("left", "right"):
        return align == "right"
    return (align == "start") == rtl


def _left_edge(x: float, line_width: float, rtl: bool, align: Align, width: float | None) -> float:
    if width is None:
        if align == "center":
            return x - line_width / 2
        return x - line_width if _at_right(align, rtl) else x
    if align == "center":
        return x + (width - line_width) / 2
    return x + width - line_width if _at_right(align, rtl) else x


def draw_text(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    lang: str | None,
    align: Align = "start",
    width: float | None = None,
    bold: bool = False,
) -> float:
    """Draw one line of text with its baseline at ``y``; returns its width in points.

    Without ``width``, ``x`` is the anchor: the line starts there (extending right in
    left-to-right text, left in right-to-left text), ends there, or is centred on it. With
    ``width``, the line is aligned inside the box from ``x`` to ``x + width``.
    """
    rtl = paragraph_is_rtl(text, lang)
    shaped = shape_line(" ".join(text.split()), rtl, bold)
    line_width = shaped.width * size
    draw_shaped(canvas, _left_edge(x, line_width, rtl, align, width), y, shaped, size)
    return line_width


def draw_lines(
    canvas: Canvas,
    x: float,
    top: float,
    lines: Sequence[Line],
    width: float,
    *,
    align: Align = "start",
    leading: float | None = None,
) -> float:
    """Draw wrapped lines in the box whose top-left corner is (x, top); the height used."""
    if not lines:
        return 0.0
    size = lines[0].size
    step = leading if leading is not None else size * LEADING
    baseline = top - size * ASCENT
    for line in lines:
        left = _left_edge(x, line.width, line.rtl, align, width)
        draw_shaped(canvas, left, baseline, line.shaped, size)
        baseline -= step
    return size * (ASCENT + DESCENT) + step * (len(lines) - 1)


def draw_paragraph(
    canvas: Canvas,
    x: float,
    top: float,
    text: str,
    size: float,
    width: float,
    *,
    lang: str | None,
    align: Align = "start",
    bold: bool = False,
    leading: float | None = None,
) -> float:
    """Wrap and draw ``text`` in the box from ``x`` to ``x + width`` below ``top``.

    Returns the height used, from ``top`` down to the last line's descent.
    """
    lines = wrap_paragraph(text, width, size, lang, bold)
    return draw_lines(canvas, x, top, lines, width, align=align, leading=leading)


def paragraph_height(
    text: str,
    size: float,
    width: float,
    *,
    lang: str | None,
    bold: bool = False,
    leading: float | None = None,
) -> float:
    """The height :func:`draw_paragraph` would use, without drawing."""
    count = len(wrap_paragraph(text, width, size, lang, bold))
    if count == 0:
        return 0.0
    step = leading if leading is not None else size * LEADING
    return size * (ASCENT + DESCENT) + step * (count - 1)
