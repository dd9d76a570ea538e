"""Text rules shared by every record: length limits, control characters, look-alike names."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from shelter_desk.domain import rules, text
from shelter_desk.domain.entities import (
    ENTITY_CLASSES,
    Contact,
    IdentityDocument,
    Person,
)
from shelter_desk.domain.serialize import from_fields
from tests.unit.test_domain_rules import TODAY, VALID


def _text_fields(cls: type) -> list[str]:
    """The plain text fields of an entity (not codes with a list: those are refused anyway)."""
    sample = VALID[cls]
    return [
        f.name
        for f in dataclasses.fields(sample)
        if f.type in ("str", str) and f.name not in ("id", "org_id", "case_id", "person_id")
    ]


@pytest.mark.parametrize("cls", ENTITY_CLASSES, ids=lambda c: c.__name__)
def test_every_text_field_of_every_record_has_a_length_limit(cls: type) -> None:
    for name in _text_fields(cls):
        limit = text.max_length(name)
        record = dataclasses.replace(VALID[cls], **{name: "a" * (limit + 1)})
        errors = rules.validate(record, TODAY)
        assert name in errors, f"{cls.__name__}.{name} takes {limit + 1} characters"


def test_limits_a_caseworker_never_meets() -> None:
    person = dataclasses.replace(
        VALID[Person], first_name="ა" * 200, aliases=("Ninutsa",), street="x" * 200
    )
    assert rules.validate(person, TODAY) == {}
    intake: Any = VALID[next(c for c in ENTITY_CLASSES if c.__name__ == "Intake")]
    long_story = "\n".join(["She was promised work in a hotel.\tThen…"] * 250)
    assert len(long_story) < text.NOTES_MAX_LENGTH
    assert rules.validate(dataclasses.replace(intake, narrative=long_story), TODAY) == {}
    too_long = dataclasses.replace(intake, narrative="x" * (text.NOTES_MAX_LENGTH + 1))
    assert rules.validate(too_long, TODAY) == {
        "narrative": "This is too long: at most 10000 characters."
    }


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x85", "\r", "\n", "\t"])
def test_control_characters_are_refused_in_names(char: str) -> None:
    person = dataclasses.replace(VALID[Person], first_name=f"Ni{char}no")
    errors = rules.validate(person, TODAY)
    assert errors == {
        "first_name": "This text contains control characters or line breaks, which are not allowed."
    }


@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u2066", "\u2069"])
def test_bidi_overrides_and_isolates_are_refused_in_names(char: str) -> None:
    person = dataclasses.replace(VALID[Person], second_name_latin=f"{char}ovahsiM")
    assert "second_name_latin" in rules.validate(person, TODAY)


def test_marks_that_fix_the_order_of_numbers_stay_allowed() -> None:
    person = dataclasses.replace(VALID[Person], street="\u05e8\u05d7\u05d5\u05d1 12\u200f")
    assert rules.validate(person, TODAY) == {}


def test_notes_keep_tabs_and_new_lines_but_no_other_control_character() -> None:
    person = dataclasses.replace(
        VALID[Person],
        documents=(IdentityDocument(document_type="Passport", notes="kept by\tthe\nemployer"),),
    )
    assert rules.validate(person, TODAY) == {}
    nul = dataclasses.replace(
        person, documents=(IdentityDocument(document_type="Passport", notes="a\x00b"),)
    )
    assert rules.validate(nul, TODAY) == {
        "documents[0].notes": "This text contains control characters; only tabs and new lines"
        " may be used."
    }


def test_aliases_and_nested_values_are_checked_too() -> None:
    person = dataclasses.replace(
        VALID[Person],
        aliases=("Nina", "Ni\x00na"),
        contacts=(Contact(contact_type="Other", value="x" * 201),),
    )
    errors = rules.validate(person, TODAY)
    assert set(errors) == {"aliases", "contacts[0].value"}


def test_a_record_read_from_a_bundle_meets_the_same_rule() -> None:
    """Sync and imports build records with ``from_fields`` and validate them with the same
    rules: a NUL in a received name is refused there as in the GUI."""
    received = from_fields(Person, {"first_name": "Olga\x00", "country": "UA"})
    assert "first_name" in rules.validate(received, dt.date(2026, 1, 1))


# -- look-alike names (UTS #39 skeleton) -----------------------------------------------


def test_latin_and_cyrillic_look_alikes_have_one_skeleton() -> None:
    cyrillic_o = "\u043e"
    assert text.skeleton("demo") == text.skeleton(f"dem{cyrillic_o}")
    assert text.looks_like("paypal", "\u0440\u0430yp\u0430l")
    assert text.looks_like("olga", "o1ga")  # digit one and small L
    assert text.looks_like("mary", "rnary")  # m and r n
    assert text.looks_like("Amira", "amira")


def test_different_names_do_not_look_alike() -> None:
    assert not text.looks_like("amira", "amir")
    assert not text.looks_like("dana", "dina")
    assert not text.looks_like("ნინო", "ნანა")
