"""Settings: validated all at once, stored, audited, and used where they matter."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from shelter_desk.domain.entities import Return
from shelter_desk.domain.errors import PermissionDenied, ValidationError
from shelter_desk.security.permissions import Role
from shelter_desk.services import cases, users
from shelter_desk.services.session import Session
from shelter_desk.services.settings import (
    parse_follow_up_months,
    read_settings,
    save_settings,
    save_settings_form,
)
from tests.conftest import ORG
from tests.services.case_helpers import TODAY, open_case


def test_the_defaults_of_a_new_installation(admin_session: Session) -> None:
    s = read_settings(admin_session)
    assert (s.org_name, s.org_country, s.case_prefix) == (ORG, "IL", "HH")
    assert s.autolock_minutes == 5
    assert s.follow_up_months == (1, 3, 6, 12)


def test_every_problem_is_reported_at_once_and_nothing_is_written(
    admin_session: Session,
) -> None:
    with pytest.raises(ValidationError) as refused:
        save_settings_form(
            admin_session,
            org_name="  ",
            org_country="XX",
            case_prefix="h-h",
            autolock_minutes=0,
            follow_up_months="1, three",
        )
    assert set(refused.value.errors) == {
        "org_name",
        "org_country",
        "case_prefix",
        "autolock_minutes",
        "follow_up_months",
    }
    assert "cannot be switched off" in refused.value.errors["autolock_minutes"]
    assert read_settings(admin_session).autolock_minutes == 5
    assert admin_session.meta.get("org_name") == ORG


@pytest.mark.parametrize(
    ("typed", "months"),
    [("1, 3, 6, 12", (1, 3, 6, 12)), ("12;6 6 2", (2, 6, 12)), ("24", (24,))],
)
def test_follow_up_months_as_typed(typed: str, months: tuple[int, ...]) -> None:
    assert parse_follow_up_months(typed) == months


@pytest.mark.parametrize("typed", ["", "0", "1, -3", "2.5", "121", "١, ٣"])
def test_follow_up_months_that_cannot_be_used(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_follow_up_months(typed)
    assert "follow_up_months" in refused.value.errors


def test_saved_settings_are_used_and_audited(admin_session: Session) -> None:
    saved = save_settings_form(
        admin_session,
        org_name=" Hope House Amman ",
        org_country="jo",
        case_prefix="hha",
        autolock_minutes=12,
        follow_up_months="2, 4",
    )
    assert saved == read_settings(admin_session)
    assert (saved.org_name, saved.org_country, saved.case_prefix) == (
        "Hope House Amman",
        "JO",
        "HHA",
    )
    assert admin_session.meta.get("autolock_minutes") == "12"
    last = admin_session.audit_log.events()[-1]
    assert (last.action, last.object_type) == ("settings_change", "settings")
    assert "Amman" not in last.object_id  # names the settings, not their values
    assert set(last.object_id.split(",")) == {
        "org_name",
        "org_country",
        "case_prefix",
        "autolock_minutes",
        "follow_up_months",
    }

    # The new prefix numbers new cases; the new months schedule follow-ups.
    cf = open_case(admin_session)
    assert cf.case.number.startswith("HHA-")
    cases.save_record(
        admin_session,
        Return(case_id=cf.case.id, travel_on=TODAY, destination_country="SD"),
        today=TODAY,
    )
    scheduled = cases.schedule_follow_ups(admin_session, cf.case.id)
    assert [f.scheduled_on for f in scheduled] == [dt.date(2027, 1, 20), dt.date(2027, 3, 20)]

    # Saving the same settings again changes nothing and writes no audit event.
    count = admin_session.audit_log.count()
    save_settings(admin_session, replace(saved))
    assert admin_session.audit_log.count() == count


def test_only_an_administrator_changes_settings(admin_session: Session) -> None:
    users.add_user(admin_session, "sam", Role.SUPERVISOR, "copper willow seventy kestrel")
    supervisor = admin_session.installation.unlock("sam", "copper willow seventy kestrel")
    with pytest.raises(PermissionDenied):
        read_settings(supervisor)
    with pytest.raises(PermissionDenied):
        save_settings(supervisor, read_settings(admin_session))
    supervisor.lock()
