"""Words and spelling-blind keys for the case-list search (see ``search_tokens``).

Everything here turns one word into normalised forms: the word as written (``exact``), its
ASCII transliteration (``ascii_form``) and keys that ignore how a name was spelled
(``sound_key``, ``abjad_key``, ``abjad_spellings``, ``skeleton``). No SQL, no state.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator

from anyascii import anyascii

# Most consonant keys one alphabetic word gets (a cap on index and query size).
MAX_ABJAD_SPELLINGS = 16

_APOSTROPHES = "'’‘`´ʹʻʼʽʾʿˈ׳״"
_HEBREW_AND_ARABIC = (
    (0x0590, 0x05FF),
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB1D, 0xFDFF),
    (0xFE70, 0xFEFF),
)
# Scripts whose transliteration shows vowels unreliably: Brahmic scripts (Devanagari to
# Sinhala, Thai, Lao, Tibetan, Myanmar, Khmer) leave the inherent vowel unwritten, Ethiopic
# its sixth order. Their words are compared with others by consonants (``skeleton``).
_CONSONANT_SCRIPTS = (
    (0x0900, 0x0DFF),
    (0x0E00, 0x0EFF),
    (0x0F00, 0x109F),
    (0x1200, 0x139F),
    (0x1780, 0x17FF),
    (0x2D80, 0x2DDF),
    (0xAB00, 0xAB2F),
)
# Thai and Lao write these vowels before the consonant they follow in speech.
_LEADING_VOWELS = re.compile("([\u0e40-\u0e44\u0ec0-\u0ec4])(.)")
_TATWEEL = "\u0640"
_LETTER_VARIANTS = str.maketrans(
    {
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ٵ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ة": "ه",
        "ک": "ك",
        "ך": "כ",
        "ם": "מ",
        "ן": "נ",
        "ף": "פ",
        "ץ": "צ",
    }
)

# Arabic and Hebrew letters (after the variants above) as consonant-key letters. Unlisted
# letters (alef, hamza, ayin, aleph) are not written in keys.
_ABJAD_KEY_LETTERS = {
    **dict.fromkeys("بپב", "b"),
    **dict.fromkeys("تثطתט", "t"),
    **dict.fromkeys("جغگژג", "j"),
    **dict.fromkeys("حخهחה", "h"),
    **dict.fromkeys("دذضד", "d"),
    **dict.fromkeys("رר", "r"),
    **dict.fromkeys("زظז", "z"),
    **dict.fromkeys("سشصچסשצ", "s"),
    **dict.fromkeys("فפ", "f"),
    **dict.fromkeys("قكקכ", "k"),
    **dict.fromkeys("لל", "l"),
    **dict.fromkeys("مמ", "m"),
    **dict.fromkeys("نנ", "n"),
    **dict.fromkeys("وו", "w"),
    **dict.fromkeys("يי", "y"),
}

_VOWELS = "aeiouy"
# Sound key: letter groups that transliterations use for one sound, longest first.
_SOUND_GROUPS = {
    "sch": "x",
    "tch": "x",
    "dzh": "j",
    "kh": "h",
    "gh": "j",
    "ph": "f",
    "th": "t",
    "dh": "d",
    "sh": "x",
    "ch": "x",
    "zh": "j",
    "dj": "j",
    "ts": "s",
    "tz": "s",
    "ck": "k",
    "q": "k",
    "x": "ks",
    "w": "v",
    "g": "j",
}
# Abjad spellings: each letter group -> the ways it can be written in Arabic or Hebrew
# script, most likely first ("" = not written).
_ABJAD_GROUPS: dict[str, tuple[str, ...]] = {
    "sch": ("s",),
    "tch": ("s",),
    "dzh": ("j",),
    "kh": ("h",),
    "gh": ("j",),
    "ph": ("f",),
    "th": ("t",),
    "dh": ("d",),
    "sh": ("s",),
    "ch": ("s",),
    "zh": ("j",),
    "dj": ("j",),
    "ts": ("s",),
    "tz": ("s",),
    "ck": ("k",),
    "ou": ("w",),
    "oo": ("w",),
    "uu": ("w",),
    "ee": ("y",),
    "ii": ("y",),
    "ie": ("y",),
    "ei": ("y",),
    "ai": ("y",),
    "aa": ("",),
    "a": ("",),
    "e": ("", "y"),
    "i": ("", "y"),
    "o": ("", "w"),
    "u": ("", "w"),
    "g": ("j",),
    "q": ("k",),
    "x": ("ks",),
    "p": ("b", "f"),
    "v": ("w", "f", "b"),
}


# -- words -------------------------------------------------------------------------------


_ASCII_APOSTROPHES = str.maketrans("", "", "'`")
_ASCII_WORD = re.compile("[a-z0-9]+")


def prepare(text: str) -> str:
    """NFKC, casefold, digits of every script as ASCII, apostrophes dropped."""
    if text.isascii():  # most names and every number: the same result, quicker
        return text.lower().translate(_ASCII_APOSTROPHES)
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(_ascii_digit(ch) for ch in text if ch not in _APOSTROPHES)


def _ascii_digit(ch: str) -> str:
    value = unicodedata.decimal(ch, None)
    return ch if value is None else str(value)


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM"


def words(text: str) -> list[str]:
    """Prepared text split at everything that is not a letter, digit or mark."""
    if text.isascii():
        return _ASCII_WORD.findall(prepare(text))
    return "".join(ch if _is_word_char(ch) else " " for ch in prepare(text)).split()


def _character_class(ranges: tuple[tuple[int, int], ...]) -> re.Pattern[str]:
    return re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in ranges) + "]")


_ABJAD_LETTER = _character_class(_HEBREW_AND_ARABIC)
_CONSONANT_SCRIPT_LETTER = _character_class(_CONSONANT_SCRIPTS)


def _in_hebrew_or_arabic(ch: str) -> bool:
    return _ABJAD_LETTER.match(ch) is not None


def is_abjad(word: str) -> bool:
    return not word.isascii() and _ABJAD_LETTER.search(word) is not None


def _is_vowel_mark(ch: str) -> bool:
    return ch == _TATWEEL or (unicodedata.category(ch) == "Mn" and _in_hebrew_or_arabic(ch))


def exact(word: str) -> str:
    """The normalised spelling; decomposing first also strips hamza and madda from alef."""
    if word.isascii():
        return word
    bare = "".join(ch for ch in unicodedata.normalize("NFD", word) if not _is_vowel_mark(ch))
    return unicodedata.normalize("NFC", bare).translate(_LETTER_VARIANTS)


def ascii_form(text: str) -> str:
    """ASCII letters and digits of the transliteration (Thai and Lao vowels put after the
    consonant they follow in speech, so that แซ่ตั้ง reads saetang, not aestang)."""
    if text.isascii():
        return "".join(ch for ch in text.lower() if ch.isalnum())
    text = _LEADING_VOWELS.sub(r"\2\1", text)
    return "".join(ch for ch in anyascii(text).lower() if ch.isascii() and ch.isalnum())


def without_article(word: str) -> str | None:
    return word[2:] if word.startswith("ال") and len(word) >= 5 else None


# -- keys --------------------------------------------------------------------------------


def _collapse(key: str) -> str:
    return "".join(letter for letter, _run in itertools.groupby(key))


def sound_key(ascii_word: str) -> str:
    """Vowel runs -> ``a``, equivalent letters folded, doubles collapsed, last ``h`` dropped."""
    out = []
    i = 0
    while i < len(ascii_word):
        for size in (3, 2, 1):
            group = ascii_word[i : i + size]
            if group in _SOUND_GROUPS:
                out.append(_SOUND_GROUPS[group])
                break
        else:
            group = ascii_word[i]
            if group in _VOWELS:
                out.append("a")
            elif group == "c":
                out.append("s" if ascii_word[i + 1 : i + 2] in ("e", "i", "y") else "k")
            else:
                out.append(group)
        i += len(group)
    key = _collapse("".join(out))
    if key.endswith("ah"):
        key = key[:-1]
    return key


def _abjad_spelling_slots(ascii_word: str) -> Iterator[tuple[str, ...]]:
    i = 0
    while i < len(ascii_word):
        for size in (3, 2, 1):
            group = ascii_word[i : i + size]
            if group in _ABJAD_GROUPS:
                break
        rest = ascii_word[i + len(group) :]
        if group == "a" and not rest:
            yield ("", "y")  # a written with alef maqsura, as in موسى or ليلى
        elif group == "y":
            yield ("y",) if rest[:1] and rest[0] in _VOWELS else ("", "y")
        elif group == "c":
            yield ("s",) if rest[:1] in ("e", "i", "y") else ("k",)
        else:
            yield _ABJAD_GROUPS.get(group, (group,))
        i += len(group)


def _finish_abjad_key(key: str) -> str:
    key = _collapse(key)
    return key[:-1] if key.endswith("h") else key


def abjad_spellings(ascii_word: str) -> list[str]:
    """Consonant keys the word could have in Arabic or Hebrew script, most likely first."""
    spellings = [""]
    for choices in _abjad_spelling_slots(ascii_word):
        if len(spellings) * len(choices) > MAX_ABJAD_SPELLINGS:
            choices = choices[:1]
        spellings = [start + choice for start in spellings for choice in choices]
    keys = (_finish_abjad_key(spelling) for spelling in spellings)
    return list(dict.fromkeys(key for key in keys if key))


def abjad_key(exact_word: str) -> str:
    """Consonant key of an Arabic or Hebrew word as it is written."""
    key = "".join(_ABJAD_KEY_LETTERS.get(ch, "") for ch in exact_word)
    return _finish_abjad_key(key)


def vocalised_ascii(raw_word: str) -> str | None:
    """Transliteration of an Arabic or Hebrew word written with vowel marks, else None."""
    if not any(_is_vowel_mark(ch) and ch != _TATWEEL for ch in raw_word):
        return None
    # Put the shin dot straight after its letter so that it reads "sh" before the vowel.
    raw_word = re.sub("ש([\u05b0-\u05c7]*?)\u05c1", "ש\u05c1\\1", raw_word)
    translit = ascii_form(raw_word)
    # A long vowel is spelled with its letter: muhammad but yuwsuf, mahmuwd.
    return re.sub("(?<=u)w|(?<=i)y", "", translit)


def consonants(key: str) -> int:
    return sum(1 for ch in key if ch != "a")


def in_consonant_script(word: str) -> bool:
    return not word.isascii() and _CONSONANT_SCRIPT_LETTER.search(word) is not None


def skeleton(ascii_word: str) -> str:
    """The consonants of the sound key (``sh`` as ``s``): রহিম (rhim), Rahim and Raheem ->
    ``rhm``; সীতা, Sita and Seetha -> ``st``; สมชาย (smchay) and Somchai -> ``smx``."""
    return _collapse(sound_key(ascii_word).replace("a", "").replace("x", "s"))
