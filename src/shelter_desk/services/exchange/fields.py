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
    when the entity has no field of that name; None when every field fits.

    Most checks depend only on the value's type (a text, a number or nothing), and the
    transactions of one kind of record nearly always carry the same field names with values
    of the same types, so what those checks decide is worked out once per such shape
    (:class:`_Shapes`); only the checks that look into a value (dates, amounts, lists,
    nested parts) run for every transaction."""
    shapes = _shapes(entity, reduced)
    key = (tuple(fields), tuple(map(type, fields.values())))
    plan = shapes.plans.get(key)
    if plan is None:
        plan = shapes.plan(key)
    value_checks, verdict = plan
    for name, check in value_checks:
        if not check(fields[name]):
            return name
    return verdict


# A value check to run, by field name, and the verdict when they all pass.
_Plan = tuple[tuple[tuple[str, "_Check"], ...], str | None]
MAX_SHAPES = 4096  # shapes remembered per kind of record (a forged bundle could vary them)


class _Shapes:
    """The checks of one kind of transaction, and their plans by shape (field names and the
    types of their values, in order)."""

    def __init__(self, checks: Mapping[str, _Check], types: Mapping[str, frozenset[type]]):
        self.checks = checks
        self.types = types  # the fields whose check is only "a value of one of these types"
        self.plans: dict[tuple[tuple[str, ...], tuple[type, ...]], _Plan] = {}

    def plan(self, key: tuple[tuple[str, ...], tuple[type, ...]]) -> _Plan:
        """The value checks to run in order before the first field refused by its name or
        type alone, and the verdict after them: that field (UNKNOWN_FIELD for an unknown
        name), or None."""
        todo: list[tuple[str, _Check]] = []
        verdict: str | None = None
        for name, kind in zip(*key, strict=True):
            check = self.checks.get(name)
            if check is None:
                verdict = UNKNOWN_FIELD
                break
            accepted = self.types.get(name)
            if accepted is None:
                todo.append((name, check))
            elif kind not in accepted:
                verdict = name
                break
        plan = (tuple(todo), verdict)
        if len(self.plans) < MAX_SHAPES:
            self.plans[key] = plan
        return plan


@functools.cache
def _shapes(entity: str, reduced: bool) -> _Shapes:
    hints = {**(_REDUCED_KEYS.get(entity, {}) if reduced else {}), **_hints(ENTITY_TYPES[entity])}
    hints.pop("id", None)
    checks = {name: _check_for(hint) for name, hint in hints.items()}
    types = {name: t for name, hint in hints.items() if (t := _types_only(hint)) is not None}
    return _Shapes(checks, types)


def _types_only(hint: Any) -> frozenset[type] | None:
    """The types whose values :func:`_check_for` accepts for ``hint`` whatever the value,
    when its check looks at the type alone (text, whole number, yes/no, or nothing)."""
    if _is_union(hint):
        found: set[type] = set()
        for arg in typing.get_args(hint):
            inner = {type(None)} if arg is type(None) else _types_only(arg)
            if inner is None:
                return None
            found |= inner
        return frozenset(found)
    return frozenset({hint}) if hint in (bool, int, str) else None


_Check = Callable[[Any], bool]


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


@functools.cache
def _field_checks(cls: type) -> dict[str, _Check]:
    return {name: _check_for(hint) for name, hint in _hints(cls).items()}


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
        if len(inner) == 1:  # the usual ``X | None``, without a loop over one check
            only = inner[0]
            return lambda v: (v is None and nullable) or only(v)
        return lambda v: (v is None and nullable) or any(check(v) for check in inner)
    origin = typing.get_origin(hint)
    if origin is tuple:
        item = _check_for(typing.get_args(hint)[0])
        return lambda v: isinstance(v, list) and all(map(item, v))
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
