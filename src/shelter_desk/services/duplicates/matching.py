"""Pairs of cases that are possibly the same person, most likely first.

Each case's person is a ``Candidate`` with its tokens (``tokens``): plain match keys for a
person whose names are here (own cases, identified data), the keyed tokens a shelter sent
for pseudonymised data, and the older single identity token. Two candidates are a pair
when they share a token that is not too common (a token shared by more than
``MAX_BLOCK`` people says nothing about any two of them). The pair's score then weighs what
the pair shares (a document number, names with the same exact birth date, names the names
table lists, or consonants only) with what both records say in plain: birth year, gender and
citizenship. Two records whose exact birth dates are both known and differ, and that share no
document, score 20 less: a pair of consonant-only names is then no longer listed, one of
names the names table lists still is (a birth date a year off is a duplicate to look at).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shelter_desk.services.duplicates.tokens import DOCUMENT, has_exact_date, token_strength

MAX_BLOCK = 40
THRESHOLD = 50  # pairs scoring lower are not listed
_BASE = {3: 85, 2: 60, 1: 50, 0: 40}  # by the strongest shared token (token_strength)
_BINARY_GENDERS = frozenset({"Feminine", "Masculine"})


@dataclass(frozen=True)
class Candidate:
    case_id: str
    org_id: str
    number: str
    tokens: frozenset[str]
    birth_year: int | None = None
    gender: str = ""
    citizenships: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Pair:
    first: Candidate
    second: Candidate
    score: int  # 0-99


def score(a: Candidate, b: Candidate, shared: Iterable[str]) -> int:
    shared = list(shared)
    points = _BASE[max(token_strength(t) for t in shared)]
    if (
        has_exact_date(a.tokens)
        and has_exact_date(b.tokens)
        and not has_exact_date(shared)
        and not any(t.startswith(DOCUMENT) for t in shared)
    ):
        points -= 20  # both born on a known day, and not the same day
    if a.birth_year is not None and b.birth_year is not None:
        gap = abs(a.birth_year - b.birth_year)
        points += 15 if gap == 0 else 5 if gap == 1 else -25
    if a.gender in _BINARY_GENDERS and b.gender in _BINARY_GENDERS and a.gender != b.gender:
        points -= 35
    if a.citizenships and b.citizenships:
        points += 10 if a.citizenships & b.citizenships else -20
    return max(0, min(99, points))


def find_pairs(
    candidates: Sequence[Candidate],
    *,
    across_organisations: bool = False,
    threshold: int = THRESHOLD,
) -> list[Pair]:
    """Every pair scoring at least ``threshold``, highest first (then by case number);
    with ``across_organisations`` only pairs of two organisations."""
    holders: dict[str, list[int]] = defaultdict(list)
    for n, candidate in enumerate(candidates):
        for token in candidate.tokens:
            holders[token].append(n)
    shared: dict[tuple[int, int], list[str]] = defaultdict(list)
    for token, found in holders.items():
        if len(found) < 2 or len(found) > MAX_BLOCK:
            continue
        for i, x in enumerate(found):
            for y in found[i + 1 :]:
                shared[(x, y)].append(token)
    pairs = []
    for (x, y), tokens in shared.items():
        a, b = candidates[x], candidates[y]
        if a.case_id == b.case_id or (across_organisations and a.org_id == b.org_id):
            continue
        points = score(a, b, tokens)
        if points >= threshold:
            pairs.append(Pair(a, b, points) if a.number <= b.number else Pair(b, a, points))
    pairs.sort(key=lambda p: (-p.score, p.first.number, p.second.number))
    return pairs


def matches_for(
    newcomer: Candidate, candidates: Sequence[Candidate], *, threshold: int = THRESHOLD
) -> list[Pair]:
    """The candidates possibly the same person as ``newcomer`` (not yet saved), likeliest
    first; every shared token counts however common (one person is compared, not all)."""
    found = []
    for other in candidates:
        tokens = newcomer.tokens & other.tokens
        if tokens and other.case_id != newcomer.case_id:
            points = score(newcomer, other, tokens)
            if points >= threshold:
                found.append(Pair(newcomer, other, points))
    found.sort(key=lambda p: (-p.score, p.second.number))
    return found
