"""An installation: its data folder, creating it, and unlocking it into a Session.

Files in the data folder: the SQLCipher database, the key slots file beside it, and a lock
file. Nothing else is written there except encrypted backups' temporary copies, a restore's
candidate and journal (see ``restore_swap``: the next start completes or deletes them), and,
after a restore, the replaced (still encrypted) ``.replaced-…`` files, which are never
overwritten and over which no new installation is created.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from anyascii import anyascii

from shelter_desk.domain.errors import AuthError, StoreError, ValidationError
from shelter_desk.domain.os_errors import os_error_reason, read_only_message
from shelter_desk.domain.text import looks_like
from shelter_desk.i18n import LANGUAGES, _, countries
from shelter_desk.security import passphrase as pp
from shelter_desk.security.atomic import disk_error
from shelter_desk.security.audit import Action
from shelter_desk.security.keyslots import (
    RECOVERY_SLOT,
    KdfParams,
    KeySlot,
    SlotsFile,
    load_slots,
    new_database_key,
    random_id,
    save_slots,
    unwrap_key,
    wrap_key,
)
from shelter_desk.security.permissions import Role
from shelter_desk.services import restore_swap
from shelter_desk.services.lockfile import InstanceLock

if TYPE_CHECKING:  # the database and session stack loads on first unlock, not before
    from shelter_desk.services.session import Session
    from shelter_desk.store.accounts import UserRow
    from shelter_desk.store.db import Database

DB_NAME = "shelter-desk.db"
SLOTS_NAME = "keyslots.json"
LOCK_NAME = "shelter-desk.lock"
INSTALLATION_ROLES = ("shelter", "coordinator")
# The demo installation's published sign-in: it holds invented people only.
DEMO_USER = "demo"
DEMO_PASSPHRASE = "shelter-desk-demo"


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Installation:
    """One data folder. Holds the single-copy lock while this process uses it."""

    def __init__(self, data_dir: Path, kdf: KdfParams | None = None) -> None:
        self.root = Path(data_dir)
        self.db_path = self.root / DB_NAME
        self.slots_path = self.root / SLOTS_NAME
        self.kdf = kdf or KdfParams()
        self._lock = InstanceLock(self.root / LOCK_NAME)
        self._read_only = False

    # -- state ---------------------------------------------------------------------
    def exists(self) -> bool:
        """Whether the folder holds an installation (or a restore that the next
        ``acquire`` completes)."""
        return (
            self.db_path.exists()
            or self.slots_path.exists()
            or (self.root / restore_swap.JOURNAL).exists()
        )

    def slots(self) -> SlotsFile:
        return load_slots(self.slots_path)

    def usernames(self) -> list[str]:
        """Users who can unlock (not disabled), for the unlock screen."""
        return sorted({w.username for w in _wraps_for(self.slots(), None)})

    def acquire(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StoreError(
                _("Cannot use the folder {path}: {reason}").format(
                    path=self.root, reason=os_error_reason(exc)
                )
            ) from exc
        first = not self._lock.held
        self._lock.acquire()
        if first and not self._lock.read_only:
            self._recover()
        self._read_only = self._lock.read_only or not all(
            os.access(p, os.W_OK) for p in (self.root, self.db_path, self.slots_path) if p.exists()
        )

    @property
    def read_only(self) -> bool:
        """Whether the data folder cannot be written (known once acquired). The installation
        then opens for reading only: sign-in failures and audit events cannot be recorded."""
        return self._lock.held and self._read_only

    def release(self) -> None:
        self._lock.release()

    def _recover(self) -> None:
        """On every start: complete a restore's interrupted swap, delete the full copies a
        killed backup or restore left (see ``restore_swap``)."""
        try:
            restore_swap.recover(self.root)
        except OSError as exc:
            self._lock.release()
            raise StoreError(disk_error(exc, self.root).message) from exc

    def _refuse_to_create(self) -> None:
        """Never create an installation over another one or over what is left of one."""
        leftovers = restore_swap.leftover_data(self.root, DB_NAME, SLOTS_NAME)
        if leftovers:
            raise StoreError(
                _(
                    "The folder {path} holds the data of an installation ({names}); nothing"
                    " was created. Restore a backup into it, or move those files elsewhere"
                    " first if you are sure nobody needs them."
                ).format(path=self.root, names=", ".join(leftovers))
            )
        if self.exists():
            raise StoreError(
                _("An installation already exists in {path}; nothing was changed.").format(
                    path=self.root
                )
            )

    # -- creating ------------------------------------------------------------------
    def create(
        self,
        *,
        org_name: str,
        admin: str,
        passphrase: str,
        role: str = "shelter",
        country: str = "",
        demo: bool = False,
        language: str = "en",
    ) -> tuple[Session, str]:
        """Create the encrypted installation; return the admin's session and the recovery key.

        The database is built under a temporary name and renamed into place only after the
        key slots are safely on disk, so a crash never leaves a half-made installation.
        """
        self._refuse_to_create()
        _validate_new(org_name, admin, role, country, language)
        if not demo:
            pp.check_strength(passphrase, user_inputs=(admin, org_name))
        self.acquire()
        self._refuse_to_create()  # acquiring may have completed an interrupted restore
        if self.read_only:
            raise StoreError(read_only_message())
        key = new_database_key()
        recovery = pp.new_recovery_key()
        from shelter_desk.store.db import Database

        building = self.root / f".{DB_NAME}.creating"
        _remove_db_files(building)
        try:
            db = Database.create(building, key)
            admin_row = _initial_content(db, org_name, admin, role, country, demo, language)
            db.close()
            slots = SlotsFile(installation_id=random_id(), role=role, demo=demo)
            slots.slots[admin_row.id] = self._wrap(key, passphrase, admin_row.id, admin, 1)
            slots.slots[RECOVERY_SLOT] = self._wrap(key, recovery, RECOVERY_SLOT, "", 1)
            save_slots(self.slots_path, slots)
            os.replace(building, self.db_path)
        except BaseException:
            _remove_db_files(building)
            with contextlib.suppress(OSError):
                self.slots_path.unlink()
            raise
        session = self._open_session(key, admin_row.id, Action.INSTALL)
        return session, recovery

    def _wrap(self, key: bytes, secret: str, slot_id: str, username: str, version: int) -> KeySlot:
        return wrap_key(
            key,
            _secret(secret, slot_id),
            slot_id=slot_id,
            username=username,
            version=version,
            kdf=self.kdf,
        )

    # -- unlocking -----------------------------------------------------------------
    def unlock(self, username: str, passphrase: str) -> Session:
        if not self.exists():
            raise StoreError(_("There is no installation in {path}.").format(path=self.root))
        self.acquire()
        slots = self.slots()
        wraps = _wraps_for(slots, username)
        if not wraps:
            _refuse_unknown(slots, username)
        slot = slots.slots[wraps[0].slot_id]
        pp.check_not_throttled(slot.failures, slot.last_failure)
        key, used = _unwrap_any(wraps, pp.normalise(passphrase))
        if used is None:
            self._record_failure(slots, slot)
            raise AuthError(_("Wrong passphrase."))
        slot = slots.slots[used.slot_id]
        failures = slot.failures
        if failures and not self.read_only:
            slots.slots[slot.slot_id] = replace(slot, failures=0, last_failure=0.0)
            save_slots(self.slots_path, slots)
        session = self._open_session(key, slot.slot_id, Action.UNLOCK, used=used)
        for _n in range(failures):
            session.audit(Action.LOGIN_FAILED, "user", slot.slot_id)
        return session

    def unwrap_recovery(self, recovery_key: str) -> bytes:
        """The database key from the recovery key (throttled like a passphrase)."""
        self.acquire()
        slots = self.slots()
        slot = slots.slots.get(RECOVERY_SLOT)
        if slot is None:
            raise StoreError(_("This installation has no recovery key slot."))
        pp.check_not_throttled(slot.failures, slot.last_failure)
        try:
            key = unwrap_key(slot, _secret(recovery_key, RECOVERY_SLOT))
        except AuthError as exc:
            self._record_failure(slots, slot)
            raise AuthError(_("Wrong recovery key.")) from exc
        if slot.failures and not self.read_only:
            slots.slots[RECOVERY_SLOT] = replace(slot, failures=0, last_failure=0.0)
            save_slots(self.slots_path, slots)
        return key

    def open_with_key(self, key: bytes, user_id: str) -> Session:
        """A session for ``user_id`` after the key was obtained another way (recovery)."""
        return self._open_session(key, user_id, Action.RECOVERY_USED)

    def _record_failure(self, slots: SlotsFile, slot: KeySlot) -> None:
        if self.read_only:
            return  # cannot be counted on a folder that cannot be written
        import time

        slots.slots[slot.slot_id] = replace(
            slot, failures=slot.failures + 1, last_failure=time.time()
        )
        save_slots(self.slots_path, slots)

    def _open_session(
        self, key: bytes, user_id: str, action: Action, *, used: KeySlot | None = None
    ) -> Session:
        """Open the database, settle the key slots against it, then start the session.

        ``used`` is the wrapped key the passphrase opened: it must still be the user's key
        once interrupted slot changes are settled (a passphrase replaced by a committed
        change, or a change that never committed, opens nothing).
        """
        from shelter_desk.services.session import Session
        from shelter_desk.services.users import reconcile_slots
        from shelter_desk.store.db import Database

        db = Database.open(self.db_path, key, read_only=self.read_only)
        try:
            slots = reconcile_slots(self, db, user_id, write=not self.read_only)
            if used is not None:
                self._check_still_valid(slots, used)
            session = Session.start(self, db, key, user_id)
        except BaseException:
            db.close()
            raise
        session.audit(action, "user", user_id)
        return session

    def _check_still_valid(self, slots: SlotsFile, used: KeySlot) -> None:
        slot = slots.slots.get(used.slot_id)
        if slot is None:
            raise AuthError(_("There is no user called {name} here.").format(name=used.username))
        if slot.disabled:
            raise AuthError(_("The account {name} is disabled.").format(name=used.username))
        if (slot.version, slot.wrapped_key) != (used.version, used.wrapped_key):
            self._record_failure(slots, slot)
            raise AuthError(_("Wrong passphrase."))

    def save_slot(self, slot: KeySlot) -> None:
        """Write one slot into the slots file (atomically, with the others unchanged)."""
        slots = self.slots()
        slots.slots[slot.slot_id] = slot
        save_slots(self.slots_path, slots)

    def drop_slot(self, slot_id: str) -> None:
        slots = self.slots()
        if slots.slots.pop(slot_id, None) is not None:
            save_slots(self.slots_path, slots)

    def wrap_for_user(self, key: bytes, user_id: str, username: str, passphrase: str) -> KeySlot:
        """A new wrapped key for ``user_id``, one version above any it had (or has pending)."""
        existing = self.slots().slots.get(user_id)
        version = 1
        if existing is not None:
            pending = existing.pending.slot if existing.pending else None
            version = max(existing.version, pending.version if pending else 0) + 1
        return self._wrap(key, passphrase, user_id, username, version)


def _secret(secret: str, slot_id: str) -> str:
    if slot_id == RECOVERY_SLOT:
        return pp.normalise_recovery_key(secret)
    return pp.normalise(secret)


def _wraps_for(slots: SlotsFile, username: str | None) -> list[KeySlot]:
    """The wrapped keys that may open the database for ``username`` (None: anyone).

    Normally one. A slot change interrupted by a crash adds its pending key, and until the
    next unlock settles it, either may be the valid one.
    """
    wraps = []
    for slot in slots.slots.values():
        if slot.slot_id == RECOVERY_SLOT or username not in (None, slot.username):
            continue
        if slot.has_key:
            wraps.append(slot)
        if slot.pending is not None and slot.pending.slot is not None:
            wraps.append(slot.pending.slot)
    return wraps


def _refuse_unknown(slots: SlotsFile, username: str) -> NoReturn:
    if any(s.username == username and s.slot_id != RECOVERY_SLOT for s in slots.slots.values()):
        raise AuthError(_("The account {name} is disabled.").format(name=username))
    raise AuthError(_("There is no user called {name} here.").format(name=username))


def _unwrap_any(wraps: list[KeySlot], passphrase: str) -> tuple[bytes, KeySlot | None]:
    for wrap in wraps:
        try:
            return unwrap_key(wrap, passphrase), wrap
        except AuthError:
            continue
    return b"", None


def _validate_new(org_name: str, admin: str, role: str, country: str, language: str) -> None:
    errors: dict[str, str] = {}
    if not org_name.strip():
        errors["org_name"] = _("Enter the organisation's name.")
    if not valid_username(admin):
        errors["admin"] = username_rule()
    if role not in INSTALLATION_ROLES:
        errors["role"] = _("The role must be shelter or coordinator.")
    if country and not known_country(country):
        errors["country"] = _("Use a two-letter country code such as IL or JO.")
    if language not in LANGUAGES:
        errors["language"] = _("Unsupported language.")
    if errors:
        raise ValidationError(errors)


def known_country(code: str) -> bool:
    """An ISO 3166-1 alpha-2 code from the country list the first-run form offers."""
    return any(c == code for c, _name in countries())


def valid_username(name: str) -> bool:
    return 2 <= len(name) <= 40 and all(c.isalnum() or c in "._-" for c in name)


def username_rule() -> str:
    return _("A user name has 2 to 40 letters, digits, dots, dashes or underscores.")


def username_taken(name: str, existing: Iterable[str]) -> str | None:
    """Why ``name`` cannot be added beside the ``existing`` user names (translated), or
    None: it is one of them, or looks like one (Latin ``demo`` and ``demо`` with a
    Cyrillic ``о``, compared by their UTS #39 skeletons, ignoring case)."""
    for other in existing:
        if other == name:
            return _("The user name {name} is taken.").format(name=name)
        if looks_like(other, name):
            return _("The user name {name} looks like {other}, which is taken.").format(
                name=name, other=other
            )
    return None


def _initial_content(
    db: Database, org: str, admin: str, role: str, country: str, demo: bool, language: str
) -> UserRow:
    from shelter_desk.store.accounts import Meta, UserRow, Users

    admin_row = UserRow(random_id(), admin, admin, Role.ADMIN, language, False, now_iso())
    import uuid6

    from shelter_desk.sync.identity import DeviceIdentity

    identity = DeviceIdentity.generate()  # this installation's signing and encryption keys
    with db.transaction():
        Users(db).add(admin_row)
        meta = Meta(db)
        for key, value in {
            "org_name": org,
            "org_country": country,
            "org_id": str(uuid6.uuid7()),
            "case_prefix": case_prefix_for(org),
            "installation_role": role,
            "demo": "1" if demo else "0",
            "device_id": identity.key_id,
            "device_key": base64.b64encode(identity.to_private_bytes()).decode("ascii"),
            "created_at": now_iso(),
        }.items():
            meta.set(key, value)
    return admin_row


def case_prefix_for(org_name: str) -> str:
    """A short Latin prefix for case numbers from the organisation's name (``Hope House``
    -> ``HH``; ``בית חם`` -> ``BH``); an administrator can change it in the settings."""
    words = [w for w in anyascii(org_name).upper().split() if any(c.isalnum() for c in w)]
    letters = "".join(next(c for c in w if c.isalnum()) for w in words[:4])
    if len(words) == 1:
        letters = "".join(c for c in words[0] if c.isalnum())[:4]
    return letters if len(letters) >= 2 else "CASE"


def _remove_db_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()
