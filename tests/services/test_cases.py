"""Case-record rules on a real encrypted database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from shelter_desk.domain.entities import (
    FollowUp,
    Intake,
    Organisation,
    Referral,
    Return,
    ServiceDelivery,
)
from shelter_desk.domain.errors import PermissionDenied, ValidationError
from shelter_desk.domain.sustainability import DEFAULT
from shelter_desk.security.permissions import Role
from shelter_desk.services import cases, users
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from shelter_desk.services.verify import verify
from tests.services.case_helpers import TODAY, consent, intake, open_case, person

CASEWORKER_PASS = "granite meadow violin ninety"


def _caseworker(admin: Session, installation: Installation, name: str = "bob") -> Session:
    users.add_user(admin, name, Role.CASEWORKER, CASEWORKER_PASS)
    admin.lock()
    return installation.unlock(name, CASEWORKER_PASS)


def test_case_numbers_per_org_and_year_never_reused(admin_session: Session) -> None:
    first = open_case(admin_session)
    second = open_case(admin_session, first="Olga", latin="Olga")
    assert first.case.number == "HH-2026-0001"
    assert second.case.number == "HH-2026-0002"
    with pytest.raises(ValidationError):
        cases.open_case(admin_session, person(), intake(intake_date=None), consent(), today=TODAY)
    third = cases.open_case(
        admin_session,
        person(),
        intake(intake_date=dt.date(2025, 12, 30)),
        consent(),
        today=TODAY,
    )
    assert third.case.number == "HH-2025-0001"
    fourth = open_case(admin_session)
    assert fourth.case.number == "HH-2026-0003"


def test_open_case_reports_every_error_and_saves_nothing(admin_session: Session) -> None:
    future = TODAY + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as info:
        cases.open_case(
            admin_session,
            person(first="", latin="", birth_date=future),
            intake(exploitation_types=("NoSuchType",)),
            consent(given_on=None),
            today=TODAY,
        )
    errors = info.value.errors
    assert {"person.first_name", "person.birth_date", "intake.exploitation_types"} <= set(errors)
    assert "consent.given_on" in errors
    assert admin_session.db.scalar("SELECT count(*) FROM records") == 0
    assert admin_session.db.scalar("SELECT count(*) FROM changes") == 0


def test_every_write_is_a_change_log_transaction(admin_session: Session) -> None:
    cf = open_case(admin_session)
    changes = admin_session.records.history([cf.case.id, cf.person.id])
    assert len(changes) == 2
    for change in changes:
        assert change.txn_id[14] == "7"  # UUIDv7
        assert change.device == admin_session.device_id
        assert change.user_id == admin_session.user.id
    assert cf.case.id[14] == "7"
    record_ids = [r.id for r in admin_session.records.for_case(cf.case.id)]
    stamps = [c.hlc for c in admin_session.records.history(record_ids)]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == len(stamps)


def test_view_and_change_are_audited(admin_session: Session) -> None:
    cf = open_case(admin_session)
    cases.load_case(admin_session, cf.case.id)
    events = admin_session.audit_log.for_object("case", cf.case.id)
    assert [e.action for e in events] == ["create", "view"]
    assert all(cf.person.first_name not in e.object_id for e in admin_session.audit_log.events())


def test_close_needs_reason_and_reopen_is_audited(admin_session: Session) -> None:
    cf = open_case(admin_session)
    with pytest.raises(ValidationError) as info:
        cases.close_case(admin_session, cf.case.id, "", today=TODAY)
    assert "closure_reason" in info.value.errors
    closed = cases.close_case(admin_session, cf.case.id, "SupportCompleted", today=TODAY)
    assert closed.status == "Closed" and closed.closed_on == TODAY
    reopened = cases.reopen_case(admin_session, cf.case.id, today=TODAY)
    assert reopened.status == "Active" and reopened.closure_reason == ""
    actions = [e.action for e in admin_session.audit_log.for_object("case", cf.case.id)]
    assert "reopen" in actions


def test_status_fields_change_only_through_their_actions(admin_session: Session) -> None:
    cf = open_case(admin_session)
    cf.case.status = "Closed"
    with pytest.raises(ValidationError):
        cases.update_case(admin_session, cf.case, today=TODAY)


def test_trafficking_status_records_who_and_when(
    admin_session: Session, installation: Installation
) -> None:
    cf = open_case(admin_session)
    decided = cases.decide_trafficking_status(
        admin_session,
        cf.case.id,
        "ActualVictimOfTrafficking",
        decision_org="Police",
        today=TODAY,
    )
    assert decided.trafficking_status_decided_by == admin_session.user.id
    assert decided.trafficking_status_decided_on == TODAY
    bob = _caseworker(admin_session, installation)
    with pytest.raises(PermissionDenied):
        cases.decide_trafficking_status(bob, cf.case.id, "NotAVictimOfTrafficking")
    bob.lock()


def test_referral_needs_consent_or_supervisor_override(
    admin_session: Session, installation: Installation
) -> None:
    partner = cases.save_organisation(
        admin_session, Organisation(name="Legal Aid Centre", type="NGO", country="IL")
    )
    cf = open_case(admin_session)  # consent without referral to partners
    referral = Referral(
        case_id=cf.case.id,
        from_org_id=admin_session.org_id,
        to_org_id=partner.id,
        referred_on=TODAY,
        reason="AdditionalServicesRequired",
    )
    bob = _caseworker(admin_session, installation)
    with pytest.raises(PermissionDenied, match="consented"):
        cases.save_record(bob, referral, today=TODAY)
    with pytest.raises(PermissionDenied):
        cases.refer_with_override(bob, referral)
    anonymous = Referral(
        case_id=cf.case.id,
        from_org_id=bob.org_id,
        to_org_id=partner.id,
        referred_on=TODAY,
        reason="AdditionalServicesRequired",
        shares_identity=False,
    )
    cases.save_record(bob, anonymous, today=TODAY)
    bob.lock()
    admin = installation.unlock("amira", "olive lantern harbour seventeen")
    with pytest.raises(ValidationError) as no_reason:
        cases.refer_with_override(admin, referral)
    assert set(no_reason.value.errors) == {"override_reason"}
    assert len(cases.load_case(admin, cf.case.id).referrals) == 1
    referral.override_reason = "Hearing tomorrow"
    cases.refer_with_override(admin, referral)
    assert referral.consent_override_by == admin.user.id
    assert "consent_override" in [e.action for e in admin.audit_log.events()]
    assert len(cases.load_case(admin, cf.case.id).referrals) == 2
    admin.lock()


def test_services_totals_and_bad_dates(admin_session: Session) -> None:
    cf = open_case(admin_session)
    stay = ServiceDelivery(
        case_id=cf.case.id,
        service_type="Accommodation",
        started_on=dt.date(2026, 10, 1),
        ended_on=dt.date(2026, 9, 1),
        cost=Decimal("-5"),
        currency="ILS",
    )
    with pytest.raises(ValidationError) as info:
        cases.save_record(admin_session, stay, today=TODAY)
    assert {"ended_on", "cost"} <= set(info.value.errors)
    stay.ended_on, stay.cost = dt.date(2026, 11, 1), Decimal("3100.50")
    cases.save_record(admin_session, stay, today=TODAY)
    for amount in ("200", "150.25"):
        cases.save_record(
            admin_session,
            ServiceDelivery(
                case_id=cf.case.id,
                service_type="Medical",
                started_on=TODAY,
                cost=Decimal(amount),
                currency="ILS",
            ),
            today=TODAY,
        )
    full = cases.load_case(admin_session, cf.case.id)
    assert full.service_totals() == {
        ("Accommodation", "ILS"): Decimal("3100.50"),
        ("Medical", "ILS"): Decimal("350.25"),
    }
    assert full.cost_totals() == {"ILS": Decimal("3450.75")}


def test_return_schedules_follow_ups_and_scores_them(admin_session: Session) -> None:
    cf = open_case(admin_session)
    with pytest.raises(ValidationError):
        cases.schedule_follow_ups(admin_session, cf.case.id)
    back = Return(
        case_id=cf.case.id,
        decided_on=dt.date(2025, 9, 1),
        destination_country="SD",
        travel_on=dt.date(2025, 10, 31),
        checklist=("TravelDocument",),
    )
    cases.save_record(admin_session, back, today=TODAY)
    added = cases.schedule_follow_ups(admin_session, cf.case.id)
    assert [f.scheduled_on for f in added] == [
        dt.date(2025, 11, 30),
        dt.date(2026, 1, 31),
        dt.date(2026, 4, 30),
        dt.date(2026, 10, 31),
    ]
    assert cases.schedule_follow_ups(admin_session, cf.case.id) == []

    early = FollowUp(
        case_id=cf.case.id,
        scheduled_on=dt.date(2025, 11, 30),
        done_on=dt.date(2025, 10, 1),
        mode="Phone",
    )
    early.id = added[0].id
    with pytest.raises(ValidationError) as info:
        cases.record_follow_up(admin_session, early, today=TODAY)
    assert "done_on" in info.value.errors

    visit = added[0]
    visit.done_on, visit.mode = dt.date(2025, 12, 2), "InPerson"
    visit.answers = {q.code: q.options[0].code for q in DEFAULT.questions}
    cases.record_follow_up(admin_session, visit, today=TODAY)
    stored = cases.load_case(admin_session, cf.case.id).follow_ups
    done = next(f for f in stored if f.id == visit.id)
    assert done.composite_score is not None
    assert 0.0 <= done.composite_score <= 1.0
    assert done.economic_score is not None


def test_follow_ups_due_per_caseworker_and_organisation(
    admin_session: Session, installation: Installation
) -> None:
    mine = open_case(admin_session)
    cases.save_record(
        admin_session,
        Return(
            case_id=mine.case.id,
            decided_on=dt.date(2026, 8, 1),
            destination_country="SD",
            travel_on=dt.date(2026, 9, 20),
        ),
        today=TODAY,
    )
    cases.schedule_follow_ups(admin_session, mine.case.id)  # due 2026-10-20 (overdue)...
    due = cases.follow_ups_due(admin_session, today=TODAY)
    assert [d.scheduled_on for d in due.overdue] == ["2026-10-20"]
    assert due.today == [] and due.this_week == []
    later = cases.follow_ups_due(admin_session, today=dt.date(2026, 12, 14))
    assert [d.scheduled_on for d in later.this_week] == ["2026-12-20"]
    bob = _caseworker(admin_session, installation)
    assert cases.follow_ups_due(bob, mine=True, today=TODAY).overdue == []
    assert len(cases.follow_ups_due(bob, today=TODAY).overdue) == 1
    assert cases.count_cases(bob, cases.CaseFilter(follow_up_overdue=True), today=TODAY) == 1
    bob.lock()


def test_cross_script_search_through_the_service(admin_session: Session) -> None:
    people = [
        ("محمد", "Mohammed"),
        ("Mohamed", ""),
        ("Muhammad", ""),
        ("Olga", ""),
        ("Ольга", "Olga"),
        ("გიორგი", "Giorgi"),
        ("فاطمة", "Fatima"),
        ("Mahmoud", ""),
    ]
    numbers = {}
    for first, latin in people:
        cf = open_case(admin_session, first=first, latin=latin)
        numbers[first] = cf.case.number

    def found(text: str) -> set[str]:
        rows = cases.case_page(admin_session, cases.CaseFilter(text=text), 0, 50)
        return {r.number for r in rows}

    muhammads = {numbers["محمد"], numbers["Mohamed"], numbers["Muhammad"]}
    assert muhammads <= found("Muhammad")
    assert numbers["Mahmoud"] not in found("Muhammad")
    assert {numbers["Olga"], numbers["Ольга"]} <= found("Ольга")
    assert numbers["გიორგი"] in found("Giorgi")
    assert numbers["فاطمة"] in found("فاطمه")
    assert found(numbers["Olga"]) == {numbers["Olga"]}
    assert found('"(') == set()


def test_filters_sort_and_delete_tombstone(admin_session: Session) -> None:
    a = open_case(admin_session, first="Amal", latin="Amal")
    open_case(admin_session, first="Zara", latin="Zara")
    a.case.risk_level = "High"
    cases.update_case(admin_session, a.case, today=TODAY)
    high = cases.case_page(admin_session, cases.CaseFilter(risk_level="High"), 0, 10)
    assert [r.number for r in high] == [a.case.number]
    by_name = cases.case_page(admin_session, cases.CaseFilter(sort="name", descending=True), 0, 10)
    assert [r.name for r in by_name] == ["Zara", "Amal"]
    extra = Intake(case_id=a.case.id, intake_date=TODAY, exploitation_types=("SexualExploitation",))
    cases.save_record(admin_session, extra, today=TODAY)
    sexual = cases.CaseFilter(exploitation="SexualExploitation")
    assert cases.count_cases(admin_session, sexual) == 1
    cases.delete_record(admin_session, extra.id)
    assert cases.count_cases(admin_session, sexual) == 0
    assert admin_session.records.get(extra.id).deleted  # type: ignore[union-attr]
    assert verify(admin_session).ok


def test_keys_and_rows_give_the_same_list_as_pages(admin_session: Session) -> None:
    for first in ("Zara", "Amal", "Ольга", "محمد", "Ruth"):
        open_case(admin_session, first=first, latin="")
    for f in (cases.CaseFilter(sort="name"), cases.CaseFilter(text="Olga"), cases.CaseFilter()):
        keys = cases.case_keys(admin_session, f, today=TODAY)
        assert [r.number for r in cases.case_rows(admin_session, keys)] == [
            r.number for r in cases.case_page(admin_session, f, 0, 50, today=TODAY)
        ]
    keys = cases.case_keys(admin_session, cases.CaseFilter(sort="name"), today=TODAY)
    tail = cases.case_rows(admin_session, keys[3:])
    assert [r.key for r in tail] == keys[3:]
