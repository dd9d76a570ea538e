"""Bundle files on disk: read in chunks, and written so that a crash, a full disk or a pulled
USB stick never leaves half a bundle under the bundle's name.

:func:`write_complete` writes and syncs the content in an unnamed file of the target folder
(``O_TMPFILE``, which the kernel throws away if the process dies) and only then gives it its
name, so the name appears with the whole content or not at all and nothing is left behind.
Where the filesystem has no unnamed files (FAT on many USB sticks), it falls back to
``security.atomic.write_atomic`` (a named temporary file, synced, then renamed).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.domain.os_errors import os_error_reason
from shelter_desk.i18n import _
from shelter_desk.security.atomic import disk_error, fsync_dir, write_atomic
from shelter_desk.sync.opening import READ_CHUNK

# What open(O_TMPFILE) says on a filesystem or kernel without unnamed files.
_NO_UNNAMED_FILES = frozenset({errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL})


def write_complete(path: Path, data: bytes) -> None:
    """Give ``path`` the content ``data``: afterwards it is complete, or as it was before.

    Raises ShelterDeskError with a translated message when it cannot be written."""
    flag = getattr(os, "O_TMPFILE", 0)
    try:
        fd = os.open(path.parent, flag | os.O_WRONLY, 0o600) if flag else -1
    except OSError as exc:
        if exc.errno not in _NO_UNNAMED_FILES:
            raise disk_error(exc, path) from exc
        fd = -1
    if fd < 0:
        write_atomic(path, data)
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            _name(fh.fileno(), path)
        fsync_dir(path.parent)
    except OSError as exc:
        raise disk_error(exc, path) from exc


def _name(fd: int, path: Path) -> None:
    """Link the unnamed file ``fd`` into its folder as ``path`` (replacing an older file).

    The folder is given as a descriptor so that the link is made with ``linkat`` following
    the ``/proc/self/fd`` link (plain ``link`` would try to link the symbolic link itself)."""
    unnamed = f"/proc/self/fd/{fd}"
    folder = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            os.link(unnamed, path.name, dst_dir_fd=folder, follow_symlinks=True)
            return
        except FileExistsError:
            pass
        # A complete file under a temporary name, then renamed over the old one.
        tmp = f".{path.name}.{os.getpid()}.tmp"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp, dir_fd=folder)
        os.link(unnamed, tmp, dst_dir_fd=folder, follow_symlinks=True)
        try:
            os.replace(tmp, path.name, src_dir_fd=folder, dst_dir_fd=folder)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=folder)
            raise
    finally:
        os.close(folder)


def remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


@contextlib.contextmanager
def reading(source: bytes | Path) -> Iterator[IO[bytes]]:
    """The bundle's bytes as a binary file; a file that cannot be read raises
    ShelterDeskError (also when it fails half-way, like a USB stick pulled out)."""
    if isinstance(source, bytes):
        yield io.BytesIO(source)
        return
    try:
        file = source.open("rb")
    except OSError as exc:
        raise unreadable(source, exc) from exc
    try:
        yield file
    except OSError as exc:
        raise unreadable(source, exc) from exc
    finally:
        file.close()


def check_readable(path: Path) -> None:
    """Raise the translated ShelterDeskError now if ``path`` cannot be opened for reading."""
    with reading(path):
        pass


def unreadable(path: Path, exc: OSError) -> ShelterDeskError:
    return ShelterDeskError(
        _("Cannot read {name}: {reason}").format(name=path.name, reason=os_error_reason(exc))
    )


def file_digest(file: IO[bytes]) -> tuple[str, int]:
    """SHA-256 hex and size of a whole file, read in chunks from its start."""
    file.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := file.read(READ_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size
