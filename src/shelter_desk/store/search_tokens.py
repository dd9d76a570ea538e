"""Search tokens for the case list: one box finds a person across scripts and spellings.

The store keeps one FTS5 row per case inside the encrypted database. This module only turns
text into tokens (no SQL here); the store writes them and queries them. The words and keys
themselves are made in ``search_keys``; the names table is read by ``name_table``.

What a row holds
----------------
``index_columns(values)`` returns two space-separated token strings, one per FTS5 column:

* ``exact``: every word as written, normalised (NFKC, casefold, digits of any script as
  ASCII digits, apostrophes dropped, Arabic and Hebrew vowel marks and tatweel removed,
  أ إ آ ٱ -> ا, ى -> ي, ة -> ه, hamza seats -> their letter, Hebrew final letters -> ordinary
  ones). For numbers also: all parts of a value joined (``org20260042``), its digit groups
  joined (``20260042``), digits without leading zeros (``42``), and letter and digit runs of a
  mixed word (``p1234567`` -> ``p``, ``1234567``). Arabic words with the article ال also
  stand without it, and a value of two to four words also stands as one word.
* ``fuzzy``: tokens starting with ``_`` (never typed, never prefix-matched by a typed word):

  - ``_n`` + the key of a word, or of two or three words together, listed in the names
    table: محمد, Mohammed, Мухаммед, মোহাম্মদ -> ``_nmuhammad``; محمود, Mahmoud -> ``_nmahmud``.
  - spelling-blind keys of each word, under ``_`` for a word the table lists and under
    ``_u`` for one it does not (so that a listed name can leave other listed names out):
    ``t`` + the ASCII transliteration of a word not written in ASCII (``Ольга`` -> ``tolga``);
    ``k`` + its sound key (vowel runs as one ``a``, kh/h, sh/ch, ph/f, w/v, g/j, q/k... alike:
    Muhammad, Mohammed, Мухаммед -> ``kmahamad``); ``a`` + the consonant key of an Arabic or
    Hebrew word as written (محمد -> ``amhmd``); ``l`` + the consonant keys an alphabetic word
    could have in Arabic or Hebrew script (Muhammad -> ``lmhmd``, ``lmwhmd``; at most 16);
    ``c`` + the consonants of a word in a script whose transliteration shows vowels
    unreliably (Devanagari, Bengali, Thai, Ethiopic...: রহিম -> ``crhm``) and ``d`` + the same
    consonants of an alphabetic word (Rahim -> ``drhm``).

How a query is built
--------------------
``match_query(text)`` makes every typed word required (AND). Two or three typed words that
the table lists together (``Abdel Rahman``) count as one. A word or words the table lists
match: their exact form, their ``_n`` keys, and the ``_u`` keys of every listed spelling of
those names; so ``محمد`` finds every spelling of Muhammad the table lists, any unlisted
spelling that sounds like one of them, and never محمود, whichever script it is typed in. An
unlisted word matches its exact form, its transliteration, and its keys under both ``_`` and
``_u`` (as a table-less search would). The last word is a prefix (as you type) unless the
text ends with a space; its keys are prefixes only once they hold three consonants (four for
the vowel-less ``a``/``l`` keys), so ``Ali`` does not find every ``Alina``. Everything is
quoted, so quotes, brackets, ``NEAR``, ``*`` and ``-`` in the input are plain text; ``None``
means nothing searchable was typed.

Ranking
-------
Two columns so that bm25 weighs the spelling typed above every other spelling:
``ORDER BY bm25(case_search, EXACT_WEIGHT, FUZZY_WEIGHT)`` (bm25 is lower for better). Only
the words as written are in the first column; transliterations and keys are in the second.

Tokenizer
---------
``ascii tokenchars '_'``: every token is already normalised here, so the tokenizer must only
split on spaces. ``unicode61`` would re-split our tokens by its Unicode 6.1 tables (letters of
newer Unicode versions and combining marks count as separators there), which could make an
indexed word unfindable.

Precision and recall
--------------------
Measured on a held-out corpus of people in nine scripts by ``tests/store/test_search_quality.py``
and ``benchmarks/search_quality_bench.py``. Listed names are precise: a name is found by its
listed spellings and by unlisted words that sound like one of them. Unlisted names fall back
to the keys: ``k`` ignores which vowel was written (Ali, Ola, Eli -> ``kala``), and ``a``,
``l``, ``c`` and ``d`` compare consonants only, so an unlisted name may find another with the
same consonants. Changing what is stored needs the index rebuilt (``store.migrations``).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator

from shelter_desk.store.name_table import MAX_NAME_WORDS, name_keys, spellings
from shelter_desk.store.search_keys import (
    MAX_ABJAD_SPELLINGS,
    abjad_key,
    abjad_spellings,
    ascii_form,
    consonants,
    exact,
    in_consonant_script,
    is_abjad,
    skeleton,
    sound_key,
    vocalised_ascii,
    without_article,
    words,
)

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
# A value (or query) with this many words or fewer is also indexed (searched) as one word.
MAX_JOINED_PARTS = 4

LISTED = "_"  # keys of words the names table lists
UNLISTED = "_u"  # keys of words it does not list
NAME = "_n"  # names-table keys


# -- keys of one word --------------------------------------------------------------------


def _has_fuzzy_keys(word: str) -> bool:
    """Numbers and one-letter words are matched exactly only."""
    return len(word) >= 2 and not any(ch.isdigit() for ch in word)


def _listed_keys(word: str) -> tuple[str, ...]:
    bare = without_article(word)
    return name_keys(word) or (name_keys(bare) if bare else ())


def _word_keys(raw: str, word: str) -> list[str]:
    """The spelling-blind keys of a word, without their namespace (see the module doc)."""
    keys = []
    translit = ascii_form(word)
    if translit and translit != word:
        keys.append("t" + translit)
    if not _has_fuzzy_keys(word):
        return keys
    if is_abjad(word):
        keys.append("a" + abjad_key(word))
        vocalised = vocalised_ascii(raw)
        if vocalised:
            keys.append("k" + sound_key(vocalised))
    elif translit:
        keys.append("k" + sound_key(translit))
        keys.extend("l" + key for key in abjad_spellings(translit))
        bones = skeleton(translit)
        if consonants(bones) >= 2:
            keys.append(("c" if in_consonant_script(word) else "d") + bones)
    return [key for key in keys if _worth_a_key(key)]


def _specific(key: str) -> bool:
    """Does a key say enough to stand for a listed name among unlisted ones?"""
    return key[0] not in "kc" or consonants(key[1:]) >= 2


def _worth_a_key(key: str) -> bool:
    """A consonant key of one letter (الله -> ``l``) would find half the names."""
    return len(key) > (2 if key[0] in "al" else 1)


# -- index -------------------------------------------------------------------------------


def _letter_and_digit_runs(word: str) -> list[str]:
    runs = ["".join(run) for _kind, run in itertools.groupby(word, key=str.isdigit)]
    return runs if len(runs) > 1 else []


def _exact_forms(word: str) -> list[str]:
    """The word and, for numbers and codes, their findable parts."""
    forms = [word]
    if word.isdigit() and word.lstrip("0"):
        forms.append(word.lstrip("0"))
    forms.extend(_letter_and_digit_runs(word))
    return forms


def _index_words(value: str) -> Iterator[tuple[str, str]]:
    """(raw, exact) for every word of a value, plus joined forms for codes and names."""
    pairs = [(raw, exact(raw)) for raw in words(value)]
    pairs = [(raw, word) for raw, word in pairs if word]
    yield from pairs
    for _raw, word in pairs:
        bare = without_article(word)
        if bare:
            yield bare, bare
    if 2 <= len(pairs) <= MAX_JOINED_PARTS:
        joined_raw = "".join(raw for raw, _ in pairs)
        yield joined_raw, exact(joined_raw)
    digit_groups = [word for _, word in pairs if word.isdigit()]
    if len(digit_groups) >= 2:
        joined = "".join(digit_groups)
        yield joined, joined


def _name_runs(value: str) -> Iterator[str]:
    """Two or three consecutive words of a value joined (a name may be listed as several)."""
    forms = [word for word in (exact(raw) for raw in words(value)) if word]
    for size in range(2, MAX_NAME_WORDS + 1):
        for start in range(len(forms) - size + 1):
            yield "".join(forms[start : start + size])


def index_columns(values: Iterable[str]) -> tuple[str, str]:
    """(exact, fuzzy) tokens for a person's names, aliases, case and document numbers."""
    exact_tokens: dict[str, None] = {}
    fuzzy_tokens: dict[str, None] = {}
    for value in values:
        value_exact, value_fuzzy = _value_tokens(value)
        exact_tokens.update(dict.fromkeys(value_exact))
        fuzzy_tokens.update(dict.fromkeys(value_fuzzy))
    return " ".join(exact_tokens), " ".join(fuzzy_tokens)


def forget_cached_tokens() -> None:
    """Drop remembered names from memory (on lock)."""
    _value_tokens.cache_clear()


@functools.lru_cache(maxsize=65536)
def _value_tokens(value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The tokens of one name or number. Names repeat across many people, so they are
    worked out once and remembered (in memory only)."""
    exact_tokens: dict[str, None] = {}
    fuzzy_tokens: dict[str, None] = {}
    for raw, word in _index_words(value):
        exact_tokens.update(dict.fromkeys(form for form in _exact_forms(word) if form))
        listed = _listed_keys(word)
        fuzzy_tokens.update(dict.fromkeys(NAME + key for key in listed))
        namespace = LISTED if listed else UNLISTED
        fuzzy_tokens.update(dict.fromkeys(namespace + key for key in _word_keys(raw, word)))
    for run in _name_runs(value):
        fuzzy_tokens.update(dict.fromkeys(NAME + key for key in name_keys(run)))
    return tuple(exact_tokens), tuple(fuzzy_tokens)


def index_text(values: Iterable[str]) -> str:
    """All tokens of ``index_columns`` in one string, for a one-column FTS5 table."""
    return " ".join(part for part in index_columns(values) if part)


# -- query -------------------------------------------------------------------------------


def _phrase(token: str, prefix: bool) -> str:
    quoted = '"' + token.replace('"', '""') + '"'
    return quoted + "*" if prefix else quoted


def _grows(key: str) -> bool:
    """May a key of a partly typed word be matched as a prefix? Keys only ever lose letters
    at the end, so the key of a partly typed word is a prefix of the whole word's key; it is
    used as one once it says enough to be worth it."""
    kind, body = key[0], key[1:]
    if kind in "al":
        return len(body) >= 4
    if kind in "kcd":
        return consonants(body) >= 3
    return True


def _query_keys(raw: str, word: str) -> list[str]:
    """The keys a typed word is looked for under (without namespace): each kind of key of
    the word meets the kinds stored for other scripts."""
    keys = []
    translit = ascii_form(word)
    if translit:
        keys.append("t" + translit)
    if not _has_fuzzy_keys(word):
        return keys
    if is_abjad(word):
        key = abjad_key(word)
        keys += ["a" + key, "l" + key]
        vocalised = vocalised_ascii(raw)
        if vocalised:
            keys.append("k" + sound_key(vocalised))
    elif translit:
        keys.append("k" + sound_key(translit))
        keys.extend("a" + key for key in abjad_spellings(translit))
        bones = skeleton(translit)
        if consonants(bones) >= 2:
            keys.append("c" + bones)
            if in_consonant_script(word):
                keys.append("d" + bones)
    return [key for key in keys if _worth_a_key(key)]


def _spelling_keys(form: str, abjad_guesses: int) -> list[str]:
    """The keys under which a listed spelling looks for unlisted words (without namespace):
    fewer than a typed word's (at most ``abjad_guesses`` Arabic or Hebrew spellings of an
    alphabetic one), because the table's other spellings of the name add theirs, and every
    phrase of a query costs time on every row it ranks."""
    if is_abjad(form):
        key = abjad_key(form)
        keys = ["a" + key, "l" + key]
    else:
        translit = ascii_form(form)
        if not translit:
            return []
        keys = ["c" + skeleton(translit)]
        if not in_consonant_script(form):
            # Its likeliest Arabic or Hebrew spelling, and its sound (Oleh -> ``ala``, one
            # consonant, would find Olya and Ola too, so it is left out).
            guesses = abjad_spellings(translit)[:abjad_guesses]
            keys += ["k" + sound_key(translit), *("a" + k for k in guesses)]
    return [key for key in keys if _worth_a_key(key) and _specific(key)]


@functools.lru_cache(maxsize=4096)
def _listed_alternatives(names: tuple[str, ...]) -> tuple[str, ...]:
    """What a listed name is looked for under: its keys, and the unlisted-word keys of every
    spelling the table has for it (the same whichever spelling was typed)."""
    found = [_phrase(NAME + key, False) for key in names]
    for key in names:
        # Every Arabic or Hebrew spelling of the name's first alphabetic spelling (its usual
        # one), the likeliest one of each other spelling.
        guesses = MAX_ABJAD_SPELLINGS
        for form in spellings(key):
            found += (_phrase(UNLISTED + k, False) for k in _spelling_keys(form, guesses))
            if not is_abjad(form) and not in_consonant_script(form):
                guesses = 1
    return tuple(dict.fromkeys(found))


def _unit_alternatives(raws: list[str], prefix: bool, *, loose: bool = True) -> str | None:
    """The OR group for one typed word, or for two or three that the table lists together;
    without ``loose`` an unlisted word matches as written only."""
    raw = "".join(raws)
    word = exact(raw)
    if not word:
        return None
    bare = without_article(word)
    alternatives = [_phrase(form, prefix) for form in (word, bare) if form]
    if prefix:
        alternatives.insert(0, _phrase(word, False))  # the whole word typed ranks higher
    if len(raws) > 1:
        # The words as typed rank a name written apart as typed above one written together.
        last = len(raws) - 1
        each = [_phrase(exact(part), prefix and n == last) for n, part in enumerate(raws)]
        alternatives.insert(0, "(" + " AND ".join(each) + ")")
    listed = _listed_keys(word)
    if listed:
        alternatives += _listed_alternatives(listed)
    elif loose:
        translit = ascii_form(word)
        if prefix and translit and translit != word:
            alternatives.append(_phrase(translit, True))
        for key in _query_keys(raw, word):
            grow = prefix and _grows(key)
            alternatives += [_phrase(LISTED + key, grow), _phrase(UNLISTED + key, grow)]
    return "(" + " OR ".join(dict.fromkeys(alternatives)) + ")"


def _units(typed: list[str]) -> Iterator[list[str]]:
    """Typed words in order, with two or three that the table lists together as one."""
    start = 0
    while start < len(typed):
        size = 1
        for n in range(min(MAX_NAME_WORDS, len(typed) - start), 1, -1):
            if name_keys("".join(exact(raw) for raw in typed[start : start + n])):
                size = n
                break
        yield typed[start : start + size]
        start += size


def match_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression for what a caseworker typed, or None if nothing usable."""
    typed = words(text)[:MAX_QUERY_WORDS]
    typing = not text[-1:].isspace()
    units = list(_units(typed))
    groups = [
        _unit_alternatives(unit, typing and n == len(units) - 1) for n, unit in enumerate(units)
    ]
    required = [group for group in groups if group]
    if not required:
        return None
    expression = " AND ".join(required)
    if len(required) > 1 and len(typed) <= MAX_JOINED_PARTS:
        # "Abdel Rahman" or "ORG-2026-0042" may be stored as one word, and the other way round.
        # Keys of words run together would find names that merely share their consonants.
        joined = _unit_alternatives(typed, typing, loose=False)
        expression = f"(({expression}) OR {joined})"
    return expression
