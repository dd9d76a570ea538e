"""The HTCDS 2.0 export: one row per case, and the standard's related tables beside it.

Tables (``htcds_tables``)
    ``cases``: one row per case: the person's ``prs_*`` fields, the case's ``cas_*`` and
    ``vic_*`` fields, the latest intake's ``vic_*`` fields, ``con_Consent`` (TRUE when a
    consent is in force, FALSE when the latest one recorded was refused or withdrawn), the
    latest incoming and outgoing referral, the places of recruitment and exploitation (from
    the trafficking events) and the ``sd_*`` columns HTCDS has no field for, so that an
    export imports back without loss. ``referrals``, ``trafficking_events`` and
    ``support_plan``: one row per referral, historic trafficking event and support
    objective, keyed by ``sd_CaseNumber``. ``organisations``: this organisation and its
    partner address book (``org_*``).

Values
    Picklists hold HTCDS value names; a stored code that is not one (``NoFormalEducation``,
    Shelter Desk's own organisation types...) becomes the nearest HTCDS value, else
    ``Other`` where the picklist has it, else stays empty. Languages are ISO 639-2 (``kat``),
    countries ISO 3166-1 alpha-2, dates ISO 8601, multi-selects joined with ";". Lookups
    (case owner, organisations) are written as names: ids mean nothing elsewhere. Free text
    that is not an HTCDS field (the narrative, notes) is never exported.

Files
    CSV (UTF-8 with a byte-order mark, a text cell a spreadsheet would run as a formula gets a
    leading "'"): the cases table at the path asked for, each related table beside it as
    ``<name>-<table>.csv``. XLSX: IOM's template layout, one sheet per table: row 1 (hidden)
    the field names, row 2 the labels, cases from row 3, column A the row number. The export
    identifies people, so every file can be encrypted (age) to a trusted partner's card or
    with a passphrase (:func:`export_htcds`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from shelter_desk.domain.case_file import CaseFile
from shelter_desk.domain.entities import Case, Organisation, Referral
from shelter_desk.domain.errors import AuthError, ShelterDeskError
from shelter_desk.domain.serialize import from_fields
from shelter_desk.i18n import _
from shelter_desk.security import passphrase as pp
from shelter_desk.security.atomic import write_atomic
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission
from shelter_desk.services.cases import _read_case_file
from shelter_desk.services.session import Session
from shelter_desk.services.settings import ORG_COUNTRY
from shelter_desk.services.standards import choices
from shelter_desk.services.standards.htcds_fields import HTCDS_COLUMNS, format_value
from shelter_desk.services.standards.htcds_reference import (
    FIELD_LABELS,
    LANGUAGE_FIELDS,
    NEAREST,
    PICKLISTS,
    language_639_2,
)
from shelter_desk.sync import age

CASE_KEY = "sd_CaseNumber"
XLSX = choices.XLSX
CSV = choices.CSV


_DERIVED_CASE_COLUMNS = (
    "prs_IdentityNumber",
    "prs_Email",
    "prs_HomePhone",
    "prs_MobilePhone",
    "vic_AgeWhenTrafficked",
    "vic_LocationOfRecruitment",
    "vic_LocationOfExploitation",
    "cas_CaseOwner",
    "cas_ReferringOrganisation",
    "cas_IncomingReferralDate",
    "cas_ReferringPrimaryCaseWorker",
    "cas_ReasonForIncomingReferral",
    "cas_IncomingReferralDetails",
    "cas_ReferredOrganisation",
    "cas_ReferredPrimaryCaseWorker",
    "cas_ReasonForOutgoingReferral",
    "cas_OutgoingReferralDate",
    "cas_OutgoingReferralDetails",
    "con_Consent",
)
_OUTGOING = (
    "cas_ReferredOrganisation",
    "cas_ReferredPrimaryCaseWorker",
    "cas_ReasonForOutgoingReferral",
    "cas_OutgoingReferralDate",
    "cas_OutgoingReferralDetails",
)
_INCOMING = (
    "cas_ReferringOrganisation",
    "cas_ReferringPrimaryCaseWorker",
    "cas_ReasonForIncomingReferral",
    "cas_IncomingReferralDate",
    "cas_IncomingReferralDetails",
)
REFERRAL_COLUMNS = (CASE_KEY, *_INCOMING, *_OUTGOING, "sd_ReferralStatus", "sd_ServicesRequested")
EVENT_COLUMNS = (
    CASE_KEY,
    "hte_Type",
    "hte_Date",
    "hte_Street",
    "hte_City",
    "hte_State",
    "hte_PostalCode",
    "hte_Country",
    "hte_Latitude",
    "hte_Longitude",
    "hte_Description",
)
SUPPORT_COLUMNS = (
    CASE_KEY,
    "spl_Type",
    "spl_Objectives",
    "spl_ActionPlan",
    "spl_PlannedEndDate",
    "spl_ActualEndDate",
    "sd_ObjectiveStatus",
)
ORGANISATION_COLUMNS = tuple(Organisation.HTCDS.values())
RELATED_TABLES = ("referrals", "trafficking_events", "support_plan", "organisations")


def case_columns() -> tuple[str, ...]:
    """The cases table's columns: the column table's, then the derived ones."""
    return (CASE_KEY, *(c.name for c in HTCDS_COLUMNS), *_DERIVED_CASE_COLUMNS)


@dataclass(frozen=True)
class Table:
    """One table of the export: its name (sheet, file suffix), header and typed cells."""

    name: str
    header: tuple[str, ...]
    rows: list[list[object]]


def all_case_files(session: Session) -> Iterator[CaseFile]:
    """Every case of the installation, oldest first (not audited one by one)."""
    for record in session.records.of_entity(Case.ENTITY):
        yield _read_case_file(session, record.id)


def htcds_value(column: str, value: object) -> object:
    """A stored value as HTCDS writes it (nearest HTCDS value, ISO 639-2 languages)."""
    if column in LANGUAGE_FIELDS and isinstance(value, str):
        return language_639_2(value) if value else ""
    allowed = PICKLISTS.get(column)
    if allowed is None:
        return value
    if isinstance(value, tuple):
        mapped = (_picklist_value(column, v, allowed) for v in value)
        return tuple(dict.fromkeys(v for v in mapped if v))
    return _picklist_value(column, str(value), allowed) if value else value


def _picklist_value(column: str, value: str, allowed: frozenset[str]) -> str:
    if value in allowed:
        return value
    nearest = NEAREST.get(column, {}).get(value)
    if nearest:
        return nearest
    return "Other" if "Other" in allowed else ""


def _place(cf: CaseFile, event_type: str) -> str:
    for event in cf.events:
        if event.event_type == event_type and (event.city or event.country):
            return ", ".join(p for p in (event.city, event.state, event.country) if p)
    return ""


def _contact(cf: CaseFile, contact_type: str) -> str:
    return next((c.value for c in cf.person.contacts if c.contact_type == contact_type), "")


def _is_incoming(referral: Referral, own_org: str) -> bool:
    return bool(referral.from_org_id) and referral.from_org_id != own_org


def _referral_cells(cf: CaseFile, r: Referral, own_org: str) -> dict[str, object]:
    names = _INCOMING if _is_incoming(r, own_org) else _OUTGOING
    org = r.from_org_id if _is_incoming(r, own_org) else r.to_org_id
    values = (cf.organisation_name(org), r.caseworker, r.reason, r.referred_on, r.details)
    return {n: htcds_value(n, v) for n, v in zip(names, values, strict=True)}


def _case_row(cf: CaseFile, own_org: str) -> list[object]:
    sources: dict[str, object] = {"person": cf.person, "case": cf.case, "intake": cf.intake}
    cells: dict[str, object] = {CASE_KEY: cf.case.number}
    for column in HTCDS_COLUMNS:
        source = sources[column.entity]
        value = getattr(source, column.field) if source is not None else None
        cells[column.name] = htcds_value(column.name, value)
    documents = [d.number for d in cf.person.documents if d.number]
    latest = cf.latest_consent
    intake = cf.intake
    cells |= {
        "prs_IdentityNumber": documents[0] if documents else "",
        "prs_Email": _contact(cf, "Email"),
        "prs_HomePhone": _contact(cf, "HomePhone"),
        "prs_MobilePhone": _contact(cf, "MobilePhone"),
        "vic_AgeWhenTrafficked": cf.age_at_trafficking(),
        "vic_LocationOfRecruitment": _place(cf, "Recruitment"),
        "vic_LocationOfExploitation": _place(cf, "Exploitation"),
        "cas_CaseOwner": cf.owner_name,
        "con_Consent": None if latest is None else cf.consent is not None,
    }
    if intake is not None and intake.referring_org_id:
        cells["cas_ReferringOrganisation"] = cf.organisation_name(intake.referring_org_id)
        cells["cas_IncomingReferralDate"] = intake.intake_date
    for referral in sorted(cf.referrals, key=lambda r: r.referred_on or dt.date.min):
        cells |= _referral_cells(cf, referral, own_org)
    return [cells.get(name) for name in case_columns()]


def _related_rows(cf: CaseFile, own_org: str) -> tuple[list[list[object]], ...]:
    number = cf.case.number
    referrals: list[list[object]] = []
    for r in cf.referrals:
        cells = _referral_cells(cf, r, own_org)
        cells |= {CASE_KEY: number, "sd_ReferralStatus": r.status}
        cells["sd_ServicesRequested"] = r.services_requested
        referrals.append([cells.get(c) for c in REFERRAL_COLUMNS])
    events: list[list[object]] = []
    for e in cf.events:
        values = {c: getattr(e, f) for f, c in type(e).HTCDS.items()}
        events.append([number, *(htcds_value(c, values.get(c)) for c in EVENT_COLUMNS[1:])])
    objectives: list[list[object]] = []
    for o in cf.objectives:
        values = {c: getattr(o, f) for f, c in type(o).HTCDS.items()}
        plan = [htcds_value(c, values.get(c)) for c in SUPPORT_COLUMNS[1:-1]]
        objectives.append([number, *plan, o.status])
    return referrals, events, objectives


def _organisations(session: Session) -> list[Organisation]:
    found = [
        from_fields(Organisation, {**r.data, "id": r.id})
        for r in session.records.of_entity(Organisation.ENTITY)
    ]
    return sorted(found, key=lambda o: o.name.casefold())


def htcds_tables(session: Session) -> list[Table]:
    """The export's tables (``cases`` first); needs the export permission."""
    session.require(Permission.EXPORT)
    own_org = session.org_id
    partners = _organisations(session)
    org_names = {o.id: o.name for o in partners} | {own_org: session.org_name}
    user_names = {u.id: u.display_name for u in session.users.all()}
    case_rows: list[list[object]] = []
    related: tuple[list[list[object]], ...] = ([], [], [])
    for cf in all_case_files(session):
        cf.organisation_names = org_names
        cf.user_names = user_names
        case_rows.append(_case_row(cf, own_org))
        for rows, more in zip(related, _related_rows(cf, own_org), strict=True):
            rows.extend(more)
    own = Organisation(id=own_org, name=session.org_name, country=_own_country(session))
    organisations = [
        [htcds_value(c, getattr(o, f)) for f, c in Organisation.HTCDS.items()]
        for o in (own, *partners)
    ]
    headers = (REFERRAL_COLUMNS, EVENT_COLUMNS, SUPPORT_COLUMNS, ORGANISATION_COLUMNS)
    bodies = (*related, organisations)
    return [
        Table("cases", case_columns(), case_rows),
        *(
            Table(name, header, body)
            for name, header, body in zip(RELATED_TABLES, headers, bodies, strict=True)
        ),
    ]


def _own_country(session: Session) -> str:
    return session.meta.get(ORG_COUNTRY)


def _csv_cell(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a number, also a negative one, is no formula
    return format_value(value)


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """A CSV file (UTF-8 with a byte-order mark, CRLF): text cells as ``format_value``
    writes them (a formula-like text gets a leading "'"), numbers as they are."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def htcds_csv(session: Session) -> tuple[bytes, int]:
    """The cases table as CSV bytes, and the number of cases in it."""
    cases = htcds_tables(session)[0]
    return csv_bytes(cases.header, cases.rows), len(cases.rows)


def _xlsx_cell(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | dt.date):
        return value
    if isinstance(value, tuple):
        return ";".join(str(v) for v in value)
    return str(value)


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """The tables as one workbook in IOM's template layout (see the module docstring)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    workbook = Workbook()
    if workbook.active is not None:
        workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table.name)
        sheet.append([None, *table.header])
        sheet.append([None, *(FIELD_LABELS.get(n, n) for n in table.header)])
        sheet.row_dimensions[1].hidden = True
        for number, row in enumerate(table.rows, start=1):
            sheet.cell(number + 2, 1, number)
            for column, value in enumerate(row, start=2):
                cell = sheet.cell(number + 2, column, _xlsx_cell(value))
                if isinstance(cell.value, str):
                    cell.data_type = TYPE_STRING  # text, never a formula
        sheet.freeze_panes = "B3"
    from shelter_desk.services.reports.xlsx import in_memory

    return in_memory(workbook)  # openpyxl's own save writes every sheet to a temp file


def table_path(path: Path, table: str) -> Path:
    """Where a CSV export writes a related table: beside the cases file."""
    return path.with_name(f"{path.stem}-{table.replace('_', '-')}{path.suffix}")


def written_files(path: Path, fmt: str = "") -> list[Path]:
    """Every file :func:`export_htcds` writes for ``path`` (the cases file first)."""
    if (fmt or export_format(path)) == XLSX:
        return [path]
    return [path, *(table_path(path, name) for name in RELATED_TABLES)]


def export_format(path: Path) -> str:
    """``xlsx`` for a path ending in .xlsx (or .xlsx.age), else ``csv``."""
    suffixes = [s.lower() for s in path.suffixes]
    return XLSX if XLSX in (s.lstrip(".") for s in suffixes[-2:]) else CSV


def export_htcds(
    session: Session,
    path: Path,
    *,
    to_partner: str = "",
    passphrase: str = "",
    fmt: str = "",
) -> int:
    """Write the HTCDS export (``fmt`` ``csv`` or ``xlsx``; by default from the path's
    suffix); return the number of cases.

    The files identify every person, so they can be written encrypted (age): to a trusted
    partner (``to_partner``: fingerprint or organisation name, as for bundles), which only
    that partner's installation opens, or with a ``passphrase`` (as strong as a sign-in
    passphrase), which :func:`open_encrypted_export` or ``age -d`` opens. Without either
    they are plain. The audit event says which (``htcds``, ``htcds-partner``,
    ``htcds-passphrase``). Nothing is written when anything is refused.
    """
    if to_partner and passphrase:
        raise ValueError("encrypt to a partner or with a passphrase, not both")
    tables = htcds_tables(session)
    fmt = fmt or export_format(path)
    if fmt == XLSX:
        files = [(path, xlsx_bytes(tables))]
    else:
        paths = written_files(path, CSV)
        files = [(p, csv_bytes(t.header, t.rows)) for p, t in zip(paths, tables, strict=True)]
    kind = "htcds"
    if to_partner:
        from shelter_desk.services.exchange import find_partner

        recipient = find_partner(session, to_partner).card.recipient
        files = [(p, age.encrypt(data, recipient)) for p, data in files]
        kind = "htcds-partner"
    elif passphrase:
        pp.check_strength(passphrase, user_inputs=(session.org_name,))
        files = [(p, age.encrypt_with_passphrase(data, passphrase)) for p, data in files]
        kind = "htcds-passphrase"
    for file_path, data in files:
        write_atomic(file_path, data)
    count = len(tables[0].rows)
    session.audit(Action.EXPORT, kind, str(count))
    return count


def is_encrypted_export(data: bytes) -> bool:
    """Whether a file is an export encrypted by :func:`export_htcds` (an age file)."""
    return age.is_age_file(data)


def export_needs_passphrase(data: bytes) -> bool:
    """Whether an encrypted export opens with a passphrase (else with this installation)."""
    return age.uses_passphrase(data)


def open_encrypted_export(session: Session, data: bytes, passphrase: str = "") -> bytes:
    """The file inside an encrypted export: with the passphrase it was made with, or with
    this installation's key when a partner encrypted it to this installation's card."""
    session.require(Permission.IMPORT)
    try:
        if passphrase:
            return age.decrypt_with_passphrase(data, passphrase)
        return session.device_identity.decrypt(data)
    except age.AgeError as exc:
        if passphrase:
            raise AuthError(_("Wrong passphrase for this export, or the file is damaged.")) from exc
        raise ShelterDeskError(
            _(
                "This export was encrypted for another installation, or the file is damaged;"
                " it cannot be opened here."
            )
        ) from exc
