"""Translation and locale formatting.

Every user-visible string goes through ``_`` (or ``ngettext``/``pgettext``); module-level
strings are marked with ``N_`` and translated when displayed. Placeholders are named:
``_("Case {number} saved").format(number=...)``. A short or ambiguous word ("From", "Active",
"Sent") carries a context so that each language can translate each meaning on its own:
``pgettext("referral sender", "From")``, or ``NP_(...)`` at module level, whose mark ``_``
and ``translate`` keep. A ``# TRANSLATORS:`` comment on the line before goes to the catalogues.

Catalogues are gettext ``.po`` files under ``resources/i18n``; a compiled ``.mo`` beside one
is used when it is at least as new, otherwise the ``.po`` is compiled in memory, so a fresh
checkout runs without a build step.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from shelter_desk.i18n.date_style import DateStyle
from shelter_desk.resources import resource_path

if TYPE_CHECKING:
    # babel and its CLDR data load when a date, number or name is first formatted, not at
    # start: the unlock window needs only the direction and locale name of the language.
    from babel import Locale

DOMAIN = "shelter_desk"
LANGUAGES: tuple[str, ...] = ("en", "he", "ar", "ka", "ru")
DEFAULT_LANGUAGE = "en"
# CLDR's facts about each interface language that the window needs before it first shows
# (tests/i18n/test_startup_facts.py checks them against CLDR): the likely locale (he ->
# he_IL) and the right-to-left ones.
LIKELY_LOCALES: dict[str, str] = {
    "en": "en_US",
    "he": "he_IL",
    "ar": "ar_EG",
    "ka": "ka_GE",
    "ru": "ru_RU",
}
RTL_LANGUAGES = frozenset({"he", "ar"})
# Each interface language's name in itself, as language_name() writes it from CLDR.
OWN_NAMES: dict[str, str] = {
    "en": "English",
    "he": "עברית",
    "ar": "العربية",
    "ka": "ქართული",
    "ru": "Русский",
}

# Unicode directional isolates: keep dates, numbers and Latin names in their own order
# inside right-to-left text (and Arabic names inside left-to-right text).
FSI, LRI, RLI, PDI = "\u2068", "\u2066", "\u2067", "\u2069"

_state: dict[str, object] = {
    "lang": DEFAULT_LANGUAGE,
    "tr": gettext.NullTranslations(),
    "dates": DateStyle(),
}


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


class ContextMessage(str):
    """A source message marked with ``NP_``: it is still the plain English text, and it
    remembers the context it is looked up under when translated."""

    context: str

    def __new__(cls, context: str, message: str) -> ContextMessage:
        marked = super().__new__(cls, message)
        marked.context = context
        return marked

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return (self.context, str(self))  # copies and pickles keep the context


def NP_(context: str, message: str) -> str:
    """Mark a string with a context for extraction without translating it now."""
    return ContextMessage(context, message)


def translate(tr: gettext.NullTranslations, message: str) -> str:
    """``message`` from the catalogue ``tr``, under its context if it was marked with one."""
    if isinstance(message, ContextMessage):
        return tr.pgettext(message.context, str(message))
    return tr.gettext(message)


def _tr() -> gettext.NullTranslations:
    tr = _state["tr"]
    assert isinstance(tr, gettext.NullTranslations)
    return tr


def _(message: str) -> str:
    return translate(_tr(), message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _tr().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _tr().pgettext(context, message)


def load_translations(lang: str) -> gettext.NullTranslations:
    """The catalogue for ``lang`` (English falls back to the source strings)."""
    folder = resource_path("i18n", lang, "LC_MESSAGES")
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if po.is_file():  # a checkout without compiled catalogues: compile in memory
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)
    return gettext.NullTranslations()


def set_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language: {lang}")
    _state["tr"] = load_translations(lang)
    _state["lang"] = lang


def current_language() -> str:
    return str(_state["lang"])


def locale(lang: str | None = None) -> Locale:
    """The CLDR locale for a language, with its likely territory (he -> he_IL) so that
    week starts and number formats follow the region rather than the bare language."""
    return _likely_locale(lang or current_language())


@functools.cache
def _likely_locale(code: str) -> Locale:
    from babel import Locale
    from babel.core import get_global

    return Locale.parse(get_global("likely_subtags").get(code, code))


def locale_name(lang: str | None = None) -> str:
    """The likely locale's name (``he_IL``), without loading CLDR for an interface language."""
    code = lang or current_language()
    return LIKELY_LOCALES.get(code) or str(locale(code))


def is_rtl(lang: str | None = None) -> bool:
    code = lang or current_language()
    if code in LIKELY_LOCALES:
        return code in RTL_LANGUAGES
    return locale(code).character_order == "right-to-left"


def text_direction(lang: str | None = None) -> str:
    """``"rtl"`` or ``"ltr"`` from CLDR's character order for the language."""
    return "rtl" if is_rtl(lang) else "ltr"


def language_name(code: str) -> str:
    """A language's name in that language itself (``עברית``, ``العربية``...)."""
    if code in OWN_NAMES:
        return OWN_NAMES[code]
    from babel import Locale

    name = Locale.parse(code).get_display_name(code) or code
    if unicodedata.name(name[0], "").startswith(("LATIN", "CYRILLIC")):
        return name[:1].upper() + name[1:]
    return name


def isolate(text: str) -> str:
    """Wrap ``text`` in first-strong isolates so it keeps its own direction."""
    return f"{FSI}{text}{PDI}"


def ltr(text: str) -> str:
    """Force left-to-right for dates, case numbers and other Latin-digit strings."""
    return f"{LRI}{text}{PDI}"


def set_date_style(style: DateStyle) -> None:
    """Write dates from now on for the organisation's country, or in the chosen order."""
    _state["dates"] = style


def date_style() -> DateStyle:
    style = _state["dates"]
    assert isinstance(style, DateStyle)
    return style


def date_pattern(fmt: str = "short", lang: str | None = None) -> str:
    """The CLDR pattern dates are written with in ``lang`` (default: the current one)."""
    return date_style().pattern(fmt, lang or current_language())


def format_date(value: dt.date, fmt: str = "medium", style: DateStyle | None = None) -> str:
    """A CLDR date in its own isolate: CLDR's right-to-left patterns carry their own
    direction marks, so the date reads correctly inside any sentence. The order follows
    ``style``, by default :func:`date_style` (the organisation's country, or the order
    chosen)."""
    from babel import dates

    style, lang = style or date_style(), current_language()
    pattern = style.pattern(fmt, lang)
    return isolate(dates.format_date(value, format=pattern, locale=style.locale(lang)))


def format_datetime(value: dt.datetime, fmt: str = "medium") -> str:
    """A date and time; the date part in the order of :func:`format_date`."""
    from babel import dates

    style, lang = date_style(), current_language()
    where = style.locale(lang)
    if fmt not in ("short", "medium", "long", "full"):
        return isolate(dates.format_datetime(value, format=fmt, locale=where))
    day = dates.format_date(value, format=style.pattern(fmt, lang), locale=where)
    time = dates.format_time(value, format=fmt, locale=where)
    joined = str(where.datetime_formats[fmt]).replace("'", "")  # "{1}, {0}": date, time
    return isolate(joined.replace("{0}", time).replace("{1}", day))


def format_number(value: int | float | Decimal) -> str:
    from babel import numbers

    return numbers.format_decimal(value, locale=locale())


def format_currency(amount: int | float | Decimal, currency: str) -> str:
    from babel import numbers

    return numbers.format_currency(amount, currency, locale=locale())


def format_list(items: Sequence[str]) -> str:
    from babel import lists

    return lists.format_list(list(items), locale=locale())


def first_day_of_week(lang: str | None = None) -> int:
    """CLDR's first day of the week (0 = Monday ... 6 = Sunday) where dates are written:
    the organisation's country (Sunday in Israel, Monday in Georgia)."""
    return int(date_style().locale(lang or current_language()).first_week_day)


def country_name(code: str, lang: str | None = None) -> str:
    return str(locale(lang).territories.get(code.upper(), code))


def countries(lang: str | None = None) -> list[tuple[str, str]]:
    """ISO 3166-1 alpha-2 countries (CLDR), sorted by their name in ``lang``."""
    names = locale(lang).territories
    codes = [
        str(c)
        for c in names
        if isinstance(c, str) and len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES
    ]
    return sorted(((c, str(names[c])) for c in codes), key=lambda pair: pair[1])


def languages(codes: Iterable[str], lang: str | None = None) -> list[tuple[str, str]]:
    """ISO 639 language codes with their CLDR name in ``lang``."""
    names = locale(lang).languages
    return sorted(((c, str(names.get(c, c))) for c in codes), key=lambda pair: pair[1])


_CLDR_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


@functools.cache
def plural_forms(lang: str) -> tuple[int, str]:
    """gettext ``(nplurals, plural)`` from CLDR's plural rules, for whole numbers.

    Categories that no whole number selects are left out (Russian's fraction-only "other",
    so Russian has three forms; Hebrew has one, two and other; Arabic six; Georgian two).
    """
    from babel import Locale
    from babel.plural import PluralRule, to_gettext

    rule = Locale.parse(lang).plural_form
    reached = {rule(n) for n in range(1000)}
    rules = dict(rule.rules)
    if "other" not in reached:
        rules.pop([c for c in _CLDR_CATEGORIES if c in reached][-1])
    header = to_gettext(PluralRule(rules))
    count, expr = header.split(";", 1)
    return int(count.split("=")[1]), expr.split("=", 1)[1].strip().rstrip(";")


# CLDR territory codes that are not countries (regions, the EU, pseudo-territories).
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
