"""Entities to JSON-able field dicts and back.

``to_fields`` writes dates as ISO strings, ``Decimal`` as a string (never a float), tuples as
lists and nested dataclasses as dicts. ``from_fields`` reads the same shapes guided by the
dataclass's type hints; it ignores keys the class does not have and fills missing ones (or
``null`` for a field that cannot be ``None``) with the field's default, so records written by
an older or newer version keep loading.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from shelter_desk.domain.coordination import COORDINATION_TYPES
from shelter_desk.domain.entities import (
    Case,
    Consent,
    FollowUp,
    Intake,
    NeedsAssessment,
    Organisation,
    Person,
    Referral,
    ReintegrationPlan,
    Return,
    ServiceDelivery,
    SupportObjective,
    TraffickingEvent,
)

JSONValue = None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]

T = TypeVar("T")

ENTITY_TYPES: dict[str, type] = {
    Organisation.ENTITY: Organisation,
    Person.ENTITY: Person,
    Case.ENTITY: Case,
    Intake.ENTITY: Intake,
    TraffickingEvent.ENTITY: TraffickingEvent,
    Consent.ENTITY: Consent,
    NeedsAssessment.ENTITY: NeedsAssessment,
    SupportObjective.ENTITY: SupportObjective,
    ServiceDelivery.ENTITY: ServiceDelivery,
    Referral.ENTITY: Referral,
    Return.ENTITY: Return,
    ReintegrationPlan.ENTITY: ReintegrationPlan,
    FollowUp.ENTITY: FollowUp,
    **COORDINATION_TYPES,
}


def to_fields(entity: object) -> dict[str, JSONValue]:
    """Every field of a dataclass instance as JSON-able values."""
    if not dataclasses.is_dataclass(entity) or isinstance(entity, type):
        raise TypeError(f"not a dataclass instance: {type(entity).__name__}")
    return {f.name: _encode(getattr(entity, f.name)) for f in dataclasses.fields(entity)}


def from_fields(cls: type[T], fields: Mapping[str, Any]) -> T:
    """Build ``cls`` from a field dict (see the module docstring for the leniency)."""
    values: dict[str, Any] = {}
    for name, allows_none, decode in _plan(typing.cast(type, cls)):
        if name not in fields:
            continue
        raw = fields[name]
        if raw is None and not allows_none:
            continue
        values[name] = decode(raw)
    return cls(**values)


@functools.cache
def _plan(cls: type) -> tuple[tuple[str, bool, Callable[[Any], Any]], ...]:
    """Per field: its name, whether it may be None, and its decoder (worked out once)."""
    hints = typing.get_type_hints(cls)
    return tuple(
        (f.name, _allows_none(hints[f.name]), _decoder(hints[f.name]))
        for f in dataclasses.fields(cls)
    )


def _encode(value: object) -> JSONValue:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date):  # also datetime
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list | frozenset | set):
        return [_encode(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _encode(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_fields(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _allows_none(hint: Any) -> bool:
    return _is_union(hint) and type(None) in typing.get_args(hint)


def _is_union(hint: Any) -> bool:
    return isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union


@functools.cache
def _decoder(hint: Any) -> Callable[[Any], Any]:
    """A function turning a JSON value into a value of type ``hint`` (cached per type)."""
    if _is_union(hint):
        (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        decode_inner = _decoder(inner)
        return lambda raw: None if raw is None else decode_inner(raw)
    origin = typing.get_origin(hint)
    if origin is tuple:
        item = _decoder(typing.get_args(hint)[0])
        return lambda raw: tuple(item(x) for x in raw)
    if origin is dict:
        key_type, value_type = typing.get_args(hint)
        key, value = _decoder(key_type), _decoder(value_type)
        return lambda raw: {key(k): value(v) for k, v in raw.items()}
    if hint is dt.date:
        return lambda raw: raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw))
    if hint is Decimal:
        return lambda raw: raw if isinstance(raw, Decimal) else Decimal(str(raw))
    if hint in (bool, int, float, str):
        return typing.cast(Callable[[Any], Any], hint)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return lambda raw: from_fields(hint, raw)
    raise TypeError(f"cannot deserialise into {hint!r}")
