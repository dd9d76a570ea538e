"""The four translations keep to resources/i18n/GLOSSARY.md: each glossary term is rendered with
its agreed word wherever the English has it, and the renderings it rules out appear nowhere."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "resources" / "i18n" / "GLOSSARY.md"
TRANSLATED = ("he", "ar", "ka", "ru")


@dataclass(frozen=True)
class Term:
    english: str  # a regular expression matched as a whole word
    accepted: dict[str, list[str]]  # language -> regular expressions, any one will do


def _table(text: str, heading: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of the first table under ``## heading``, as lists of cells."""
    body = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in body.splitlines() if line.startswith("|")]
    header, *rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    return header, rows[1:]  # rows[0] is the |---| line


def _patterns(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def _glossary() -> tuple[list[Term], dict[str, list[str]], dict[str, set[str]]]:
    text = GLOSSARY.read_text(encoding="utf-8")
    header, rows = _table(text, "Terms")
    langs = header[1:]
    assert langs == list(TRANSLATED), langs
    terms = [
        Term(_patterns(row[0])[0], dict(zip(langs, map(_patterns, row[1:]), strict=True)))
        for row in rows
    ]
    banned_header, (banned_row,) = _table(text, "Not to use")
    assert banned_header == list(TRANSLATED), banned_header
    banned = dict(zip(banned_header, map(_patterns, banned_row), strict=True))
    exceptions: dict[str, set[str]] = {}
    for row in _table(text, "Exceptions")[1]:
        exceptions.setdefault(_patterns(row[0])[0], set()).add(_patterns(row[1])[0])
    return terms, banned, exceptions


def _catalog(lang: str) -> Catalog:
    path = ROOT / "resources" / "i18n" / lang / "LC_MESSAGES" / "shelter_desk.po"
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


def _strings(message: Message) -> list[str]:
    strings = message.string if isinstance(message.string, tuple | list) else [message.string]
    return [s.replace("&", "") for s in strings if s]


def _word(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)


def test_the_glossary_covers_the_terms_of_issue_16() -> None:
    terms, banned, _exceptions = _glossary()
    english = {t.english for t in terms}
    for word in ("case", "caseworker", "survivor", "victim", "referral", "follow-up"):
        assert any(_word(pattern).fullmatch(word) for pattern in english), word
    for word in ("consent", "passphrase", "bundle"):
        assert any(_word(pattern).fullmatch(word) for pattern in english), word
    assert all(t.accepted[lang] for t in terms for lang in TRANSLATED)
    assert all(banned[lang] for lang in TRANSLATED)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_glossary_term_is_translated_the_agreed_way(lang: str) -> None:
    terms, _banned, exceptions = _glossary()
    wrong = []
    checked = 0
    for message in _catalog(lang):
        if not message.id or message.fuzzy:
            continue
        ids = [i.replace("&", "") for i in _ids(message)]
        strings = _strings(message)
        if not strings:
            continue  # untranslated: the completeness test reports it
        for term in terms:
            if term.english in exceptions.get(_ids(message)[0], set()):
                continue
            if not any(_word(term.english).search(i) for i in ids):
                continue
            checked += 1
            accepted = [re.compile(p, re.IGNORECASE) for p in term.accepted[lang]]
            for text in strings:
                if not any(p.search(text) for p in accepted):
                    wrong.append((term.english, ids[0], text))
    assert checked > 200, checked  # the glossary terms are found in the catalogue
    assert not wrong, f"{len(wrong)} translations leave the glossary in {lang}: {wrong[:5]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_translation_uses_a_rendering_the_glossary_rules_out(lang: str) -> None:
    _terms, banned, _exceptions = _glossary()
    patterns = [re.compile(p, re.IGNORECASE) for p in banned[lang]]
    found = [
        (message.id, text)
        for message in _catalog(lang)
        if message.id
        for text in _strings(message)
        if any(p.search(text) for p in patterns)
    ]
    assert not found, f"{len(found)} in {lang}: {found[:5]}"


def test_the_glossary_checks_would_catch_a_social_worker() -> None:
    """The rules are not vacuous: the renderings this issue fixed break them."""
    terms, banned, _exceptions = _glossary()
    caseworker = next(t for t in terms if _word(t.english).fullmatch("caseworker"))
    old = {
        "he": "עובד/ת סוציאלי/ת",
        "ar": "أخصائي اجتماعي",
        "ka": "სოციალური მუშაკი",
        "ru": "Социальный работник",
    }
    for lang, text in old.items():
        assert not any(re.search(p, text, re.IGNORECASE) for p in caseworker.accepted[lang])
        assert any(re.search(p, text, re.IGNORECASE) for p in banned[lang]), lang
    passphrase = next(t for t in terms if _word(t.english).fullmatch("passphrase"))
    assert not any(re.search(p, "סיסמה שגויה.") for p in passphrase.accepted["he"])
