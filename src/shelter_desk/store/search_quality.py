"""Precision and recall of the case-list name search on a labelled corpus of people.

The corpus (``tests/store/data/search_corpus.tsv``) holds people written in several scripts
and spellings; every name carries a key, and two names are the same name exactly when their
keys are equal. Each line becomes one row of a real (in-memory, encrypted) FTS5 table, made
by ``index_columns`` as the store makes it, with the given and the family name as two values
(as a person's first and second name are). Then every given name, every family name and every
full name of the corpus is searched for, and the rows found are compared with the rows that
should be found:

* a name typed alone should find every row holding a name with its key, given or family;
* a full name should find every row holding both keys.

Figures are micro-averaged: precision is all rows rightly found over all rows found, recall is
all rows rightly found over all rows that should have been found. "Exact first" is the share
of queries whose rows holding the typed spelling itself (every word, case-blind) come before
every other row. "Same across scripts" is the share of names (key sets) for which every
spelling and script of the name finds the same rows; "unambiguous" leaves out the spellings
that the names table gives to more than one name (a Latin ``Amina`` may be آمنة or أمينة, so
it cannot find what each Arabic spelling finds).
"""

from __future__ import annotations

import os
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3

from shelter_desk.store.name_table import name_keys, normalised
from shelter_desk.store.search_tokens import (
    EXACT_WEIGHT,
    FTS_SCHEMA_EXAMPLE,
    FUZZY_WEIGHT,
    index_columns,
    match_query,
)

SEARCH_SQL = (
    "SELECT rowid FROM case_search WHERE case_search MATCH ? "
    "ORDER BY bm25(case_search, ?, ?), rowid"
)


@dataclass(frozen=True)
class Entry:
    """One row of the corpus: a person as registered in one script or spelling."""

    person: str
    given_key: str
    family_key: str
    script: str
    given: str
    family: str

    @property
    def keys(self) -> frozenset[str]:
        return frozenset((self.given_key, self.family_key))


@dataclass(frozen=True)
class Query:
    text: str
    keys: frozenset[str]


@dataclass(frozen=True)
class Miss:
    """A query that found a row it should not have, or missed one it should have found."""

    query: str
    missing: tuple[str, ...]
    extra: tuple[str, ...]


@dataclass
class Quality:
    queries: int = 0
    precision: float = 0.0
    recall: float = 0.0
    exact_first: float = 0.0
    same_across_scripts: float = 0.0
    same_across_scripts_unambiguous: float = 0.0
    misses: list[Miss] = field(default_factory=list)
    not_exact_first: list[str] = field(default_factory=list)
    differ_across_scripts: list[str] = field(default_factory=list)
    query_ms: list[float] = field(default_factory=list)


def load_corpus(path: Path) -> list[Entry]:
    """The corpus rows; ``#`` lines are comments."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        person, given_key, family_key, script, given, family = line.split("\t")
        entries.append(Entry(person, given_key, family_key, script, given, family))
    return entries


def queries_of(entries: Iterable[Entry]) -> list[Query]:
    """Every given, family and full name of the corpus once, with the keys it stands for."""
    found: dict[str, Query] = {}
    for e in entries:
        for text, keys in (
            (e.given, frozenset((e.given_key,))),
            (e.family, frozenset((e.family_key,))),
            (f"{e.given} {e.family}", e.keys),
        ):
            found.setdefault(text, Query(text, keys))
    return list(found.values())


def open_table(entries: Sequence[Entry]) -> Any:
    """An in-memory encrypted FTS5 table with one row per entry (rowid = index + 1)."""
    con = sqlcipher3.connect(":memory:")
    con.execute("PRAGMA key = \"x'" + os.urandom(32).hex() + "'\"")
    con.execute(FTS_SCHEMA_EXAMPLE)
    con.executemany(
        "INSERT INTO case_search(rowid, exact_tokens, fuzzy_tokens) VALUES (?, ?, ?)",
        [(n + 1, *index_columns((e.given, e.family))) for n, e in enumerate(entries)],
    )
    return con


def search(con: Any, text: str) -> tuple[list[int], float]:
    """Rowids found for typed text, best first, and the milliseconds it took."""
    started = time.perf_counter()
    expression = match_query(text)
    rows = con.execute(SEARCH_SQL, (expression, EXACT_WEIGHT, FUZZY_WEIGHT)).fetchall()
    return [rowid for (rowid,) in rows], (time.perf_counter() - started) * 1000


def _words(text: str) -> list[str]:
    return unicodedata.normalize("NFKC", text).casefold().split()


def _holds_spelling(entry: Entry, text: str) -> bool:
    written = _words(f"{entry.given} {entry.family}")
    return all(word in written for word in _words(text))


def _label(entry: Entry) -> str:
    return f"{entry.given} {entry.family}"


def measure(entries: Sequence[Entry], *, typing: bool = False) -> Quality:
    """Search every name of the corpus; ``typing`` leaves the last word open (as you type)
    instead of ending it with a space."""
    con = open_table(entries)
    try:
        return _measure(con, entries, queries_of(entries), typing)
    finally:
        con.close()


def _measure(con: Any, entries: Sequence[Entry], queries: list[Query], typing: bool) -> Quality:
    quality = Quality(queries=len(queries))
    found_right = found_all = should_find = exact_ok = 0
    results_by_keys: dict[frozenset[str], dict[str, frozenset[int]]] = defaultdict(dict)
    for q in queries:
        rows, ms = search(con, q.text if typing else q.text + " ")
        quality.query_ms.append(ms)
        relevant = {n + 1 for n, e in enumerate(entries) if q.keys <= e.keys}
        got = set(rows)
        found_right += len(got & relevant)
        found_all += len(got)
        should_find += len(relevant)
        if got != relevant:
            quality.misses.append(
                Miss(
                    q.text,
                    tuple(_label(entries[n - 1]) for n in sorted(relevant - got)),
                    tuple(_label(entries[n - 1]) for n in sorted(got - relevant)),
                )
            )
        exact = [rowid for rowid in rows if _holds_spelling(entries[rowid - 1], q.text)]
        if rows[: len(exact)] == exact:
            exact_ok += 1
        else:
            quality.not_exact_first.append(q.text)
        results_by_keys[q.keys][q.text] = frozenset(rows)
    quality.precision = found_right / found_all if found_all else 1.0
    quality.recall = found_right / should_find if should_find else 1.0
    quality.exact_first = exact_ok / len(queries) if queries else 1.0
    quality.same_across_scripts = _share_same(results_by_keys, quality.differ_across_scripts)
    unambiguous = {
        keys: {text: rows for text, rows in by_text.items() if not _ambiguous(text)}
        for keys, by_text in results_by_keys.items()
    }
    quality.same_across_scripts_unambiguous = _share_same(unambiguous, [])
    return quality


def _share_same(
    results: dict[frozenset[str], dict[str, frozenset[int]]], differ: list[str]
) -> float:
    same = 0
    for keys, by_text in results.items():
        if len(set(by_text.values())) <= 1:
            same += 1
        else:
            differ.append(" / ".join(sorted(keys)))
    return same / len(results) if results else 1.0


def _ambiguous(text: str) -> bool:
    """Does the names table give a word of the text to more than one name?"""
    return any(len(name_keys(normalised(word))) > 1 for word in text.split())
