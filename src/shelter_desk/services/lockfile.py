"""One running copy per installation: an exclusive, non-blocking lock on a file.

On a data folder that cannot be written (a write-protected stick, a read-only mounted image,
a folder of another account) the lock file is opened for reading only, or not at all when it
is missing there, and the lock says so with :attr:`InstanceLock.read_only`: nobody can change
such a folder, so reading it needs no exclusive writer.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

from shelter_desk.domain.errors import StoreError
from shelter_desk.domain.os_errors import os_error_reason
from shelter_desk.i18n import _

# What opening a file for writing raises on a folder this process cannot change.
READ_ONLY_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})

if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


class InstanceLock:
    """Held for as long as this process works on the installation; the OS drops it on exit,
    so a crashed copy never leaves a stale lock behind."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._acquired = False
        self.read_only = False

    def acquire(self) -> None:
        if self._acquired:
            return
        read_only = False
        try:
            fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            if exc.errno not in READ_ONLY_ERRNOS:
                raise _unusable(exc) from exc
            read_only = True
            fd = _open_for_reading(self.path)
        if fd is not None and not _try_lock(fd):
            os.close(fd)
            raise StoreError(
                _(
                    "Shelter Desk is already open on this installation (another window or"
                    " command). Close it first."
                )
            )
        self._fd, self._acquired, self.read_only = fd, True, read_only

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
        self._fd, self._acquired, self.read_only = None, False, False

    @property
    def held(self) -> bool:
        return self._acquired


def _open_for_reading(path: Path) -> int | None:
    """The existing lock file opened read-only (a lock on it still keeps a writer out),
    or None when it is missing or unreadable on a folder that cannot be written."""
    try:
        return os.open(path, os.O_RDONLY)
    except OSError as exc:
        if exc.errno in READ_ONLY_ERRNOS | {errno.ENOENT}:
            return None
        raise _unusable(exc) from exc


def _unusable(exc: OSError) -> StoreError:
    return StoreError(
        _("Cannot open the installation's lock file: {reason}").format(reason=os_error_reason(exc))
    )
