"""Export: choosing what a partner should receive and writing the bundle for it."""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shelter_desk import __version__
from shelter_desk.domain.entities import Case, Organisation, Person, Referral
from shelter_desk.domain.errors import (
    NotFound,
    ValidationError,
)
from shelter_desk.i18n import _
from shelter_desk.security.atomic import write_atomic
from shelter_desk.security.audit import Action
from shelter_desk.security.permissions import Permission
from shelter_desk.services import sharing
from shelter_desk.services.coordination import routing
from shelter_desk.services.exchange.common import (
    MANIFEST_FORMAT,
    MANIFEST_VERSION,
    PACKAGE_ENTITIES,
    PERMILLE,
    Progress,
    now_iso,
    part_of,
    state_of,
)
from shelter_desk.services.exchange.files import remove_quietly
from shelter_desk.services.exchange.partners import PartnerInfo, network_token_key
from shelter_desk.services.session import Session
from shelter_desk.store import migrations
from shelter_desk.store.exchange_state import (
    BundleLogRow,
    ExchangeState,
    PartnerRow,
)
from shelter_desk.store.records import Change
from shelter_desk.sync.bundle import (
    write_bundle,
)
from shelter_desk.sync.identity import PartnerCard, PartnerRole
from shelter_desk.sync.opening import inspect_bundle


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
    # Transactions chosen for the partner before the acknowledged ones were left out: after
    # an acknowledged bundle, only those of the cases where something arrived since.
    considered: int = 0


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


def _cases_since(state: ExchangeState, partner: PartnerRow) -> frozenset[str] | None:
    """The cases where a transaction arrived since the newest bundle the partner
    acknowledged; None when none was (everything must be considered)."""
    mark = state.acknowledged_mark(partner.key_id)
    if not mark:
        return None
    return frozenset(state.cases_arrived_since(mark))


def _plan_for(
    session: Session, state: ExchangeState, partner: PartnerRow, cases: frozenset[str] | None
) -> _Plan:
    """Everything the partner should receive (acknowledged transactions included: the export
    leaves those out). With ``cases`` (``_cases_since``), this organisation's own cases are
    read only there: every older transaction of the others was chosen for an acknowledged
    bundle, or still may not be sent, since what decides it (the case's sharing level) would
    be a newer arrival in the same case. Referrals, the directory and the coordination log,
    which depend on more than their own case, are always read whole (they are small)."""
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
            for rid, (org, _case, data) in state.current_fields(Case.ENTITY, cases).items()
            if org == my_org
        }
        own = (
            state.changes_by(my_org, my_device) if cases is None else state.changes_of_cases(cases)
        )
        for c in own:
            if c.org_id != my_org or c.device != my_device:
                continue
            if not c.case_id or sharing.is_derived(c.txn_id):
                continue
            form = sharing.form_for_level(levels.get(c.case_id, sharing.NOT_SHARED))
            if form is not None:
                plan.add(c, form)
    if i_relay:  # the partner directory
        for c in state.changes_of_entity(Organisation.ENTITY, my_org):
            if may_send(c):
                plan.add(c, sharing.RAW)
    for c in routing.changes_for(state, my_org, their_org, to_coordinator, may_send):
        plan.add(c, sharing.RAW)  # the coordination log (services.coordination.routing)
    _plan_referrals(state, plan, my_org, my_device, may_send, to_coordinator, their_org)
    return plan


def _plan_referrals(
    state: ExchangeState,
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
    record_ids = state.records_of_cases(set(packages) | edited, PACKAGE_ENTITIES)
    for c in state.changes_of_records(record_ids):
        if not may_send(c):
            continue
        if packages.get(c.case_id, False) or c.case_id in edited or sharing.is_derived(c.txn_id):
            plan.add(c, sharing.RAW)
        elif c.device == my_device:
            # Only the author reduces its own transactions; a relay passes on reduced ones
            # it received and never the identified ones.
            plan.add(c, sharing.PSEUDONYMISED)


def export_bundle(
    session: Session,
    partner: PartnerInfo | str,
    out: Path,
    *,
    progress: Progress | None = None,
) -> ExportResult:
    """Write to ``out`` an encrypted, signed bundle of everything ``partner`` (a PartnerInfo
    or key id) should receive and has not acknowledged, with acknowledgements of its bundles
    received here.

    The file is written completely (synced, then named) before the bundle is logged as sent
    (its hash starts the next bundle's chain): a write that fails (disk full, USB stick
    pulled, bad folder) raises ShelterDeskError and logs nothing, and a crash leaves either
    the complete file or none. Exporting again before the partner answers sends the same
    transactions again under the next sequence number."""
    session.require(Permission.EXPORT)
    key_id = partner.key_id if isinstance(partner, PartnerInfo) else partner
    state = state_of(session)
    row = state.partner(key_id)
    if row is None:
        raise NotFound(_("There is no such sync partner."))
    if row.revoked_at:
        raise ValidationError({"partner": _("This partner's key was withdrawn.")})
    card = PartnerCard.from_bytes(row.card)
    if progress is not None:
        progress(0, PERMILLE)
    mark = state.arrivals_mark()  # before the plan: what arrives meanwhile counts as newer
    plan = _plan_for(session, state, row, _cases_since(state, row))
    acked = state.acknowledged_among(
        key_id, (sharing.sent_id(form, txn_id) for txn_id, form in plan.items)
    )
    token_key = network_token_key(session)
    persons = _person_histories(state, plan)
    step = part_of(progress, 0.3, 0.6)  # choosing took the first 30 %
    transactions: list[dict[str, Any]] = []
    sent_ids: list[str] = []
    forms: Counter[str] = Counter()
    entities: Counter[str] = Counter()
    case_ids: set[str] = set()
    items = sorted(plan.items.items(), key=lambda kv: (kv[1].hlc, kv[0]))
    for index, ((txn_id, form), change) in enumerate(items):
        if step is not None and index % 1000 == 0:
            step(index, len(items))
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
        "app_version": __version__,  # which release wrote it (readers ignore unknown keys)
    }
    if step is not None:
        step(1, 1)
    data = write_bundle(
        session.device_identity,
        card,
        manifest,
        transactions,
        seq=seq,
        previous_hash=last.bundle_hash if last else "",
        schema_version=migrations.LATEST,
    )
    if progress is not None:
        progress(900, PERMILLE)  # encoded, signed and encrypted; the file is next
    bundle_hash = hashlib.sha256(data).hexdigest()
    bundle_id = inspect_bundle(data).header.bundle_id
    write_atomic(out, data)
    try:
        _log_sent(
            session,
            state,
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
                arrivals_mark=mark,
            ),
            sent_ids,
        )
    except BaseException:
        remove_quietly(out)  # not logged: a partner importing it would break the chain
        raise
    if progress is not None:
        progress(PERMILLE, PERMILLE)
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
        considered=len(items),
    )
    return ExportResult(data, bundle_id, bundle_hash, key_id, summary)


def _log_sent(
    session: Session, state: ExchangeState, row: BundleLogRow, sent_ids: list[str]
) -> None:
    with session.db.transaction():
        state.log_bundle(row)
        state.record_sent_txns(row.bundle_hash, sent_ids)
        session.audit(Action.EXPORT, "partner", row.partner_key_id)


def _person_histories(state: ExchangeState, plan: _Plan) -> dict[str, dict[str, Any]]:
    """The person record's state after each person transaction that will be reduced."""
    wanted = {
        c.record_id
        for (_txn, form), c in plan.items.items()
        if form != sharing.RAW and c.entity == Person.ENTITY
    }
    if not wanted:
        return {}
    return sharing.person_states(state.changes_of_records(wanted))
