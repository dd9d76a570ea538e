"""The intake XLSForm converts with pyxform (as KoBo and ODK convert it), in five languages,
and the KoBo export of its submissions imports as it is."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
from pyxform.xls2xform import convert

from shelter_desk.services import cases
from shelter_desk.services.session import Session
from shelter_desk.services.standards import htcds_import, xlsform
from shelter_desk.services.standards.htcds_fields import HTCDS_COLUMNS
from tests.services.case_helpers import TODAY

ARABIC = re.compile(r"[\u0600-\u06ff]")


def _sheet(data: bytes, name: str) -> list[dict[str, object]]:
    rows = list(openpyxl.load_workbook(io.BytesIO(data))[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_pyxform_converts_the_form_with_arabic_labels(tmp_path: Path) -> None:
    path = tmp_path / "intake.xlsx"
    path.write_bytes(xlsform.intake_xlsform(dt.date(2026, 5, 1)))
    result = convert(xlsform=str(path))
    assert result.warnings == []
    xform = result.xform
    for lang in ("English (en)", "Hebrew (he)", "Arabic (ar)", "Georgian (ka)", "Russian (ru)"):
        assert f'lang="{lang}"' in xform
    arabic = xform.split('lang="Arabic (ar)"')[1].split("</translation>")[0]
    assert ARABIC.search(arabic)
    assert ". &lt;= 2026" in xform  # the estimated birth year ends this year


def test_consent_first_and_nothing_asked_without_it() -> None:
    survey = _sheet(xlsform.intake_xlsform(), "survey")
    assert survey[0]["name"] == "con_Consent" and survey[0]["required"] == "yes"
    assert all(str(q["relevant"]).startswith("${con_Consent} = 'true'") for q in survey[1:])
    assert any(ARABIC.search(str(q["label::Arabic (ar)"])) for q in survey)
    industry = next(q for q in survey if q["name"] == "vic_ForcedLabourIndustry")
    assert "selected(${vic_TypeOfExploitation}, 'ForcedLabour')" in str(industry["relevant"])
    # every question is a column the HTCDS import reads
    imported = {c.name for c in HTCDS_COLUMNS} | {"con_Consent"}
    assert {str(q["name"]) for q in survey} <= imported
    choices = _sheet(xlsform.intake_xlsform(), "choices")
    genders = [c["name"] for c in choices if c["list_name"] == "GENDER"]
    assert genders[0] == "Feminine"


def test_a_kobo_export_of_the_form_imports(admin_session: Session) -> None:
    header = [
        "start",
        "end",
        "con_Consent",
        "sd_IntakeDate",
        "prs_FirstName",
        "prs_SecondName",
        "sd_FirstNameLatin",
        "sd_SecondNameLatin",
        "prs_Birthdate",
        "sd_EstimatedBirthYear",
        "prs_Gender",
        "prs_Citizenship",
        "prs_PrimaryLanguage",
        "sd_IdentificationSource",
        "vic_TypeOfExploitation",
        "vic_TypeOfExploitation/ForcedLabour",
        "vic_TypeOfExploitation/SexualExploitation",
        "vic_ForcedLabourIndustry",
        "vic_MethodsOfControl",
        "vic_RecruitmentWebsitesAndApps",
        "vic_RelationshipToTrafficker",
        "sd_TraffickingBeganOn",
        "_id",
        "_uuid",
        "_submission_time",
        "__version__",
    ]
    rows = [
        [
            "2026-11-01T10:00:00.000+02:00",
            "2026-11-01T10:20:00.000+02:00",
            "true",
            "2026-11-01",
            "ليلى",
            "حداد",
            "Layla",
            "Haddad",
            "2000-02-03",
            "",
            "Feminine",
            "SY LB",
            "ar",
            "NGO",
            "ForcedLabour",
            "1",
            "0",
            "T_ActivitiesOfHouseholdsAsEmployers",
            "WithholdsDocuments DebtBondage",
            "WhatsApp",
            "Acquainted",
            "2025-09-01",
            "101",
            "0f8fad5b-d9cb-469f-a165-70867728950e",
            "2026-11-01T08:21:00",
            "vAbc123",
        ]
    ]
    data = "\r\n".join(";".join(r) for r in [header, *rows]).encode("utf-8")
    preview = htcds_import.preview_htcds(admin_session, data, today=TODAY)
    assert (preview.ok, preview.bad) == (1, 0), preview.problems
    assert htcds_import.commit_htcds(admin_session, data, today=TODAY) == 1
    record = next(iter(admin_session.records.of_entity("case")))
    cf = cases.load_case(admin_session, record.id)
    assert cf.person.first_name == "ليلى" and cf.person.citizenships == ("SY", "LB")
    assert cf.intake is not None
    assert cf.intake.methods_of_control == ("WithholdsDocuments", "DebtBondage")
    assert cf.intake.recruitment_websites == ("WhatsApp",)
    assert cf.consent is not None
