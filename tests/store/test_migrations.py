"""Every earlier schema version upgrades to the latest, keeping its data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shelter_desk.domain.errors import StoreError
from shelter_desk.services.verify import verify_database
from shelter_desk.store import migrations
from shelter_desk.store.accounts import Meta, Users
from shelter_desk.store.db import Database
from tests.fixtures.make_schema_fixture import FIXTURE_KEY

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EARLIER = range(1, migrations.LATEST)


@pytest.mark.parametrize("version", EARLIER)
def test_fixture_of_every_earlier_version_upgrades(version: int, tmp_path: Path) -> None:
    source = FIXTURES / f"schema_v{version}.db"
    assert source.is_file(), f"commit a fixture for schema {version} (make_schema_fixture.py)"
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    db = Database.open(copy, FIXTURE_KEY)
    try:
        assert db.scalar("PRAGMA user_version") == migrations.LATEST
        assert Users(db).by_name("fixadmin") is not None
        assert Meta(db).get("org_name") == "Fixture Shelter"
        report = verify_database(db)
        assert report.ok, report.problems
    finally:
        db.close()


def test_a_failed_migration_leaves_the_old_version(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    shutil.copy(FIXTURES / "schema_v1.db", path)
    broken = (*migrations.MIGRATIONS[:1], "CREATE TABLE records (x); CREATE TABLE oops (;")
    original = migrations.MIGRATIONS
    migrations.MIGRATIONS = broken
    try:
        with pytest.raises(Exception):  # noqa: B017 - any SQL error
            Database.open(path, FIXTURE_KEY)
    finally:
        migrations.MIGRATIONS = original
    db = Database.open(path, FIXTURE_KEY)  # the real migrations still apply cleanly
    assert db.scalar("PRAGMA user_version") == migrations.LATEST
    db.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    db = Database.create(path, FIXTURE_KEY)
    db.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer"):
        Database.open(path, FIXTURE_KEY)
