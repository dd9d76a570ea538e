"""Which languages a language picker offers first, and which it leaves out.

CLDR names some 640 languages, among them Akkadian and Old Norse. A shelter meets a few
dozen: those come first (by name in the interface language), then every other living
language. Ancient, extinct and historical languages (ISO 639-3 types A, E and H) and
CLDR's special codes are not offered, unless a record already holds one.
"""

from __future__ import annotations

SHELTER_LANGUAGES: frozenset[str] = frozenset(
    {
        "am", "ar", "az", "bn", "en", "es", "fa", "fr", "ha", "he", "hi", "hy", "id", "ig",
        "ka", "ky", "my", "ne", "om", "ps", "pt", "ro", "ru", "si", "so", "sw", "tg", "th",
        "ti", "tl", "tr", "uk", "ur", "uz", "vi", "yo", "zh",
    }
)  # fmt: skip
"""Languages of the people anti-trafficking shelters most often receive (Israel, Georgia,
the Middle East, Europe): countries of origin in Africa, South and Central Asia, Eastern
Europe and South-East Asia, and the languages of the countries receiving them."""

NOT_OFFERED: frozenset[str] = frozenset(
    {
        # ancient (ISO 639-3 type A)
        "akk", "ae", "arc", "cu", "egy", "elx", "gez", "got", "grc", "hit", "kaw", "kho",
        "la", "pal", "peo", "phn", "pi", "sa", "sog", "sux", "uga",
        # historical (type H): older stages of living languages
        "ang", "dum", "enm", "fro", "frm", "gmh", "goh", "lzh", "mga", "non", "nwc", "ota",
        "pro", "sga", "syc",
        # extinct (type E)
        "chb", "chg", "cop", "crr", "lui", "sam",
        # not a language: several, none, unknown (the picker's blank item says "Not known")
        "mul", "und", "zxx",
    }
)  # fmt: skip
