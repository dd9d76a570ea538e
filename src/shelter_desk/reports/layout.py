"""Page frame and building blocks for printed forms, mirrored for right-to-left languages.

A :class:`FormWriter` draws on A4 or Letter pages. Every page carries the organisation's
name, the case number, "page N of M", the printing date and a confidentiality line (and,
printed from a demo installation, the DEMO DATA mark: ``demo_mark``); the frame is painted
when the document is finished, once the page count is known.

Blocks (headings, boxed fields, tick-box groups, signature lines, paragraphs) flow down the
page and start a new page when they do not fit. In a right-to-left form labels sit on the
right and boxes flow from right to left. Every label may be bilingual: a :class:`Label`
carries the primary-language text and, optionally, the same label in a second language
(Arabic + English, Georgian + Russian...), printed smaller underneath.

Labels arrive already translated (the forms layer calls ``_()`` per language, or
:func:`translated`/:func:`label_for`); the frame's own words are translated here with
:func:`translated`, which never changes the application's language.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from babel import dates, numbers
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from shelter_desk import __version__
from shelter_desk.i18n import N_, is_rtl, isolate, load_translations, locale, ltr, translate
from shelter_desk.i18n.date_style import DateStyle
from shelter_desk.reports.demo_mark import DEMO_MARK, paint_demo_mark
from shelter_desk.reports.fonts import font_faces
from shelter_desk.reports.text import (
    ASCENT,
    DESCENT,
    LEADING,
    Align,
    Line,
    draw_lines,
    draw_text,
    paragraph_is_rtl,
    text_width,
    wrap_paragraph,
)

SOURCE_LANGUAGE = "en"  # the language of the msgids

PAPER_SIZES: dict[str, tuple[float, float]] = {"A4": A4, "Letter": LETTER}

# CLDR supplemental measurementData, paperSize "US-Letter" (babel does not ship it).
LETTER_TERRITORIES = frozenset(
    {"BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"}
)

CASE_NUMBER = N_("Case number: {number}")
PAGE_OF = N_("Page {page} of {total}")
PRINTED_ON = N_("Printed on {date}")
MADE_BY = N_("Shelter Desk {version}")
CONFIDENTIAL = N_(
    "Confidential: personal data of a protected person. "
    "Do not copy, share or leave unattended; destroy securely."
)
SIGNATURE = N_("Signature")
DATE = N_("Date")

_INK = Color(0, 0, 0)
_LABEL_INK = Color(0.2, 0.2, 0.2)
_SECONDARY_INK = Color(0.38, 0.38, 0.38)
_RULE_INK = Color(0.45, 0.45, 0.45)


def paper_for_locale(
    lang: str, country: str | None = None, override: str | None = None
) -> tuple[float, float]:
    """A4 or Letter (width, height in points) for where the form is printed.

    ``override`` ("A4" or "Letter", a user setting) wins; otherwise Letter in the
    territories where CLDR says Letter is used, A4 elsewhere. Without ``country`` the
    language's likely territory is used (en -> US).
    """
    if override is not None:
        if override not in PAPER_SIZES:
            raise ValueError(f"unknown paper size: {override}")
        return PAPER_SIZES[override]
    territory = (country or locale(lang).territory or "").upper()
    return LETTER if territory in LETTER_TERRITORIES else A4


@functools.cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    return load_translations(lang)


def translated(lang: str, message: str) -> str:
    """``message`` in ``lang``, without touching the application's current language."""
    return translate(_catalogue(lang), message)


def translated_text(lang: str, message: str) -> tuple[str, str]:
    """``message`` in ``lang`` and the language it really is in: a message with no
    translation yet stays in the English source and must be laid out left to right."""
    text = translated(lang, message)
    return text, (lang if text != message else SOURCE_LANGUAGE)


@dataclass(frozen=True)
class Label:
    """A label in the form's language and, for bilingual forms, in a second language.

    ``lang``/``secondary_lang`` override the language each text is laid out in (by default
    the form's languages), e.g. for a label whose translation is missing.
    """

    primary: str
    secondary: str | None = None
    lang: str | None = None
    secondary_lang: str | None = None


def label_for(message: str, lang: str, secondary_lang: str | None = None) -> Label:
    """Translate a source message into one or two languages."""
    primary, primary_lang = translated_text(lang, message)
    if secondary_lang is None:
        return Label(primary, lang=primary_lang)
    secondary, second_lang = translated_text(secondary_lang, message)
    return Label(primary, secondary, primary_lang, second_lang)


LabelText = str | Label


def _as_label(text: LabelText) -> Label:
    return text if isinstance(text, Label) else Label(text)


@dataclass(frozen=True)
class PageFrame:
    """What every page of a printed form carries.

    ``confidentiality`` replaces the standard confidentiality line (already translated);
    with ``secondary_lang`` the standard line is printed in both languages.
    """

    organisation: str
    lang: str
    case_number: str | None = None
    secondary_lang: str | None = None
    printed_on: dt.date | None = None
    confidentiality: str | None = None
    paper: tuple[float, float] = A4
    demo: bool = False  # printed from a demo installation: every page says DEMO DATA
    # The organisation's country, or the order chosen.
    date_style: DateStyle = field(default_factory=DateStyle)


@dataclass(frozen=True)
class FormStyle:
    """Sizes in points."""

    margin: float = 16 * mm
    header_height: float = 15 * mm
    footer_height: float = 15 * mm
    text_size: float = 10.0
    label_size: float = 9.0
    secondary_size: float = 7.5
    heading_size: float = 12.5
    frame_size: float = 7.5
    label_fraction: float = 0.34  # share of the content width taken by the label column
    gap: float = 6.0
    box_line_height: float = 17.0
    tick_size: float = 9.0
    block_spacing: float = 7.0


class _DeferredFrameCanvas(Canvas):
    """A canvas that holds its pages until :meth:`save`, when the page count is known,
    so that the frame painter can write "page N of M" on each of them."""

    def __init__(
        self,
        buffer: io.BytesIO,
        pagesize: tuple[float, float],
        painter: Callable[[Canvas, int, int], None],
    ) -> None:
        # The initial font is a bundled face, so the PDF has no unembedded Helvetica.
        super().__init__(
            buffer,
            pagesize=pagesize,
            pageCompression=1,
            initialFontName=font_faces()[0].name,
            initialFontSize=10,
        )
        self._held_pages: list[dict[str, object]] = []
        self._painter = painter

    @property
    def held_pages(self) -> int:
        return len(self._held_pages)

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            self._painter(self, number, total)
            super().showPage()
        super().save()


class FormWriter:
    """Lays out one printed form; :meth:`finish` returns the PDF bytes (nothing on disk)."""

    def __init__(self, frame: PageFrame, style: FormStyle | None = None) -> None:
        self.frame = frame
        self.style = style or FormStyle()
        self.lang = frame.lang
        self.secondary_lang = frame.secondary_lang
        self.rtl = is_rtl(frame.lang)
        self.page_width, self.page_height = frame.paper
        s = self.style
        self.left = s.margin
        self.right = self.page_width - s.margin
        self.width = self.right - self.left
        self.top = self.page_height - s.margin - s.header_height
        self.bottom = s.margin + s.footer_height
        self._buffer = io.BytesIO()
        self.canvas = _DeferredFrameCanvas(self._buffer, frame.paper, self._paint_frame)
        self.canvas.setTitle(frame.organisation)
        self.canvas.setCreator(f"Shelter Desk {__version__}")
        self.y = self.top
        self._page_has_content = False
        self._finished = False

    # -- geometry ---------------------------------------------------------------------

    @property
    def start_side(self) -> Align:
        """The physical side a line starts on in this form: right in Arabic and Hebrew."""
        return "right" if self.rtl else "left"

    def span(self, offset: float, width: float) -> float:
        """The left x of a span ``offset`` points from the form's start edge."""
        return self.right - offset - width if self.rtl else self.left + offset

    @property
    def label_width(self) -> float:
        return self.width * self.style.label_fraction

    @property
    def box_offset(self) -> float:
        return self.label_width + self.style.gap

    @property
    def box_width(self) -> float:
        return self.width - self.box_offset

    def ensure_space(self, height: float) -> None:
        """Start a new page unless ``height`` more points fit on this one."""
        if self._page_has_content and self.y - height < self.bottom:
            self.new_page()

    def new_page(self) -> None:
        self.canvas.showPage()
        self.y = self.top
        self._page_has_content = False

    def space(self, points: float) -> None:
        self.y -= points

    # -- text helpers -----------------------------------------------------------------

    def _label_lines(
        self, label: Label, width: float, size: float, bold: bool = False
    ) -> list[tuple[list[Line], Color]]:
        s = self.style
        primary_lang = label.lang or self.lang
        blocks = [(wrap_paragraph(label.primary, width, size, primary_lang, bold), _LABEL_INK)]
        if label.secondary:
            second_size = size * s.secondary_size / s.label_size
            second_lang = label.secondary_lang or self.secondary_lang
            lines = wrap_paragraph(label.secondary, width, second_size, second_lang)
            blocks.append((lines, _SECONDARY_INK))
        return blocks

    @staticmethod
    def _blocks_height(blocks: Sequence[tuple[list[Line], Color]]) -> float:
        height = 0.0
        for lines, _ in blocks:
            if lines:
                size = lines[0].size
                height += size * (ASCENT + DESCENT) + size * LEADING * (len(lines) - 1)
        return height

    def _draw_blocks(
        self, blocks: Sequence[tuple[list[Line], Color]], x: float, top: float, width: float
    ) -> None:
        for lines, ink in blocks:
            self.canvas.setFillColor(ink)
            top -= draw_lines(self.canvas, x, top, lines, width, align=self.start_side)
        self.canvas.setFillColor(_INK)

    # -- blocks -----------------------------------------------------------------------

    def heading(self, title: LabelText) -> None:
        """A section heading across the page with a rule under it."""
        s = self.style
        label = _as_label(title)
        blocks = self._label_lines(label, self.width, s.heading_size, bold=True)
        height = self._blocks_height(blocks) + 4.0
        self.ensure_space(height + s.box_line_height * 2)
        self.y -= s.block_spacing
        self._draw_blocks(blocks, self.left, self.y, self.width)
        self.y -= height
        self.canvas.setStrokeColor(_RULE_INK)
        self.canvas.setLineWidth(0.8)
        self.canvas.line(self.left, self.y + 2.0, self.right, self.y + 2.0)
        self.y -= s.block_spacing / 2
        self._page_has_content = True

    def field(
        self,
        label: LabelText,
        value: str | None = None,
        *,
        lines: int = 1,
        value_lang: str | None = None,
    ) -> None:
        """A labelled box: blank for handwriting (``lines`` high) or filled with ``value``.

        The value's direction comes from ``value_lang`` or from its first strong letter, so
        a Latin name in an Arabic form reads left to right inside its right-aligned box.
        """
        s = self.style
        pad = 4.0
        blocks = self._label_lines(_as_label(label), self.label_width, s.label_size)
        value_lines: list[Line] = []
        if value:
            value_lines = wrap_paragraph(value, self.box_width - 2 * pad, s.text_size, value_lang)
        value_height = (
            s.text_size * (ASCENT + DESCENT) + s.text_size * LEADING * (len(value_lines) - 1)
            if value_lines
            else 0.0
        )
        box_height = max(lines * s.box_line_height, value_height + 2 * pad)
        height = max(box_height, self._blocks_height(blocks) + pad)
        self.ensure_space(height + s.block_spacing)
        top = self.y
        self._draw_blocks(blocks, self.span(0, self.label_width), top - pad, self.label_width)
        box_x = self.span(self.box_offset, self.box_width)
        self.canvas.setStrokeColor(_RULE_INK)
        self.canvas.setLineWidth(0.6)
        self.canvas.rect(box_x, top - box_height, self.box_width, box_height, stroke=1, fill=0)
        if value_lines:
            self.canvas.setFillColor(_INK)
            draw_lines(
                self.canvas,
                box_x + pad,
                top - pad,
                value_lines,
                self.box_width - 2 * pad,
                align=self.start_side,
            )
        self.y = top - height - s.block_spacing
        self._page_has_content = True

    def tick_boxes(
        self,
        label: LabelText,
        options: Sequence[tuple[str, LabelText]],
        ticked: Collection[str] = (),
        *,
        columns: int = 2,
    ) -> None:
        """A group of tick boxes, one per (code, label) option; codes in ``ticked`` are ticked.

        Options flow in ``columns`` columns from the form's start side: left to right in
        English, right to left in Arabic, each box on the start side of its label.
        """
        s = self.style
        blocks = self._label_lines(_as_label(label), self.label_width, s.label_size)
        cell_width = self.box_width / max(columns, 1)
        text_width = cell_width - s.tick_size - 2 * s.gap
        cells = [
            (code, self._label_lines(_as_label(text), text_width, s.label_size))
            for code, text in options
        ]
        rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
        row_heights = [
            max(s.tick_size, *(self._blocks_height(b) for _, b in row)) + 4.0 for row in rows
        ]
        first_row = row_heights[0] if row_heights else 0.0
        self.ensure_space(max(self._blocks_height(blocks), first_row) + s.block_spacing)
        top = self.y
        self._draw_blocks(blocks, self.span(0, self.label_width), top - 2.0, self.label_width)
        label_bottom = top - self._blocks_height(blocks) - 2.0
        for row, row_height in zip(rows, row_heights, strict=True):
            if self.y - row_height < self.bottom:
                self.new_page()
                label_bottom = self.y
            for column, (code, cell_blocks) in enumerate(row):
                offset = self.box_offset + column * cell_width
                box_x = self.span(offset, s.tick_size)
                box_top = self.y - 2.0
                self._tick_box(box_x, box_top - s.tick_size, code in ticked)
                text_x = self.span(offset + s.tick_size + s.gap, text_width)
                self._draw_blocks(cell_blocks, text_x, self.y, text_width)
            self.y -= row_height
        self.y = min(self.y, label_bottom) - s.block_spacing
        self._page_has_content = True

    def _tick_box(self, x: float, y: float, ticked: bool) -> None:
        size = self.style.tick_size
        c = self.canvas
        c.setStrokeColor(_INK)
        c.setLineWidth(0.7)
        c.rect(x, y, size, size, stroke=1, fill=0)
        if ticked:
            c.setLineWidth(1.3)
            path = c.beginPath()
            path.moveTo(x + size * 0.18, y + size * 0.52)
            path.lineTo(x + size * 0.42, y + size * 0.22)
            path.lineTo(x + size * 0.85, y + size * 0.85)
            c.drawPath(path, stroke=1, fill=0)

    def signature(
        self, label: LabelText | None = None, date_label: LabelText | None = None
    ) -> None:
        """A signature line and a date line, each with its label under it."""
        s = self.style
        sign = _as_label(label) if label is not None else self._standard_label(SIGNATURE)
        when = _as_label(date_label) if date_label is not None else self._standard_label(DATE)
        sign_width = self.width * 0.58
        date_width = self.width - sign_width - 3 * s.gap
        sign_blocks = self._label_lines(sign, sign_width, s.label_size)
        date_blocks = self._label_lines(when, date_width, s.label_size)
        line_space = 30.0
        height = line_space + max(
            self._blocks_height(sign_blocks), self._blocks_height(date_blocks)
        )
        self.ensure_space(height + s.block_spacing)
        line_y = self.y - line_space
        self.canvas.setStrokeColor(_INK)
        self.canvas.setLineWidth(0.7)
        for offset, width, blocks in (
            (0.0, sign_width, sign_blocks),
            (sign_width + 3 * s.gap, date_width, date_blocks),
        ):
            x = self.span(offset, width)
            self.canvas.line(x, line_y, x + width, line_y)
            self._draw_blocks(blocks, x, line_y - 2.0, width)
        self.y -= height + s.block_spacing
        self._page_has_content = True

    def paragraph(self, text: str, *, lang: str | None = None, size: float | None = None) -> None:
        """Running text across the page, in ``lang`` (default: the form's language)."""
        s = self.style
        size = size or s.text_size
        text_lang = lang or self.lang
        lines = wrap_paragraph(text, self.width, size, text_lang)
        step = size * LEADING
        align: Align = "right" if paragraph_is_rtl(text, text_lang) else "left"
        index = 0
        while index < len(lines):
            self.ensure_space(size * (ASCENT + DESCENT))
            fits = max(1, int((self.y - self.bottom - size * (ASCENT + DESCENT)) // step) + 1)
            chunk = lines[index : index + fits]
            self.canvas.setFillColor(_INK)
            self.y -= draw_lines(self.canvas, self.left, self.y, chunk, self.width, align=align)
            index += len(chunk)
            self._page_has_content = True
            if index < len(lines):
                self.new_page()
        self.y -= s.block_spacing

    def _standard_label(self, message: str) -> Label:
        return label_for(message, self.lang, self.secondary_lang)

    # -- frame ------------------------------------------------------------------------

    def _paint_frame(self, canvas: Canvas, page: int, total: int) -> None:
        frame, s = self.frame, self.style
        lang = frame.lang
        size = s.frame_size
        canvas.saveState()
        canvas.setFillColor(_INK)
        header_y = self.page_height - s.margin - size
        half = self.width / 2 - s.gap
        draw_text(
            canvas,
            self.span(0, half),
            header_y,
            frame.organisation,
            size + 1.5,
            lang=lang,
            align=self.start_side,
            width=half,
            bold=True,
        )
        if frame.case_number:
            case_text, case_lang = translated_text(lang, CASE_NUMBER)
            draw_text(
                canvas,
                self.span(self.width - half, half),
                header_y,
                case_text.format(number=ltr(frame.case_number)),
                size + 1.5,
                lang=case_lang,
                align="left" if self.rtl else "right",
                width=half,
                bold=True,
            )
        canvas.setStrokeColor(_RULE_INK)
        canvas.setLineWidth(0.5)
        rule_y = header_y - size * DESCENT - 4.0
        canvas.line(self.left, rule_y, self.right, rule_y)
        footer_top = s.margin + s.footer_height - 4.0
        canvas.line(self.left, footer_top, self.right, footer_top)
        locale_ = locale(lang)
        page_text, page_lang = translated_text(lang, PAGE_OF)
        page_text = page_text.format(
            page=numbers.format_decimal(page, locale=locale_),
            total=numbers.format_decimal(total, locale=locale_),
        )
        printed = frame.printed_on or dt.date.today()
        printed_text, printed_lang = translated_text(lang, PRINTED_ON)
        printed_text = printed_text.format(
            date=isolate(
                dates.format_date(
                    printed,
                    format=frame.date_style.pattern("long", lang),
                    locale=frame.date_style.locale(lang),
                )
            )
        )
        first_y = footer_top - size * ASCENT - 2.0
        info_width = self.width * 0.3
        draw_text(
            canvas,
            self.span(0, info_width),
            first_y,
            printed_text,
            size,
            lang=printed_lang,
            align=self.start_side,
            width=info_width,
        )
        draw_text(
            canvas,
            self.span(self.width - info_width, info_width),
            first_y,
            page_text,
            size,
            lang=page_lang,
            align="left" if self.rtl else "right",
            width=info_width,
        )
        # Which release printed it, between the date and the page number (in grey).
        version_text, version_lang = translated_text(lang, MADE_BY)
        canvas.setFillColor(_SECONDARY_INK)
        draw_text(
            canvas,
            self.left + info_width,
            first_y,
            version_text.format(version=ltr(__version__)),
            size,
            lang=version_lang,
            align="center",
            width=self.width - 2 * info_width,
        )
        notices = (
            [(frame.confidentiality, lang)]
            if frame.confidentiality is not None
            else [translated_text(lang, CONFIDENTIAL)]
        )
        if frame.confidentiality is None and frame.secondary_lang:
            notices.append(translated_text(frame.secondary_lang, CONFIDENTIAL))
        notices = list(dict.fromkeys(notices))
        notice_y = first_y - size * LEADING
        canvas.setFillColor(_SECONDARY_INK)
        for notice, notice_lang in notices:
            # One line each: shrink a long translation rather than run into the margin.
            natural = text_width(notice, size, notice_lang)
            notice_size = size if natural <= self.width else size * self.width / natural
            draw_text(
                canvas,
                self.left,
                notice_y,
                notice,
                notice_size,
                lang=notice_lang,
                align=self.start_side,
                width=self.width,
            )
            notice_y -= size * LEADING
        canvas.restoreState()
        if frame.demo:
            mark, mark_lang = translated_text(lang, DEMO_MARK)
            paint_demo_mark(
                canvas,
                mark,
                mark_lang,
                page_width=self.page_width,
                page_height=self.page_height,
                top_margin=s.margin,
                size=size + 2.5,
            )

    # -- output -----------------------------------------------------------------------

    def finish(self) -> bytes:
        """Close the last page, paint the frame on every page and return the PDF."""
        if self._finished:
            raise RuntimeError("form already finished")
        self._finished = True
        if self._page_has_content or self.canvas.held_pages == 0:
            self.canvas.showPage()
        self.canvas.save()
        return self._buffer.getvalue()
