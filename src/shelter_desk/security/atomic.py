"""Crash-safe file writes: a temporary file in the same folder, fsync, rename, fsync folder."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterable
from pathlib import Path

from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.domain.os_errors import os_error_reason
from shelter_desk.i18n import _


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file.

    A full disk or any other write error removes the temporary file and raises
    ShelterDeskError with a translated message; the old file is untouched.
    """
    chunks = [data] if isinstance(data, bytes) else data
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise disk_error(exc, path) from exc


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
