"""The HTCDS export on real encrypted installations (CTDC: test_standards_export_ctdc.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from shelter_desk.domain.entities import Person
from shelter_desk.domain.errors import PermissionDenied
from shelter_desk.services import cases, users
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from shelter_desk.services.standards import ctdc, htcds_fields
from shelter_desk.services.standards import htcds_export as exports
from tests.services.case_helpers import TODAY, consent, intake

NARRATIVE = "He locked us in the basement of the bakery"


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def open_two_cases(session: Session) -> None:
    cases.open_case(
        session,
        Person(
            first_name="فاطمة",
            first_name_latin="Fatima",
            second_name="الحسن",
            gender="Feminine",
            citizenships=("SY",),
            birth_date=dt.date(1999, 4, 2),
        ),
        intake(
            exploitation_types=("SexualExploitation",),
            sex_exploitation_types=("Prostitution",),
            methods_of_control=("DebtBondage", "WithholdsDocuments"),
            narrative=NARRATIVE,
        ),
        consent(),
        today=TODAY,
    )
    cases.open_case(
        session,
        Person(
            first_name="Ольга",
            first_name_latin="Olga",
            gender="Feminine",
            citizenships=("UA", "MD"),
            estimated_birth_year=1988,
        ),
        intake(
            exploitation_types=("ForcedLabour", "ForcedBegging"),
            forced_labour_industry="T_ActivitiesOfHouseholdsAsEmployers",
            narrative=NARRATIVE,
        ),
        consent(sharing_level="NotShared"),
        today=TODAY,
    )


def test_htcds_export_has_prefixed_columns_bom_and_no_free_text(
    admin_session: Session, tmp_path: Path
) -> None:
    open_two_cases(admin_session)
    out = tmp_path / "htcds.csv"
    assert exports.export_htcds(admin_session, out) == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert NARRATIVE.encode() not in raw
    rows = _rows(out)
    assert [r["prs_FirstName"] for r in rows] == ["فاطمة", "Ольга"]
    assert rows[0]["vic_TypeOfSexExploitation"] == "Prostitution"
    assert rows[0]["vic_MethodsOfControl"] == "DebtBondage;WithholdsDocuments"
    assert rows[1]["prs_Citizenship"] == "UA;MD"
    assert rows[1]["vic_TypeOfExploitation"] == "ForcedLabour;ForcedBegging"
    assert rows[0]["prs_Birthdate"] == "1999-04-02"
    assert all(name.startswith(("prs_", "cas_", "vic_", "sd_", "con_")) for name in rows[0])
    assert rows[0]["cas_CaseOwner"] == admin_session.user.display_name  # a name, not an id
    assert admin_session.user.id not in raw.decode("utf-8-sig")
    events = [e.action for e in admin_session.audit_log.events()]
    assert events[-1] == "export"


def test_export_needs_the_export_permission(admin_session: Session, tmp_path: Path) -> None:
    users.add_user(admin_session, "bob", "caseworker", "granite meadow violin ninety")
    bob = admin_session.installation.unlock("bob", "granite meadow violin ninety")
    with pytest.raises(PermissionDenied):
        exports.export_htcds(bob, tmp_path / "x.csv")
    with pytest.raises(PermissionDenied):
        ctdc.export_ctdc(bob, tmp_path / "y.csv")
    assert not (tmp_path / "x.csv").exists()
    assert not (tmp_path / "y.csv").exists()


def test_an_empty_installation_exports_the_header_only(tmp_path: Path) -> None:
    inst = Installation(tmp_path / "other")
    session, _recovery = inst.create(
        org_name="Other", admin="nino", passphrase="copper kettle winter orchard"
    )
    try:
        data, count = exports.htcds_csv(session)
    finally:
        session.lock()
        inst.release()
    assert count == 0
    header = data.decode("utf-8-sig").splitlines()
    assert header == [",".join(exports.case_columns())]
    assert {c.name for c in htcds_fields.HTCDS_COLUMNS} < set(header[0].split(","))
