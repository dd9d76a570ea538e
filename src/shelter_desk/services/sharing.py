"""What a partner may see of a case: the transformations of change-log transactions by the
person's consent (``Case.sharing_level``).

* **Identified**: the transactions as they are.
* **Pseudonymised**: no names, aliases, contacts, street or city of residence, document
  numbers, staff names or free text (narratives, notes, descriptions, details...); exact birth
  dates become a birth year; and, when the network secret is set, a keyed **identity token**.
* **StatisticsOnly**: only what the CTDC statistical export needs (gender, birth year,
  citizenship, exploitation and control codes, dates reduced to a year, case status).
* **NotShared**: nothing.

A reduced transaction is a *derived* transaction: its id is a UUIDv5 of (level, original id),
so exporting it again gives the same id and the receiver's ``ON CONFLICT(txn_id) DO NOTHING``
keeps it idempotent; it keeps the original's clock, device, author and record. Everything it
carries is either an original field with the original value (an allow-list per entity, so a
field added to an entity later is *not* shared until someone adds it here) or a new key that no
original transaction ever has (``birth_year``, ``<date field>_year``, ``document_types``...).
So original and derived transactions of the same record, arriving in any order, merge to the
same state: no field is ever written with two different values at the same clock.

The identity token lets the coordinator see that the same person was registered at two
shelters without learning who. It is HMAC-SHA256, keyed with the **network secret**, of the
normalised Latin first and last name, birth year and citizenships. The network secret is a
random code that one shelter generates (:func:`new_network_secret`) and reads to the other
shelters of the national network by phone; the coordinator is never told. Without it the
coordinator could confirm a guess ("is this token Amira Haddad born 1999?") by computing the
token itself, which is why the token is not keyed with anything on the coordinator's card. An
installation without a network secret sends pseudonymised data without a token.
Pseudonymised person transactions also carry ``identity_tokens``: several keyed
spelling-blind tokens (``services.duplicates.tokens``), so that a Latin and a Hebrew or
Arabic spelling of one person meet in the coordinator's list of possible duplicates.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from anyascii import anyascii

from shelter_desk.services.duplicates.tokens import keyed_tokens, person_names
from shelter_desk.store.records import Change

IDENTIFIED = "Identified"
PSEUDONYMISED = "Pseudonymised"
STATISTICS = "StatisticsOnly"
NOT_SHARED = "NotShared"
RAW = "raw"  # the form of a transaction sent as it is

DERIVED_NAMESPACE = uuid.UUID("f28d437d-c833-4f8c-ba6c-bd6c34c944d1")
NETWORK_SECRET_LENGTH = 26  # base32 characters: 130 bits
_NETWORK_KEY_CONTEXT = b"shelter-desk network key v1\x00"
_TOKEN_LENGTH = 32  # hex characters (128 bits)

# -- what each level keeps ------------------------------------------------------------

_LINKS = frozenset({"org_id", "case_id", "person_id"})

PSEUDONYMISED_FIELDS: dict[str, frozenset[str]] = {
    "case": _LINKS
    | {
        "number",
        "owner_id",
        "status",
        "opened_on",
        "closed_on",
        "closure_reason",
        "trafficking_status",
        "trafficking_status_decided_by",
        "trafficking_status_decided_on",
        "trafficking_status_decision_org",
        "risk_level",
        "sharing_level",
    },
    "person": _LINKS
    | {
        "gender",
        "deceased",
        "citizenships",
        "primary_language",
        "secondary_language",
        "marital_status",
        "number_of_children",
        "education_level",
        "country",
    },
    "intake": _LINKS
    | {
        "intake_date",
        "interpreter_language",
        "identification_source",
        "referring_org_id",
        "data_source",
        "exploitation_types",
        "forced_labour_industry",
        "sex_exploitation_types",
        "methods_of_control",
        "recruitment_methods",
        "relationship_to_trafficker",
        "trafficking_began_on",
        "trafficking_ended_on",
        "abducted",
        "forced_labour_indicators",
        "delphi_indicators",
    },
    "trafficking_event": _LINKS | {"event_type", "event_date", "country"},
    "consent": _LINKS
    | {
        "consent_given",
        "informed_of_purpose",
        "informed_of_data_use",
        "informed_of_research_use",
        "informed_of_right_of_access",
        "informed_of_retention",
        "informed_of_withdrawal",
        "sharing_level",
        "share_with_partners",
        "research",
        "photographs",
        "method",
        "interpreter_language",
        "given_on",
        "withdrawn_on",
        "recorded_by",
    },
    "needs_assessment": _LINKS | {"assessed_on", "risk_level", "next_review_on"},
    "support_objective": _LINKS | {"objective_type", "planned_end_on", "actual_end_on", "status"},
    "service_delivery": _LINKS
    | {
        "service_type",
        "provider_org_id",
        "started_on",
        "ended_on",
        "cost",
        "currency",
        "objective_id",
    },
    "referral": _LINKS
    | {
        "from_org_id",
        "to_org_id",
        "referred_on",
        "reason",
        "services_requested",
        "consent_id",
        "status",
        "responded_on",
        "cross_border",
        "shares_identity",
        "consent_override_by",
    },
    "return": _LINKS
    | {
        "decided_on",
        "counselling_sessions",
        "destination_country",
        "travel_on",
        "checklist",
        "reception_org_id",
        "cost",
        "currency",
    },
    "reintegration_plan": _LINKS | {"planned_on"},
    "follow_up": _LINKS
    | {
        "scheduled_on",
        "done_on",
        "mode",
        "questionnaire",
        "answers",
        "economic_score",
        "social_score",
        "psychosocial_score",
        "composite_score",
        "next_on",
    },
}

STATISTICS_FIELDS: dict[str, frozenset[str]] = {
    "case": _LINKS | {"status", "sharing_level", "trafficking_status"},
    "person": _LINKS | {"gender", "citizenships"},
    "intake": _LINKS
    | {
        "data_source",
        "exploitation_types",
        "forced_labour_industry",
        "sex_exploitation_types",
        "methods_of_control",
        "recruitment_methods",
        "relationship_to_trafficker",
        "abducted",
    },
    "trafficking_event": _LINKS | {"event_type", "country"},
}

# Dates that statistics keep only as a year, under "<field>_year".
STATISTICS_YEARS: dict[str, tuple[str, ...]] = {
    "case": ("opened_on", "closed_on"),
    "intake": ("intake_date", "trafficking_began_on", "trafficking_ended_on"),
    "trafficking_event": ("event_date",),
}

_IDENTITY_INPUTS = frozenset(
    {
        "first_name",
        "second_name",
        "first_name_latin",
        "second_name_latin",
        "birth_date",
        "estimated_birth_year",
        "citizenships",
    }
)
_BIRTH_INPUTS = frozenset({"birth_date", "estimated_birth_year"})
_TOKENS_INPUTS = _IDENTITY_INPUTS | {"documents"}  # what the duplicate tokens are made of
_NOT_LETTERS = re.compile(r"[^a-z0-9]+")


def form_for_level(level: str) -> str | None:
    """The form a case's transactions travel in to a coordinator, None when not shared."""
    return {IDENTIFIED: RAW, PSEUDONYMISED: PSEUDONYMISED, STATISTICS: STATISTICS}.get(level)


def derived_id(form: str, txn_id: str) -> str:
    return str(uuid.uuid5(DERIVED_NAMESPACE, f"{form}:{txn_id}"))


def sent_id(form: str, txn_id: str) -> str:
    return txn_id if form == RAW else derived_id(form, txn_id)


def is_derived(txn_id: str) -> bool:
    """Whether a transaction id is a derived (reduced) one: UUID version 5, not 7."""
    return len(txn_id) == 36 and txn_id[14] == "5"


# -- the network secret ---------------------------------------------------------------


def new_network_secret() -> str:
    """A random network secret to read to the other shelters: 26 base32 characters in
    groups of five, like ``ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z``."""
    raw = base64.b32encode(secrets.token_bytes(20)).decode("ascii")[:NETWORK_SECRET_LENGTH]
    return "-".join(raw[i : i + 5] for i in range(0, len(raw), 5))


def normalise_network_secret(text: str) -> str | None:
    """The secret's characters without spaces or dashes, upper case; None if malformed."""
    cleaned = re.sub(r"[\s-]+", "", text).upper()
    if len(cleaned) != NETWORK_SECRET_LENGTH or not re.fullmatch(r"[A-Z2-7]+", cleaned):
        return None
    return cleaned


def network_key(secret: str) -> bytes:
    return hashlib.sha256(_NETWORK_KEY_CONTEXT + secret.encode("ascii")).digest()


# -- identity token -------------------------------------------------------------------


def _name_part(latin: Any, original: Any) -> str:
    text = latin if isinstance(latin, str) and latin.strip() else original
    if not isinstance(text, str):
        return ""
    return _NOT_LETTERS.sub("", anyascii(text).casefold())


def birth_year(state: Mapping[str, Any]) -> int | None:
    born = state.get("birth_date")
    if isinstance(born, str) and len(born) >= 4 and born[:4].isdigit():
        return int(born[:4])
    estimated = state.get("estimated_birth_year")
    return estimated if isinstance(estimated, int) and not isinstance(estimated, bool) else None


def identity_token(state: Mapping[str, Any], key: bytes) -> str | None:
    """HMAC of the normalised first and last name, birth year and citizenships; None when
    the person has no name (nothing to recognise them by)."""
    first = _name_part(state.get("first_name_latin"), state.get("first_name"))
    last = _name_part(state.get("second_name_latin"), state.get("second_name"))
    if not first and not last:
        return None
    year = birth_year(state)
    citizenships = state.get("citizenships") or []
    countries = sorted(c for c in citizenships if isinstance(c, str))
    text = "|".join((first, last, str(year or ""), ",".join(countries)))
    digest = hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:_TOKEN_LENGTH]


# -- transactions ---------------------------------------------------------------------


def txn_dict(change: Change) -> dict[str, Any]:
    """A transaction as it travels in a bundle."""
    return {
        "txn_id": change.txn_id,
        "hlc": change.hlc,
        "device": change.device,
        "user_id": change.user_id,
        "org_id": change.org_id,
        "case_id": change.case_id,
        "entity": change.entity,
        "record_id": change.record_id,
        "parents": list(change.parents),
        "fields": change.fields,
        "deleted": change.deleted,
    }


def _year(value: Any) -> int | None:
    if isinstance(value, str) and len(value) >= 4 and value[:4].isdigit():
        return int(value[:4])
    return None


def _reduced_extras(entity: str, fields: Mapping[str, Any], form: str) -> dict[str, Any]:
    """New keys standing for reduced originals (never present in an original transaction)."""
    extras: dict[str, Any] = {}
    if entity == "person" and form == PSEUDONYMISED and "documents" in fields:
        documents = [d for d in fields["documents"] or [] if isinstance(d, dict)]
        extras["document_types"] = sorted({str(d.get("document_type", "")) for d in documents})
        extras["documents_withheld"] = any(bool(d.get("withheld_by_trafficker")) for d in documents)
    if entity == "needs_assessment" and form == PSEUDONYMISED:
        if "ratings" in fields:
            extras["need_levels"] = [
                {"domain": r.get("domain", ""), "level": r.get("level", "")}
                for r in fields["ratings"] or []
                if isinstance(r, dict)
            ]
        if "risk_factors" in fields:
            extras["risk_factor_levels"] = [
                {"level": r.get("level", ""), "protective": bool(r.get("protective"))}
                for r in fields["risk_factors"] or []
                if isinstance(r, dict)
            ]
    if entity == "reintegration_plan" and form == PSEUDONYMISED and "objectives" in fields:
        extras["objective_dimensions"] = [
            {
                "dimension": o.get("dimension", ""),
                "status": o.get("status", ""),
                "target_on": o.get("target_on"),
            }
            for o in fields["objectives"] or []
            if isinstance(o, dict)
        ]
    if form == STATISTICS:
        for name in STATISTICS_YEARS.get(entity, ()):
            if name in fields:
                extras[f"{name}_year"] = _year(fields[name])
    return extras


def derive(
    change: Change,
    form: str,
    *,
    person_state: Mapping[str, Any] | None = None,
    token_key: bytes | None = None,
) -> dict[str, Any] | None:
    """``change`` reduced to ``form`` (PSEUDONYMISED or STATISTICS), as a bundle transaction;
    None when nothing of it may be shared. ``person_state`` is the person record as it was
    right after ``change`` (needed for a person's birth year and identity token)."""
    allowed = (PSEUDONYMISED_FIELDS if form == PSEUDONYMISED else STATISTICS_FIELDS).get(
        change.entity
    )
    if allowed is None:
        return None
    fields = {k: v for k, v in change.fields.items() if k in allowed}
    fields.update(_reduced_extras(change.entity, change.fields, form))
    if change.entity == "person" and person_state is not None:
        touched = change.fields.keys()
        if touched & _BIRTH_INPUTS:
            fields["birth_year"] = birth_year(person_state)
        if form == PSEUDONYMISED and token_key is not None and touched & _IDENTITY_INPUTS:
            fields["identity_token"] = identity_token(person_state, token_key)
        if form == PSEUDONYMISED and token_key is not None and touched & _TOKENS_INPUTS:
            # Several keyed tokens (services.duplicates.tokens): a Latin and a Hebrew or
            # Arabic spelling of the person meet at the coordinator; older receivers keep
            # the one identity token above.
            fields["identity_tokens"] = keyed_tokens(person_names(person_state), token_key)
    if not fields and not change.deleted:
        return None
    return {
        **txn_dict(change),
        "txn_id": derived_id(form, change.txn_id),
        "parents": [derived_id(form, p) for p in change.parents],
        "fields": fields,
    }


def person_states(changes: Iterable[Change]) -> dict[str, dict[str, Any]]:
    """For each person transaction, the person's fields right after it (changes of one
    installation fold in clock order; later writes win field by field)."""
    by_record: dict[str, list[Change]] = {}
    for c in changes:
        if c.entity == "person" and not is_derived(c.txn_id):
            by_record.setdefault(c.record_id, []).append(c)
    states: dict[str, dict[str, Any]] = {}
    for history in by_record.values():
        state: dict[str, Any] = {}
        for c in sorted(history, key=lambda x: (x.hlc, x.txn_id)):
            state.update(c.fields)
            states[c.txn_id] = dict(state)
    return states
