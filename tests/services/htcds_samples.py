"""Synthetic HTCDS files built at test time from IOM's real toolkit files.

The toolkit (``../shared/standards/htcds`` beside the clone) is not part of the repository;
``toolkit()`` skips a test with the reason when it is absent. The people are invented:
names from short lists, dates from the row number. Each sample row is unique (names and
birth date), so no row fingerprint repeats within a file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

HTCDS_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "standards" / "htcds"
TEMPLATE = "htcds-2.0-spreadsheet.xlsx"
SINGLE_SELECT = "htcds-2.0-spreadsheet-single-select.xlsx"
XLSFORM = "htcds-2.0-xlsform.xlsx"

FIRST = ("Amira", "Nino", "Olga", "Fatima", "Leila", "Mariam", "Sara", "Irina", "Hana", "Dina")
SECOND = ("Haddad", "Beridze", "Kovalenko", "Nasser", "Khoury", "Levi", "Petrova", "Saleh")
FIRST_AR = ("أمينة", "فاطمة", "ليلى", "مريم", "سارة", "هناء", "دينا", "نور", "رنا", "سلمى")
SECOND_AR = ("حداد", "ناصر", "خوري", "صالح", "الحسن", "عيسى", "منصور", "يوسف")
STATUSES = ("Active", "Active", "FollowUp", "Closed", "Active")
TRAFFICKING = ("PossibleVictimOfTrafficking", "ActualVictimOfTrafficking")
DECISION_ORGS = ("Police", "NGO", "CourtOrProsecution", "NonPoliceGovernmentalOrganization")
CONTROL = ("PhysicalThreats", "FalsePromises", "WithholdsDocuments", "TakesEarnings")
EXPLOITATION = ("ForcedLabour", "ForcedBegging", "Servitude", "ForcedMarriage")
CITIZENSHIP = ("SY", "GE", "UA", "JO", "IL", "ET")


def toolkit() -> Path:
    """The IOM toolkit folder, or the test is skipped with the reason."""
    if not (HTCDS_DIR / TEMPLATE).exists():
        pytest.skip(f"IOM's HTCDS toolkit is not beside the clone ({HTCDS_DIR.resolve()})")
    return HTCDS_DIR


@dataclass(frozen=True)
class Sample:
    first: str
    second: str
    gender: str
    citizenship: str
    consent: bool
    birth: dt.date
    status: str
    trafficking_status: str
    decision_org: str
    exploitation: tuple[str, ...]
    control: tuple[str, ...]
    referral_date: dt.date


def samples(count: int, *, arabic: bool = False, without_consent: int = 12) -> list[Sample]:
    """``count`` invented cases; the last ``without_consent`` of every 50 have no consent."""
    firsts, seconds = (FIRST_AR, SECOND_AR) if arabic else (FIRST, SECOND)
    combos = len(firsts) * len(seconds)
    found = []
    for i in range(count):
        found.append(
            Sample(
                first=firsts[i % len(firsts)],
                second=seconds[(i // len(firsts)) % len(seconds)],
                gender="Feminine" if i % 4 else "Masculine",
                citizenship=CITIZENSHIP[i % len(CITIZENSHIP)],
                consent=i % 50 < 50 - without_consent,
                birth=dt.date(1975, 1, 1) + dt.timedelta(days=(i // combos) + 37 * (i % 97)),
                status=STATUSES[i % len(STATUSES)],
                trafficking_status=TRAFFICKING[i % 2],
                decision_org=DECISION_ORGS[i % len(DECISION_ORGS)],
                exploitation=(EXPLOITATION[i % 4],)
                + ((EXPLOITATION[(i + 1) % 4],) if i % 3 else ()),
                control=(CONTROL[i % 4], CONTROL[(i + 2) % 4]),
                referral_date=dt.date(2025, 1, 1) + dt.timedelta(days=i % 300),
            )
        )
    return found


def _template_columns(sheet: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, int]:
    return {str(c.value): c.column for c in sheet[1] if c.value}


def _load(path: Path) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl: "Data Validation extension is not supported"
        return openpyxl.load_workbook(path)


def filled_template(rows: list[Sample]) -> bytes:
    """IOM's plain Excel template with the rows typed in below its label row (value names,
    multi-selects separated by "; ", Excel dates and TRUE/FALSE)."""
    book = _load(toolkit() / TEMPLATE)
    sheet = book.worksheets[0]
    col = _template_columns(sheet)
    for i, s in enumerate(rows):
        r = 3 + i
        values: dict[str, object] = {
            "prs_FirstName": s.first,
            "prs_SecondName": s.second,
            "con_Consent": s.consent,
            "prs_Birthdate": s.birth,
            "prs_Gender": s.gender,
            "prs_Citizenship": s.citizenship,
            "vic_TraffickingStatus": s.trafficking_status,
            "vic_TraffickinStatusDecisionMakingOrg": s.decision_org,
            "vic_MethodsOfControl": "; ".join(s.control),
            "vic_TypeOfExploitation": "; ".join(s.exploitation),
            "cas_Status": s.status,
            "cas_IncomingReferralDate": s.referral_date,
            "cas_ReasonForCaseClosure": "SupportCompleted" if s.status == "Closed" else None,
        }
        for name, value in values.items():
            sheet.cell(row=r, column=col[name], value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def validation_lists() -> dict[str, list[str]]:
    """The single-select template's validation lists: list title -> labels."""
    sheet = _load(toolkit() / SINGLE_SELECT)["validation"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    lists: dict[str, list[str]] = {}
    for j, title in enumerate(rows[0]):
        if title:
            lists[str(title)] = [str(r[j]) for r in rows[1:] if r[j] is not None]
    return lists


def filled_single_select(count: int) -> bytes:
    """IOM's single-select template filled with labels picked from its own validation lists
    ("Forced labour", "Follow up", "Possible victim of trafficking", country names)."""
    lists = validation_lists()
    book = _load(toolkit() / SINGLE_SELECT)
    sheet = book["Case Sheet"]
    col = _template_columns(sheet)
    picks = {
        "prs_Gender": "Gender",
        "prs_Citizenship": "Country",
        "vic_MethodsOfControl": "Methods of Control",
        "vic_TypeOfExploitation": "Type of Exploitation",
        "vic_TraffickingStatus": "Trafficking Status",
        "vic_TraffickinStatusDecisionMakingOrg": "Trafficking Status Decision Making Organization",
        "vic_MethodOfRecruitment": "Method of Recruitment",
    }
    for i, s in enumerate(samples(count)):
        r = 3 + i
        sheet.cell(row=r, column=col["prs_FirstName"], value=s.first)
        sheet.cell(row=r, column=col["prs_SecondName"], value=s.second)
        sheet.cell(row=r, column=col["con_Consent"], value=s.consent)
        sheet.cell(row=r, column=col["cas_IncomingReferralDate"], value=s.referral_date)
        status = ("Active", "Follow up")[i % 2]
        sheet.cell(row=r, column=col["cas_Status"], value=status)
        for name, title in picks.items():
            labels = lists[title]
            sheet.cell(row=r, column=col[name], value=labels[(i * 7) % len(labels)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsform_fields() -> list[tuple[str, str]]:
    """(type, name) of every question of IOM's XLSForm, in its order."""
    sheet = _load(toolkit() / XLSFORM)["survey"]
    return [(str(t), str(n)) for t, n, *_rest in sheet.iter_rows(min_row=2, values_only=True) if n]


def kobo_rows(rows: list[Sample], *, group: str = "") -> tuple[list[str], list[list[str]]]:
    """A KoBoToolbox export of IOM's XLSForm: its field names (inside ``group`` when given),
    select-multiples space-separated plus one 0/1 column per choice picked, and KoBo's meta
    columns (``_uuid``, ``_submission_time``...)."""
    values_of = {
        "prs_First_Name": lambda s: s.first,
        "prs_Second_Name": lambda s: s.second,
        "con_Consent": lambda s: "TRUE" if s.consent else "FALSE",
        "prs_Birthdate": lambda s: s.birth.isoformat(),
        "prs_Gender": lambda s: s.gender,
        "prs_Citizenship": lambda s: s.citizenship,
        "vic_TraffickingStatus": lambda s: s.trafficking_status,
        "vic_TraffickingStatusDecisionMakingOrg": lambda s: s.decision_org,
        "vic_Methods_of_Control": lambda s: " ".join(s.control),
        "vic_TypeOfExploitation": lambda s: " ".join(s.exploitation),
        "cas_Status": lambda s: "Active" if s.status == "Closed" else s.status,
        "cas_IncomingReferralDate": lambda s: s.referral_date.isoformat(),
    }
    prefix = f"{group}/" if group else ""
    header: list[str] = []
    fields = xlsform_fields()
    for kind, name in fields:
        if kind == "calculate":
            continue
        header.append(name if kind in ("start", "end") else prefix + name)
        if name == "vic_Methods_of_Control":
            header += [f"{prefix}{name}/{c}" for c in CONTROL]
    meta = ["_id", "_uuid", "_submission_time", "_validation_status", "_status", "__version__"]
    header += [*meta, "_index"]
    lines = []
    for i, s in enumerate(rows):
        line = []
        for kind, name in fields:
            if kind == "calculate":
                continue
            if kind in ("start", "end"):
                line.append("2026-11-20T10:00:00.000+03:00")
                continue
            line.append(values_of[name](s) if name in values_of else "")
            if name == "vic_Methods_of_Control":
                line += ["1" if c in s.control else "0" for c in CONTROL]
        line += [
            str(1000 + i),
            str(uuid.UUID(int=i + 1)),
            "2026-11-20T10:00:00",
            "",
            "submitted_via_web",
            "vSmt4GQA3C9uBMLPEVfgND",
            str(i + 1),
        ]
        lines.append(line)
    return header, lines


def csv_bytes(
    header: list[str], lines: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(lines)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(header: list[str], lines: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for line in lines:
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def excel_locale_csv(rows: list[Sample], *, encoding: str = "cp1256") -> bytes:
    """What Excel in an Arabic (or European) locale saves as "CSV": ";" between cells, the
    Windows code page, day-first dates, the template's field names."""
    header = [
        "prs_FirstName",
        "prs_SecondName",
        "con_Consent",
        "prs_Birthdate",
        "prs_Gender",
        "prs_Citizenship",
        "vic_TypeOfExploitation",
        "cas_IncomingReferralDate",
    ]
    lines = [
        [
            s.first,
            s.second,
            "TRUE" if s.consent else "FALSE",
            s.birth.strftime("%d/%m/%Y"),
            s.gender,
            s.citizenship,
            ",".join(s.exploitation),
            s.referral_date.strftime("%d/%m/%Y"),
        ]
        for s in rows
    ]
    return csv_bytes(header, lines, delimiter=";", encoding=encoding)
