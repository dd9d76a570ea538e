"""A data folder: the lock that keeps it to one process, the files in it, and the key
slots that wrap the database key (no database is opened here: see ``installation`` for
creating one and unlocking it into a Session, and ``slot_repair`` for settling the slots
against the accounts table).

Files in the data folder: the SQLCipher database, the key slots file beside it, and a lock
file. Nothing else is written there except encrypted backups' temporary copies, a restore's
candidate and journal (see ``restore_swap``: the next start completes or deletes them),
after a restore, the replaced (still encrypted) ``.replaced-…`` files, which are never
overwritten and over which no new installation is created, and in ``backups/`` the
encrypted backup taken before a new release upgrades the database (see
``Installation._upgrade``).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from pathlib import Path

from shelter_desk.domain.errors import AuthError, StoreError
from shelter_desk.domain.os_errors import os_error_reason
from shelter_desk.i18n import _
from shelter_desk.security import keyslots
from shelter_desk.security import passphrase as pp
from shelter_desk.security.atomic import disk_error
from shelter_desk.security.keyslots import (
    RECOVERY_SLOT,
    KdfParams,
    KeySlot,
    SlotsFile,
    load_slots,
    save_slots,
    unwrap_key,
    wrap_key,
)
from shelter_desk.services import restore_swap
from shelter_desk.services.lockfile import InstanceLock

DB_NAME = "shelter-desk.db"
SLOTS_NAME = "keyslots.json"
LOCK_NAME = "shelter-desk.lock"


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class DataFolder:
    """One data folder. Holds the single-copy lock while this process uses it."""

    def __init__(self, data_dir: Path, kdf: KdfParams | None = None) -> None:
        self.root = Path(data_dir)
        self.db_path = self.root / DB_NAME
        self.slots_path = self.root / SLOTS_NAME
        self.kdf = kdf or keyslots.DEFAULT_KDF
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
        return sorted({w.username for w in wraps_for(self.slots(), None)})

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

    # -- key slots -----------------------------------------------------------------
    def _wrap(self, key: bytes, secret: str, slot_id: str, username: str, version: int) -> KeySlot:
        return wrap_key(
            key,
            _secret(secret, slot_id),
            slot_id=slot_id,
            username=username,
            version=version,
            kdf=self.kdf,
        )

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

    def _record_failure(self, slots: SlotsFile, slot: KeySlot) -> None:
        if self.read_only:
            return  # cannot be counted on a folder that cannot be written
        import time

        slots.slots[slot.slot_id] = replace(
            slot, failures=slot.failures + 1, last_failure=time.time()
        )
        save_slots(self.slots_path, slots)

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


def wraps_for(slots: SlotsFile, username: str | None) -> list[KeySlot]:
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
