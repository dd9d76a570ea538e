"""The coordination log's service: record, list, filter, audit, refuse; overdue actions."""

from __future__ import annotations

import datetime as dt

import pytest

from shelter_desk.domain.coordination import (
    ActionItem,
    Hotspot,
    HotspotStep,
    Meeting,
    Training,
    Visit,
)
from shelter_desk.domain.entities import Organisation
from shelter_desk.domain.errors import NotFound, PermissionDenied, ValidationError
from shelter_desk.services import cases, users
from shelter_desk.services.coordination import log
from shelter_desk.services.coordination.log import LogFilter
from shelter_desk.services.session import Session

TODAY = dt.date(2026, 11, 20)


def partner(session: Session, name: str, **kw: object) -> Organisation:
    return cases.save_organisation(session, Organisation(name=name, **kw), today=TODAY)  # type: ignore[arg-type]


def changes(session: Session) -> int:
    return int(session.db.scalar("SELECT count(*) FROM changes"))


def audit_actions(session: Session) -> list[tuple[str, str, str]]:
    return [(e.action, e.object_type, e.object_id) for e in session.audit_log.events()]


def hotspot_at(session: Session, record_id: str) -> Hotspot:
    record = log.get(session, record_id)
    assert isinstance(record, Hotspot)
    return record


@pytest.fixture
def world(admin_session: Session) -> dict[str, Organisation]:
    return {
        "police": partner(admin_session, "Anti-Trafficking Police", type="LawEnforcement"),
        "ngo": partner(admin_session, "Legal Aid Centre", type="NGO", coalition_role="Core"),
        "iom": partner(admin_session, "IOM Mission", type="InternationalOrganisation"),
    }


def round_table(world: dict[str, Organisation], **kw: object) -> Meeting:
    base: dict[str, object] = {
        "meeting_type": "RoundTable",
        "held_on": dt.date(2026, 10, 2),
        "title": "Referral pathway round table",
        "participant_org_ids": (world["police"].id, world["ngo"].id),
        "decisions": ("Police call the shelter hotline for every identified victim",),
        "action_items": (
            ActionItem(
                action="Share the hotline number with all stations",
                owner_org_id=world["police"].id,
                due_on=dt.date(2026, 11, 1),
            ),
            ActionItem(
                action="Draft the referral form",
                owner_org_id=world["ngo"].id,
                due_on=dt.date(2026, 12, 15),
            ),
        ),
    }
    base.update(kw)
    return Meeting(**base)  # type: ignore[arg-type]


def test_each_kind_is_recorded_listed_and_audited(
    admin_session: Session, world: dict[str, Organisation]
) -> None:
    s = admin_session
    meeting = log.save(s, round_table(world), today=TODAY)
    visit = log.save(
        s,
        Visit(
            facility_type="DetentionFacility",
            facility_name="Airport holding centre",
            country="JO",
            visited_on=dt.date(2026, 9, 14),
            visitor_org_ids=(world["iom"].id,),
            findings="Two women held without interpretation",
            follow_up_actions=(
                ActionItem(
                    action="Send an Amharic interpreter",
                    owner_org_id=world["iom"].id,
                    due_on=dt.date(2026, 9, 20),
                    done_on=dt.date(2026, 9, 19),
                ),
            ),
        ),
        today=TODAY,
    )
    hotspot = log.save(
        s,
        Hotspot(
            problem="Recruitment agency keeps passports",
            place="Downtown bus station",
            country="JO",
            reported_on=dt.date(2026, 8, 1),
            approached_org_ids=(world["police"].id,),
        ),
        today=TODAY,
    )
    training = log.save(
        s,
        Training(
            topic="VictimIdentification",
            held_on=dt.date(2026, 11, 5),
            audience_org_id=world["police"].id,
            participants=24,
        ),
        today=TODAY,
    )
    listed = log.entries(s, today=TODAY)
    assert [e.record.id for e in listed] == [training.id, meeting.id, visit.id, hotspot.id]
    assert [e.status for e in listed] == ["Done", "Overdue", "Done", "Open"]
    assert listed[0].title == "Victim identification"
    # Stored as written, read back the same.
    assert log.get(s, meeting.id) == meeting
    assert hotspot_at(s, hotspot.id).history == (
        HotspotStep(on=TODAY, status="Open"),
        HotspotStep(on=TODAY, status="Open", body_org_id=world["police"].id),
    )
    audited = audit_actions(s)
    for record in (meeting, visit, hotspot, training):
        assert ("create", record.ENTITY, record.id) in audited
    assert ("view", "meeting", meeting.id) in audited


def test_filters_by_kind_organisation_status_and_dates(
    admin_session: Session, world: dict[str, Organisation]
) -> None:
    s = admin_session
    early = log.save(
        s, round_table(world, held_on=dt.date(2026, 3, 1), action_items=()), today=TODAY
    )
    late = log.save(s, round_table(world), today=TODAY)
    one_to_one = log.save(
        s,
        round_table(
            world, meeting_type="OneToOne", participant_org_ids=(world["iom"].id,), action_items=()
        ),
        today=TODAY,
    )
    training = log.save(
        s,
        Training(
            topic="CulturalCompetence",
            held_on=dt.date(2026, 10, 9),
            audience_org_id=world["iom"].id,
        ),
        today=TODAY,
    )

    def ids(f: LogFilter) -> set[str]:
        return {e.record.id for e in log.entries(s, f, today=TODAY)}

    assert ids(LogFilter(kinds=("training",))) == {training.id}
    assert ids(LogFilter(org_id=world["iom"].id)) == {one_to_one.id, training.id}
    assert ids(LogFilter(org_id=world["police"].id)) == {early.id, late.id}
    assert ids(LogFilter(status="Overdue")) == {late.id}
    assert ids(LogFilter(date_from=dt.date(2026, 10, 3))) == {training.id}
    assert ids(LogFilter(date_to=dt.date(2026, 3, 31))) == {early.id}
    assert ids(LogFilter(kinds=("meeting",), date_from=dt.date(2026, 10, 1))) == {
        late.id,
        one_to_one.id,
    }
    with pytest.raises(ValidationError) as bad:
        log.entries(s, LogFilter(date_from=dt.date(2026, 5, 1), date_to=dt.date(2026, 4, 1)))
    assert "date_to" in bad.value.errors
    with pytest.raises(ValidationError):
        log.entries(s, LogFilter(kinds=("case",)))


def test_overdue_action_items_oldest_first(
    admin_session: Session, world: dict[str, Organisation]
) -> None:
    s = admin_session
    meeting = log.save(s, round_table(world), today=TODAY)
    log.save(
        s,
        Visit(
            facility_name="Women's shelter Zarqa",
            visited_on=dt.date(2026, 7, 1),
            follow_up_actions=(
                ActionItem(
                    action="Fix the fire exit", owner_org_id=s.org_id, due_on=dt.date(2026, 8, 1)
                ),
            ),
        ),
        today=TODAY,
    )
    overdue = log.overdue_actions(s, today=TODAY)
    assert [(o.action, o.due_on) for o in overdue] == [
        ("Fix the fire exit", dt.date(2026, 8, 1)),
        ("Share the hotline number with all stations", dt.date(2026, 11, 1)),
    ]
    assert overdue[1].record_id == meeting.id and overdue[1].owner_org_id == world["police"].id
    # Done: no longer overdue.
    done = round_table(world)
    done.id = meeting.id
    done.action_items = tuple(
        ActionItem(action=i.action, owner_org_id=i.owner_org_id, due_on=i.due_on, done_on=TODAY)
        for i in meeting.action_items
    )
    log.save(s, done, today=TODAY)
    assert [o.action for o in log.overdue_actions(s, today=TODAY)] == ["Fix the fire exit"]
    assert ("edit", "meeting", meeting.id) in audit_actions(s)


def test_a_hotspot_keeps_the_history_of_its_status(
    admin_session: Session, world: dict[str, Organisation]
) -> None:
    s = admin_session
    hotspot = log.save(
        s,
        Hotspot(problem="Forced begging", place="Old market", reported_on=dt.date(2026, 6, 1)),
        today=dt.date(2026, 6, 1),
    )
    hotspot.status = "Raised"
    hotspot.approached_org_ids = (world["police"].id,)
    log.save(s, hotspot, today=dt.date(2026, 6, 10))
    hotspot.notes = "Police patrol twice a week"
    log.save(s, hotspot, today=dt.date(2026, 6, 12))  # same status: no new step
    hotspot.status = "Resolved"
    log.save(s, hotspot, today=dt.date(2026, 9, 1))
    history = hotspot_at(s, hotspot.id).history
    assert [(h.on, h.status, h.body_org_id) for h in history] == [
        (dt.date(2026, 6, 1), "Open", ""),
        (dt.date(2026, 6, 10), "Raised", ""),
        (dt.date(2026, 6, 10), "Raised", world["police"].id),  # approached that day
        (dt.date(2026, 9, 1), "Resolved", ""),
    ]
    assert {e.record.id for e in log.entries(s, LogFilter(status="Resolved"), today=TODAY)} == {
        hotspot.id
    }


def test_bad_input_is_refused_whole_and_nothing_is_written(
    admin_session: Session, world: dict[str, Organisation]
) -> None:
    s = admin_session
    before = changes(s)
    with pytest.raises(ValidationError) as bad:
        log.save(
            s,
            Meeting(
                meeting_type="Picnic",
                action_items=(ActionItem(action="", owner_org_id="0000", due_on=None),),
                participant_org_ids=("not-in-the-directory",),
            ),
            today=TODAY,
        )
    errors = bad.value.errors
    assert errors["meeting_type"] == "Unknown value: Picnic"
    assert errors["held_on"] == errors["title"] == "This field is required."
    assert errors["action_items[0].action"] == "This field is required."
    assert errors["action_items[0].due_on"] == "This field is required."
    assert errors["participant_org_ids"] == "Choose an organisation from the directory."
    assert errors["action_items[0].owner_org_id"] == errors["participant_org_ids"]
    with pytest.raises(ValidationError) as bad:
        log.save(
            s,
            Hotspot(problem="x", place="y", reported_on=TODAY + dt.timedelta(days=3)),
            today=TODAY,
        )
    assert bad.value.errors == {"reported_on": "This date is in the future."}
    with pytest.raises(ValidationError) as bad:
        log.save(
            s,
            Training(
                topic="Juggling", held_on=TODAY, audience_org_id=world["iom"].id, participants=-2
            ),
            today=TODAY,
        )
    assert set(bad.value.errors) == {"topic", "participants"}
    with pytest.raises(ValidationError):
        log.save(
            s,
            round_table(world, meeting_type="OneToOne", action_items=()),
            today=TODAY,
        )
    with pytest.raises(NotFound):
        log.save(s, round_table(world, id="01930000-0000-7000-8000-000000000000"), today=TODAY)
    with pytest.raises(NotFound):
        log.delete(s, "01930000-0000-7000-8000-000000000000")
    with pytest.raises(NotFound):
        log.get(s, world["police"].id)  # a directory entry is not a log record
    assert changes(s) == before


def test_deleting_leaves_a_tombstone_and_the_list_forgets_it(
    admin_session: Session, world: dict[str, Organisation]
) -> None:
    s = admin_session
    meeting = log.save(s, round_table(world), today=TODAY)
    log.delete(s, meeting.id)
    assert log.entries(s, today=TODAY) == []
    assert ("delete", "meeting", meeting.id) in audit_actions(s)
    assert s.records.get(meeting.id).deleted  # type: ignore[union-attr]
    with pytest.raises(NotFound):
        log.delete(s, meeting.id)


def test_who_may_read_and_write(admin_session: Session, world: dict[str, Organisation]) -> None:
    s = admin_session
    meeting = log.save(s, round_table(world), today=TODAY)
    users.add_user(s, "ruth", "auditor", "quiet copper meadow nine harbour")
    s.user = s.users.by_name("ruth")  # type: ignore[assignment]
    before = changes(s)
    with pytest.raises(PermissionDenied):
        log.entries(s, today=TODAY)
    with pytest.raises(PermissionDenied):
        log.save(s, round_table(world), today=TODAY)
    with pytest.raises(PermissionDenied):
        log.delete(s, meeting.id)
    assert changes(s) == before
