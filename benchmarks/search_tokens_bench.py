"""Figures for the case-list search: tokenising, index size and query time on generated people.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/search_tokens_bench.py [PEOPLE]``
(default 20000). Everything stays in an in-memory SQLCipher database.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time

import sqlcipher3

from shelter_desk.store.search_tokens import (
    EXACT_WEIGHT,
    FTS_SCHEMA_EXAMPLE,
    FUZZY_WEIGHT,
    index_columns,
    match_query,
)

GIVEN = [
    ("Mohammed", "محمد"),
    ("Mahmoud", "محمود"),
    ("Ahmed", "أحمد"),
    ("Fatima", "فاطمة"),
    ("Aisha", "عائشة"),
    ("Youssef", "يوسف"),
    ("Olga", "Ольга"),
    ("Irina", "Ирина"),
    ("Giorgi", "გიორგი"),
    ("Nino", "ნინო"),
    ("Moshe", "משה"),
    ("Miriam", "מרים"),
    ("Selam", "ሰላም"),
    ("Maria", "Мария"),
]
FAMILY = [
    ("Haddad", "حداد"),
    ("Khalil", "خليل"),
    ("Ivanova", "Иванова"),
    ("Beridze", "ბერიძე"),
    ("Cohen", "כהן"),
    ("Tesfaye", "ተስፋዬ"),
    ("Mansour", "منصور"),
    ("Petrova", "Петрова"),
]
QUERIES = ["Muhammad", "Moh", "محمد", "Ольга", "Giorgi", "ORG-2026-0042", "0042", "fatima khal"]


def _person(rng: random.Random, number: int) -> list[str]:
    given = rng.choice(GIVEN)
    family = rng.choice(FAMILY)
    return [
        f"{given[0]} {family[0]}",
        f"{given[1]} {family[1]}",
        f"ORG-2026-{number:04d}",
        f"P{rng.randrange(10**6, 10**7)}",
    ]


def main(people: int) -> None:
    rng = random.Random(7)
    persons = [_person(rng, n) for n in range(people)]

    started = time.perf_counter()
    rows = [(n, *index_columns(values)) for n, values in enumerate(persons)]
    tokenised = time.perf_counter() - started
    tokens = sum(len(exact.split()) + len(fuzzy.split()) for _, exact, fuzzy in rows)

    con = sqlcipher3.connect(":memory:")
    con.execute("PRAGMA key = \"x'" + os.urandom(32).hex() + "'\"")
    con.execute(FTS_SCHEMA_EXAMPLE)
    started = time.perf_counter()
    with con:
        con.executemany(
            "INSERT INTO case_search(rowid, exact_tokens, fuzzy_tokens) VALUES (?, ?, ?)", rows
        )
    inserted = time.perf_counter() - started
    pages = int(con.execute("PRAGMA page_count").fetchone()[0])
    page_size = int(con.execute("PRAGMA page_size").fetchone()[0])

    print(f"people: {people}")
    print(f"tokenise_ms_per_person: {tokenised / people * 1000:.3f}")
    print(f"tokens_per_person: {tokens / people:.1f}")
    print(f"insert_s: {inserted:.2f}")
    print(f"database_mib: {pages * page_size / 2**20:.1f}")
    for query in QUERIES:
        expression = match_query(query)
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            found = con.execute(
                "SELECT rowid FROM case_search WHERE case_search MATCH ? "
                "ORDER BY bm25(case_search, ?, ?) LIMIT 50",
                (expression, EXACT_WEIGHT, FUZZY_WEIGHT),
            ).fetchall()
            timings.append(time.perf_counter() - started)
        median_ms = statistics.median(timings) * 1000
        print(f"query {query!r}: {median_ms:.1f} ms, {len(found)} of first 50")
    con.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
