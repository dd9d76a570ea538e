"""Figures for the possible duplicates: precision, recall and time of the pair list.

    PYTHONPATH=src .venv/bin/python benchmarks/duplicates_bench.py [--cases 5000] [--copies 500]

A demo installation of CASES generated cases, and COPIES of them registered again with
their Latin spelling only (a third a year off; tests/services/duplicates_population.py).
Prints the pairs listed, recall (overall and for names in Arabic script), precision (over
every pair, and among the pairs that are not name twins), and the time to make the keys and
tokens and to find the pairs, in plain (a shelter's own data) and keyed (a coordinator's
pseudonymised data) form.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from shelter_desk.services import sharing
from shelter_desk.services.duplicates.matching import find_pairs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the population's builder
from tests.services.duplicates_population import (
    demo_people,
    figures,
    keyed,
    population,
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--copies", type=int, default=500)
    parser.add_argument("--seed", type=int, default=11)
    a = parser.parse_args()
    started = time.perf_counter()
    people = demo_people(a.cases, a.seed)
    print(f"demo cases generated: {a.cases} in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    pop = population(people, min(a.copies, a.cases))
    print(f"plain keys of {len(pop.candidates)} people: {time.perf_counter() - started:.2f} s")
    key = sharing.network_key(sharing.new_network_secret().replace("-", ""))
    started = time.perf_counter()
    secret = keyed(pop, key)
    print(f"keyed tokens: {time.perf_counter() - started:.2f} s")
    per_person = sum(len(c.tokens) for c in secret) / len(secret)
    print(f"tokens per person: {per_person:.1f}")
    for name, candidates in (("plain", pop.candidates), ("keyed", secret)):
        started = time.perf_counter()
        pairs = find_pairs(candidates)
        took = time.perf_counter() - started
        f = figures(pop, pairs)
        print(
            f"{name}: {f.listed} pairs in {took:.2f} s; recall {f.recall:.3f}"
            f" (Arabic script {f.abjad_recall:.3f} of {f.abjad_truth}); precision"
            f" {f.precision:.3f}, {f.precision_without_twins:.3f} without the"
            f" {f.twins} name twins; other false pairs {f.listed - f.found - f.twins}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
