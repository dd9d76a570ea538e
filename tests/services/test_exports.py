"""HTCDS and CTDC exports on real encrypted installations."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from pathlib import Path

import pytest

from shelter_desk.domain.entities import Person, TraffickingEvent
from shelter_desk.domain.errors import PermissionDenied
from shelter_desk.services import cases, exports, users
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from shelter_desk.services.standards import htcds_fields
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
    assert all(name.startswith(("prs_", "cas_", "vic_", "sd_")) for name in rows[0])
    assert "cas_CaseOwner" not in rows[0]
    events = [e.action for e in admin_session.audit_log.events()]
    assert events[-1] == "export"


def test_export_needs_the_export_permission(admin_session: Session, tmp_path: Path) -> None:
    users.add_user(admin_session, "bob", "caseworker", "granite meadow violin ninety")
    bob = admin_session.installation.unlock("bob", "granite meadow violin ninety")
    with pytest.raises(PermissionDenied):
        exports.export_htcds(bob, tmp_path / "x.csv")
    with pytest.raises(PermissionDenied):
        exports.export_ctdc(bob, tmp_path / "y.csv")
    assert not (tmp_path / "x.csv").exists()
    assert not (tmp_path / "y.csv").exists()


def _statistics_case(
    session: Session, n: int, birth_year: int, citizenship: str, sharing: str
) -> cases.CaseFile:
    cf = cases.open_case(
        session,
        Person(
            first_name=f"Name{n:02d}",
            gender="Masculine",
            citizenships=(citizenship,),
            estimated_birth_year=birth_year,
        ),
        intake(methods_of_control=("TakesEarnings",), relationship_to_trafficker="Acquainted"),
        consent(sharing_level=sharing),
        today=TODAY,
    )
    return cf


def test_ctdc_export_consent_years_and_k_anonymity(admin_session: Session, tmp_path: Path) -> None:
    s = admin_session
    n = 0
    for _i in range(12):  # one large group: 30--38 from Sudan
        n += 1
        _statistics_case(s, n, 1990, "SD", "StatisticsOnly")
    for _i in range(2):
        n += 1
        _statistics_case(s, n, 1990, "SD", "Pseudonymised")
    for year in (2006, 2004, 2001, 1998, 1985, 1976, 1970, 2005, 2003, 2000, 1997, 1984, 1975):
        n += 1
        _statistics_case(s, n, year, "SD", "StatisticsOnly")
    for rare in ("ER", "ET", "SO"):
        n += 1
        _statistics_case(s, n, 1990, rare, "StatisticsOnly")
    for _i in range(5):
        n += 1
        _statistics_case(s, n, 1990, "UA", "NotShared")
    withdrawn = _statistics_case(s, 99, 1993, "SD", "StatisticsOnly")
    assert withdrawn.consent is not None
    cases.withdraw_consent(s, withdrawn.consent.id, withdrawn_on=TODAY)
    exploited = _statistics_case(s, 98, 1991, "SD", "Identified")
    cases.save_record(
        s,
        TraffickingEvent(
            case_id=exploited.case.id,
            event_type="Exploitation",
            event_date=dt.date(2025, 3, 1),
            country="IL",
        ),
        today=TODAY,
    )

    out = tmp_path / "ctdc.csv"
    result = exports.export_ctdc(s, out)
    assert result.without_consent == 6  # five NotShared, one withdrawn
    assert result.suppressed == 3  # the rare citizenships stay a group of three
    assert result.exported == 12 + 2 + 13 + 1
    assert result.generalised > 0
    text = out.read_bytes().decode("utf-8-sig")
    assert "Name" not in text
    assert "2026-" not in text and "2025" not in text and "1990" not in text
    rows = _rows(out)
    assert len(rows) == result.exported
    assert list(rows[0]) == list(exports.CTDC_COLUMNS)
    assert {r["yearOfRegistration"] for r in rows} == {"2026"}
    assert {r["citizenship"] for r in rows} <= {"SD", "-99"}
    assert not {"ER", "ET", "SO", "UA"} & {r["citizenship"] for r in rows}
    groups = Counter(tuple(r[c] for c in exports.QUASI_IDENTIFIERS) for r in rows)
    assert min(groups.values()) >= exports.K_ANONYMITY
    banded = [r for r in rows if r["ageBroad"] == "30--38"]
    assert len(banded) == 15  # with the one exploited in Israel
    assert {r["CountryOfExploitation"] for r in rows} == {"-99"}  # Israel was a single case
    assert {r["majorityStatus"] for r in rows} == {"Adult"}
    assert {r["meansOfControlTakesEarnings"] for r in rows} == {"1"}
    assert {r["meansOfControlDebtBondage"] for r in rows} == {"0"}
    assert {r["recruiterRelationFriend"] for r in rows} == {"1"}
    assert {r["isForcedLabour"] for r in rows} == {"1"}
    assert {r["typeOfSexProstitution"] for r in rows} == {"-99"}


def test_ctdc_row_flags_and_ages() -> None:
    cf = cases.CaseFile(
        case=cases.Case(opened_on=dt.date(2026, 1, 5)),
        person=Person(birth_date=dt.date(2010, 6, 1), gender="Feminine"),
        intakes=[
            intake(
                exploitation_types=("ForcedLabour", "SexualExploitation"),
                sex_exploitation_types=("Pornography",),
                trafficking_began_on=dt.date(2024, 1, 1),
            )
        ],
    )
    row = exports.ctdc_row(cf)
    assert row["ageBroad"] == "9--17"
    assert row["majorityStatus"] == "Minor"
    assert row["majorityEntry"] == "Minor"
    assert row["gender"] == "Woman"
    assert row["isSexAndLabour"] == 1
    assert row["typeOfSexPornography"] == 1
    assert row["typeOfSexProstitution"] == 0
    assert row["meansOfControlDebtBondage"] == exports.MISSING
    assert row["citizenship"] == exports.MISSING
    assert exports.age_broad(48) == "48+"
    assert exports.age_broad(0) == "0--8"


def test_k_anonymise_suppresses_what_it_cannot_generalise() -> None:
    base: exports.CtdcRow = {c: "x" for c in exports.CTDC_COLUMNS}
    rows = [dict(base, citizenship="SD", ageBroad="18--20") for _ in range(11)]
    rows.append(dict(base, citizenship="SD", ageBroad="48+", yearOfRegistration="2020"))
    kept, generalised, suppressed = exports.k_anonymise(rows, 11)
    assert len(kept) == 11 and suppressed == 1 and generalised == 0
    assert all(r["ageBroad"] == "18--20" for r in kept)


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
    assert data.decode("utf-8-sig").splitlines() == [
        ",".join([c.name for c in htcds_fields.HTCDS_COLUMNS] + ["vic_AgeWhenTrafficked"])
    ]
