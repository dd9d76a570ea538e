"""Issue 13: a consent the file denies is never recorded; importing the same file twice adds
nothing; a likely duplicate is listed; a bad date is reported against the file's own column."""

from __future__ import annotations

import datetime as dt

import pytest

from shelter_desk.domain.errors import ValidationError
from shelter_desk.services import cases
from shelter_desk.services.session import Session
from shelter_desk.services.standards import htcds_import as imports
from shelter_desk.services.standards.dates import country_date_order, guess_date_order
from tests.services import htcds_samples as hs
from tests.services.case_helpers import TODAY
from tests.services.test_imports import GOOD, _csv, second_session

__all__ = ["second_session"]  # the fixture, used by name


def _all_cases(session: Session) -> list[cases.CaseFile]:
    return [cases.load_case(session, r.id) for r in session.records.of_entity("case")]


def test_consent_false_or_empty_records_no_consent_and_shares_nothing(
    second_session: Session,
) -> None:
    rows = [
        dict(GOOD, prs_FirstName="A", con_Consent="TRUE", sd_SharingLevel="Identified"),
        dict(GOOD, prs_FirstName="B", con_Consent="FALSE", sd_SharingLevel="Identified"),
        dict(GOOD, prs_FirstName="C", con_Consent="", sd_SharingLevel="Pseudonymised"),
        dict(GOOD, prs_FirstName="D", con_Consent="No"),
    ]
    assert imports.commit_htcds(second_session, _csv(rows), today=TODAY) == 4
    by_name = {cf.person.first_name: cf for cf in _all_cases(second_session)}
    given = by_name["A"]
    assert given.consent is not None and given.consent.method == "Written"
    assert given.case.sharing_level == "Identified"
    for name in "BCD":
        cf = by_name[name]
        assert cf.consent is None  # no consent in force
        recorded = cf.latest_consent
        assert recorded is not None and not recorded.consent_given
        assert recorded.method == "" and recorded.sharing_level == "NotShared"
        assert cf.case.sharing_level == "NotShared"


def test_twelve_of_fifty_without_consent_in_iom_template(second_session: Session) -> None:
    data = hs.filled_template(hs.samples(50, without_consent=12))
    assert imports.commit_htcds(second_session, data, today=TODAY) == 50
    found = _all_cases(second_session)
    assert sum(1 for cf in found if cf.consent is None) == 12
    assert sum(1 for cf in found if cf.consent is not None and cf.consent.consent_given) == 38
    assert all(cf.latest_consent is not None for cf in found)
    # The template has no sharing level: consent to the interview shares nothing either.
    assert {cf.case.sharing_level for cf in found} == {"NotShared"}


def test_a_consent_cell_that_is_neither_yes_nor_no_is_an_error(second_session: Session) -> None:
    preview = imports.preview_htcds(
        second_session, _csv([dict(GOOD, con_Consent="maybe")]), today=TODAY
    )
    assert [(p.row, p.field) for p in preview.problems] == [(2, "con_Consent")]


def test_importing_the_same_file_twice_adds_nothing(second_session: Session) -> None:
    header, lines = hs.kobo_rows(hs.samples(50))
    kobo = hs.csv_bytes(header, lines, delimiter=";")
    template = hs.filled_template(hs.samples(20))
    assert imports.commit_htcds(second_session, kobo, today=TODAY) == 50
    assert imports.commit_htcds(second_session, template, today=TODAY) == 20
    again = imports.preview_htcds(second_session, kobo, today=TODAY)
    assert (again.rows, again.ok, again.already_imported, again.bad) == (50, 0, 50, 0)
    assert imports.commit_htcds(second_session, kobo, today=TODAY) == 0
    assert imports.commit_htcds(second_session, template, today=TODAY) == 0
    # The same KoBo submissions saved as XLSX are the same rows (their _uuid).
    assert imports.commit_htcds(second_session, hs.xlsx_bytes(header, lines), today=TODAY) == 0
    assert len(second_session.records.of_entity("case")) == 70


def test_a_row_twice_in_one_file_is_imported_once(second_session: Session) -> None:
    preview = imports.preview_htcds(second_session, _csv([GOOD, GOOD]), today=TODAY)
    assert (preview.ok, preview.already_imported) == (1, 1)


def test_likely_duplicates_of_registered_people_are_listed(second_session: Session) -> None:
    first = dict(GOOD, prs_SecondName="Beridze", prs_Birthdate="1990-05-01")
    imports.commit_htcds(second_session, _csv([first]), today=TODAY)
    number = second_session.records.of_entity("case")[0].data["number"]
    same_person = dict(first, vic_TypeOfExploitation="ForcedBegging")  # another row
    other = dict(first, prs_Birthdate="1991-05-01")
    preview = imports.preview_htcds(second_session, _csv([other, same_person]), today=TODAY)
    assert preview.ok == 2
    assert [(d.row, d.case_number) for d in preview.likely_duplicates] == [(3, number)]


def test_a_bad_us_date_is_reported_against_the_files_own_column(
    second_session: Session,
) -> None:
    row = {k: v for k, v in GOOD.items() if k != "sd_IntakeDate"}
    data = _csv([dict(row, cas_IncomingReferralDate="10/25/2026")])
    preview = imports.preview_htcds(second_session, data, today=TODAY, date_order="dmy")
    assert [(p.row, p.field) for p in preview.problems] == [(2, "cas_IncomingReferralDate")]
    assert "25/10/2026" not in preview.problems[0].message
    assert "20/11/2026" in preview.problems[0].message  # the form the choice expects
    # The file itself says month first (25 cannot be a month); so does the choice.
    assert imports.preview_htcds(second_session, data, today=TODAY).date_order == "mdy"
    ok = imports.preview_htcds(second_session, data, today=TODAY, date_order="mdy")
    assert ok.problems == [] and ok.ready[0].intake.intake_date == dt.date(2026, 10, 25)
    with pytest.raises(ValidationError):
        imports.preview_htcds(second_session, data, today=TODAY, date_order="ydm")


def test_the_date_order_guess() -> None:
    assert guess_date_order(["2026-11-20"], "US") == "iso"
    assert guess_date_order(["13/01/2026", "01/02/2026"], "US") == "dmy"  # the file proves it
    assert guess_date_order(["01/13/2026"], "JO") == "mdy"
    assert guess_date_order(["01/02/2026"], "US") == "mdy"  # ambiguous: the country decides
    assert guess_date_order(["01/02/2026"], "JO") == "dmy"
    assert guess_date_order(["01/02/2026"], "") == "dmy"
    assert [country_date_order(c) for c in ("US", "PH", "GE", "IL", "DE", "RU")] == [
        "mdy",
        "mdy",
        "dmy",
        "dmy",
        "dmy",
        "dmy",
    ]


def test_a_refused_commit_writes_nothing_and_keeps_the_counter_honest(
    second_session: Session,
) -> None:
    data = _csv([GOOD, dict(GOOD, prs_FirstName="X", prs_Gender="Robot")])
    with pytest.raises(ValidationError):
        imports.commit_htcds(second_session, data, today=TODAY)
    assert second_session.records.of_entity("case") == []
    assert second_session.records.of_entity("intake") == []
