"""The gathered text check (``record_text_problems`` judging all texts of a record at once)
finds exactly what judging them one by one finds, for every kind of record."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shelter_desk.domain import text
from shelter_desk.domain.entities import ENTITY_CLASSES, Contact, IdentityDocument, Person
from tests.unit.test_domain_rules import VALID

# Characters around every edge the rules draw: controls, tab and newline, the bidi controls,
# the allowed marks, and ordinary letters of several scripts.
_CHARS = st.sampled_from(
    [*"aZ \t\n\r\x00\x1f\x7f\x9f", "\u200f", "\u202e", "\u2066", "\u2069", *"שعქж", "\u00a0"]
)
_TEXT = st.one_of(
    st.text(_CHARS, max_size=12),
    st.integers(190, 210).map(lambda n: "a" * n),  # around the single-line limit
    st.sampled_from(["x" * 10_001, "x" * 10_000]),  # around the notes limit
)


def one_by_one(record: object) -> dict[str, str]:
    """Every text judged on its own: the walk that names the fields (taken with a prefix,
    which never uses the gathered check), keys as the rules give them."""
    return {
        key.removeprefix("r."): message
        for key, message in text.record_text_problems(record, "r.").items()
    }


def _vary(record: Any, draw: st.DrawFn) -> Any:
    """The record with some of its text fields (and texts in its tuples) replaced."""
    changes: dict[str, Any] = {}
    for item in dataclasses.fields(record):
        value = getattr(record, item.name)
        if isinstance(value, str) and draw(st.booleans()):
            changes[item.name] = draw(_TEXT)
        elif (
            isinstance(value, tuple)
            and all(isinstance(v, str) for v in value)
            and draw(st.booleans())
        ):
            changes[item.name] = tuple(draw(st.lists(_TEXT, max_size=3)))
    return dataclasses.replace(record, **changes)


@st.composite
def records(draw: st.DrawFn) -> Any:
    cls = draw(st.sampled_from(ENTITY_CLASSES))
    record = _vary(VALID[cls], draw)
    if cls is Person and draw(st.booleans()):
        document = _vary(IdentityDocument(document_type="Passport"), draw)
        contact = _vary(Contact(contact_type="Email", value="a@b.cd"), draw)
        record = dataclasses.replace(record, documents=(document,), contacts=(contact,))
    return record


# Generating records is slow on a loaded machine: its health check once failed a cold start.
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_gathered_check_finds_what_one_by_one_finds(record: Any) -> None:
    assert text.record_text_problems(record) == one_by_one(record)


def test_a_value_of_another_type_than_declared_is_still_judged() -> None:
    """A text where a number belongs (a record built by hand, not decoded) is judged as a
    text, as by the walk over the values."""
    record = dataclasses.replace(VALID[Person], number_of_children="\u202e2")
    assert "number_of_children" in text.record_text_problems(record)
    assert text.record_text_problems(record) == one_by_one(record)
