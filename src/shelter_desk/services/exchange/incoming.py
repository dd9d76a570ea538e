"""Import: open a bundle, check everything, then apply it in one database transaction; a
refused bundle is recorded in quarantine."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
from collections.abc import Mapping
from typing import Any

from shelter_desk.domain.errors import (
    BundleError,
    StoreError,
)
from shelter_desk.i18n import _
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission
from shelter_desk.services.exchange.applying import apply_changes, learn_partner_org
from shelter_desk.services.exchange.checks import change_of, check_permitted
from shelter_desk.services.exchange.common import (
    AUDIT_IMPORT_REFUSED,
    MANIFEST_FORMAT,
    MANIFEST_VERSION,
    MAX_ACKNOWLEDGEMENTS,
    SHA256_HEX,
    ImportProblem,
    ImportRefused,
    Progress,
    bad_manifest,
    is_uuid,
    now_iso,
    state_of,
)
from shelter_desk.services.exchange.conflicts import ConflictView, conflict_view
from shelter_desk.services.exchange.partners import trusted_cards
from shelter_desk.services.session import Session
from shelter_desk.store import migrations
from shelter_desk.store.exchange_state import (
    BundleLogRow,
    ExchangeState,
    PartnerRow,
)
from shelter_desk.sync.bundle import (
    inspect_bundle,
    read_bundle,
)
from shelter_desk.sync.hlc import Timestamp, is_future, system_time_ms


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
    state = state_of(session)
    bundle_hash = hashlib.sha256(data).hexdigest()
    try:
        with session.db.transaction():
            return _import(session, state, data, progress)
    except BundleError as exc:
        _quarantine(session, state, data, bundle_hash, exc)
        raise


def _quarantine(
    session: Session, state: ExchangeState, data: bytes, bundle_hash: str, exc: BundleError
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
    session: Session, state: ExchangeState, data: bytes, progress: Progress | None
) -> ImportResult:
    trusted, revoked = trusted_cards(state)
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
    changes = [change_of(t) for t in opened.transactions]
    before = session.records.get_many(c.record_id for c in changes)
    check_permitted(session, state, partner, sender_org, changes, before)
    received = state.received_seqs(partner.key_id)
    missing = [s for s in range(1, header.seq) if s not in received]
    chain_broken = (
        header.seq - 1 in received and received[header.seq - 1] != header.previous_hash
    ) or (header.seq == 1 and header.previous_hash != "")
    now_ms = system_time_ms()
    future = tuple(c.txn_id for c in changes if is_future(Timestamp.decode(c.hlc), now_ms))
    applied = apply_changes(session, state, changes, before, progress)
    if changes:
        latest = max(Timestamp.decode(c.hlc) for c in changes)
        session.clock.receive(latest)
        session.meta.set("hlc_last", session.clock.last.encode())
    if not partner.org_id:
        learn_partner_org(session, state, partner, sender_org)
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
        conflicts=[conflict_view(session, c) for c in applied.conflicts],
        gap_before=len(missing) or None,
        chain_broken=chain_broken,
        future_clock_flags=future,
    )


def _check_manifest(
    session: Session, state: ExchangeState, partner: PartnerRow, manifest: Mapping[str, Any]
) -> tuple[str, list[tuple[int, str]]]:
    if manifest.get("format") != MANIFEST_FORMAT or manifest.get("version") != MANIFEST_VERSION:
        raise bad_manifest()
    org_id = manifest.get("org_id")
    acks = manifest.get("acknowledgements")
    if not is_uuid(org_id) or not isinstance(acks, list) or len(acks) > MAX_ACKNOWLEDGEMENTS:
        raise bad_manifest()
    if manifest.get("role") != partner.role:
        raise bad_manifest()
    assert isinstance(org_id, str)
    pairs: list[tuple[int, str]] = []
    for ack in acks:
        if (
            not isinstance(ack, list)
            or len(ack) != 2
            or type(ack[0]) is not int
            or ack[0] < 1
            or not isinstance(ack[1], str)
            or not SHA256_HEX.fullmatch(ack[1])
        ):
            raise bad_manifest()
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
