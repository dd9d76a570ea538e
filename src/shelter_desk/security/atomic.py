"""Crash-safe file writes: an unnamed (or temporary) file in the same folder, fsync, name it,
fsync the folder."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.domain.os_errors import os_error_reason
from shelter_desk.i18n import _


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file.

    Where the system has unnamed files (Linux ``O_TMPFILE``), the content is written and
    synced in an unnamed file of the target folder, which the kernel throws away if the
    process dies, and only then given its name: a killed export of identified data leaves
    nothing readable behind. Elsewhere (FAT sticks, other systems) a named temporary file
    is synced, then renamed. A full disk or any other write error leaves the old file
    untouched and raises ShelterDeskError with a translated message.
    """
    chunks = [data] if isinstance(data, bytes) else data
    try:
        fd = _unnamed_file(path.parent)
        if fd is None:
            _write_named(path, chunks)
        else:
            with os.fdopen(fd, "wb") as fh:
                _write_all(fh, chunks)
                _link_unnamed(fh.fileno(), path)
        fsync_dir(path.parent)
    except OSError as exc:
        raise disk_error(exc, path) from exc


# What open(O_TMPFILE) says on a filesystem or kernel without unnamed files.
_NO_UNNAMED_FILES = frozenset({errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT})


def _unnamed_file(folder: Path) -> int | None:
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY, 0o600)
    except OSError as exc:
        if exc.errno in _NO_UNNAMED_FILES:
            return None
        raise


def _write_all(fh: IO[bytes], chunks: Iterable[bytes]) -> None:
    for chunk in chunks:
        fh.write(chunk)
    fh.flush()
    os.fsync(fh.fileno())


def _write_named(path: Path, chunks: Iterable[bytes]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            _write_all(fh, chunks)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _link_unnamed(fd: int, path: Path) -> None:
    """Give the unnamed file ``fd`` the name ``path`` (replacing an older file).

    ``linkat`` follows the ``/proc/self/fd`` link; a name that exists cannot be linked over,
    so the complete file is linked under a temporary name and renamed over the old one."""
    unnamed = f"/proc/self/fd/{fd}"
    folder = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            os.link(unnamed, path.name, dst_dir_fd=folder, follow_symlinks=True)
            return
        except FileExistsError:
            pass
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


def disk_error(exc: OSError, path: Path) -> ShelterDeskError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ShelterDeskError(
            _("The disk is full; nothing was written to {name}.").format(name=path.name)
        )
    return ShelterDeskError(
        _("Could not write {name}: {reason}").format(name=path.name, reason=os_error_reason(exc))
    )


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
