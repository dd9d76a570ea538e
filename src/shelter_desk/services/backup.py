"""Encrypted backups and restore.

A backup file (format 2) is::

    MAGIC
    u32 length + JSON header: format, schema, created_at, db_size, db_sha256
    u32 length + the key slots (JSON, as in keyslots.json)
    the database, db_size bytes, as written by ``sqlcipher_export`` under the database key
    END_MAGIC + SHA-256 of everything before the database part ("the head")
    HMAC-SHA256 of everything before it, keyed by HKDF-SHA256(database key, MAC_INFO)

It is as safe to carry as the database itself: nothing in it is readable without a
passphrase or the recovery key. The head's digest finds accidental damage to the header or
the key slots before a passphrase is tried (so a damaged slot is not reported as a wrong
passphrase); the MAC, checked once the key is unwrapped and before anything is replaced,
authenticates the whole file: a changed header, key slot (the recovery slot's salt too) or
database page is refused.

Format 1 backups (no trailer: only the database part had a digest) still restore, with a
warning (:attr:`BackupInfo.legacy`), because they may be the only copy a shelter has; their
header and key slots cannot be checked.

Restore extracts and checks everything (MAC, digest, SQLCipher HMACs, integrity, audit chain)
into a candidate beside the installation, says what the backup is (:class:`BackupInfo`),
and only then replaces the installation in one recoverable step (see ``restore_swap``),
keeping the replaced files beside it. Replacing an existing installation needs an
:class:`Approval` by one of its administrators (or its recovery key), and replacing another
installation's data needs ``replace_other``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from shelter_desk.domain.errors import AuthError, BackupError, ShelterDeskError, StoreError
from shelter_desk.domain.os_errors import read_only_message
from shelter_desk.i18n import _, format_datetime
from shelter_desk.security import passphrase as pp
from shelter_desk.security.atomic import disk_error
from shelter_desk.security.audit import Action
from shelter_desk.security.keyslots import (
    RECOVERY_SLOT,
    SlotsFile,
    save_slots,
    slots_from_bytes,
    unwrap_key,
)
from shelter_desk.security.permissions import Permission, Role, allows
from shelter_desk.services import restore_swap
from shelter_desk.services.backup_file import (
    CHUNK,
    END_MAGIC,
    FORMAT,
    LEGACY_FORMAT,
    MAGIC,
    TAG_LEN,
    TRAILER_LEN,
    mac_key,
    unlink,
    write_backup,
)
from shelter_desk.services.backup_file import BackupHeader as BackupHeader  # re-exported
from shelter_desk.services.backup_file import Progress as Progress
from shelter_desk.services.data_folder import DB_NAME, SLOTS_NAME, DataFolder
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from shelter_desk.services.verify import verify_database
from shelter_desk.store.accounts import AuditLog, Meta, Users
from shelter_desk.store.db import Database


@dataclass(frozen=True)
class _Parsed:
    header: BackupHeader
    slots: SlotsFile
    offset: int  # where the database part starts

    @property
    def legacy(self) -> bool:
        return self.header.format == LEGACY_FORMAT


@dataclass(frozen=True)
class BackupInfo:
    """What a backup is, known once it is unwrapped and checked."""

    organisation: str
    created_at: str
    installation_id: str
    foreign: bool  # it would replace the data of another (or an unreadable) installation
    legacy: bool  # format 1: its header and key slots could not be checked


@dataclass(frozen=True)
class Approval:
    """An administrator of the installation (or its recovery key) allowed replacing it."""

    installation_id: str
    by: str  # a user id, or RECOVERY_SLOT


# -- writing ---------------------------------------------------------------------------
def backup(session: Session, out: Path, progress: Progress | None = None) -> BackupHeader:
    """Write an encrypted backup of the open installation to ``out`` (atomically)."""
    session.require(Permission.BACKUP)
    header = write_backup(session.installation, session.db, session.database_key, out, progress)
    session.audit(Action.BACKUP)
    return header


# -- reading ---------------------------------------------------------------------------
def _damaged() -> BackupError:
    return BackupError(_("The backup is damaged or incomplete; nothing was restored."))


def read_header(path: Path) -> tuple[BackupHeader, SlotsFile, int]:
    """The header, the key slots and the offset of the database part; BackupError otherwise.

    The head (header and key slots) of a format 2 backup is checked against its digest.
    """
    parsed = _read(Path(path))
    return parsed.header, parsed.slots, parsed.offset


def _read(path: Path) -> _Parsed:
    try:
        with path.open("rb") as fh:
            if fh.read(len(MAGIC)) != MAGIC:
                raise BackupError(_("{name} is not a Shelter Desk backup.").format(name=path.name))
            head_json = _read_part(fh, 1 << 16)
            slots_json = _read_part(fh, 1 << 22)
            offset = fh.tell()
            size = os.fstat(fh.fileno()).st_size
            trailer = b""
            if size >= offset + TRAILER_LEN:
                fh.seek(size - TRAILER_LEN)
                trailer = fh.read(TRAILER_LEN)
            if trailer.startswith(END_MAGIC):
                fh.seek(0)
                if hashlib.sha256(fh.read(offset)).digest() != trailer[len(END_MAGIC) : -TAG_LEN]:
                    raise _damaged()
            else:
                trailer = b""
            header = BackupHeader(**json.loads(head_json))
            slots = slots_from_bytes(slots_json)
    except OSError as exc:
        raise BackupError(
            _("Cannot read {name}: {reason}").format(name=path.name, reason=exc.strerror)
        ) from exc
    except (struct.error, ValueError, TypeError, StoreError) as exc:
        raise _damaged() from exc
    if header.format > FORMAT:
        raise BackupError(_("This backup was made by a newer Shelter Desk; update the app."))
    # Format 2 has the trailer, format 1 has none; and nothing may follow the database.
    has_trailer = header.format == FORMAT
    expected = offset + header.db_size + (TRAILER_LEN if has_trailer else 0)
    if header.format < LEGACY_FORMAT or bool(trailer) != has_trailer or size != expected:
        raise _damaged()
    return _Parsed(header, slots, offset)


def _read_part(fh: BinaryIO, limit: int) -> bytes:
    (length,) = struct.unpack(">I", fh.read(4))
    data = fh.read(length)
    if length > limit or len(data) != length:
        raise ValueError("bad length")
    return data


# -- approving -------------------------------------------------------------------------
def approve_with_session(session: Session) -> Approval:
    """The signed-in user (an administrator) allows replacing this installation."""
    session.require(Permission.RESTORE)
    return Approval(session.installation.slots().installation_id, session.user.id)


def approve_with_passphrase(installation: Installation, username: str, secret: str) -> Approval:
    """Unlock this installation as ``username`` (an administrator) and close it again: its
    committed transactions are then all in the database file, none only in its WAL."""
    session = installation.unlock(username, secret)
    try:
        return approve_with_session(session)
    finally:
        session.lock()


def approve_with_recovery_key(installation: DataFolder, recovery_key: str) -> Approval:
    """This installation's recovery key allows replacing it (the database is checkpointed)."""
    key = installation.unwrap_recovery(recovery_key)
    if installation.db_path.exists():
        Database.open(installation.db_path, key).close()
    return Approval(installation.slots().installation_id, RECOVERY_SLOT)


def current_installation_id(installation: DataFolder) -> str | None:
    """The id of the installation a restore would replace: None when there is none, ""
    when its key file is missing or unreadable (nobody can open it to approve)."""
    if not installation.exists():
        return None
    try:
        return installation.slots().installation_id
    except StoreError:
        return ""


# -- restoring -------------------------------------------------------------------------
class PreparedRestore:
    """A checked candidate beside the installation, waiting for :meth:`commit`."""

    def __init__(self, installation: DataFolder, info: BackupInfo) -> None:
        self.installation = installation
        self.info = info
        self.done = False
        self.kept: Path | None = None  # where the replaced database was kept, once committed

    def commit(self, *, replace_other: bool = False) -> Path | None:
        """Replace the installation; return where the old database was kept (None if none)."""
        if self.done:
            raise RuntimeError("this restore was already committed or discarded")
        if self.info.foreign and not replace_other:
            self.discard()
            raise BackupError(
                _(
                    "The backup is of another installation ({installation}); it was not"
                    " restored without your confirmation."
                ).format(installation=self.info.installation_id)
            )
        root = self.installation.root
        self.done = True
        try:
            self.kept = restore_swap.swap_in(root, DB_NAME, SLOTS_NAME)
            return self.kept
        except OSError as exc:
            raise BackupError(disk_error(exc, root / DB_NAME).message) from exc

    def discard(self) -> None:
        if not self.done:
            self.done = True
            restore_swap.discard_leftovers(self.installation.root)


def prepare_restore(
    installation: DataFolder,
    source: Path,
    username: str,
    secret: str,
    *,
    approval: Approval | None = None,
    progress: Progress | None = None,
) -> PreparedRestore:
    """Check the whole backup and put its candidate beside the installation.

    ``secret`` is the passphrase of ``username`` as it was in the backup, or the backup's
    recovery key when ``username`` is empty; that user must be allowed to restore. An
    existing installation is replaced only with an ``approval`` of its own.
    """
    parsed = _read(Path(source))
    installation.acquire()
    if installation.read_only:
        raise BackupError(read_only_message())
    current = current_installation_id(installation)
    if current and (approval is None or approval.installation_id != current):
        raise BackupError(
            _("Only an administrator of this installation can replace its data with a backup.")
        )
    key = _unwrap_from(parsed.slots, username, secret)
    root = installation.root
    candidate = root / restore_swap.CANDIDATE_DB
    restore_swap.discard_leftovers(root)
    try:
        _extract(Path(source), parsed, key, candidate, progress)
        organisation = _check_candidate(candidate, key, username)
        save_slots(root / restore_swap.CANDIDATE_SLOTS, parsed.slots)
    except BaseException as exc:
        restore_swap.discard_leftovers(root)
        if isinstance(exc, BackupError | AuthError):
            raise
        if isinstance(exc, ShelterDeskError):
            raise BackupError(exc.message) from exc
        if isinstance(exc, OSError):
            raise BackupError(disk_error(exc, candidate).message) from exc
        raise
    foreign = current is not None and current != parsed.slots.installation_id
    info = BackupInfo(
        organisation,
        parsed.header.created_at,
        parsed.slots.installation_id,
        foreign,
        parsed.legacy,
    )
    return PreparedRestore(installation, info)


def restore(
    installation: DataFolder,
    source: Path,
    username: str,
    secret: str,
    *,
    approval: Approval | None = None,
    replace_other: bool = False,
    progress: Progress | None = None,
) -> Path | None:
    """:func:`prepare_restore` and :meth:`PreparedRestore.commit` in one call."""
    prepared = prepare_restore(
        installation, source, username, secret, approval=approval, progress=progress
    )
    try:
        return prepared.commit(replace_other=replace_other)
    finally:
        prepared.discard()


def usernames(slots: SlotsFile) -> list[str]:
    """The users who can open a backup (for naming one when the folder has none)."""
    return sorted(
        s.username for s in slots.slots.values() if s.slot_id != RECOVERY_SLOT and not s.disabled
    )


def describe(info: BackupInfo) -> str:
    """One translated line saying what a backup is."""
    made = dt.datetime.fromisoformat(info.created_at).astimezone()
    return _("Backup of {organisation}, made on {date}, installation {installation}.").format(
        organisation=info.organisation,
        date=format_datetime(made, "medium"),
        installation=info.installation_id,
    )


def legacy_warning() -> str:
    return _(
        "This backup was made by an older Shelter Desk, whose backups protect only the"
        " database against damage: its key slots (passphrases and recovery key) could not be"
        " checked. Make a new backup now."
    )


def _unwrap_from(slots: SlotsFile, username: str, secret: str) -> bytes:
    if not username:
        slot = slots.slots.get(RECOVERY_SLOT)
        if slot is None:
            raise BackupError(_("This backup has no recovery key slot."))
        try:
            return unwrap_key(slot, pp.normalise_recovery_key(secret))
        except AuthError as exc:
            raise AuthError(_("Wrong recovery key.")) from exc
    for slot in slots.slots.values():
        if slot.username == username and not slot.disabled and slot.slot_id != RECOVERY_SLOT:
            return unwrap_key(slot, pp.normalise(secret))
    raise AuthError(_("There is no user called {name} in this backup.").format(name=username))


def _extract(
    source: Path, parsed: _Parsed, key: bytes, target: Path, progress: Progress | None
) -> None:
    """Copy the database part to ``target`` (0600), checking its digest and the MAC."""
    header = parsed.header
    mac = hmac.new(mac_key(key), digestmod=hashlib.sha256)
    h, done, tag = hashlib.sha256(), 0, b""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with source.open("rb") as src, os.fdopen(fd, "wb") as dst:
        mac.update(src.read(parsed.offset))
        while done < header.db_size:
            chunk = src.read(min(CHUNK, header.db_size - done))
            if not chunk:
                break
            h.update(chunk)
            mac.update(chunk)
            dst.write(chunk)
            done += len(chunk)
            if progress:
                progress(done, header.db_size)
        if not parsed.legacy:
            mac.update(src.read(TRAILER_LEN - TAG_LEN))
            tag = src.read(TAG_LEN)
        dst.flush()
        os.fsync(dst.fileno())
    authentic = parsed.legacy or hmac.compare_digest(mac.digest(), tag)
    if done != header.db_size or h.hexdigest() != header.db_sha256 or not authentic:
        raise _damaged()


def _check_candidate(candidate: Path, key: bytes, username: str) -> str:
    """Verify the candidate, record the restore in its audit log; its organisation name."""
    db = Database.open(candidate, key)
    try:
        if verify_database(db).problems:
            raise BackupError(_("The backup failed its integrity check; nothing was restored."))
        user = Users(db).by_name(username) if username else None
        if username and (user is None or not allows(Role(user.role), Permission.RESTORE)):
            raise BackupError(_("Only an administrator can restore a backup."))
        AuditLog(db).append(user.id if user else RECOVERY_SLOT, Action.RESTORE)
        organisation = Meta(db).get("org_name")
    finally:
        db.close()
    for suffix in restore_swap.COMPANIONS:
        unlink(Path(f"{candidate}{suffix}"))
    return organisation
