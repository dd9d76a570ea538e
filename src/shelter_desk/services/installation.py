"""An installation: creating its encrypted database in a data folder, and unlocking it
into a Session (the folder itself, its lock and key slots: ``data_folder``).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from shelter_desk import __version__
from shelter_desk.domain.errors import AuthError, ShelterDeskError, StoreError, ValidationError
from shelter_desk.domain.os_errors import read_only_message
from shelter_desk.domain.text import looks_like
from shelter_desk.i18n import LANGUAGES, _, countries
from shelter_desk.security import passphrase as pp
from shelter_desk.security.atomic import disk_error
from shelter_desk.security.audit import Action
from shelter_desk.security.keyslots import (
    RECOVERY_SLOT,
    KeySlot,
    SlotsFile,
    new_database_key,
    random_id,
    save_slots,
    unwrap_key,
)
from shelter_desk.security.permissions import Role
from shelter_desk.services.data_folder import DB_NAME, DataFolder, now_iso, wraps_for

if TYPE_CHECKING:  # the database and session stack loads on first unlock, not before
    from shelter_desk.services.session import Session
    from shelter_desk.store.accounts import UserRow
    from shelter_desk.store.db import Database

INSTALLATION_ROLES = ("shelter", "coordinator")
# The demo installation's published sign-in: it holds invented people only.
DEMO_USER = "demo"
DEMO_PASSPHRASE = "shelter-desk-demo"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    passphrase: str


# The demo's other published sign-ins, one per role to try (``services.demo.setting_up``
# adds them; here, the unlock window can show them without loading the services).
DEMO_ACCOUNTS = (
    DemoAccount("caseworker", Role.CASEWORKER, "shelter-desk-caseworker"),
    DemoAccount("supervisor", Role.SUPERVISOR, "shelter-desk-supervisor"),
)
# Where opening a data folder written by an earlier release puts the backup it takes first.
BACKUPS_FOLDER = "backups"


class Installation(DataFolder):
    """A data folder that can be created and unlocked into a :class:`Session`."""

    last_upgrade: Upgrade | None = None
    """Set by each unlock: the upgrade that opening made, if the data was older."""

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

    # -- unlocking -----------------------------------------------------------------
    def unlock(self, username: str, passphrase: str) -> Session:
        if not self.exists():
            raise StoreError(_("There is no installation in {path}.").format(path=self.root))
        self.acquire()
        slots = self.slots()
        wraps = wraps_for(slots, username)
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

    def open_with_key(self, key: bytes, user_id: str) -> Session:
        """A session for ``user_id`` after the key was obtained another way (recovery)."""
        return self._open_session(key, user_id, Action.RECOVERY_USED)

    def _open_session(
        self, key: bytes, user_id: str, action: Action, *, used: KeySlot | None = None
    ) -> Session:
        """Open the database, settle the key slots against it, then start the session.

        ``used`` is the wrapped key the passphrase opened: it must still be the user's key
        once interrupted slot changes are settled (a passphrase replaced by a committed
        change, or a change that never committed, opens nothing).
        """
        from shelter_desk.services.session import Session
        from shelter_desk.services.slot_repair import reconcile_slots
        from shelter_desk.store.db import Database

        self.last_upgrade = None
        db = Database.open(self.db_path, key, read_only=self.read_only, migrate=False)
        try:
            self.last_upgrade = self._upgrade(db, key)
            slots = reconcile_slots(self, db, user_id, write=not self.read_only)
            if used is not None:
                self._check_still_valid(slots, used)
            session = Session.start(self, db, key, user_id)
        except BaseException:
            db.close()
            raise
        session.audit(action, "user", user_id)
        return session

    def _upgrade(self, db: Database, key: bytes) -> Upgrade | None:
        """Bring a database written by an earlier release to this release's schema, after
        an encrypted backup of it as it was (in :data:`BACKUPS_FOLDER`); None if it is
        current. A failed backup leaves the database untouched and opens nothing."""
        from shelter_desk.services.backup_file import write_backup
        from shelter_desk.store import migrations

        found = migrations.schema_version(db)
        if found >= migrations.LATEST:
            return None
        if self.read_only:
            raise StoreError(
                _(
                    "This data folder was written by an earlier version of Shelter Desk and"
                    " must be upgraded, which cannot be done while it is read-only. Open it"
                    " once where it can be written."
                )
            )
        try:
            backup_path = self._upgrade_backup_path(found)
            write_backup(self, db, key, backup_path)
        except ShelterDeskError as exc:
            raise StoreError(
                _(
                    "This data folder was written by an earlier version of Shelter Desk. The"
                    " backup taken before upgrading it could not be written, so it was neither"
                    " upgraded nor opened: {reason}"
                ).format(reason=exc.message)
            ) from exc
        db.migrate()
        if found < migrations.COMPACT_STORAGE:
            db.compact()  # schema 11 rewrote most of the file: give the old pages back
        return Upgrade(found, migrations.LATEST, backup_path)

    def _upgrade_backup_path(self, schema: int) -> Path:
        """``backups/before-upgrade-schema-N-DATE.backup`` (``-2``... if taken already):
        an earlier safety copy is never overwritten."""
        folder = self.root / BACKUPS_FOLDER
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise StoreError(disk_error(exc, folder).message) from exc
        stem = f"before-upgrade-schema-{schema}-{dt.date.today().isoformat()}"
        path, n = folder / f"{stem}.backup", 1
        while path.exists():
            n += 1
            path = folder / f"{stem}-{n}.backup"
        return path

    def _check_still_valid(self, slots: SlotsFile, used: KeySlot) -> None:
        slot = slots.slots.get(used.slot_id)
        if slot is None:
            raise AuthError(_("There is no user called {name} here.").format(name=used.username))
        if slot.disabled:
            raise AuthError(_("The account {name} is disabled.").format(name=used.username))
        if (slot.version, slot.wrapped_key) != (used.version, used.wrapped_key):
            self._record_failure(slots, slot)
            raise AuthError(_("Wrong passphrase."))


@dataclass(frozen=True)
class Upgrade:
    """An opening that upgraded the database from ``from_schema`` to ``to_schema``, with
    the encrypted backup taken just before."""

    from_schema: int
    to_schema: int
    backup: Path

    def message(self) -> str:
        """The one translated line the CLI prints and the window shows."""
        return _(
            "Shelter Desk {version} upgraded this data folder from an earlier version; a"
            " backup of it as it was is in {path}."
        ).format(version=__version__, path=self.backup)


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
    from anyascii import anyascii  # only here: not loaded before the unlock window

    words = [w for w in anyascii(org_name).upper().split() if any(c.isalnum() for c in w)]
    letters = "".join(next(c for c in w if c.isalnum()) for w in words[:4])
    if len(words) == 1:
        letters = "".join(c for c in words[0] if c.isalnum())[:4]
    return letters if len(letters) >= 2 else "CASE"


def _remove_db_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()
