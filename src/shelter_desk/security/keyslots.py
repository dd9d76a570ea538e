"""Key slots: the database key wrapped once per user (and once for the recovery key).

The database is encrypted with a random 256-bit key that nobody types. Each user's
passphrase goes through Argon2id (parameters stored per slot, so they can grow) to a
key-encryption key, which wraps the database key with ChaCha20-Poly1305. The associated
data binds the wrapped key to its slot id and slot version, so a slot copied onto another
user, or an older version replayed, does not open.

The slots file also carries what the unlock screen needs before the database is open:
user names, and per slot the count and time of recent failed attempts (to slow guessing).

A slot change and its database change (user added, passphrase changed, user disabled) cannot
be one atomic write: they live in two files. The slot is therefore written first with the
change *pending* on the audit event that the same database transaction writes; once that
transaction commits the pending mark is cleared. Whoever opens the database next settles
any pending change still in the file: taken over when its audit event is in the database,
dropped when it is not (see ``services.slot_repair.reconcile_slots``).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from shelter_desk.domain.errors import AuthError, StoreError
from shelter_desk.i18n import _
from shelter_desk.security.atomic import write_atomic

SLOTS_FORMAT = 1
RECOVERY_SLOT = "recovery"
DB_KEY_BYTES = 32


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost; the defaults meet OWASP's floor and take ~0.2 s on a laptop."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4
    salt: str = ""  # base64


# What a new or changed slot costs. The test suite swaps in a cheap cost (tests/conftest.py)
# so that hundreds of throwaway installations do not each spend Argon2id's full cost; every
# slot stores its own parameters, so unlocking follows whatever the slot was made with.
DEFAULT_KDF = KdfParams()


@dataclass(frozen=True)
class KeySlot:
    slot_id: str  # a user id, or RECOVERY_SLOT
    username: str  # shown on the unlock screen; empty for the recovery slot
    version: int
    kdf: KdfParams
    nonce: str  # base64
    wrapped_key: str  # base64
    failures: int = 0
    last_failure: float = 0.0
    disabled: bool = False  # the wrapped key is erased; kept only to say "disabled"
    pending: Pending | None = None

    @property
    def has_key(self) -> bool:
        return bool(self.wrapped_key) and not self.disabled


@dataclass(frozen=True)
class Pending:
    """A slot change waiting for its database transaction (the audit event seq and hash).

    ``slot`` is the new wrapped key that replaces the slot once committed (user added,
    passphrase changed or reset); it is None when the change erased the key (disabled).
    ``by`` is the user who made the change, for completing it after a crash.
    """

    audit_seq: int
    audit_hash: str
    by: str
    slot: KeySlot | None = None


def placeholder(slot_id: str, username: str) -> KeySlot:
    """A slot with no key yet: what a new user's slot is until the user's row is committed."""
    return KeySlot(slot_id, username, 0, KdfParams(), "", "")


def erased(slot: KeySlot) -> KeySlot:
    """The slot with its wrapped key erased (a disabled account): its passphrase opens nothing."""
    return replace(
        slot, nonce="", wrapped_key="", disabled=True, version=slot.version + 1, pending=None
    )


def settled(slot: KeySlot, committed: bool) -> KeySlot:
    """The slot once its pending change is decided: taken over if committed, else dropped."""
    pending = slot.pending
    if pending is None:
        return slot
    if committed and pending.slot is not None:
        return replace(pending.slot, failures=slot.failures, last_failure=slot.last_failure)
    return replace(slot, pending=None)


@dataclass
class SlotsFile:
    installation_id: str
    role: str  # "shelter" or "coordinator"
    demo: bool
    slots: dict[str, KeySlot] = field(default_factory=dict)


def new_database_key() -> bytes:
    return secrets.token_bytes(DB_KEY_BYTES)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _aad(slot_id: str, version: int) -> bytes:
    return f"shelter-desk key slot|{slot_id}|{version}".encode()


def derive_kek(passphrase: str, kdf: KdfParams) -> bytes:
    # Imported on first use: reading the slots file (the unlock window's user list) needs
    # no cryptography, and the window appears sooner without loading it.
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        secret=passphrase.encode("utf-8"),
        salt=_unb64(kdf.salt),
        time_cost=kdf.time_cost,
        memory_cost=kdf.memory_kib,
        parallelism=kdf.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def wrap_key(
    db_key: bytes,
    passphrase: str,
    *,
    slot_id: str,
    username: str,
    version: int,
    kdf: KdfParams | None = None,
) -> KeySlot:
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    params = replace(kdf or DEFAULT_KDF, salt=_b64(secrets.token_bytes(16)))
    nonce = secrets.token_bytes(12)
    sealed = ChaCha20Poly1305(derive_kek(passphrase, params)).encrypt(
        nonce, db_key, _aad(slot_id, version)
    )
    return KeySlot(slot_id, username, version, params, _b64(nonce), _b64(sealed))


def unwrap_key(slot: KeySlot, passphrase: str) -> bytes:
    """The database key, or AuthError when the passphrase (or the slot) is wrong."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    try:
        kek = derive_kek(passphrase, slot.kdf)
        return ChaCha20Poly1305(kek).decrypt(
            _unb64(slot.nonce), _unb64(slot.wrapped_key), _aad(slot.slot_id, slot.version)
        )
    except (InvalidTag, ValueError) as exc:
        raise AuthError(_("Wrong passphrase.")) from exc


def load_slots(path: Path) -> SlotsFile:
    try:
        raw = json.loads(path.read_bytes())
    except FileNotFoundError as exc:
        raise StoreError(
            _("The key file {name} is missing; restore it from a backup.").format(name=path.name)
        ) from exc
    except (OSError, ValueError) as exc:
        raise StoreError(
            _("The key file {name} is damaged; restore it from a backup.").format(name=path.name)
        ) from exc
    try:
        return _slots_from_json(raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(
            _("The key file {name} is damaged; restore it from a backup.").format(name=path.name)
        ) from exc


def _slots_from_json(raw: dict[str, Any]) -> SlotsFile:
    if raw["format"] != SLOTS_FORMAT:
        raise ValueError("unknown slots format")
    slots = {}
    for item in raw["slots"]:
        slot = _slot_from_json(item)
        slots[slot.slot_id] = slot
    return SlotsFile(
        installation_id=str(raw["installation_id"]),
        role=str(raw["role"]),
        demo=bool(raw["demo"]),
        slots=slots,
    )


def _slot_from_json(item: dict[str, Any]) -> KeySlot:
    kdf = KdfParams(**item.pop("kdf"))
    raw_pending = item.pop("pending", None)
    pending = None
    if raw_pending is not None:
        inner = raw_pending.pop("slot", None)
        pending = Pending(**raw_pending, slot=_slot_from_json(inner) if inner is not None else None)
    return KeySlot(kdf=kdf, pending=pending, **item)


def slots_to_bytes(slots: SlotsFile) -> bytes:
    data = {
        "format": SLOTS_FORMAT,
        "installation_id": slots.installation_id,
        "role": slots.role,
        "demo": slots.demo,
        "slots": [asdict(s) for s in slots.slots.values()],
    }
    return json.dumps(data, indent=1, sort_keys=True).encode("utf-8")


def slots_from_bytes(data: bytes) -> SlotsFile:
    try:
        return _slots_from_json(json.loads(data))
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(_("The key slots are damaged.")) from exc


def save_slots(path: Path, slots: SlotsFile) -> None:
    write_atomic(path, slots_to_bytes(slots))


def random_id() -> str:
    return os.urandom(16).hex()
