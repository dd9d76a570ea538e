import dataclasses
import datetime as dt
import re

import pytest

from shelter_desk.domain import codes
from shelter_desk.domain.entities import (
    ENTITY_CLASSES,
    Case,
    Consent,
    FollowUp,
    Intake,
    NeedsAssessment,
    Organisation,
    Person,
    Referral,
    SupportObjective,
)

CASE_OWNED = {c for c in ENTITY_CLASSES if c not in (Organisation, Person, Case)}


def test_entity_names_are_unique_snake_case() -> None:
    names = [c.ENTITY for c in ENTITY_CLASSES]  # type: ignore[attr-defined]
    assert len(set(names)) == len(names) == 13
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", name) for name in names)


@pytest.mark.parametrize("cls", ENTITY_CLASSES, ids=lambda c: c.__name__)
def test_every_entity_has_ids_and_consistent_metadata(cls: type) -> None:
    names = {f.name for f in dataclasses.fields(cls)}
    assert {"id", "org_id"} <= names
    if cls in CASE_OWNED:
        assert "case_id" in names
    assert names >= cls.SAFETY_CRITICAL  # type: ignore[attr-defined]
    htcds = cls.HTCDS  # type: ignore[attr-defined]
    assert set(htcds) <= names
    assert all(re.fullmatch(r"[a-z]{3}_[A-Za-z]+", column) for column in htcds.values())
    # Sync metadata belongs to the store.
    assert not names & {"version", "deleted", "updated_at", "created_at", "origin_device"}


@pytest.mark.parametrize("cls", ENTITY_CLASSES, ids=lambda c: c.__name__)
def test_entities_use_slots_and_keyword_only_construction(cls: type) -> None:
    instance = cls()
    assert not hasattr(instance, "__dict__")
    with pytest.raises(TypeError):
        cls("positional")


def test_safety_critical_fields_cover_location_contacts_risk_identity_consent_status() -> None:
    assert {"contacts", "documents", "birth_date", "city"} <= Person.SAFETY_CRITICAL
    assert {"status", "risk_level", "sharing_level"} <= Case.SAFETY_CRITICAL
    assert {"consent_given", "withdrawn_on", "sharing_level"} <= Consent.SAFETY_CRITICAL
    assert {"risk_level"} == NeedsAssessment.SAFETY_CRITICAL


def test_defaults_are_valid_codes_and_safe() -> None:
    case = Case()
    assert case.status in codes.CASE_STATUS
    assert case.trafficking_status in codes.TRAFFICKING_STATUS
    assert case.sharing_level == "NotShared"  # nothing leaves before consent is recorded
    assert Consent().sharing_level == "NotShared"
    assert Intake().data_source in codes.DATA_SOURCE
    assert Referral().status in codes.REFERRAL_STATUS
    assert SupportObjective().status in codes.OBJECTIVE_STATUS


def test_dates_unknown_by_default_and_follow_up_answers_not_shared() -> None:
    assert Person().birth_date is None
    first, second = FollowUp(), FollowUp()
    first.answers["Working"] = "Yes"
    assert second.answers == {}


def test_replace_keeps_working_with_slots() -> None:
    case = Case(number="ORG-2026-0001", opened_on=dt.date(2026, 1, 2))
    closed = dataclasses.replace(case, status="Closed")
    assert closed.number == case.number and closed.status == "Closed"
