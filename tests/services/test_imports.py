"""HTCDS CSV import: preview, row errors, one-transaction commit, round trip."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from shelter_desk.domain.entities import Person
from shelter_desk.domain.errors import PermissionDenied, ValidationError
from shelter_desk.services import cases, users
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from shelter_desk.services.standards import htcds_export as exports
from shelter_desk.services.standards import htcds_import as imports
from tests.services.case_helpers import TODAY, consent, intake
from tests.services.test_exports import NARRATIVE, open_two_cases

SECOND_PASSPHRASE = "copper kettle winter orchard"


@pytest.fixture
def second_session(tmp_path: Path) -> Iterator[Session]:
    inst = Installation(tmp_path / "second")
    session, _recovery = inst.create(
        org_name="Second Shelter", admin="nino", passphrase=SECOND_PASSPHRASE, country="GE"
    )
    yield session
    session.lock()
    inst.release()


def _csv(rows: list[dict[str, str]]) -> bytes:
    header = list(dict.fromkeys(k for r in rows for k in r))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _case_files(session: Session) -> list[cases.CaseFile]:
    return list(exports.all_case_files(session))


GOOD = {
    "prs_FirstName": "Нино",
    "prs_Gender": "Feminine",
    "prs_Citizenship": "GE",
    "vic_TypeOfExploitation": "ForcedLabour",
    "sd_IntakeDate": "2026-10-01",
}


def test_round_trip_into_a_second_installation(
    admin_session: Session, second_session: Session, tmp_path: Path
) -> None:
    open_two_cases(admin_session)
    close_me = _case_files(admin_session)[0].case.id
    cases.close_case(admin_session, close_me, "SupportCompleted", today=TODAY)
    out = tmp_path / "htcds.csv"
    exports.export_htcds(admin_session, out)
    data = out.read_bytes()

    preview = imports.preview_htcds(second_session, data, today=TODAY)
    assert (preview.rows, preview.ok, preview.bad) == (2, 2, 0)
    assert preview.ignored_columns == []
    assert imports.commit_htcds(second_session, data, today=TODAY) == 2

    before = _case_files(admin_session)
    after = _case_files(second_session)
    assert len(after) == 2
    for old, new in zip(before, after, strict=True):
        assert new.person.first_name == old.person.first_name
        assert new.person.second_name == old.person.second_name
        assert new.person.first_name_latin == old.person.first_name_latin
        assert new.person.gender == old.person.gender
        assert new.person.citizenships == old.person.citizenships
        assert new.person.birth_date == old.person.birth_date
        assert new.person.estimated_birth_year == old.person.estimated_birth_year
        assert new.intake is not None and old.intake is not None
        assert new.intake.exploitation_types == old.intake.exploitation_types
        assert new.intake.sex_exploitation_types == old.intake.sex_exploitation_types
        assert new.intake.forced_labour_industry == old.intake.forced_labour_industry
        assert new.intake.methods_of_control == old.intake.methods_of_control
        assert new.intake.narrative == ""
        assert new.case.status == old.case.status
        assert new.case.closure_reason == old.case.closure_reason
        assert new.case.sharing_level == old.case.sharing_level
        if old.case.sharing_level == "NotShared" and b"con_Consent" not in data:
            # The file has no con_Consent column and shares nothing: no consent is invented.
            assert new.consent is None and new.latest_consent is not None
            assert not new.latest_consent.consent_given and not new.latest_consent.method
        else:
            assert new.consent is not None and new.consent.consent_given
            assert new.consent.method == "Written"
            assert new.consent.given_on == old.intake.intake_date
        assert new.case.number.startswith(second_session.case_prefix)
    assert NARRATIVE not in repr(after)
    assert [e.action for e in second_session.audit_log.events()][-1] == "import"


def test_preview_reports_row_errors_without_values_and_writes_nothing(
    second_session: Session,
) -> None:
    rows = [
        GOOD,
        dict(GOOD, prs_Gender="Martian", sd_IntakeDate="first of May"),
        dict(GOOD, prs_FirstName="", prs_Citizenship="Narnia"),
        dict(GOOD, vic_TypeOfSexExploitation="Prostitution", favourite_colour="blue"),
    ]
    data = _csv(rows)
    preview = imports.preview_htcds(second_session, data, today=TODAY)
    assert (preview.rows, preview.ok, preview.bad) == (4, 1, 3)
    assert preview.ignored_columns == ["favourite_colour"]
    found = {(p.row, p.field) for p in preview.problems}
    assert {(3, "prs_Gender"), (3, "sd_IntakeDate")} <= found
    assert {(4, "prs_FirstName"), (4, "prs_Citizenship")} <= found
    assert (5, "vic_TypeOfSexExploitation") in found
    assert not any(p.row == 2 for p in preview.problems)
    messages = " ".join(p.message for p in preview.problems)
    for value in ("Martian", "first of May", "Narnia", "Нино"):
        assert value not in messages
    with pytest.raises(ValidationError):
        imports.commit_htcds(second_session, data, today=TODAY)
    assert _case_files(second_session) == []
    assert second_session.records.count_by_entity() == {}


def test_commit_imports_all_rows_in_one_transaction(second_session: Session) -> None:
    rows = [
        GOOD,
        dict(GOOD, prs_FirstName="ლაშა", prs_Gender="Masculine", sd_SharingLevel="StatisticsOnly"),
        dict(
            GOOD,
            prs_FirstName="Amal",
            cas_Status="FollowUp",
            vic_TraffickingStatus="ActualVictimOfTrafficking",
            vic_TraffickingStatusDecisionMakingOrg="Police",
        ),
    ]
    assert imports.commit_htcds(second_session, _csv(rows), today=TODAY) == 3
    found = {cf.person.first_name: cf for cf in _case_files(second_session)}
    assert found["Нино"].case.sharing_level == "NotShared"
    assert found["ლაშა"].case.sharing_level == "StatisticsOnly"
    amal = found["Amal"].case
    assert amal.status == "FollowUp"
    assert amal.trafficking_status == "ActualVictimOfTrafficking"
    assert amal.trafficking_status_decision_org == "Police"
    assert amal.opened_on is not None and amal.opened_on.isoformat() == "2026-10-01"


def test_formula_like_text_is_guarded_and_round_trips(
    admin_session: Session, second_session: Session, tmp_path: Path
) -> None:
    cases.open_case(
        admin_session,
        Person(first_name="=HYPERLINK(1)", second_name="-Ali", gender="Masculine"),
        intake(),
        consent(),
        today=TODAY,
    )
    out = tmp_path / "htcds.csv"
    exports.export_htcds(admin_session, out)
    row = next(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert row["prs_FirstName"] == "'=HYPERLINK(1)"
    assert row["prs_SecondName"] == "'-Ali"
    imports.commit_htcds(second_session, out.read_bytes(), today=TODAY)
    (imported,) = _case_files(second_session)
    assert (imported.person.first_name, imported.person.second_name) == ("=HYPERLINK(1)", "-Ali")


def test_a_closed_case_without_closing_date_is_an_error(second_session: Session) -> None:
    closed = dict(GOOD, cas_Status="Closed", cas_ReasonForCaseClosure="LeftTheArea")
    data = _csv([dict(closed, sd_ClosedOn="")])
    preview = imports.preview_htcds(second_session, data, today=TODAY)
    assert [(p.row, p.field) for p in preview.problems] == [(2, "sd_ClosedOn")]
    # IOM's template has no closing date column: the case is closed on the day of the import.
    preview = imports.preview_htcds(second_session, _csv([closed]), today=TODAY)
    assert preview.problems == [] and preview.ready[0].case.closed_on == TODAY


def test_import_needs_the_import_permission(second_session: Session) -> None:
    users.add_user(second_session, "bob", "caseworker", "granite meadow violin ninety")
    bob = second_session.installation.unlock("bob", "granite meadow violin ninety")
    with pytest.raises(PermissionDenied):
        imports.preview_htcds(bob, _csv([GOOD]), today=TODAY)


def test_unreadable_files_are_refused(second_session: Session) -> None:
    from shelter_desk.domain.errors import ShelterDeskError

    with pytest.raises(ShelterDeskError):
        imports.preview_htcds(second_session, b"\xff\xfe\x00garbage", today=TODAY)
    with pytest.raises(ShelterDeskError):
        imports.preview_htcds(second_session, b"", today=TODAY)
