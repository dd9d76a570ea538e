"""The HTCDS export holds the current HTCDS 2.0 fields, its related tables and HTCDS values."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from shelter_desk.domain.entities import (
    Contact,
    IdentityDocument,
    Organisation,
    Person,
    Referral,
    SupportObjective,
    TraffickingEvent,
)
from shelter_desk.domain.errors import ValidationError
from shelter_desk.services import cases
from shelter_desk.services.session import Session
from shelter_desk.services.standards import htcds_export as exports
from shelter_desk.services.standards import htcds_import as imports
from shelter_desk.services.standards.htcds_reference import (
    CURRENT_FIELD_NAMES,
    PICKLISTS,
    language_639_1,
    language_639_2,
)
from tests.services.case_helpers import TODAY, consent, intake

REPO = Path(__file__).resolve().parents[2]
FIELD_TABLE = REPO.parent / "shared" / "standards" / "htcds" / "htcds-2.0-fields.tsv"
DAY = dt.date(2026, 3, 2)


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def _full_case(session: Session) -> cases.CaseFile:
    partner = Organisation(
        name="Tbilisi Legal Aid",
        type="InternationalOrganisation",  # a Shelter Desk type: no HTCDS value fits
        country="GE",
        city="Tbilisi",
        street="Rustaveli 1",
        state="Tbilisi",
        postal_code="0108",
        latitude=41.69,
        longitude=44.80,
        phone="+995 32 200 00 00",
    )
    cases.save_organisation(session, partner, today=TODAY)
    cf = cases.open_case(
        session,
        Person(
            salutation="Ms",
            title="Seamstress",
            first_name="ნინო",
            middle_name="ანა",
            second_name="ბერიძე",
            first_name_latin="Nino",
            birth_date=dt.date(2001, 5, 6),
            gender="Feminine",
            marital_status="Single",
            number_of_children=1,
            primary_language="ka",
            secondary_language="ru",
            education_level="NoFormalEducation",
            citizenships=("GE",),
            documents=(IdentityDocument(document_type="Passport", number="13AB45678"),),
            contacts=(
                Contact(contact_type="Email", value="nino@example.org"),
                Contact(contact_type="HomePhone", value="+995 32 211 11 11"),
                Contact(contact_type="MobilePhone", value="+995 555 12 34 56"),
            ),
            street="Chavchavadze 5",
            city="Batumi",
            state="Adjara",
            postal_code="6000",
            country="GE",
        ),
        intake(
            exploitation_types=("ForcedLabour", "SexualExploitation"),
            forced_labour_industry="C_Manufacturing",
            sex_exploitation_types=("Prostitution",),
            methods_of_control=("DebtBondage",),
            recruitment_methods=("ThroughOnlineSocialNetworks",),
            recruitment_websites=("FourSale", "Telegram"),
            exploitation_websites=("WhatsApp",),
            relationship_to_trafficker="Acquainted",
            referring_org_id=partner.id,
            trafficking_began_on=dt.date(2024, 1, 10),
        ),
        consent(share_with_partners=True),
        today=TODAY,
    )
    cid = cf.case.id
    for kind, city in (("Recruitment", "Batumi"), ("Exploitation", "Istanbul")):
        event = TraffickingEvent(
            case_id=cid,
            event_type=kind,
            event_date=DAY,
            street="Street 1",
            city=city,
            state="Region",
            postal_code="1000",
            country="GE" if kind == "Recruitment" else "TR",
            latitude=41.0,
            longitude=29.0,
            description="Bus station",
        )
        cases.save_record(session, event, today=TODAY)
    objective = SupportObjective(
        case_id=cid,
        objective_type="Legal",
        objective="Residence permit",
        action="Lawyer appointment",
        planned_end_on=DAY,
        actual_end_on=DAY,
    )
    cases.save_record(session, objective, today=TODAY)
    own = session.org_id
    for sent in (
        Referral(case_id=cid, from_org_id=partner.id, to_org_id=own, caseworker="Eka"),
        Referral(case_id=cid, from_org_id=own, to_org_id=partner.id, caseworker="Levan"),
    ):
        sent.referred_on, sent.reason, sent.details = DAY, "AdditionalServicesRequired", "Visa"
        cases.save_record(session, sent, today=TODAY)
    cases.decide_trafficking_status(
        session, cid, "ActualVictimOfTrafficking", decision_org="NGO", today=TODAY
    )
    cases.close_case(session, cid, "SupportCompleted", closed_on=TODAY, today=TODAY)
    return cf


def test_the_committed_field_list_is_the_field_tables_current_fields() -> None:
    if not FIELD_TABLE.is_file():
        pytest.skip(f"HTCDS field table not found at {FIELD_TABLE} (../shared beside the clone)")
    current = []
    for line in FIELD_TABLE.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) > 7 and cells[1] == "DRAFT" and cells[6]:
            current.append(cells[6])
    assert tuple(current) == CURRENT_FIELD_NAMES
    assert len(CURRENT_FIELD_NAMES) == 80


def test_the_export_holds_at_least_72_of_the_80_current_fields_filled(
    admin_session: Session, tmp_path: Path
) -> None:
    _full_case(admin_session)
    tables = exports.htcds_tables(admin_session)
    filled: set[str] = set()
    for table in tables:
        for row in table.rows:
            filled |= {n for n, v in zip(table.header, row, strict=True) if v not in (None, "", ())}
    held = filled & set(CURRENT_FIELD_NAMES)
    assert len(held) >= 72, sorted(set(CURRENT_FIELD_NAMES) - held)
    assert [t.name for t in tables] == [
        "cases",
        "referrals",
        "trafficking_events",
        "support_plan",
        "organisations",
    ]


def test_values_are_htcds_values_languages_iso_639_2(
    admin_session: Session, tmp_path: Path
) -> None:
    _full_case(admin_session)
    out = tmp_path / "htcds.csv"
    assert exports.export_htcds(admin_session, out) == 1
    (row,) = _csv(out.read_bytes())
    assert row["prs_PrimaryLanguage"] == "kat" and row["prs_SecondaryLanguage"] == "rus"
    assert row["prs_HighestLevelOfEducation"] == "EarlyChildhoodEducation"
    assert row["vic_RecruitmentWebsitesAndApps"] == "4Sale;Telegram"
    assert row["con_Consent"] == "true"
    assert row["cas_ReferringOrganisation"] == "Tbilisi Legal Aid"
    assert row["cas_ReferringPrimaryCaseWorker"] == "Eka"
    assert row["cas_ReferredPrimaryCaseWorker"] == "Levan"
    assert row["vic_LocationOfExploitation"] == "Istanbul, Region, TR"
    assert row["prs_IdentityNumber"] == "13AB45678"
    for name, allowed in PICKLISTS.items():
        for value in filter(None, row.get(name, "").split(";")):
            assert value in allowed, (name, value)
    organisations = _csv(exports.table_path(out, "organisations").read_bytes())
    assert organisations[0]["org_Name"] == admin_session.org_name
    assert organisations[1]["org_Type"] == ""  # no HTCDS organisation type fits, none invented
    assert organisations[1]["org_ShippingLatitude"] == "41.69"
    events = _csv(exports.table_path(out, "trafficking_events").read_bytes())
    assert [e["hte_Type"] for e in events] == ["Recruitment", "Exploitation"]
    assert {e[exports.CASE_KEY] for e in events} == {row[exports.CASE_KEY]}
    referrals = _csv(exports.table_path(out, "referrals").read_bytes())
    assert [r["cas_ReferringOrganisation"] for r in referrals] == ["Tbilisi Legal Aid", ""]
    plan = _csv(exports.table_path(out, "support_plan").read_bytes())
    assert plan[0]["spl_Type"] == "Legal"


def test_xlsx_is_iom_template_layout_and_text_stays_text(
    admin_session: Session, tmp_path: Path
) -> None:
    cf = _full_case(admin_session)
    person = cf.person
    person.title = "=HYPERLINK(1)"
    cases.save_person(admin_session, person, today=TODAY)
    out = tmp_path / "htcds.xlsx"
    assert exports.export_htcds(admin_session, out) == 1
    assert not list(tmp_path.glob("htcds-*"))  # one workbook, no side files
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [t.name for t in exports.htcds_tables(admin_session)]
    sheet = book["cases"]
    assert sheet.row_dimensions[1].hidden
    names = [c.value for c in sheet[1]][1:]
    labels = [c.value for c in sheet[2]][1:]
    assert names == list(exports.case_columns())
    assert labels[names.index("prs_FirstName")] == "First Name"
    cells = dict(zip(names, [c for c in sheet[3]][1:], strict=True))
    assert sheet["A3"].value == 1
    assert cells["prs_Title"].value == "=HYPERLINK(1)" and cells["prs_Title"].data_type == "s"
    assert cells["prs_Birthdate"].value.date() == dt.date(2001, 5, 6)
    assert cells["con_Consent"].value is True


def test_refused_consent_is_exported_back_as_false(admin_session: Session) -> None:
    data = (
        b"con_Consent,prs_FirstName,prs_Gender,sd_IntakeDate\r\n"
        b"FALSE,Salma,Feminine,2026-01-02\r\n"
        b"TRUE,Dana,Feminine,2026-01-02\r\n"
    )
    assert imports.commit_htcds(admin_session, data, today=TODAY) == 2
    csv_data, count = exports.htcds_csv(admin_session)
    rows = {r["prs_FirstName"]: r for r in _csv(csv_data)}
    assert count == 2
    assert rows["Salma"]["con_Consent"].upper() == "FALSE"
    assert rows["Dana"]["con_Consent"].upper() == "TRUE"


def test_a_refused_export_writes_no_file_at_all(admin_session: Session, tmp_path: Path) -> None:
    _full_case(admin_session)
    folder = tmp_path / "out"
    folder.mkdir()
    for fmt in (exports.CSV, exports.XLSX):
        with pytest.raises(ValidationError):
            exports.export_htcds(admin_session, folder / "htcds", passphrase="abc", fmt=fmt)
    assert list(folder.iterdir()) == []


def test_the_xlsx_export_imports_back_without_errors(
    admin_session: Session, tmp_path: Path
) -> None:
    cf = _full_case(admin_session)
    assert cf.intake is not None and "FourSale" in cf.intake.recruitment_websites  # as 4Sale
    out = tmp_path / "htcds.xlsx"
    exports.export_htcds(admin_session, out)
    preview = imports.preview_htcds(admin_session, out.read_bytes(), today=TODAY)
    assert (preview.rows, preview.bad) == (1, 0), preview.problems


def test_iso_639_codes_both_ways() -> None:
    assert [language_639_2(c) for c in ("ar", "he", "ka", "ru", "en", "")] == [
        "ara",
        "heb",
        "kat",
        "rus",
        "eng",
        "",
    ]
    assert [language_639_1(c) for c in ("kat", "geo", "ara", "ger", "xyz")] == [
        "ka",
        "ka",
        "ar",
        "de",
        "xyz",
    ]


def test_the_workbook_never_touches_a_temporary_file(
    admin_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """openpyxl's own save writes every sheet, names and all, to a temporary file first."""
    from openpyxl.worksheet import _writer

    def refuse(suffix: str = "") -> None:
        raise AssertionError("a worksheet was written to a temporary file")

    monkeypatch.setattr(_writer, "create_temporary_file", refuse)
    _full_case(admin_session)
    out = tmp_path / "htcds.xlsx"
    assert exports.export_htcds(admin_session, out) == 1
    assert openpyxl.load_workbook(out)["cases"]["D3"].value is not None
