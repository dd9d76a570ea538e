"""Spelling-blind match keys of a person, and the keyed tokens made of them.

Two registrations of one person meet when they share a *match key*: a key of the first name
and a key of the family name (in either order, since the two are often swapped) with a
birth-year bucket. A name's keys are

* ``n`` + its key in the names table (``store.name_table``: محمد, Mohammed, Мухаммед are
  all ``muhammad``), when the table lists it;
* ``b`` + its *bones*: the consonant key it has, or could have, in Arabic or Hebrew script
  (``store.search_keys``) without the letter y, which writes i and e as often as a
  consonant, so that Amira, أميرة and אמירה all have ``mr`` and Haddad and حداد have
  ``hd``. A Latin spelling may stand for a few such keys (o and u written with w or not,
  p as b or f, v as w, f or b); the likeliest are kept. A name that opens with a vowel
  (with alef, ayin or aleph in Arabic and Hebrew) has ``'`` before its bones: Ahmed and
  أحمد have ``'hmd``, Hamid and حامد ``hmd``.

Years are put in two interleaved buckets of two years (``a`` = year // 2 and
``b`` = (year + 1) // 2): two years that differ by at most one share exactly one bucket or
both, years further apart share none. So birth year +-1 is found without sending the year
through the token.

A document number gives a key of its own (``d`` + its letters and digits, upper case).
An exact birth date gives the name keys with the date (kind ``e``): two records with exact
dates that share names but no such key were born on different days.

``keyed_tokens`` turns the keys into HMAC-SHA256 tokens with a key derived from the network
secret (``sharing.network_key``): a coordinator without the secret cannot compute the token
of a guessed name. The first character of a token says what kind of key it is (``d`` a
document; ``e`` names with an exact birth date; ``2``, ``1`` or ``0`` how many of its two
names matched by the names table), so the coordinator can weigh a match without learning
the name.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shelter_desk.store.name_table import name_keys
from shelter_desk.store.search_keys import (
    abjad_key,
    abjad_spellings,
    ascii_form,
    exact,
    is_abjad,
    words,
)

# Caps on what one person sends: keys per name, tokens per person.
MAX_KEYS_PER_NAME = 4
MAX_TOKENS = 64
TOKEN_HEX = 32  # 128 bits
_TOKEN_CONTEXT = b"shelter-desk duplicate tokens v1\x00"
_ARTICLES = ("al", "el")
_DOCUMENT_CHARACTERS = re.compile(r"[^A-Z0-9]+")
DOCUMENT = "d"
# Letters an Arabic or Hebrew word opens with where a Latin spelling opens with a vowel.
_OPENING_LETTERS = frozenset("اأإآءعאע")
EXACT_DATE = "e"


@dataclass(frozen=True)
class PersonNames:
    """What a person is recognised by: each name in every spelling recorded for it."""

    first: tuple[str, ...]
    family: tuple[str, ...]
    birth_year: int | None
    documents: tuple[str, ...] = ()
    birth_date: str = ""  # an exact date (ISO), when one is known


def _bones(consonant_key: str) -> str:
    """A consonant key without y (which writes i and e as often as a consonant), letters
    collapsed; w is kept, or Mahmoud (محمود) would be Muhammad (محمد)."""
    bare = consonant_key.replace("y", "")
    return "".join(letter for letter, _run in itertools.groupby(bare))


@functools.lru_cache(maxsize=65536)
def _spelling_keys(spelling: str) -> tuple[str, ...]:
    """Remembered in memory only (names repeat); ``forget_cached_keys`` on lock."""
    forms = [exact(word) for word in words(spelling)]
    forms = [form for form in forms if form]
    if not forms:
        return ()
    variants = ["".join(forms)]
    if len(forms) > 1 and forms[0] in _ARTICLES:
        variants.append("".join(forms[1:]))  # al-Haddad as Haddad
    joined = variants[0]
    if is_abjad(joined) and joined.startswith("ال") and len(joined) >= 5:
        variants.append(joined[2:])  # الحداد as حداد
    keys = ["n" + key for form in variants for key in name_keys(form)]
    for form in variants:
        if any(ch.isdigit() for ch in form):
            continue
        if is_abjad(form):
            consonant_keys = [abjad_key(form)]
            opening = form[0] in _OPENING_LETTERS
        else:
            translit = ascii_form(form)
            consonant_keys = abjad_spellings(translit) if translit else []
            opening = translit[:1] in ("a", "e", "i", "o", "u")
        mark = "'" if opening else ""
        keys.extend("b" + mark + bones for bones in map(_bones, consonant_keys) if bones)
    return tuple(keys)


def forget_cached_keys() -> None:
    _spelling_keys.cache_clear()


def name_keys_of(spellings: Iterable[str]) -> list[str]:
    """The keys of one name written in one or several spellings, most telling first."""
    found: dict[str, None] = {}
    for spelling in spellings:
        if isinstance(spelling, str) and spelling.strip():
            found.update(dict.fromkeys(_spelling_keys(spelling)))
    listed = [k for k in found if k.startswith("n")]
    bones = [k for k in found if k.startswith("b")]
    return (listed + bones)[:MAX_KEYS_PER_NAME]


def year_buckets(year: int | None) -> tuple[str, ...]:
    if year is None:
        return ("u",)
    return (f"a{year // 2}", f"b{(year + 1) // 2}")


def document_key(number: str) -> str | None:
    cleaned = _DOCUMENT_CHARACTERS.sub("", exact(number).upper()) if number else ""
    return DOCUMENT + cleaned if len(cleaned) >= 5 else None


def match_keys(person: PersonNames) -> dict[str, str]:
    """Match key -> its kind (``d``, ``2``, ``1``, ``0``; see the module doc)."""
    keys: dict[str, str] = {}
    for number in person.documents:
        key = document_key(number)
        if key:
            keys[key] = DOCUMENT
    first, family = name_keys_of(person.first), name_keys_of(person.family)
    if not first or not family:
        return keys  # one name alone says too little
    for a, b in itertools.product(first, family):
        kind = str(a.startswith("n") + b.startswith("n"))
        names = "|".join(sorted((a, b)))
        for bucket in year_buckets(person.birth_year):
            keys.setdefault(f"{names}|{bucket}", kind)
        if person.birth_date:
            keys.setdefault(f"{names}|{person.birth_date}", EXACT_DATE)
            if len(keys) >= MAX_TOKENS:
                return keys
    return keys


def _token_key(network_key: bytes) -> bytes:
    return hmac.new(network_key, _TOKEN_CONTEXT, hashlib.sha256).digest()


def keyed_tokens(person: PersonNames, network_key: bytes) -> list[str]:
    """The person's match keys as HMAC tokens (kind character + hex), sorted."""
    key = _token_key(network_key)
    tokens = {
        kind + hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:TOKEN_HEX]
        for text, kind in match_keys(person).items()
    }
    return sorted(tokens)


def plain_tokens(person: PersonNames) -> list[str]:
    """The match keys in the same shape as tokens (kind + key), for data read in full."""
    return sorted(kind + text for text, kind in match_keys(person).items())


# -- reading a person record ----------------------------------------------------------


def _texts(data: Mapping[str, Any], names: Sequence[str]) -> tuple[str, ...]:
    return tuple(v for v in (data.get(n) for n in names) if isinstance(v, str) and v.strip())


def birth_year_of(data: Mapping[str, Any]) -> int | None:
    year = data.get("birth_year")
    if isinstance(year, int) and not isinstance(year, bool):
        return year
    born = data.get("birth_date")
    if isinstance(born, str) and len(born) >= 4 and born[:4].isdigit():
        return int(born[:4])
    estimated = data.get("estimated_birth_year")
    if isinstance(estimated, int) and not isinstance(estimated, bool):
        return estimated
    return None


def person_names(data: Mapping[str, Any]) -> PersonNames:
    """The names, birth year and document numbers of a person record (its stored fields)."""
    documents = tuple(
        str(d.get("number", ""))
        for d in data.get("documents") or []
        if isinstance(d, dict) and d.get("number")
    )
    return PersonNames(
        first=_texts(data, ("first_name", "first_name_latin")),
        family=_texts(data, ("second_name", "second_name_latin")),
        birth_year=birth_year_of(data),
        documents=documents,
        birth_date=_exact_date(data),
    )


def _exact_date(data: Mapping[str, Any]) -> str:
    born = data.get("birth_date")
    return born if isinstance(born, str) and len(born) == 10 else ""


def token_strength(token: str) -> int:
    """How much a shared token says: a document, then two, one or no listed names."""
    return {DOCUMENT: 3, EXACT_DATE: 3, "2": 2, "1": 1}.get(token[:1], 0)


def has_exact_date(tokens: Iterable[str]) -> bool:
    return any(t.startswith(EXACT_DATE) for t in tokens)
