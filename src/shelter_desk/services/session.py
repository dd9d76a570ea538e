"""A signed-in user on an open, unlocked database.

Lock closes the connection and zeroes the database key; everything that needs data must
unlock again.
"""

from __future__ import annotations

import base64
import contextlib
from typing import TYPE_CHECKING

from shelter_desk.domain.errors import AuthError, StoreError
from shelter_desk.i18n import _
from shelter_desk.security import permissions
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission, Role
from shelter_desk.services.duplicates.tokens import forget_cached_keys
from shelter_desk.store.accounts import AuditLog, Meta, UserRow, Users
from shelter_desk.store.db import Database
from shelter_desk.store.records import CaseIndex, CaseNumbers, Drafts, FollowUpIndex, Records
from shelter_desk.store.search_tokens import forget_cached_tokens
from shelter_desk.sync.hlc import HLC, Timestamp

if TYPE_CHECKING:
    from shelter_desk.services.data_folder import DataFolder
    from shelter_desk.sync.identity import DeviceIdentity


class Session:
    def __init__(self, installation: DataFolder, db: Database, key: bytes, user: UserRow) -> None:
        self.installation = installation
        self.db = db
        # A bytearray, so that locking can overwrite the key in place (bytes cannot be).
        self._key = bytearray(key)
        self.user = user
        self.users = Users(db)
        self.meta = Meta(db)
        self.audit_log = AuditLog(db)
        self.records = Records(db)
        self.case_index = CaseIndex(db)
        self.case_numbers = CaseNumbers(db)
        self.follow_up_index = FollowUpIndex(db)
        self.drafts = Drafts(db)
        last = self.meta.get("hlc_last")
        self.clock = HLC(self.meta.get("device_id"), last=Timestamp.decode(last) if last else None)
        self.open = True

    @classmethod
    def start(cls, installation: DataFolder, db: Database, key: bytes, user_id: str) -> Session:
        user = Users(db).by_id(user_id)
        if user is None:
            raise StoreError(_("This user's account is missing from the database."))
        if user.disabled:
            raise AuthError(_("The account {name} is disabled.").format(name=user.username))
        return cls(installation, db, key, user)

    # -- facts ---------------------------------------------------------------------
    @property
    def role(self) -> Role:
        return Role(self.user.role)

    @property
    def org_name(self) -> str:
        return self.meta.get("org_name")

    @property
    def installation_role(self) -> str:
        return self.meta.get("installation_role", "shelter")

    @property
    def is_demo(self) -> bool:
        return self.meta.get("demo") == "1"

    @property
    def device_id(self) -> str:
        return self.meta.get("device_id")

    @property
    def device_identity(self) -> DeviceIdentity:
        """This installation's signing and encryption keys (kept in the encrypted database)."""
        from shelter_desk.sync.identity import DeviceIdentity

        self._check_open()
        return DeviceIdentity.from_private_bytes(base64.b64decode(self.meta.get("device_key")))

    @property
    def org_id(self) -> str:
        return self.meta.get("org_id")

    @property
    def case_prefix(self) -> str:
        return self.meta.get("case_prefix", "CASE")

    def tick(self) -> str:
        """A new hybrid-logical-clock time for a local write, persisted with it."""
        stamp = self.clock.tick().encode()
        self.meta.set("hlc_last", stamp)
        return stamp

    @property
    def database_key(self) -> bytes:
        """A copy for one use (wrapping a slot, writing a backup); the session's own copy is
        a bytearray zeroed when it locks."""
        self._check_open()
        return bytes(self._key)

    # -- behaviour -----------------------------------------------------------------
    def can(self, permission: Permission) -> bool:
        return permissions.allows(self.role, permission)

    def require(self, permission: Permission) -> None:
        self._check_open()
        permissions.require(self.role, permission)

    def audit(
        self, action: Action | str, object_type: str = "", object_id: str = ""
    ) -> tuple[int, str]:
        """Record an event; return its sequence number and hash ((0, "") when none is kept)."""
        self._check_open()
        if self.installation.read_only:
            return 0, ""  # a read-only folder keeps no record; the CLI and GUI say so at sign-in
        return self.audit_log.append(self.user.id, str(action), object_type, object_id)

    def lock(self) -> None:
        """Close the database and wipe the key: nothing stays readable until an unlock.

        The audit entry is best-effort: a full disk or a damaged database must never keep
        the data open behind an unlock window.
        """
        if not self.open:
            return
        try:
            # Any failure: the lock must happen whatever the audit write ran into.
            with contextlib.suppress(Exception):
                self.audit(Action.LOCK, "user", self.user.id)
        finally:
            self.open = False
            try:
                self.db.close()
            finally:
                forget_cached_tokens()
                forget_cached_keys()
                self._key[:] = bytes(len(self._key))

    def _check_open(self) -> None:
        if not self.open:
            raise AuthError(_("Shelter Desk is locked. Unlock it to continue."))
