"""Encrypted backups and restore.

A backup file is ``MAGIC``, a length-prefixed JSON header (format, schema, size and SHA-256
of the database part), the length-prefixed key slots, then the database as written by
``sqlcipher_export`` under the same database key. It is as safe to carry as the database
itself: nothing in it is readable without a passphrase or the recovery key.

Restore reads and checks everything (digest, key, SQLCipher HMACs, integrity, audit chain)
on a temporary copy before it replaces anything, and keeps the replaced files beside them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from shelter_desk.domain.errors import AuthError, BackupError, ShelterDeskError, StoreError
from shelter_desk.i18n import _
from shelter_desk.security import passphrase as pp
from shelter_desk.security.atomic import disk_error, fsync_dir, write_atomic
from shelter_desk.security.audit import Action
from shelter_desk.security.keyslots import (
    RECOVERY_SLOT,
    SlotsFile,
    save_slots,
    slots_from_bytes,
    slots_to_bytes,
    unwrap_key,
)
from shelter_desk.security.permissions import Permission, Role, allows
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from shelter_desk.services.verify import verify_database
from shelter_desk.store import migrations
from shelter_desk.store.accounts import AuditLog, Users
from shelter_desk.store.db import Database

MAGIC = b"SHELTER-DESK-BACKUP\x00"
FORMAT = 1
CHUNK = 1 << 20
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BackupHeader:
    format: int
    schema: int
    created_at: str
    db_size: int
    db_sha256: str


def backup(session: Session, out: Path, progress: Progress | None = None) -> BackupHeader:
    """Write an encrypted backup of the open installation to ``out`` (atomically)."""
    session.require(Permission.BACKUP)
    out = Path(out)
    tmp = session.installation.root / f".backup-{os.getpid()}.db"
    try:
        _unlink(tmp)
        session.db.export_encrypted(tmp, session.database_key)
        digest, size = _digest(tmp)
        header = BackupHeader(
            FORMAT,
            migrations.schema_version(session.db),
            dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            size,
            digest,
        )
        slots = slots_to_bytes(session.installation.slots())
        write_atomic(out, _container(header, slots, tmp, progress))
    except ShelterDeskError as exc:
        raise BackupError(exc.message) from exc
    except OSError as exc:
        raise BackupError(disk_error(exc, out).message) from exc
    finally:
        _unlink(tmp)
    session.audit(Action.BACKUP)
    return header


def _container(
    header: BackupHeader, slots: bytes, db_file: Path, progress: Progress | None
) -> Iterator[bytes]:
    head = json.dumps(header.__dict__, sort_keys=True).encode("utf-8")
    yield MAGIC + struct.pack(">I", len(head)) + head + struct.pack(">I", len(slots)) + slots
    done = 0
    with db_file.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            done += len(chunk)
            if progress:
                progress(done, header.db_size)
            yield chunk


def _digest(path: Path) -> tuple[str, int]:
    h, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def read_header(path: Path) -> tuple[BackupHeader, SlotsFile, int]:
    """The header, the key slots and the offset of the database part; BackupError otherwise."""
    not_backup = BackupError(_("{name} is not a Shelter Desk backup.").format(name=Path(path).name))
    try:
        with Path(path).open("rb") as fh:
            if fh.read(len(MAGIC)) != MAGIC:
                raise not_backup
            (hlen,) = struct.unpack(">I", fh.read(4))
            if hlen > 1 << 16:
                raise not_backup
            header = BackupHeader(**json.loads(fh.read(hlen)))
            (slen,) = struct.unpack(">I", fh.read(4))
            if slen > 1 << 22:
                raise not_backup
            slots = slots_from_bytes(fh.read(slen))
            return header, slots, fh.tell()
    except (OSError, struct.error, ValueError, TypeError, StoreError) as exc:
        raise not_backup from exc


def restore(
    installation: Installation,
    source: Path,
    username: str,
    secret: str,
    *,
    progress: Progress | None = None,
) -> Path | None:
    """Replace the installation with a verified backup; return where the old one was kept.

    ``secret`` is the passphrase of ``username`` as it was in the backup, or the backup's
    recovery key when ``username`` is empty. The user must be allowed to restore.
    """
    header, slots, offset = read_header(source)
    if header.format != FORMAT:
        raise BackupError(_("This backup was made by a newer Shelter Desk; update the app."))
    key = _unwrap_from(slots, username, secret)
    installation.acquire()
    candidate = installation.root / ".restore-candidate.db"
    try:
        _extract(source, offset, header, candidate, progress)
        _check_candidate(candidate, key, username)
        kept = _swap_in(installation, candidate, slots)
        _audit_restore(installation, key, username)
    except ShelterDeskError as exc:
        _unlink(candidate)
        if isinstance(exc, BackupError | AuthError):
            raise
        raise BackupError(exc.message) from exc
    except OSError as exc:
        _unlink(candidate)
        raise BackupError(disk_error(exc, candidate).message) from exc
    return kept


def _unwrap_from(slots: SlotsFile, username: str, secret: str) -> bytes:
    if not username:
        slot = slots.slots.get(RECOVERY_SLOT)
        if slot is None:
            raise BackupError(_("This backup has no recovery key slot."))
        return unwrap_key(slot, pp.normalise_recovery_key(secret))
    for slot in slots.slots.values():
        if slot.username == username and not slot.disabled and slot.slot_id != RECOVERY_SLOT:
            return unwrap_key(slot, pp.normalise(secret))
    raise AuthError(_("There is no user called {name} in this backup.").format(name=username))


def _extract(
    source: Path, offset: int, header: BackupHeader, target: Path, progress: Progress | None
) -> None:
    h, done = hashlib.sha256(), 0
    with Path(source).open("rb") as src, target.open("wb") as dst:
        src.seek(offset)
        while chunk := src.read(CHUNK):
            h.update(chunk)
            dst.write(chunk)
            done += len(chunk)
            if progress:
                progress(done, header.db_size)
        dst.flush()
        os.fsync(dst.fileno())
    if done != header.db_size or h.hexdigest() != header.db_sha256:
        raise BackupError(_("The backup is damaged or incomplete; nothing was restored."))


def _check_candidate(candidate: Path, key: bytes, username: str) -> None:
    db = Database.open(candidate, key)
    try:
        problems = verify_database(db).problems
        if problems:
            raise BackupError(_("The backup failed its integrity check; nothing was restored."))
        if username:
            user = Users(db).by_name(username)
            if user is None or not allows(Role(user.role), Permission.RESTORE):
                raise BackupError(_("Only an administrator can restore a backup."))
    finally:
        db.close()
    for suffix in ("-wal", "-shm"):
        _unlink(Path(f"{candidate}{suffix}"))


def _swap_in(installation: Installation, candidate: Path, slots: SlotsFile) -> Path | None:
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    kept: Path | None = None
    if installation.db_path.exists():
        kept = installation.db_path.with_name(f"{installation.db_path.name}.replaced-{stamp}")
        os.replace(installation.db_path, kept)
        for suffix in ("-wal", "-shm"):
            _unlink(Path(f"{installation.db_path}{suffix}"))
    if installation.slots_path.exists():
        old_slots = installation.slots_path.with_name(
            f"{installation.slots_path.name}.replaced-{stamp}"
        )
        os.replace(installation.slots_path, old_slots)
    save_slots(installation.slots_path, slots)
    os.replace(candidate, installation.db_path)
    fsync_dir(installation.root)
    return kept


def _audit_restore(installation: Installation, key: bytes, username: str) -> None:
    db = Database.open(installation.db_path, key)
    try:
        user = Users(db).by_name(username) if username else None
        AuditLog(db).append(user.id if user else "recovery", Action.RESTORE)
    finally:
        db.close()


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
