"""`backup` and `restore` killed at every write, sync, rename, truncation and unlink.

After each kill the next start (an unlock) must find exactly one working installation:
either the old data fully, with the transactions it had committed but not checkpointed
(they were only in its WAL), or the restored data fully, the old data kept beside it.
No full copy is left behind (`.backup-*`, `.restore-candidate*`, the journal), every file
is 0600, and `init` refuses the folder, saying where the data is.
"""

from __future__ import annotations

import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from shelter_desk.domain.errors import StoreError
from shelter_desk.security.keyslots import KdfParams
from shelter_desk.services import backup as backups
from shelter_desk.services.installation import Installation
from shelter_desk.services.verify import verify
from shelter_desk.store.db import Database
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.crashpoints import (
    WRITE_SYSCALLS,
    CrashPoint,
    cli_args,
    crash_points,
    fresh_copy,
    needs_strace,
    run_killed,
    was_killed,
)

pytestmark = [needs_strace, pytest.mark.slow]

FAST_KDF = KdfParams(time_cost=1, memory_kib=8192, parallelism=1)
# Two groups of system calls per command, each one test (each under two minutes).
WRITES = ("write", "writev", "pwrite64")
SYNCS_AND_NAMES = tuple(name for name in WRITE_SYSCALLS if name not in WRITES)
GROUPS = pytest.mark.parametrize("syscalls", [WRITES, SYNCS_AND_NAMES], ids=["writes", "other"])
# A backup's copy of the database is written page by page into one temporary file: of those
# page writes (pwrite64) every PAGE_STRIDE-th is a crash point, every other call is one.
PAGE_STRIDE = 5
OLD, RESTORED = "old data, committed after the backup", "the data in the backup"
STDIN = ADMIN_PASSPHRASE + "\n"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """An installation whose last commit is only in its WAL, and a backup made before it."""
    base = tmp_path_factory.mktemp("crash-backup")
    inst = Installation(base / "template", kdf=FAST_KDF)
    session, _recovery = inst.create(
        org_name="Hope House", admin=ADMIN, passphrase=ADMIN_PASSPHRASE
    )
    session.meta.set("marker", RESTORED)
    backups.backup(session, base / "saved.backup")
    session.lock()
    inst.release()
    script = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from shelter_desk.services.installation import Installation
        session = Installation(Path({str(inst.root)!r})).unlock({ADMIN!r}, {ADMIN_PASSPHRASE!r})
        session.meta.set("marker", {OLD!r})
        os._exit(0)  # dies after the commit, before any checkpoint
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    assert (inst.root / "shelter-desk.db-wal").stat().st_size > 0
    return inst.root, base / "saved.backup"


def _next_start(folder: Path) -> tuple[str, bytes]:
    """Unlock as the next start does; the marker and the key; the data must verify."""
    inst = Installation(folder)
    session = inst.unlock(ADMIN, ADMIN_PASSPHRASE)
    try:
        assert verify(session).ok
        return session.meta.get("marker"), session.database_key
    finally:
        session.lock()
        inst.release()


def _assert_clean(folder: Path, point: CrashPoint) -> None:
    names = sorted(p.name for p in folder.iterdir())
    assert not [n for n in names if n.startswith((".restore", ".backup", "..restore"))], (
        point,
        names,
    )
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}
    assert set(modes.values()) == {0o600}, (point, modes)
    inst = Installation(folder, kdf=FAST_KDF)
    with pytest.raises(StoreError) as refused:
        inst.create(org_name="New", admin="nadia", passphrase=ADMIN_PASSPHRASE)
    inst.release()
    assert str(folder) in refused.value.message


@GROUPS
def test_restore_killed_anywhere_leaves_old_or_restored_data(
    template: tuple[Path, Path], tmp_path: Path, syscalls: tuple[str, ...]
) -> None:
    folder, saved = template
    work = tmp_path / "data"
    argv = cli_args(work, "restore", str(saved), "--user", ADMIN)
    fresh_copy(folder, work)
    points = crash_points(argv, stdin=STDIN, syscalls=syscalls)
    assert len(points) > 20
    outcomes: dict[str, int] = {}
    for point in points:
        fresh_copy(folder, work)
        result = run_killed(argv, point, stdin=STDIN)
        assert was_killed(result), (point, result.returncode, result.stderr)
        marker, key = _next_start(work)
        kept = sorted(work.glob("shelter-desk.db.replaced-*"))
        if marker == OLD:
            assert not kept, (point, kept)
        else:
            assert marker == RESTORED, (point, marker)
            kept_dbs = [p for p in kept if not p.name.endswith(("-wal", "-shm"))]
            assert len(kept_dbs) == 1 and len(list(work.glob("keyslots.json.replaced-*"))) == 1
            db = Database.open(kept_dbs[0], key)  # the same installation: the same key
            try:
                assert db.scalar("SELECT value FROM meta WHERE key = 'marker'") == OLD, point
            finally:
                db.close()
        _assert_clean(work, point)
        outcomes[marker] = outcomes.get(marker, 0) + 1
    assert set(outcomes) == {OLD, RESTORED}, outcomes  # kills before and after the swap


@GROUPS
def test_backup_killed_anywhere_leaves_the_data_and_no_copy(
    template: tuple[Path, Path], tmp_path: Path, syscalls: tuple[str, ...]
) -> None:
    folder, _saved = template
    work, usb = tmp_path / "data", tmp_path / "usb"
    usb.mkdir()
    out = usb / "new.backup"
    argv = cli_args(work, "backup", "--out", str(out), "--user", ADMIN)
    fresh_copy(folder, work)
    points = [
        p
        for p in crash_points(argv, stdin=STDIN, syscalls=syscalls)
        if p.syscall != "pwrite64" or p.nth % PAGE_STRIDE == 1
    ]
    assert len(points) > 10
    complete = 0
    for point in points:
        fresh_copy(folder, work)
        out.unlink(missing_ok=True)
        result = run_killed(argv, point, stdin=STDIN)
        assert was_killed(result), (point, result.returncode, result.stderr)
        assert _next_start(work)[0] == OLD, point
        _assert_clean(work, point)
        if out.exists():  # only ever complete: it was renamed into place after its sync
            header, _slots, offset = backups.read_header(out)
            assert out.stat().st_size == offset + header.db_size + backups.TRAILER_LEN
            complete += 1
        partials = [p for p in usb.iterdir() if p != out]  # an encrypted part, on the stick
        assert len(partials) <= 1, (point, partials)
    assert complete > 0  # a kill after its rename finds it complete
    target = Installation(tmp_path / "restored")
    fresh_copy(folder, work)
    subprocess.run(argv, input=STDIN, text=True, check=True, capture_output=True, timeout=120)
    assert sorted(usb.iterdir()) == [out]  # the next backup removed what a killed one left
    backups.restore(target, out, ADMIN, ADMIN_PASSPHRASE)
    target.release()
    assert _next_start(target.root)[0] == OLD
