"""Dates, numbers and case numbers keep their order inside right-to-left text.

The visual order is computed with the Unicode bidi algorithm (python-bidi), the same rules
Qt applies when it lays out a label.
"""

from __future__ import annotations

import datetime as dt

import pytest
from bidi import get_display

from shelter_desk.i18n import _, format_date, isolate, ltr, set_language

MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u2066\u2067\u2068\u2069"))
DAY = dt.date(2026, 11, 23)


def visual(text: str) -> str:
    return get_display(text).translate(MARKS)


def test_arabic_date_inside_an_arabic_label_reads_day_month_year() -> None:
    set_language("ar")
    label = _("Opened: {date}").format(date=format_date(DAY))
    assert label != "Opened: " + format_date(DAY), "the Arabic catalogue has this label"
    shown = visual(label)
    # Drawn left to right on screen, read right to left: 23, then 11, then 2026.
    assert "2026/11/23" in shown
    assert shown.index("2026") < shown.index("23")


def test_numbers_in_arabic_text_need_isolation_and_get_it() -> None:
    bare = "رقم الحالة: " + "2024-17"
    isolated = "رقم الحالة: " + ltr("2024-17")
    assert "17-2024" in visual(bare)  # what happens without an isolate
    assert "2024-17" in visual(isolated)


@pytest.mark.parametrize("lang", ["he", "ar"])
def test_latin_name_in_rtl_text_and_rtl_name_in_english(lang: str) -> None:
    set_language(lang)
    assert "Maria Lopez" in visual(_("Case {number} saved").format(number=isolate("Maria Lopez")))
    set_language("en")
    shown = visual("Case of " + isolate("محمد علي") + " saved")
    assert shown.startswith("Case of ") and shown.endswith(" saved")


def test_hebrew_short_date_keeps_its_digits_in_order() -> None:
    set_language("he")
    assert "23.11.2026" in visual("נפתח: " + format_date(DAY, "short"))
