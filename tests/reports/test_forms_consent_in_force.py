"""The printed forms follow the consent in force: a withdrawn consent is printed as withdrawn,
with its date, and the intake form says nothing may be shared any more."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import unicodedata

from pypdf import PdfReader

from shelter_desk.domain.case_file import CaseFile
from shelter_desk.reports.forms import render_form
from tests.reports.forms_sample import PRINTED, sample_case

WITHDRAWN = dt.date(2026, 7, 1)


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text(extraction_mode="layout") for page in reader.pages]
    return " ".join(unicodedata.normalize("NFKC", "\n".join(pages)).split())


def _withdrawn_case() -> CaseFile:
    case = sample_case()
    (consent,) = case.consents
    case.consents = [dataclasses.replace(consent, withdrawn_on=WITHDRAWN)]
    return case


def _printed(form: str, case: CaseFile) -> str:
    pdf = render_form(form, lang="en", case=case, organisation="Hope House", printed_on=PRINTED)
    return _text(pdf)


def test_the_intake_form_says_a_withdrawn_consent_was_withdrawn_and_when() -> None:
    text = _printed("intake", _withdrawn_case())
    assert "Consent recorded on Jun 2, 2026" in text
    assert "Consent withdrawn on Jul 1, 2026" in text
    assert "Sharing with the national coordinator Not shared" in text
    assert "Pseudonymised" not in text


def test_the_intake_form_of_a_consent_in_force_shows_what_is_shared() -> None:
    text = _printed("intake", sample_case())
    assert "Consent recorded on Jun 2, 2026" in text
    assert "withdrawn" not in text
    assert "Sharing with the national coordinator Pseudonymised" in text


def test_the_consent_form_prints_the_withdrawn_record_with_its_date() -> None:
    text = _printed("consent", _withdrawn_case())
    assert "Consent withdrawn on Jul 1, 2026" in text


def test_one_rule_for_the_consent_in_force() -> None:
    withdrawn = _withdrawn_case()
    assert withdrawn.consent is None
    assert withdrawn.latest_consent is withdrawn.consents[-1]
    given_again = dataclasses.replace(
        withdrawn.consents[0], id="co-2", withdrawn_on=None, given_on=dt.date(2026, 8, 1)
    )
    withdrawn.consents.append(given_again)
    assert withdrawn.consent is given_again
    refused = dataclasses.replace(given_again, id="co-3", consent_given=False)
    withdrawn.consents.append(refused)
    assert withdrawn.consent is None
