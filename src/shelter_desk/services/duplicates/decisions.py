"""Possibly the same person: the pairs of this installation's cases, and what was decided.

A shelter compares its own cases (names in full); the coordinator compares the cases of
every organisation it receives, identified data by names and pseudonymised data by the
keyed tokens the shelters sent (``tokens``), and lists only pairs of two organisations.
A pair confirmed as the same person is *linked*: both cases stay as they are (nothing is
merged) and the pair is listed as linked; a dismissed pair is not listed again. Each
decision is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shelter_desk.domain.errors import NotFound, ValidationError
from shelter_desk.i18n import _
from shelter_desk.security.permissions import Permission
from shelter_desk.services.coordination.numbers import organisation_names
from shelter_desk.services.duplicates.matching import Candidate, Pair, find_pairs, matches_for
from shelter_desk.services.duplicates.tokens import person_names, plain_tokens
from shelter_desk.services.session import Session
from shelter_desk.store.duplicates import DIFFERENT, SAME, DuplicateDecisions, pair_ids

AUDIT_SAME = "duplicate_same_person"
AUDIT_DIFFERENT = "duplicate_dismissed"
AUDIT_UNDONE = "duplicate_decision_undone"
COORDINATOR = "coordinator"
NEWCOMER = ""  # the case id of a person not saved yet


@dataclass(frozen=True)
class DuplicatePair:
    case_a: str
    case_b: str
    number_a: str
    number_b: str
    organisation_a: str
    organisation_b: str
    score: int
    linked: bool  # confirmed as the same person


@dataclass(frozen=True)
class IntakeMatch:
    case_id: str
    number: str
    score: int


def _tokens_of(data: Mapping[str, Any]) -> frozenset[str]:
    tokens = set(plain_tokens(person_names(data)))
    sent = data.get("identity_tokens")
    if isinstance(sent, list):
        tokens.update(t for t in sent if isinstance(t, str) and len(t) > 1)
    single = data.get("identity_token")  # what older versions send: exact names and year
    if isinstance(single, str) and single:
        tokens.add("2i" + single)
    return frozenset(tokens)


def candidate_of(case_id: str, org_id: str, number: str, data: Mapping[str, Any]) -> Candidate:
    citizenships = data.get("citizenships") or []
    gender = data.get("gender")
    return Candidate(
        case_id=case_id,
        org_id=org_id,
        number=number,
        tokens=_tokens_of(data),
        birth_year=person_names(data).birth_year,
        gender=gender if isinstance(gender, str) else "",
        citizenships=frozenset(c for c in citizenships if isinstance(c, str)),
    )


def candidates(session: Session) -> list[Candidate]:
    """Every live case's person, with the tokens to compare them by."""
    people = {r.id: r for r in session.records.of_entity("person")}
    found = []
    for case in session.records.of_entity("case"):
        person = people.get(str(case.data.get("person_id", "")))
        if person is None:
            continue
        number = str(case.data.get("number", ""))
        found.append(candidate_of(case.id, case.org_id, number, person.data))
    return found


def _pairs(session: Session) -> list[Pair]:
    across = session.installation_role == COORDINATOR
    return find_pairs(candidates(session), across_organisations=across)


def possible_duplicates(session: Session, limit: int | None = None) -> list[DuplicatePair]:
    """Pairs not dismissed, likeliest first (linked pairs among them, marked)."""
    session.require(Permission.VIEW_CASES)
    decided = DuplicateDecisions(session.db).all()
    names = organisation_names(session)
    listed = []
    for pair in _pairs(session):
        a, b = pair.first, pair.second
        decision = decided.get(pair_ids(a.case_id, b.case_id))
        if decision is not None and decision.decision == DIFFERENT:
            continue
        listed.append(
            DuplicatePair(
                case_a=a.case_id,
                case_b=b.case_id,
                number_a=a.number,
                number_b=b.number,
                organisation_a=names.get(a.org_id) or a.org_id[:8],
                organisation_b=names.get(b.org_id) or b.org_id[:8],
                score=pair.score,
                linked=decision is not None and decision.decision == SAME,
            )
        )
        if limit is not None and len(listed) >= limit:
            break
    return listed


def _check_pair(session: Session, case_a: str, case_b: str) -> None:
    if case_a == case_b:
        raise ValidationError({"case": _("A case cannot be a duplicate of itself.")})
    for case_id in (case_a, case_b):
        record = session.records.get(case_id)
        if record is None or record.entity != "case" or record.deleted:
            raise NotFound(_("There is no such case."))


def _decide(session: Session, case_a: str, case_b: str, decision: str, action: str) -> None:
    session.require(Permission.EDIT_CASES)
    _check_pair(session, case_a, case_b)
    first, second = pair_ids(case_a, case_b)
    at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with session.db.transaction():
        DuplicateDecisions(session.db).decide(first, second, decision, at, session.user.id)
        session.audit(action, "case_pair", f"{first}+{second}")


def confirm_same_person(session: Session, case_a: str, case_b: str) -> None:
    """Link two cases as one person (audited); neither case changes."""
    _decide(session, case_a, case_b, SAME, AUDIT_SAME)


def dismiss(session: Session, case_a: str, case_b: str) -> None:
    """Two different people: the pair is not listed again (audited)."""
    _decide(session, case_a, case_b, DIFFERENT, AUDIT_DIFFERENT)


def undo_decision(session: Session, case_a: str, case_b: str) -> None:
    """Forget what was decided about a pair (audited): it is listed again if it matches."""
    session.require(Permission.EDIT_CASES)
    store = DuplicateDecisions(session.db)
    if store.get(case_a, case_b) is None:
        raise NotFound(_("Nothing was decided about these two cases."))
    first, second = pair_ids(case_a, case_b)
    with session.db.transaction():
        store.forget(first, second)
        session.audit(AUDIT_UNDONE, "case_pair", f"{first}+{second}")


def intake_matches(
    session: Session, person: Mapping[str, Any], *, limit: int = 5
) -> list[IntakeMatch]:
    """This organisation's cases whose person is possibly the one being registered
    (``person``: the person's fields as ``domain.serialize.to_fields`` writes them)."""
    session.require(Permission.VIEW_CASES)
    newcomer = candidate_of(NEWCOMER, session.org_id, "", person)
    if not newcomer.tokens:
        return []
    own = [c for c in candidates(session) if c.org_id == session.org_id]
    found = matches_for(newcomer, own)[:limit]
    return [IntakeMatch(p.second.case_id, p.second.number, p.score) for p in found]
