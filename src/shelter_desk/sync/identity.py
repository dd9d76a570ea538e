"""Installation keys and partner cards.

Each installation has an Ed25519 signing key (bundles and its own card are signed with it) and
an X25519 key in age's format (bundles addressed to it are encrypted to it). Both private keys
live only inside the encrypted database, as :meth:`DeviceIdentity.to_private_bytes`.

A :class:`PartnerCard` is the public half: organisation, country, role, both public keys and
the date it was made, as one small canonical-JSON file signed by the card's own signing key.
The self-signature proves the card was made by whoever holds that key and has not been edited
since; it does *not* prove who that is. That is what the fingerprint is for: both sides read it
to each other over the phone before the card is trusted.

Fingerprint: SHA-256 over both public keys, shown two ways that carry the same 99 bits:

* nine words from the BIP39 English list in three groups of three (``fingerprint``);
  BIP39 words were chosen to be told apart by their first four letters, so a misheard word
  can be settled by spelling four letters;
* six groups of five digits (``fingerprint_digits``), for partners without a shared
  reading of English words: everyone can read digits aloud in their own language.

99 bits means forging a card that matches a fingerprint read aloud takes about 2**99 key
generations, far beyond any attacker, while the words stay short enough to read in twenty
seconds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import re
import unicodedata
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from mnemonic import Mnemonic

from shelter_desk.domain.errors import StoreError, ValidationError
from shelter_desk.domain.text import is_forbidden_character
from shelter_desk.i18n import _, countries
from shelter_desk.sync import age
from shelter_desk.sync.canonical import canonical_json, is_hex, parse_canonical_object
from shelter_desk.sync.problems import card_altered, not_a_card

CARD_FORMAT = "shelter-desk-partner-card"
CARD_VERSION = 1
MAX_CARD_BYTES = 4096
MAX_ORGANISATION_LENGTH = 200
KEY_ID_LENGTH = 16  # hex characters (64 bits): an index, never the basis of trust

_CARD_SIGNING_CONTEXT = b"SHCARD\x01"
_KEY_ID_CONTEXT = b"shelter-desk key id v1\x00"
_FINGERPRINT_CONTEXT = b"shelter-desk fingerprint v1\x00"
_PRIVATE_MAGIC = b"SHDKEY\x01"
_SIGNING_KEY_BYTES = 32
_SIGNATURE_BYTES = 64
_PRIVATE_LENGTH = len(_PRIVATE_MAGIC) + _SIGNING_KEY_BYTES + age.SECRET_LENGTH

_FINGERPRINT_WORDS = 9
_FINGERPRINT_WORD_GROUP = 3
_FINGERPRINT_DIGIT_GROUPS = 6

_CARD_FIELDS = frozenset(
    {
        "format",
        "version",
        "organisation",
        "country",
        "role",
        "signing_key",
        "encryption_key",
        "created",
        "signature",
    }
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNTRY = re.compile(r"[A-Z]{2}")


class PartnerRole(enum.StrEnum):
    SHELTER = "shelter"
    COORDINATOR = "coordinator"


def key_id_of(signing_key: bytes) -> str:
    """The short hex id of an Ed25519 public key, used to look a partner up."""
    return hashlib.sha256(_KEY_ID_CONTEXT + signing_key).hexdigest()[:KEY_ID_LENGTH]


def _fingerprint_digest(signing_key: bytes, recipient: str) -> bytes:
    return hashlib.sha256(_FINGERPRINT_CONTEXT + signing_key + recipient.encode("ascii")).digest()


@functools.cache
def _wordlist() -> tuple[str, ...]:
    words = tuple(Mnemonic("english").wordlist)
    assert len(words) == 2048
    return words


def fingerprint_words(signing_key: bytes, recipient: str) -> tuple[str, ...]:
    """Nine BIP39 words (11 bits each) from the start of the fingerprint digest."""
    number = int.from_bytes(_fingerprint_digest(signing_key, recipient), "big")
    words = _wordlist()
    shift = 256 - 11 * _FINGERPRINT_WORDS
    bits = number >> shift
    return tuple(
        words[(bits >> (11 * (_FINGERPRINT_WORDS - 1 - i))) & 0x7FF]
        for i in range(_FINGERPRINT_WORDS)
    )


def fingerprint_digit_groups(signing_key: bytes, recipient: str) -> tuple[str, ...]:
    """Six groups of five digits; each group comes from its own five bytes of the digest."""
    digest = _fingerprint_digest(signing_key, recipient)
    return tuple(
        f"{int.from_bytes(digest[5 * i : 5 * i + 5], 'big') % 100_000:05d}"
        for i in range(_FINGERPRINT_DIGIT_GROUPS)
    )


def _group_words(words: tuple[str, ...]) -> str:
    groups = [
        " ".join(words[i : i + _FINGERPRINT_WORD_GROUP])
        for i in range(0, len(words), _FINGERPRINT_WORD_GROUP)
    ]
    return " - ".join(groups)


@functools.cache
def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in countries("en"))


def organisation_problem(name: str) -> str | None:
    """Why ``name`` cannot be an organisation name on a card (translated), or None."""
    if not name or name != name.strip():
        return _("Enter the organisation's name.")
    if len(name) > MAX_ORGANISATION_LENGTH:
        return _("The organisation's name can have at most {count} characters.").format(
            count=MAX_ORGANISATION_LENGTH
        )
    # Control characters, and bidirectional embeddings, overrides and isolates that could
    # make a card's name display as something else (or reorder the text around it).
    if unicodedata.normalize("NFC", name) != name or any(
        is_forbidden_character(ch, multi_line=False) for ch in name
    ):
        return _("The organisation's name contains characters that are not allowed.")
    return None


@dataclasses.dataclass(frozen=True)
class PartnerCard:
    """The public card of an installation. Build one with :meth:`DeviceIdentity.public_card`
    or :meth:`from_bytes`; both guarantee a valid self-signature."""

    organisation: str
    country: str  # ISO 3166-1 alpha-2, upper case
    role: PartnerRole
    signing_key: bytes  # raw Ed25519 public key, 32 bytes
    recipient: str  # age X25519 recipient, "age1..."
    created: dt.date
    signature: bytes  # Ed25519, 64 bytes, over the card without its signature

    @property
    def key_id(self) -> str:
        return key_id_of(self.signing_key)

    @property
    def fingerprint_words(self) -> tuple[str, ...]:
        return fingerprint_words(self.signing_key, self.recipient)

    @property
    def fingerprint(self) -> str:
        """Nine words in three groups: ``"word word word - word word word - ..."``."""
        return _group_words(self.fingerprint_words)

    @property
    def fingerprint_digits(self) -> str:
        """The same fingerprint as six groups of five digits."""
        return " ".join(fingerprint_digit_groups(self.signing_key, self.recipient))

    def to_bytes(self) -> bytes:
        """The card file: canonical JSON, UTF-8."""
        return canonical_json({**self._signed_fields(), "signature": self.signature.hex()})

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is this card's signing key's signature of ``message``."""
        try:
            Ed25519PublicKey.from_public_bytes(self.signing_key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True

    @classmethod
    def from_bytes(cls, data: bytes) -> PartnerCard:
        """Read and check a card file; raises BundleRejected (a BundleError) if it is not a
        valid card or its self-signature does not match."""
        if len(data) > MAX_CARD_BYTES:
            raise not_a_card()
        try:
            fields = parse_canonical_object(data)
        except ValueError:
            raise not_a_card() from None
        card = _card_from_fields(fields)
        if not card.verify(card.signed_message(), card.signature):
            raise card_altered()
        return card

    def signed_message(self) -> bytes:
        return _CARD_SIGNING_CONTEXT + canonical_json(self._signed_fields())

    def _signed_fields(self) -> dict[str, object]:
        return {
            "format": CARD_FORMAT,
            "version": CARD_VERSION,
            "organisation": self.organisation,
            "country": self.country,
            "role": self.role.value,
            "signing_key": self.signing_key.hex(),
            "encryption_key": self.recipient,
            "created": self.created.isoformat(),
        }


def _card_from_fields(fields: dict[str, Any]) -> PartnerCard:
    if set(fields) != _CARD_FIELDS:
        raise not_a_card()
    if fields["format"] != CARD_FORMAT or fields["version"] != CARD_VERSION:
        raise not_a_card()
    organisation = fields["organisation"]
    country = fields["country"]
    role = fields["role"]
    created = fields["created"]
    if not isinstance(organisation, str) or organisation_problem(organisation) is not None:
        raise not_a_card()
    if not isinstance(country, str) or not _COUNTRY.fullmatch(country):
        raise not_a_card()
    if country not in _country_codes():
        raise not_a_card()
    if role not in {r.value for r in PartnerRole}:
        raise not_a_card()
    if not is_hex(fields["signing_key"], 2 * _SIGNING_KEY_BYTES):
        raise not_a_card()
    if not is_hex(fields["signature"], 2 * _SIGNATURE_BYTES):
        raise not_a_card()
    if not age.is_canonical_recipient(fields["encryption_key"]):
        raise not_a_card()
    if not isinstance(created, str) or not _DATE.fullmatch(created):
        raise not_a_card()
    try:
        created_date = dt.date.fromisoformat(created)
    except ValueError:
        raise not_a_card() from None
    return PartnerCard(
        organisation=organisation,
        country=country,
        role=PartnerRole(role),
        signing_key=bytes.fromhex(fields["signing_key"]),
        recipient=fields["encryption_key"],
        created=created_date,
        signature=bytes.fromhex(fields["signature"]),
    )


class DeviceIdentity:
    """The private keys of this installation. Never leaves the encrypted database."""

    __slots__ = ("_age_secret", "_recipient", "_signing_key")

    def __init__(self, signing_key: Ed25519PrivateKey, age_secret: str) -> None:
        if not age.is_canonical_secret(age_secret):
            raise ValueError("not an age X25519 secret key")
        self._signing_key = signing_key
        self._age_secret = age_secret
        self._recipient = age.recipient_of(age_secret)

    @classmethod
    def generate(cls) -> DeviceIdentity:
        return cls(Ed25519PrivateKey.generate(), age.generate_secret())

    def to_private_bytes(self) -> bytes:
        """Both private keys, 113 bytes: ``SHDKEY`` 0x01, Ed25519 seed, age secret (ASCII).
        Store them only inside the encrypted database."""
        return (
            _PRIVATE_MAGIC
            + self._signing_key.private_bytes_raw()
            + self._age_secret.encode("ascii")
        )

    @classmethod
    def from_private_bytes(cls, data: bytes) -> DeviceIdentity:
        """Rebuild from :meth:`to_private_bytes`; raises StoreError if the bytes are damaged."""
        if len(data) != _PRIVATE_LENGTH or not data.startswith(_PRIVATE_MAGIC):
            raise _damaged_keys()
        seed = data[len(_PRIVATE_MAGIC) : len(_PRIVATE_MAGIC) + _SIGNING_KEY_BYTES]
        try:
            secret = data[len(_PRIVATE_MAGIC) + _SIGNING_KEY_BYTES :].decode("ascii")
        except UnicodeDecodeError:
            raise _damaged_keys() from None
        if not age.is_canonical_secret(secret):
            raise _damaged_keys()
        return cls(Ed25519PrivateKey.from_private_bytes(seed), secret)

    @property
    def signing_key(self) -> bytes:
        """The raw 32-byte Ed25519 public key."""
        return self._signing_key.public_key().public_bytes_raw()

    @property
    def recipient(self) -> str:
        """The age recipient (public X25519 key) that bundles for this installation use."""
        return self._recipient

    @property
    def key_id(self) -> str:
        return key_id_of(self.signing_key)

    @property
    def fingerprint(self) -> str:
        return _group_words(fingerprint_words(self.signing_key, self.recipient))

    @property
    def fingerprint_digits(self) -> str:
        return " ".join(fingerprint_digit_groups(self.signing_key, self.recipient))

    def sign(self, message: bytes) -> bytes:
        return self._signing_key.sign(message)

    def decrypt(self, ciphertext: bytes) -> bytes:
        """Open an age file addressed to this installation; raises age.AgeError."""
        return age.decrypt(ciphertext, self._age_secret)

    def decrypt_stream(self, reader: Any, writer: Any) -> None:
        """Like :meth:`decrypt`, from a reader to a writer a chunk at a time."""
        age.decrypt_stream(reader, writer, self._age_secret)

    def public_card(
        self,
        org_name: str,
        country: str,
        role: PartnerRole | str,
        *,
        created: dt.date | None = None,
    ) -> PartnerCard:
        """This installation's signed card. Raises ValidationError for a bad name, country
        or role (fields ``organisation``, ``country``, ``role``)."""
        organisation = unicodedata.normalize("NFC", org_name.strip())
        country_code = country.strip().upper()
        errors: dict[str, str] = {}
        problem = organisation_problem(organisation)
        if problem is not None:
            errors["organisation"] = problem
        if country_code not in _country_codes():
            errors["country"] = _("Choose the organisation's country.")
        if role not in {r.value for r in PartnerRole}:
            errors["role"] = _("Choose whether this is a shelter or a national coordinator.")
        if errors:
            raise ValidationError(errors)
        unsigned = PartnerCard(
            organisation=organisation,
            country=country_code,
            role=PartnerRole(role),
            signing_key=self.signing_key,
            recipient=self.recipient,
            created=created or dt.date.today(),
            signature=b"",
        )
        return dataclasses.replace(unsigned, signature=self.sign(unsigned.signed_message()))

    def __repr__(self) -> str:
        return f"DeviceIdentity(key_id={self.key_id!r})"


def _damaged_keys() -> StoreError:
    return StoreError(
        _("The keys of this installation are damaged. Restore the database from a backup.")
    )
