"""Import: open a bundle, check everything, then apply it in one database transaction; a
refused bundle is recorded in quarantine."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from shelter_desk.domain.errors import BundleError, StoreError
from shelter_desk.i18n import _
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission
from shelter_desk.services.exchange.applying import apply_changes, learn_partner_org
from shelter_desk.services.exchange.checks import (
    Decoded,
    IncomingChanges,
    check_permitted,
    check_rules,
)
from shelter_desk.services.exchange.common import (
    AUDIT_IMPORT_REFUSED,
    MANIFEST_FORMAT,
    MANIFEST_VERSION,
    MAX_ACKNOWLEDGEMENTS,
    PERMILLE,
    SHA256_HEX,
    ImportProblem,
    ImportRefused,
    Progress,
    bad_manifest,
    is_uuid,
    now_iso,
    part_of,
    state_of,
)
from shelter_desk.services.exchange.conflicts import ConflictView, conflict_view
from shelter_desk.services.exchange.files import file_digest, reading
from shelter_desk.services.exchange.partners import trusted_cards
from shelter_desk.services.session import Session
from shelter_desk.store import migrations
from shelter_desk.store.exchange_state import (
    BundleLogRow,
    ExchangeState,
    PartnerRow,
)
from shelter_desk.store.records import Change
from shelter_desk.sync.hlc import (
    DEVICE_ID_LENGTH,
    MAX_COUNTER,
    MAX_WALL_MS,
    ONE_DAY_MS,
    Timestamp,
    is_future,
    system_time_ms,
)
from shelter_desk.sync.opening import BundleFile
from shelter_desk.sync.problems import unknown_sender

QUARANTINE_LIMIT = 200  # refused files remembered (by hash and reason) in quarantine


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
    session: Session, source: bytes | Path, *, progress: Progress | None = None
) -> ImportResult:
    """Verify, decrypt, check and apply a bundle (its bytes, or a file read in chunks), all
    or nothing.

    A bundle already imported changes nothing and says so (``already_applied``). Any
    problem raises BundleError with a translated message; nothing is written except a
    quarantine entry (the bundle's hash and the reason code) and the refusal's audit entry.
    A file that cannot be read raises ShelterDeskError and changes nothing."""
    session.require(Permission.IMPORT)
    state = state_of(session)
    with reading(source) as file:
        try:
            bundle = BundleFile(file)
        except BundleError as exc:
            _quarantine(session, state, *file_digest(file), "", exc)
            raise
        try:
            with session.db.transaction():
                return _import(session, state, bundle, progress)
        except BundleError as exc:
            sender = bundle.header.sender_key_id
            _quarantine(session, state, bundle.bundle_hash, bundle.size, sender, exc)
            raise


def _quarantine(
    session: Session,
    state: ExchangeState,
    bundle_hash: str,
    size: int,
    sender: str,
    exc: BundleError,
) -> None:
    """Record a refusal: an audit entry each time, a quarantine entry once per file (the
    quarantine keeps the newest ``QUARANTINE_LIMIT`` files)."""
    reason = str(getattr(exc, "problem", "refused"))
    # If even this bookkeeping cannot be written (disk full), the refusal itself is what the
    # person must see, so that error is not allowed to replace it.
    with contextlib.suppress(StoreError), session.db.transaction():
        state.quarantine(
            bundle_hash, reason, sender, size, now_iso(), session.user.id, keep=QUARANTINE_LIMIT
        )
        session.audit(AUDIT_IMPORT_REFUSED, "bundle", bundle_hash)


def _import(
    session: Session, state: ExchangeState, bundle: BundleFile, progress: Progress | None
) -> ImportResult:
    trusted, revoked = trusted_cards(state)
    sender = bundle.sender(trusted, revoked)
    header = bundle.header
    partner = state.partner(sender.key_id)
    if partner is None or partner.revoked_at or partner.key_id != header.sender_key_id:
        # The card came from the registered partners read a moment ago; a partner that is
        # not (or no longer) registered must never have its bundle applied.
        raise unknown_sender(header.sender_key_id)
    previous = state.bundle(bundle.bundle_hash)
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
    incoming = IncomingChanges()
    opened = bundle.open(
        session.device_identity,
        sender,
        each_transaction=incoming.add,
        on_read=part_of(progress, 0.0, 0.45),  # reading, decrypting and checking each shape
    )
    sender_org, acknowledgements = _check_manifest(session, state, partner, opened.manifest)
    changes = incoming.changes
    before = session.records.get_many(c.record_id for c in changes)
    check_permitted(session, state, partner, sender_org, changes, before)
    received = state.received_seqs(partner.key_id)
    missing = [s for s in range(1, header.seq) if s not in received]
    chain_broken = (
        header.seq - 1 in received and received[header.seq - 1] != header.previous_hash
    ) or (header.seq == 1 and header.previous_hash != "")
    now_ms = system_time_ms()
    future = _future_clocks(changes, now_ms)
    decoded = Decoded()  # each record's entity, decoded once for the case list and the rules
    applied = apply_changes(session, state, changes, before, part_of(progress, 0.45, 0.8), decoded)
    after = {**before, **applied.records}  # the records the bundle touched, as they now are
    check_rules(changes, before, after, dt.date.today(), decoded, part_of(progress, 0.8, 0.97))
    if changes:
        # Encoded clocks are fixed-width lower-case hex (checked as each one was read), so
        # the greatest text is the latest time.
        latest = Timestamp.decode(max(c.hlc for c in changes))
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
            size=bundle.size,
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
    if progress is not None:
        progress(PERMILLE, PERMILLE)
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


def _future_clocks(changes: list[Change], now_ms: int) -> tuple[str, ...]:
    """The ids of the transactions stamped too far ahead (``hlc.is_future``). Encoded clocks
    are fixed-width lower-case hex (checked as each one was read), so only those above the
    latest clock that is not too far ahead need decoding."""
    wall = min(now_ms + ONE_DAY_MS, MAX_WALL_MS)
    last_allowed = Timestamp(wall, MAX_COUNTER, "f" * DEVICE_ID_LENGTH).encode()
    return tuple(
        c.txn_id
        for c in changes
        if c.hlc > last_allowed and is_future(Timestamp.decode(c.hlc), now_ms)
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
    if manifest.get("role") != partner.role or not isinstance(org_id, str):
        raise bad_manifest()
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
