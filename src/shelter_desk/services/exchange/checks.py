"""Checks on an incoming bundle's transactions before anything is written: their shape and
who may write what."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shelter_desk.domain.entities import Organisation, Referral
from shelter_desk.domain.serialize import ENTITY_TYPES
from shelter_desk.services.exchange.common import (
    MAX_PARENTS,
    PACKAGE_ENTITIES,
    REFERRAL_ANSWER_FIELDS,
    TXN_KEYS,
    USER_ID,
    identity_referrals,
    invalid,
    is_uuid,
    not_permitted,
)
from shelter_desk.services.session import Session
from shelter_desk.store.exchange_state import (
    ExchangeState,
    PartnerRow,
)
from shelter_desk.store.records import Change, StoredRecord
from shelter_desk.sync.hlc import Timestamp
from shelter_desk.sync.identity import PartnerRole


def change_of(txn: Mapping[str, Any]) -> Change:
    """A bundle transaction as a Change, after checking its shape."""
    if set(txn) != TXN_KEYS:
        raise invalid()
    entity = txn["entity"]
    fields = txn["fields"]
    parents = txn["parents"]
    if (
        not is_uuid(txn["txn_id"])
        or not is_uuid(txn["record_id"])
        or not is_uuid(txn["org_id"])
        or not (txn["case_id"] == "" or is_uuid(txn["case_id"]))
        or entity not in ENTITY_TYPES
        or (entity == Organisation.ENTITY) != (txn["case_id"] == "")
        or not isinstance(txn["user_id"], str)
        or not USER_ID.fullmatch(txn["user_id"])
        or not isinstance(txn["hlc"], str)
        or not isinstance(txn["device"], str)
        or not isinstance(fields, dict)
        or not isinstance(parents, list)
        or len(parents) > MAX_PARENTS
        or not all(is_uuid(p) for p in parents)
        or type(txn["deleted"]) is not bool
        or "id" in fields
    ):
        raise invalid()
    try:
        stamp = Timestamp.decode(txn["hlc"])
    except ValueError:
        raise invalid() from None
    if stamp.device != txn["device"]:
        raise invalid()
    return Change(
        txn_id=txn["txn_id"],
        hlc=txn["hlc"],
        device=txn["device"],
        user_id=txn["user_id"],
        org_id=txn["org_id"],
        case_id=txn["case_id"],
        entity=entity,
        record_id=txn["record_id"],
        parents=tuple(parents),
        fields=fields,
        deleted=txn["deleted"],
    )


def check_permitted(
    session: Session,
    state: ExchangeState,
    partner: PartnerRow,
    sender_org: str,
    changes: list[Change],
    before: Mapping[str, StoredRecord],
) -> None:
    my_org = session.org_id
    from_coordinator = partner.role == PartnerRole.COORDINATOR.value
    referred = identity_referrals(state)
    first_seen: dict[str, Change] = {}
    for c in changes:
        stored = before.get(c.record_id)
        first = first_seen.setdefault(c.record_id, c)
        same = stored or first
        if same.entity != c.entity or same.case_id != c.case_id or same.org_id != c.org_id:
            raise invalid()
        answer = c.entity == Referral.ENTITY and set(c.fields) <= REFERRAL_ANSWER_FIELDS
        care = c.entity in PACKAGE_ENTITIES  # the case and person of a referred case
        if from_coordinator:
            if c.org_id != my_org:
                continue
            referred_out = any(frm == my_org for frm, _to in referred.get(c.case_id, ()))
            if c.device == session.device_id or not (answer or (care and referred_out)):
                raise not_permitted()
            continue
        if c.device != partner.key_id:
            raise not_permitted()
        if c.org_id == sender_org:
            continue
        to_org = stored.data.get("to_org_id") if stored else None
        if answer and to_org == sender_org and not c.deleted:
            continue
        referred_in = any(to == sender_org for _frm, to in referred.get(c.case_id, ()))
        if not (care and referred_in and not c.deleted):
            raise not_permitted()
