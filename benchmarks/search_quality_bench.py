"""Precision, recall and ranking of the case-list name search across scripts, and its speed.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/search_quality_bench.py [--cases 5000]
[--misses]``

1. Quality on the held-out corpus ``tests/store/data/search_corpus.tsv`` (people written in
   Arabic, Hebrew, Cyrillic, Georgian, Ethiopic, Devanagari, Bengali, Thai and Latin script;
   see ``shelter_desk.store.search_quality`` for how each figure is counted), once with whole
   words (the query ends with a space) and once as typed (the last word is a prefix).
   Also: how many of the corpus's spellings the names table lists. The table was compiled
   from the same populations, so it lists nearly all of them; ``--leave-out corpus`` measures
   again with every name the corpus uses taken out of the table (what the search does for
   names it does not know while it knows the others), ``--leave-out all`` with no table.
2. Query time: ``--cases`` rows made of the corpus's given and family names in random
   combinations (same script within a row), then every corpus query is timed
   (``match_query`` plus the ranked FTS5 query, all rows fetched), each five times; p50 and
   p95 over the queries of each query's median.

Everything stays in memory, in encrypted SQLCipher databases. The test
``tests/store/test_search_quality.py`` asserts the quality figures.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
from collections import defaultdict
from pathlib import Path

from shelter_desk.store import name_table, search_tokens
from shelter_desk.store.search_quality import (
    Entry,
    load_corpus,
    measure,
    open_table,
    queries_of,
    search,
)

REPEAT = 5  # each query is timed this often; its median counts (the machine may be busy)
CORPUS = Path(__file__).resolve().parent.parent / "tests" / "store" / "data" / "search_corpus.tsv"


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def _quality(entries: list[Entry], show_misses: bool) -> None:
    for typing in (False, True):
        q = measure(entries, typing=typing)
        mode = "as typed (last word a prefix)" if typing else "whole words"
        print(f"quality, {mode}: {q.queries} queries on {len(entries)} rows")
        print(f"  precision: {q.precision:.3f}")
        print(f"  recall: {q.recall:.3f}")
        print(f"  exact spelling first: {q.exact_first:.3f}")
        print(f"  same rows whatever the script: {q.same_across_scripts:.3f}")
        print(f"  same rows, spellings of one name only: {q.same_across_scripts_unambiguous:.3f}")
        if show_misses:
            for miss in q.misses:
                print(f"    {miss.query!r}: missing {list(miss.missing)} extra {list(miss.extra)}")
            print(f"    exact spelling not first: {q.not_exact_first}")
            print(f"    differ across scripts: {q.differ_across_scripts}")


def _coverage(entries: list[Entry]) -> None:
    spellings = {s for e in entries for s in (e.given, e.family)}
    unlisted = sorted(s for s in spellings if not name_table.name_keys(name_table.normalised(s)))
    print(f"names table: {len(spellings) - len(unlisted)} of the corpus's {len(spellings)}")
    print(f"  spellings listed; not listed: {', '.join(unlisted)}")


def _leave_out(folder: Path, entries: list[Entry], what: str) -> None:
    """Point the search at a names table without the corpus's names, or an empty one (for
    this process only)."""
    corpus_names = {
        key
        for e in entries
        for spelling in (e.given, e.family)
        for key in name_table.name_keys(name_table.normalised(spelling))
    }
    lines = name_table.table_path().read_text(encoding="utf-8").splitlines()
    kept = [
        line
        for line in lines
        if what == "corpus" and not line.startswith("#") and line.split("\t")[0] not in corpus_names
    ]
    table = folder / "names.tsv"
    table.write_text("".join(line + "\n" for line in kept), encoding="utf-8")
    name_table.table_path = lambda: table  # type: ignore[assignment]
    name_table._table.cache_clear()
    search_tokens._listed_alternatives.cache_clear()
    search_tokens.forget_cached_tokens()
    print(f"names table: {len(kept)} spellings, the corpus's {len(corpus_names)} names left out")


def _by_script(entries: list[Entry]) -> dict[str, list[Entry]]:
    scripts: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        scripts[e.script].append(e)
    return scripts


def _speed(entries: list[Entry], cases: int) -> None:
    rng = random.Random(11)
    scripts = _by_script(entries)
    names = [s for s in scripts for _ in scripts[s]]  # scripts weighted by their rows
    rows = []
    for _ in range(cases):
        pool = scripts[rng.choice(names)]
        given, family = rng.choice(pool), rng.choice(pool)
        rows.append(Entry("", given.given_key, family.family_key, "", given.given, family.family))
    con = open_table(rows)
    try:
        timings, found = [], []
        for q in queries_of(entries):
            runs = [search(con, q.text + " ") for _ in range(REPEAT)]
            timings.append(statistics.median(ms for _ids, ms in runs))
            found.append(len(runs[0][0]))
    finally:
        con.close()
    print(f"speed: {len(timings)} queries on {cases} rows, all rows fetched, median of {REPEAT}")
    print(f"  p50_ms: {statistics.median(timings):.2f}")
    print(f"  p95_ms: {_p95(timings):.2f}")
    print(f"  rows found, median: {statistics.median(found):.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--misses", action="store_true", help="list every wrong result")
    parser.add_argument(
        "--leave-out", choices=("corpus", "all"), help="names to take out of the names table"
    )
    args = parser.parse_args()
    entries = load_corpus(CORPUS)
    with tempfile.TemporaryDirectory() as folder:
        if args.leave_out:
            _leave_out(Path(folder), entries, args.leave_out)
        else:
            _coverage(entries)
        _quality(entries, args.misses)
        _speed(entries, args.cases)


if __name__ == "__main__":
    main()
