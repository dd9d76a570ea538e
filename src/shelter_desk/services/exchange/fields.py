"""The JSON shape of an incoming transaction's fields, before anything is decoded.

``domain.serialize.from_fields`` is lenient on purpose (it reads records written by older and
newer versions), so it would turn a list into the text ``"[1, 2]"`` or a dictionary into a
cost. A partner's transaction must instead carry, for every field it names, a field the entity
has with a value of exactly the JSON type that ``to_fields`` writes for it. The values
themselves (code lists, dates, lengths, characters) are then judged by the domain rules
(``checks.check_rules``).

Reduced transactions (``sharing.derive``) also carry a few keys of their own in place of the
originals they stand for; those are allowed, with their shapes, only in reduced transactions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import types
import typing
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from shelter_desk.domain.serialize import ENTITY_TYPES
from shelter_desk.services import sharing

MAX_DECIMAL_CHARACTERS = 40
MAX_DECIMAL_INTEGER_DIGITS = 16
MAX_DECIMAL_FRACTION_DIGITS = 10
UNKNOWN_FIELD = ""  # what field_problem returns for a field name the entity does not have


@dataclasses.dataclass(frozen=True)
class _NeedLevel:
    domain: str
    level: str


@dataclasses.dataclass(frozen=True)
class _RiskFactorLevel:
    level: str
    protective: bool


@dataclasses.dataclass(frozen=True)
class _ObjectiveDimension:
    dimension: str
    status: str
    target_on: dt.date | None


def _reduced_keys() -> dict[str, dict[str, Any]]:
    keys: dict[str, dict[str, Any]] = {
        "person": {
            "document_types": tuple[str, ...],
            "documents_withheld": bool,
            "birth_year": int | None,
            "identity_token": str | None,
            "identity_tokens": tuple[str, ...],
        },
        "needs_assessment": {
            "need_levels": tuple[_NeedLevel, ...],
            "risk_factor_levels": tuple[_RiskFactorLevel, ...],
        },
        "reintegration_plan": {"objective_dimensions": tuple[_ObjectiveDimension, ...]},
    }
    for entity, names in sharing.STATISTICS_YEARS.items():
        keys.setdefault(entity, {}).update({f"{name}_year": int | None for name in names})
    return keys


_REDUCED_KEYS = _reduced_keys()


def field_problem(entity: str, fields: Mapping[str, Any], *, reduced: bool) -> str | None:
    """The first field of ``fields`` that ``entity`` cannot hold: its name, or UNKNOWN_FIELD
    when the entity has no field of that name; None when every field fits."""
    hints = _hints(ENTITY_TYPES[entity])
    extra = _REDUCED_KEYS.get(entity, {}) if reduced else {}
    for name, value in fields.items():
        hint = hints.get(name, extra.get(name))
        if hint is None or name == "id":
            return UNKNOWN_FIELD
        if not _fits(hint, value):
            return name
    return None


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _is_union(hint: Any) -> bool:
    return isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union


def _fits(hint: Any, value: Any) -> bool:
    """Whether ``value`` is exactly what ``to_fields`` writes for a value of type ``hint``."""
    if _is_union(hint):
        inner = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return (value is None and len(inner) < len(typing.get_args(hint))) or any(
            _fits(arg, value) for arg in inner
        )
    origin = typing.get_origin(hint)
    if origin is tuple:
        (item, *_rest) = typing.get_args(hint)
        return isinstance(value, list) and all(_fits(item, v) for v in value)
    if origin is dict:
        key, item = typing.get_args(hint)
        return isinstance(value, dict) and all(
            _fits(key, k) and _fits(item, v) for k, v in value.items()
        )
    if hint is bool:
        return type(value) is bool
    if hint is int:
        return type(value) is int
    if hint is float:
        return type(value) in (int, float) and math.isfinite(value)
    if hint is str:
        return type(value) is str
    if hint is dt.date:
        return _is_iso_date(value)
    if hint is Decimal:
        return _is_decimal(value)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = _hints(hint)
        return isinstance(value, dict) and all(
            k in hints and _fits(hints[k], v) for k, v in value.items()
        )
    return False


def _is_iso_date(value: Any) -> bool:
    if type(value) is not str or len(value) != 10:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_decimal(value: Any) -> bool:
    """A finite decimal as ``str(Decimal)`` writes an amount: at most 16 digits before the
    point and 10 after it (``"1e999999999"`` is finite, but no screen or form could show it)."""
    if type(value) is not str or not 0 < len(value) <= MAX_DECIMAL_CHARACTERS:
        return False
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        return False
    if not number.is_finite() or number.is_zero():
        return number.is_finite()
    exponent = number.as_tuple().exponent
    return number.adjusted() < MAX_DECIMAL_INTEGER_DIGITS and (
        isinstance(exponent, int) and exponent >= -MAX_DECIMAL_FRACTION_DIGITS
    )
