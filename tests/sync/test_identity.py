"""Installation keys and partner cards, with real Ed25519 and age keys."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mnemonic import Mnemonic

from shelter_desk.domain.errors import BundleError, StoreError, ValidationError
from shelter_desk.sync import age
from shelter_desk.sync.canonical import canonical_json
from shelter_desk.sync.identity import (
    MAX_CARD_BYTES,
    DeviceIdentity,
    PartnerCard,
    PartnerRole,
)
from shelter_desk.sync.problems import BundleProblem, BundleRejected

# A fixed test identity: Ed25519 seed 00 01 .. 1f and a fixed age key. Its fingerprint must
# never change, or every partner would have to re-confirm every card after an update.
FIXED_AGE_SECRET = "AGE-SECRET-KEY-19PG0ZPZGTL222AZH0YYYXF8DPJHZDRMYZFGKC206UMCR3E5GX56SLYFK7D"
FIXED_PRIVATE = b"SHDKEY\x01" + bytes(range(32)) + FIXED_AGE_SECRET.encode("ascii")


@pytest.fixture(scope="module")
def identity() -> DeviceIdentity:
    return DeviceIdentity.generate()


@pytest.fixture(scope="module")
def card(identity: DeviceIdentity) -> PartnerCard:
    return identity.public_card("Shelter of Hope", "JO", "shelter", created=dt.date(2025, 3, 1))


def card_fields(card: PartnerCard) -> dict[str, object]:
    return json.loads(card.to_bytes())


def signed_card_bytes(identity: DeviceIdentity, fields: dict[str, object]) -> bytes:
    """A card file whose signature is valid for ``fields`` exactly as given."""
    unsigned = {k: v for k, v in fields.items() if k != "signature"}
    signature = identity.sign(b"SHCARD\x01" + canonical_json(unsigned))
    return canonical_json({**unsigned, "signature": signature.hex()})


def test_private_bytes_round_trip_keeps_both_keys(identity: DeviceIdentity) -> None:
    data = identity.to_private_bytes()
    assert len(data) == 113
    again = DeviceIdentity.from_private_bytes(data)
    assert again.key_id == identity.key_id
    assert again.signing_key == identity.signing_key
    assert again.recipient == identity.recipient
    secret = age.encrypt(b"only for this installation", identity.recipient)
    assert again.decrypt(secret) == b"only for this installation"
    message = b"signed by the restored key"
    assert identity.public_card("X", "GE", "shelter").verify(message, again.sign(message))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        FIXED_PRIVATE[:-1],
        FIXED_PRIVATE + b"A",
        b"SHDKEY\x02" + FIXED_PRIVATE[7:],
        FIXED_PRIVATE[:-74] + b"AGE-SECRET-KEY-1" + b"Q" * 58,
        FIXED_PRIVATE[:-74] + b"\xff" * 74,
    ],
)
def test_damaged_private_bytes_raise_store_error(data: bytes) -> None:
    with pytest.raises(StoreError):
        DeviceIdentity.from_private_bytes(data)


def test_repr_shows_no_secret(identity: DeviceIdentity) -> None:
    text = repr(identity)
    assert identity.key_id in text
    assert "AGE-SECRET" not in text


def test_card_round_trip(card: PartnerCard) -> None:
    data = card.to_bytes()
    assert len(data) < 1024
    assert PartnerCard.from_bytes(data) == card
    fields = card_fields(card)
    assert fields["country"] == "JO"
    assert fields["role"] == "shelter"
    assert fields["created"] == "2025-03-01"
    assert str(fields["encryption_key"]).startswith("age1")


def test_card_with_arabic_name_and_lower_case_country(identity: DeviceIdentity) -> None:
    made = identity.public_card("  مأوى الأمل  ", "eg", PartnerRole.COORDINATOR)
    assert made.organisation == "مأوى الأمل"
    assert made.country == "EG"
    assert made.role is PartnerRole.COORDINATOR
    assert made.created == dt.date.today()
    assert PartnerCard.from_bytes(made.to_bytes()) == made


def test_public_card_rejects_bad_input_per_field(identity: DeviceIdentity) -> None:
    with pytest.raises(ValidationError) as caught:
        identity.public_card(" ", "XX", "admin")
    assert set(caught.value.errors) == {"organisation", "country", "role"}
    with pytest.raises(ValidationError) as caught:
        identity.public_card("Shelter \u202eevil", "IL", "shelter")
    assert set(caught.value.errors) == {"organisation"}
    with pytest.raises(ValidationError):
        identity.public_card("x" * 201, "IL", "shelter")


def test_card_edited_after_signing_is_rejected(card: PartnerCard) -> None:
    fields = card_fields(card)
    fields["organisation"] = "Shelter of Despair"
    with pytest.raises(BundleRejected) as caught:
        PartnerCard.from_bytes(canonical_json(fields))
    assert caught.value.problem is BundleProblem.CARD_ALTERED


def test_card_with_swapped_encryption_key_is_rejected(card: PartnerCard) -> None:
    fields = card_fields(card)
    fields["encryption_key"] = DeviceIdentity.generate().recipient
    with pytest.raises(BundleRejected) as caught:
        PartnerCard.from_bytes(canonical_json(fields))
    assert caught.value.problem is BundleProblem.CARD_ALTERED


def test_card_signed_by_someone_else_is_rejected(card: PartnerCard) -> None:
    impostor = DeviceIdentity.generate()
    data = signed_card_bytes(impostor, card_fields(card))
    with pytest.raises(BundleRejected) as caught:
        PartnerCard.from_bytes(data)
    assert caught.value.problem is BundleProblem.CARD_ALTERED


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("country", "XX"),
        ("country", "jo"),
        ("country", 12),
        ("role", "admin"),
        ("organisation", ""),
        ("organisation", " padded"),
        ("organisation", "tab\there"),
        ("organisation", "\u2067isolated\u2069"),
        ("organisation", "e\u0301"),  # not NFC
        ("created", "2025-02-30"),
        ("created", "2025-3-1"),
        ("created", None),
        ("version", 2),
        ("format", "shelter-desk-bundle"),
        ("signing_key", "ab" * 31),
        ("signing_key", "AB" * 32),
        ("encryption_key", "AGE1" + "q" * 58),
        ("encryption_key", "age1" + "q" * 58),
        ("encryption_key", "age1xyz"),
    ],
)
def test_card_with_invalid_field_is_not_a_card(
    identity: DeviceIdentity, card: PartnerCard, field: str, value: object
) -> None:
    fields = card_fields(card)
    fields[field] = value
    with pytest.raises(BundleRejected) as caught:
        PartnerCard.from_bytes(signed_card_bytes(identity, fields))
    assert caught.value.problem is BundleProblem.NOT_A_CARD


def test_card_with_missing_or_extra_field_is_not_a_card(
    identity: DeviceIdentity, card: PartnerCard
) -> None:
    missing = card_fields(card)
    del missing["created"]
    extra = {**card_fields(card), "phone": "+962 6 000 0000"}
    for fields in (missing, extra):
        with pytest.raises(BundleRejected) as caught:
            PartnerCard.from_bytes(signed_card_bytes(identity, fields))
        assert caught.value.problem is BundleProblem.NOT_A_CARD


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00" * 40,
        b"%PDF-1.7\n",
        b"[]",
        b"null",
        b'{"a":1,"a":2}',
        b'{"x":NaN}',
        b"[" * 3000 + b"]" * 3000,
        b" " * (MAX_CARD_BYTES + 1),
    ],
)
def test_garbage_is_not_a_card(data: bytes) -> None:
    with pytest.raises(BundleRejected) as caught:
        PartnerCard.from_bytes(data)
    assert caught.value.problem is BundleProblem.NOT_A_CARD


def test_card_must_be_canonical_json(card: PartnerCard) -> None:
    pretty = json.dumps(card_fields(card), indent=1).encode("utf-8")
    with pytest.raises(BundleRejected):
        PartnerCard.from_bytes(pretty)


def test_key_id_is_short_hex_and_stable(card: PartnerCard, identity: DeviceIdentity) -> None:
    assert len(card.key_id) == 16
    int(card.key_id, 16)
    assert card.key_id == identity.key_id
    assert PartnerCard.from_bytes(card.to_bytes()).key_id == card.key_id


def test_fingerprint_of_fixed_keys_never_changes() -> None:
    fixed = DeviceIdentity.from_private_bytes(FIXED_PRIVATE)
    assert fixed.key_id == "981872d1cd9efc60"
    assert fixed.fingerprint == "peasant eager keep - repeat write hello - crazy stem eager"
    assert fixed.fingerprint_digits == "38971 02422 02450 91232 17986 60336"
    card = fixed.public_card("Coordinator office", "GE", "coordinator")
    assert card.fingerprint == fixed.fingerprint
    assert card.fingerprint_digits == fixed.fingerprint_digits


def test_fingerprint_shape(card: PartnerCard) -> None:
    groups = card.fingerprint.split(" - ")
    assert [len(g.split(" ")) for g in groups] == [3, 3, 3]
    wordlist = set(Mnemonic("english").wordlist)
    assert all(word in wordlist for word in card.fingerprint_words)
    digit_groups = card.fingerprint_digits.split(" ")
    assert len(digit_groups) == 6
    assert all(len(g) == 5 and g.isdigit() for g in digit_groups)


def test_fingerprint_differs_per_key() -> None:
    seen_words = set()
    seen_digits = set()
    for _ in range(20):
        made = DeviceIdentity.generate().public_card("Same name", "MA", "shelter")
        seen_words.add(made.fingerprint)
        seen_digits.add(made.fingerprint_digits)
    assert len(seen_words) == 20
    assert len(seen_digits) == 20


def test_fingerprint_covers_the_encryption_key(identity: DeviceIdentity) -> None:
    same_signing_key = identity.to_private_bytes()[:39]
    other = DeviceIdentity.from_private_bytes(same_signing_key + age.generate_secret().encode())
    assert other.key_id == identity.key_id
    assert other.fingerprint != identity.fingerprint


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_give_a_card_or_a_bundle_error(data: bytes) -> None:
    try:
        card = PartnerCard.from_bytes(data)
    except BundleError:
        return
    assert card.to_bytes() == data


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=10_000), st.integers(0, 255)),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_card_is_rejected_with_bundle_error(
    card: PartnerCard, edits: list[tuple[int, int]]
) -> None:
    data = bytearray(card.to_bytes())
    for position, value in edits:
        data[position % len(data)] = value
    if bytes(data) == card.to_bytes():
        return
    with pytest.raises(BundleError):
        PartnerCard.from_bytes(bytes(data))
