"""The bundle file, with real keys and real bytes.

Alice (a shelter) sends to Bob (the national coordinator); Carol is another shelter that Bob
trusts. Tests that need a bundle the writer would never produce build it here by hand from
the format description (sections, zstd, age, header, signature), which also checks that the
description in ``shelter_desk.sync.bundle`` is the format.
"""

from __future__ import annotations

import hashlib
import json
import os
import tracemalloc
from collections.abc import Mapping
from typing import Any

import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shelter_desk.domain.errors import BundleError
from shelter_desk.sync import age
from shelter_desk.sync.bundle import (
    MAGIC,
    BundleHeader,
    SignatureStatus,
    describe_header,
    write_bundle,
)
from shelter_desk.sync.canonical import canonical_json
from shelter_desk.sync.identity import DeviceIdentity, PartnerCard
from shelter_desk.sync.opening import inspect_bundle, read_bundle
from shelter_desk.sync.problems import BundleProblem, BundleRejected

PREVIOUS = hashlib.sha256(b"the bundle before").hexdigest()


class Party:
    def __init__(self, name: str, country: str, role: str) -> None:
        self.identity = DeviceIdentity.generate()
        self.card = self.identity.public_card(name, country, role)
        self.key_id = self.card.key_id


@pytest.fixture(scope="module")
def alice() -> Party:
    return Party("Shelter A", "JO", "shelter")


@pytest.fixture(scope="module")
def bob() -> Party:
    return Party("National coordinator", "JO", "coordinator")


@pytest.fixture(scope="module")
def carol() -> Party:
    return Party("Shelter C", "LB", "shelter")


@pytest.fixture(scope="module")
def bob_trusts(alice: Party, carol: Party) -> dict[str, PartnerCard]:
    return {alice.key_id: alice.card, carol.key_id: carol.card}


def transaction(n: int) -> dict[str, Any]:
    return {
        "txn_id": f"0192a3b4-c5d6-7e8f-9012-{n:012x}",
        "device": "a1b2c3d4e5f60718",
        "hlc": f"0192a3b4c5d6-{n % 65536:04x}-a1b2c3d4e5f60718",
        "entity": "case",
        "record_id": f"0192a3b4-0000-7000-8000-{n:012x}",
        "fields": {"risk_level": "high", "note": "زيارة متابعة — визит"},
    }


@pytest.fixture(scope="module")
def small(alice: Party, bob: Party) -> bytes:
    """A small bundle, so that every bit of it can be flipped in a few seconds."""
    return write_bundle(
        alice.identity,
        bob.card,
        {},
        [{"t": 1}],
        seq=1,
        previous_hash="",
        schema_version=1,
    )


# Hand-built bundles --------------------------------------------------------------------


def section(kind: bytes, body: bytes) -> bytes:
    return kind + len(body).to_bytes(8, "big") + body


def manifest_for(
    sender: Party, *, bundle_id: str, seq: int = 1, count: int = 0, **changes: object
) -> dict[str, object]:
    manifest: dict[str, object] = {
        "bundle_id": bundle_id,
        "sender_key_id": sender.key_id,
        "seq": seq,
        "schema_version": 1,
        "transaction_count": count,
        "attachments": [],
    }
    manifest.update(changes)
    return manifest


def plaintext_of(manifest: Mapping[str, object], lines: bytes = b"", tail: bytes = b"") -> bytes:
    return section(b"M", canonical_json(dict(manifest))) + section(b"T", lines) + tail


def seal(
    sender: Party,
    recipient: Party,
    compressed: bytes,
    *,
    bundle_id: str = "ab" * 16,
    major: int = 1,
    **header_changes: object,
) -> bytes:
    ciphertext = age.encrypt(compressed, recipient.card.recipient)
    header: dict[str, object] = {
        "format": "shelter-desk-bundle",
        "format_version": [major, 0],
        "bundle_id": bundle_id,
        "sender_key_id": sender.key_id,
        "recipient_key_ids": [recipient.key_id],
        "seq": 1,
        "previous_hash": "",
        "payload_length": len(ciphertext),
        "payload_sha256": hashlib.sha256(ciphertext).hexdigest(),
        "schema_version": 1,
    }
    header.update(header_changes)
    return assemble(header, ciphertext, sender.identity, major=major)


def assemble(
    header: Mapping[str, object], ciphertext: bytes, signer: DeviceIdentity, *, major: int = 1
) -> bytes:
    header_bytes = canonical_json(dict(header))
    prefix = MAGIC + bytes([major]) + len(header_bytes).to_bytes(4, "big") + header_bytes
    signature = signer.sign(prefix + hashlib.sha256(ciphertext).digest())
    return prefix + ciphertext + signature


def take_apart(data: bytes) -> tuple[dict[str, Any], bytes]:
    length = int.from_bytes(data[7:11], "big")
    return json.loads(data[11 : 11 + length]), data[11 + length : -64]


def rejected(data: bytes, reader: Party, trusted: Mapping[str, PartnerCard]) -> BundleProblem:
    with pytest.raises(BundleRejected) as caught:
        read_bundle(data, reader.identity, trusted)
    assert caught.value.message
    return caught.value.problem


# Round trip ----------------------------------------------------------------------------


def test_round_trip(alice: Party, bob: Party, bob_trusts: dict[str, PartnerCard]) -> None:
    transactions = [transaction(n) for n in range(50)]
    scan = os.urandom(3000)
    digest = hashlib.sha256(scan).hexdigest()
    data = write_bundle(
        alice.identity,
        bob.card,
        {"acknowledged": [PREVIOUS]},
        transactions,
        seq=7,
        previous_hash=PREVIOUS,
        schema_version=3,
        attachments={digest: scan},
    )
    opened = read_bundle(data, bob.identity, bob_trusts)
    assert opened.transactions == transactions
    assert opened.attachments == {digest: scan}
    assert opened.sender == alice.card
    assert opened.bundle_hash == hashlib.sha256(data).hexdigest()
    assert opened.manifest["acknowledged"] == [PREVIOUS]
    assert opened.manifest["transaction_count"] == 50
    assert opened.manifest["attachments"] == [digest]
    header = opened.header
    assert header.sender_key_id == alice.key_id
    assert header.recipient_key_ids == (bob.key_id,)
    assert (header.seq, header.previous_hash, header.schema_version) == (7, PREVIOUS, 3)
    assert opened.manifest["bundle_id"] == header.bundle_id
    assert (header.format_major, header.format_minor) == (1, 0)


def test_empty_bundle_carries_acknowledgements_only(
    alice: Party, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    data = write_bundle(
        alice.identity,
        bob.card,
        {"acknowledged": []},
        [],
        seq=1,
        previous_hash="",
        schema_version=1,
    )
    opened = read_bundle(data, bob.identity, bob_trusts)
    assert opened.transactions == []
    assert opened.attachments == {}


def test_header_names_no_person_shelter_count_or_date(alice: Party, bob: Party) -> None:
    data = write_bundle(
        alice.identity,
        bob.card,
        {"note": "Shelter A"},
        [transaction(n) for n in range(3)],
        seq=2,
        previous_hash=PREVIOUS,
        schema_version=1,
    )
    header, ciphertext = take_apart(data)
    assert set(header) == {
        "format",
        "format_version",
        "bundle_id",
        "sender_key_id",
        "recipient_key_ids",
        "seq",
        "previous_hash",
        "payload_length",
        "payload_sha256",
        "schema_version",
    }
    assert b"Shelter" not in data
    assert b"case" not in data
    assert ciphertext.startswith(b"age-encryption.org/v1\n")
    assert bob.identity.decrypt(ciphertext)[:4] == b"\x28\xb5\x2f\xfd"  # a zstd frame


def test_each_bundle_gets_a_fresh_random_id(alice: Party, bob: Party) -> None:
    ids = {
        take_apart(
            write_bundle(
                alice.identity, bob.card, {}, [], seq=1, previous_hash="", schema_version=1
            )
        )[0]["bundle_id"]
        for _ in range(5)
    }
    assert len(ids) == 5


def test_bundles_chain_by_hash(
    alice: Party, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    first = write_bundle(
        alice.identity, bob.card, {}, [], seq=1, previous_hash="", schema_version=1
    )
    first_hash = read_bundle(first, bob.identity, bob_trusts).bundle_hash
    second = write_bundle(
        alice.identity, bob.card, {}, [], seq=2, previous_hash=first_hash, schema_version=1
    )
    assert read_bundle(second, bob.identity, bob_trusts).header.previous_hash == first_hash


# Damage and tampering ------------------------------------------------------------------


def test_every_single_bit_flip_is_rejected(
    small: bytes, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    assert len(small) < 1200
    problems = set()
    for index in range(len(small)):
        for bit in range(8):
            damaged = bytearray(small)
            damaged[index] ^= 1 << bit
            problems.add(rejected(bytes(damaged), bob, bob_trusts))
    assert BundleProblem.DAMAGED in problems
    assert BundleProblem.NOT_A_BUNDLE in problems
    assert BundleProblem.UNSUPPORTED_VERSION in problems


def test_every_truncation_is_rejected(
    small: bytes, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    for length in range(len(small)):
        rejected(small[:length], bob, bob_trusts)


def test_extra_bytes_are_rejected(
    small: bytes, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    assert rejected(small + b"\x00", bob, bob_trusts) is BundleProblem.DAMAGED
    assert rejected(small + small, bob, bob_trusts) is BundleProblem.DAMAGED


def test_resigned_by_another_trusted_partner_is_rejected(
    small: bytes, carol: Party, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    header, ciphertext = take_apart(small)
    # Carol's signature where Alice's should be.
    forged = assemble(header, ciphertext, carol.identity)
    assert rejected(forged, bob, bob_trusts) is BundleProblem.DAMAGED
    # Carol claims to be the sender and signs properly: the manifest inside still says Alice.
    header["sender_key_id"] = carol.key_id
    claimed = assemble(header, ciphertext, carol.identity)
    assert rejected(claimed, bob, bob_trusts) is BundleProblem.INCONSISTENT


def test_signature_key_is_never_taken_from_the_file(
    small: bytes, carol: Party, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    # A forger who swaps in a card of their own under Alice's key id gets nowhere: the
    # mapping must hold the card registered for that key id.
    header, ciphertext = take_apart(small)
    forged = assemble(header, ciphertext, carol.identity)
    confused = {header["sender_key_id"]: carol.card}
    assert rejected(forged, bob, confused) is BundleProblem.UNKNOWN_SENDER


def test_bundle_for_another_recipient_is_rejected(alice: Party, bob: Party, carol: Party) -> None:
    data = write_bundle(alice.identity, bob.card, {}, [], seq=1, previous_hash="", schema_version=1)
    carol_trusts = {alice.key_id: alice.card}
    assert rejected(data, carol, carol_trusts) is BundleProblem.NOT_ADDRESSED_HERE


def test_header_naming_me_but_encrypted_to_someone_else_is_rejected(
    alice: Party, bob: Party, carol: Party
) -> None:
    compressed = zstandard.ZstdCompressor().compress(b"")
    data = seal(alice, bob, compressed, recipient_key_ids=[carol.key_id])
    assert rejected(data, carol, {alice.key_id: alice.card}) is BundleProblem.DAMAGED


def test_unknown_sender_is_rejected(small: bytes, alice: Party, bob: Party, carol: Party) -> None:
    with pytest.raises(BundleRejected) as caught:
        read_bundle(small, bob.identity, {carol.key_id: carol.card})
    assert caught.value.problem is BundleProblem.UNKNOWN_SENDER
    assert alice.key_id in caught.value.message


def test_revoked_sender_is_rejected(small: bytes, alice: Party, bob: Party, carol: Party) -> None:
    without_alice = {carol.key_id: carol.card}
    assert rejected(small, bob, without_alice) is BundleProblem.UNKNOWN_SENDER
    with pytest.raises(BundleRejected) as caught:
        read_bundle(small, bob.identity, without_alice, revoked={alice.key_id})
    assert caught.value.problem is BundleProblem.REVOKED_SENDER
    # Revocation wins even if the card is still in the mapping by mistake.
    with pytest.raises(BundleRejected) as caught:
        read_bundle(small, bob.identity, {alice.key_id: alice.card}, revoked={alice.key_id})
    assert caught.value.problem is BundleProblem.REVOKED_SENDER


def test_unknown_major_version_is_rejected(
    small: bytes, alice: Party, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    future = bytearray(small)
    future[6] = 2
    with pytest.raises(BundleRejected) as caught:
        read_bundle(bytes(future), bob.identity, bob_trusts)
    assert caught.value.problem is BundleProblem.UNSUPPORTED_VERSION
    assert "2" in caught.value.message
    properly_signed = seal(alice, bob, zstandard.ZstdCompressor().compress(b""), major=2)
    assert rejected(properly_signed, bob, bob_trusts) is BundleProblem.UNSUPPORTED_VERSION


def test_header_version_must_match_the_version_byte(
    alice: Party, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    data = seal(alice, bob, zstandard.ZstdCompressor().compress(b""), format_version=[2, 0])
    assert rejected(data, bob, bob_trusts) is BundleProblem.DAMAGED


def test_newer_minor_version_may_add_header_keys(
    alice: Party, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    bundle_id = "cd" * 16
    body = plaintext_of(manifest_for(alice, bundle_id=bundle_id)) + section(b"E", b"")
    compressed = zstandard.ZstdCompressor().compress(body)
    newer = seal(alice, bob, compressed, bundle_id=bundle_id, format_version=[1, 1], hint="x")
    assert read_bundle(newer, bob.identity, bob_trusts).header.format_minor == 1
    same = seal(alice, bob, compressed, bundle_id=bundle_id, hint="x")
    assert rejected(same, bob, bob_trusts) is BundleProblem.DAMAGED


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"SH",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        b"PK\x03\x04" + bytes(60),
        b"age-encryption.org/v1\n-> X25519 abc\n",
        bytes(range(256)) * 4,
    ],
)
def test_not_a_bundle(data: bytes, bob: Party, bob_trusts: dict[str, PartnerCard]) -> None:
    assert rejected(data, bob, bob_trusts) is BundleProblem.NOT_A_BUNDLE


def test_random_bytes_are_not_a_bundle(bob: Party, bob_trusts: dict[str, PartnerCard]) -> None:
    for _ in range(20):
        noise = os.urandom(500)
        if not noise.startswith(MAGIC):
            assert rejected(noise, bob, bob_trusts) is BundleProblem.NOT_A_BUNDLE


def test_short_files_with_the_magic(bob: Party, bob_trusts: dict[str, PartnerCard]) -> None:
    assert rejected(MAGIC, bob, bob_trusts) is BundleProblem.DAMAGED
    assert rejected(MAGIC + b"\x01", bob, bob_trusts) is BundleProblem.DAMAGED
    assert rejected(MAGIC + b"\x02", bob, bob_trusts) is BundleProblem.UNSUPPORTED_VERSION


def test_header_length_past_the_cap_is_damaged(
    small: bytes, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    huge = small[:7] + (2**32 - 1).to_bytes(4, "big") + small[11:]
    assert rejected(huge, bob, bob_trusts) is BundleProblem.DAMAGED


def test_deeply_nested_header_is_damaged(bob: Party, bob_trusts: dict[str, PartnerCard]) -> None:
    nested = b"[" * 4000 + b"]" * 4000
    data = MAGIC + b"\x01" + len(nested).to_bytes(4, "big") + nested + bytes(64)
    assert rejected(data, bob, bob_trusts) is BundleProblem.DAMAGED


# Size caps -----------------------------------------------------------------------------


def _compressed_stream(head: bytes, filler: bytes, inflated: int) -> bytes:
    """``head`` then ``filler`` repeated up to ``inflated`` bytes, as one small zstd frame."""
    compressor = zstandard.ZstdCompressor(level=1).compressobj()
    parts = [compressor.compress(head)]
    block = filler * (1024 * 1024 // len(filler))
    parts += [compressor.compress(block) for _ in range(inflated // len(block))]
    return b"".join(parts) + compressor.flush()


def _peak_while_refused(data: bytes, bob: Party, bob_trusts: dict[str, PartnerCard]) -> tuple:
    tracemalloc.start()
    try:
        with pytest.raises(BundleRejected) as caught:
            read_bundle(data, bob.identity, bob_trusts, max_plaintext=4 * 1024 * 1024)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return caught.value.problem, peak


def test_decompression_bomb_is_refused_at_its_first_byte(
    alice: Party, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    bomb = _compressed_stream(b"", bytes(1024), 256 * 1024 * 1024)
    assert len(bomb) < 64 * 1024
    problem, peak = _peak_while_refused(seal(alice, bob, bomb), bob, bob_trusts)
    assert problem is BundleProblem.DAMAGED  # a zero byte is no section kind
    assert peak < 16 * 1024 * 1024


def test_a_section_announced_above_the_cap_is_too_large_at_once(
    alice: Party, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    manifest = section(b"M", canonical_json(manifest_for(alice, bundle_id="ab" * 16, count=9)))
    head = manifest + b"T" + (256 * 1024 * 1024).to_bytes(8, "big")
    bomb = _compressed_stream(head, b" ", 256 * 1024 * 1024)
    problem, peak = _peak_while_refused(seal(alice, bob, bomb), bob, bob_trusts)
    assert problem is BundleProblem.TOO_LARGE
    assert peak < 16 * 1024 * 1024


def test_plaintext_above_the_cap_is_too_large_while_it_streams(
    alice: Party, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    """Sections that each fit, and together do not."""
    manifest = section(b"M", canonical_json(manifest_for(alice, bundle_id="ab" * 16, count=0)))
    attachments = b""
    for n in range(1, 4):
        content = bytes([n]) * (1536 * 1024)
        attachments += section(b"A", hashlib.sha256(content).digest() + content)
    data = seal(alice, bob, zstandard.ZstdCompressor().compress(manifest + attachments))
    problem, _peak = _peak_while_refused(data, bob, bob_trusts)
    assert problem in (BundleProblem.TOO_LARGE, BundleProblem.DAMAGED)


def test_bundle_file_above_the_cap_is_too_large(
    small: bytes, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    with pytest.raises(BundleRejected) as caught:
        read_bundle(small, bob.identity, bob_trusts, max_bundle=len(small) - 1)
    assert caught.value.problem is BundleProblem.TOO_LARGE
    assert read_bundle(small, bob.identity, bob_trusts, max_bundle=len(small)).transactions


def test_writer_refuses_a_plaintext_the_reader_would_refuse(alice: Party, bob: Party) -> None:
    with pytest.raises(BundleRejected) as caught:
        write_bundle(
            alice.identity,
            bob.card,
            {},
            [transaction(n) for n in range(100)],
            seq=1,
            previous_hash="",
            schema_version=1,
            max_plaintext=10_000,
        )
    assert caught.value.problem is BundleProblem.TOO_LARGE


def test_window_larger_than_allowed_is_damaged(
    alice: Party, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    bundle_id = "ab" * 16
    body = plaintext_of(manifest_for(alice, bundle_id=bundle_id)) + section(b"E", b"")
    params = zstandard.ZstdCompressionParameters.from_level(3, window_log=27)
    streaming = zstandard.ZstdCompressor(compression_params=params).compressobj()
    wide = streaming.compress(body) + streaming.flush()
    assert zstandard.get_frame_parameters(wide).window_size == 128 * 1024 * 1024
    assert rejected(seal(alice, bob, wide), bob, bob_trusts) is BundleProblem.DAMAGED
    # The same plaintext with an ordinary window opens.
    narrow = zstandard.ZstdCompressor().compress(body)
    assert read_bundle(seal(alice, bob, narrow), bob.identity, bob_trusts).transactions == []


# What is inside ------------------------------------------------------------------------


def sealed_plaintext(alice: Party, bob: Party, plaintext: bytes, **header: Any) -> bytes:
    return seal(alice, bob, zstandard.ZstdCompressor().compress(plaintext), **header)


@pytest.mark.parametrize(
    "change",
    [
        {"bundle_id": "ef" * 16},
        {"seq": 2},
        {"seq": True},
        {"schema_version": 2},
        {"sender_key_id": "0123456789abcdef"},
        {"transaction_count": 1},
        {"attachments": ["00" * 32]},
    ],
)
def test_manifest_that_disagrees_with_the_header_is_rejected(
    alice: Party, bob: Party, bob_trusts: dict[str, PartnerCard], change: dict[str, object]
) -> None:
    manifest = {**manifest_for(alice, bundle_id="ab" * 16), **change}
    data = sealed_plaintext(alice, bob, plaintext_of(manifest) + section(b"E", b""))
    assert rejected(data, bob, bob_trusts) is BundleProblem.INCONSISTENT


def test_manifest_missing_a_required_key_is_rejected(
    alice: Party, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    manifest = manifest_for(alice, bundle_id="ab" * 16)
    del manifest["seq"]
    data = sealed_plaintext(alice, bob, plaintext_of(manifest) + section(b"E", b""))
    assert rejected(data, bob, bob_trusts) is BundleProblem.INCONSISTENT


def test_hand_built_bundle_opens(
    alice: Party, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    content = b"scanned referral letter"
    digest = hashlib.sha256(content).digest()
    manifest = manifest_for(alice, bundle_id="ab" * 16, count=2, attachments=[digest.hex()])
    lines = b'{"n":1}\n{"n":2}\n'
    body = plaintext_of(manifest, lines, section(b"A", digest + content) + section(b"E", b""))
    opened = read_bundle(sealed_plaintext(alice, bob, body), bob.identity, bob_trusts)
    assert opened.transactions == [{"n": 1}, {"n": 2}]
    assert opened.attachments == {digest.hex(): content}


def _attachment(content: bytes) -> bytes:
    return section(b"A", hashlib.sha256(content).digest() + content)


@pytest.mark.parametrize(
    ("lines", "tail"),
    [
        (b"", b""),  # no end section
        (b"", section(b"E", b"x")),  # end section with a body
        (b"", section(b"E", b"") + section(b"E", b"")),  # something after the end
        (b"", section(b"E", b"") + b"\x00"),
        (b'{"n":1}', section(b"E", b"")),  # last line without its newline
        (b"[1]\n", section(b"E", b"")),  # a line that is not an object
        (b"{\n", section(b"E", b"")),
        (b"\xff\n", section(b"E", b"")),
        (b"", section(b"A", b"short") + section(b"E", b"")),
        (b"", section(b"A", bytes(32) + b"content") + section(b"E", b"")),
        (b"", _attachment(b"b") + _attachment(b"b") + section(b"E", b"")),
        (b"", section(b"X", b"") + section(b"E", b"")),
        (b"", section(b"E", b"")[:-1]),
        (b"", b"E" + (2**63).to_bytes(8, "big")),
    ],
)
def test_malformed_inside_is_damaged(
    alice: Party, bob: Party, bob_trusts: dict[str, PartnerCard], lines: bytes, tail: bytes
) -> None:
    manifest = manifest_for(alice, bundle_id="ab" * 16, count=lines.count(b"\n"))
    data = sealed_plaintext(alice, bob, plaintext_of(manifest, lines, tail))
    assert rejected(data, bob, bob_trusts) is BundleProblem.DAMAGED


def test_payload_that_is_not_zstd_is_damaged(
    alice: Party, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    data = seal(alice, bob, b"plain text, not compressed")
    assert rejected(data, bob, bob_trusts) is BundleProblem.DAMAGED


def test_manifest_section_missing_is_damaged(
    alice: Party, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    data = sealed_plaintext(alice, bob, section(b"T", b"") + section(b"E", b""))
    assert rejected(data, bob, bob_trusts) is BundleProblem.DAMAGED


# The writer's arguments ----------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"seq": 0},
        {"seq": True},
        {"previous_hash": "abc"},
        {"previous_hash": PREVIOUS.upper()},
        {"schema_version": 0},
        {"compression_level": 22},
        {"manifest": {"seq": 5}},
        {"attachments": {"00" * 32: b"not matching"}},
    ],
)
def test_writer_rejects_wrong_arguments(alice: Party, bob: Party, kwargs: dict[str, Any]) -> None:
    arguments: dict[str, Any] = {
        "manifest": {},
        "seq": 1,
        "previous_hash": "",
        "schema_version": 1,
    }
    arguments.update(kwargs)
    manifest = arguments.pop("manifest")
    with pytest.raises(ValueError):
        write_bundle(alice.identity, bob.card, manifest, [], **arguments)


def test_writer_refuses_values_json_cannot_hold(alice: Party, bob: Party) -> None:
    with pytest.raises(ValueError):
        write_bundle(
            alice.identity,
            bob.card,
            {},
            [{"x": float("nan")}],
            seq=1,
            previous_hash="",
            schema_version=1,
        )


# Inspecting without decrypting ---------------------------------------------------------


def test_inspect_valid_bundle(
    small: bytes, alice: Party, bob: Party, carol: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    seen = inspect_bundle(small, bob_trusts, me=bob.identity)
    assert seen.signature is SignatureStatus.VALID
    assert seen.sender == alice.card
    assert seen.addressed_here is True
    assert seen.size == len(small)
    assert seen.bundle_hash == hashlib.sha256(small).hexdigest()
    assert isinstance(seen.header, BundleHeader)
    assert inspect_bundle(small, bob_trusts, me=carol.identity).addressed_here is False
    assert inspect_bundle(small, bob_trusts).addressed_here is None
    text = describe_header(seen.header)
    assert json.loads(text)["sender_key_id"] == alice.key_id


def test_inspect_reports_signature_problems(
    small: bytes, alice: Party, carol: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    tampered = bytearray(small)
    tampered[-100] ^= 0x01
    assert inspect_bundle(bytes(tampered), bob_trusts).signature is SignatureStatus.INVALID
    assert inspect_bundle(small, {carol.key_id: carol.card}).signature is (
        SignatureStatus.UNKNOWN_SENDER
    )
    assert inspect_bundle(small).signature is SignatureStatus.UNKNOWN_SENDER
    revoked = inspect_bundle(small, bob_trusts, revoked={alice.key_id})
    assert revoked.signature is SignatureStatus.REVOKED_SENDER
    assert revoked.sender is None


def test_inspect_does_not_decompress(
    alice: Party, bob: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    data = seal(alice, bob, b"garbage that is neither zstd nor a manifest")
    assert inspect_bundle(data, bob_trusts).signature is SignatureStatus.VALID


def test_inspect_rejects_what_is_not_a_bundle(small: bytes) -> None:
    for data, problem in [
        (b"%PDF-1.4", BundleProblem.NOT_A_BUNDLE),
        (small[:-1], BundleProblem.DAMAGED),
        (small[:6] + b"\x09" + small[7:], BundleProblem.UNSUPPORTED_VERSION),
    ]:
        with pytest.raises(BundleRejected) as caught:
            inspect_bundle(data)
        assert caught.value.problem is problem


# Messages ------------------------------------------------------------------------------


def test_every_problem_has_its_own_complete_message(
    small: bytes, alice: Party, bob: Party, carol: Party, bob_trusts: dict[str, PartnerCard]
) -> None:
    future = small[:6] + b"\x07" + small[7:]
    header, ciphertext = take_apart(small)
    header["sender_key_id"] = carol.key_id
    inconsistent = assemble(header, ciphertext, carol.identity)
    cases: dict[BundleProblem, tuple[bytes, Party, Mapping[str, PartnerCard], dict[str, Any]]]
    cases = {
        BundleProblem.NOT_A_BUNDLE: (b"hello", bob, bob_trusts, {}),
        BundleProblem.UNSUPPORTED_VERSION: (future, bob, bob_trusts, {}),
        BundleProblem.DAMAGED: (small[:-1], bob, bob_trusts, {}),
        BundleProblem.UNKNOWN_SENDER: (small, bob, {}, {}),
        BundleProblem.REVOKED_SENDER: (small, bob, {}, {"revoked": {alice.key_id}}),
        BundleProblem.NOT_ADDRESSED_HERE: (small, carol, bob_trusts, {}),
        BundleProblem.TOO_LARGE: (small, bob, bob_trusts, {"max_bundle": 10}),
        BundleProblem.INCONSISTENT: (inconsistent, bob, bob_trusts, {}),
    }
    messages = {}
    for problem, (data, reader, trusted, options) in cases.items():
        with pytest.raises(BundleError) as caught:
            read_bundle(data, reader.identity, trusted, **options)
        assert isinstance(caught.value, BundleRejected)
        assert caught.value.problem is problem
        assert "{" not in caught.value.message
        messages[problem] = caught.value.message
    assert len(set(messages.values())) == len(messages)


# Fuzzing -------------------------------------------------------------------------------


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_only_raise_bundle_error(
    bob: Party, bob_trusts: dict[str, PartnerCard], data: bytes
) -> None:
    for candidate in (data, MAGIC + b"\x01" + data):
        with pytest.raises(BundleError):
            read_bundle(candidate, bob.identity, bob_trusts)
        try:
            seen = inspect_bundle(candidate, bob_trusts)
        except BundleError:
            continue
        assert seen.signature is not SignatureStatus.VALID


mutations = st.lists(
    st.one_of(
        st.tuples(st.just("set"), st.integers(0, 10**6), st.integers(0, 255)),
        st.tuples(st.just("insert"), st.integers(0, 10**6), st.integers(0, 255)),
        st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 64)),
    ),
    min_size=1,
    max_size=5,
)


def mutate(data: bytes, edits: list[tuple[str, int, int]]) -> bytes:
    out = bytearray(data)
    for op, position, value in edits:
        where = position % (len(out) + 1)
        if op == "set" and out:
            out[where % len(out)] = value
        elif op == "insert":
            out[where:where] = bytes([value])
        else:
            del out[where : where + value]
    return bytes(out)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations)
def test_mutated_bundle_only_raises_bundle_error(
    small: bytes, bob: Party, bob_trusts: dict[str, PartnerCard], edits: list[tuple[str, int, int]]
) -> None:
    data = mutate(small, edits)
    if data == small:
        return
    with pytest.raises(BundleError):
        read_bundle(data, bob.identity, bob_trusts)
    try:
        seen = inspect_bundle(data, bob_trusts)
    except BundleError:
        return
    assert seen.signature is not SignatureStatus.VALID


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations, st.booleans())
def test_mutated_contents_from_a_trusted_partner_only_raise_bundle_error(
    alice: Party,
    bob: Party,
    bob_trusts: dict[str, PartnerCard],
    edits: list[tuple[str, int, int]],
    after_compression: bool,
) -> None:
    # Signed and encrypted correctly, so every check inside the encryption is exercised.
    content = b"scan"
    digest = hashlib.sha256(content).digest()
    manifest = manifest_for(alice, bundle_id="ab" * 16, count=2, attachments=[digest.hex()])
    lines = b'{"n":1,"s":"\\u0627"}\n{"n":[2,{"k":null}]}\n'
    body = plaintext_of(manifest, lines, section(b"A", digest + content) + section(b"E", b""))
    if after_compression:
        payload = mutate(zstandard.ZstdCompressor().compress(body), edits)
    else:
        payload = zstandard.ZstdCompressor().compress(mutate(body, edits))
    try:
        opened = read_bundle(seal(alice, bob, payload), bob.identity, bob_trusts)
    except BundleError:
        return
    assert opened.manifest["transaction_count"] == len(opened.transactions)
    assert sorted(opened.attachments) == opened.manifest["attachments"]
