"""The order dates are written in: the organisation's country with the interface language
(English in Israel writes the day first), or the order an administrator chose; the labels,
the date boxes and the printed forms agree."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from shelter_desk.domain.errors import PermissionDenied, ValidationError
from shelter_desk.i18n import format_date, format_datetime, set_date_style, set_language
from shelter_desk.i18n.date_style import DateStyle, date_locale, pattern_order
from shelter_desk.security.permissions import Role
from shelter_desk.services import printing, users
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from shelter_desk.services.settings import Settings, date_style, read_settings, save_settings
from tests.services.case_helpers import open_case

DAY = dt.date(2026, 12, 3)  # the third of December: 03/12 day first, 12/3 month first


def plain(text: str) -> str:
    return text.strip("\u2068\u2069")


@pytest.mark.parametrize(("country", "locale_name"), [("IL", "en_IL"), ("GE", "en_GE")])
def test_english_in_israel_or_georgia_writes_the_day_first(country: str, locale_name: str) -> None:
    set_date_style(DateStyle(country))
    assert str(date_locale("en", country)) == locale_name
    assert plain(format_date(DAY, "short")) == "03/12/2026"
    assert plain(format_date(DAY)) == "3 Dec 2026"
    assert plain(format_datetime(dt.datetime(2026, 12, 3, 15, 4), "short")) == "03/12/2026, 15:04"


def test_a_country_cldr_has_no_english_for_falls_back_to_world_english() -> None:
    assert str(date_locale("en", "JO")) == "en_001"  # CLDR has no en_JO
    set_date_style(DateStyle("JO"))
    assert plain(format_date(DAY, "short")) == "03/12/2026"
    assert str(date_locale("ru", "GE")) == "ru_RU"  # no ru_GE, no ru_001: the likely one
    assert str(date_locale("ar", "JO")) == "ar_JO"
    assert str(date_locale("en", "")) == "en_US"  # no country: CLDR's English as before


def test_an_override_puts_the_month_or_the_year_first() -> None:
    set_date_style(DateStyle("IL", "mdy"))
    assert plain(format_date(DAY, "short")) == "12/3/26"
    assert plain(format_date(DAY)) == "Dec 3, 2026"
    set_date_style(DateStyle("US", "dmy"))
    assert plain(format_date(DAY)) == "3 Dec 2026"
    set_date_style(DateStyle("IL", "ymd"))
    assert plain(format_date(DAY, "short")) == "2026-12-03"


def test_a_language_without_such_a_locale_moves_the_numeric_fields_only() -> None:
    set_language("ru")
    set_date_style(DateStyle("GE", "ymd"))
    assert plain(format_date(DAY, "short")) == "2026.12.03"
    assert plain(format_date(DAY)) == "3 дек. 2026\u202fг."  # a month in words is not misread
    set_language("ka")
    set_date_style(DateStyle("GE", "ymd"))
    assert plain(format_date(DAY, "short")) == "2026.12.03"  # the year in full, never "26"
    assert pattern_order("d MMM y") == "dmy" and pattern_order("MMM y") == ""


def test_the_setting_is_stored_read_by_everyone_and_refused_when_unknown(
    admin_session: Session, installation: Installation
) -> None:
    assert date_style(admin_session) == DateStyle("IL", "")
    with pytest.raises(ValidationError) as refused:
        save_settings(admin_session, _with_order(admin_session, "dym"))
    assert set(refused.value.errors) == {"date_order"}
    assert read_settings(admin_session).date_order == ""

    save_settings(admin_session, _with_order(admin_session, "mdy"))
    assert read_settings(admin_session).date_order == "mdy"
    users.add_user(admin_session, "bob", Role.CASEWORKER, "granite meadow violin ninety")
    bob = installation.unlock("bob", "granite meadow violin ninety")
    try:
        assert date_style(bob) == DateStyle("IL", "mdy")  # a caseworker's window uses it
        with pytest.raises(PermissionDenied):
            save_settings(bob, _with_order(admin_session, ""))
    finally:
        bob.lock()
    assert read_settings(admin_session).date_order == "mdy"


def _with_order(session: Session, order: str) -> Settings:
    return replace(read_settings(session), date_order=order)


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_printed_form_writes_dates_in_the_same_order(
    admin_session: Session, tmp_path: Path
) -> None:
    number = open_case(admin_session).case.number
    text = _pdf_text(
        printing.print_form(
            admin_session, "case-summary", lang="en", case_number=number, printed_on=DAY
        )
    )
    assert "3 Dec 2026" in text and "3 December 2026" in text  # the summary's date, the footer
    assert "Dec 3, 2026" not in text and "December 3" not in text

    save_settings(admin_session, _with_order(admin_session, "mdy"))
    text = _pdf_text(
        printing.print_form(
            admin_session, "case-summary", lang="en", case_number=number, printed_on=DAY
        )
    )
    assert "Dec 3, 2026" in text and "December 3, 2026" in text
    assert "3 Dec 2026" not in text


def test_the_period_report_writes_its_dates_in_the_same_order(admin_session: Session) -> None:
    """The report's period and 'as of' date follow the installation too (its long dates
    keep the month in words: English in Israel writes the day first)."""
    from shelter_desk.services import reports
    from shelter_desk.services.reports import period as periods

    open_case(admin_session)
    december = periods.month(2026, 12)
    filters = reports.make_filters(admin_session)

    def text() -> str:
        pdf = reports.report(admin_session, december, filters, fmt="pdf", lang="en", today=DAY)
        return " ".join(_pdf_text(pdf).split())

    assert "1 December 2026" in text() and "December 1, 2026" not in text()
    save_settings(admin_session, _with_order(admin_session, "mdy"))
    assert "December 1, 2026" in text()
