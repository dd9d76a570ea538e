"""`bundle import` of validly signed bundles from a buggy or compromised partner, in a real
process: each is refused with exit code 1 and one translated line (never a traceback, never
the "unexpected error" line), and the store is unchanged; a refused file is quarantined once."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shelter_desk.domain import rules
from shelter_desk.domain.serialize import ENTITY_TYPES, from_fields
from shelter_desk.security.keyslots import KdfParams
from shelter_desk.services.installation import Installation
from shelter_desk.sync.hlc import Timestamp
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.sync.cli_world import CliWorld, sd

FAST_KDF = KdfParams(time_cost=1, memory_kib=8192, parallelism=1)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> CliWorld:
    return CliWorld(tmp_path_factory.mktemp("import-cli"), kdf=FAST_KDF)


def _digest(root: Path) -> str:
    found = sd(root, "verify")
    assert found.returncode == 0, found.stderr
    match = re.search(r"^digest: (\S+)$", found.stdout, re.M)
    assert match is not None
    return match.group(1)


def _txn(
    world: CliWorld, entity: str, record_id: str, case_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    stamp = Timestamp(int(time.time() * 1000), 0, world.shelter.identity.key_id).encode()
    return {
        "txn_id": str(uuid.uuid4()),
        "hlc": stamp,
        "device": world.shelter.identity.key_id,
        "user_id": world.shelter.user_id,
        "org_id": world.shelter.org_id,
        "case_id": case_id,
        "entity": entity,
        "record_id": record_id,
        "parents": [],
        "fields": fields,
        "deleted": False,
    }


def _bad_transactions(world: CliWorld) -> list[dict[str, Any]]:
    case_id, person_id = str(uuid.uuid4()), str(uuid.uuid4())

    def person(**fields: Any) -> dict[str, Any]:
        return _txn(world, "person", person_id, case_id, {"first_name": "Amal", **fields})

    def case(**fields: Any) -> dict[str, Any]:
        base = {
            "number": "HH-2026-0001",
            "person_id": person_id,
            "owner_id": world.shelter.user_id,
            "status": "Active",
            "opened_on": "2026-11-01",
            "trafficking_status": "Presumed",
            "sharing_level": "Identified",
        }
        return _txn(world, "case", case_id, case_id, {**base, **fields})

    def delivery(**fields: Any) -> dict[str, Any]:
        base = {"case_id": case_id, "service_type": "Medical", "started_on": "2026-11-01"}
        return _txn(world, "service_delivery", str(uuid.uuid4()), case_id, {**base, **fields})

    return [
        {**case(), "entity": {"an": "object"}},  # crashed the CLI before
        delivery(cost={}),  # crashed the CLI before (decimal.InvalidOperation)
        delivery(cost="1e999999999", currency="JOD"),
        person(gender=[1, 2]),
        case(status="NoSuchStatus"),
        case(risk_level={"a": 1}),
        person(estimated_birth_year="1" * 100_000),
        person(**{"\u202enote\u202c": "x"}),
        person(first_name="A" * 5_000),
    ]


@pytest.mark.parametrize("index", range(9))
def test_a_malformed_bundle_from_a_trusted_partner_is_refused_cleanly(
    world: CliWorld, tmp_path: Path, index: int
) -> None:
    bad = _bad_transactions(world)[index]
    bundle = tmp_path / "bad.shbundle"
    bundle.write_bytes(world.crafted([bad]))
    before = _digest(world.coord.root)
    refused = sd(world.coord.root, "bundle", "import", str(bundle))
    assert refused.returncode == 1
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1, refused.stderr
    assert "Traceback" not in refused.stderr and "unexpected error" not in refused.stderr
    assert "Nothing was imported" in lines[0]
    assert _digest(world.coord.root) == before


def test_a_file_refused_again_is_quarantined_once(world: CliWorld, tmp_path: Path) -> None:
    junk = tmp_path / "junk.shbundle"
    junk.write_bytes(b"SHBNDL\x01 this is not a real bundle")
    for _ in range(3):
        assert sd(world.coord.root, "bundle", "import", str(junk)).returncode == 1
    installation = Installation(world.coord.root)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    try:
        digest = hashlib.sha256(junk.read_bytes()).hexdigest()
        sql = "SELECT count(*) FROM sync_quarantine WHERE bundle_hash = ?"
        rows = session.db.scalar(sql, (digest,))
        events = session.audit_log.events(after=0, limit=1_000_000)
        refusals = [e for e in events if e.action == "import_refused"]
    finally:
        session.lock()
        installation.release()
    assert rows == 1
    assert len(refusals) >= 3


_ODD_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["NoSuchStatus", "High", "2099-12-31", "1e999", "x" * 300, "\u202e"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=5,
)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_crafted_bundles_through_the_cli_are_refused_cleanly_or_obey_the_rules(
    world: CliWorld, tmp_path: Path, data: st.DataObject
) -> None:
    valid = _bad_transactions(world)[4]  # a whole case record ...
    valid["fields"]["status"] = "Active"  # ... made valid again
    name = data.draw(st.sampled_from([*sorted(valid["fields"]), "risk_level", "closed_on"]))
    valid["fields"][name] = data.draw(_ODD_VALUES)
    bundle = tmp_path / "crafted.shbundle"
    bundle.write_bytes(world.crafted([valid]))
    before = _digest(world.coord.root)
    done = sd(world.coord.root, "bundle", "import", str(bundle))
    if done.returncode:
        assert done.returncode == 1
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "Traceback" not in done.stderr and "unexpected error" not in done.stderr
        assert _digest(world.coord.root) == before
        return
    installation = Installation(world.coord.root)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    try:
        record = session.records.get(valid["record_id"])
        assert record is not None
        case: Any = from_fields(ENTITY_TYPES["case"], {**record.data, "id": record.id})
        assert rules.validate(case, dt.date.today() + dt.timedelta(days=1)) == {}
    finally:
        session.lock()
        installation.release()
