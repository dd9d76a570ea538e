"""Writing an encrypted backup file (the format is described in ``backup``).

Apart from ``backup`` so that opening an installation can write one before it upgrades the
database (``installation`` cannot import ``backup``, which imports it), and so that this
safety copy needs no signed-in user: it is taken before anyone's session starts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import hashlib
import hmac
import json
import os
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from shelter_desk.domain.errors import BackupError, ShelterDeskError
from shelter_desk.security.atomic import disk_error, write_atomic
from shelter_desk.security.keyslots import slots_to_bytes
from shelter_desk.services import restore_swap
from shelter_desk.store import migrations

if TYPE_CHECKING:
    from shelter_desk.services.data_folder import DataFolder
    from shelter_desk.store.db import Database

MAGIC = b"SHELTER-DESK-BACKUP\x00"
END_MAGIC = b"SDBK-END"
MAC_INFO = b"shelter-desk backup|mac|2"
FORMAT = 2  # the whole file is authenticated
LEGACY_FORMAT = 1  # no trailer: restored with a warning
TAG_LEN = 32
TRAILER_LEN = len(END_MAGIC) + 32 + TAG_LEN
CHUNK = 1 << 20
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BackupHeader:
    format: int
    schema: int
    created_at: str
    db_size: int
    db_sha256: str


def write_backup(
    folder: DataFolder,
    db: Database,
    key: bytes,
    out: Path,
    progress: Progress | None = None,
) -> BackupHeader:
    """Write an encrypted backup of ``db`` (the database of ``folder``, opened with
    ``key``) and of the folder's key slots to ``out``, atomically. No permission is checked
    and nothing is audited here: ``backup.backup`` does both for a person's backup."""
    out = Path(out)
    # The encrypted temporary copy: in the data folder, or beside ``out`` when that folder
    # cannot be written (a backup off a write-protected stick).
    tmp_folder = out.parent if folder.read_only else folder.root
    tmp = tmp_folder / f"{restore_swap.BACKUP_TMP_PREFIX}{os.getpid()}.db"
    try:
        remove_db_files(tmp)
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # never 0644
        db.export_encrypted(tmp, key)
        digest, size = file_digest(tmp)
        header = BackupHeader(
            FORMAT,
            migrations.schema_version(db),
            dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            size,
            digest,
        )
        slots = slots_to_bytes(folder.slots())
        _discard_partial_copies(out)
        mac = hmac.new(mac_key(key), digestmod=hashlib.sha256)
        write_atomic(out, _container(header, slots, tmp, mac, progress))
    except ShelterDeskError as exc:
        raise BackupError(exc.message) from exc
    except OSError as exc:
        raise BackupError(disk_error(exc, out).message) from exc
    finally:
        remove_db_files(tmp)
    return header


def _discard_partial_copies(out: Path) -> None:
    """What backups killed while writing ``out`` left beside it: partial files, and the
    temporary database copies of a backup off a read-only data folder (whose next start
    cannot delete them)."""
    for path in out.parent.glob(f".{glob.escape(out.name)}.*.tmp"):
        if path.name[len(out.name) + 2 : -4].isdigit():
            unlink(path)
    prefix = restore_swap.BACKUP_TMP_PREFIX
    for path in out.parent.glob(f"{prefix}*.db*"):
        pid = path.name[len(prefix) :].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
            unlink(path)


def _running(pid: int) -> bool:
    if os.name != "posix":  # os.kill would end the process on Windows: assume it runs
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else
    return True


def _container(
    header: BackupHeader,
    slots: bytes,
    db_file: Path,
    mac: hmac.HMAC,
    progress: Progress | None,
) -> Iterator[bytes]:
    head_json = json.dumps(header.__dict__, sort_keys=True).encode("utf-8")
    head = MAGIC + struct.pack(">I", len(head_json)) + head_json
    head += struct.pack(">I", len(slots)) + slots
    mac.update(head)
    yield head
    done = 0
    with db_file.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            mac.update(chunk)
            done += len(chunk)
            if progress:
                progress(done, header.db_size)
            yield chunk
    end = END_MAGIC + hashlib.sha256(head).digest()
    mac.update(end)
    yield end + mac.digest()


def mac_key(database_key: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=MAC_INFO).derive(database_key)


def file_digest(path: Path) -> tuple[str, int]:
    h, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def remove_db_files(path: Path) -> None:
    for suffix in ("", *restore_swap.COMPANIONS):
        unlink(Path(f"{path}{suffix}"))


def unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
