"""Import of HTCDS case spreadsheets: Shelter Desk's own HTCDS export, IOM's Excel template
(filled in, as it comes), IOM's single-select template (labels instead of value names) and
KoBo/ODK exports of IOM's HTCDS XLSForm, as CSV (any common encoding and separator) or XLSX.

Every row is first checked in a dry run: it is turned into a Person, an Intake, a Consent
and a Case and put through the domain rules, without touching the database. The preview
gives the number of rows ready and, for each bad row, the file's own column name and the
message; it never repeats a cell's content (a message that would quote a cell is replaced
by a neutral one). Committing imports every ready row in one database transaction, or
nothing when any row is bad.

* Columns are matched through ``aliases`` (IOM's typos, the XLSForm's spellings, KoBo group
  prefixes); ``mapping`` can overrule what was recognised.
* Dates: ISO dates always; ``dd/mm/yyyy`` or ``mm/dd/yyyy`` by ``date_order``, whose guess
  (``guess_date_order``) is what the file's dates prove, else how the organisation's country
  writes dates (CLDR), else day first. The intake date is ``sd_IntakeDate``, else
  ``cas_IncomingReferralDate``, else ``sd_OpenedOn``, else the day of the import.
* Consent: with a ``con_Consent`` column, TRUE is a consent given (recorded as written, with
  the ``sd_SharingLevel`` of the row or ``NotShared``); FALSE or empty is *no consent*: the
  case shares nothing (``NotShared``), whatever else the row says. Without the column (an
  older Shelter Desk export) a sharing level other than ``NotShared`` stands for the consent.
* A row already imported (its KoBo ``_uuid``, else the fingerprint of its cells, is the
  ``source_ref`` of an intake) is skipped and counted, also when it appears twice in the
  file. Rows that look like a person already registered (same names and birth date) are
  listed as likely duplicates; they are imported all the same.

Row numbers are the file's own row numbers, as a spreadsheet program shows them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from shelter_desk.domain import rules
from shelter_desk.domain.entities import Case, Consent, Intake, Person
from shelter_desk.domain.errors import ShelterDeskError, ValidationError
from shelter_desk.i18n import _, ngettext
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission
from shelter_desk.services.session import Session
from shelter_desk.services.settings import ORG_COUNTRY
from shelter_desk.services.standards import aliases
from shelter_desk.services.standards.aliases import (
    CONSENT_COLUMN,
    REFERRAL_DATE_COLUMN,
    ColumnMatch,
)
from shelter_desk.services.standards.dates import (
    DATE_ORDERS,
    date_order_label,
    guess_date_order,
    parse_date,
)
from shelter_desk.services.standards.htcds_fields import (
    FORMULA_STARTS,
    HTCDS_COLUMNS,
    Column,
    field_type,
)
from shelter_desk.services.standards.import_write import ImportRow, write_rows
from shelter_desk.services.standards.readers import Table, read_table

Progress = Callable[[int, int], None]
_COLUMNS = {c.name: c for c in HTCDS_COLUMNS}
_COLUMN_OF_FIELD = {(c.entity, c.field): c.name for c in HTCDS_COLUMNS}
_TRUE = frozenset({"true", "1", "yes", "y"})
_FALSE = frozenset({"false", "0", "no", "n", ""})
_INTAKE_DATE_COLUMNS = ("sd_IntakeDate", REFERRAL_DATE_COLUMN, "sd_OpenedOn")
_DATE_COLUMNS = (*[c.name for c in HTCDS_COLUMNS if field_type(c) == dt.date | None],)
_PREVIEW_ID = "preview"
_BATCH = 500
# Used by the CLI and the GUI through this module.
__all__ = ["DATE_ORDERS", "ImportRow", "date_order_label", "guess_date_order"]


@dataclass(frozen=True)
class RowProblem:
    row: int  # the file's row number
    field: str  # the file's column name ("" when the problem is the row as a whole)
    message: str


@dataclass(frozen=True)
class FileColumn:
    """One column of the file and what it was recognised as (``aliases.ColumnMatch``)."""

    header: str
    match: ColumnMatch


@dataclass(frozen=True)
class LikelyDuplicate:
    row: int
    case_number: str  # the case of the person already registered


@dataclass
class ImportFile:
    """A file read and its columns recognised, before any row is checked."""

    table: Table
    columns: list[FileColumn]
    date_order: str  # the guess

    @property
    def recognised(self) -> list[FileColumn]:
        return [c for c in self.columns if c.match.kind in ("column", "choice", "uuid")]


@dataclass
class ImportPreview:
    rows: int = 0
    ready: list[ImportRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)  # not HTCDS columns
    not_imported_columns: list[str] = field(default_factory=list)  # HTCDS, kept nowhere here
    already_imported: int = 0
    likely_duplicates: list[LikelyDuplicate] = field(default_factory=list)
    date_order: str = "iso"
    file: ImportFile | None = None

    @property
    def ok(self) -> int:
        return len(self.ready)

    @property
    def bad(self) -> int:
        return self.rows - self.ok - self.already_imported


def read_import_file(
    data: bytes, *, mapping: Mapping[str, str] | None = None, country: str = ""
) -> ImportFile:
    """Read the file and recognise its columns. ``mapping`` (file column -> column name, or
    "" to leave it out) overrules the recognition."""
    table = read_table(data, aliases.is_known)
    columns = []
    for header in table.header:
        match = aliases.match_column(header)
        if mapping is not None and header in mapping:
            wanted = mapping[header]
            match = aliases.match_column(wanted) if wanted else ColumnMatch("unknown")
        columns.append(FileColumn(header, match))
    date_cells = [
        row[i]
        for i, c in enumerate(columns)
        if c.match.kind == "column" and c.match.name in (*_DATE_COLUMNS, REFERRAL_DATE_COLUMN)
        for row in table.rows[:2000]
    ]
    return ImportFile(table, columns, guess_date_order(date_cells, country))


def parse_cell(column: Column, text: str, date_order: str = "iso") -> tuple[object, str | None]:
    """The cell as a field value (picklist labels turned into codes), or an error message."""
    kind = field_type(column)
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]  # the export's guard against spreadsheet formulas
    text = text.strip()
    if kind is str:
        return aliases.code_for(column.name, text) if text else text, None
    if kind == tuple[str, ...]:
        return _multi(column.name, text), None
    if kind == dt.date | None:
        return parse_date(text, date_order)
    if kind is bool or kind == bool | None:
        flag = _flag(text)
        if flag is None and text:
            return None, _("Enter true or false.")
        return (bool(flag) if kind is bool else flag), None
    if kind == int | None:
        if not text:
            return None, None
        try:
            return int(float(text)) if re.fullmatch(r"\d+(\.0+)?", text) else int(text), None
        except ValueError:
            return None, _("Enter a whole number.")
    raise TypeError(f"no parser for {column.name}: {kind}")


def _flag(text: str) -> bool | None:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE and lowered:
        return False
    return None


def _multi(column: str, text: str) -> tuple[str, ...]:
    """A multi-select cell: value names or labels separated by ";" or "," (the HTCDS export,
    people typing) or by spaces (KoBo). A part that is one whole label (``Korea, Republic
    of``) is taken as it is; a run of words is read as the longest labels it holds."""
    table = aliases.value_table(column)
    found: list[str] = []
    for part in text.split(";"):
        whole = table.get(aliases.normalise(part))
        pieces = [part] if whole or not part.strip() else part.split(",")
        for piece in pieces:
            words = piece.split()
            start = 0
            while start < len(words):
                for end in range(len(words), start, -1):
                    code = table.get(aliases.normalise(" ".join(words[start:end])))
                    if code is not None or end == start + 1:
                        found.append(code or words[start])
                        start = end
                        break
    return tuple(dict.fromkeys(found))


def _safe_message(message: str, cells: Sequence[str]) -> str:
    """The message, unless it quotes one of the row's cells (personal data)."""
    if any(len(c) >= 2 and c in message for c in cells):
        return _("This value is not valid.")
    return message


class _RowReader:
    """Turns the file's rows into checked records; knows which file column fills what."""

    def __init__(self, session: Session, file: ImportFile, date_order: str, today: dt.date):
        self.session, self.file, self.date_order, self.today = session, file, date_order, today
        self.header_of: dict[str, str] = {}  # column name -> the file's column
        self.index_of: dict[str, int] = {}
        self.choices: dict[str, list[tuple[int, str]]] = {}
        self.uuid_index: int | None = None
        for i, col in enumerate(file.columns):
            match = col.match
            if match.kind == "column" and match.name not in self.index_of:
                self.index_of[match.name] = i
                self.header_of[match.name] = col.header
            elif match.kind == "choice":
                self.choices.setdefault(match.name, []).append((i, match.choice))
                self.header_of.setdefault(match.name, col.header)
            elif match.kind == "uuid" and self.uuid_index is None:
                self.uuid_index = i
        self.has_consent_column = CONSENT_COLUMN in self.index_of

    def cells(self, row: Sequence[str]) -> dict[str, str]:
        values = {name: row[i] for name, i in self.index_of.items()}
        for name, options in self.choices.items():
            if not values.get(name, "").strip():
                picked = [choice for i, choice in options if _flag(row[i])]
                values[name] = " ".join(picked)
        return values

    def ref(self, row: Sequence[str], values: Mapping[str, str]) -> str:
        """The row's ``source_ref``: its KoBo/ODK submission id, else a fingerprint."""
        if self.uuid_index is not None and row[self.uuid_index].strip():
            return "kobo:" + row[self.uuid_index].strip().removeprefix("uuid:")
        canonical = {k: v.strip() for k, v in values.items() if v.strip()}
        digest = hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()
        return "row:" + digest[:40]

    def where(self, name: str) -> str:
        return self.header_of.get(name, "")

    def dry_run(
        self, number: int, values: Mapping[str, str], ref: str
    ) -> tuple[ImportRow | None, list[RowProblem]]:
        parsed: dict[str, dict[str, Any]] = {"person": {}, "case": {}, "intake": {}}
        problems: list[RowProblem] = []
        for name, text in values.items():
            column = _COLUMNS.get(name)
            if column is None:
                continue
            value, error = parse_cell(column, text, self.date_order)
            if error:
                problems.append(RowProblem(number, self.where(name), error))
            elif value not in ("", (), None):
                parsed[column.entity][column.field] = value
        intake_date, date_column, date_error = self._intake_date(values)
        if date_error and date_column == REFERRAL_DATE_COLUMN:
            problems.append(RowProblem(number, self.where(date_column), date_error))
        consent, consent_problem = self._consent(values, parsed["case"], intake_date)
        if consent_problem:
            problems.append(RowProblem(number, self.where(CONSENT_COLUMN), consent_problem))
        parsed["intake"]["intake_date"] = intake_date
        person = Person(**parsed["person"])
        intake = Intake(**parsed["intake"], case_id=_PREVIEW_ID, source_ref=ref)
        case = self._case(parsed["case"], intake_date, consent)
        checks = [
            ("person", rules.validate_person(person, self.today)),
            ("intake", rules.validate_intake(intake, self.today)),
            ("consent", rules.validate_consent(consent, self.today)),
            ("case", rules.validate_case(case, self.today)),
        ]
        if case.status in ("Closed", "ClosedReferred"):
            checks.append(("case", rules.validate_case_closure(case)))
        cells = [t.strip() for t in values.values()]
        reported = {p.field for p in problems}
        for entity, errors in checks:
            for name, message in errors.items():
                where = self._column_for(entity, name, date_column)
                if where not in reported:
                    problems.append(RowProblem(number, where, _safe_message(message, cells)))
                    reported.add(where)
        if problems:
            return None, problems
        return ImportRow(number, person, intake, consent, case), []

    def _intake_date(self, values: Mapping[str, str]) -> tuple[dt.date, str, str | None]:
        """The intake date, the column it came from, and why that column's date is bad."""
        for name in _INTAKE_DATE_COLUMNS:
            text = values.get(name, "").strip()
            if text:
                value, error = parse_date(text, self.date_order)
                return (value or self.today), name, error
        return self.today, "", None

    def _consent(
        self, values: Mapping[str, str], case_values: dict[str, Any], given_on: dt.date
    ) -> tuple[Consent, str | None]:
        level = case_values.pop("sharing_level", "NotShared")
        if self.has_consent_column:
            text = values.get(CONSENT_COLUMN, "")
            given = _flag(text)
            if given is None and text.strip():
                refused = Consent(case_id=_PREVIEW_ID, given_on=given_on)
                return refused, _("Enter true or false.")
            given = bool(given)
        else:
            given = level != "NotShared"
        if not given:
            return Consent(case_id=_PREVIEW_ID, consent_given=False, given_on=given_on), None
        return Consent(
            case_id=_PREVIEW_ID,
            consent_given=True,
            method="Written",
            given_on=given_on,
            sharing_level=level,
        ), None

    def _case(self, values: dict[str, Any], intake_date: dt.date, consent: Consent) -> Case:
        opened_on = values.pop("opened_on", None) or intake_date
        status = values.get("status", "Active")
        if status in ("Closed", "ClosedReferred") and "sd_ClosedOn" not in self.index_of:
            values.setdefault("closed_on", self.today)  # IOM's template has no closing date
        if values.get("trafficking_status", Case().trafficking_status) != (
            Case().trafficking_status
        ):
            values["trafficking_status_decided_by"] = self.session.user.id
            values["trafficking_status_decided_on"] = self.today
        return Case(
            number=rules.format_case_number(self.session.case_prefix, opened_on.year, 1),
            person_id=_PREVIEW_ID,
            owner_id=self.session.user.id,
            opened_on=opened_on,
            sharing_level=consent.sharing_level if consent.consent_given else "NotShared",
            **values,
        )

    def _column_for(self, entity: str, name: str, date_column: str) -> str:
        if (entity == "consent" and name == "given_on") or (
            entity == "intake" and (name == "intake_date")
        ):
            return self.where(date_column)
        if entity == "consent" and name == "sharing_level":
            return self.where("sd_SharingLevel")
        if entity == "case" and name == "opened_on":
            return self.where("sd_OpenedOn") or self.where(date_column)
        return self.where(_COLUMN_OF_FIELD.get((entity, name), ""))


def _existing_refs(session: Session) -> set[str]:
    return {
        str(r.data.get("source_ref"))
        for r in session.records.of_entity(Intake.ENTITY)
        if r.data.get("source_ref")
    }


def _person_key(person: Person) -> tuple[str, str, str] | None:
    first = (person.first_name_latin or person.first_name).casefold().strip()
    second = (person.second_name_latin or person.second_name).casefold().strip()
    if not first or not second:
        return None
    born = person.birth_date.isoformat() if person.birth_date else str(person.estimated_birth_year)
    return first, second, born


def _likely_duplicates(session: Session, ready: Sequence[ImportRow]) -> list[LikelyDuplicate]:
    wanted = {key: row.row for row in ready if (key := _person_key(row.person))}
    if not wanted:
        return []
    found: list[LikelyDuplicate] = []
    for record in session.records.of_entity(Person.ENTITY):
        data = record.data
        person = Person(
            first_name=str(data.get("first_name") or ""),
            second_name=str(data.get("second_name") or ""),
            first_name_latin=str(data.get("first_name_latin") or ""),
            second_name_latin=str(data.get("second_name_latin") or ""),
            birth_date=dt.date.fromisoformat(data["birth_date"])
            if data.get("birth_date")
            else None,
            estimated_birth_year=data.get("estimated_birth_year"),
        )
        key = _person_key(person)
        if key in wanted:
            row = session.case_index.get(record.case_id)
            found.append(LikelyDuplicate(wanted[key], row.number if row else ""))
    return sorted(found, key=lambda d: d.row)


def _country(session: Session) -> str:
    return session.meta.get(ORG_COUNTRY) or ""


def preview_htcds(
    session: Session,
    data: bytes,
    *,
    today: dt.date | None = None,
    date_order: str = "",
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> ImportPreview:
    """Check every row of an HTCDS file without writing anything. ``date_order`` is one of
    ``DATE_ORDERS`` ("" takes the guess)."""
    today = today or dt.date.today()
    file = open_import_file(session, data, mapping=mapping)
    return preview_file(session, file, today=today, date_order=date_order, progress=progress)


def open_import_file(
    session: Session, data: bytes, *, mapping: Mapping[str, str] | None = None
) -> ImportFile:
    """Read the file and recognise its columns; the date order is guessed with the
    organisation's country."""
    session.require(Permission.IMPORT)
    return read_import_file(data, mapping=mapping, country=_country(session))


def preview_file(
    session: Session,
    file: ImportFile,
    *,
    today: dt.date,
    date_order: str = "",
    progress: Progress | None = None,
) -> ImportPreview:
    session.require(Permission.IMPORT)
    if date_order and date_order not in DATE_ORDERS:
        raise ValidationError({"date_order": _("Choose how the file writes its dates.")})
    order = date_order or file.date_order
    table = file.table
    if not file.recognised:
        raise ShelterDeskError(
            _("The file has no HTCDS column that Shelter Desk knows; nothing can be imported.")
        )
    preview = ImportPreview(rows=len(table.rows), date_order=order, file=file)
    preview.ignored_columns = [
        c.header for c in file.columns if c.header and c.match.kind == "unknown"
    ]
    preview.not_imported_columns = [
        c.header for c in file.columns if c.match.kind == "not_imported"
    ]
    reader = _RowReader(session, file, order, today)
    seen = _existing_refs(session)
    total = len(table.rows)
    for index, (number, row) in enumerate(zip(table.row_numbers, table.rows, strict=True)):
        values = reader.cells(row)
        ref = reader.ref(row, values)
        if ref in seen:
            preview.already_imported += 1
            continue
        ready, problems = reader.dry_run(number, values, ref)
        if ready is not None:
            seen.add(ref)
            preview.ready.append(ready)
        preview.problems.extend(problems)
        if progress is not None and index % _BATCH == 0:
            progress(index, total)
    preview.likely_duplicates = _likely_duplicates(session, preview.ready)
    if progress is not None:
        progress(total, total)
    return preview


def commit_htcds(
    session: Session,
    data: bytes,
    *,
    today: dt.date | None = None,
    date_order: str = "",
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> int:
    """Import every new row in one transaction; nothing when any row has an error (then a
    ValidationError says how many rows are bad). Returns the number of cases imported."""
    today = today or dt.date.today()
    preview = preview_htcds(session, data, today=today, date_order=date_order, mapping=mapping)
    return commit_preview(session, preview, today=today, progress=progress)


def commit_preview(
    session: Session,
    preview: ImportPreview,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> int:
    """Write a preview's ready rows (all or nothing). Rows that another import wrote since
    the preview are skipped."""
    session.require(Permission.IMPORT)
    if preview.problems:
        session.audit(Action.IMPORT_REFUSED, "htcds", str(preview.bad))
        message = ngettext(
            "{count} row has errors; nothing was imported.",
            "{count} rows have errors; nothing was imported.",
            preview.bad,
        ).format(count=preview.bad)
        raise ValidationError({"file": message})
    return write_rows(session, preview.ready, progress=progress)
