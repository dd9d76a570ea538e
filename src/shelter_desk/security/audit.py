"""The audit hash chain: each event's hash covers the previous event's hash.

Events hold ids and action codes, never names or case details. Changing, inserting or
removing an event breaks the chain from that point on; the head (last sequence number and
hash) is kept with the events so removing the newest events is noticed too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

GENESIS = "0" * 64


class Action(StrEnum):
    INSTALL = "install"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    UNLOCK = "unlock"
    LOCK = "lock"
    USER_ADD = "user_add"
    USER_DISABLE = "user_disable"
    USER_ENABLE = "user_enable"
    USER_ROLE = "user_role"
    PASSPHRASE_CHANGE = "passphrase_change"
    PASSPHRASE_RESET = "passphrase_reset"
    RECOVERY_USED = "recovery_used"
    KEY_SLOT_REPAIR = "key_slot_repair"  # a key left by an interrupted change was removed
    SETTINGS_CHANGE = "settings_change"
    BACKUP = "backup"
    RESTORE = "restore"
    VIEW = "view"
    CREATE = "create"
    EDIT = "edit"
    DELETE = "delete"
    REOPEN = "reopen"
    CONSENT_OVERRIDE = "consent_override"
    PRINT = "print"
    EXPORT = "export"
    IMPORT = "import"
    IMPORT_REFUSED = "import_refused"
    PARTNER_ADD = "partner_add"
    PARTNER_REVOKE = "partner_revoke"
    NETWORK_SECRET_SET = "network_secret_set"
    CONFLICT_RESOLVE = "conflict_resolve"


@dataclass(frozen=True)
class AuditEvent:
    seq: int
    at: str  # ISO 8601 UTC
    user_id: str
    action: str
    object_type: str
    object_id: str
    prev_hash: str
    hash: str


def event_hash(
    prev_hash: str, seq: int, at: str, user_id: str, action: str, object_type: str, object_id: str
) -> str:
    payload = json.dumps(
        [prev_hash, seq, at, user_id, action, object_type, object_id],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def first_broken(events: Iterable[AuditEvent], head: tuple[int, str] | None) -> int | None:
    """The sequence number where the chain breaks, or None when it is whole.

    ``head`` is the recorded (seq, hash) of the newest event; the chain must end there.
    """
    prev, expected_seq = GENESIS, 1
    for ev in events:
        recomputed = event_hash(
            prev, ev.seq, ev.at, ev.user_id, ev.action, ev.object_type, ev.object_id
        )
        if ev.seq != expected_seq or ev.prev_hash != prev or ev.hash != recomputed:
            return ev.seq
        prev, expected_seq = ev.hash, ev.seq + 1
    last = (expected_seq - 1, prev)
    if head is not None and last != head:
        return min(last[0], head[0]) + 1 if last[0] != head[0] else last[0]
    return None
