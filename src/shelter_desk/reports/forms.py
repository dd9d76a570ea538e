"""The four printed forms: intake, consent, case summary and follow-up visit.

:func:`render_form` returns the PDF as bytes, made in memory: a filled form holds personal
data, so it is never written to a temporary file; the caller writes it where the user
chose. Forms print in any of the application's languages, or bilingual with every label
also in ``second_lang``. The page frame (organisation, case number, page N of M, printing
date, confidentiality line) is on every page; the paper is A4 or Letter from the language
and country unless ``paper`` says otherwise.
"""

from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Mapping

from shelter_desk.domain.case_file import CaseFile
from shelter_desk.i18n.date_style import DateStyle
from shelter_desk.reports.forms_base import FormPrinter, check_languages, paper_size
from shelter_desk.reports.forms_consent import draw_consent
from shelter_desk.reports.forms_follow_up import chosen_follow_up, draw_follow_up
from shelter_desk.reports.forms_intake import draw_intake
from shelter_desk.reports.forms_summary import draw_case_summary
from shelter_desk.reports.names import FORMS

__all__ = ["FORMS", "render_form"]


def render_form(
    form: str,
    *,
    lang: str,
    second_lang: str | None = None,
    case: CaseFile | None = None,
    organisation: str,
    paper: str | None = None,
    country: str | None = None,
    printed_on: dt.date | None = None,
    redact_identity: bool = False,
    follow_up_id: str | None = None,
    catalogues: Mapping[str, gettext.NullTranslations] | None = None,
    demo: bool = False,
    date_order: str = "",
) -> bytes:
    """Print ``form`` (one of :data:`FORMS`), blank or filled from ``case``.

    ``paper`` is "A4" or "Letter" (any case); without it the country (or the language's
    likely country) decides. ``redact_identity`` leaves out names, contacts, document
    numbers, birth date, address and free-text notes, for a copy that travels with a
    referral.
    ``follow_up_id`` chooses the visit for the follow-up form (default: the latest one
    done). ``catalogues`` replaces the bundled translations of some languages, e.g. to
    check a translator's draft on paper. ``demo`` puts the DEMO DATA mark on every page
    (a form printed from a demo installation).
    Dates are written as in ``country`` (English in Israel: day first) unless
    ``date_order`` ("dmy", "mdy" or "ymd") says otherwise.

    Raises ValueError for an unknown form or language, a case summary without a case, or
    a follow-up id the case does not have.
    """
    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}; choose one of {', '.join(FORMS)}")
    second_lang = check_languages(lang, second_lang)
    if form == "case-summary" and case is None:
        raise ValueError("a case summary is printed from a case: give the case to summarise")
    if follow_up_id is not None and (form != "follow-up" or case is None):
        raise ValueError("a follow-up id chooses a visit of a case's follow-up form")
    printer = FormPrinter(
        lang=lang,
        second_lang=second_lang,
        organisation=organisation,
        case_number=case.case.number if case is not None else None,
        paper=paper_size(lang, country, paper),
        printed_on=printed_on or dt.date.today(),
        redact_identity=redact_identity,
        catalogues=catalogues,
        demo=demo,
        date_style=DateStyle(country or "", date_order),
    )
    if form == "intake":
        draw_intake(printer, case)
    elif form == "consent":
        draw_consent(printer, case)
    elif form == "case-summary":
        assert case is not None
        draw_case_summary(printer, case)
    else:
        follow_up = chosen_follow_up(case, follow_up_id) if case is not None else None
        draw_follow_up(printer, case, follow_up)
    return printer.finish()
