"""One translated reason for an operating-system error, chosen from its errno.

The system's own text (``strerror``) is English whatever the interface language, and
``str(exc)`` carries the full path of the file; neither belongs in a translated message.
"""

from __future__ import annotations

import errno

from shelter_desk.i18n import _

_DISK_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
_PERMISSION = frozenset({errno.EACCES, errno.EPERM})
_NOT_FOUND = frozenset({errno.ENOENT, errno.ENOTDIR})


def os_error_reason(exc: OSError) -> str:
    """``the disk is full``, ``permission denied``, ``the disk or folder is read-only``,
    ``not found`` or, for anything else, ``a system error`` with the errno's symbolic name
    (``EIO``), which carries no value from the file or the data."""
    code = exc.errno
    if code in _DISK_FULL:
        return _("the disk is full")
    if code in _PERMISSION:
        return _("permission denied")
    if code == errno.EROFS:
        return _("the disk or folder is read-only")
    if code in _NOT_FOUND:
        return _("not found")
    name = errno.errorcode.get(code, "") if isinstance(code, int) else ""
    return _("a system error ({code})").format(code=name or "?")


def read_only_message() -> str:
    """What a change to an installation on a folder that cannot be written meets."""
    return _(
        "This installation is on a disk or folder that cannot be written (read-only);"
        " nothing was changed."
    )
