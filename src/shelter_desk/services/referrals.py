"""Referrals across the organisation's cases: sent to partners and received from them.

A referral record belongs to the organisation that sent it (its ``org_id``). Outgoing
referrals are this organisation's own; incoming ones were written by another organisation
and address this one (they arrive with sync bundles).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shelter_desk.domain.case_file import CaseFile
from shelter_desk.domain.entities import Case, Organisation, Referral
from shelter_desk.domain.serialize import from_fields
from shelter_desk.security.permissions import Permission
from shelter_desk.services.session import Session
from shelter_desk.store.records import StoredRecord

OUTGOING, INCOMING = "outgoing", "incoming"


@dataclass(frozen=True)
class ReferralRow:
    """One referral as the Referrals page lists it."""

    referral_id: str
    case_id: str
    case_number: str
    direction: str  # OUTGOING or INCOMING
    from_org_id: str
    from_org_name: str
    to_org_id: str
    to_org_name: str
    referred_on: dt.date | None
    reason: str  # REFERRAL_REASON
    services_requested: tuple[str, ...]  # SERVICE_TYPE
    status: str  # REFERRAL_STATUS
    responded_on: dt.date | None
    shares_identity: bool


def may_identify(case_file: CaseFile) -> bool:
    """Whether a referral of this case may tell the partner who the person is: the consent
    in force (the domain's one rule) says the person agreed to be referred to partners. A
    new referral starts identified only then; in doubt it does not."""
    return case_file.may_refer_identified


def list_referrals(session: Session) -> list[ReferralRow]:
    """Every referral this organisation sent or received, newest first."""
    session.require(Permission.VIEW_CASES)
    own = session.org_id
    names = _organisation_names(session)
    names[own] = session.org_name
    rows: list[ReferralRow] = []
    for stored in session.records.of_entity(Referral.ENTITY):
        referral = _referral(stored)
        if stored.org_id == own:
            direction = OUTGOING
        elif referral.to_org_id == own:
            direction = INCOMING
        else:
            continue  # between two other organisations (a coordinator relays those)
        sender = referral.from_org_id or stored.org_id
        rows.append(
            ReferralRow(
                referral_id=stored.id,
                case_id=stored.case_id,
                case_number=_case_number(session, stored.case_id),
                direction=direction,
                from_org_id=sender,
                from_org_name=names.get(sender, ""),
                to_org_id=referral.to_org_id,
                to_org_name=names.get(referral.to_org_id, ""),
                referred_on=referral.referred_on,
                reason=referral.reason,
                services_requested=referral.services_requested,
                status=referral.status,
                responded_on=referral.responded_on,
                shares_identity=referral.shares_identity,
            )
        )
    rows.sort(key=lambda r: (r.referred_on or dt.date.min, r.referral_id), reverse=True)
    return rows


def _referral(stored: StoredRecord) -> Referral:
    return from_fields(Referral, {**stored.data, "id": stored.id})


def _organisation_names(session: Session) -> dict[str, str]:
    return {
        r.id: str(r.data.get("name", "")) for r in session.records.of_entity(Organisation.ENTITY)
    }


def _case_number(session: Session, case_id: str) -> str:
    """From the case list; a case received with an incoming referral may only have its
    record."""
    row = session.case_index.get(case_id)
    if row is not None:
        return row.number
    for stored in session.records.for_case(case_id):
        if stored.entity == Case.ENTITY:
            return str(stored.data.get("number", ""))
    return ""
