"""Bundle history, quarantine, the coordinator's view and referrals across organisations."""

from __future__ import annotations

import contextlib
import datetime as dt

from shelter_desk.domain import rules
from shelter_desk.domain.entities import Referral
from shelter_desk.domain.errors import (
    NotFound,
    PermissionDenied,
    ValidationError,
)
from shelter_desk.i18n import _
from shelter_desk.security.permissions import Permission
from shelter_desk.services import cases
from shelter_desk.services.exchange.common import (
    state_of,
)
from shelter_desk.services.session import Session
from shelter_desk.store.exchange_state import (
    BundleLogRow,
    QuarantineRow,
)


def bundle_history(session: Session, partner_key_id: str | None = None) -> list[BundleLogRow]:
    """Bundles sent and received, newest first (numbers and hashes only)."""
    session.require(Permission.VIEW_CASES)
    return state_of(session).bundles(partner_key_id)


def quarantined_bundles(session: Session) -> list[QuarantineRow]:
    session.require(Permission.IMPORT)
    return state_of(session).quarantined()


def cases_by_organisation(session: Session) -> dict[str, int]:
    """Open case-list rows per owning organisation id (the coordinator's overview)."""
    session.require(Permission.VIEW_CASES)
    return state_of(session).cases_by_organisation()


def organisation_names(session: Session) -> dict[str, str]:
    """Organisation id -> name, from the directory, the partners and this installation."""
    session.require(Permission.VIEW_CASES)
    names = {o.id: o.name for o in cases.organisations(session)}
    for row in state_of(session).partners():
        if row.org_id:
            names.setdefault(row.org_id, row.organisation)
    names[session.org_id] = session.org_name
    return names


def incoming_referrals(session: Session) -> list[Referral]:
    """Referrals other organisations addressed to this one, newest first."""
    session.require(Permission.VIEW_CASES)
    found = [
        cases._entity(r)
        for r in session.records.of_entity(Referral.ENTITY)
        if r.data.get("to_org_id") == session.org_id and r.org_id != session.org_id
    ]
    return sorted(found, key=lambda r: (r.referred_on or dt.date.min, r.id), reverse=True)


def respond_to_referral(
    session: Session,
    referral_id: str,
    status: str,
    *,
    responded_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Referral:
    """Accept, decline or complete a referral addressed to this organisation; the answer
    travels back to the referring organisation with the next bundles."""
    session.require(Permission.EDIT_CASES)
    today = today or dt.date.today()
    stored = session.records.get(referral_id)
    if stored is None or stored.entity != Referral.ENTITY or stored.deleted:
        raise NotFound(_("There is no such referral."))
    referral: Referral = cases._entity(stored)
    if referral.to_org_id != session.org_id:
        raise PermissionDenied(_("Only the organisation a referral is addressed to can answer it."))
    if status not in ("Accepted", "Declined", "Completed"):
        raise ValidationError({"status": _("Choose accepted, declined or completed.")})
    referral.status = status
    referral.responded_on = responded_on or today
    errors = rules.validate_referral(referral, today)
    if errors:
        raise ValidationError(errors)
    with session.db.transaction():
        cases._write(session, referral, stored.case_id)
        with contextlib.suppress(NotFound):
            cases.refresh_index(session, cases._read_case_file(session, stored.case_id))
    return referral
