"""Checks on an incoming bundle's transactions: their shape and field types as each one is
read (:class:`IncomingChanges`), who may write what (:func:`check_permitted`), and, once they
are applied inside the import's database transaction, the domain rules on every record they
touched (:func:`check_rules`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from shelter_desk.domain import rules
from shelter_desk.domain.coordination import COORDINATION_ENTITIES
from shelter_desk.domain.entities import Organisation, Referral
from shelter_desk.domain.serialize import ENTITY_TYPES, from_fields
from shelter_desk.services import sharing
from shelter_desk.services.exchange.common import (
    MAX_PARENTS,
    PACKAGE_ENTITIES,
    REFERRAL_ANSWER_FIELDS,
    TXN_KEYS,
    USER_ID,
    Progress,
    bad_field,
    identity_referrals,
    invalid,
    is_uuid,
    not_permitted,
)
from shelter_desk.services.exchange.fields import field_problem
from shelter_desk.services.session import Session
from shelter_desk.store.exchange_state import (
    ExchangeState,
    PartnerRow,
)
from shelter_desk.store.records import Change, StoredRecord
from shelter_desk.sync.hlc import Timestamp
from shelter_desk.sync.identity import PartnerRole

# Records of an organisation rather than of a case: the directory and the coordination log.
CASELESS_ENTITIES = frozenset({Organisation.ENTITY, *COORDINATION_ENTITIES})


def change_of(txn: Mapping[str, Any]) -> Change:
    """A bundle transaction as a Change, after checking its shape."""
    if txn.keys() != TXN_KEYS:
        raise invalid()
    entity = txn["entity"]
    fields = txn["fields"]
    parents = txn["parents"]
    if not isinstance(entity, str) or entity not in ENTITY_TYPES:
        raise invalid()
    if (
        not is_uuid(txn["txn_id"])
        or not is_uuid(txn["record_id"])
        or not is_uuid(txn["org_id"])
        or not (txn["case_id"] == "" or is_uuid(txn["case_id"]))
        or (entity in CASELESS_ENTITIES) != (txn["case_id"] == "")
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
    except (ValueError, TypeError, OverflowError):
        raise invalid() from None
    if stamp.device != txn["device"]:
        raise invalid()
    bad = field_problem(entity, fields, reduced=sharing.is_derived(txn["txn_id"]))
    if bad is not None:
        raise bad_field(entity, bad)
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


class IncomingChanges:
    """A bundle's transactions as Changes, collected while the bundle is read; the first one
    that is malformed, or repeats an earlier one's id, stops the reading."""

    def __init__(self) -> None:
        self.changes: list[Change] = []
        self._ids: set[str] = set()

    def add(self, txn: dict[str, Any]) -> None:
        change = change_of(txn)
        if change.txn_id in self._ids:
            raise invalid()
        self._ids.add(change.txn_id)
        self.changes.append(change)


class Decoded:
    """Records decoded into their entities, each once per import: the case list and the
    rule checks need the same ones. An entry counts only for the very record object it was
    decoded from, so a record's earlier state is never mistaken for its new one."""

    def __init__(self) -> None:
        self._found: dict[str, tuple[StoredRecord, Any]] = {}

    def entity(self, record: StoredRecord) -> Any:
        """The record's entity (as ``cases.case_file_from`` decodes it); raises what
        ``from_fields`` raises for fields that do not decode."""
        hit = self._found.get(record.id)
        if hit is not None and hit[0] is record:
            return hit[1]
        value: Any = from_fields(ENTITY_TYPES[record.entity], {**record.data, "id": record.id})
        self._found[record.id] = (record, value)
        return value


def check_rules(
    changes: list[Change],
    before: Mapping[str, StoredRecord],
    after: Mapping[str, StoredRecord],
    today: dt.date,
    decoded: Decoded,
    progress: Progress | None = None,
) -> None:
    """Refuse the import when a record it touched breaks a domain rule that held before it
    (or any rule, for a record it created), naming the first such field.

    A record that only reduced transactions (``sharing.derive``) wrote lacks, by design, what
    the reduction left out (a pseudonymised person has no name), so there only the fields
    those transactions carried are judged. Dates may lie one day ahead of ``today``: the
    sender's calendar may already be on the next day."""
    written: dict[str, set[str]] = {}
    original: set[str] = set()
    for c in changes:
        written.setdefault(c.record_id, set()).update(c.fields)
        if not sharing.is_derived(c.txn_id):
            original.add(c.record_id)
    horizon = today + dt.timedelta(days=1)
    for index, (record_id, names) in enumerate(written.items()):
        if progress is not None and index % 1000 == 0:
            progress(index, len(written))
        record = after.get(record_id)
        if record is None:
            continue
        errors = _rule_errors(record, horizon, decoded)
        if not errors:
            continue
        earlier = before.get(record_id)
        held = _rule_errors(earlier, horizon, decoded) if earlier is not None else {}
        for key in errors:
            name = _field_of(key)
            if key in held or (record_id not in original and name not in names):
                continue
            raise bad_field(record.entity, name)


def _rule_errors(record: StoredRecord, today: dt.date, decoded: Decoded) -> dict[str, str]:
    try:
        entity: Any = decoded.entity(record)
    except (ValueError, TypeError, AttributeError, KeyError, ArithmeticError):
        return {"": ""}
    return rules.validate(entity, today)


def _field_of(error_key: str) -> str:
    """The record field an error key of the rules is about (``documents[0].issuing_country``
    -> ``documents``)."""
    return re.split(r"[.\[]", error_key, maxsplit=1)[0]


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
