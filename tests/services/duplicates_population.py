"""A generated population with known re-registrations, for measuring the duplicate pairs.

The demo generator (``services.demo``) writes ``cases`` people of its populations (names in
their own script with their usual Latin spelling). Every case is one candidate with its
names as written in its own script only; ``copies`` of them are registered again "at another
shelter" with the Latin spelling only, no document, and a third of them with an estimated
birth year one year off. The true pairs are (original, copy); every other listed pair is
false. Some false pairs are *name twins*: two generated people with the same two names (as
written or in their recorded Latin spelling, in either order) and birth years at most one
apart, which nothing compared here can tell apart (the generator draws from a few dozen
names per country).
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from shelter_desk.services.demo import generate_demo
from shelter_desk.services.duplicates import decisions as duplicates
from shelter_desk.services.duplicates.matching import Candidate, Pair
from shelter_desk.services.duplicates.tokens import birth_year_of, keyed_tokens, person_names
from shelter_desk.services.installation import DEMO_PASSPHRASE, DEMO_USER, Installation
from shelter_desk.store.name_table import normalised
from shelter_desk.store.search_keys import is_abjad

COPY = "copy-"


@dataclass(frozen=True)
class Population:
    candidates: list[Candidate]
    truth: set[frozenset[str]]
    written: dict[str, tuple[frozenset[frozenset[str]], int | None]]  # case id -> names, year
    abjad_copies: set[str]  # copies of people whose names are in Arabic or Hebrew script
    fields: dict[str, dict[str, Any]]  # case id -> the person's fields as registered


@dataclass(frozen=True)
class Figures:
    listed: int
    true_pairs: int
    found: int
    twins: int
    abjad_found: int
    abjad_truth: int

    @property
    def precision(self) -> float:
        return (self.found / self.listed) if self.listed else 1.0

    @property
    def precision_without_twins(self) -> float:
        told_apart = self.listed - self.twins
        return (self.found / told_apart) if told_apart else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.true_pairs

    @property
    def abjad_recall(self) -> float:
        return self.abjad_found / self.abjad_truth if self.abjad_truth else 1.0


def demo_people(
    cases: int, seed: int, folder: Path | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """(case id, person fields) of a new demo installation of ``cases`` cases."""
    root = (folder or Path(tempfile.mkdtemp(prefix="dup-pop-"))) / "demo"
    inst = Installation(root)
    session, _recovery = inst.create(
        org_name="Demo", admin=DEMO_USER, passphrase=DEMO_PASSPHRASE, country="IL", demo=True
    )
    try:
        generate_demo(session, cases, seed)
        people = {r.id: r.data for r in session.records.of_entity("person")}
        return [
            (c.id, dict(people[str(c.data["person_id"])]))
            for c in session.records.of_entity("case")
        ]
    finally:
        session.lock()
        inst.release()


def population(people: list[tuple[str, dict[str, Any]]], copies: int, seed: int = 3) -> Population:
    rng = random.Random(seed)
    found: list[Candidate] = []
    written: dict[str, tuple[frozenset[frozenset[str]], int | None]] = {}
    fields: dict[str, dict[str, Any]] = {}
    for n, (case_id, data) in enumerate(people):
        native = dict(data, first_name_latin="", second_name_latin="")
        fields[case_id] = native
        found.append(duplicates.candidate_of(case_id, "shelter-a", f"A-{n}", native))
        written[case_id] = (_names(data), birth_year_of(data))
    truth: set[frozenset[str]] = set()
    abjad: set[str] = set()
    for n, (case_id, data) in enumerate(rng.sample(people, copies)):
        latin = _latin_registration(data)
        year = birth_year_of(data)
        if year is not None and n % 3 == 0:
            latin.pop("birth_date", None)
            latin["estimated_birth_year"] = year + rng.choice((-1, 1))
        copy_id = f"{COPY}{n}"
        fields[copy_id] = latin
        found.append(duplicates.candidate_of(copy_id, "shelter-b", f"B-{n}", latin))
        written[copy_id] = (written[case_id][0], birth_year_of(latin))
        truth.add(frozenset((case_id, copy_id)))
        if is_abjad(str(data.get("first_name", ""))):
            abjad.add(copy_id)
    return Population(found, truth, written, abjad, fields)


def _names(data: Mapping[str, Any]) -> frozenset[frozenset[str]]:
    """The person's two names as written and in their recorded Latin spelling, each pair
    in either order."""
    pairs = (("first_name", "second_name"), ("first_name_latin", "second_name_latin"))
    return frozenset(
        frozenset(normalised(str(data.get(name) or "")) for name in pair) for pair in pairs
    )


def _latin_registration(data: Mapping[str, Any]) -> dict[str, Any]:
    return dict(
        data,
        first_name=data.get("first_name_latin") or data.get("first_name", ""),
        second_name=data.get("second_name_latin") or data.get("second_name", ""),
        first_name_latin="",
        second_name_latin="",
        documents=[],
    )


def keyed(pop: Population, network_key: bytes) -> list[Candidate]:
    """The candidates as a coordinator holds them from pseudonymised data: keyed tokens."""
    return [
        replace(c, tokens=frozenset(keyed_tokens(person_names(pop.fields[c.case_id]), network_key)))
        for c in pop.candidates
    ]


def figures(pop: Population, pairs: list[Pair]) -> Figures:
    listed = {frozenset((p.first.case_id, p.second.case_id)) for p in pairs}
    found = listed & pop.truth
    twins = 0
    for pair in listed - pop.truth:
        (names_a, year_a), (names_b, year_b) = (pop.written[x] for x in pair)
        if names_a & names_b and year_a is not None and year_b is not None:
            twins += abs(year_a - year_b) <= 1
    abjad_truth = {t for t in pop.truth if t & pop.abjad_copies}
    return Figures(
        listed=len(listed),
        true_pairs=len(pop.truth),
        found=len(found),
        twins=twins,
        abjad_found=len(found & abjad_truth),
        abjad_truth=len(abjad_truth),
    )
