"""Bundle files on disk: read in chunks, and written so that a crash, a full disk or a pulled
USB stick never leaves half a bundle under the bundle's name.

Bundles are written with ``security.atomic.write_atomic``: the content is written and synced
in an unnamed file of the target folder (``O_TMPFILE``, thrown away by the kernel if the
process dies) and only then named, so the name appears with the whole content or not at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.domain.os_errors import os_error_reason
from shelter_desk.i18n import _
from shelter_desk.sync.opening import READ_CHUNK


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
