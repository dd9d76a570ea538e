"""The national picture and the period report (PDF or XLSX).

On a coordinator installation the figures cover every organisation whose bundles were
imported; on a shelter, only the shelter's own cases. Reports hide small counts (1 to 4)
unless an identified-data coordinator asks for an internal copy (``internal=True``: the
user's role is coordinator or administrator, on a coordinator installation); every report
is audited (what and for which period, never a figure).

The package: ``period`` (periods and filters), ``figures`` (the tables, computed from the
store's :class:`~shelter_desk.store.national.NationalStore`) and ``xlsx`` (the workbook).
"""

from __future__ import annotations

import datetime as dt
import weakref
from pathlib import Path

from babel import dates, numbers

from shelter_desk.domain import codes
from shelter_desk.domain.errors import PermissionDenied, ValidationError
from shelter_desk.i18n import LANGUAGES, N_, _, isolate, locale
from shelter_desk.reports.names import DEMO_MARK
from shelter_desk.reports.national_tables import Words
from shelter_desk.security.atomic import write_atomic
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission, Role
from shelter_desk.services import exchange, settings
from shelter_desk.services.installation import known_country
from shelter_desk.services.reports.figures import NationalFigures, compute
from shelter_desk.services.reports.period import (
    AGE_BAND_CODES,
    Filters,
    Period,
    age_band_label,
    period_from_text,
)
from shelter_desk.services.session import Session
from shelter_desk.store.national import SqliteNationalStore

__all__ = [
    "FORMATS",
    "Filters",
    "NationalFigures",
    "Period",
    "find_organisation",
    "make_filters",
    "may_report_internally",
    "national_figures",
    "organisations",
    "period_from_text",
    "report",
    "write_report",
]

FORMATS = ("pdf", "xlsx")
REPORT_TITLE = N_("Period report: {start} to {end}")
NATIONAL_TITLE = N_("National picture: {start} to {end}")
ALL_ORGANISATIONS = N_("All organisations")
FOR_ORGANISATION = N_("Organisation: {name}")
FILTERED = N_("Only the cases that match: {filters}")
AS_OF = N_("Follow-ups overdue are counted up to {date}.")
IDENTIFIED_COUNT = N_("People identified in the period: {count}")
SUPPRESSED_NOTE = N_(
    "Aggregate figures, no person is named. Counts from 1 to 4 are shown as <5, and so are"
    " amounts and averages about 1 to 4 people."
)
INTERNAL_NOTE = N_(
    "Internal working copy: small counts are NOT hidden. Do not share it outside the"
    " coordination office."
)


def _coordinator(session: Session) -> bool:
    return session.installation_role == "coordinator"


def may_report_internally(session: Session) -> bool:
    """Whether this user may print a report without hiding small counts."""
    return _coordinator(session) and session.role in (Role.COORDINATOR, Role.ADMIN)


def organisations(session: Session) -> list[tuple[str, str]]:
    """(org id, name) of the organisations the figures may cover, by name: on a
    coordinator, those whose cases arrived (and its own, if it records any)."""
    session.require(Permission.VIEW_CASES)
    names = exchange.organisation_names(session)
    if not _coordinator(session):
        return [(session.org_id, session.org_name)]
    counted = set(exchange.cases_by_organisation(session))  # those that recorded cases
    return sorted(((o, names.get(o, o[:8])) for o in counted), key=lambda p: p[1].casefold())


def find_organisation(session: Session, name: str) -> str:
    """The id of the organisation called ``name`` (case does not matter)."""
    known = organisations(session)
    for org_id, org_name in known:
        if org_name.casefold() == name.strip().casefold() or org_id == name.strip():
            return org_id
    raise ValidationError(
        {
            "org": _("No organisation is called {name} here. Known: {names}.").format(
                name=name, names=", ".join(n for _o, n in known)
            )
        }
    )


def make_filters(
    session: Session,
    *,
    org: str = "",
    exploitation_type: str = "",
    citizenship: str = "",
    sex: str = "",
    age_band: str = "",
    identification_source: str = "",
) -> Filters:
    """Filters from what a person typed or chose; a code no list holds is refused."""
    errors: dict[str, str] = {}
    checks = (
        ("exploitation_type", exploitation_type, codes.EXPLOITATION_TYPE.codes()),
        ("sex", sex, codes.GENDER.codes()),
        ("age_band", age_band, AGE_BAND_CODES),
        ("identification_source", identification_source, codes.IDENTIFICATION_SOURCE.codes()),
    )
    for name, value, known in checks:
        if value and value not in known:
            errors[name] = _("{value} is not one of: {choices}.").format(
                value=value, choices=", ".join(known)
            )
    country = citizenship.strip().upper()
    if country and not known_country(country):
        errors["citizenship"] = _("{code} is not a country code.").format(code=citizenship)
    if errors:
        raise ValidationError(errors)
    return Filters(
        org_id=find_organisation(session, org) if org else "",
        exploitation_type=exploitation_type,
        citizenship=country,
        sex=sex,
        age_band=age_band,
        identification_source=identification_source,
    )


FIGURES_KEPT = 4  # the last periods and filters asked for, per session
_FiguresKey = tuple[Period, Filters, str, tuple[tuple[str, str], ...]]


class _KeptFigures:
    """A session's last figures, valid while the store's data mark stays the same."""

    def __init__(self) -> None:
        self.mark = -1
        self.figures: dict[_FiguresKey, NationalFigures] = {}


_kept: weakref.WeakKeyDictionary[Session, _KeptFigures] = weakref.WeakKeyDictionary()


def national_figures(
    session: Session,
    period: Period,
    filters: Filters | None = None,
    *,
    today: dt.date | None = None,
) -> NationalFigures:
    """Every figure of the period for the cases the filters keep (on the database worker).

    Asking again for the same period, filters and day while nothing arrived in the change
    log gives the figures computed last time (at 250,000 cases a year takes seconds, and the
    page, the PDF and the workbook ask in turn); any committed change makes them anew."""
    session.require(Permission.VIEW_CASES)
    filters = filters or Filters()
    as_of = (today or dt.date.today()).isoformat()
    names = exchange.organisation_names(session)
    store = SqliteNationalStore(session.db)
    kept = _kept.setdefault(session, _KeptFigures())
    mark = store.data_mark()
    if kept.mark != mark:
        kept.figures.clear()
        kept.mark = mark
    key = (period, filters, as_of, tuple(sorted(names.items())))
    found = kept.figures.get(key)
    if found is None:
        own = session.org_id
        allowed = (lambda _org: True) if _coordinator(session) else (lambda org: org == own)
        found = compute(store, period, filters, today=as_of, names=names, allowed=allowed)
        while len(kept.figures) >= FIGURES_KEPT:
            kept.figures.pop(next(iter(kept.figures)))
        kept.figures[key] = found
    return found


Line = tuple[str, str]  # text and the language it is really in


def _line(words: Words, message: str, **values: str) -> Line:
    return words.tr(message).format(**values), words.text_lang(message)


def _description(session: Session, figures: NationalFigures, words: Words) -> list[Line]:
    """What the report covers, in lines under its title."""
    loc = locale(words.lang)
    lines = []
    f = figures.filters
    if f.org_id:
        name = dict(figures.organisations).get(f.org_id) or exchange.organisation_names(
            session
        ).get(f.org_id, f.org_id[:8])
        lines.append(_line(words, FOR_ORGANISATION, name=isolate(name)))
    elif _coordinator(session):
        lines.append(_line(words, ALL_ORGANISATIONS))
    parts = _filter_words(f, words)
    if parts:
        lines.append(_line(words, FILTERED, filters="; ".join(parts)))
    count = numbers.format_decimal(figures.identified, locale=loc)
    lines.append(_line(words, IDENTIFIED_COUNT, count=count))
    as_of = _long_date(session, dt.date.fromisoformat(figures.as_of), words.lang)
    lines.append(_line(words, AS_OF, date=as_of))
    lines.append(_line(words, SUPPRESSED_NOTE if words.suppress else INTERNAL_NOTE))
    return lines


def _long_date(session: Session, day: dt.date, lang: str) -> str:
    """A date of the report written as the installation writes dates (the organisation's
    country's order, or the order chosen in Settings), like the printed forms."""
    style = settings.date_style(session)
    return isolate(dates.format_date(day, style.pattern("long", lang), locale=style.locale(lang)))


def _filter_words(f: Filters, words: Words) -> list[str]:
    parts = []
    pairs = (
        (f.exploitation_type, codes.EXPLOITATION_TYPE),
        (f.sex, codes.GENDER),
        (f.identification_source, codes.IDENTIFICATION_SOURCE),
    )
    for value, code_list in pairs:
        if value:
            parts.append(words.tr(code_list.label(value)))
    if f.citizenship:
        parts.append(str(words.locale.territories.get(f.citizenship, f.citizenship)))
    if f.age_band:
        parts.append(words.tr(age_band_label(f.age_band)))
    return parts


def _check(fmt: str, lang: str, internal: bool, session: Session) -> None:
    errors = {}
    if fmt not in FORMATS:
        errors["out"] = _("The report is written as a .pdf or an .xlsx file.")
    if lang not in LANGUAGES:
        errors["lang"] = _("Reports are printed in {languages}, not {language}.").format(
            languages=", ".join(LANGUAGES), language=lang
        )
    if errors:
        raise ValidationError(errors)
    session.require(Permission.PRINT if fmt == "pdf" else Permission.EXPORT)
    if internal and not may_report_internally(session):
        raise PermissionDenied(
            _(
                "Only a coordinator on the coordinator's installation may print a report"
                " without hiding small counts."
            )
        )


def report(
    session: Session,
    period: Period,
    filters: Filters | None = None,
    *,
    fmt: str,
    lang: str,
    internal: bool = False,
    today: dt.date | None = None,
) -> bytes:
    """The period report as PDF or XLSX bytes (nothing written; see :func:`write_report`)."""
    _check(fmt, lang, internal, session)
    today = today or dt.date.today()
    figures = national_figures(session, period, filters, today=today)
    words = Words(lang, suppress=not internal)
    start = _long_date(session, period.start, lang)
    end = _long_date(session, period.end, lang)
    message = NATIONAL_TITLE if _coordinator(session) else REPORT_TITLE
    title = _line(words, message, start=start, end=end)
    description = _description(session, figures, words)
    # reportlab and openpyxl are loaded only when a report is made (not when the GUI starts).
    if fmt == "xlsx":
        from shelter_desk.services.reports import xlsx

        if session.is_demo:  # a PDF says it on every page (``demo``), a workbook here
            description = [_line(words, DEMO_MARK), *description]
        data = xlsx.workbook(
            figures.tables, words, _plain(title[0]), [_plain(t) for t, _lang in description]
        )
    else:
        from shelter_desk.reports.forms_base import paper_size
        from shelter_desk.reports.national import render_report

        data = render_report(
            figures.tables,
            words,
            organisation=session.org_name,
            title=title,
            description=description,
            paper=paper_size(lang, session.meta.get("org_country"), None),
            printed_on=today,
            demo=session.is_demo,
        )
    return data


def _plain(text: str) -> str:
    """Text for a spreadsheet cell: without the bidi isolates (a cell has its own direction)."""
    return "".join(c for c in text if c not in "\u2066\u2067\u2068\u2069")


def write_report(session: Session, path: Path, data: bytes, period: Period) -> None:
    """Write a report where the user chose (atomically) and audit it; when the audit entry
    cannot be written the file is removed again."""
    write_atomic(path, data)
    try:
        session.audit(Action.EXPORT, "period_report", f"{period.start}/{period.end}")
    except Exception:
        path.unlink(missing_ok=True)
        raise
