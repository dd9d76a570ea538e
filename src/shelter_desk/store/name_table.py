"""The names table: which spellings, in which scripts, are one name.

``resources/names/names.tsv`` lists common given names and surnames, each under a key, in
their own script and in the spellings they are found under elsewhere (its header names its
source). The search gives every known spelling its key (``محمد``, ``Mohammed``, ``Мухаммед``
and ``মোহাম্মদ`` are all ``muhammad``), so a known name finds exactly the spellings of that
name, and not a name that merely has the same consonants (محمود, Mahmud).

Spellings are compared in the search's own normalised form (``search_keys.exact``) with their
words joined, so ``Abdel Rahman``, ``Abdel-Rahman`` and ``Abdelrahman`` are one spelling. A
spelling not found as written is looked up by its transliteration too (an unlisted Cyrillic
spelling whose transliteration is a listed Latin one).

The table is read once, on first use, and kept in memory (it holds no personal data).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from pathlib import Path

from shelter_desk.resources import resource_path
from shelter_desk.store.search_keys import ascii_form, exact, is_abjad, words

# A listed spelling has at most this many words (عبد الرحمن, Abd al-Rahman).
MAX_NAME_WORDS = 3


def table_path() -> Path:
    return resource_path("names", "names.tsv")


def normalised(spelling: str) -> str:
    """The form a spelling is listed and looked up under: its words, normalised, joined."""
    return "".join(exact(word) for word in words(spelling))


@functools.cache
def _table() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(keys of each normalised spelling, normalised spellings of each key)."""
    keys: dict[str, list[str]] = defaultdict(list)
    spellings: dict[str, list[str]] = defaultdict(list)
    for line in table_path().read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _script, spelling = line.split("\t")
        form = normalised(spelling)
        if form and key not in keys[form]:
            keys[form].append(key)
        if form and form not in spellings[key]:
            spellings[key].append(form)
    return (
        {form: tuple(found) for form, found in keys.items()},
        {key: tuple(found) for key, found in spellings.items()},
    )


def name_keys(form: str) -> tuple[str, ...]:
    """The keys of a normalised spelling (``normalised``); empty when it is not listed."""
    if not form or any(ch.isdigit() for ch in form):
        return ()  # names have no digits; numbers and codes are most of what is not a name
    keys = _table()[0]
    found = keys.get(form)
    if found is None and not form.isascii() and not is_abjad(form):
        found = keys.get(ascii_form(form))
    return found or ()


def spellings(key: str) -> tuple[str, ...]:
    """Every listed spelling of a key, normalised."""
    return _table()[1].get(key, ())
