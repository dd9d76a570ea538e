"""Import of HTCDS case spreadsheets saved as CSV (the HTCDS export, or a KoBo/ODK export
with the same column names).

Every row is first checked in a dry run: it is turned into a Person, an Intake, a Consent
and a Case and put through the domain rules, without touching the database. The preview
gives the number of rows ready and, for each bad row, the column and the message; it never
repeats a cell's content (a message that would quote a cell is replaced by a neutral one).
Committing imports every row in one database transaction, or nothing when any row is bad.

Each imported case gets a recorded consent: given, in writing, on the row's intake date,
with the sharing level of the ``sd_SharingLevel`` column or ``NotShared``. Row numbers are
spreadsheet rows: the header is row 1, the first case row 2. Unknown columns are ignored
and listed; ``vic_AgeWhenTrafficked`` is derived here, so it is read but not imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field, replace
from typing import Any

from shelter_desk.domain import rules
from shelter_desk.domain.entities import Case, Consent, Intake, Person
from shelter_desk.domain.errors import ShelterDeskError, ValidationError
from shelter_desk.i18n import _, ngettext
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission
from shelter_desk.services import cases
from shelter_desk.services.session import Session
from shelter_desk.services.standards.htcds_fields import (
    DERIVED_HTCDS_COLUMNS,
    FORMULA_STARTS,
    HTCDS_COLUMNS,
    Column,
    field_type,
)

_COLUMNS = {c.name: c for c in HTCDS_COLUMNS}
_COLUMN_OF_FIELD = {(c.entity, c.field): c.name for c in HTCDS_COLUMNS}
_MULTI_SEPARATORS = re.compile(r"[;\s]+")  # ";" from the HTCDS export, spaces from KoBo
_TRUE = frozenset({"true", "1", "yes", "y"})
_FALSE = frozenset({"false", "0", "no", "n", ""})
# Where the intake date comes from, best first.
_INTAKE_DATE_COLUMNS = ("sd_IntakeDate", "cas_IncomingReferralDate", "sd_OpenedOn")
_PREVIEW_ID = "preview"


@dataclass(frozen=True)
class RowProblem:
    row: int  # spreadsheet row (the header is row 1)
    field: str  # column name, or entity.field for a value that has no column
    message: str


@dataclass
class ImportRow:
    row: int
    person: Person
    intake: Intake
    consent: Consent
    case: Case  # status, trafficking status, closure... (number and ids are assigned later)


@dataclass
class ImportPreview:
    rows: int = 0
    ready: list[ImportRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> int:
        return len(self.ready)

    @property
    def bad(self) -> int:
        return self.rows - self.ok


def parse_cell(column: Column, text: str) -> tuple[object, str | None]:
    """The cell as a field value, or an error message."""
    kind = field_type(column)
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]  # the export's guard against spreadsheet formulas
    text = text.strip()
    if kind is str:
        return text, None
    if kind == tuple[str, ...]:
        return tuple(v for v in _MULTI_SEPARATORS.split(text) if v), None
    if kind == dt.date | None:
        if not text:
            return None, None
        try:
            return dt.date.fromisoformat(text), None
        except ValueError:
            return None, _("Enter a date like {example}.").format(example="2026-11-20")
    if kind is bool or kind == bool | None:
        lowered = text.lower()
        if lowered in _TRUE:
            return True, None
        if lowered in _FALSE:
            return (False if kind is bool or lowered else None), None
        return None, _("Enter true or false.")
    if kind == int | None:
        if not text:
            return None, None
        try:
            return int(text), None
        except ValueError:
            return None, _("Enter a whole number.")
    raise TypeError(f"no parser for {column.name}: {kind}")


def _safe_message(message: str, cells: list[str]) -> str:
    """The message, unless it quotes one of the row's cells (personal data)."""
    if any(len(c) >= 2 and c in message for c in cells):
        return _("This value is not valid.")
    return message


def _intake_date(raw: dict[str, str]) -> dt.date | None:
    for name in _INTAKE_DATE_COLUMNS:
        text = (raw.get(name) or "").strip()
        if text:
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                return None  # reported by the column's own parse
    return None


def _dry_run(
    session: Session, number: int, raw: dict[str, str], today: dt.date
) -> tuple[ImportRow | None, list[RowProblem]]:
    values: dict[str, dict[str, Any]] = {"person": {}, "case": {}, "intake": {}}
    problems: list[RowProblem] = []
    for name, text in raw.items():
        column = _COLUMNS.get(name)
        if column is None or text is None:
            continue
        value, error = parse_cell(column, text)
        if error:
            problems.append(RowProblem(number, name, error))
        elif value not in ("", (), None):
            values[column.entity][column.field] = value
    intake_date = _intake_date(raw)
    values["intake"]["intake_date"] = intake_date
    person = Person(**values["person"])
    intake = Intake(**values["intake"], case_id=_PREVIEW_ID)
    sharing = values["case"].get("sharing_level", "NotShared")
    consent = Consent(
        case_id=_PREVIEW_ID,
        consent_given=True,
        method="Written",
        given_on=intake_date,
        sharing_level=sharing,
    )
    opened_on = values["case"].pop("opened_on", None) or intake_date
    year = (opened_on or today).year
    case = Case(
        number=rules.format_case_number(session.case_prefix, year, 1),
        person_id=_PREVIEW_ID,
        owner_id=session.user.id,
        opened_on=opened_on,
        **values["case"],
    )
    checks = (
        ("person", rules.validate_person(person, today)),
        ("intake", rules.validate_intake(intake, today)),
        ("consent", rules.validate_consent(consent, today)),
        ("case", rules.validate_case(case, today)),
    )
    cells = [t.strip() for t in raw.values() if isinstance(t, str)]
    reported = {p.field for p in problems}
    for entity, errors in checks:
        for name, message in errors.items():
            where = _column_for(entity, name)
            if where not in reported:
                problems.append(RowProblem(number, where, _safe_message(message, cells)))
                reported.add(where)
    if problems:
        return None, problems
    return ImportRow(number, person, intake, consent, case), []


def _column_for(entity: str, name: str) -> str:
    if entity == "consent" and name == "given_on":
        return _INTAKE_DATE_COLUMNS[0]
    if entity == "consent" and name == "sharing_level":
        return "sd_SharingLevel"
    if entity == "case" and name == "opened_on":
        return "sd_OpenedOn"
    return _COLUMN_OF_FIELD.get((entity, name), f"{entity}.{name}")


def _read_rows(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ShelterDeskError(_("The file is not a UTF-8 CSV file.")) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in reader.fieldnames or ()]
        reader.fieldnames = header
        rows = [
            r for r in reader if any((v or "").strip() for v in r.values() if isinstance(v, str))
        ]
    except csv.Error as exc:
        raise ShelterDeskError(_("The file is not a readable CSV file.")) from exc
    if not header:
        raise ShelterDeskError(_("The file has no header row."))
    return header, rows


def preview_htcds(session: Session, data: bytes, *, today: dt.date | None = None) -> ImportPreview:
    """Check every row of an HTCDS CSV without writing anything."""
    session.require(Permission.IMPORT)
    today = today or dt.date.today()
    header, rows = _read_rows(data)
    known = set(_COLUMNS) | set(DERIVED_HTCDS_COLUMNS)
    preview = ImportPreview(
        rows=len(rows), ignored_columns=[h for h in header if h and h not in known]
    )
    for index, raw in enumerate(rows, start=2):
        ready, problems = _dry_run(session, index, raw, today)
        if ready is not None:
            preview.ready.append(ready)
        preview.problems.extend(problems)
    return preview


def commit_htcds(session: Session, data: bytes, *, today: dt.date | None = None) -> int:
    """Import every row in one transaction; nothing when any row has an error (then a
    ValidationError says how many rows are bad). Returns the number of cases imported."""
    today = today or dt.date.today()
    preview = preview_htcds(session, data, today=today)
    if preview.problems:
        session.audit(Action.IMPORT_REFUSED, "htcds", str(preview.bad))
        message = ngettext(
            "{count} row has errors; nothing was imported.",
            "{count} rows have errors; nothing was imported.",
            preview.bad,
        ).format(count=preview.bad)
        raise ValidationError({"file": message})
    with session.db.transaction():
        for row in preview.ready:
            _import_row(session, row, today)
        session.audit(Action.IMPORT, "htcds", str(preview.ok))
    return preview.ok


def _import_row(session: Session, row: ImportRow, today: dt.date) -> None:
    wanted = row.case
    cf = cases.open_case(
        session, row.person, row.intake, row.consent, opened_on=wanted.opened_on, today=today
    )
    case_id = cf.case.id
    if wanted.risk_level or wanted.trafficking_status_decision_org:
        cases.update_case(
            session,
            replace(
                cf.case,
                risk_level=wanted.risk_level,
                trafficking_status_decision_org=wanted.trafficking_status_decision_org,
            ),
            today=today,
        )
    if wanted.trafficking_status != Case().trafficking_status:
        cases.decide_trafficking_status(
            session,
            case_id,
            wanted.trafficking_status,
            decision_org=wanted.trafficking_status_decision_org,
            today=today,
        )
    if wanted.status == "FollowUp":
        cases.set_follow_up_phase(session, case_id)
    elif wanted.status in ("Closed", "ClosedReferred"):
        cases.close_case(
            session,
            case_id,
            wanted.closure_reason,
            closed_on=wanted.closed_on,
            referred=wanted.status == "ClosedReferred",
            today=today,
        )
