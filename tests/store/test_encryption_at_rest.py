"""The database is encrypted at rest and nothing readable leaks into the data folder."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from shelter_desk.domain.errors import StoreError
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from shelter_desk.store.db import Database

MARKER = "ZEBRA-MARKER-7f3a91c2"


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_file_is_not_plain_sqlite(admin_session: Session, installation: Installation) -> None:
    header = installation.db_path.read_bytes()[:16]
    assert header != b"SQLite format 3\x00"
    plain = sqlite3.connect(installation.db_path)
    with pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
    plain.close()


def test_marker_never_appears_in_any_file(
    admin_session: Session, installation: Installation
) -> None:
    with admin_session.db.transaction():
        for i in range(500):
            admin_session.meta.set(f"marker-{i}", f"{MARKER} {i}")
    # While open: database, WAL and shm are all on disk.
    names = {p.name for p in installation.root.iterdir()}
    assert any(n.endswith("-wal") for n in names)
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        assert MARKER.encode(encoding) not in _all_bytes(installation.root)
    admin_session.lock()
    assert MARKER.encode() not in _all_bytes(installation.root)


def test_open_never_creates_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.db"
    with pytest.raises(StoreError):
        Database.open(missing, b"k" * 32)
    assert not missing.exists()


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "x.db"
    target.write_bytes(b"precious")
    with pytest.raises(StoreError):
        Database.create(target, b"k" * 32)
    assert target.read_bytes() == b"precious"


def test_wrong_key_is_reported_and_file_untouched(
    admin_session: Session, installation: Installation
) -> None:
    admin_session.lock()
    before = installation.db_path.read_bytes()
    with pytest.raises(StoreError, match="cannot be read"):
        Database.open(installation.db_path, b"\x01" * 32)
    assert installation.db_path.read_bytes() == before


def test_damaged_file_says_damaged(admin_session: Session, installation: Installation) -> None:
    with admin_session.db.transaction():
        for i in range(2000):
            admin_session.meta.set(f"row-{i}", "x" * 200)
    key = admin_session.database_key
    admin_session.lock()
    data = bytearray(installation.db_path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    installation.db_path.write_bytes(bytes(data))
    db = Database.open(installation.db_path, key)
    try:
        problems = db.integrity_problems()
    except StoreError as exc:
        assert "damaged" in exc.message or "cannot be read" in exc.message
    else:
        assert problems
    finally:
        db.close()


def test_memory_security_is_off_as_decided(admin_session: Session) -> None:
    """cipher_memory_security stays OFF (issue 12's decision; see docs/architecture.md):
    it cost 3.5-7x of the store's speed and wiped only SQLite's own freed pages."""
    assert str(admin_session.db.scalar("PRAGMA cipher_memory_security")) == "0"
