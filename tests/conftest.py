"""Shared fixtures: real installations in temporary folders, Qt offscreen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

import pytest

from shelter_desk.i18n import set_date_style, set_language
from shelter_desk.i18n.date_style import DateStyle
from shelter_desk.security import keyslots
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session

# Argon2id at a tenth of its cost for the installations tests make in this process (each
# slot keeps its own parameters, so unlocking needs nothing more); the application's own
# default is checked in tests/unit/test_kdf_default.py, and commands started as processes
# use it.
keyslots.DEFAULT_KDF = keyslots.KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)

ADMIN = "amira"
ADMIN_PASSPHRASE = "olive lantern harbour seventeen"
ORG = "Hope House"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """English, with dates as CLDR's English writes them (a signed-in window sets the
    organisation's date style for the whole process)."""
    set_language("en")
    set_date_style(DateStyle())
    yield
    set_language("en")
    set_date_style(DateStyle())


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def installation(data_dir: Path) -> Iterator[Installation]:
    inst = Installation(data_dir)
    yield inst
    inst.release()


@pytest.fixture
def admin_session(installation: Installation) -> Iterator[Session]:
    session, _recovery = installation.create(
        org_name=ORG, admin=ADMIN, passphrase=ADMIN_PASSPHRASE, country="IL"
    )
    yield session
    session.lock()
