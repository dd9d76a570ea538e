"""The mark on every page printed from a demo installation.

Forms and reports printed from a demo look exactly like real ones, so a sheet left in a
training room could pass for a real person's record. Every page of a demo installation's
print therefore carries, in the form's language, a line above the page header and the same
words across the page in a light tint, under which the form stays readable.
"""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from shelter_desk.reports.names import DEMO_MARK
from shelter_desk.reports.text import draw_text, text_width

__all__ = ["DEMO_MARK", "paint_demo_mark"]

_MARK_INK = Color(0.7, 0.1, 0.1)
_TINT_ALPHA = 0.09  # light enough to read the form through
_ACROSS_ANGLE = 35.0  # degrees from the horizontal
_ACROSS_SHARE = 0.85  # of the page's width, before rotating


def paint_demo_mark(
    canvas: Canvas,
    text: str,
    lang: str,
    *,
    page_width: float,
    page_height: float,
    top_margin: float,
    size: float,
) -> None:
    """Paint ``text`` (the translated :data:`DEMO_MARK`) on the current page: bold and
    centred in the top margin, and large and light across the middle of the page."""
    canvas.saveState()
    canvas.setFillColor(_MARK_INK)
    draw_text(
        canvas,
        page_width / 2,
        page_height - top_margin / 2 - size / 3,
        text,
        size,
        lang=lang,
        align="center",
        bold=True,
    )
    natural = text_width(text, 1.0, lang, bold=True)
    across = page_width * _ACROSS_SHARE / natural if natural > 0 else size
    canvas.setFillAlpha(_TINT_ALPHA)
    canvas.translate(page_width / 2, page_height / 2)
    canvas.rotate(_ACROSS_ANGLE)
    draw_text(canvas, 0.0, -across / 3, text, across, lang=lang, align="center", bold=True)
    canvas.restoreState()
