"""Bar charts drawn on a printed report's page, mirrored for right-to-left languages.

Labels and values are shaped and drawn like all printed text (``reports.text``), so an
Arabic country name joins its letters and a Hebrew chart grows from the right. A value
hidden as a small count gets no bar (its length would give the count away).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color

from shelter_desk.reports.forms_base import FormSheet
from shelter_desk.reports.text import ASCENT, draw_text, text_width

_BAR = Color(0.25, 0.42, 0.62)
_AXIS = Color(0.45, 0.45, 0.45)
_INK = Color(0, 0, 0)
MAX_BARS = 15


@dataclass(frozen=True)
class Bar:
    label: str
    label_lang: str | None  # None: from its letters
    value: float | None  # None: hidden (no bar drawn)
    text: str  # the value as printed beside the bar


class ReportSheet(FormSheet):
    """A :class:`FormSheet` that also draws horizontal bar charts."""

    bar_height = 11.0
    bar_gap = 4.0

    def bar_chart(self, bars: Sequence[Bar]) -> None:
        """One bar per item (at most ``MAX_BARS``), labels on the start side."""
        shown = list(bars)[:MAX_BARS]
        if not shown:
            return
        s = self.style
        size = s.label_size
        step = self.bar_height + self.bar_gap
        height = step * len(shown) + self.bar_gap
        label_width = self.width * 0.36
        value_room = max(text_width(b.text, size, self.lang) for b in shown) + s.gap
        bar_room = self.width - label_width - s.gap - value_room
        largest = max((b.value for b in shown if b.value is not None), default=0.0) or 1.0
        self.ensure_space(height + s.block_spacing)
        top = self.y - self.bar_gap
        canvas = self.canvas
        axis_x = self.span(label_width + s.gap, 0)
        canvas.setStrokeColor(_AXIS)
        canvas.setLineWidth(0.6)
        canvas.line(axis_x, top + 2, axis_x, top - height + self.bar_gap)
        for index, bar in enumerate(shown):
            bar_top = top - index * step
            baseline = bar_top - self.bar_height + (self.bar_height - size * ASCENT) / 2 + 1.5
            canvas.setFillColor(_INK)
            draw_text(
                canvas,
                self.span(0, label_width),
                baseline,
                _fit(bar.label, size, label_width, bar.label_lang),
                size,
                lang=bar.label_lang,
                align=self.start_side,
                width=label_width,
            )
            length = 0.0
            if bar.value is not None and bar.value > 0:
                length = max(1.0, bar_room * bar.value / largest)
                canvas.setFillColor(_BAR)
                x = self.span(label_width + s.gap, length)
                canvas.rect(x, bar_top - self.bar_height, length, self.bar_height, stroke=0, fill=1)
            canvas.setFillColor(_INK)
            draw_text(
                canvas,
                self.span(label_width + s.gap + length + s.gap / 2, value_room),
                baseline,
                bar.text,
                size,
                lang=self.lang,
                align=self.start_side,
                width=value_room,
            )
        self.y -= height + s.block_spacing
        self._page_has_content = True


def _fit(text: str, size: float, width: float, lang: str | None) -> str:
    """``text`` cut with an ellipsis so that it fits on one line of ``width`` points."""
    if text_width(text, size, lang) <= width:
        return text
    words = text.split()
    while len(words) > 1 and text_width(" ".join(words) + "\u2026", size, lang) > width:
        words.pop()
    return " ".join(words) + "\u2026"
