"""Fixtures for the sync tests: installations that exchange bundles."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.sync.sync_parties import Party


@pytest.fixture
def make_party(tmp_path: Path) -> Iterator[Callable[..., Party]]:
    """``make_party(folder, organisation, role="shelter", country="JO")``; every party made
    is locked and released at the end."""
    made: list[Party] = []

    def make(name: str, org: str, role: str = "shelter", country: str = "JO") -> Party:
        party = Party(tmp_path / name, org, role, country)
        made.append(party)
        return party

    yield make
    for party in made:
        party.close()
