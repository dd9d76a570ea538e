"""Bundles that must change nothing: forged, misdirected, revoked, damaged, overreaching,
malformed, and a process killed in the middle of an import."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shelter_desk.domain.errors import BundleError
from shelter_desk.services import cases, exchange
from shelter_desk.services.verify import verify
from shelter_desk.store import migrations
from shelter_desk.sync.bundle import MAGIC, SIGNATURE_BYTES, write_bundle
from shelter_desk.sync.canonical import canonical_json, parse_canonical_object
from shelter_desk.sync.identity import PartnerCard
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.services.case_helpers import TODAY, consent, intake, person
from tests.sync.sync_parties import Party

MakeParty = Callable[..., Party]


class World:
    """Shelter A and shelter X both trusted by coordinator C, which already holds A's data."""

    def __init__(self, make_party: MakeParty) -> None:
        self.a = make_party("a", "Shelter A")
        self.x = make_party("x", "Shelter X")
        self.c = make_party("c", "National Coordinator", "coordinator")
        self.a.trust(self.c)
        self.x.trust(self.c)
        self.case = cases.open_case(
            self.a.session, person(), intake(), consent(sharing_level="Identified"), today=TODAY
        )
        self.c.receive(self.a.send(self.c))
        cases.update_case(self.a.session, _with_risk(self.case.case, "High"), today=TODAY)
        self.fresh = self.a.send(self.c)  # a valid bundle C has not imported yet


def _with_risk(case: Any, level: str) -> Any:
    return replace(case, risk_level=level)


@pytest.fixture
def world(make_party: MakeParty) -> World:
    return World(make_party)


def _refused(party: Party, data: bytes, reason: str | None = None) -> BundleError:
    """Import ``data`` expecting a refusal; nothing may change but the quarantine entry of
    this file (one per file, however often it is refused)."""
    digest, count = party.digest(), party.change_count()
    data_hash = hashlib.sha256(data).hexdigest()
    known = {e.bundle_hash for e in exchange.quarantined_bundles(party.session)}
    with pytest.raises(BundleError) as info:
        party.receive(data)
    assert party.digest() == digest
    assert party.change_count() == count
    entries = exchange.quarantined_bundles(party.session)
    assert len(entries) == len(known) + (data_hash not in known)
    [entry] = [e for e in entries if e.bundle_hash == data_hash]
    if reason is not None:
        assert entry.reason == reason
    assert info.value.message
    return info.value


def _parts(data: bytes) -> tuple[dict[str, Any], bytes]:
    length = int.from_bytes(data[len(MAGIC) + 1 : len(MAGIC) + 5], "big")
    header = parse_canonical_object(data[len(MAGIC) + 5 : len(MAGIC) + 5 + length])
    return header, data[len(MAGIC) + 5 + length : len(data) - SIGNATURE_BYTES]


def _reseal(data: bytes, signer: Party, **changes: Any) -> bytes:
    header, ciphertext = _parts(data)
    header.update(changes)
    body = canonical_json(header)
    prefix = MAGIC + data[len(MAGIC) : len(MAGIC) + 1] + len(body).to_bytes(4, "big") + body
    digest = hashlib.sha256(ciphertext).digest()
    return prefix + ciphertext + signer.session.device_identity.sign(prefix + digest)


def _crafted(sender: Party, recipient: Party, transactions: list[dict[str, Any]]) -> bytes:
    """A bundle built by a trusted partner's own keys, around chosen transactions."""
    card = PartnerCard.from_bytes(recipient.card_bytes())
    manifest = {
        "format": exchange.MANIFEST_FORMAT,
        "version": exchange.MANIFEST_VERSION,
        "org_id": sender.org_id,
        "role": "shelter",
        "acknowledgements": [],
    }
    return write_bundle(
        sender.session.device_identity,
        card,
        manifest,
        transactions,
        seq=1,
        previous_hash="",
        schema_version=migrations.LATEST,
    )


def _txn(sender: Party, **fields: Any) -> dict[str, Any]:
    stamp = sender.session.clock.tick().encode()
    base: dict[str, Any] = {
        "txn_id": str(uuid.uuid4()),
        "hlc": stamp,
        "device": sender.key_id,
        "user_id": sender.session.user.id,
        "org_id": sender.org_id,
        "case_id": "",
        "entity": "organisation",
        "record_id": str(uuid.uuid4()),
        "parents": [],
        "fields": {"name": "Partner office"},
        "deleted": False,
    }
    base.update(fields)
    return base


# -- who sent it, to whom ------------------------------------------------------------


def test_unknown_sender_is_refused(world: World, make_party: MakeParty) -> None:
    stranger = make_party("u", "Unknown Shelter")
    card = exchange.my_card(world.c.session)
    exchange.add_partner(stranger.session, card.to_bytes(), card.fingerprint)  # one-sided
    cases.open_case(stranger.session, person(), intake(), consent(), today=TODAY)
    _refused(world.c, stranger.send(world.c), "unknown_sender")


def test_revoked_sender_is_refused(world: World) -> None:
    data = world.x.send(world.c)
    exchange.revoke_partner(world.c.session, world.x.key_id)
    error = _refused(world.c, data, "revoked_sender")
    assert "withdrawn" in error.message


def test_bundle_resigned_by_another_trusted_partner(world: World) -> None:
    forged = _reseal(world.fresh, world.x, sender_key_id=world.x.key_id)
    _refused(world.c, forged, "inconsistent")
    same_sender = _reseal(world.fresh, world.x)  # X's signature on A's header
    _refused(world.c, same_sender, "damaged")


def test_bundle_for_another_recipient(world: World) -> None:
    world.a.trust(world.x)
    cases.open_case(world.a.session, person(), intake(), consent(), today=TODAY)
    _refused(world.c, world.a.send(world.x), "not_addressed_here")


def test_not_a_bundle_and_unknown_version(world: World) -> None:
    _refused(world.c, b"%PDF-1.7 not a bundle", "not_a_bundle")
    newer = MAGIC + bytes([9]) + world.fresh[len(MAGIC) + 1 :]
    _refused(world.c, newer, "unsupported_version")


# -- damage --------------------------------------------------------------------------


def test_truncations_and_bit_flips_change_nothing(world: World) -> None:
    data = world.fresh
    for cut in (0, 3, 7, 11, 60, len(data) // 2, len(data) - SIGNATURE_BYTES, len(data) - 1):
        _refused(world.c, data[:cut])
    for position in (6, 20, 90, len(data) // 3, len(data) // 2, len(data) - 70, len(data) - 1):
        flipped = bytearray(data)
        flipped[position] ^= 0x10
        _refused(world.c, bytes(flipped))
    assert world.c.receive(data).applied  # the intact bundle still imports


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(position=st.integers(min_value=0), xor=st.integers(min_value=1, max_value=255))
def test_fuzzed_bundles_are_refused_without_a_write(world: World, position: int, xor: int) -> None:
    data = bytearray(world.fresh)
    data[position % len(data)] ^= xor
    _refused(world.c, bytes(data))


# -- what the sender may write -------------------------------------------------------


def test_a_shelter_cannot_write_another_organisations_records(world: World) -> None:
    case_id = world.case.case.id
    overreach = _txn(
        world.x,
        org_id=world.a.org_id,
        case_id=case_id,
        entity="case",
        record_id=case_id,
        fields={"risk_level": "Low"},
    )
    _refused(world.c, _crafted(world.x, world.c, [overreach]), "not_permitted")
    hijack = _txn(world.x, case_id=case_id, entity="case", record_id=case_id)
    _refused(world.c, _crafted(world.x, world.c, [hijack]), "invalid_transaction")
    relayed = _txn(world.x, device=world.a.key_id, hlc=world.a.session.clock.tick().encode())
    _refused(world.c, _crafted(world.x, world.c, [relayed]), "not_permitted")


@pytest.mark.parametrize(
    "broken",
    [
        {"entity": "nonsense"},
        {"txn_id": "not-a-uuid"},
        {"hlc": "yesterday"},
        {"fields": ["name"]},
        {"deleted": 0},
        {"parents": ["x"]},
        {"user_id": "a b"},
        {"fields": {"name": "Office", "languages": 7}},
        {"extra": 1},
    ],
)
def test_malformed_transactions_are_refused(world: World, broken: dict[str, Any]) -> None:
    good = _txn(world.x)
    bad = {**good, "txn_id": str(uuid.uuid4()), **broken}
    _refused(world.c, _crafted(world.x, world.c, [good, bad]))


def test_a_field_that_does_not_decode_rolls_everything_back(world: World) -> None:
    case_id, person_id = str(uuid.uuid4()), str(uuid.uuid4())
    valid_case = _txn(
        world.x,
        case_id=case_id,
        entity="case",
        record_id=case_id,
        fields={"number": "SX-2026-0001", "status": "Active"},
    )
    bad_person = _txn(
        world.x,
        case_id=case_id,
        entity="person",
        record_id=person_id,
        fields={"first_name": "Test", "birth_date": "the ninth of April"},
    )
    _refused(world.c, _crafted(world.x, world.c, [valid_case, bad_person]), "invalid_transaction")
    assert world.c.session.records.get(case_id) is None


# -- a killed process ----------------------------------------------------------------

CASES_IN_BIG_BUNDLE = 800


def _importer(root: Path, bundle: Path) -> str:
    return textwrap.dedent(
        f"""
        from pathlib import Path
        from shelter_desk.services import exchange
        from shelter_desk.services.installation import Installation
        session = Installation(Path({str(root)!r})).unlock({ADMIN!r}, {ADMIN_PASSPHRASE!r})
        data = Path({str(bundle)!r}).read_bytes()

        said = []

        def progress(done, total):
            # Thousandths of the whole import; reading the file is the first 45 %.
            if done >= 450 and not said:
                said.append(True)
                print("APPLYING", flush=True)

        exchange.import_bundle(session, data, progress=progress)
        print("COMMITTED", flush=True)
        """
    )


def test_sigkill_during_import_leaves_none_or_all(make_party: MakeParty, tmp_path: Path) -> None:
    a = make_party("a", "Shelter A")
    c = make_party("c", "National Coordinator", "coordinator")
    a.trust(c)
    with a.session.db.transaction():
        for i in range(CASES_IN_BIG_BUNDLE):
            cases.open_case(
                a.session,
                person(first=f"Name{i}", latin=f"Name{i}"),
                intake(),
                consent(sharing_level="Identified"),
                today=TODAY,
            )
    bundle = tmp_path / "big.shbundle"  # encrypted: safe to keep on disk
    bundle.write_bytes(a.send(c))
    total = a.change_count()
    a_key = a.key_id
    c.close()

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen(
        [sys.executable, "-c", _importer(c.installation.root, bundle)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "APPLYING"
    time.sleep(0.3)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=60)

    c.session = c.installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    report = verify(c.session)
    assert report.ok, report.problems

    def from_a() -> int:
        sql = "SELECT count(*) FROM changes WHERE device = ?"
        return int(c.session.db.scalar(sql, (a_key,)))

    assert from_a() in (0, total)
    if from_a() == 0:  # killed in time: nothing of it, and it imports cleanly now
        assert exchange.list_partners(c.session)[0].org_id == ""
        assert c.receive(bundle.read_bytes()).applied
    assert from_a() == total
    assert exchange.cases_by_organisation(c.session) == {a.org_id: CASES_IN_BIG_BUNDLE}
