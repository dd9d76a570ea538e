"""Search tokens for the case list: one box finds a person across scripts and spellings.

The store keeps one FTS5 row per case inside the encrypted database. This module only turns
text into tokens (no SQL here); the store writes them and queries them.

What a row holds
----------------
``index_columns(values)`` returns two space-separated token strings, one per FTS5 column:

* ``exact_tokens``: every word in a normalised form (NFKC, casefold, digits of any script as
  ASCII digits, apostrophes dropped, Arabic and Hebrew vowel marks and tatweel removed,
  أ إ آ ٱ -> ا, ى -> ي, ة -> ه, ؤ -> و, ئ -> ي, Hebrew final letters -> ordinary ones) and its
  ASCII transliteration by anyascii (``Ольга`` -> ``olga``, ``გიორგი`` -> ``giorgi``). For
  numbers also: all parts of a value joined (``org20260042``), its digit groups joined
  (``20260042``), digits without leading zeros (``42``), and letter and digit runs of a mixed
  word (``p1234567`` -> ``p``, ``1234567``). Arabic words with the article ال also stand
  without it.
* ``fuzzy_tokens``: spelling-blind keys, each starting with ``_`` so that they can never
  collide with (or be prefix-matched by) an ordinary word:

  - ``_k`` + sound key of a word written with its vowels (Latin, Cyrillic, Georgian,
    Ethiopic..., and Arabic or Hebrew written with vowel marks): transliterate, fold
    equivalent letters (kh/h, sh/ch/sch, ph/f, w/v, g/j/dj/zh, q/c/k, ts/s, th/t, dh/d),
    turn every run of vowels into one ``a``, collapse doubled letters, drop a last ``h``
    after a vowel. Muhammad, Mohammed, Mohamed, Muhammed, Мухаммед -> ``_kmahamad``;
    Mahmoud -> ``_kmahmad``; Olga -> ``_kalja`` but Oleg -> ``_kalaj``.
  - ``_a`` + consonant key of an Arabic or Hebrew word as written (alef, hamza and ayin
    dropped, waw and yaa kept, a last ``h`` dropped): محمد -> ``_amhmd``, محمود ->
    ``_amhmwd``, فاطمة -> ``_aftm``.
  - ``_l`` + the consonant keys an alphabetic word could have if it were written in Arabic
    or Hebrew script: a short vowel may be written or not (``u``/``o`` as و, ``i``/``e`` as
    ي), ``ou``/``oo`` are always و and ``ai``/``ee`` always ي, ``a`` is unwritten (or ى at the
    end). At most 16 keys a word. Muhammad -> ``_lmhmd``, ``_lmwhmd``; Mahmoud ->
    ``_lmhmwd`` only.

How a query is built
--------------------
``match_query(text)`` makes every typed word required (AND); each word may match its exact
form, its transliteration, or its fuzzy key (OR). An alphabetic word's keys are ``_k`` (other
alphabetic spellings) and ``_a`` (Arabic and Hebrew records); an Arabic or Hebrew word's keys
are ``_a`` (the same letters) and ``_l`` (alphabetic records). The last word is a prefix (as
you type) unless the text ends with a space; its fuzzy keys are prefixes only once they hold
three consonants (four for the vowel-less ``_a``/``_l`` keys), so ``Ali`` does not find
every ``Alina`` and ``Muham`` does not find محمود. Everything is quoted, so quotes,
brackets, ``NEAR``, ``*`` and ``-`` in the input are plain text; ``None`` means nothing
searchable was typed.

Ranking
-------
Two columns so that bm25 can weigh a real spelling match above a sound-alike:
``ORDER BY bm25(case_search, EXACT_WEIGHT, FUZZY_WEIGHT)`` (bm25 is lower for better). Who
prefers one column can store ``index_text(values)`` instead and lose that weighting.

Tokenizer
---------
``ascii tokenchars '_'``: every token is already normalised here, so the tokenizer must only
split on spaces. ``unicode61`` would re-split our tokens by its Unicode 6.1 tables (letters of
newer Unicode versions and combining marks count as separators there), which could make an
indexed word unfindable.

Precision and recall
--------------------
Exact and transliterated forms are precise. ``_k`` ignores which vowel was written, so short
names collide more (Ali, Ola, Eli -> ``_kala``); bm25 keeps the exact spelling on top.
Arabic and Hebrew script leave short vowels unwritten, so ``_a``/``_l`` compare consonants
only: ``Mahmud`` (no ``ou``) matches both محمود and محمد, and Ahmed matches حامد (Hamed)
because alef is dropped. Forms that change consonants (Magomed, Mehmet) are not matched.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator

from anyascii import anyascii

FTS_TOKENIZE = "ascii tokenchars '_'"
EXACT_WEIGHT = 10.0
FUZZY_WEIGHT = 1.0
FTS_SCHEMA_EXAMPLE = (
    "CREATE VIRTUAL TABLE case_search USING fts5("
    "exact_tokens, fuzzy_tokens, "
    f'tokenize = "{FTS_TOKENIZE}", '
    "content = '', contentless_delete = 1)"
)

# Caps that keep a query expression small whatever is pasted into the box.
MAX_QUERY_WORDS = 12
MAX_ABJAD_SPELLINGS = 16
# A value (or query) with this many words or fewer is also indexed (searched) as one word.
MAX_JOINED_PARTS = 4

_APOSTROPHES = "'’‘`´ʹʻʼʽʾʿˈ׳״"
_HEBREW_AND_ARABIC = (
    (0x0590, 0x05FF),
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB1D, 0xFDFF),
    (0xFE70, 0xFEFF),
)
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


def _prepare(text: str) -> str:
    """NFKC, casefold, digits of every script as ASCII, apostrophes dropped."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(_ascii_digit(ch) for ch in text if ch not in _APOSTROPHES)


def _ascii_digit(ch: str) -> str:
    value = unicodedata.decimal(ch, None)
    return ch if value is None else str(value)


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM"


def _words(text: str) -> list[str]:
    """Prepared text split at everything that is not a letter, digit or mark."""
    return "".join(ch if _is_word_char(ch) else " " for ch in _prepare(text)).split()


def _in_hebrew_or_arabic(ch: str) -> bool:
    return any(low <= ord(ch) <= high for low, high in _HEBREW_AND_ARABIC)


def _is_abjad(word: str) -> bool:
    return any(_in_hebrew_or_arabic(ch) for ch in word)


def _is_vowel_mark(ch: str) -> bool:
    return ch == _TATWEEL or (unicodedata.category(ch) == "Mn" and _in_hebrew_or_arabic(ch))


def _exact(word: str) -> str:
    """The normalised spelling; decomposing first also strips hamza and madda from alef."""
    bare = "".join(ch for ch in unicodedata.normalize("NFD", word) if not _is_vowel_mark(ch))
    return unicodedata.normalize("NFC", bare).translate(_LETTER_VARIANTS)


def _ascii(text: str) -> str:
    return "".join(ch for ch in anyascii(text).lower() if ch.isascii() and ch.isalnum())


def _without_article(word: str) -> str | None:
    return word[2:] if word.startswith("ال") and len(word) >= 5 else None


# -- keys --------------------------------------------------------------------------------


def _collapse(key: str) -> str:
    return "".join(letter for letter, _run in itertools.groupby(key))


def _sound_key(ascii_word: str) -> str:
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


def _abjad_spellings(ascii_word: str) -> list[str]:
    """Consonant keys the word could have in Arabic or Hebrew script, most likely first."""
    spellings = [""]
    for choices in _abjad_spelling_slots(ascii_word):
        if len(spellings) * len(choices) > MAX_ABJAD_SPELLINGS:
            choices = choices[:1]
        spellings = [start + choice for start in spellings for choice in choices]
    keys = (_finish_abjad_key(spelling) for spelling in spellings)
    return list(dict.fromkeys(key for key in keys if key))


def _abjad_key(exact_word: str) -> str:
    """Consonant key of an Arabic or Hebrew word as it is written."""
    key = "".join(_ABJAD_KEY_LETTERS.get(ch, "") for ch in exact_word)
    return _finish_abjad_key(key)


def _vocalised_ascii(raw_word: str) -> str | None:
    """Transliteration of an Arabic or Hebrew word written with vowel marks, else None."""
    if not any(_is_vowel_mark(ch) and ch != _TATWEEL for ch in raw_word):
        return None
    # Put the shin dot straight after its letter so that it reads "sh" before the vowel.
    raw_word = re.sub("ש([\u05b0-\u05c7]*?)\u05c1", "ש\u05c1\\1", raw_word)
    translit = _ascii(raw_word)
    # A long vowel is spelled with its letter: muhammad but yuwsuf, mahmuwd.
    return re.sub("(?<=u)w|(?<=i)y", "", translit)


def _consonants(key: str) -> int:
    return sum(1 for ch in key if ch != "a")


# -- index -------------------------------------------------------------------------------


def _letter_and_digit_runs(word: str) -> list[str]:
    runs = ["".join(run) for _kind, run in itertools.groupby(word, key=str.isdigit)]
    return runs if len(runs) > 1 else []


def _exact_forms(word: str) -> list[str]:
    """The word, its transliteration and, for numbers and codes, their findable parts."""
    forms = [word, _ascii(word)]
    if word.isdigit() and word.lstrip("0"):
        forms.append(word.lstrip("0"))
    forms.extend(_letter_and_digit_runs(word))
    return forms


def _has_fuzzy_keys(word: str) -> bool:
    """Numbers and one-letter words are matched exactly only."""
    return len(word) >= 2 and not any(ch.isdigit() for ch in word)


def _fuzzy_forms(raw_word: str, word: str) -> list[str]:
    if not _has_fuzzy_keys(word):
        return []
    keys = []
    if _is_abjad(word):
        keys.append("_a" + _abjad_key(word))
        vocalised = _vocalised_ascii(raw_word)
        if vocalised:
            keys.append("_k" + _sound_key(vocalised))
    else:
        translit = _ascii(word)
        if translit:
            keys.append("_k" + _sound_key(translit))
            keys.extend("_l" + key for key in _abjad_spellings(translit))
    return [key for key in keys if len(key) > 2]


def _index_words(value: str) -> Iterator[tuple[str, str]]:
    """(raw, exact) for every word of a value, plus joined forms for codes and names."""
    words = [(raw, _exact(raw)) for raw in _words(value)]
    words = [(raw, word) for raw, word in words if word]
    yield from words
    for _raw, word in words:
        bare = _without_article(word)
        if bare:
            yield bare, bare
    if 2 <= len(words) <= MAX_JOINED_PARTS:
        joined_raw = "".join(raw for raw, _ in words)
        yield joined_raw, _exact(joined_raw)
    digit_groups = [word for _, word in words if word.isdigit()]
    if len(digit_groups) >= 2:
        joined = "".join(digit_groups)
        yield joined, joined


def index_columns(values: Iterable[str]) -> tuple[str, str]:
    """(exact_tokens, fuzzy_tokens) for a person's names, aliases, case and document numbers."""
    exact: dict[str, None] = {}
    fuzzy: dict[str, None] = {}
    for value in values:
        value_exact, value_fuzzy = _value_tokens(value)
        exact.update(dict.fromkeys(value_exact))
        fuzzy.update(dict.fromkeys(value_fuzzy))
    return " ".join(exact), " ".join(fuzzy)


def forget_cached_tokens() -> None:
    """Drop remembered names from memory (on lock)."""
    _value_tokens.cache_clear()


@functools.lru_cache(maxsize=65536)
def _value_tokens(value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The tokens of one name or number. Names repeat across many people, so they are
    worked out once and remembered (in memory only)."""
    exact: dict[str, None] = {}
    fuzzy: dict[str, None] = {}
    for raw, word in _index_words(value):
        exact.update(dict.fromkeys(form for form in _exact_forms(word) if form))
        fuzzy.update(dict.fromkeys(_fuzzy_forms(raw, word)))
    return tuple(exact), tuple(fuzzy)


def index_text(values: Iterable[str]) -> str:
    """All tokens of ``index_columns`` in one string, for a one-column FTS5 table."""
    return " ".join(part for part in index_columns(values) if part)


# -- query -------------------------------------------------------------------------------


def _phrase(token: str, prefix: bool) -> str:
    quoted = '"' + token.replace('"', '""') + '"'
    return quoted + "*" if prefix else quoted


def _fuzzy_alternatives(raw_word: str, word: str, prefix: bool) -> list[str]:
    """Fuzzy keys of a typed word; a partly typed word's key is a prefix once long enough.

    Keys only ever lose letters at the end (a last ``h``), so the key of a partly typed word
    is a prefix of the key of the whole word.
    """
    if not _has_fuzzy_keys(word):
        return []
    if _is_abjad(word):
        key = _abjad_key(word)
        grow = prefix and len(key) >= 4
        keys = [_phrase("_a" + key, grow), _phrase("_l" + key, grow)] if key else []
        vocalised = _vocalised_ascii(raw_word)
        if vocalised:
            sound = _sound_key(vocalised)
            keys.append(_phrase("_k" + sound, prefix and _consonants(sound) >= 3))
        return keys
    translit = _ascii(word)
    if not translit:
        return []
    sound = _sound_key(translit)
    keys = [_phrase("_k" + sound, prefix and _consonants(sound) >= 3)]
    for key in _abjad_spellings(translit):
        keys.append(_phrase("_a" + key, prefix and len(key) >= 4))
    return keys


def _word_alternatives(raw_word: str, prefix: bool) -> str | None:
    word = _exact(raw_word)
    if not word:
        return None
    forms = [word, _ascii(word), _without_article(word)]
    alternatives = [_phrase(form, prefix) for form in forms if form]
    alternatives += _fuzzy_alternatives(raw_word, word, prefix)
    return "(" + " OR ".join(dict.fromkeys(alternatives)) + ")"


def match_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression for what a caseworker typed, or None if nothing usable."""
    words = _words(text)[:MAX_QUERY_WORDS]
    typing = not text[-1:].isspace()
    last = len(words) - 1
    groups = [_word_alternatives(raw, typing and n == last) for n, raw in enumerate(words)]
    required = [group for group in groups if group]
    if not required:
        return None
    expression = " AND ".join(required)
    if len(required) > 1 and len(words) <= MAX_JOINED_PARTS:
        # "Abdel Rahman" or "ORG-2026-0042" may be stored as one word, and the other way round.
        joined = _word_alternatives("".join(words), typing)
        expression = f"(({expression}) OR {joined})"
    return expression
