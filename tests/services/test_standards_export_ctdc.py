"""The CTDC export: CTDC's column names, k = 11 over every quasi-identifier, and releases that
never reveal a case by their difference."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from pathlib import Path

from shelter_desk.domain.entities import Person, TraffickingEvent
from shelter_desk.services import cases
from shelter_desk.services.session import Session
from shelter_desk.services.standards import ctdc
from tests.services.case_helpers import TODAY, consent, intake

# The columns CTDC's k-anonymised global dataset has and the first CTDC export lacked.
ADDED_COLUMNS = {
    "isSexualExploit",
    "meansOfControlRestrictsMovement",
    "meansOfControlUsesChildren",
    "meansOfControlNotSpecified",
    "meansOfControlConcatenated",
    "typeOfExploitConcatenated",
    "typeOfLabourAquafarming",
    "typeOfLabourIllicitActivities",
    "typeOfLabourPeddling",
    "typeOfLabourNotSpecified",
    "typeOfLabourConcatenated",
    "typeOfSexConcatenated",
    "isAbduction",
    "RecruiterRelationship",
    "recruiterRelationIntimatePartner",
    "recruiterRelationUnknown",
}


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def _case(
    session: Session,
    n: int,
    birth_year: int,
    *,
    citizenship: str = "SD",
    sharing: str = "StatisticsOnly",
    began: dt.date | None = None,
) -> cases.CaseFile:
    return cases.open_case(
        session,
        Person(
            first_name=f"Name{n:02d}",
            gender="Masculine",
            citizenships=(citizenship,),
            estimated_birth_year=birth_year,
        ),
        intake(
            methods_of_control=("TakesEarnings",),
            relationship_to_trafficker="Acquainted",
            trafficking_began_on=began,
            trafficking_ended_on=TODAY if began else None,
            abducted=False,
        ),
        consent(sharing_level=sharing),
        today=TODAY,
    )


def _groups(rows: list[dict[str, str]], schema: str = ctdc.GLOBAL) -> Counter[tuple[str, ...]]:
    return Counter(tuple(r[c] for c in ctdc.QUASI_IDENTIFIERS[schema]) for r in rows)


def test_the_global_columns_are_ctdcs() -> None:
    assert len(ctdc.GLOBAL_COLUMNS) == len(set(ctdc.GLOBAL_COLUMNS)) == 63
    assert set(ctdc.GLOBAL_COLUMNS) >= ADDED_COLUMNS
    assert "isSexualExploitation" not in ctdc.GLOBAL_COLUMNS
    assert ctdc.GLOBAL_COLUMNS[:3] == ("yearOfRegistration", "Datasource", "gender")
    assert ctdc.GLOBAL_COLUMNS[-6:] == (
        "CountryOfExploitation",
        "recruiterRelationIntimatePartner",
        "recruiterRelationFriend",
        "recruiterRelationFamily",
        "recruiterRelationOther",
        "recruiterRelationUnknown",
    )
    assert len(ctdc.SYNTHETIC_COLUMNS) == 27
    assert {"traffickMonths", "meansDebtBondageEarnings"} <= set(ctdc.SYNTHETIC_COLUMNS)
    for schema, qis in ctdc.QUASI_IDENTIFIERS.items():
        assert set(qis) <= set(ctdc.SCHEMAS[schema])


def test_consent_counts_and_no_group_under_k_over_every_age_column(
    admin_session: Session, tmp_path: Path
) -> None:
    s = admin_session
    n = 0
    for birth in range(1985, 2009):  # minors and adults when trafficking began
        for began in (dt.date(2020, 2, 1), dt.date(2025, 6, 1)):
            n += 1
            _case(s, n, birth, began=began)
    for _i in range(3):
        n += 1
        _case(s, n, 1990, sharing="NotShared")
    exploited = _case(s, 98, 1991)
    event = TraffickingEvent(
        case_id=exploited.case.id,
        event_type="Exploitation",
        event_date=dt.date(2025, 3, 1),
        country="IL",
    )
    cases.save_record(s, event, today=TODAY)
    out = tmp_path / "ctdc.csv"
    result = ctdc.export_ctdc(s, out)
    assert result.without_consent == 3
    assert result.exported + result.held_back == 24 * 2 + 1
    assert result.exported > 11 and result.generalised > 0
    text = out.read_bytes().decode("utf-8-sig")
    assert "Name" not in text and "2025" not in text and "1990" not in text
    rows = _rows(out.read_bytes())
    assert list(rows[0]) == list(ctdc.GLOBAL_COLUMNS)
    assert min(_groups(rows).values()) >= ctdc.K_ANONYMITY
    assert {r["majorityEntry"] for r in rows} != {"-99"}  # generalised only where needed
    assert {r["CountryOfExploitation"] for r in rows} == {"-99"}  # Israel was a single case
    assert {r["meansOfControlTakesEarnings"] for r in rows} == {"1"}
    assert {r["meansOfControlConcatenated"] for r in rows} == {"Takes earnings"}
    assert {r["meansOfControlRestrictsMovement"] for r in rows} == {"-99"}  # not recorded
    assert {r["isAbduction"] for r in rows} == {"0"}
    assert {r["recruiterRelationFriend"] for r in rows} == {"1"}


def test_a_release_a_case_later_reveals_no_case(admin_session: Session, tmp_path: Path) -> None:
    s = admin_session
    for n in range(12):
        _case(s, n, 1990 + n % 2)
    first = ctdc.export_ctdc(s, tmp_path / "1.csv")
    assert first.release == 1 and first.exported == 12
    _case(s, 50, 1990)  # one more case: alone, it would be the whole difference
    second = ctdc.export_ctdc(s, tmp_path / "2.csv")
    assert (second.release, second.added, second.held_back) == (2, 0, 1)
    assert (tmp_path / "2.csv").read_bytes() == (tmp_path / "1.csv").read_bytes()
    for n in range(51, 61):  # ten more: eleven new cases, a group of their own
        _case(s, n, 1970)
    third = ctdc.export_ctdc(s, tmp_path / "3.csv")
    assert (third.added, third.held_back, third.exported) == (11, 0, 23)
    before = Counter(tuple(r.values()) for r in _rows((tmp_path / "2.csv").read_bytes()))
    after = Counter(tuple(r.values()) for r in _rows((tmp_path / "3.csv").read_bytes()))
    assert before <= after  # published rows are kept as they were published
    difference = [
        dict(zip(ctdc.GLOBAL_COLUMNS, r, strict=True)) for r in (after - before).elements()
    ]
    assert len(difference) == 11
    assert min(_groups(difference).values()) >= ctdc.K_ANONYMITY
    history = ctdc.release_history(s, ctdc.GLOBAL)
    assert [(h.seq, h.rows, h.added, h.held_back) for h in history] == [
        (1, 12, 12, 0),
        (2, 12, 0, 1),
        (3, 23, 11, 0),
    ]


def test_withdrawn_consent_leaves_the_next_release(admin_session: Session, tmp_path: Path) -> None:
    made = [_case(admin_session, n, 1990) for n in range(12)]  # one group of twelve
    assert ctdc.export_ctdc(admin_session, tmp_path / "1.csv").exported == 12
    withdrawn = made[0].consent
    assert withdrawn is not None
    cases.withdraw_consent(admin_session, withdrawn.id, withdrawn_on=TODAY)
    second = ctdc.export_ctdc(admin_session, tmp_path / "2.csv")
    assert (second.exported, second.removed, second.without_consent) == (11, 1, 1)
    # one more withdrawal: the group of ten left is under k, so it is left out
    assert made[1].consent is not None
    cases.withdraw_consent(admin_session, made[1].consent.id, withdrawn_on=TODAY)
    third = ctdc.export_ctdc(admin_session, tmp_path / "3.csv")
    assert (third.exported, third.removed, third.held_back) == (0, 1, 10)
    for n in range(20, 21):  # an eleventh case like them is new: alone it waits
        _case(admin_session, n, 1990)
    fourth = ctdc.export_ctdc(admin_session, tmp_path / "4.csv")
    assert (fourth.exported, fourth.added, fourth.held_back) == (0, 0, 11)


def test_the_synthetic_schema_has_alpha3_countries_and_empty_missing(
    admin_session: Session, tmp_path: Path
) -> None:
    for n in range(11):
        _case(admin_session, n, 1990, citizenship="GE", began=dt.date(2025, 1, 1))
    result = ctdc.export_ctdc(admin_session, tmp_path / "s.csv", schema=ctdc.SYNTHETIC)
    rows = _rows(result.data)
    assert list(rows[0]) == list(ctdc.SYNTHETIC_COLUMNS)
    assert {r["citizenship"] for r in rows} == {"GEO"}
    assert {r["traffickMonths"] for r in rows} == {"13--24 (1-2 yrs)"}  # 22 months
    assert {r["meansDebtBondageEarnings"] for r in rows} == {"1"}
    assert {r["CountryOfExploitation"] for r in rows} == {""}
    assert min(_groups(rows, ctdc.SYNTHETIC).values()) >= ctdc.K_ANONYMITY
    # each schema keeps its own release log
    assert ctdc.export_ctdc(admin_session, tmp_path / "g.csv").release == 2
    assert [h.schema for h in ctdc.release_history(admin_session)] == ["synthetic", "global"]


def test_ctdc_row_of_one_case() -> None:
    cf = cases.CaseFile(
        case=cases.Case(opened_on=dt.date(2026, 1, 5)),
        person=Person(birth_date=dt.date(2010, 6, 1), gender="Feminine"),
        intakes=[
            intake(
                exploitation_types=("ForcedLabour", "SexualExploitation"),
                sex_exploitation_types=("Pornography",),
                trafficking_began_on=dt.date(2024, 1, 1),
                abducted=True,
            )
        ],
    )
    row = ctdc.ctdc_row(cf)
    assert (row["ageBroad"], row["majorityStatus"], row["majorityEntry"]) == ("9--17",) + (
        "Minor",
    ) * 2
    assert row["gender"] == "Woman"
    assert row["isSexAndLabour"] == 1 and row["isSexualExploit"] == 1
    assert row["typeOfSexPornography"] == 1 and row["typeOfSexProstitution"] == 0
    assert row["typeOfLabourNotSpecified"] == 1
    assert row["meansOfControlDebtBondage"] == ctdc.MISSING
    assert row["meansOfControlNotSpecified"] == 1
    assert row["isAbduction"] == 1
    assert row["recruiterRelationUnknown"] == 1
    assert row["citizenship"] == ctdc.MISSING
    assert ctdc.age_broad(48) == "48+" and ctdc.age_broad(0) == "0--8"
    assert ctdc.months_band(dt.date(2024, 1, 1), dt.date(2026, 2, 1)) == "25+ (2+ yrs)"


def test_k_anonymise_generalises_then_suppresses() -> None:
    base = {c: "x" for c in ctdc.GLOBAL_COLUMNS}
    rows = [dict(base, citizenship="SD", ageBroad="18--20") for _ in range(11)]
    rows.append(dict(base, citizenship="SD", ageBroad="48+", majorityEntry="Minor"))
    kept, generalised = ctdc.k_anonymise(rows, 11)
    assert kept == list(range(11)) and generalised == 0
    rows.append(dict(base, yearOfRegistration="1999"))
    kept, _generalised = ctdc.k_anonymise(rows, 11)
    assert len(kept) == 11
