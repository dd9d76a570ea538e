"""The two kinds of error.

Expected failures derive from :class:`ShelterDeskError` and carry a message already
translated for the person at the keyboard; the CLI prints it on one line and exits 1, the
GUI shows it. Anything else is a bug: it propagates and is reported without personal data.

    ShelterDeskError
    ├── AuthError            wrong passphrase, unknown or disabled user, too many attempts
    ├── PermissionDenied     the signed-in role may not do this
    ├── ValidationError      field errors, all at once (``.errors``: field -> message)
    ├── NotFound             no such case, user, partner...
    ├── StoreError           damaged database, missing slots file, locked by another copy
    ├── BackupError          not a backup, backup damaged, disk full
    └── BundleError          invalid, tampered, misdirected or replayed sync bundle
"""

from __future__ import annotations

from collections.abc import Mapping


class ShelterDeskError(Exception):
    """An expected failure with a translated, user-facing message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AuthError(ShelterDeskError):
    pass


class PermissionDenied(ShelterDeskError):
    pass


class NotFound(ShelterDeskError):
    pass


class StoreError(ShelterDeskError):
    pass


class BackupError(ShelterDeskError):
    pass


class BundleError(ShelterDeskError):
    pass


class ValidationError(ShelterDeskError):
    """All field errors of one save, keyed by field name; nothing was written."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(self.errors.values()))
