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
from collections.abc import Callable, Mapping
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
    checks = _field_checks(ENTITY_TYPES[entity])
    extra = _reduced_checks(entity) if reduced else {}
    for name, value in fields.items():
        check = checks.get(name, extra.get(name))
        if check is None or name == "id":
            return UNKNOWN_FIELD
        if not check(value):
            return name
    return None


_Check = Callable[[Any], bool]


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


@functools.cache
def _field_checks(cls: type) -> dict[str, _Check]:
    return {name: _check_for(hint) for name, hint in _hints(cls).items()}


@functools.cache
def _reduced_checks(entity: str) -> dict[str, _Check]:
    return {name: _check_for(hint) for name, hint in _REDUCED_KEYS.get(entity, {}).items()}


def _is_union(hint: Any) -> bool:
    return isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union


@functools.cache
def _check_for(hint: Any) -> _Check:
    """A function telling whether a value is exactly what ``to_fields`` writes for type
    ``hint``; built once per type, since reading a type's structure costs far more than the
    check (an import checks every field of every transaction)."""
    if _is_union(hint):
        inner = [_check_for(arg) for arg in typing.get_args(hint) if arg is not type(None)]
        nullable = len(inner) < len(typing.get_args(hint))
        return lambda v: (v is None and nullable) or any(check(v) for check in inner)
    origin = typing.get_origin(hint)
    if origin is tuple:
        item = _check_for(typing.get_args(hint)[0])
        return lambda v: isinstance(v, list) and all(item(x) for x in v)
    if origin is dict:
        key_hint, item_hint = typing.get_args(hint)
        key, item = _check_for(key_hint), _check_for(item_hint)
        return lambda v: isinstance(v, dict) and all(key(k) and item(x) for k, x in v.items())
    exact = {bool: bool, int: int, str: str}.get(hint)
    if exact is not None:
        return lambda v: type(v) is exact
    if hint is float:
        return lambda v: type(v) in (int, float) and math.isfinite(v)
    if hint is dt.date:
        return _is_iso_date
    if hint is Decimal:
        return _is_decimal
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        cls = hint
        return lambda v: (
            isinstance(v, dict)
            and all(k in (checks := _field_checks(cls)) and checks[k](x) for k, x in v.items())
        )
    return lambda _v: False


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
