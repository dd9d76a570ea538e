"""What the exchange modules share: reason codes and refusals of import, manifest
constants, and small checks."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from enum import StrEnum

from shelter_desk.domain.entities import Case, Person, Referral
from shelter_desk.domain.errors import (
    BundleError,
)
from shelter_desk.i18n import _
from shelter_desk.security.audit import Action
from shelter_desk.services.session import Session
from shelter_desk.store.exchange_state import (
    ExchangeState,
)

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
TXN_KEYS = frozenset(
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
USER_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
SHA256_HEX = re.compile(r"[0-9a-f]{64}")
PACKAGE_ENTITIES = (Case.ENTITY, Person.ENTITY)

Progress = Callable[[int, int], None]
"""Called with (done, total) as an export or import goes on; both report thousandths of the
whole operation (``PERMILLE``), from 0 to 1000."""
PERMILLE = 1000


def part_of(progress: Progress | None, start: float, end: float) -> Progress | None:
    """A Progress for one step of an operation that covers ``start`` to ``end`` (fractions
    of the whole) of ``progress``: the step reports its own (done, total)."""
    if progress is None:
        return None
    whole = progress

    def report(done: int, total: int) -> None:
        share = min(1.0, done / total) if total > 0 else 1.0
        whole(round(PERMILLE * (start + (end - start) * share)), PERMILLE)

    return report


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


def invalid() -> ImportRefused:
    return ImportRefused(
        ImportProblem.INVALID_TRANSACTION,
        _("This bundle contains a change that Shelter Desk cannot read. Nothing was imported."),
    )


def bad_field(entity: str, field: str) -> ImportRefused:
    """The first change of a bundle that the domain rules refuse, named by its kind of
    record and field (never by its value, which may be anything at all)."""
    if not field:
        message = _(
            "This bundle contains a change to a {record} record with a field that Shelter Desk"
            " does not know. Nothing was imported."
        ).format(record=entity)
    else:
        message = _(
            "This bundle contains a change that Shelter Desk cannot accept: the field {field}"
            " of a {record} record. Nothing was imported."
        ).format(field=field, record=entity)
    return ImportRefused(ImportProblem.INVALID_TRANSACTION, message)


def not_permitted() -> ImportRefused:
    return ImportRefused(
        ImportProblem.NOT_PERMITTED,
        _(
            "This bundle changes records that its sender may not change. Nothing was imported."
            " Tell the sender and your supervisor."
        ),
    )


def bad_manifest() -> ImportRefused:
    return ImportRefused(
        ImportProblem.BAD_MANIFEST,
        _("The contents list of this bundle is not valid. Nothing was imported."),
    )


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def state_of(session: Session) -> ExchangeState:
    return ExchangeState(session.db)


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").fullmatch


def is_uuid(value: object) -> bool:
    """A UUID in its canonical text form (lower-case, hyphenated), as ``str(uuid.UUID)``
    writes it; a pattern, since an import asks this of every id of every transaction."""
    return isinstance(value, str) and _UUID(value) is not None


def identity_referrals(state: ExchangeState) -> dict[str, set[tuple[str, str]]]:
    """case id -> (from org, to org) of every referral in it that shares identity."""
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for org, case_id, data in state.current_fields(Referral.ENTITY).values():
        if bool(data.get("shares_identity", True)):
            found[case_id].add((org, str(data.get("to_org_id", ""))))
    return found
