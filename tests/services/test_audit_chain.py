"""The audit chain notices changed, inserted and removed events."""

from __future__ import annotations

from shelter_desk.security.audit import Action
from shelter_desk.services.session import Session
from shelter_desk.services.verify import verify


def _fill(session: Session) -> None:
    for i in range(5):
        session.audit(Action.VIEW, "case", f"case-{i}")


def test_whole_chain_verifies(admin_session: Session) -> None:
    _fill(admin_session)
    report = verify(admin_session)
    assert report.ok, report.problems
    assert report.counts["audit_events"] == admin_session.audit_log.count()


def test_changed_event_is_detected(admin_session: Session) -> None:
    _fill(admin_session)
    admin_session.db.execute("UPDATE audit SET object_id = 'case-x' WHERE seq = 3")
    report = verify(admin_session)
    assert any("event 3" in p for p in report.problems)


def test_removed_middle_event_is_detected(admin_session: Session) -> None:
    _fill(admin_session)
    admin_session.db.execute("DELETE FROM audit WHERE seq = 2")
    assert not verify(admin_session).ok


def test_removed_newest_event_is_detected(admin_session: Session) -> None:
    _fill(admin_session)
    last = admin_session.audit_log.count()
    admin_session.db.execute("DELETE FROM audit WHERE seq = ?", (last,))
    assert not verify(admin_session).ok


def test_events_hold_ids_not_names(admin_session: Session) -> None:
    for event in admin_session.audit_log.events():
        assert admin_session.user.username not in (event.object_id, event.user_id)
        assert admin_session.org_name not in event.object_id
