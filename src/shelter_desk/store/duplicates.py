"""What people decided about "possibly the same person" pairs (schema 8).

A pair is two case ids in sorted order. ``same`` links the two cases as one person (nothing
is merged: both cases stay as their organisations keep them); ``different`` dismisses the
pair so that it is not listed again. The audit log records who decided (services).
"""

from __future__ import annotations

from dataclasses import dataclass

from shelter_desk.store.db import Database

SAME = "same"
DIFFERENT = "different"


@dataclass(frozen=True)
class PairDecision:
    case_a: str
    case_b: str
    decision: str
    decided_at: str
    decided_by: str


def pair_ids(case_a: str, case_b: str) -> tuple[str, str]:
    first, second = sorted((case_a, case_b))
    return first, second


class DuplicateDecisions:
    def __init__(self, db: Database) -> None:
        self._db = db

    def decide(self, case_a: str, case_b: str, decision: str, at: str, user_id: str) -> None:
        first, second = pair_ids(case_a, case_b)
        self._db.execute(
            "INSERT INTO duplicate_decisions (case_a, case_b, decision, decided_at, decided_by)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(case_a, case_b) DO UPDATE SET"
            " decision = excluded.decision, decided_at = excluded.decided_at,"
            " decided_by = excluded.decided_by",
            (first, second, decision, at, user_id),
        )

    def forget(self, case_a: str, case_b: str) -> None:
        self._db.execute(
            "DELETE FROM duplicate_decisions WHERE case_a = ? AND case_b = ?",
            pair_ids(case_a, case_b),
        )

    def all(self) -> dict[tuple[str, str], PairDecision]:
        rows = self._db.all(
            "SELECT case_a, case_b, decision, decided_at, decided_by FROM duplicate_decisions"
        )
        return {(r[0], r[1]): PairDecision(r[0], r[1], r[2], r[3], r[4]) for r in rows}

    def get(self, case_a: str, case_b: str) -> PairDecision | None:
        r = self._db.one(
            "SELECT case_a, case_b, decision, decided_at, decided_by FROM duplicate_decisions"
            " WHERE case_a = ? AND case_b = ?",
            pair_ids(case_a, case_b),
        )
        return None if r is None else PairDecision(r[0], r[1], r[2], r[3], r[4])
