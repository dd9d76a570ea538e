"""User accounts: add, list, disable, enable, change role, passphrases."""

from __future__ import annotations

from shelter_desk.domain.errors import AuthError, NotFound, ValidationError
from shelter_desk.i18n import LANGUAGES, _
from shelter_desk.security import passphrase as pp
from shelter_desk.security.audit import Action
from shelter_desk.security.keyslots import random_id, unwrap_key
from shelter_desk.security.permissions import Permission, Role
from shelter_desk.services.installation import (
    Installation,
    now_iso,
    username_rule,
    username_taken,
    valid_username,
)
from shelter_desk.services.session import Session
from shelter_desk.store.accounts import UserRow


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
    with session.db.transaction():
        session.users.add(user)
        session.audit(Action.USER_ADD, "user", user.id)
        session.installation.write_slot(slot)  # last: a failure here rolls back the row
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
    with session.db.transaction():
        session.users.set_disabled(user.id, True)
        session.audit(Action.USER_DISABLE, "user", user.id)
        session.installation.disable_slot(user.id)


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
    slot = session.installation.slots().slots.get(session.user.id)
    if slot is None:
        raise AuthError(_("Your key slot is missing."))
    unwrap_key(slot, pp.normalise(current))
    _rewrap(session, session.user, new, Action.PASSPHRASE_CHANGE)


def reset_passphrase(session: Session, username: str, new: str) -> None:
    """An administrator sets a new passphrase for another user (and re-enables them)."""
    session.require(Permission.MANAGE_USERS)
    user = _user_named(session, username)
    _rewrap(session, user, new, Action.PASSPHRASE_RESET)
    if user.disabled:
        with session.db.transaction():
            session.users.set_disabled(user.id, False)
            session.audit(Action.USER_ENABLE, "user", user.id)


def reset_with_recovery(
    installation: Installation, recovery_key: str, username: str, new: str
) -> None:
    """Forgotten passphrase: the recovery key opens the database and re-wraps ``username``."""
    key = installation.unwrap_recovery(recovery_key)
    from shelter_desk.store.accounts import Users
    from shelter_desk.store.db import Database

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


def _rewrap(session: Session, user: UserRow, new: str, action: Action) -> None:
    pp.check_strength(new, user_inputs=(user.username, user.display_name, session.org_name))
    slot = session.installation.wrap_for_user(
        session.database_key, user.id, user.username, pp.normalise(new)
    )
    with session.db.transaction():
        session.audit(action, "user", user.id)
        session.installation.write_slot(slot)


def set_language(session: Session, language: str) -> None:
    if language not in LANGUAGES:
        raise ValidationError({"language": _("Unsupported language.")})
    with session.db.transaction():
        session.users.set_language(session.user.id, language)
