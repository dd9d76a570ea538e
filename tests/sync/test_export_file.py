"""`bundle export` logs a bundle as sent only once its file is written completely: a write
that fails (bad folder, a folder in the way, USB stick gone) logs nothing, so the bundle the
partner gets next is the one numbered next, and the chain of hashes has no hole."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from shelter_desk.security.keyslots import KdfParams
from shelter_desk.services.installation import Installation
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.sync.cli_world import CliWorld, sd

EXPORT = ("bundle", "export", "--to", "National Coordinator", "--out")


@pytest.fixture
def world(tmp_path: Path) -> CliWorld:
    fast = KdfParams(time_cost=1, memory_kib=8192, parallelism=1)
    return CliWorld(tmp_path / "world", kdf=fast, cases=1)


def _sent(root: Path) -> list[tuple[int, str]]:
    installation = Installation(root)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    try:
        rows = session.db.all(
            "SELECT seq, bundle_hash FROM sync_bundles WHERE direction = 'sent' ORDER BY seq"
        )
        return [(int(s), str(h)) for s, h in rows]
    finally:
        session.lock()
        installation.release()


def test_a_failed_write_logs_nothing_and_the_next_export_is_bundle_1(
    world: CliWorld, tmp_path: Path
) -> None:
    in_the_way = tmp_path / "a-folder.shbundle"
    in_the_way.mkdir()
    for bad in (tmp_path / "no-such-folder" / "out.shbundle", in_the_way):
        failed = sd(world.shelter.root, *EXPORT, str(bad))
        assert failed.returncode == 1
        assert len(failed.stderr.strip().splitlines()) == 1, failed.stderr
        assert "Traceback" not in failed.stderr and "unexpected" not in failed.stderr
        assert _sent(world.shelter.root) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder.shbundle", "world"]
    assert list(in_the_way.iterdir()) == []

    good = tmp_path / "out.shbundle"
    done = sd(world.shelter.root, *EXPORT, str(good))
    assert done.returncode == 0, done.stderr
    assert "Bundle 1 " in done.stdout
    [(seq, digest)] = _sent(world.shelter.root)
    assert seq == 1 and digest == hashlib.sha256(good.read_bytes()).hexdigest()
    imported = sd(world.coord.root, "bundle", "import", str(good))
    assert imported.returncode == 0, imported.stderr
    assert "Bundle 1 " in imported.stdout


def test_an_export_replaces_an_older_file_of_the_same_name_whole(
    world: CliWorld, tmp_path: Path
) -> None:
    out = tmp_path / "out.shbundle"
    out.write_bytes(b"last week's bundle")
    done = sd(world.shelter.root, *EXPORT, str(out))
    assert done.returncode == 0, done.stderr
    [(_seq, digest)] = _sent(world.shelter.root)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.shbundle", "world"]
    assert out.stat().st_mode & 0o777 == 0o600
