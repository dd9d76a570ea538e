import dataclasses
import datetime as dt
import json
import typing
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shelter_desk.domain.coordination import COORDINATION_TYPES
from shelter_desk.domain.entities import (
    ENTITY_CLASSES,
    Contact,
    FollowUp,
    IdentityDocument,
    Organisation,
    Person,
    ServiceDelivery,
)
from shelter_desk.domain.serialize import ENTITY_TYPES, from_fields, to_fields


def _strategy(hint: Any) -> st.SearchStrategy[Any]:
    if isinstance(hint, type(int | None)) or typing.get_origin(hint) is typing.Union:
        (inner,) = [a for a in typing.get_args(hint) if a is not type(None)]
        return st.none() | _strategy(inner)
    origin = typing.get_origin(hint)
    if origin is tuple:
        return st.lists(_strategy(typing.get_args(hint)[0]), max_size=3).map(tuple)
    if origin is dict:
        return st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3)
    if dataclasses.is_dataclass(hint):
        return _entities(hint)  # type: ignore[arg-type]
    simple: dict[Any, st.SearchStrategy[Any]] = {
        str: st.text(),
        bool: st.booleans(),
        int: st.integers(),
        float: st.floats(allow_nan=False, allow_infinity=False),
        dt.date: st.dates(),
        Decimal: st.decimals(allow_nan=False, allow_infinity=False),
    }
    return simple[hint]


def _entities(cls: type) -> st.SearchStrategy[Any]:
    hints = typing.get_type_hints(cls)
    return st.builds(cls, **{f.name: _strategy(hints[f.name]) for f in dataclasses.fields(cls)})


def test_entity_types_by_name() -> None:
    assert set(ENTITY_TYPES.values()) == set(ENTITY_CLASSES) | set(COORDINATION_TYPES.values())
    for name, cls in ENTITY_TYPES.items():
        assert name == cls.ENTITY  # type: ignore[attr-defined]


@pytest.mark.parametrize("cls", ENTITY_CLASSES, ids=lambda c: c.__name__)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_round_trip_through_json(cls: type, data: st.DataObject) -> None:
    entity = data.draw(_entities(cls))
    fields = to_fields(entity)
    text = json.dumps(fields, ensure_ascii=False, allow_nan=False)
    assert from_fields(cls, json.loads(text)) == entity


def test_shapes_of_the_fields() -> None:
    person = Person(
        first_name="ნინო",
        birth_date=dt.date(2004, 2, 29),
        citizenships=("GE",),
        documents=(IdentityDocument(document_type="Passport", expires_on=dt.date(2030, 1, 1)),),
        contacts=(Contact(contact_type="Email", value="n@example.org"),),
    )
    fields = to_fields(person)
    assert fields["birth_date"] == "2004-02-29"
    assert fields["citizenships"] == ["GE"]
    documents = fields["documents"]
    assert isinstance(documents, list) and isinstance(documents[0], dict)
    assert documents[0]["expires_on"] == "2030-01-01"
    assert documents[0]["issued_on"] is None
    stay = to_fields(ServiceDelivery(cost=Decimal("0.10"), currency="ILS"))
    assert stay["cost"] == "0.10"  # a string, never a float
    assert to_fields(FollowUp(answers={"Working": "Yes"}))["answers"] == {"Working": "Yes"}


def test_old_and_new_records_keep_loading() -> None:
    fields = {
        "first_name": "Amal",
        "favourite_colour": "blue",  # written by a newer version
        "documents": [{"document_type": "Passport", "chip": True}],
        "gender": None,  # null where a string is expected: default
        "number_of_children": None,
    }
    person = from_fields(Person, fields)
    assert person.first_name == "Amal"
    assert person.gender == ""
    assert person.number_of_children is None
    assert person.documents == (IdentityDocument(document_type="Passport"),)
    assert person.aliases == ()  # missing: default


def test_values_already_in_python_form_are_accepted() -> None:
    org = from_fields(Organisation, {"languages": ("he", "ar")})
    assert org.languages == ("he", "ar")
    stay = from_fields(
        ServiceDelivery,
        {"started_on": dt.date(2026, 1, 1), "cost": Decimal("5"), "currency": "USD"},
    )
    assert stay.started_on == dt.date(2026, 1, 1) and stay.cost == Decimal("5")


def test_not_a_dataclass() -> None:
    with pytest.raises(TypeError):
        to_fields({"id": "x"})
    with pytest.raises(TypeError):
        to_fields(Person)


def test_bad_date_text_fails_loudly() -> None:
    with pytest.raises(ValueError):
        from_fields(Person, {"birth_date": "29/02/2004"})


def test_values_that_json_cannot_hold_are_refused() -> None:
    with pytest.raises(TypeError, match="cannot serialise"):
        to_fields(Person(aliases=(object(),)))  # type: ignore[arg-type]
