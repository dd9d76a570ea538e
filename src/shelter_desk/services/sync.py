"""Sync with partner installations: partner cards, bundle export and import, the conflict
queue, referrals across organisations and the coordinator's view.

Who receives what (``export_bundle``); a shelter only ever sends transactions written on its
own installation, a coordinator also relays what shelters sent it:

* to a **coordinator**: every case of this organisation at the level its consent allows (see
  ``services.sharing``); this organisation's referrals to other organisations with the minimum
  case data to act on them (the case and person records, identified only when the referral
  shares identity, otherwise pseudonymised); answers given here to other organisations'
  referrals (status, response date);
* to a **shelter** (from its coordinator, or directly): referrals addressed to it with the case
  and person records that go with them (identified only when the referral shares identity),
  the answers other organisations gave to its own referrals, and, from a coordinator, the
  partner directory (the coordinator's Organisation records; an entry for every shelter it
  hears from is created with the shelter's organisation id as record id);
* to everyone: acknowledgements of every bundle received from that partner.

A transaction is sent again in every bundle until the partner acknowledges a bundle that
carried it, so a lost USB stick loses nothing. Bundles to one partner are numbered 1, 2, 3...
and chained by hash.

Import (``import_bundle``) checks everything before writing anything and writes everything in
one database transaction. A refused bundle raises :class:`BundleError` with a translated
message and is recorded in quarantine (hash and reason code only) in a transaction of its own.

A receiving shelter may also update the case and person records of a case referred to it with
identity (the person moved, the risk changed); those edits travel back to the referring
organisation, and concurrent edits of a safety-critical field land in both conflict queues.

Who may write what, checked on import: a shelter partner only transactions written on its own
installation, to records of its own organisation, except answers (status, response date) to
referrals addressed to it and the case and person records of cases referred to it with
identity; a coordinator partner anything except records of this organisation, where it may only
relay other installations' answers to this organisation's referrals and their edits of the case
and person records of cases this organisation referred with identity.

Derived (reduced) transactions have UUIDv5 ids, original ones UUIDv7 (``sharing.is_derived``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from typing import Any

from shelter_desk.domain import rules
from shelter_desk.domain.entities import Case, Organisation, Person, Referral
from shelter_desk.domain.errors import (
    BundleError,
    NotFound,
    PermissionDenied,
    StoreError,
    ValidationError,
)
from shelter_desk.domain.serialize import ENTITY_TYPES, from_fields
from shelter_desk.i18n import _
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission
from shelter_desk.services import cases, sharing
from shelter_desk.services.session import Session
from shelter_desk.store import migrations
from shelter_desk.store.records import Change, StoredRecord
from shelter_desk.store.sync_state import (
    BundleLogRow,
    ConflictRow,
    PartnerRow,
    QuarantineRow,
    SyncState,
)
from shelter_desk.sync.bundle import (
    BundleInspection,
    inspect_bundle,
    read_bundle,
    write_bundle,
)
from shelter_desk.sync.hlc import Timestamp, is_future, system_time_ms
from shelter_desk.sync.identity import PartnerCard, PartnerRole, fingerprint_words

# Audit action codes for what the security.audit.Action enum does not name yet.
AUDIT_PARTNER_ADD = Action.PARTNER_ADD
AUDIT_PARTNER_REVOKE = Action.PARTNER_REVOKE
AUDIT_CONFLICT_RESOLVE = Action.CONFLICT_RESOLVE
AUDIT_NETWORK_SECRET = Action.NETWORK_SECRET_SET
AUDIT_IMPORT_REFUSED = Action.IMPORT_REFUSED

MANIFEST_FORMAT = "shelter-desk-sync"
MANIFEST_VERSION = 1
REFERRAL_ANSWER_FIELDS = frozenset({"status", "responded_on"})
MAX_PARENTS = 64
MAX_ACKNOWLEDGEMENTS = 100_000
_TXN_KEYS = frozenset(
    {
        "txn_id",
        "hlc",
        "device",
        "user_id",
        "org_id",
        "case_id",
        "entity",
        "record_id",
        "parents",
        "fields",
        "deleted",
    }
)
_USER_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_PACKAGE_ENTITIES = (Case.ENTITY, Person.ENTITY)

Progress = Callable[[int, int], None]


class ImportProblem(StrEnum):
    """Reason codes for refusals found after the bundle was opened (quarantine records)."""

    NEWER_SCHEMA = "newer_schema"
    BAD_MANIFEST = "bad_manifest"
    INVALID_TRANSACTION = "invalid_transaction"
    NOT_PERMITTED = "not_permitted"
    ORGANISATION_CHANGED = "organisation_changed"


class ImportRefused(BundleError):
    """A bundle opened fine but its contents may not be imported; ``problem`` says why."""

    def __init__(self, problem: ImportProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


def _invalid() -> ImportRefused:
    return ImportRefused(
        ImportProblem.INVALID_TRANSACTION,
        _("This bundle contains a change that Shelter Desk cannot read. Nothing was imported."),
    )


def _not_permitted() -> ImportRefused:
    return ImportRefused(
        ImportProblem.NOT_PERMITTED,
        _(
            "This bundle changes records that its sender may not change. Nothing was imported."
            " Tell the sender and your supervisor."
        ),
    )


def _bad_manifest() -> ImportRefused:
    return ImportRefused(
        ImportProblem.BAD_MANIFEST,
        _("The contents list of this bundle is not valid. Nothing was imported."),
    )


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _state(session: Session) -> SyncState:
    return SyncState(session.db)


# =========================================================================================
# Partners
# =========================================================================================


@dataclasses.dataclass(frozen=True)
class PartnerInfo:
    """A registered partner, for lists (nothing personal: organisations and keys)."""

    key_id: str
    organisation: str
    country: str
    role: str
    fingerprint: str
    fingerprint_digits: str
    org_id: str  # learned from the partner's first bundle; "" until then
    trusted_at: str
    revoked_at: str
    last_sent_at: str
    last_received_at: str
    last_sent_seq: int
    last_received_seq: int
    card: PartnerCard

    @property
    def revoked(self) -> bool:
        return bool(self.revoked_at)


def my_card(session: Session) -> PartnerCard:
    """This installation's public card (organisation name, country, role, public keys).

    Raises ValidationError when the organisation's name or country cannot go on a card (a
    country must be set for the installation)."""
    session.require(Permission.VIEW_CASES)
    return session.device_identity.public_card(
        session.org_name, session.meta.get("org_country"), session.installation_role
    )


def normalise_fingerprint(text: str) -> tuple[str, ...] | str | None:
    """A fingerprint as typed: the 30 digits (str), the nine words (tuple), or None."""
    digits = re.sub(r"[\s-]+", "", text)
    if digits.isdigit():
        return digits if len(digits) == 30 else None
    words = tuple(w for w in re.split(r"[^a-z]+", text.casefold()) if w)
    return words if len(words) == 9 else None


def fingerprint_matches(card: PartnerCard, typed: str) -> bool:
    """Whether ``typed`` is the card's fingerprint, in words or digits. A word may be given
    by its first four letters (BIP39 words differ in their first four)."""
    found = normalise_fingerprint(typed)
    if isinstance(found, str):
        return found == card.fingerprint_digits.replace(" ", "")
    if found is None:
        return False
    expected = fingerprint_words(card.signing_key, card.recipient)
    return all(
        w == e or (len(w) >= 4 and e.startswith(w)) for w, e in zip(found, expected, strict=True)
    )


def add_partner(session: Session, card_bytes: bytes, confirmed_fingerprint: str) -> PartnerCard:
    """Trust a partner's card after its fingerprint was confirmed with the partner (by phone
    or in person). Raises BundleError for a file that is not a valid card, ValidationError
    when the fingerprint does not match, or the card is this installation's own or was
    withdrawn before."""
    session.require(Permission.MANAGE_PARTNERS)
    card = PartnerCard.from_bytes(card_bytes)
    if not fingerprint_matches(card, confirmed_fingerprint):
        raise ValidationError(
            {
                "fingerprint": _(
                    "The fingerprint does not match this card. Do not add it: call the partner"
                    " again and compare every word."
                )
            }
        )
    if card.key_id == session.device_identity.key_id:
        raise ValidationError({"card": _("This is this installation's own card.")})
    state = _state(session)
    existing = state.partner(card.key_id)
    if existing is not None and existing.revoked_at:
        raise ValidationError(
            {"card": _("This partner's key was withdrawn here and cannot be trusted again.")}
        )
    with session.db.transaction():
        state.save_partner(
            PartnerRow(
                key_id=card.key_id,
                card=card.to_bytes(),
                fingerprint=card.fingerprint,
                organisation=card.organisation,
                country=card.country,
                role=card.role.value,
                org_id=existing.org_id if existing else "",
                trusted_at=existing.trusted_at if existing else now_iso(),
                trusted_by=existing.trusted_by if existing else session.user.id,
                revoked_at="",
                revoked_by="",
            )
        )
        session.audit(AUDIT_PARTNER_ADD, "partner", card.key_id)
    return card


def _info(state: SyncState, row: PartnerRow) -> PartnerInfo:
    card = PartnerCard.from_bytes(row.card)
    sent = state.bundles(row.key_id, "sent")
    received = state.bundles(row.key_id, "received")
    return PartnerInfo(
        key_id=row.key_id,
        organisation=row.organisation,
        country=row.country,
        role=row.role,
        fingerprint=card.fingerprint,
        fingerprint_digits=card.fingerprint_digits,
        org_id=row.org_id,
        trusted_at=row.trusted_at,
        revoked_at=row.revoked_at,
        last_sent_at=sent[0].at if sent else "",
        last_received_at=received[0].at if received else "",
        last_sent_seq=max((b.seq for b in sent), default=0),
        last_received_seq=max((b.seq for b in received), default=0),
        card=card,
    )


def list_partners(session: Session, *, include_revoked: bool = True) -> list[PartnerInfo]:
    session.require(Permission.VIEW_CASES)
    state = _state(session)
    return [_info(state, row) for row in state.partners() if include_revoked or not row.revoked_at]


def find_partner(session: Session, fingerprint_or_org_name: str) -> PartnerInfo:
    """A trusted partner by fingerprint (words or digits), key id or organisation name."""
    session.require(Permission.VIEW_CASES)
    wanted = fingerprint_or_org_name.strip()
    trusted = list_partners(session, include_revoked=False)
    found = [
        p for p in trusted if p.key_id == wanted.casefold() or fingerprint_matches(p.card, wanted)
    ]
    if not found:
        found = [p for p in trusted if p.organisation.casefold() == wanted.casefold()]
    if len(found) > 1:
        raise ValidationError(
            {"partner": _("Several partners have this name; give the fingerprint instead.")}
        )
    if not found:
        raise NotFound(_("There is no trusted partner {name}.").format(name=wanted))
    return found[0]


def revoke_partner(session: Session, key_id: str) -> None:
    """Withdraw trust in a partner's key: its bundles are refused from now on and nothing
    is exported to it. A revoked key cannot be added again (a new card is needed)."""
    session.require(Permission.MANAGE_PARTNERS)
    state = _state(session)
    row = state.partner(key_id)
    if row is None:
        raise NotFound(_("There is no such partner."))
    if row.revoked_at:
        return
    with session.db.transaction():
        state.revoke_partner(key_id, now_iso(), session.user.id)
        session.audit(AUDIT_PARTNER_REVOKE, "partner", key_id)


def set_network_secret(session: Session, secret: str) -> None:
    """Store the national network's secret (see ``services.sharing``): the key of the
    identity tokens in pseudonymised data. Every shelter of the network enters the same one;
    the coordinator never gets it."""
    session.require(Permission.MANAGE_PARTNERS)
    cleaned = sharing.normalise_network_secret(secret)
    if cleaned is None:
        raise ValidationError(
            {
                "secret": _(
                    "A network secret has {count} letters and digits; check it with the shelter"
                    " that made it."
                ).format(count=sharing.NETWORK_SECRET_LENGTH)
            }
        )
    with session.db.transaction():
        session.meta.set("network_key", sharing.network_key(cleaned).hex())
        session.audit(AUDIT_NETWORK_SECRET, "installation", session.device_id)


def has_network_secret(session: Session) -> bool:
    return bool(session.meta.get("network_key"))


def _token_key(session: Session) -> bytes | None:
    raw = session.meta.get("network_key")
    return bytes.fromhex(raw) if raw else None


def _trusted_cards(state: SyncState) -> tuple[dict[str, PartnerCard], set[str]]:
    trusted: dict[str, PartnerCard] = {}
    revoked: set[str] = set()
    for row in state.partners():
        if row.revoked_at:
            revoked.add(row.key_id)
        else:
            trusted[row.key_id] = PartnerCard.from_bytes(row.card)
    return trusted, revoked


def read_card(card_bytes: bytes) -> PartnerCard:
    """A partner card checked for form and self-signature (not yet trusted)."""
    return PartnerCard.from_bytes(card_bytes)


def inspect(session: Session, data: bytes) -> BundleInspection:
    """Header and signature status of a bundle, without decrypting (``bundle inspect``)."""
    session.require(Permission.IMPORT)
    trusted, revoked = _trusted_cards(_state(session))
    return inspect_bundle(data, trusted, revoked=revoked, me=session.device_identity)


# =========================================================================================
# Export
# =========================================================================================


@dataclasses.dataclass(frozen=True)
class ExportSummary:
    """What a bundle carries, in numbers only."""

    seq: int
    transactions: int
    identified: int  # transactions sent as they are
    pseudonymised: int
    statistics: int
    cases: int
    referrals: int
    organisations: int
    acknowledgements: int
    size: int
    entities: dict[str, int]


@dataclasses.dataclass(frozen=True)
class ExportResult:
    bundle: bytes
    bundle_id: str
    bundle_hash: str
    partner_key_id: str
    summary: ExportSummary


class _Plan:
    """Transactions chosen for one bundle: (change, form) pairs without duplicates."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Change] = {}

    def add(self, change: Change, form: str) -> None:
        self.items.setdefault((change.txn_id, form), change)


def _plan_for(session: Session, state: SyncState, partner: PartnerRow) -> _Plan:
    plan = _Plan()
    my_org, my_device = session.org_id, session.device_id
    i_relay = session.installation_role == PartnerRole.COORDINATOR.value
    to_coordinator = partner.role == PartnerRole.COORDINATOR.value
    their_org = partner.org_id

    def may_send(c: Change) -> bool:
        return c.device != partner.key_id and (i_relay or c.device == my_device)

    if to_coordinator:  # this organisation's own cases, by consent
        levels = {
            rid: str(data.get("sharing_level", sharing.NOT_SHARED))
            for rid, (org, _case, data) in state.current_fields(Case.ENTITY).items()
            if org == my_org
        }
        for c in state.changes_by(my_org, my_device):
            if not c.case_id or sharing.is_derived(c.txn_id):
                continue
            form = sharing.form_for_level(levels.get(c.case_id, sharing.NOT_SHARED))
            if form is not None:
                plan.add(c, form)
    if i_relay:  # the partner directory
        for c in state.changes_of_entity(Organisation.ENTITY, my_org):
            if may_send(c):
                plan.add(c, sharing.RAW)
    _plan_referrals(state, plan, my_org, my_device, may_send, to_coordinator, their_org)
    return plan


def _plan_referrals(
    state: SyncState,
    plan: _Plan,
    my_org: str,
    my_device: str,
    may_send: Callable[[Change], bool],
    to_coordinator: bool,
    their_org: str,
) -> None:
    referrals = state.current_fields(Referral.ENTITY)
    # A coordinator carries referrals to the organisations of its directory (and to itself).
    reachable = {their_org} if their_org else set()
    if to_coordinator and their_org:
        reachable |= {
            rid
            for rid, (org, _case, _data) in state.current_fields(Organisation.ENTITY).items()
            if org == their_org
        }
    packages: dict[str, bool] = {}  # case id -> shares identity (any referral in it)
    answers: list[str] = []  # referral records whose other-party writes go to the partner
    edited: set[str] = set()  # cases whose case and person edits by others go back
    for rid, (org, case_id, data) in referrals.items():
        to = str(data.get("to_org_id", ""))
        shares = bool(data.get("shares_identity", True))
        addressed = bool(their_org) and to == their_org
        routed = to_coordinator and org == my_org and to != my_org and to in reachable
        if addressed or routed:
            answers.append(rid)
            packages[case_id] = packages.get(case_id, False) or shares
        back = bool(their_org) and org == their_org  # the partner's own referral
        upward = to_coordinator and org != my_org  # answers given here, towards the hub
        if back or upward:
            answers.append(rid)
            if shares and (back or to == my_org):
                edited.add(case_id)
    for c in state.changes_of_records(answers):
        if may_send(c):
            plan.add(c, sharing.RAW)
    if not packages and not edited:
        return
    record_ids = state.records_of_cases(set(packages) | edited, _PACKAGE_ENTITIES)
    for c in state.changes_of_records(record_ids):
        if not may_send(c):
            continue
        if packages.get(c.case_id, False) or c.case_id in edited or sharing.is_derived(c.txn_id):
            plan.add(c, sharing.RAW)
        elif c.device == my_device:
            # Only the author reduces its own transactions; a relay passes on reduced ones
            # it received and never the identified ones.
            plan.add(c, sharing.PSEUDONYMISED)


def _identity_referrals(state: SyncState) -> dict[str, set[tuple[str, str]]]:
    """case id -> (from org, to org) of every referral in it that shares identity."""
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for org, case_id, data in state.current_fields(Referral.ENTITY).values():
        if bool(data.get("shares_identity", True)):
            found[case_id].add((org, str(data.get("to_org_id", ""))))
    return found


def export_bundle(
    session: Session, partner: PartnerInfo | str, *, progress: Progress | None = None
) -> ExportResult:
    """An encrypted, signed bundle of everything ``partner`` (a PartnerInfo or key id) should
    receive and has not acknowledged, with acknowledgements of its bundles received here.

    The bundle is logged as sent (its hash starts the next bundle's chain); writing it to a
    file is the caller's job. Exporting again before the partner answers sends the same
    transactions again under the next sequence number."""
    session.require(Permission.EXPORT)
    key_id = partner.key_id if isinstance(partner, PartnerInfo) else partner
    state = _state(session)
    row = state.partner(key_id)
    if row is None:
        raise NotFound(_("There is no such partner."))
    if row.revoked_at:
        raise ValidationError({"partner": _("This partner's key was withdrawn.")})
    card = PartnerCard.from_bytes(row.card)
    plan = _plan_for(session, state, row)
    acked = state.acknowledged_txns(key_id)
    token_key = _token_key(session)
    persons = _person_histories(state, plan)
    transactions: list[dict[str, Any]] = []
    sent_ids: list[str] = []
    forms: Counter[str] = Counter()
    entities: Counter[str] = Counter()
    case_ids: set[str] = set()
    items = sorted(plan.items.items(), key=lambda kv: (kv[1].hlc, kv[0]))
    for index, ((txn_id, form), change) in enumerate(items):
        if progress is not None and index % 5000 == 0:
            progress(index, len(items))
        out_id = sharing.sent_id(form, txn_id)
        if out_id in acked:
            continue
        if form == sharing.RAW:
            txn = sharing.txn_dict(change)
        else:
            derived = sharing.derive(
                change, form, person_state=persons.get(txn_id), token_key=token_key
            )
            if derived is None:
                continue
            txn = derived
        transactions.append(txn)
        sent_ids.append(out_id)
        forms[form] += 1
        entities[change.entity] += 1
        if change.case_id:
            case_ids.add(change.case_id)
    received = state.received_seqs(key_id)
    acknowledgements = [[seq, digest] for seq, digest in sorted(received.items())]
    last = state.last_sent(key_id)
    seq = last.seq + 1 if last else 1
    manifest = {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "org_id": session.org_id,
        "role": session.installation_role,
        "acknowledgements": acknowledgements,
    }
    data = write_bundle(
        session.device_identity,
        card,
        manifest,
        transactions,
        seq=seq,
        previous_hash=last.bundle_hash if last else "",
        schema_version=migrations.LATEST,
    )
    bundle_hash = hashlib.sha256(data).hexdigest()
    bundle_id = inspect_bundle(data).header.bundle_id
    with session.db.transaction():
        state.log_bundle(
            BundleLogRow(
                bundle_hash=bundle_hash,
                bundle_id=bundle_id,
                partner_key_id=key_id,
                direction="sent",
                seq=seq,
                previous_hash=last.bundle_hash if last else "",
                at=now_iso(),
                user_id=session.user.id,
                size=len(data),
                transactions=len(transactions),
                new_transactions=len(transactions),
                cases=len(case_ids),
                acknowledgements=len(acknowledgements),
            )
        )
        state.record_sent_txns(bundle_hash, sent_ids)
        session.audit(Action.EXPORT, "partner", key_id)
    if progress is not None:
        progress(len(items), len(items))
    summary = ExportSummary(
        seq=seq,
        transactions=len(transactions),
        identified=forms[sharing.RAW],
        pseudonymised=forms[sharing.PSEUDONYMISED],
        statistics=forms[sharing.STATISTICS],
        cases=len(case_ids),
        referrals=entities[Referral.ENTITY],
        organisations=entities[Organisation.ENTITY],
        acknowledgements=len(acknowledgements),
        size=len(data),
        entities=dict(entities),
    )
    return ExportResult(data, bundle_id, bundle_hash, key_id, summary)


def _person_histories(state: SyncState, plan: _Plan) -> dict[str, dict[str, Any]]:
    """The person record's state after each person transaction that will be reduced."""
    wanted = {
        c.record_id
        for (_txn, form), c in plan.items.items()
        if form != sharing.RAW and c.entity == Person.ENTITY
    }
    if not wanted:
        return {}
    return sharing.person_states(state.changes_of_records(wanted))


# =========================================================================================
# Import
# =========================================================================================


@dataclasses.dataclass(frozen=True)
class ConflictView:
    """One entry of the conflict queue: both values with who and when."""

    id: str
    record_id: str
    entity: str
    case_id: str
    case_number: str
    field: str
    local_value: Any
    local_at: str  # ISO time from the clock
    local_user: str
    local_device: str
    remote_value: Any
    remote_at: str
    remote_user: str
    remote_device: str
    status: str
    resolved_by: str
    resolved_at: str


@dataclasses.dataclass(frozen=True)
class ImportResult:
    applied: bool
    already_applied: bool
    sender_key_id: str
    sender_organisation: str
    seq: int
    counts: dict[str, int]  # "transactions", "new", "cases", "acknowledged", per entity
    conflicts: list[ConflictView]
    gap_before: int | None  # how many earlier bundles of this sender have not arrived
    chain_broken: bool  # the previous bundle arrived but its hash is not the one expected
    future_clock_flags: tuple[str, ...]  # ids of transactions stamped too far ahead

    @property
    def message(self) -> str:
        if self.already_applied:
            return _("This bundle was already imported; nothing changed.")
        return _("Bundle {seq} from {organisation} imported.").format(
            seq=self.seq, organisation=self.sender_organisation
        )


def import_bundle(
    session: Session, data: bytes, *, progress: Progress | None = None
) -> ImportResult:
    """Verify, decrypt, check and apply a bundle, all or nothing.

    A bundle already imported changes nothing and says so (``already_applied``). Any
    problem raises BundleError with a translated message; nothing is written except a
    quarantine entry (the bundle's hash and the reason code)."""
    session.require(Permission.IMPORT)
    state = _state(session)
    bundle_hash = hashlib.sha256(data).hexdigest()
    try:
        with session.db.transaction():
            return _import(session, state, data, progress)
    except BundleError as exc:
        _quarantine(session, state, data, bundle_hash, exc)
        raise


def _quarantine(
    session: Session, state: SyncState, data: bytes, bundle_hash: str, exc: BundleError
) -> None:
    reason = str(getattr(exc, "problem", "refused"))
    try:
        sender = inspect_bundle(data).header.sender_key_id
    except BundleError:
        sender = ""
    # If even this bookkeeping cannot be written (disk full), the refusal itself is what the
    # person must see, so that error is not allowed to replace it.
    with contextlib.suppress(StoreError), session.db.transaction():
        state.quarantine(bundle_hash, reason, sender, len(data), now_iso(), session.user.id)
        session.audit(AUDIT_IMPORT_REFUSED, "bundle", bundle_hash)


def _import(
    session: Session, state: SyncState, data: bytes, progress: Progress | None
) -> ImportResult:
    trusted, revoked = _trusted_cards(state)
    opened = read_bundle(data, session.device_identity, trusted, revoked=revoked)
    header = opened.header
    partner = state.partner(header.sender_key_id)
    assert partner is not None  # read_bundle took the card from the registered partners
    previous = state.bundle(opened.bundle_hash)
    if previous is not None and previous.direction == "received":
        session.audit(Action.IMPORT, "partner", partner.key_id)
        return ImportResult(
            applied=False,
            already_applied=True,
            sender_key_id=partner.key_id,
            sender_organisation=partner.organisation,
            seq=header.seq,
            counts={},
            conflicts=[],
            gap_before=None,
            chain_broken=False,
            future_clock_flags=(),
        )
    if header.schema_version > migrations.LATEST:
        raise ImportRefused(
            ImportProblem.NEWER_SCHEMA,
            _(
                "This bundle was made by a newer Shelter Desk. Install the newest version on"
                " this computer, then import it again."
            ),
        )
    sender_org, acknowledgements = _check_manifest(session, state, partner, opened.manifest)
    changes = [_change_of(t) for t in opened.transactions]
    before = session.records.get_many(c.record_id for c in changes)
    _check_permitted(session, state, partner, sender_org, changes, before)
    received = state.received_seqs(partner.key_id)
    missing = [s for s in range(1, header.seq) if s not in received]
    chain_broken = (
        header.seq - 1 in received and received[header.seq - 1] != header.previous_hash
    ) or (header.seq == 1 and header.previous_hash != "")
    now_ms = system_time_ms()
    future = tuple(c.txn_id for c in changes if is_future(Timestamp.decode(c.hlc), now_ms))
    applied = _apply(session, state, changes, before, progress)
    if changes:
        latest = max(Timestamp.decode(c.hlc) for c in changes)
        session.clock.receive(latest)
        session.meta.set("hlc_last", session.clock.last.encode())
    if not partner.org_id:
        _learn_partner_org(session, state, partner, sender_org)
    acknowledged = sum(
        state.acknowledge(partner.key_id, seq, digest, now_iso())
        for seq, digest in acknowledgements
    )
    counts = {
        "transactions": len(changes),
        "new": applied.new,
        "cases": len(applied.cases),
        "acknowledged": acknowledged,
        **{f"entity:{k}": v for k, v in applied.entities.items()},
    }
    state.log_bundle(
        BundleLogRow(
            bundle_hash=opened.bundle_hash,
            bundle_id=header.bundle_id,
            partner_key_id=partner.key_id,
            direction="received",
            seq=header.seq,
            previous_hash=header.previous_hash,
            at=now_iso(),
            user_id=session.user.id,
            size=len(data),
            transactions=len(changes),
            new_transactions=applied.new,
            cases=len(applied.cases),
            acknowledgements=acknowledged,
            conflicts=len(applied.conflicts),
            gap_before=len(missing),
            chain_broken=chain_broken,
            future_clocks=future,
        )
    )
    session.audit(Action.IMPORT, "partner", partner.key_id)
    return ImportResult(
        applied=True,
        already_applied=False,
        sender_key_id=partner.key_id,
        sender_organisation=partner.organisation,
        seq=header.seq,
        counts=counts,
        conflicts=[_conflict_view(session, c) for c in applied.conflicts],
        gap_before=len(missing) or None,
        chain_broken=chain_broken,
        future_clock_flags=future,
    )


def _is_uuid(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def _check_manifest(
    session: Session, state: SyncState, partner: PartnerRow, manifest: Mapping[str, Any]
) -> tuple[str, list[tuple[int, str]]]:
    if manifest.get("format") != MANIFEST_FORMAT or manifest.get("version") != MANIFEST_VERSION:
        raise _bad_manifest()
    org_id = manifest.get("org_id")
    acks = manifest.get("acknowledgements")
    if not _is_uuid(org_id) or not isinstance(acks, list) or len(acks) > MAX_ACKNOWLEDGEMENTS:
        raise _bad_manifest()
    if manifest.get("role") != partner.role:
        raise _bad_manifest()
    assert isinstance(org_id, str)
    pairs: list[tuple[int, str]] = []
    for ack in acks:
        if (
            not isinstance(ack, list)
            or len(ack) != 2
            or type(ack[0]) is not int
            or ack[0] < 1
            or not isinstance(ack[1], str)
            or not _SHA256_HEX.fullmatch(ack[1])
        ):
            raise _bad_manifest()
        pairs.append((ack[0], ack[1]))
    changed = ImportRefused(
        ImportProblem.ORGANISATION_CHANGED,
        _(
            "This bundle names another organisation than its sender's earlier bundles. Nothing"
            " was imported. Check the partner's card with them."
        ),
    )
    if partner.org_id and partner.org_id != org_id:
        raise changed
    if org_id == session.org_id:
        raise changed
    other = state.partner_by_org(org_id)
    if other is not None and other.key_id != partner.key_id:
        raise changed
    return org_id, pairs


def _change_of(txn: Mapping[str, Any]) -> Change:
    """A bundle transaction as a Change, after checking its shape."""
    if set(txn) != _TXN_KEYS:
        raise _invalid()
    entity = txn["entity"]
    fields = txn["fields"]
    parents = txn["parents"]
    if (
        not _is_uuid(txn["txn_id"])
        or not _is_uuid(txn["record_id"])
        or not _is_uuid(txn["org_id"])
        or not (txn["case_id"] == "" or _is_uuid(txn["case_id"]))
        or entity not in ENTITY_TYPES
        or (entity == Organisation.ENTITY) != (txn["case_id"] == "")
        or not isinstance(txn["user_id"], str)
        or not _USER_ID.fullmatch(txn["user_id"])
        or not isinstance(txn["hlc"], str)
        or not isinstance(txn["device"], str)
        or not isinstance(fields, dict)
        or not isinstance(parents, list)
        or len(parents) > MAX_PARENTS
        or not all(_is_uuid(p) for p in parents)
        or type(txn["deleted"]) is not bool
        or "id" in fields
    ):
        raise _invalid()
    try:
        stamp = Timestamp.decode(txn["hlc"])
    except ValueError:
        raise _invalid() from None
    if stamp.device != txn["device"]:
        raise _invalid()
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


def _check_permitted(
    session: Session,
    state: SyncState,
    partner: PartnerRow,
    sender_org: str,
    changes: list[Change],
    before: Mapping[str, StoredRecord],
) -> None:
    my_org = session.org_id
    from_coordinator = partner.role == PartnerRole.COORDINATOR.value
    referred = _identity_referrals(state)
    first_seen: dict[str, Change] = {}
    for c in changes:
        stored = before.get(c.record_id)
        first = first_seen.setdefault(c.record_id, c)
        same = stored or first
        if same.entity != c.entity or same.case_id != c.case_id or same.org_id != c.org_id:
            raise _invalid()
        answer = c.entity == Referral.ENTITY and set(c.fields) <= REFERRAL_ANSWER_FIELDS
        care = c.entity in _PACKAGE_ENTITIES  # the case and person of a referred case
        if from_coordinator:
            if c.org_id != my_org:
                continue
            referred_out = any(frm == my_org for frm, _to in referred.get(c.case_id, ()))
            if c.device == session.device_id or not (answer or (care and referred_out)):
                raise _not_permitted()
            continue
        if c.device != partner.key_id:
            raise _not_permitted()
        if c.org_id == sender_org:
            continue
        to_org = stored.data.get("to_org_id") if stored else None
        if answer and to_org == sender_org and not c.deleted:
            continue
        referred_in = any(to == sender_org for _frm, to in referred.get(c.case_id, ()))
        if not (care and referred_in and not c.deleted):
            raise _not_permitted()


@dataclasses.dataclass
class _Applied:
    new: int = 0
    cases: set[str] = dataclasses.field(default_factory=set)
    entities: Counter[str] = dataclasses.field(default_factory=Counter)
    conflicts: list[ConflictRow] = dataclasses.field(default_factory=list)


def _apply(
    session: Session,
    state: SyncState,
    changes: list[Change],
    before: Mapping[str, StoredRecord],
    progress: Progress | None,
) -> _Applied:
    result = _Applied()
    bundle_parents: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
    for c in changes:
        bundle_parents[c.record_id][c.txn_id] = c.parents
    present = state.existing_txns([c.txn_id for c in changes])
    found = _detect_conflicts(
        state, [c for c in changes if c.txn_id not in present], before, bundle_parents
    )
    if progress is not None:
        progress(0, len(changes))
    new = session.records.apply_many(changes)
    result.new = len(new)
    for c in new:
        result.entities[c.entity] += 1
        if c.case_id:
            result.cases.add(c.case_id)
        if c.entity == "follow_up" and c.deleted:
            session.follow_up_index.remove(c.record_id)
    for row in found:
        if state.add_conflict(row):
            result.conflicts.append(row)
    open_pairs = {(r.record_id, r.field) for r in state.conflicts()}
    for c in new:
        if any((c.record_id, f) in open_pairs for f in c.fields):
            _settle_conflicts(state, c, bundle_parents[c.record_id])
    _refresh_cases(session, state, result.cases, new)
    if progress is not None:
        progress(len(changes), len(changes))
    return result


def _refresh_cases(
    session: Session, state: SyncState, case_ids: set[str], new: list[Change]
) -> None:
    """Bring the case list of every touched case up to date. Reading each record back into
    its entity also proves every field decodes; a change that does not is refused."""
    checked: set[str] = set()
    try:
        for records in state.records_for_cases(case_ids).values():
            cf = _case_file(records)
            checked.update(r.id for r in records)
            if cf is None:
                continue
            cases.refresh_index(session, cf)
            _observe_case_number(session, cf.case)
        unchecked = {c.record_id for c in new} - checked
        for record in session.records.get_many(unchecked).values():
            from_fields(ENTITY_TYPES[record.entity], record.data)
    except (ValueError, TypeError, AttributeError, KeyError):
        raise _invalid() from None


def _case_file(records: list[StoredRecord]) -> cases.CaseFile | None:
    """A case file from its records (as cases._read_case_file builds it), None while its
    case or person record has not arrived."""
    cf = cases.case_file_from(records)
    if cf is None:  # still check that what arrived decodes
        for r in records:
            from_fields(ENTITY_TYPES[r.entity], r.data)
    return cf


def _observe_case_number(session: Session, case: Case) -> None:
    if case.org_id != session.org_id:
        return
    number = rules.parse_case_number(case.number)
    if number is not None:
        session.case_numbers.observe(number.prefix, number.year, number.sequence)


def _ancestors(start: Iterable[str], parents: Mapping[str, tuple[str, ...]]) -> set[str]:
    seen: set[str] = set()
    todo = list(start)
    while todo:
        txn = todo.pop()
        if txn in seen:
            continue
        seen.add(txn)
        todo.extend(parents.get(txn, ()))
    return seen


def _detect_conflicts(
    state: SyncState,
    new: list[Change],
    before: Mapping[str, StoredRecord],
    bundle_parents: Mapping[str, Mapping[str, tuple[str, ...]]],
) -> list[ConflictRow]:
    """Concurrent writes of a safety-critical field: for each such field of a record that
    was here before the bundle, the bundle's latest write of it against the write that set
    the local value, when neither caused the other."""
    heads: dict[tuple[str, str], Change] = {}
    for c in new:
        if c.record_id not in before:
            continue
        declared: frozenset[str] = getattr(ENTITY_TYPES[c.entity], "SAFETY_CRITICAL", frozenset())
        for name in declared & c.fields.keys():
            head = heads.get((c.record_id, name))
            if head is None or (c.hlc, c.txn_id) > (head.hlc, head.txn_id):
                heads[(c.record_id, name)] = c
    found: list[ConflictRow] = []
    for (record_id, name), change in sorted(heads.items()):
        current = before[record_id]
        local_hlc = current.clocks.get(name, "")
        if not local_hlc or local_hlc == change.hlc:
            continue
        if current.data.get(name) == change.fields[name]:
            continue
        writers = [c for c in state.changes_at(record_id, local_hlc) if name in c.fields]
        if not writers:
            continue
        local = writers[0]
        parents = {**state.parents_of_record(record_id), **bundle_parents.get(record_id, {})}
        if local.txn_id in _ancestors(change.parents, parents):
            continue
        if change.txn_id in _ancestors(local.parents, parents):
            continue
        found.append(
            ConflictRow(
                id=str(uuid.uuid4()),
                record_id=record_id,
                entity=change.entity,
                case_id=current.case_id,
                field=name,
                local_value=current.data.get(name),
                local_hlc=local_hlc,
                local_user=local.user_id,
                local_device=local.device,
                local_txn=local.txn_id,
                remote_value=change.fields[name],
                remote_hlc=change.hlc,
                remote_user=change.user_id,
                remote_device=change.device,
                remote_txn=change.txn_id,
                detected_at=now_iso(),
            )
        )
    return found


def _settle_conflicts(
    state: SyncState, change: Change, in_bundle: Mapping[str, tuple[str, ...]]
) -> None:
    """A change made after both sides of a queued conflict (a resolution made elsewhere)
    settles it here too."""
    parents = {**state.parents_of_record(change.record_id), **in_bundle}
    before = _ancestors(change.parents, parents)
    for name in change.fields:
        for row in state.open_conflicts_for(change.record_id, name):
            if row.local_txn in before and row.remote_txn in before:
                state.resolve_conflict(row.id, change.user_id, now_iso(), change.txn_id)


def _learn_partner_org(
    session: Session, state: SyncState, partner: PartnerRow, org_id: str
) -> None:
    """Pin the partner's organisation id; a coordinator adds it to its partner directory."""
    state.set_partner_org(partner.key_id, org_id)
    if session.installation_role != PartnerRole.COORDINATOR.value:
        return
    if session.records.get(org_id) is not None:
        return
    entry = Organisation(
        id=org_id,
        org_id=session.org_id,
        name=partner.organisation,
        country=partner.country,
    )
    cases._write(session, entry, "")


# =========================================================================================
# Conflicts
# =========================================================================================


def _clock_time(hlc: str) -> str:
    try:
        stamp = Timestamp.decode(hlc)
    except ValueError:
        return ""
    return dt.datetime.fromtimestamp(stamp.wall_ms / 1000, dt.UTC).isoformat(timespec="seconds")


def _conflict_view(session: Session, row: ConflictRow) -> ConflictView:
    index_row = session.case_index.get(row.case_id) if row.case_id else None
    return ConflictView(
        id=row.id,
        record_id=row.record_id,
        entity=row.entity,
        case_id=row.case_id,
        case_number=index_row.number if index_row else "",
        field=row.field,
        local_value=row.local_value,
        local_at=_clock_time(row.local_hlc),
        local_user=row.local_user,
        local_device=row.local_device,
        remote_value=row.remote_value,
        remote_at=_clock_time(row.remote_hlc),
        remote_user=row.remote_user,
        remote_device=row.remote_device,
        status=row.status,
        resolved_by=row.resolved_by,
        resolved_at=row.resolved_at,
    )


def conflicts(session: Session, *, include_resolved: bool = False) -> list[ConflictView]:
    """The conflict queue (open conflicts, oldest first)."""
    session.require(Permission.VIEW_CASES)
    rows = _state(session).conflicts(status=None if include_resolved else "open")
    return [_conflict_view(session, r) for r in rows]


def resolve_conflict(
    session: Session, conflict_id: str, chosen_value: Any, *, today: dt.date | None = None
) -> ConflictView:
    """Settle a conflict with the value a supervisor chose (either side's, or a combination):
    a new transaction, made after both conflicting writes, so it wins everywhere."""
    session.require(Permission.RESOLVE_CONFLICTS)
    state = _state(session)
    row = state.conflict(conflict_id)
    if row is None:
        raise NotFound(_("There is no such conflict."))
    if row.status != "open":
        raise ValidationError({"conflict": _("This conflict was already resolved.")})
    stored = session.records.get(row.record_id)
    if stored is None:
        raise NotFound(_("There is no such record."))
    entity: Any = from_fields(ENTITY_TYPES[row.entity], {**stored.data, row.field: chosen_value})
    errors = rules.validate(entity, today or dt.date.today())
    if row.field in errors:
        raise ValidationError({row.field: errors[row.field]})
    last = session.records.last_txn(row.record_id)
    parents = tuple(dict.fromkeys(p for p in (row.local_txn, row.remote_txn, last) if p))
    change = Change(
        txn_id=cases.new_id(),
        hlc=session.tick(),
        device=session.device_id,
        user_id=session.user.id,
        org_id=stored.org_id,
        case_id=stored.case_id,
        entity=row.entity,
        record_id=row.record_id,
        parents=parents,
        fields={row.field: chosen_value},
    )
    with session.db.transaction():
        session.records.apply(change)
        at = now_iso()
        for other in state.open_conflicts_for(row.record_id, row.field):
            state.resolve_conflict(other.id, session.user.id, at, change.txn_id)
        if stored.case_id:
            cases.refresh_index(session, cases._read_case_file(session, stored.case_id))
        session.audit(AUDIT_CONFLICT_RESOLVE, row.entity, row.record_id)
    resolved = state.conflict(conflict_id)
    assert resolved is not None
    return _conflict_view(session, resolved)


# =========================================================================================
# Bundle history, quarantine, coordinator views, referrals
# =========================================================================================


def bundle_history(session: Session, partner_key_id: str | None = None) -> list[BundleLogRow]:
    """Bundles sent and received, newest first (numbers and hashes only)."""
    session.require(Permission.VIEW_CASES)
    return _state(session).bundles(partner_key_id)


def quarantined_bundles(session: Session) -> list[QuarantineRow]:
    session.require(Permission.IMPORT)
    return _state(session).quarantined()


def cases_by_organisation(session: Session) -> dict[str, int]:
    """Open case-list rows per owning organisation id (the coordinator's overview)."""
    session.require(Permission.VIEW_CASES)
    return _state(session).cases_by_organisation()


def organisation_names(session: Session) -> dict[str, str]:
    """Organisation id -> name, from the directory, the partners and this installation."""
    session.require(Permission.VIEW_CASES)
    names = {o.id: o.name for o in cases.organisations(session)}
    for row in _state(session).partners():
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
