"""A user name that only looks like a taken one (look-alike letters) is refused, with a clear
message, and nothing is added."""

from __future__ import annotations

import pytest

from shelter_desk.domain.errors import ValidationError
from shelter_desk.security.permissions import Role
from shelter_desk.services import users
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from tests.conftest import ADMIN

PASSPHRASE = "granite meadow violin ninety"


def test_a_cyrillic_look_alike_of_a_taken_name_is_refused(
    admin_session: Session, installation: Installation
) -> None:
    users.add_user(admin_session, "demo", Role.CASEWORKER, PASSPHRASE)
    before = [u.username for u in users.list_users(admin_session)]
    slots_before = installation.slots_path.read_bytes()
    with pytest.raises(ValidationError) as refused:
        users.add_user(admin_session, "dem\u043e", Role.CASEWORKER, PASSPHRASE)
    assert refused.value.errors == {
        "username": "The user name dem\u043e looks like demo, which is taken."
    }
    assert [u.username for u in users.list_users(admin_session)] == before
    assert installation.slots_path.read_bytes() == slots_before


@pytest.mark.parametrize("look_alike", ["AMIRA", "arnira", "amir\u0430"])
def test_look_alikes_of_the_administrator_are_refused(
    admin_session: Session, look_alike: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        users.add_user(admin_session, look_alike, Role.CASEWORKER, PASSPHRASE)
    assert f"looks like {ADMIN}" in refused.value.errors["username"]


def test_the_same_name_is_still_taken_and_a_different_one_is_fine(
    admin_session: Session,
) -> None:
    with pytest.raises(ValidationError) as refused:
        users.add_user(admin_session, ADMIN, Role.CASEWORKER, PASSPHRASE)
    assert refused.value.errors == {"username": f"The user name {ADMIN} is taken."}
    added = users.add_user(admin_session, "amir", Role.CASEWORKER, PASSPHRASE)
    assert added.username == "amir"
