"""Glyphs drawn as filled outlines, each one a form XObject defined once per PDF.

The visible layer of a printed line is drawn as paths, not as text: a PDF reader then finds
no text in it at all, and reads only the invisible text layer that carries the logical
string (see :mod:`shelter_desk.reports.text`). Drawing the glyphs as text through codes
that stand for no text was readable by pypdf and poppler, whose ToUnicode handling maps
such a code to nothing, but pdfium (Chrome, QtPdf) falls back to the code itself and read
every drawn glyph as a control character between the real letters.

A glyph's outline comes from HarfBuzz in font units; quadratic segments (TrueType) are
raised to the cubic curves a PDF path has. Each glyph is a form XObject in font units,
defined once per PDF and drawn with one ``cm`` that scales it to the font size: a repeated
letter costs a few bytes, not its outline again. (Outlines written into the page itself
made a dense page exceed the two million tokens pypdf reads of one content stream.)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFFormXObject
from reportlab.pdfgen.canvas import Canvas

from shelter_desk.reports.fonts import FontFace

Point = tuple[float, float]


@dataclass(frozen=True)
class Outline:
    """A glyph's path operators in font units, and a box that holds every point."""

    path: str
    box: tuple[float, float, float, float]


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


class _PathPen:
    """Collects HarfBuzz's drawing calls as PDF path operators (fontTools pen protocol)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.current: Point = (0.0, 0.0)
        self.xs: list[float] = []
        self.ys: list[float] = []

    def _points(self, *points: Point) -> str:
        for x, y in points:
            self.xs.append(x)
            self.ys.append(y)
        return " ".join(f"{_number(x)} {_number(y)}" for x, y in points)

    def moveTo(self, point: Point) -> None:
        self.parts.append(f"{self._points(point)} m")
        self.current = point

    def lineTo(self, point: Point) -> None:
        self.parts.append(f"{self._points(point)} l")
        self.current = point

    def curveTo(self, first: Point, second: Point, end: Point) -> None:
        self.parts.append(f"{self._points(first, second, end)} c")
        self.current = end

    def qCurveTo(self, control: Point, end: Point) -> None:
        (x0, y0), (qx, qy), (x3, y3) = self.current, control, end
        first = (x0 + 2 * (qx - x0) / 3, y0 + 2 * (qy - y0) / 3)
        second = (x3 + 2 * (qx - x3) / 3, y3 + 2 * (qy - y3) / 3)
        self.curveTo(first, second, end)

    def closePath(self) -> None:
        self.parts.append("h")

    def endPath(self) -> None:
        pass


@functools.cache
def outline(face: FontFace, gid: int) -> Outline | None:
    """Glyph ``gid`` of ``face`` as a path, or ``None`` for a glyph that draws nothing."""
    pen = _PathPen()
    face.hb_font.draw_glyph_with_pen(gid, pen)
    if not pen.xs:
        return None
    box = (min(pen.xs) - 1, min(pen.ys) - 1, max(pen.xs) + 1, max(pen.ys) + 1)
    return Outline(" ".join(pen.parts), box)


def _form_name(face: FontFace, gid: int) -> str:
    return f"Glyph-{face.name}-{gid}"


def _define(canvas: Canvas, name: str, shape: Outline) -> None:
    doc = canvas._doc
    if doc.hasForm(name):
        return
    low_x, low_y, high_x, high_y = shape.box
    form = PDFFormXObject(lowerx=low_x, lowery=low_y, upperx=high_x, uppery=high_y)
    form.compression = canvas._pageCompression
    # No resources: reportlab would give every form the document's fonts, and text
    # extractors that open each form read their ToUnicode maps again (pypdf: 80 times
    # slower per page).
    form.Resources = PDFDictionary({})
    # Filled with the non-zero winding rule, as TrueType and CFF outlines are meant to be;
    # the colour is the page's fill colour where the form is drawn.
    form.setStreamList([f"{shape.path} f"])
    doc.addForm(name, form)


def draw_glyph(canvas: Canvas, face: FontFace, gid: int, x: float, y: float, size: float) -> None:
    """Draw glyph ``gid`` with its origin at (``x``, ``y``), ``size`` points to the em."""
    shape = outline(face, gid)
    if shape is None:
        return
    name = _form_name(face, gid)
    _define(canvas, name, shape)
    scale = _number_fine(size / face.units_per_em)
    canvas.addLiteral(f"q {scale} 0 0 {scale} {_number_fine(x)} {_number_fine(y)} cm")
    canvas.doForm(name)
    canvas.addLiteral("Q")


def _number_fine(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"
