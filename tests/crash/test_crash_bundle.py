"""`bundle export` and `bundle import` killed at every write, sync, rename, truncation and
unlink.

Export: afterwards either the bundle file is complete and logged as sent, or nothing is
logged and no partial file is left (a complete file that was not yet logged may stay: it
is the whole bundle, and the next export simply numbers its successor the same). Nothing
else is left in the folder, and the next export works and imports.

Import: afterwards the coordinator holds all of the bundle or none of it, the data verifies,
and importing the same file again works (and then holds all of it). Of the database page
writes of an import, every PAGE_STRIDE-th and the last are crash points (time).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from shelter_desk.security.keyslots import KdfParams
from shelter_desk.services.installation import Installation
from shelter_desk.services.verify import verify
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
from tests.sync.cli_world import CliWorld, sd

pytestmark = [needs_strace, pytest.mark.slow]

FAST_KDF = KdfParams(time_cost=1, memory_kib=8192, parallelism=1)
CASES = 3
STDIN = ADMIN_PASSPHRASE + "\n"
WRITES = ("write", "writev", "pwrite64")
OTHERS = tuple(name for name in WRITE_SYSCALLS if name not in WRITES)
GROUPS = pytest.mark.parametrize("syscalls", [WRITES, OTHERS], ids=["writes", "other"])
EXPORT = ("bundle", "export", "--to", "National Coordinator")
REIMPORT_STRIDE = 4
# An import writes ~150 database pages (pwrite64) into the WAL in one transaction: of those,
# every PAGE_STRIDE-th and the last (the commit frame) are crash points; every other call is.
PAGE_STRIDE = 4


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A shelter with cases and its coordinator, trusting each other, and one bundle from
    the shelter that the coordinator has not imported (exported from a copy, so the
    template shelter has logged nothing)."""
    base = tmp_path_factory.mktemp("crash-bundle")
    world = CliWorld(base / "world", kdf=FAST_KDF, cases=CASES)
    scratch = fresh_copy(world.shelter.root, base / "scratch")
    bundle = base / "to-coordinator.shbundle"
    made = sd(scratch, *EXPORT, "--out", str(bundle))
    assert made.returncode == 0, made.stderr
    return world.folder, bundle


def _sent(shelter: Path) -> list[str]:
    """Hashes of the bundles the shelter logged as sent (unlocking as the next start)."""
    installation = Installation(shelter)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    try:
        report = verify(session)
        assert report.ok, report.problems
        rows = session.db.all("SELECT bundle_hash FROM sync_bundles WHERE direction = 'sent'")
        return [str(r[0]) for r in rows]
    finally:
        session.lock()
        installation.release()


def _from_shelter(coord: Path) -> tuple[int, int]:
    """Records and received bundles the coordinator holds from the shelter."""
    installation = Installation(coord)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    try:
        report = verify(session)
        assert report.ok, report.problems
        records = session.db.scalar(
            "SELECT count(*) FROM records WHERE org_id != ? AND entity != 'organisation'",
            (session.org_id,),
        )
        received = session.db.scalar(
            "SELECT count(*) FROM sync_bundles WHERE direction = 'received'"
        )
        return int(records), int(received)
    finally:
        session.lock()
        installation.release()


@GROUPS
def test_export_killed_anywhere_leaves_a_complete_logged_bundle_or_none(
    template: tuple[Path, Path], tmp_path: Path, syscalls: tuple[str, ...]
) -> None:
    world, _bundle = template
    probe = fresh_copy(world, tmp_path / "probe")
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "to-coordinator.shbundle"
    points = crash_points(
        cli_args(probe / "shelter", *EXPORT, "--out", str(out)),
        stdin=STDIN,
        syscalls=syscalls,
    )
    assert points
    shutil.rmtree(probe)
    out.unlink()
    recovered: set[tuple[bool, bool]] = set()
    for point in points:
        copy = fresh_copy(world, tmp_path / "run")
        result = run_killed(
            cli_args(copy / "shelter", *EXPORT, "--out", str(out)), point, stdin=STDIN
        )
        assert was_killed(result), (point, result.stderr)
        sent = _sent(copy / "shelter")
        left = sorted(p.name for p in out.parent.iterdir())
        assert left in ([], [out.name]), (point, left)
        if sent:
            assert left == [out.name], point
            assert hashlib.sha256(out.read_bytes()).hexdigest() == sent[0], point
        outcome = (bool(sent), out.exists())
        if out.exists():  # complete: the coordinator accepts it
            inspected = sd(copy / "coord", "bundle", "inspect", str(out))
            assert "signature: valid" in inspected.stdout, (point, inspected.stderr)
            out.unlink()
        if outcome not in recovered:  # once per kind of outcome (time): export again
            recovered.add(outcome)
            again = sd(copy / "shelter", *EXPORT, "--out", str(out))
            assert again.returncode == 0, (point, again.stderr)
            imported = sd(copy / "coord", "bundle", "import", str(out))
            assert imported.returncode == 0, (point, imported.stderr)
            out.unlink()


def _strided(points: list[CrashPoint]) -> list[CrashPoint]:
    pages = [p.nth for p in points if p.syscall == "pwrite64"]
    last = max(pages, default=0)
    return [
        p for p in points if p.syscall != "pwrite64" or p.nth % PAGE_STRIDE == 1 or p.nth == last
    ]


@GROUPS
def test_import_killed_anywhere_applies_all_or_nothing_and_imports_again(
    template: tuple[Path, Path], tmp_path: Path, syscalls: tuple[str, ...]
) -> None:
    world, bundle = template
    probe = fresh_copy(world, tmp_path / "probe")
    import_args = ("bundle", "import", str(bundle))
    points = _strided(
        crash_points(cli_args(probe / "coord", *import_args), stdin=STDIN, syscalls=syscalls)
    )
    assert points
    everything = _from_shelter(probe / "coord")
    assert everything[0] > 0 and everything[1] == 1
    shutil.rmtree(probe)
    seen: set[tuple[int, int]] = set()
    for n, point in enumerate(points):
        copy = fresh_copy(world, tmp_path / "run")
        result = run_killed(cli_args(copy / "coord", *import_args), point, stdin=STDIN)
        assert was_killed(result), (point, result.stderr)
        outcome = _from_shelter(copy / "coord")
        assert outcome in ((0, 0), everything), point
        # Importing again after every kind of outcome, and after every REIMPORT_STRIDE-th
        # point besides (each one takes a second).
        if outcome in seen and n % REIMPORT_STRIDE:
            continue
        seen.add(outcome)
        again = sd(copy / "coord", *import_args)
        assert again.returncode == 0, (point, again.stderr)
        assert _from_shelter(copy / "coord") == everything, point
