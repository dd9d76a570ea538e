"""Short words carry a context, and the catalogues tell translators where a message is shown
and what it means there (issue 16)."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from shelter_desk.domain import codes
from shelter_desk.i18n import NP_, _, current_language, pgettext, set_language
from shelter_desk.i18n.catalogues import extract, update
from shelter_desk.reports import forms_summary
from shelter_desk.reports.layout import translated
from shelter_desk.reports.national_tables import translated as report_text

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = ("he", "ar", "ka", "ru")


@pytest.fixture(scope="module")
def template() -> Catalog:
    return extract()


@pytest.fixture
def language() -> Iterator[None]:
    before = current_language()
    yield
    set_language(before)


def _catalog(lang: str) -> Catalog:
    path = ROOT / "resources" / "i18n" / lang / "LC_MESSAGES" / "shelter_desk.po"
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def test_short_words_have_a_context_and_a_comment(template: Catalog) -> None:
    contextual = [m for m in template if m.id and m.context]
    assert len(contextual) >= 15
    words = {m.id for m in contextual}
    assert {"From", "Opened", "Planned", "Follow-up", "Active", "Sent", "Received"} <= words
    uncommented = [(m.context, m.id) for m in contextual if not m.auto_comments]
    assert not uncommented, f"a context message needs a TRANSLATORS: comment: {uncommented}"
    for word in ("From", "To", "Follow-up", "Active", "Sent", "Received", "Referred"):
        assert template.get(word) is None, f"{word!r} is still extracted without a context"


def test_extraction_keeps_locations_and_translator_comments(template: Catalog) -> None:
    assert all(m.locations for m in template if m.id)
    locations = dict(template.get("From", context="date range start").locations)
    path = "src/shelter_desk/reports/forms_summary.py"
    line = locations[path]
    source = (ROOT / path).read_text(encoding="utf-8").splitlines()
    assert 'NP_("date range start", "From")' in source[line - 1]
    comments = template.get("Active", context="user account").auto_comments
    assert comments and comments[0].startswith("TRANSLATORS:")


def test_update_writes_locations_comments_and_contexts(tmp_path: Path) -> None:
    update(tmp_path)
    for written in (
        tmp_path / "shelter_desk.pot",
        tmp_path / "ru" / "LC_MESSAGES" / "shelter_desk.po",
    ):
        text = written.read_text(encoding="utf-8")
        assert "\n#: src/shelter_desk/reports/forms_summary.py:" in text
        assert "\n#. TRANSLATORS: " in text
        assert '\nmsgctxt "referral status"\n' in text
    header = (tmp_path / "ru" / "LC_MESSAGES" / "shelter_desk.po").read_text(encoding="utf-8")
    assert '"Language-Team: Shelter Desk Russian translators\\n"' in header
    assert "FIRST AUTHOR" not in header and "VERSION" not in header


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_context_of_issue_16_is_translated(lang: str, template: Catalog) -> None:
    catalog = _catalog(lang)
    ours = [m for m in template if m.id and m.context and m.context != "referral partner"]
    missing = [(m.context, m.id) for m in ours if not (catalog.get(m.id, m.context) or m).string]
    assert not missing, missing


def test_a_marked_word_is_translated_under_its_context(language: None) -> None:
    set_language("ru")
    assert _(forms_summary.ENDED) == "По"  # a date range's end, not "До"
    assert _(NP_("case status", "Active")) == "Активен"
    assert _(NP_("user account", "Active")) == pgettext("user account", "Active") == "Активна"
    set_language("he")
    assert _(forms_summary.STARTED) == "מתאריך"
    assert _(NP_("referral sender", "From")) == "מאת"
    set_language("en")
    assert _(forms_summary.STARTED) == "From"


def test_a_marked_word_keeps_its_context_when_copied() -> None:
    marked = codes.CASE_STATUS.label("Active")
    assert marked == "Active"
    for copied in (pickle.loads(pickle.dumps(marked)), copy.deepcopy(marked)):
        assert copied == "Active" and getattr(copied, "context", None) == "case status"


def test_printed_forms_translate_under_the_context() -> None:
    assert translated("ka", forms_summary.STARTED) == "დაწყება"
    assert translated("ka", NP_("referral sender", "From")) == "გამგზავნი"
    assert translated("ar", forms_summary.SCHEDULED) == "الموعد المقرر"


@pytest.mark.parametrize(
    ("context", "code_list"),
    [("case status", codes.CASE_STATUS), ("referral status", codes.REFERRAL_STATUS)],
)
def test_arabic_statuses_agree_with_their_feminine_noun(
    context: str, code_list: codes.CodeList
) -> None:
    catalog = _catalog("ar")
    for item in code_list:
        text = catalog.get(str(item.label), context).string
        assert text.startswith("قيد ") or text.split()[0].endswith("ة"), (item.code, text)
    for word in ("Sent", "Received"):
        for ctx in ("referral direction", "bundle direction"):
            assert catalog.get(word, ctx).string.endswith("ة"), (ctx, word)


def test_the_period_report_translates_under_the_context() -> None:
    assert report_text("ar", codes.CASE_STATUS.label("Closed")) == "مغلقة"
    assert report_text("ru", codes.REFERRAL_STATUS.label("Sent")) == "Отправлено"
