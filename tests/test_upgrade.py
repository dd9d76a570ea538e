"""Starting this release on a data folder the previous release (0.1.0, schema 4) wrote.

The fixture (tests/fixtures/release-0.1.0, see its README) was written by the code at commit
b01aa9e. Opening it takes an encrypted backup first (``backups/``, 0600, restorable), then
migrates, then says so; a backup that cannot be written leaves the folder as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import stat
from pathlib import Path

from shelter_desk import __version__
from shelter_desk.security.keyslots import load_slots
from shelter_desk.services import backup
from shelter_desk.services.installation import DEMO_PASSPHRASE, DEMO_USER, Installation
from shelter_desk.services.verify import verify
from shelter_desk.store import migrations
from tests.test_cli import sd

FIXTURE = Path(__file__).parent / "fixtures" / "release-0.1.0"
FIXTURE_FILES = ("shelter-desk.db", "keyslots.json")
PREVIOUS_SCHEMA = 4
# What 0.1.0's `verify` and `case list` printed on the fixture.
PREVIOUS_DIGEST = "fc81ba5325dd9f13e49d623d40d85177a38bbf970aab9a1f290b6682f11543a4"
PREVIOUS_CASES = [
    *(f"DS-2022-000{n}" for n in range(1, 4)),
    *(f"DS-2023-000{n}" for n in range(1, 5)),
    *(f"DS-2024-000{n}" for n in range(1, 5)),
    *(f"DS-2025-000{n}" for n in range(1, 6)),
    *(f"DS-2026-000{n}" for n in range(1, 5)),
]
LOGIN = DEMO_PASSPHRASE + "\n"


def copy_fixture(dest: Path) -> Path:
    dest.mkdir(mode=0o700)
    for name in FIXTURE_FILES:
        shutil.copy2(FIXTURE / name, dest / name)
    return dest


def backup_name(schema: int = PREVIOUS_SCHEMA, n: int = 1) -> str:
    suffix = f"-{n}" if n > 1 else ""
    return f"before-upgrade-schema-{schema}-{dt.date.today().isoformat()}{suffix}.backup"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_fixture_is_the_previous_schema() -> None:
    assert migrations.LATEST > PREVIOUS_SCHEMA
    assert __version__ == "0.2.0"


def test_cli_backs_up_then_upgrades_and_says_so(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path / "data")
    result = sd(data, "--user", DEMO_USER, "verify", stdin=LOGIN)
    assert result.returncode == 0, result.stderr
    kept = data / "backups" / backup_name()
    # One line on standard error, naming the backup; nothing of it on standard output.
    assert result.stderr.splitlines() == [
        f"Shelter Desk {__version__} upgraded this data folder from an earlier version; a"
        f" backup of it as it was is in {kept}."
    ]
    assert "backup" not in result.stdout
    assert f"digest: {PREVIOUS_DIGEST}" in result.stdout
    assert "case: 20" in result.stdout
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    assert sorted(p.name for p in kept.parent.iterdir()) == [kept.name]
    # No temporary copy of the database is left behind in the data folder.
    assert sorted(p.name for p in data.iterdir()) == [
        "backups",
        "keyslots.json",
        "shelter-desk.db",
        "shelter-desk.lock",
    ]

    listed = sd(data, "--user", DEMO_USER, "case", "list", "--limit", "50", stdin=LOGIN)
    assert listed.returncode == 0, listed.stderr
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == PREVIOUS_CASES
    assert listed.stderr == ""  # upgraded once: nothing more to say, no second backup
    assert sorted(p.name for p in kept.parent.iterdir()) == [kept.name]


def test_the_backup_holds_the_previous_schema_and_restores(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path / "data")
    installation = Installation(data)
    session = installation.unlock(DEMO_USER, DEMO_PASSPHRASE)
    try:
        upgrade = installation.last_upgrade
        assert upgrade is not None
        assert (upgrade.from_schema, upgrade.to_schema) == (PREVIOUS_SCHEMA, migrations.LATEST)
        assert upgrade.backup == data / "backups" / backup_name()
        assert migrations.schema_version(session.db) == migrations.LATEST
        assert verify(session).digest == PREVIOUS_DIGEST
    finally:
        session.lock()
        installation.release()

    header, slots, _offset = backup.read_header(upgrade.backup)
    assert header.schema == PREVIOUS_SCHEMA
    assert slots.installation_id == load_slots(FIXTURE / "keyslots.json").installation_id

    # Restored into an empty folder with this release's restore (which checks the MAC,
    # the SQLCipher HMACs, the integrity and the audit chain): the data as it was.
    elsewhere = Installation(tmp_path / "restored")
    backup.restore(elsewhere, upgrade.backup, DEMO_USER, DEMO_PASSPHRASE)
    elsewhere.release()
    restored = sd(tmp_path / "restored", "--user", DEMO_USER, "verify", stdin=LOGIN)
    assert restored.returncode == 0, restored.stderr
    assert f"digest: {PREVIOUS_DIGEST}" in restored.stdout
    assert "case: 20" in restored.stdout


def test_a_current_folder_is_not_backed_up_again(tmp_path: Path) -> None:
    data = copy_fixture(tmp_path / "data")
    for _attempt in range(2):
        installation = Installation(data)
        installation.unlock(DEMO_USER, DEMO_PASSPHRASE).lock()
        installation.release()
    assert installation.last_upgrade is None
    assert [p.name for p in (data / "backups").iterdir()] == [backup_name()]


def test_an_earlier_safety_copy_is_never_overwritten(tmp_path: Path) -> None:
    """A migration that failed after its backup leaves that backup; the next try writes
    another one beside it."""
    data = copy_fixture(tmp_path / "data")
    (data / "backups").mkdir(mode=0o700)
    earlier = data / "backups" / backup_name()
    earlier.write_bytes(b"an earlier safety copy")
    installation = Installation(data)
    installation.unlock(DEMO_USER, DEMO_PASSPHRASE).lock()
    installation.release()
    assert earlier.read_bytes() == b"an earlier safety copy"
    assert installation.last_upgrade is not None
    assert installation.last_upgrade.backup == data / "backups" / backup_name(n=2)


def test_no_backup_no_upgrade(tmp_path: Path) -> None:
    """If the backup cannot be written, nothing is migrated and nothing opens: one line."""
    data = copy_fixture(tmp_path / "data")
    before = {name: digest(data / name) for name in FIXTURE_FILES}
    (data / "backups").write_bytes(b"")  # a file where the folder should be
    result = sd(data, "--user", DEMO_USER, "verify", stdin=LOGIN)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "neither upgraded nor opened" in result.stderr
    assert result.stdout == ""
    assert {name: digest(data / name) for name in FIXTURE_FILES} == before
    leftovers = sorted(p.name for p in data.iterdir())
    assert leftovers == ["backups", "keyslots.json", "shelter-desk.db", "shelter-desk.lock"]
