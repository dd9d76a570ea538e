"""Encrypted backup and restore: round trip, bad files, full disk, whole-file authentication,
approval by the replaced installation, foreign backups, kept copies, leftovers."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from shelter_desk.domain.errors import AuthError, BackupError, PermissionDenied, StoreError
from shelter_desk.security.keyslots import KdfParams
from shelter_desk.security.permissions import Role
from shelter_desk.services import backup as backups
from shelter_desk.services import restore_swap
from shelter_desk.services import users as user_service
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from shelter_desk.services.verify import verify
from shelter_desk.store.db import Database
from tests.conftest import ADMIN, ADMIN_PASSPHRASE

FAST_KDF = KdfParams(time_cost=1, memory_kib=8192, parallelism=1)
CASEWORKER, CASEWORKER_PASSPHRASE = "dana", "copper willow seventy kestrel"


def _fast(root: Path, org: str = "Hope House") -> tuple[Installation, str]:
    """A closed installation with cheap key derivation (many restores per test)."""
    inst = Installation(root, kdf=FAST_KDF)
    session, recovery = inst.create(org_name=org, admin=ADMIN, passphrase=ADMIN_PASSPHRASE)
    session.meta.set("marker", f"data of {org}")
    session.lock()
    inst.release()
    return inst, recovery


def _backup(inst: Installation, out: Path) -> Path:
    session = inst.unlock(ADMIN, ADMIN_PASSPHRASE)
    try:
        backups.backup(session, out)
    finally:
        session.lock()
        inst.release()
    return out


def _marker(inst: Installation) -> str:
    session = inst.unlock(ADMIN, ADMIN_PASSPHRASE)
    try:
        return session.meta.get("marker")
    finally:
        session.lock()
        inst.release()


def _approve(inst: Installation) -> backups.Approval:
    approval = backups.approve_with_passphrase(inst, ADMIN, ADMIN_PASSPHRASE)
    inst.release()
    return approval


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()}


def test_round_trip_into_a_new_folder(admin_session: Session, tmp_path: Path) -> None:
    admin_session.meta.set("kept", "before backup")
    out = tmp_path / "usb" / "shelter.backup"
    out.parent.mkdir()
    backups.backup(admin_session, out)
    digest = verify(admin_session).digest
    assert b"before backup" not in out.read_bytes()
    assert not list(admin_session.installation.root.glob(".backup-*"))

    fresh = Installation(tmp_path / "other-laptop")
    assert backups.restore(fresh, out, ADMIN, ADMIN_PASSPHRASE) is None
    session = fresh.unlock(ADMIN, ADMIN_PASSPHRASE)
    assert session.meta.get("kept") == "before backup"
    assert verify(session).digest == digest
    assert "restore" in [e.action for e in session.audit_log.events()]
    session.lock()
    fresh.release()


def test_every_restored_file_is_private(tmp_path: Path) -> None:
    """The restored database used to be created 0644 (every other file is 0600)."""
    old_umask = os.umask(0o022)
    try:
        inst, _recovery = _fast(tmp_path / "a")
        out = _backup(inst, tmp_path / "b.backup")
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        target = Installation(tmp_path / "b")
        backups.restore(target, out, ADMIN, ADMIN_PASSPHRASE)
        target.release()
        kept = backups.restore(inst, out, ADMIN, ADMIN_PASSPHRASE, approval=_approve(inst))
        inst.release()
    finally:
        os.umask(old_umask)
    assert kept is not None
    for root in (target.root, inst.root):
        modes = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in root.iterdir()}
        assert set(modes.values()) == {"0o600"}, modes


def test_restore_replaces_and_keeps_the_old_file(
    admin_session: Session, installation: Installation, tmp_path: Path
) -> None:
    backup_file = tmp_path / "b.backup"
    backups.backup(admin_session, backup_file)
    admin_session.meta.set("later", "changed after backup")
    approval = backups.approve_with_session(admin_session)
    admin_session.lock()
    kept = backups.restore(installation, backup_file, ADMIN, ADMIN_PASSPHRASE, approval=approval)
    assert kept is not None and kept.exists()
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    assert session.meta.get("later") == ""
    key = session.database_key
    session.lock()
    kept_db = Database.open(kept, key)
    assert kept_db.scalar("SELECT value FROM meta WHERE key = 'later'") == "changed after backup"
    kept_db.close()


def test_replacing_an_installation_needs_its_administrator(tmp_path: Path) -> None:
    inst, recovery = _fast(tmp_path / "a")
    out = _backup(inst, tmp_path / "b.backup")
    before = _snapshot(inst.root)
    with pytest.raises(BackupError, match="Only an administrator of this installation"):
        backups.restore(inst, out, ADMIN, ADMIN_PASSPHRASE)
    inst.release()
    session = inst.unlock(ADMIN, ADMIN_PASSPHRASE)
    user_service.add_user(session, CASEWORKER, Role.CASEWORKER, CASEWORKER_PASSPHRASE)
    session.lock()
    inst.release()
    with pytest.raises(PermissionDenied):
        backups.approve_with_passphrase(inst, CASEWORKER, CASEWORKER_PASSPHRASE)
    inst.release()
    with pytest.raises(AuthError):
        backups.approve_with_recovery_key(inst, "wrong " * 12)
    inst.release()
    assert not list(inst.root.glob("*.replaced-*"))
    # The recovery key of this installation approves too.
    approval = backups.approve_with_recovery_key(inst, recovery)
    assert backups.restore(inst, out, "", recovery, approval=approval) is not None
    inst.release()
    assert before.keys() <= _snapshot(inst.root).keys()


def test_a_backup_of_another_installation_needs_confirmation(tmp_path: Path) -> None:
    ours, _r1 = _fast(tmp_path / "ours", "Hope House")
    theirs, _r2 = _fast(tmp_path / "theirs", "Safe Harbour")
    foreign = _backup(theirs, tmp_path / "theirs.backup")
    approval = _approve(ours)
    before = _snapshot(ours.root)
    prepared = backups.prepare_restore(ours, foreign, ADMIN, ADMIN_PASSPHRASE, approval=approval)
    info = prepared.info
    assert info.foreign and not info.legacy
    assert info.organisation == "Safe Harbour"
    assert info.installation_id == theirs.slots().installation_id
    line = backups.describe(info)
    assert "Safe Harbour" in line and info.installation_id in line
    with pytest.raises(BackupError, match="another installation"):
        prepared.commit()
    assert _snapshot(ours.root) == before  # the candidate is gone too
    assert backups.restore(
        ours, foreign, ADMIN, ADMIN_PASSPHRASE, approval=approval, replace_other=True
    )
    ours.release()
    assert _marker(ours) == "data of Safe Harbour"
    # Its own backup is not foreign.
    own = _backup(ours, tmp_path / "own.backup")
    again = backups.prepare_restore(ours, own, ADMIN, ADMIN_PASSPHRASE, approval=_approve(ours))
    assert not again.info.foreign
    again.discard()
    ours.release()


def test_two_restores_in_one_second_keep_both_replaced_files(tmp_path: Path) -> None:
    inst, _recovery = _fast(tmp_path / "a")
    out = _backup(inst, tmp_path / "b.backup")
    approval = _approve(inst)
    first = backups.restore(inst, out, ADMIN, ADMIN_PASSPHRASE, approval=approval)
    second = backups.restore(inst, out, ADMIN, ADMIN_PASSPHRASE, approval=approval)
    inst.release()
    assert first is not None and second is not None and first != second
    assert first.exists() and second.exists()
    assert len(list(inst.root.glob("shelter-desk.db.replaced-*"))) == 2
    assert len(list(inst.root.glob("keyslots.json.replaced-*"))) == 2


def _crash_after_commit(root: Path, value: str) -> None:
    """A process commits a change and dies before any checkpoint (the WAL holds it)."""
    script = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from shelter_desk.services.installation import Installation
        session = Installation(Path({str(root)!r})).unlock({ADMIN!r}, {ADMIN_PASSPHRASE!r})
        with session.db.transaction():
            session.meta.set("marker", {value!r})
        os._exit(0)
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    assert Path(root, "shelter-desk.db-wal").stat().st_size > 0


def test_the_kept_copy_has_the_transactions_still_in_the_wal(tmp_path: Path) -> None:
    """The old restore deleted the replaced database's -wal unread: committed data lost."""
    inst, _recovery = _fast(tmp_path / "a")
    out = _backup(inst, tmp_path / "b.backup")
    _crash_after_commit(inst.root, "committed after the backup")
    kept = backups.restore(inst, out, ADMIN, ADMIN_PASSPHRASE, approval=_approve(inst))
    session = inst.unlock(ADMIN, ADMIN_PASSPHRASE)
    key = session.database_key
    assert session.meta.get("marker") == "data of Hope House"
    session.lock()
    inst.release()
    assert kept is not None
    db = Database.open(kept, key)
    assert db.scalar("SELECT value FROM meta WHERE key = 'marker'") == (
        "committed after the backup"
    )
    db.close()


def test_the_swap_moves_an_uncheckpointed_wal_with_the_kept_database(tmp_path: Path) -> None:
    """Even when nobody could open the old database first (its key file is unreadable)."""
    inst, _recovery = _fast(tmp_path / "a")
    session = inst.unlock(ADMIN, ADMIN_PASSPHRASE)
    key = session.database_key
    session.lock()
    inst.release()
    _crash_after_commit(inst.root, "only in the WAL")
    other, _r = _fast(tmp_path / "other", "Other")
    foreign = _backup(other, tmp_path / "other.backup")
    inst.slots_path.write_text("{ damaged")
    prepared = backups.prepare_restore(inst, foreign, ADMIN, ADMIN_PASSPHRASE)
    assert prepared.info.foreign  # an unreadable installation counts as another one
    kept = prepared.commit(replace_other=True)
    inst.release()
    assert kept is not None and Path(f"{kept}-wal").exists()
    db = Database.open(kept, key)
    assert db.scalar("SELECT value FROM meta WHERE key = 'marker'") == "only in the WAL"
    db.close()
    assert _marker(inst) == "data of Other"


def test_recovery_key_opens_a_backup(tmp_path: Path) -> None:
    inst = Installation(tmp_path / "a")
    session, recovery = inst.create(org_name="Org", admin=ADMIN, passphrase=ADMIN_PASSPHRASE)
    backups.backup(session, tmp_path / "r.backup")
    session.lock()
    inst.release()
    target = Installation(tmp_path / "b")
    backups.restore(target, tmp_path / "r.backup", "", recovery)
    target.unlock(ADMIN, ADMIN_PASSPHRASE).lock()
    target.release()
    with pytest.raises(AuthError, match="Wrong recovery key"):
        backups.restore(Installation(tmp_path / "c"), tmp_path / "r.backup", "", "no " * 12)


def test_not_a_backup_and_damaged_backup_change_nothing(
    admin_session: Session, installation: Installation, tmp_path: Path
) -> None:
    good = tmp_path / "good.backup"
    backups.backup(admin_session, good)
    approval = backups.approve_with_session(admin_session)
    admin_session.lock()
    before = installation.db_path.read_bytes()

    junk = tmp_path / "holiday.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0 not a backup at all")
    with pytest.raises(BackupError, match="not a Shelter Desk backup"):
        backups.restore(installation, junk, ADMIN, ADMIN_PASSPHRASE, approval=approval)

    damaged = tmp_path / "damaged.backup"
    data = bytearray(good.read_bytes())
    data[-5000] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="damaged"):
        backups.restore(installation, damaged, ADMIN, ADMIN_PASSPHRASE, approval=approval)

    truncated = tmp_path / "short.backup"
    truncated.write_bytes(good.read_bytes()[:-4096])
    with pytest.raises(BackupError):
        backups.restore(installation, truncated, ADMIN, ADMIN_PASSPHRASE, approval=approval)

    with pytest.raises(AuthError):
        backups.restore(installation, good, ADMIN, "not the right passphrase", approval=approval)

    assert installation.db_path.read_bytes() == before
    assert not list(installation.root.glob("*.replaced-*"))
    assert not list(installation.root.glob(".restore-*"))


def _parts(data: bytes) -> dict[str, range]:
    """Byte ranges of a format 2 backup's parts."""
    hlen = int.from_bytes(data[20:24], "big")
    slots_at = 24 + hlen
    slen = int.from_bytes(data[slots_at : slots_at + 4], "big")
    db_at = slots_at + 4 + slen
    end = len(data) - backups.TRAILER_LEN
    return {
        "magic": range(0, 20),
        "header": range(20, slots_at),
        "slots length": range(slots_at, slots_at + 4),
        "slots": range(slots_at + 4, db_at),
        "database": range(db_at, end),
        "end magic": range(end, end + len(backups.END_MAGIC)),
        "head digest": range(end + len(backups.END_MAGIC), len(data) - backups.TAG_LEN),
        "mac": range(len(data) - backups.TAG_LEN, len(data)),
    }


def _slot_fields(data: bytes, slots: range) -> list[tuple[str, int]]:
    """(slot id.field name, position inside its value) for every leaf field of every slot
    and of the slots file itself (``file.NAME``): the JSON has one field per line, a slot's
    fields at three spaces' indent (its KDF's at four) and ``  }`` closes it."""
    text = data[slots.start : slots.stop].decode("utf-8")
    found: list[tuple[str, int]] = []
    in_slot: list[tuple[str, int]] = []
    slot_id, at = "", slots.start
    for line in text.splitlines(keepends=True):
        m = re.match(r'(\s*)"(\w+)": (.*?),?\s*$', line)
        if m and m.group(3) not in ("{", "["):
            value_at = at + len(line.encode()) - len(line[m.start(3) :].encode())
            width = len(m.group(3).encode())
            target = found if len(m.group(1)) == 1 else in_slot
            if m.group(2) == "slot_id":
                slot_id = json.loads(m.group(3))
            for offset in sorted({0, width // 2, width - 1}):
                target.append((m.group(2), value_at + offset))
        elif line.rstrip().rstrip(",") == "  }":
            found += [(f"{slot_id}.{name}", p) for name, p in in_slot]
            in_slot = []
        at += len(line.encode())
    return [(n if "." in n else f"file.{n}", p) for n, p in found]


def test_a_bit_flipped_anywhere_in_a_backup_is_refused_and_nothing_replaced(
    tmp_path: Path,
) -> None:
    """Flips in the header, every key-slot field (the recovery slot's salt too), the
    database part and the trailer: each one refused with a clear message, nothing changed.
    (The old format restored 15 of 217 such copies, one with a destroyed recovery key.)"""
    inst, recovery = _fast(tmp_path / "a")
    session = inst.unlock(ADMIN, ADMIN_PASSPHRASE)
    user_service.add_user(session, CASEWORKER, Role.CASEWORKER, CASEWORKER_PASSPHRASE)
    session.lock()
    inst.release()
    good = _backup(inst, tmp_path / "good.backup").read_bytes()
    approval = _approve(inst)
    before = _snapshot(inst.root)
    parts = _parts(good)
    positions: list[tuple[str, int]] = [("header", p) for p in parts["header"]]
    positions += [(name, p) for name in ("magic", "slots length") for p in parts[name][::3]]
    positions += _slot_fields(good, parts["slots"])
    positions += [("slots", p) for p in parts["slots"][::97]]
    db = parts["database"]
    positions += [("database", db.start + i * (len(db) - 1) // 15) for i in range(16)]
    for name in ("end magic", "head digest", "mac"):
        positions += [(name, p) for p in parts[name][::5]]
    fields = {name for name, _p in positions}
    assert {"recovery.salt", "recovery.wrapped_key", "recovery.nonce"} <= fields
    assert any(f.endswith(".username") for f in fields) and "file.installation_id" in fields
    broken = tmp_path / "broken.backup"
    refusals: dict[str, int] = {}
    for name, position in positions:
        data = bytearray(good)
        data[position] ^= 0x01 if name != "magic" else 0x40
        broken.write_bytes(bytes(data))
        secret, user = (recovery, "") if position % 2 else (ADMIN_PASSPHRASE, ADMIN)
        with pytest.raises(BackupError) as refused:
            backups.restore(inst, broken, user, secret, approval=approval)
        message = refused.value.message
        assert "damaged or incomplete" in message or "not a Shelter Desk backup" in message, (
            name,
            position,
            message,
        )
        refusals[name] = refusals.get(name, 0) + 1
    inst.release()
    assert _snapshot(inst.root) == before
    assert len(refusals) >= 8 and sum(refusals.values()) > 300


def test_a_changed_slot_with_a_recomputed_digest_fails_the_mac(tmp_path: Path) -> None:
    """Only the MAC (keyed from the database key) catches a deliberate change of the slots."""
    inst, recovery = _fast(tmp_path / "a")
    good = _backup(inst, tmp_path / "good.backup").read_bytes()
    parts = _parts(good)
    salt = [p for name, p in _slot_fields(good, parts["slots"]) if name == "recovery.salt"][1]
    data = bytearray(good)
    data[salt] = ord("A") if data[salt] != ord("A") else ord("B")
    digest = hashlib.sha256(bytes(data[: parts["database"].start])).digest()
    data[parts["head digest"].start : parts["head digest"].stop] = digest
    tampered = tmp_path / "tampered.backup"
    tampered.write_bytes(bytes(data))
    backups.read_header(tampered)  # its head digest is right
    target = Installation(tmp_path / "b")
    with pytest.raises(BackupError, match="damaged"):
        backups.restore(target, tampered, ADMIN, ADMIN_PASSPHRASE)
    target.release()
    assert not target.exists()
    backups.restore(target, tmp_path / "good.backup", ADMIN, ADMIN_PASSPHRASE)
    target.release()
    backups.approve_with_recovery_key(target, recovery)  # the recovery key still opens it
    target.release()


def test_a_backup_of_the_previous_format_restores_with_a_warning(tmp_path: Path) -> None:
    inst, _recovery = _fast(tmp_path / "a")
    good = _backup(inst, tmp_path / "good.backup").read_bytes()
    parts = _parts(good)
    header = json.loads(good[parts["header"].start + 4 : parts["header"].stop])
    header["format"] = 1
    head_json = json.dumps(header, sort_keys=True).encode()
    old = (
        backups.MAGIC
        + len(head_json).to_bytes(4, "big")
        + head_json
        + good[parts["slots length"].start : parts["database"].stop]
    )
    legacy = tmp_path / "old.backup"
    legacy.write_bytes(old)
    target = Installation(tmp_path / "b")
    prepared = backups.prepare_restore(target, legacy, ADMIN, ADMIN_PASSPHRASE)
    assert prepared.info.legacy and not prepared.info.foreign
    assert "older Shelter Desk" in backups.legacy_warning()
    prepared.commit()
    target.release()
    assert _marker(target) == "data of Hope House"
    # A format 2 header without its trailer is damaged, not old.
    cut = tmp_path / "cut.backup"
    cut.write_bytes(good[: parts["database"].stop])
    with pytest.raises(BackupError, match="damaged"):
        backups.read_header(cut)


def test_the_next_start_removes_what_a_killed_backup_or_restore_left(tmp_path: Path) -> None:
    inst, _recovery = _fast(tmp_path / "a")
    kept = inst.root / "shelter-desk.db.replaced-20260101T000000"
    kept.write_bytes(b"an older kept copy")
    leftovers = [
        ".backup-4242.db",
        ".backup-4242.db-journal",
        ".restore-candidate.db",
        ".restore-candidate.db-wal",
        ".restore-candidate.json",
        "..restore-candidate.json.77.tmp",
    ]
    for name in leftovers:
        (inst.root / name).write_bytes(b"x" * 4096)
    assert _marker(inst) == "data of Hope House"
    names = {p.name for p in inst.root.iterdir()}
    assert not names & set(leftovers)
    assert kept.name in names


def test_a_journaled_swap_is_completed_by_the_next_start(tmp_path: Path) -> None:
    """The state after a crash just after the old database was moved away."""
    inst, _recovery = _fast(tmp_path / "a")
    other, _r = _fast(tmp_path / "b", "Other")
    foreign = _backup(other, tmp_path / "other.backup")
    prepared = backups.prepare_restore(
        inst, foreign, ADMIN, ADMIN_PASSPHRASE, approval=_approve(inst)
    )
    assert prepared.info.foreign
    inst.release()
    root = inst.root
    swap = restore_swap.Swap(
        "shelter-desk.db", "keyslots.json", "shelter-desk.db.replaced-X", "keyslots.json.replaced-X"
    )
    (root / restore_swap.JOURNAL).write_text(json.dumps(swap.__dict__))
    os.replace(root / "shelter-desk.db", root / swap.kept_db)
    assert inst.exists()
    assert _marker(inst) == "data of Other"
    names = {p.name for p in root.iterdir()}
    assert {swap.kept_db, swap.kept_slots} <= names
    assert not any(n.startswith((".restore", ".backup")) for n in names)


@pytest.mark.parametrize(
    "left",
    [
        ("shelter-desk.db.replaced-20261201T101010", "keyslots.json.replaced-20261201T101010"),
        ("keyslots.json",),
        ("keyslots.json", "shelter-desk.db.replaced-20261201T101010"),
    ],
)
def test_no_installation_is_created_over_what_a_restore_left(
    tmp_path: Path, left: tuple[str, ...]
) -> None:
    root = tmp_path / "data"
    root.mkdir()
    for name in left:
        (root / name).write_bytes(b"encrypted data")
    inst = Installation(root, kdf=FAST_KDF)
    with pytest.raises(StoreError) as refused:
        inst.create(org_name="New", admin=ADMIN, passphrase=ADMIN_PASSPHRASE)
    inst.release()
    assert str(root) in refused.value.message
    for name in left:
        assert name in refused.value.message
    assert sorted(p.name for p in root.iterdir() if p.name != "shelter-desk.lock") == sorted(left)


def test_full_disk_during_backup_leaves_no_partial_file(
    admin_session: Session, installation: Installation, tmp_path: Path
) -> None:
    """A child process with a tiny file-size limit stands in for a full USB stick."""
    with admin_session.db.transaction():
        for i in range(3000):
            admin_session.meta.set(f"pad-{i}", "p" * 300)
    admin_session.lock()
    installation.release()
    out = tmp_path / "stick" / "full.backup"
    out.parent.mkdir()
    script = textwrap.dedent(
        f"""
        import resource, signal
        from pathlib import Path
        from shelter_desk.domain.errors import BackupError
        from shelter_desk.services import backup
        from shelter_desk.services.installation import Installation
        inst = Installation(Path({str(installation.root)!r}))
        session = inst.unlock({ADMIN!r}, {ADMIN_PASSPHRASE!r})
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (600_000, 600_000))
        try:
            backup.backup(session, Path({str(out)!r}))
        except BackupError as exc:
            print("REFUSED", exc.message)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )
    assert "REFUSED" in result.stdout, result.stderr
    assert not out.exists()
    assert list(out.parent.iterdir()) == []
    assert not list(installation.root.glob(".backup-*"))


def _cli(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SHELTER_DESK_HOME"}
    return subprocess.run(
        [sys.executable, "-m", "shelter_desk", "--data-dir", str(data), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_cli_restore_says_what_it_is_and_asks_before_replacing_another_installation(
    tmp_path: Path,
) -> None:
    ours, _recovery = _fast(tmp_path / "ours", "Hope House")
    theirs, _r = _fast(tmp_path / "theirs", "Safe Harbour")
    foreign = _backup(theirs, tmp_path / "theirs.backup")
    own = _backup(ours, tmp_path / "ours.backup")
    before = _snapshot(ours.root)
    line = ADMIN_PASSPHRASE + "\n"

    wrong = _cli(ours.root, "restore", str(own), "--user", ADMIN, stdin="not it at all\n")
    assert wrong.returncode == 1 and "Wrong passphrase" in wrong.stderr
    refused = _cli(ours.root, "restore", str(foreign), "--user", ADMIN, stdin=line)
    assert refused.returncode == 1, refused.stderr
    assert "--replace-other-installation" in refused.stderr
    assert "Safe Harbour" in refused.stdout
    assert theirs.slots().installation_id in refused.stdout
    after = _snapshot(ours.root)
    assert after.keys() == before.keys() and not list(ours.root.glob("*.replaced-*"))

    done = _cli(
        ours.root,
        "restore",
        str(foreign),
        "--user",
        ADMIN,
        "--replace-other-installation",
        stdin=line,
    )
    assert done.returncode == 0, done.stderr
    assert "The replaced database was kept as shelter-desk.db.replaced-" in done.stdout
    assert _marker(ours) == "data of Safe Harbour"


def test_cli_restore_with_the_recovery_key_of_this_installation(tmp_path: Path) -> None:
    inst, recovery = _fast(tmp_path / "a")
    out = _backup(inst, tmp_path / "a.backup")
    restored = _cli(inst.root, "restore", str(out), "--recovery-key", stdin=recovery + "\n")
    assert restored.returncode == 0, restored.stderr
    assert "Backup of Hope House" in restored.stdout
    assert len(list(inst.root.glob("shelter-desk.db.replaced-*"))) == 1
    # Another installation's recovery key approves nothing here.
    _other, other_recovery = _fast(tmp_path / "b", "Other")
    refused = _cli(inst.root, "restore", str(out), "--recovery-key", stdin=other_recovery + "\n")
    assert refused.returncode == 1 and "Wrong recovery key" in refused.stderr
    assert len(list(inst.root.glob("shelter-desk.db.replaced-*"))) == 1


def test_cli_restore_onto_a_folder_whose_key_file_is_damaged(tmp_path: Path) -> None:
    """Nobody can open it to approve: it counts as another installation, and the backup's
    only user is the one asked for (no --user needed when the folder names nobody)."""
    inst, _recovery = _fast(tmp_path / "a")
    out = _backup(inst, tmp_path / "a.backup")
    inst.slots_path.write_text("{ damaged")
    line = ADMIN_PASSPHRASE + "\n"
    refused = _cli(inst.root, "restore", str(out), stdin=line)
    assert refused.returncode == 1 and "--replace-other-installation" in refused.stderr
    done = _cli(inst.root, "restore", str(out), "--replace-other-installation", stdin=line)
    assert done.returncode == 0, done.stderr
    assert _marker(inst) == "data of Hope House"
    assert (inst.root / next(inst.root.glob("keyslots.json.replaced-*")).name).read_text() == (
        "{ damaged"
    )
    fresh = _cli(tmp_path / "new-laptop", "restore", str(out), stdin=line)
    assert fresh.returncode == 0, fresh.stderr


def test_a_backup_removes_what_killed_backups_left_beside_its_file(tmp_path: Path) -> None:
    inst, _recovery = _fast(tmp_path / "a")
    usb = tmp_path / "usb"
    usb.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    left = [f".shelter.backup.{dead}.tmp", f".backup-{dead}.db", f".backup-{dead}.db-journal"]
    for name in left:
        (usb / name).write_bytes(b"part of an encrypted copy")
    (usb / "holiday.jpg").write_bytes(b"not ours")
    _backup(inst, usb / "shelter.backup")
    assert sorted(p.name for p in usb.iterdir()) == ["holiday.jpg", "shelter.backup"]
