"""What a demo installation has besides its cases: accounts to try each role with, and a
sync partner to try bundles with.

The accounts are real accounts made by ``services.users`` (key slot, audit entry), with
published passphrases like the administrator's (``installation.DEMO_PASSPHRASE``): a demo
holds invented people only.

The partner is a demo national coordinator (on a coordinator's demo: a demo shelter), whose
card is trusted as ``partner add`` trusts one. Its keys are made when the demo is made and
its private keys are thrown away at once: nothing anywhere can open a bundle exported to it,
but every step of making, addressing and inspecting one can be tried.
"""

from __future__ import annotations

import datetime as dt

from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.i18n import _
from shelter_desk.services import users
from shelter_desk.services.exchange import add_partner
from shelter_desk.services.installation import DEMO_ACCOUNTS, DemoAccount
from shelter_desk.services.session import Session
from shelter_desk.sync.identity import DeviceIdentity, PartnerCard, PartnerRole

# A demo partner needs a country on its card; a demo made without one is in Israel.
DEFAULT_COUNTRY = "IL"

__all__ = ["DEMO_ACCOUNTS", "DemoAccount", "add_demo_accounts", "add_demo_partner"]


def add_demo_accounts(session: Session) -> tuple[DemoAccount, ...]:
    """Add :data:`DEMO_ACCOUNTS` to a demo installation (the session is its administrator's).
    Raises ShelterDeskError on a real installation."""
    _require_demo(session)
    for account in DEMO_ACCOUNTS:
        users.add_user(session, account.username, account.role, account.passphrase)
    return DEMO_ACCOUNTS


def demo_partner_name(installation_role: str) -> str:
    """The organisation on the demo partner's card (translated): the other side of a sync."""
    if installation_role == PartnerRole.COORDINATOR:
        return _("Demo Partner Shelter")
    return _("Demo National Coordinator")


def add_demo_partner(session: Session, *, today: dt.date | None = None) -> PartnerCard:
    """Make the demo partner's card, trust it here, and return it (see the module
    docstring: its private keys are not kept). Raises ShelterDeskError on a real
    installation."""
    _require_demo(session)
    mine = session.installation_role
    role = PartnerRole.SHELTER if mine == PartnerRole.COORDINATOR else PartnerRole.COORDINATOR
    country = session.meta.get("org_country") or DEFAULT_COUNTRY
    card = DeviceIdentity.generate().public_card(
        demo_partner_name(mine), country, role, created=today
    )
    return add_partner(session, card.to_bytes(), card.fingerprint)


def _require_demo(session: Session) -> None:
    if not session.is_demo:
        raise ShelterDeskError(
            _("Demo accounts and partners can only be added to a demo installation.")
        )
