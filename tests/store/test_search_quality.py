"""Precision, recall and ranking of the name search on the held-out corpus (issue 11, item 12).

The corpus (tests/store/data/search_corpus.tsv) is people written in Arabic, Hebrew,
Cyrillic, Georgian, Ethiopic, Devanagari, Bengali, Thai and Latin script; it is kept apart
from the names table the search uses. benchmarks/search_quality_bench.py prints the same
figures and lists every wrong result.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from shelter_desk.store import name_table
from shelter_desk.store.search_quality import Entry, Quality, load_corpus, measure

CORPUS = Path(__file__).resolve().parent / "data" / "search_corpus.tsv"
SCRIPTS = {"Arab", "Hebr", "Cyrl", "Geor", "Ethi", "Deva", "Beng", "Thai", "Latn"}


@pytest.fixture(scope="module")
def corpus() -> list[Entry]:
    return load_corpus(CORPUS)


@pytest.fixture(scope="module")
def whole_words(corpus: list[Entry]) -> Quality:
    return measure(corpus)


@pytest.fixture(scope="module")
def as_typed(corpus: list[Entry]) -> Quality:
    return measure(corpus, typing=True)


def test_the_corpus_covers_every_script_and_the_hard_negatives(corpus: list[Entry]) -> None:
    assert {e.script for e in corpus} == SCRIPTS
    given = {e.given_key for e in corpus}
    for near_misses in (
        ("muhammad", "mahmud", "ahmad", "hamid"),
        ("olga", "oleg"),
        ("amna", "amina"),
    ):
        assert set(near_misses) <= given
    # Every script in at least three people, and people in several scripts each.
    for script in SCRIPTS:
        assert len({e.person for e in corpus if e.script == script}) >= 3, script
    assert len({e.person for e in corpus}) >= 100


@pytest.mark.parametrize("mode", ["whole_words", "as_typed"])
def test_precision_and_recall_are_at_least_097(mode: str, request: pytest.FixtureRequest) -> None:
    quality: Quality = request.getfixturevalue(mode)
    assert quality.queries > 700
    assert quality.precision >= 0.97, quality.misses
    assert quality.recall >= 0.97, quality.misses


@pytest.mark.parametrize("mode", ["whole_words", "as_typed"])
def test_the_exact_spelling_is_ranked_first(mode: str, request: pytest.FixtureRequest) -> None:
    quality: Quality = request.getfixturevalue(mode)
    assert quality.not_exact_first == []
    assert quality.exact_first == 1.0


def test_every_spelling_and_script_of_a_name_finds_the_same_people(whole_words: Quality) -> None:
    assert whole_words.same_across_scripts_unambiguous == 1.0
    # The one exception: the names table gives the Latin "Amina" to both آمنة and أمينة, so
    # it finds both, while each Arabic spelling finds its own name.
    assert whole_words.differ_across_scripts == ["amina"]
    assert name_table.name_keys("amina") == ("amna", "amina")


def test_the_names_table_names_its_source_and_is_data() -> None:
    text = name_table.table_path().read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert "Source: compiled by the Shelter Desk project" in header
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    assert len(rows) > 1000
    for row in rows:
        assert len(row) == 3, row
        key, script, spelling = row
        assert key.isascii() and key.isalpha() and key.islower(), row
        assert len(script) == 4 and script.istitle(), row
        assert spelling == spelling.strip() and spelling, row
        assert unicodedata.is_normalized("NFC", spelling), row
    assert len({tuple(row) for row in rows}) == len(rows), "a spelling is listed twice"


def test_the_corpus_is_not_a_copy_of_the_names_table(corpus: list[Entry]) -> None:
    table = name_table.table_path().read_text(encoding="utf-8")
    assert "search_corpus" not in table
    spellings = {s for e in corpus for s in (e.given, e.family)}
    unlisted = {s for s in spellings if not name_table.name_keys(name_table.normalised(s))}
    # Some names are left to the table-less keys, so those are measured too.
    assert unlisted
