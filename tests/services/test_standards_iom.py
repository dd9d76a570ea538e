"""IOM's own HTCDS files import every good row (issue 13): the Excel template filled in as it
comes, the single-select template (labels), KoBo exports of IOM's XLSForm (CSV and XLSX, with
and without a group prefix), and what Excel saves in an Arabic locale (";", Windows-1256,
day-first dates). The files are built at test time from the toolkit beside the clone."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from shelter_desk.services import cases
from shelter_desk.services.session import Session
from shelter_desk.services.standards import htcds_import as imports
from tests.services import htcds_samples as hs
from tests.services.case_helpers import TODAY
from tests.services.test_imports import second_session

__all__ = ["second_session"]  # the fixture, used by name


def all_cases(session: Session) -> list[cases.CaseFile]:
    return [cases.load_case(session, r.id) for r in session.records.of_entity("case")]


def _check_fifty(session: Session, data: bytes) -> imports.ImportPreview:
    preview = imports.preview_htcds(session, data, today=TODAY)
    assert preview.problems == []
    assert (preview.rows, preview.ok, preview.bad) == (50, 50, 0)
    return preview


def test_iom_excel_template_filled_in_imports_all_fifty_rows(second_session: Session) -> None:
    rows = hs.samples(50)
    data = hs.filled_template(rows)
    preview = _check_fifty(second_session, data)
    assert preview.file is not None and preview.file.table.kind == "xlsx"
    assert preview.ignored_columns == []  # the hidden name row is the header, not the labels
    assert "prs_Email" in preview.not_imported_columns
    ready = preview.ready
    # IOM's typo vic_TraffickinStatusDecisionMakingOrg is the decision-making organisation.
    assert [r.case.trafficking_status_decision_org for r in ready] == [s.decision_org for s in rows]
    assert [r.person.birth_date for r in ready] == [s.birth for s in rows]
    assert [r.intake.methods_of_control for r in ready] == [s.control for s in rows]
    assert [r.row for r in ready] == list(range(3, 53))  # below the name and label rows
    assert imports.commit_preview(second_session, preview, today=TODAY) == 50
    cases_now = all_cases(second_session)
    assert Counter(cf.case.status for cf in cases_now) == Counter(s.status for s in rows)
    closed = [cf for cf in cases_now if cf.case.status == "Closed"]
    assert closed and all(cf.case.closure_reason == "SupportCompleted" for cf in closed)


def test_iom_single_select_template_with_labels_imports_all_rows(second_session: Session) -> None:
    preview = _check_fifty(second_session, hs.filled_single_select(50))
    statuses = {r.case.status for r in preview.ready}
    assert statuses == {"Active", "FollowUp"}  # "Follow up" is a label
    lists = hs.validation_lists()
    first = preview.ready[0]
    assert lists["Type of Exploitation"][0] == "Forced labour"
    assert first.intake.exploitation_types == ("ForcedLabour",)
    assert first.case.trafficking_status == "PossibleVictimOfTrafficking"
    assert first.person.citizenships == ("AF",)  # "Afghanistan"
    # Labels with a comma are one value ("Korea, Republic of"), not two.
    assert all(len(r.person.citizenships) == 1 for r in preview.ready)


@pytest.mark.parametrize("group", ["", "group_case"])
def test_kobo_csv_export_of_iom_xlsform_imports_all_rows(
    second_session: Session, group: str
) -> None:
    rows = hs.samples(50)
    header, lines = hs.kobo_rows(rows, group=group)
    assert "prs_First_Name" in "".join(header) and "vic_Methods_of_Control" in "".join(header)
    preview = _check_fifty(second_session, hs.csv_bytes(header, lines, delimiter=";"))
    ready = preview.ready
    assert [r.person.first_name for r in ready] == [s.first for s in rows]
    assert [r.intake.methods_of_control for r in ready] == [s.control for s in rows]
    assert [r.intake.exploitation_types for r in ready] == [s.exploitation for s in rows]
    assert [r.case.trafficking_status_decision_org for r in ready] == [s.decision_org for s in rows]
    assert [r.intake.source_ref for r in ready][:1] == ["kobo:00000000-0000-0000-0000-000000000001"]
    assert preview.ignored_columns == []  # KoBo's meta columns are known


def test_kobo_xlsx_export_without_the_multi_select_column_uses_the_choice_columns(
    second_session: Session,
) -> None:
    rows = hs.samples(50)
    header, lines = hs.kobo_rows(rows)
    drop = header.index("vic_Methods_of_Control")
    header = header[:drop] + header[drop + 1 :]
    lines = [line[:drop] + line[drop + 1 :] for line in lines]
    preview = _check_fifty(second_session, hs.xlsx_bytes(header, lines))
    assert [set(r.intake.methods_of_control) for r in preview.ready] == [
        set(s.control) for s in rows
    ]


def test_excel_csv_in_an_arabic_locale_imports_all_rows(second_session: Session) -> None:
    rows = hs.samples(50, arabic=True)
    preview = _check_fifty(second_session, hs.excel_locale_csv(rows, encoding="cp1256"))
    assert preview.file is not None
    table = preview.file.table
    assert (table.encoding, table.delimiter) == ("cp1256", ";")
    assert preview.date_order == "dmy"  # 13/01/2025 and later: the day comes first
    assert [r.person.first_name for r in preview.ready] == [s.first for s in rows]
    assert [r.intake.intake_date for r in preview.ready] == [s.referral_date for s in rows]


@pytest.mark.parametrize("encoding", ["cp1255", "cp1251", "cp1252", "utf-16", "utf-8-sig"])
def test_other_excel_encodings_are_recognised(second_session: Session, encoding: str) -> None:
    names = {
        "cp1255": ("שרה", "לוי"),
        "cp1251": ("Ольга", "Иванова"),
        "cp1252": ("Hélène", "Müller"),
        "utf-16": ("Нино", "ბერიძე"),
        "utf-8-sig": ("أمينة", "Ševčík"),
    }[encoding]
    rows = [
        dataclasses.replace(s, first=names[0] + names[0][: i % 3], second=names[1])
        for i, s in enumerate(hs.samples(50))
    ]
    preview = _check_fifty(second_session, hs.excel_locale_csv(rows, encoding=encoding))
    assert preview.file is not None
    expected = {"utf-8-sig": "utf-8"}.get(encoding, encoding)
    assert preview.file.table.encoding == expected
    assert [r.person.first_name for r in preview.ready] == [s.first for s in rows]
