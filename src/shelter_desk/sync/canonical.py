"""Canonical JSON for signed files, and a strict parser for untrusted JSON.

Canonical form: keys sorted, no insignificant whitespace, UTF-8, no NaN or infinity. Signed
headers and cards must already be in this form, so one logical content has one byte form.
"""

from __future__ import annotations

import json
import re
from typing import Any

_HEX = re.compile(r"[0-9a-f]+")


_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical_json(value: object) -> bytes:
    return _ENCODER.encode(value).encode("utf-8")


def _reject_constant(name: str) -> None:
    raise ValueError(f"JSON constant {name} is not allowed")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key in JSON object")
    return result


_STRICT_DECODER = json.JSONDecoder(
    object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant
)


def parse_json_object(data: bytes) -> dict[str, Any]:
    """Parse one JSON object, refusing duplicate keys, NaN and infinity.

    Raises ValueError for anything else, including bad UTF-8 and nesting deep enough to hit
    the recursion limit, so a caller can turn every failure into one expected error.
    """
    try:
        value = _STRICT_DECODER.decode(data.decode("utf-8"))
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc
    if not isinstance(value, dict):
        raise ValueError("JSON value is not an object")
    return value


def parse_canonical_object(data: bytes) -> dict[str, Any]:
    """Like :func:`parse_json_object`, and the bytes must be exactly the canonical form."""
    value = parse_json_object(data)
    if canonical_json(value) != data:
        raise ValueError("JSON is not in canonical form")
    return value


def is_hex(value: object, length: int) -> bool:
    """Lower-case hexadecimal of exactly ``length`` characters."""
    return isinstance(value, str) and len(value) == length and _HEX.fullmatch(value) is not None


def is_count(value: object, *, minimum: int = 0, maximum: int = 2**53 - 1) -> bool:
    """A JSON integer in range (``True``/``False`` are not integers here)."""
    return isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= maximum
