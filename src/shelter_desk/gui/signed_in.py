"""What the windows need to know about the person who just unlocked.

Read once on the database worker (the organisation's name and the demo flag are inside the
encrypted database), then handed to the GUI thread, which never queries the session itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from shelter_desk.i18n.date_style import DateStyle

if TYPE_CHECKING:  # the unlock window appears before the store and crypto stack loads
    from shelter_desk.services.installation import Installation
    from shelter_desk.services.session import Session

DEFAULT_AUTOLOCK_MINUTES = 5
AUTOLOCK_SETTING = "autolock_minutes"


@dataclass(frozen=True)
class SignedIn:
    session: Session
    org_name: str
    is_demo: bool
    autolock_minutes: int
    language: str
    date_style: DateStyle = field(default_factory=DateStyle)

    @property
    def display_name(self) -> str:
        return self.session.user.display_name or self.session.user.username


def read_signed_in(session: Session) -> SignedIn:
    """Collect the facts about a fresh session. Runs on the database worker."""
    from shelter_desk.services.settings import date_style

    return SignedIn(
        session=session,
        org_name=session.org_name,
        is_demo=session.is_demo,
        autolock_minutes=autolock_minutes(session.meta.get(AUTOLOCK_SETTING)),
        language=session.user.language,
        date_style=date_style(session),
    )


def autolock_minutes(setting: str) -> int:
    """The idle minutes before locking; a missing or unusable setting gives the default.

    Auto-lock cannot be switched off: at least one minute.
    """
    try:
        minutes = int(setting)
    except ValueError:
        return DEFAULT_AUTOLOCK_MINUTES
    return max(minutes, 1)


def unlock_and_read(installation: Installation, username: str, passphrase: str) -> SignedIn:
    """Unlock as ``username`` and read the session's facts. Runs on the database worker."""
    session = installation.unlock(username, passphrase)
    try:
        return read_signed_in(session)
    except BaseException:
        session.lock()
        raise
