"""The Delphi part of the printed intake form says what was not checked against the source.

Issue 11 item 14: the weights and the rule could not be checked against the ILO/EC 2009
brochure, so the explanation printed on the form says so, and states the same rule as
``shelter_desk.domain.indicators`` computes; a filled form's conclusion keeps its caveat.
"""

from __future__ import annotations

import functools
import io
import unicodedata

from pypdf import PdfReader

from shelter_desk.domain.indicators import dimension_is_positive
from shelter_desk.reports.forms import render_form
from shelter_desk.reports.forms_intake import DELPHI_HOW
from tests.reports.forms_sample import PRINTED, sample_case

CAVEAT = "not yet checked against the ILO/EC 2009 source"
RULE_IN_WORDS = (
    "two strong indicators, one strong and one medium or weak, three medium, or two "
    "medium and one weak"
)


@functools.cache
def _intake_text(filled: bool) -> str:
    pdf = render_form(
        "intake",
        lang="en",
        case=sample_case() if filled else None,
        organisation="Hope House",
        paper="A4",
        printed_on=PRINTED,
    )
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    return " ".join(unicodedata.normalize("NFKC", "\n".join(pages)).split())


def test_the_explanation_states_the_rule_the_code_applies() -> None:
    how = " ".join(DELPHI_HOW.split())
    assert CAVEAT in how
    assert RULE_IN_WORDS in how
    # The combinations named in words, and one fewer of each, as the code decides them.
    for named in ((2, 0, 0), (1, 1, 0), (1, 0, 1), (0, 3, 0), (0, 2, 1)):
        assert dimension_is_positive(*named)
    for short in ((1, 0, 0), (0, 2, 0), (0, 1, 1), (0, 0, 5)):
        assert not dimension_is_positive(*short)


def test_blank_and_filled_forms_print_the_caveat() -> None:
    for filled in (False, True):
        text = _intake_text(filled)
        assert CAVEAT in text, filled
        assert RULE_IN_WORDS in text, filled
    filled_text = _intake_text(True)
    assert "Indicative, not verified against the source (ILO/EC 2009)." in filled_text
