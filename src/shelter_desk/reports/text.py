"""Complex text for printed forms: HarfBuzz shaping, bidi ordering, font fallback, and the
logical text behind the glyphs.

reportlab has no bidi algorithm and draws characters, not shaped glyphs. This module does
the work per *line*:

1. a paragraph is wrapped in logical order, measuring words with their shaped advances, in
   time linear in its length (a word longer than the line is cut at cluster boundaries);
2. each line gets its numbers isolated (``2024-17`` stays ``2024-17`` after Arabic text),
   its bidi embedding levels, and a font per character (the bundled Noto faces, see
   :mod:`shelter_desk.reports.fonts`);
3. each run of one level and one font is shaped by HarfBuzz in its own direction, and the
   runs are put in visual order (rule L2 of the Unicode bidi algorithm);
4. the line is drawn in two layers. The glyphs are drawn at HarfBuzz's positions as
   outlines (:mod:`shelter_desk.reports.outlines`), so no reader finds text in them. Over
   them lies an invisible text layer (render mode 3):
   each shaped cluster's characters, one code each, side by side over the cluster's
   glyphs -- from right to left in a right-to-left run -- so the page holds one character
   per position, in display order, like a PDF whose every character has its own glyph.

Readers rebuild reading order from those positions (pdftotext, the viewers' copy and
search, pypdf), so they read the logical string: the lam-alef ligature as its two letters
in order, a letter with its shadda and vowel on its own line, not scattered where the
marks are drawn. Marked-content ``/ActualText`` would be the other way to give a cluster
its text, but poppler lays ActualText out left to right and then reverses right-to-left
text as if it were in display order, and pypdf ignores it: both would read it backwards.

Directions: ``align="start"`` is the left edge in left-to-right text and the right edge in
right-to-left text. A paragraph's direction comes from its language (CLDR character order)
or, when no language is given, from its first strong character.
"""

from __future__ import annotations

import functools
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
from shelter_desk.reports.outlines import draw_glyph

# "start"/"end" follow the text's direction; "left"/"right" are physical sides (forms use
# them to line a label up with its box whatever language the label is in).
Align = Literal["start", "end", "center", "left", "right"]

# Explicit bidi formatting characters: they steer the levels but are never drawn (rule X9);
# LRM/RLM/ALM are strong but invisible, so they are not drawn either.
_BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
_BIDI_CONTROL = re.compile("[" + "".join(sorted(_BIDI_CONTROLS)) + "]")

# Bidi classes that can give a character another level than the paragraph's: a line
# without any of them is one run at the paragraph level, and python-bidi is not needed.
_EXPLICIT = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI", "B"})
_NOT_AT_RTL_LEVEL = _EXPLICIT | {"L", "EN", "AN"}
_NOT_AT_LTR_LEVEL = _EXPLICIT | {"R", "AL", "AN"}

# Digits joined by date, time, thousands and phone separators (ASCII, Arabic-Indic and
# Persian digits): drawn as one left-to-right unit wherever they appear.
_NUMBER = re.compile(r"\+?\d+(?:[-/.:,\u00a0 ]\d+)+")
_SPACES = re.compile(r"[ \t\u00a0]*[\t ][ \t\u00a0]*")
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")

# HarfBuzz looks at a few characters around a run for joining and mark context.
_CONTEXT = 8

# Baseline metrics of the bundled faces as a fraction of the font size.
ASCENT = 1.07
DESCENT = 0.3
LEADING = 1.4


@dataclass(frozen=True)
class Glyph:
    """One positioned glyph; lengths are in ems (multiply by the font size)."""

    gid: int  # the glyph in its run's font, drawn as an outline
    advance: float
    dx: float
    dy: float


@dataclass(frozen=True)
class TextCell:
    """One character of the invisible text layer."""

    index: int  # where the character is in the line, in logical order
    code: str  # a code that draws nothing and extracts as the character
    width: float  # its share of its cluster's advance, in ems


@dataclass(frozen=True)
class GlyphRun:
    face: FontFace
    glyphs: tuple[Glyph, ...]
    cells: tuple[TextCell, ...] = ()  # the text layer over the glyphs, left to right
    rtl: bool = False

    @property
    def advance(self) -> float:
        return sum(g.advance for g in self.glyphs)


@dataclass(frozen=True)
class ShapedLine:
    """A line shaped and put in visual order, left to right; widths in ems."""

    runs: tuple[GlyphRun, ...]
    width: float

    def visual_text(self) -> str:
        """The characters of the text layer, left to right (display order)."""
        return "".join(
            run.face.ttf.text_for_code(ord(cell.code)) for run in self.runs for cell in run.cells
        )


@dataclass(frozen=True)
class Line:
    """One wrapped line of a paragraph; shaped when first drawn."""

    text: str  # logical order, as typed (NFC)
    rtl: bool  # the paragraph's direction
    size: float
    advance: float  # the shaped width in ems
    bold: bool = False

    @functools.cached_property
    def shaped(self) -> ShapedLine:
        return shape_line(self.text, self.rtl, self.bold)

    @property
    def width(self) -> float:
        return self.advance * self.size


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

    A line whose characters cannot leave the paragraph level (only right-to-left letters,
    marks and neutrals in a right-to-left paragraph, say) is at that level throughout.
    Otherwise python-bidi resolves it; it only returns the reordered string or, with
    ``debug``, its analysis (levels per UTF-8 byte), so the levels are read from that.
    """
    if not text:
        return []
    blocking = _NOT_AT_RTL_LEVEL if rtl else _NOT_AT_LTR_LEVEL
    if not any(unicodedata.bidirectional(char) in blocking for char in set(text)):
        return [1 if rtl else 0] * len(text)
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


# One item: start, end (in the line's characters), face and bidi level.
_Item = tuple[int, int, FontFace, int]


def _itemize(text: str, rtl: bool, bold: bool) -> tuple[str, list[_Item]]:
    """The characters of a line that are drawn (NFC ``text``, bidi controls dropped), and
    its runs of one level and one face, in logical order."""
    isolated = isolate_numbers(text)
    levels = bidi_levels(isolated, rtl)
    if _BIDI_CONTROL.search(isolated):
        kept = [(c, lv) for c, lv in zip(isolated, levels, strict=True) if c not in _BIDI_CONTROLS]
        chars = "".join(c for c, _ in kept)
        levels = [lv for _, lv in kept]
    else:
        chars = isolated
    base = 1 if rtl else 0
    # Rule L1: trailing whitespace takes the paragraph level.
    index = len(chars) - 1
    while index >= 0 and chars[index].isspace():
        levels[index] = base
        index -= 1
    faces = font_faces(bold)
    fallback = faces[0]
    fonts = [face or fallback for face in assign_fonts(chars, faces)]
    items: list[_Item] = []
    start = 0
    for index in range(1, len(chars) + 1):
        if (
            index == len(chars)
            or levels[index] != levels[start]
            or fonts[index] is not fonts[start]
        ):
            items.append((start, index, fonts[start], levels[start]))
            start = index
    return chars, items


def _shape(codepoints: list[int], item: _Item) -> tuple[hb.Buffer, int]:
    """HarfBuzz's output for one item, and the offset to add to its cluster values.

    The characters around the item are context, so letters join across a change of font
    or level; only a few are passed, so shaping a long line stays linear.
    """
    start, end, face, level = item
    low = max(0, start - _CONTEXT)
    buffer = hb.Buffer()
    buffer.add_codepoints(codepoints[low : end + _CONTEXT], start - low, end - start)
    buffer.direction = "rtl" if level % 2 else "ltr"
    buffer.guess_segment_properties()
    hb.shape(face.hb_font, buffer)
    return buffer, low


def _normalized(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\t", " "))


def shape_line(text: str, rtl: bool, bold: bool = False) -> ShapedLine:
    """Shape one line (no line breaks) for a paragraph of the given direction."""
    chars, items = _itemize(_normalized(text), rtl, bold)
    codepoints = [ord(c) for c in chars]
    runs = [
        _shape_run(codepoints, chars, items[i]) for i in visual_order([item[3] for item in items])
    ]
    return ShapedLine(tuple(runs), sum(run.advance for run in runs))


def _shape_run(codepoints: list[int], chars: str, item: _Item) -> GlyphRun:
    _, end, face, level = item
    buffer, low = _shape(codepoints, item)
    infos = buffer.glyph_infos
    positions = buffer.glyph_positions
    starts = sorted({info.cluster + low for info in infos})
    cluster_end = dict(zip(starts, [*starts[1:], end], strict=True))
    upem = face.units_per_em
    ttf = face.ttf
    glyphs: list[Glyph] = []
    cells: list[TextCell] = []
    rtl = level % 2 == 1
    count = len(infos)
    index = 0
    while index < count:
        cluster = infos[index].cluster
        box = 0
        while index < count and infos[index].cluster == cluster:
            gid, pos = infos[index].codepoint, positions[index]
            glyphs.append(
                Glyph(
                    gid=gid,
                    advance=pos.x_advance / upem,
                    dx=pos.x_offset / upem,
                    dy=pos.y_offset / upem,
                )
            )
            box += pos.x_advance
            index += 1
        first, last = cluster + low, cluster_end[cluster + low]
        share = box / upem / (last - first)
        order = range(last - 1, first - 1, -1) if rtl else range(first, last)
        cells.extend(TextCell(i, ttf.text_code(chars[i], share * 1000.0), share) for i in order)
    return GlyphRun(face, tuple(glyphs), tuple(cells), rtl)


# -- measuring and wrapping --------------------------------------------------------------


def _advance(text: str, rtl: bool, bold: bool) -> float:
    """The shaped width of a line of NFC text, in ems (what :func:`shape_line` gives)."""
    chars, items = _itemize(text, rtl, bold)
    codepoints = [ord(c) for c in chars]
    total = 0.0
    for item in items:
        buffer, _ = _shape(codepoints, item)
        total += sum(pos.x_advance for pos in buffer.glyph_positions) / item[2].units_per_em
    return total


def text_width(text: str, size: float, lang: str | None, bold: bool = False) -> float:
    """The width of ``text`` drawn on one line, in points."""
    return _advance(_normalized(text), paragraph_is_rtl(text, lang), bold) * size


def wrap_paragraph(
    text: str, width: float, size: float, lang: str | None, bold: bool = False
) -> list[Line]:
    """Break ``text`` into lines no wider than ``width`` (a word too long is cut).

    Breaks happen at spaces in logical order; each line is then shaped and reordered on its
    own, so the first words of the paragraph are on the first line in either direction.
    Line breaks in ``text`` start new lines; runs of spaces count as one. The time taken
    grows linearly with the length of ``text``, however long its words.
    """
    rtl = paragraph_is_rtl(text, lang)
    lines: list[Line] = []
    if not text.strip():
        return lines
    text = unicodedata.normalize("NFC", text)
    for hard_line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        words = [w for w in _SPACES.split(hard_line.strip()) if w]
        if not words:
            lines.append(Line("", rtl, size, 0.0, bold))
            continue
        lines.extend(_wrap_words(words, width / size, size, rtl, bold))
    return lines


# A word, or a piece of a word cut to fit: (text, width in ems, alone on its line).
_Token = tuple[str, float, bool]


def _tokens(words: list[str], limit: float, rtl: bool, bold: bool) -> list[_Token]:
    widths: dict[str, float] = {}
    tokens: list[_Token] = []
    for word in words:
        if word not in widths:
            widths[word] = _advance(word, rtl, bold)
        if widths[word] <= limit:
            tokens.append((word, widths[word], False))
            continue
        pieces = _cut_word(word, limit, rtl, bold)
        tokens.extend((piece, piece_width, True) for piece, piece_width in pieces[:-1])
        tokens.append((*pieces[-1], False))
    return tokens


def _wrap_words(words: list[str], limit: float, size: float, rtl: bool, bold: bool) -> list[Line]:
    tokens = _tokens(words, limit, rtl, bold)
    space = _advance(" ", rtl, bold)
    lines: list[Line] = []
    index = 0
    while index < len(tokens):
        text, total, alone = tokens[index]
        count = 1
        while not alone and index + count < len(tokens):
            _, word_width, next_alone = tokens[index + count]
            if next_alone or total + space + word_width > limit:
                break
            total += space + word_width
            count += 1
        # The sum ignores kerning and font changes between words: measure the real line.
        while count > 1:
            text = " ".join(token[0] for token in tokens[index : index + count])
            total = _advance(text, rtl, bold)
            if total <= limit:
                break
            count -= 1
        if count == 1:
            text, total, _ = tokens[index]
        lines.append(Line(text, rtl, size, total, bold))
        index += count
    return lines


def _cut_word(word: str, limit: float, rtl: bool, bold: bool) -> list[tuple[str, float]]:
    """Cut a word wider than the line into pieces that fit, with their widths in ems.

    Cuts fall between shaped clusters (never inside a ligature or between a letter and
    its marks). The word is shaped once; each piece is measured once more, as it joins
    differently at its ends, and given back a cluster if that made it too wide.
    """
    chars, items = _itemize(word, rtl, bold)
    codepoints = [ord(c) for c in chars]
    advance = [0.0] * (len(chars) + 1)
    starts = bytearray(len(chars) + 1)
    starts[len(chars)] = 1
    for item in items:
        buffer, low = _shape(codepoints, item)
        upem = item[2].units_per_em
        for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
            advance[info.cluster + low] += pos.x_advance / upem
            starts[info.cluster + low] = 1
    # Where each drawn character is in the word (bidi controls are not drawn).
    where = list(range(len(word)))
    if len(chars) != len(word):
        where = [i for i, c in enumerate(word) if c not in _BIDI_CONTROLS]
    where[len(chars) :] = [len(word)]
    pieces: list[tuple[str, float]] = []
    # Aim a little short: a piece's ends join differently once it is cut off.
    target = limit * 0.98
    begin = 0
    while True:
        cuts = [begin]
        total = 0.0
        end = begin
        while end < len(chars):
            step = end + 1
            while not starts[step]:
                step += 1
            if len(cuts) > 1 and total + advance[end] > target:
                break
            total += advance[end]
            end = step
            cuts.append(end)
        first = where[begin] if begin else 0
        piece = word[first : where[end]]
        piece_width = _advance(piece, rtl, bold)
        while piece_width > limit and len(cuts) > 2:
            # Give back as many clusters as the piece is too wide, then measure again.
            excess = piece_width - limit
            while len(cuts) > 2 and excess > 0:
                excess -= advance[cuts[-2]]
                cuts.pop()
            end = cuts[-1]
            piece = word[first : where[end]]
            piece_width = _advance(piece, rtl, bold)
        pieces.append((piece, piece_width))
        if end >= len(chars):
            return pieces
        begin = end


# -- drawing -----------------------------------------------------------------------------


def draw_shaped(canvas: Canvas, x: float, y: float, line: ShapedLine, size: float) -> None:
    """Draw a shaped line with its left edge at ``x`` and baseline at ``y``: its glyphs as
    outlines, then the invisible text layer that gives them their text."""
    pen = x
    for run in line.runs:
        for glyph in run.glyphs:
            draw_glyph(
                canvas, run.face, glyph.gid, pen + glyph.dx * size, y + glyph.dy * size, size
            )
            pen += glyph.advance * size
    _draw_text_layer(canvas, x, y, line, size)


# Characters PDF readers take as right to left (the Hebrew and Arabic blocks, digits
# aside) and as neutral (spaces, ASCII and general punctuation, Arabic-Indic digits).
_READ_NEUTRAL = re.compile("[\x00-\x2f\x3a-\x40\u0660-\u066d\u06f0-\u06f9\u2000-\u206f]")
_READ_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")

# A piece of the text layer drawn with one Tm: its face, left edge (ems from the line's
# left edge) and cells, left to right; "reversed" pieces are a right-to-left group.
_Chunk = tuple[FontFace, float, list[TextCell], bool]


def _reads(char: str) -> str:
    if _READ_NEUTRAL.match(char):
        return "neutral"
    return "rtl" if _READ_RTL.match(char) else "ltr"


def _layer_chunks(line: ShapedLine) -> list[_Chunk]:
    """The text layer in the order it is written to the page.

    Readers that follow the content stream (pypdf) take text as written in display order
    and reverse each right-to-left stretch of one font. So the runs are written in logical
    order; a right-to-left run as groups that start and end with a right-to-left letter,
    each in display order, and whatever such a reader would order differently (spaces
    and punctuation at the ends of a run, digits, Latin letters) one character at a time.
    Positions are those of the glyphs, for readers that order text by position.
    """
    placed: list[tuple[GlyphRun, list[tuple[float, TextCell]]]] = []
    pen = 0.0
    for run in line.runs:
        cells = []
        for cell in run.cells:
            cells.append((pen, cell))
            pen += cell.width
        if cells:
            placed.append((run, cells))
    placed.sort(key=lambda item: min(cell.index for _, cell in item[1]))
    chunks: list[_Chunk] = []
    for run, cells in placed:
        face = run.face
        logical = sorted(cells, key=lambda item: item[1].index)
        kinds = [_reads(face.ttf.text_for_code(ord(cell.code))) for _, cell in logical]
        index = 0
        while index < len(logical):
            kind = kinds[index]
            if run.rtl and kind == "rtl":
                last = end = index
                while end < len(logical) and kinds[end] != "ltr":
                    last = end if kinds[end] == "rtl" else last
                    end += 1
                group = logical[index : last + 1][::-1]
                chunks.append((face, group[0][0], [cell for _, cell in group], True))
                index = last + 1
            elif not run.rtl and kind == "ltr":
                rest = logical[index:]
                chunks.append((face, rest[0][0], [cell for _, cell in rest], False))
                index = len(logical)
            else:
                x, cell = logical[index]
                chunks.append((face, x, [cell], False))
                index += 1
    return chunks


def _draw_text_layer(canvas: Canvas, x: float, y: float, line: ShapedLine, size: float) -> None:
    layer = canvas.beginText()
    layer.setTextRenderMode(3)
    doc = canvas._doc
    for face, left, cells, rtl in _layer_chunks(line):
        codes = "".join(cell.code for cell in cells)
        pieces = [(left, codes)]
        if rtl and len(cells) > 1:
            # A change of font subset inside a group would split it for the readers that
            # reverse it: write its pieces in logical order, each one in display order.
            pieces = []
            start = 0
            offset = left
            for _subset, data in face.ttf.splitString(codes, doc):
                pieces.append((offset, codes[start : start + len(data)]))
                offset += sum(cell.width for cell in cells[start : start + len(data)])
                start += len(data)
            pieces.reverse()
        for offset, text in pieces:
            layer.setFont(face.name, size)  # a new font operator ends a reader's stretch
            layer.setTextOrigin(x + offset * size, y)
            layer.textOut(text)
    layer.setTextRenderMode(0)  # the render mode outlives the text object
    canvas.drawText(layer)


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
