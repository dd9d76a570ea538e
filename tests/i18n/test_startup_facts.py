"""The CLDR facts the window needs before it first shows are kept as small tables, so that
starting loads no CLDR data (babel): they must be exactly what CLDR says."""

from __future__ import annotations

import unicodedata

import pytest
from babel import Locale
from babel.core import get_global

from shelter_desk.i18n import (
    LANGUAGES,
    LIKELY_LOCALES,
    OWN_NAMES,
    RTL_LANGUAGES,
    is_rtl,
    language_name,
    locale,
    locale_name,
)


def test_every_interface_language_is_in_the_tables() -> None:
    assert set(LIKELY_LOCALES) == set(OWN_NAMES) == set(LANGUAGES)
    assert set(LANGUAGES) >= RTL_LANGUAGES


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_tables_say_what_cldr_says(code: str) -> None:
    cldr = Locale.parse(get_global("likely_subtags").get(code, code))
    assert LIKELY_LOCALES[code] == str(cldr) == locale_name(code) == str(locale(code))
    assert (code in RTL_LANGUAGES) == (cldr.character_order == "right-to-left") == is_rtl(code)
    own = Locale.parse(code).get_display_name(code)
    if unicodedata.name(own[0], "").startswith(("LATIN", "CYRILLIC")):
        own = own[:1].upper() + own[1:]
    assert OWN_NAMES[code] == own == language_name(code)


def test_other_languages_still_ask_cldr() -> None:
    assert is_rtl("fa") and not is_rtl("de")
    assert locale_name("de") == "de_DE"
    assert language_name("de") == "Deutsch"
