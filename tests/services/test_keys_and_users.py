"""Key slots, passphrases, the recovery key, users, roles and the instance lock."""

from __future__ import annotations

import json
import os

import pytest

from shelter_desk.domain.errors import AuthError, PermissionDenied, StoreError, ValidationError
from shelter_desk.security.permissions import Permission, Role
from shelter_desk.services import users
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, ORG

BOB_PASS = "granite meadow violin ninety"


def test_two_users_unlock_the_same_data(admin_session: Session, installation: Installation) -> None:
    users.add_user(admin_session, "bob", Role.CASEWORKER, BOB_PASS)
    admin_session.meta.set("shared", "same data")
    admin_session.lock()
    bob = installation.unlock("bob", BOB_PASS)
    assert bob.meta.get("shared") == "same data"
    assert bob.role is Role.CASEWORKER
    bob.lock()


def test_wrong_passphrase_unknown_and_disabled_user(
    admin_session: Session, installation: Installation
) -> None:
    users.add_user(admin_session, "bob", Role.CASEWORKER, BOB_PASS)
    users.disable_user(admin_session, "bob")
    admin_session.lock()
    with pytest.raises(AuthError, match="Wrong passphrase"):
        installation.unlock(ADMIN, "not the passphrase at all")
    with pytest.raises(AuthError, match="no user called"):
        installation.unlock("nobody", ADMIN_PASSPHRASE)
    with pytest.raises(AuthError, match="disabled"):
        installation.unlock("bob", BOB_PASS)
    assert "bob" not in installation.usernames()


def test_repeated_failures_slow_further_attempts_and_are_audited(
    admin_session: Session, installation: Installation
) -> None:
    admin_session.lock()
    for _ in range(3):
        with pytest.raises(AuthError, match="Wrong passphrase"):
            installation.unlock(ADMIN, "wrong wrong wrong")
    with pytest.raises(AuthError, match="Try again in"):
        installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    slots = json.loads(installation.slots_path.read_text())
    admin_slot = next(s for s in slots["slots"] if s["username"] == ADMIN)
    assert admin_slot["failures"] == 3
    # After the wait the right passphrase works and the failures land in the audit log.
    admin_slot["last_failure"] = 0
    installation.slots_path.write_text(json.dumps(slots))
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    actions = [e.action for e in session.audit_log.events()]
    assert actions.count("login_failed") == 3
    session.lock()


def test_passphrase_change_and_old_stops_working(
    admin_session: Session, installation: Installation
) -> None:
    new = "copper kettle winter orchard"
    with pytest.raises(AuthError):
        users.change_own_passphrase(admin_session, "wrong current passphrase", new)
    users.change_own_passphrase(admin_session, ADMIN_PASSPHRASE, new)
    admin_session.lock()
    with pytest.raises(AuthError):
        installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    installation.unlock(ADMIN, new).lock()


def test_recovery_key_resets_a_forgotten_passphrase(tmp_path: object) -> None:
    from pathlib import Path

    inst = Installation(Path(str(tmp_path)) / "d")
    session, recovery = inst.create(org_name=ORG, admin=ADMIN, passphrase=ADMIN_PASSPHRASE)
    session.lock()
    with pytest.raises(AuthError, match="recovery key"):
        users.reset_with_recovery(inst, "abandon " * 11 + "about", ADMIN, "new pass phrase here")
    new = "silver river lighthouse eight"
    users.reset_with_recovery(inst, recovery.upper().replace(" ", "-"), ADMIN, new)
    with pytest.raises(AuthError):
        inst.unlock(ADMIN, ADMIN_PASSPHRASE)
    s = inst.unlock(ADMIN, new)
    assert "recovery_used" in [e.action for e in s.audit_log.events()]
    s.lock()
    inst.release()


def test_admin_resets_another_users_passphrase(
    admin_session: Session, installation: Installation
) -> None:
    users.add_user(admin_session, "bob", Role.CASEWORKER, BOB_PASS)
    users.reset_passphrase(admin_session, "bob", "plum harbour cactus forty")
    admin_session.lock()
    with pytest.raises(AuthError):
        installation.unlock("bob", BOB_PASS)
    installation.unlock("bob", "plum harbour cactus forty").lock()


def test_tampered_slot_is_rejected(admin_session: Session, installation: Installation) -> None:
    users.add_user(admin_session, "bob", Role.CASEWORKER, BOB_PASS)
    admin_session.lock()
    slots = json.loads(installation.slots_path.read_text())
    bob = next(s for s in slots["slots"] if s["username"] == "bob")
    admin = next(s for s in slots["slots"] if s["username"] == ADMIN)
    # Bob's wrapped key moved onto the admin's slot id: associated data no longer matches.
    admin.update({k: bob[k] for k in ("kdf", "nonce", "wrapped_key")})
    installation.slots_path.write_text(json.dumps(slots))
    with pytest.raises(AuthError):
        installation.unlock(ADMIN, BOB_PASS)
    # A flipped byte in the ciphertext.
    slots = json.loads(installation.slots_path.read_text())
    bob = next(s for s in slots["slots"] if s["username"] == "bob")
    raw = bytearray(__import__("base64").b64decode(bob["wrapped_key"]))
    raw[0] ^= 1
    bob["wrapped_key"] = __import__("base64").b64encode(bytes(raw)).decode()
    installation.slots_path.write_text(json.dumps(slots))
    with pytest.raises(AuthError):
        installation.unlock("bob", BOB_PASS)


def test_missing_slots_file(admin_session: Session, installation: Installation) -> None:
    admin_session.lock()
    installation.slots_path.unlink()
    with pytest.raises(StoreError, match="missing"):
        installation.unlock(ADMIN, ADMIN_PASSPHRASE)


def test_weak_passphrase_refused_with_explanation(installation: Installation) -> None:
    with pytest.raises(ValidationError) as info:
        installation.create(org_name=ORG, admin=ADMIN, passphrase="password1")
    assert "too easy to guess" in info.value.errors["passphrase"]
    assert not installation.exists()


def test_second_running_copy_is_refused(admin_session: Session, installation: Installation) -> None:
    other = Installation(installation.root)
    with pytest.raises(StoreError, match="already open"):
        other.unlock(ADMIN, ADMIN_PASSPHRASE)


def test_init_refuses_existing_installation(
    admin_session: Session, installation: Installation
) -> None:
    with pytest.raises(StoreError, match="already exists"):
        installation.create(org_name=ORG, admin="other", passphrase=ADMIN_PASSPHRASE)


def test_roles_are_enforced(admin_session: Session, installation: Installation) -> None:
    users.add_user(admin_session, "bob", Role.CASEWORKER, BOB_PASS)
    users.add_user(admin_session, "aud", Role.AUDITOR, "quiet falcon mosaic thirty")
    admin_session.lock()
    bob = installation.unlock("bob", BOB_PASS)
    with pytest.raises(PermissionDenied):
        users.add_user(bob, "eve", Role.ADMIN, "some strong passphrase here")
    assert not bob.can(Permission.EXPORT)
    bob.lock()
    aud = installation.unlock("aud", "quiet falcon mosaic thirty")
    assert aud.can(Permission.VIEW_AUDIT)
    assert not aud.can(Permission.VIEW_CASES)
    aud.lock()


def test_last_admin_cannot_be_disabled_or_demoted(admin_session: Session) -> None:
    with pytest.raises(ValidationError):
        users.disable_user(admin_session, ADMIN)
    with pytest.raises(ValidationError):
        users.set_role(admin_session, ADMIN, Role.CASEWORKER)


def test_locked_session_refuses_work(admin_session: Session) -> None:
    admin_session.lock()
    with pytest.raises(AuthError, match="locked"):
        users.list_users(admin_session)


# -- crash consistency of slot changes, locking, failed commits (issue 11 items 5-7) -------
def test_orphan_slot_is_removed_on_unlock_and_the_name_can_be_added_again(
    admin_session: Session, installation: Installation
) -> None:
    """A key slot for a user the database does not know (left by a crash before the user's
    row was committed) is erased on the next unlock, audited, and the name is free again."""
    from shelter_desk.security.keyslots import random_id, save_slots, wrap_key

    admin_session.lock()
    slots = installation.slots()
    orphan_id = random_id()
    slots.slots[orphan_id] = wrap_key(
        _database_key(installation), BOB_PASS, slot_id=orphan_id, username="bob", version=1
    )
    save_slots(installation.slots_path, slots)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    assert orphan_id not in installation.slots().slots
    repairs = [e for e in session.audit_log.events() if e.action == "key_slot_repair"]
    assert [e.object_id for e in repairs] == [orphan_id]
    users.add_user(session, "bob", Role.CASEWORKER, "plum harbour cactus forty")
    session.lock()
    installation.unlock("bob", "plum harbour cactus forty").lock()
    with pytest.raises(AuthError):
        installation.unlock("bob", BOB_PASS)


def _database_key(installation: Installation) -> bytes:
    from shelter_desk.security.keyslots import unwrap_key

    admin = next(s for s in installation.slots().slots.values() if s.username == ADMIN)
    return unwrap_key(admin, ADMIN_PASSPHRASE)


def test_failed_slot_write_changes_nothing(
    admin_session: Session, installation: Installation
) -> None:
    """When the key file cannot be written, add, passphrase change and disable each leave
    the accounts, the audit log and the key file as they were."""
    from shelter_desk.domain.errors import ShelterDeskError

    users.add_user(admin_session, "bob", Role.CASEWORKER, BOB_PASS)
    before_slots = installation.slots_path.read_bytes()
    before_events = admin_session.audit_log.count()
    # The temporary file the key file is written through is in the way: a real EISDIR.
    name = installation.slots_path.name
    installation.slots_path.with_name(f".{name}.{os.getpid()}.tmp").mkdir()
    with pytest.raises(ShelterDeskError, match="Could not write"):
        users.add_user(admin_session, "eve", Role.CASEWORKER, "quiet falcon mosaic thirty")
    with pytest.raises(ShelterDeskError, match="Could not write"):
        users.change_own_passphrase(admin_session, ADMIN_PASSPHRASE, "copper kettle winter orchard")
    with pytest.raises(ShelterDeskError, match="Could not write"):
        users.disable_user(admin_session, "bob")
    assert installation.slots_path.read_bytes() == before_slots
    assert admin_session.audit_log.count() == before_events
    assert admin_session.users.by_name("eve") is None
    bob = admin_session.users.by_name("bob")
    assert bob is not None and not bob.disabled


def test_lock_closes_and_wipes_the_key_when_the_audit_write_fails(
    admin_session: Session, installation: Installation
) -> None:
    """A full disk: the database may not grow by one more page, so audit writes fail. Lock
    still closes the database and zeroes the key."""
    from shelter_desk.security.audit import Action

    db = admin_session.db
    db.execute(f"PRAGMA max_page_count = {int(db.scalar('PRAGMA page_count'))}")
    with pytest.raises(StoreError, match="disk is full"):
        for _ in range(10_000):
            admin_session.audit(Action.VIEW, "user", admin_session.user.id)
    key = admin_session._key  # the session's own copy of the database key
    assert any(key)
    admin_session.lock()
    assert db.closed
    assert not admin_session.open
    assert key == bytearray(len(key))
    with pytest.raises(AuthError, match="locked"):
        _ = admin_session.database_key
    # The lock event could not be written; everything written before it is intact.
    again = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    actions = [e.action for e in again.audit_log.events()]
    assert actions[-2:] == ["view", "unlock"]
    again.lock()


def test_failed_commit_is_rolled_back_and_later_writes_work(admin_session: Session) -> None:
    """A COMMIT that fails (here a deferred constraint, checked only at COMMIT) saves
    nothing and leaves the connection usable for the next transaction."""
    import sqlcipher3

    db = admin_session.db
    db.execute("CREATE TEMP TABLE parent (id INTEGER PRIMARY KEY)")
    db.execute(
        "CREATE TEMP TABLE child (parent INTEGER REFERENCES parent(id)"
        " DEFERRABLE INITIALLY DEFERRED)"
    )
    with pytest.raises(sqlcipher3.IntegrityError), db.transaction():
        admin_session.meta.set("lost", "x")
        db.execute("INSERT INTO child VALUES (1)")
    assert admin_session.meta.get("lost") == ""
    with db.transaction():
        admin_session.meta.set("kept", "y")
    assert admin_session.meta.get("kept") == "y"
