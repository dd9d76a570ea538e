"""Print a form: check the user may, load the case, render in memory, audit.

The PDF comes back as bytes. A filled form holds personal data, so nothing is written here:
the caller (CLI ``print --out``, the GUI's preview) writes it only where the user chose.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from shelter_desk.domain.case_file import CaseFile
from shelter_desk.domain.entities import Case
from shelter_desk.domain.errors import NotFound, ValidationError
from shelter_desk.i18n import LANGUAGES, _
from shelter_desk.reports.forms import FORMS, render_form
from shelter_desk.security.atomic import write_atomic
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission
from shelter_desk.services import cases
from shelter_desk.services.session import Session
from shelter_desk.services.settings import date_style

PAPERS = ("a4", "letter")


def with_names(session: Session, case_file: CaseFile) -> CaseFile:
    """The case file with the names behind its user and partner ids, for printing."""
    return replace(
        case_file,
        user_names={u.id: u.display_name for u in session.users.all()},
        organisation_names={o.id: o.name for o in cases.organisations(session)},
    )


def _check_request(
    form: str, lang: str, second_lang: str | None, case_number: str | None, paper: str | None
) -> None:
    errors: dict[str, str] = {}
    if form not in FORMS:
        errors["form"] = _("Unknown form {form}. Choose one of: {forms}.").format(
            form=form, forms=", ".join(FORMS)
        )
    for name, value in (("lang", lang), ("second_lang", second_lang)):
        if value is not None and value not in LANGUAGES:
            errors[name] = _("Forms are printed in {languages}, not {language}.").format(
                languages=", ".join(LANGUAGES), language=value
            )
    if paper is not None and paper.lower() not in PAPERS:
        errors["paper"] = _("The paper is A4 or Letter.")
    if form == "case-summary" and not case_number:
        errors["case"] = _("A case summary is printed for a case: give its number.")
    if errors:
        raise ValidationError(errors)


def print_form(
    session: Session,
    form: str,
    *,
    lang: str,
    second_lang: str | None = None,
    case_number: str | None = None,
    paper: str | None = None,
    printed_on: dt.date | None = None,
    redact_identity: bool = False,
    follow_up_id: str | None = None,
) -> bytes:
    """The PDF of ``form`` (see ``reports.forms.FORMS``): blank, or filled from the case
    ``case_number``. Printing is audited: the case, or the form for a blank one."""
    session.require(Permission.PRINT)
    _check_request(form, lang, second_lang, case_number, paper)
    data: CaseFile | None = None
    case_id = ""
    if case_number:
        case_id = cases.case_id_for_number(session, case_number)
        data = with_names(session, cases.load_case(session, case_id))
        if follow_up_id is not None and all(f.id != follow_up_id for f in data.follow_ups):
            raise NotFound(
                _("Case {number} has no such follow-up visit.").format(number=case_number)
            )
    elif follow_up_id is not None:
        raise ValidationError({"case": _("A follow-up visit belongs to a case: give its number.")})
    pdf = render_form(
        form,
        lang=lang,
        second_lang=second_lang,
        case=data,
        organisation=session.org_name,
        paper=paper,
        country=session.meta.get("org_country") or None,
        printed_on=printed_on,
        redact_identity=redact_identity,
        follow_up_id=follow_up_id if form == "follow-up" else None,
        demo=session.is_demo,
        date_order=date_style(session).order,
    )
    if data is not None:
        session.audit(Action.PRINT, Case.ENTITY, case_id)
    else:
        session.audit(Action.PRINT, "form", form)
    return pdf


def _printed_object(session: Session, form: str, case_number: str | None) -> tuple[str, str]:
    """What an audit entry about a printed form names: its case, or the blank form."""
    if case_number:
        return Case.ENTITY, cases.case_id_for_number(session, case_number)
    return "form", form


def record_printed(session: Session, form: str, *, case_number: str | None = None) -> None:
    """Audit that a form rendered by :func:`print_form` is being sent to a printer.

    Called before the pages go to the printer: paper cannot be taken back, so an entry
    never goes missing (a print the person then cancels at the printer is still listed)."""
    session.require(Permission.PRINT)
    session.audit(Action.PRINT, *_printed_object(session, form, case_number))


def save_pdf(
    session: Session, pdf: bytes, path: Path, *, form: str, case_number: str | None = None
) -> None:
    """Write a form rendered by :func:`print_form` to ``path``, the file the person chose,
    atomically (no half-written PDF), and audit it as an export of the case or form.

    If the audit entry cannot be written, the file is removed again: no filled form leaves
    the database unrecorded."""
    session.require(Permission.PRINT)
    kind, object_id = _printed_object(session, form, case_number)
    write_atomic(path, pdf)
    try:
        session.audit(Action.EXPORT, kind, object_id)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
