"""``print`` and ``report``: a form or the period report, written only to the file asked for."""

from __future__ import annotations

from shelter_desk.cli.base import Cli
from shelter_desk.domain.errors import ValidationError
from shelter_desk.i18n import _, current_language
from shelter_desk.security.atomic import write_atomic


def print_form(cli: Cli) -> None:
    """Render a form in memory; only the file the user asked for is written."""
    from shelter_desk.services import printing  # reportlab: only when printing

    a = cli.args
    session, _secret = cli.unlock()
    try:
        pdf = printing.print_form(
            session,
            a.form,
            lang=getattr(a, "lang", None) or current_language(),
            second_lang=a.second_lang,
            case_number=a.case,
            paper=a.paper,
        )
    finally:
        session.lock()
    write_atomic(a.out, pdf)
    cli.say(_("Form written to {path}.").format(path=a.out))


def report(cli: Cli) -> None:
    """The period report (``--out`` .pdf or .xlsx); only that file is written, and only
    counts are printed."""
    from shelter_desk.services import reports  # reportlab and openpyxl: only here

    a = cli.args
    fmt = a.out.suffix.lower().lstrip(".")
    if fmt not in reports.FORMATS:
        raise ValidationError({"out": _("The report is written as a .pdf or an .xlsx file.")})
    period = reports.period_from_text(a.from_date, a.to_date)
    session, _secret = cli.unlock()
    try:
        filters = reports.make_filters(
            session,
            org=a.org or "",
            exploitation_type=a.exploitation or "",
            citizenship=a.citizenship or "",
            sex=a.sex or "",
            age_band=a.age_band or "",
            identification_source=a.source or "",
        )
        data = reports.report(
            session,
            period,
            filters,
            fmt=fmt,
            lang=getattr(a, "lang", None) or current_language(),
            internal=a.internal,
        )
        reports.write_report(session, a.out, data, period)
    finally:
        session.lock()
    cli.say(_("Report written to {path}.").format(path=a.out))
