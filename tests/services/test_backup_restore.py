"""Encrypted backup and restore: round trip, bad files, full disk."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from shelter_desk.domain.errors import AuthError, BackupError
from shelter_desk.services import backup as backups
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from shelter_desk.services.verify import verify
from tests.conftest import ADMIN, ADMIN_PASSPHRASE


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


def test_restore_replaces_and_keeps_the_old_file(
    admin_session: Session, installation: Installation, tmp_path: Path
) -> None:
    backup_file = tmp_path / "b.backup"
    backups.backup(admin_session, backup_file)
    admin_session.meta.set("later", "changed after backup")
    admin_session.lock()
    kept = backups.restore(installation, backup_file, ADMIN, ADMIN_PASSPHRASE)
    assert kept is not None and kept.exists()
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    assert session.meta.get("later") == ""
    session.lock()


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


def test_not_a_backup_and_damaged_backup_change_nothing(
    admin_session: Session, installation: Installation, tmp_path: Path
) -> None:
    good = tmp_path / "good.backup"
    backups.backup(admin_session, good)
    admin_session.lock()
    before = installation.db_path.read_bytes()

    junk = tmp_path / "holiday.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0 not a backup at all")
    with pytest.raises(BackupError, match="not a Shelter Desk backup"):
        backups.restore(installation, junk, ADMIN, ADMIN_PASSPHRASE)

    damaged = tmp_path / "damaged.backup"
    data = bytearray(good.read_bytes())
    data[-5000] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="damaged"):
        backups.restore(installation, damaged, ADMIN, ADMIN_PASSPHRASE)

    truncated = tmp_path / "short.backup"
    truncated.write_bytes(good.read_bytes()[:-4096])
    with pytest.raises(BackupError):
        backups.restore(installation, truncated, ADMIN, ADMIN_PASSPHRASE)

    with pytest.raises(AuthError):
        backups.restore(installation, good, ADMIN, "not the right passphrase")

    assert installation.db_path.read_bytes() == before
    assert not list(installation.root.glob("*.replaced-*"))
    assert not list(installation.root.glob(".restore-*"))


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
