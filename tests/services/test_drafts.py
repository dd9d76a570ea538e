"""Drafts survive a lock, per user, encrypted in the database."""

from __future__ import annotations

from shelter_desk.services import drafts, users
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from tests.conftest import ADMIN, ADMIN_PASSPHRASE


def test_draft_survives_lock_and_is_per_user(
    admin_session: Session, installation: Installation
) -> None:
    drafts.save_draft(admin_session, "new-case", {"first_name": "Amal", "notes": "half typed"})
    users.add_user(admin_session, "bob", "caseworker", "granite meadow violin ninety")
    admin_session.lock()
    bob = installation.unlock("bob", "granite meadow violin ninety")
    assert drafts.load_draft(bob, "new-case") is None
    bob.lock()
    again = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    assert drafts.load_draft(again, "new-case") == {"first_name": "Amal", "notes": "half typed"}
    assert drafts.draft_keys(again) == ["new-case"]
    drafts.discard_draft(again, "new-case")
    assert drafts.load_draft(again, "new-case") is None
    again.lock()
    assert b"half typed" not in installation.db_path.read_bytes()
