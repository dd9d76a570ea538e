"""User accounts: add, list, disable, enable, change role, passphrases.

Adding a user, changing a passphrase and disabling a user each change two files: the key
slots and the database. :func:`_change_slot` orders the writes so that a crash at any
point leaves both agreeing once ``slot_repair.reconcile_slots`` (run on every unlock) has settled
them: the slot change is written pending on the audit event of its database transaction,
and takes effect exactly when that transaction committed. A disabled user's key is erased
before the commit; if the commit never happened, the disable is completed on the next
unlock (and audited), because an erased key cannot come back.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace

from shelter_desk.domain.errors import AuthError, NotFound, ShelterDeskError, ValidationError
from shelter_desk.i18n import LANGUAGES, _
from shelter_desk.security import passphrase as pp
from shelter_desk.security.audit import Action
from shelter_desk.security.keyslots import (
    KeySlot,
    Pending,
    erased,
    placeholder,
    random_id,
    settled,
    unwrap_key,
)
from shelter_desk.security.permissions import Permission, Role
from shelter_desk.services.data_folder import now_iso
from shelter_desk.services.installation import (
    Installation,
    username_rule,
    username_taken,
    valid_username,
)
from shelter_desk.services.session import Session
from shelter_desk.services.slot_repair import committed
from shelter_desk.store.accounts import UserRow, Users
from shelter_desk.store.db import Database


def list_users(session: Session) -> list[UserRow]:
    session.require(Permission.MANAGE_USERS)
    return session.users.all()


def add_user(
    session: Session,
    username: str,
    role: str,
    passphrase: str,
    *,
    display_name: str = "",
    language: str = "en",
) -> UserRow:
    session.require(Permission.MANAGE_USERS)
    errors: dict[str, str] = {}
    if not valid_username(username):
        errors["username"] = username_rule()
    elif taken := username_taken(username, (u.username for u in session.users.all())):
        errors["username"] = taken
    if role not in set(Role):
        errors["role"] = _("Unknown role.")
    if language not in LANGUAGES:
        errors["language"] = _("Unsupported language.")
    if errors:
        raise ValidationError(errors)
    pp.check_strength(passphrase, user_inputs=(username, display_name, session.org_name))
    user = UserRow(
        random_id(), username, display_name or username, role, language, False, now_iso()
    )
    slot = session.installation.wrap_for_user(session.database_key, user.id, username, passphrase)
    _change_slot(
        session,
        user.id,
        Action.USER_ADD,
        lambda: session.users.add(user),
        lambda _current, pending: replace(
            placeholder(user.id, username), pending=replace(pending, slot=slot)
        ),
    )
    return user


def _user_named(session: Session, username: str) -> UserRow:
    user = session.users.by_name(username)
    if user is None:
        raise NotFound(_("There is no user called {name} here.").format(name=username))
    return user


def disable_user(session: Session, username: str) -> None:
    session.require(Permission.MANAGE_USERS)
    user = _user_named(session, username)
    if user.id == session.user.id:
        raise ValidationError({"username": _("You cannot disable your own account.")})
    if user.role == Role.ADMIN and _active_admins(session) <= 1:
        raise ValidationError({"username": _("The last administrator cannot be disabled.")})
    _change_slot(
        session,
        user.id,
        Action.USER_DISABLE,
        lambda: session.users.set_disabled(user.id, True),
        lambda current, pending: replace(
            erased(current or placeholder(user.id, user.username)), pending=pending
        ),
    )


def set_role(session: Session, username: str, role: str) -> None:
    session.require(Permission.MANAGE_USERS)
    user = _user_named(session, username)
    if role not in set(Role):
        raise ValidationError({"role": _("Unknown role.")})
    if user.role == Role.ADMIN and role != Role.ADMIN and _active_admins(session) <= 1:
        raise ValidationError({"role": _("The last administrator must stay an administrator.")})
    with session.db.transaction():
        session.users.set_role(user.id, role)
        session.audit(Action.USER_ROLE, "user", user.id)


def _active_admins(session: Session) -> int:
    return sum(1 for u in session.users.all() if u.role == Role.ADMIN and not u.disabled)


def change_own_passphrase(session: Session, current: str, new: str) -> None:
    """Re-wrap the signed-in user's slot; the old passphrase stops working."""
    slot = _settled_slot(session, session.user.id)
    if slot is None or not slot.has_key:
        raise AuthError(_("Your key slot is missing."))
    unwrap_key(slot, pp.normalise(current))
    _rewrap(session, session.user, new, Action.PASSPHRASE_CHANGE)


def reset_passphrase(session: Session, username: str, new: str) -> None:
    """An administrator sets a new passphrase for another user (and re-enables them)."""
    session.require(Permission.MANAGE_USERS)
    user = _user_named(session, username)

    def enable() -> None:
        if user.disabled:
            session.users.set_disabled(user.id, False)
            session.audit(Action.USER_ENABLE, "user", user.id)

    _rewrap(session, user, new, Action.PASSPHRASE_RESET, enable)


def reset_with_recovery(
    installation: Installation, recovery_key: str, username: str, new: str
) -> None:
    """Forgotten passphrase: the recovery key opens the database and re-wraps ``username``."""
    key = installation.unwrap_recovery(recovery_key)

    db = Database.open(installation.db_path, key)
    try:
        user = Users(db).by_name(username)
    finally:
        db.close()
    if user is None:
        raise NotFound(_("There is no user called {name} here.").format(name=username))
    session = installation.open_with_key(key, user.id)
    try:
        _rewrap(session, user, new, Action.PASSPHRASE_RESET)
    finally:
        session.lock()


def _rewrap(
    session: Session,
    user: UserRow,
    new: str,
    action: Action,
    db_work: Callable[[], None] = lambda: None,
) -> None:
    pp.check_strength(new, user_inputs=(user.username, user.display_name, session.org_name))
    slot = session.installation.wrap_for_user(
        session.database_key, user.id, user.username, pp.normalise(new)
    )
    _change_slot(
        session,
        user.id,
        action,
        db_work,
        lambda current, pending: replace(
            current or placeholder(user.id, user.username), pending=replace(pending, slot=slot)
        ),
    )


# -- keeping the key slots and the accounts table in step ---------------------------------
def _settled_slot(session: Session, user_id: str) -> KeySlot | None:
    """The user's slot as it stands once a pending change is decided by the database."""
    slot = session.installation.slots().slots.get(user_id)
    return settled(slot, committed(session.audit_log, slot)) if slot else None


def _change_slot(
    session: Session,
    user_id: str,
    action: Action,
    db_work: Callable[[], None],
    staged: Callable[[KeySlot | None, Pending], KeySlot],
) -> None:
    """Change ``user_id``'s slot together with ``db_work`` and the ``action`` audit event.

    In one transaction: the database change, its audit event, then the slot file with the
    change pending on that event; COMMIT; then the pending mark is cleared. A crash before
    COMMIT leaves a pending change whose event is not in the database (dropped on the next
    unlock); a crash after it, one whose event is (taken over). A failure rolls both back.
    """
    inst = session.installation
    before = _settled_slot(session, user_id)
    written: KeySlot | None = None
    try:
        with session.db.transaction():
            db_work()
            seq, digest = session.audit(action, "user", user_id)
            written = staged(before, Pending(seq, digest, session.user.id))
            inst.save_slot(written)
    except BaseException:
        if written is not None:  # the slot file has the change: put the old slot back
            with contextlib.suppress(ShelterDeskError):
                if before is not None:
                    inst.save_slot(before)
                else:
                    inst.drop_slot(user_id)
        raise
    # Committed. If clearing the mark fails (disk full), the next unlock completes it.
    with contextlib.suppress(ShelterDeskError):
        inst.save_slot(settled(written, True))


def set_language(session: Session, language: str) -> None:
    if language not in LANGUAGES:
        raise ValidationError({"language": _("Unsupported language.")})
    with session.db.transaction():
        session.users.set_language(session.user.id, language)
