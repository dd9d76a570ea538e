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
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar

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
}


def to_fields(entity: object) -> dict[str, JSONValue]:
    """Every field of a dataclass instance as JSON-able values."""
    if not dataclasses.is_dataclass(entity) or isinstance(entity, type):
        raise TypeError(f"not a dataclass instance: {type(entity).__name__}")
    return {f.name: _encode(getattr(entity, f.name)) for f in dataclasses.fields(entity)}


def from_fields(cls: type[T], fields: Mapping[str, Any]) -> T:
    """Build ``cls`` from a field dict (see the module docstring for the leniency)."""
    hints = _hints(typing.cast(type, cls))
    values: dict[str, Any] = {}
    for f in dataclasses.fields(typing.cast(Any, cls)):
        if f.name not in fields:
            continue
        raw = fields[f.name]
        hint = hints[f.name]
        if raw is None and not _allows_none(hint):
            continue
        values[f.name] = _decode(hint, raw)
    return cls(**values)


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


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _allows_none(hint: Any) -> bool:
    return _is_union(hint) and type(None) in typing.get_args(hint)


def _is_union(hint: Any) -> bool:
    return isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union


def _decode(hint: Any, raw: Any) -> Any:
    if _is_union(hint):
        if raw is None:
            return None
        (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _decode(inner, raw)
    origin = typing.get_origin(hint)
    if origin is tuple:
        (item_type, *_rest) = typing.get_args(hint)
        return tuple(_decode(item_type, item) for item in raw)
    if origin is dict:
        key_type, value_type = typing.get_args(hint)
        return {_decode(key_type, k): _decode(value_type, v) for k, v in raw.items()}
    if hint is dt.date:
        return raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw))
    if hint is Decimal:
        return raw if isinstance(raw, Decimal) else Decimal(str(raw))
    if hint is bool:
        return bool(raw)
    if hint is int:
        return int(raw)
    if hint is float:
        return float(raw)
    if hint is str:
        return str(raw)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return from_fields(hint, raw)
    raise TypeError(f"cannot deserialise into {hint!r}")
