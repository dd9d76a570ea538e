"""The five catalogues are complete, current and safe to format."""

from __future__ import annotations

import gettext
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from shelter_desk.i18n import LANGUAGES, plural_forms
from shelter_desk.i18n.catalogues import extract

ROOT = Path(__file__).resolve().parents[2]


def _catalog(lang: str) -> Catalog:
    path = ROOT / "resources" / "i18n" / lang / "LC_MESSAGES" / "shelter_desk.po"
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def _source_ids() -> set[tuple[str, str | None]]:
    return {(m.id[0] if isinstance(m.id, tuple) else m.id, m.context) for m in extract() if m.id}


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def _strings(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


@pytest.fixture(scope="module")
def source_ids() -> set[tuple[str, str | None]]:
    return _source_ids()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_source_string_is_in_the_catalogue(
    lang: str, source_ids: set[tuple[str, str | None]]
) -> None:
    catalog = _catalog(lang)
    present = {(m.id[0] if isinstance(m.id, tuple) else m.id, m.context) for m in catalog if m.id}
    missing = sorted(str(m[0]) for m in source_ids - present)
    assert not missing, f"{len(missing)} strings missing from {lang}; run make i18n: {missing[:5]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_is_fully_translated(lang: str) -> None:
    catalog = _catalog(lang)
    bad = [m.id for m in catalog if m.id and (m.fuzzy or not all(s.strip() for s in _strings(m)))]
    assert not bad, f"{len(bad)} untranslated or fuzzy in {lang}: {bad[:5]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_named_placeholders(lang: str) -> None:
    for m in _catalog(lang):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        expected = set().union(*(_fields(i) for i in ids))
        for translated in _strings(m):
            if translated:
                assert _fields(translated) <= expected, (lang, m.id, translated)
                if len(ids) == 1:
                    assert _fields(translated) == expected, (lang, m.id, translated)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_follow_cldr(lang: str) -> None:
    catalog = _catalog(lang)
    count, expr = plural_forms(lang)
    assert (catalog.num_plurals, catalog.plural_expr) == (count, expr)
    for m in catalog:
        if m.id and isinstance(m.id, tuple):
            assert len(_strings(m)) == count, (lang, m.id)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", {1: 0, 2: 1, 5: 1}),
        ("he", {1: 0, 2: 1, 3: 2, 10: 2}),
        ("ar", {0: 0, 1: 1, 2: 2, 3: 3, 11: 4, 100: 5}),
        ("ka", {1: 0, 2: 1}),
        ("ru", {1: 0, 2: 1, 5: 2, 11: 2, 21: 0, 22: 1}),
    ],
)
def test_plural_expression_picks_cldr_categories(lang: str, expected: dict[int, int]) -> None:
    count, expr = plural_forms(lang)
    pick = gettext.c2py(expr)
    assert {n: pick(n) for n in expected} == expected
    assert all(0 <= pick(n) < count for n in range(300))
