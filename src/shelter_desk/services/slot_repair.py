"""Keeping the key slots and the accounts table in step.

Adding a user, changing a passphrase and disabling a user each change two files, the key
slots and the database (see ``users``); a crash between them is settled here, on every
unlock, before the session starts.
"""

from __future__ import annotations

from shelter_desk.security.audit import Action
from shelter_desk.security.keyslots import (
    RECOVERY_SLOT,
    KeySlot,
    SlotsFile,
    erased,
    save_slots,
    settled,
)
from shelter_desk.services.data_folder import DataFolder
from shelter_desk.store.accounts import AuditLog, Users
from shelter_desk.store.db import Database


def committed(log: AuditLog, slot: KeySlot) -> bool:
    """Whether the change pending on ``slot`` committed: its audit event is in the log."""
    pending = slot.pending
    return pending is not None and log.has(pending.audit_seq, pending.audit_hash)


def reconcile_slots(
    folder: DataFolder, db: Database, opener_id: str, *, write: bool = True
) -> SlotsFile:
    """Make the key slots agree with the accounts table after an interrupted change.

    Pending changes are taken over or dropped by their audit event; a slot of a user the
    database does not know is removed; a disabled user's key is erased; a user whose key was
    erased by an interrupted disable is disabled. Repairs are audited (database first, so a
    crash here repeats them rather than losing their record). Returns the settled slots;
    with ``write`` False (a folder that cannot be written) nothing is written.
    """
    slots = folder.slots()
    users, log = Users(db), AuditLog(db)
    changed = False
    events: list[tuple[str, Action, str]] = []  # actor, action, user id
    to_disable: list[str] = []
    for slot_id, original in list(slots.slots.items()):
        if slot_id == RECOVERY_SLOT:
            continue
        by = original.pending.by if original.pending else opener_id
        slot = settled(original, committed(log, original))
        user = users.by_id(slot_id)
        if user is None:
            del slots.slots[slot_id]
            events.append((by, Action.KEY_SLOT_REPAIR, slot_id))
            changed = True
            continue
        if user.disabled and not slot.disabled:
            slot = erased(slot)
            events.append((by, Action.KEY_SLOT_REPAIR, slot_id))
        elif not user.disabled and slot.disabled:
            to_disable.append(slot_id)
            events.append((by, Action.USER_DISABLE, slot_id))
        if slot != original:
            slots.slots[slot_id] = slot
            changed = True
    if not write:
        return slots  # settled for this session's checks; written by a writable unlock
    if events:
        with db.transaction():
            for user_id in to_disable:
                users.set_disabled(user_id, True)
            for actor, action, user_id in events:
                log.append(actor, str(action), "user", user_id)
    if changed:
        save_slots(folder.slots_path, slots)
    return slots
