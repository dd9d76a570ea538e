"""The sync bundle file: signed, encrypted, compressed transactions for one partner.

File layout (all integers big-endian)::

    offset 0   6 bytes   magic b"SHBNDL"
    offset 6   1 byte    format major version (1)
    offset 7   4 bytes   header length H (at most MAX_HEADER_BYTES)
    offset 11  H bytes   header: canonical JSON (keys sorted, no spaces, UTF-8)
               P bytes   ciphertext: an age v1 file to the recipient's X25519 key
               64 bytes  Ed25519 signature of (bytes 0 .. 11+H) + SHA-256(ciphertext)

Header keys (nothing that names a person or organisation, counts records or tells a date;
the bundle id is random, not time-based)::

    format            "shelter-desk-bundle"
    format_version    [major, minor]; major equals the byte at offset 6
    bundle_id         32 hex digits, random
    sender_key_id     key id of the sender's signing key (16 hex digits)
    recipient_key_ids key ids of the installations it is encrypted to (1..16 of them)
    seq               1, 2, 3... per sender and recipient
    previous_hash     SHA-256 hex of the previous bundle file to this recipient, "" if none
    payload_length    P
    payload_sha256    SHA-256 hex of the ciphertext
    schema_version    the database schema version of the transactions inside

A reader of minor version 0 refuses header keys it does not know; a header with a higher minor
version may add keys, which are then ignored (new minor versions only add optional things).

Plaintext inside the age file: one zstd stream (one or more frames; window at most 8 MiB) of a
sequence of sections, each ``kind`` (1 ASCII byte) + body length (8 bytes) + body, in order:

    M  once     the manifest: canonical JSON object (see below)
    T  once     the transactions, JSON lines: one JSON object and "\\n" per transaction
    A  any      an attachment: its 32-byte SHA-256 then its bytes; ascending by digest
    E  once     the end, empty body; nothing may follow

The manifest is the caller's dictionary plus ``bundle_id``, ``sender_key_id``, ``seq`` and
``schema_version`` (which must equal the header's), ``transaction_count`` and ``attachments``
(the sorted SHA-256 hex digests), which must match the sections.

Opening (:func:`read_bundle`), in this order, each failure a :class:`BundleRejected`:
structure and size caps -> sender's key from the *registered* partner cards -> signature ->
addressed to this installation -> decrypt -> decompress with a hard cap, streaming -> sections
and manifest -> manifest agrees with the header. Replay and ordering (``seq`` and
``previous_hash``) are for the caller to check against what it has already imported.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
from collections.abc import Collection, Iterable, Mapping
from enum import StrEnum
from typing import Any

import zstandard

from shelter_desk.sync import age
from shelter_desk.sync.canonical import (
    canonical_json,
    is_count,
    is_hex,
    parse_canonical_object,
    parse_json_object,
)
from shelter_desk.sync.identity import KEY_ID_LENGTH, DeviceIdentity, PartnerCard
from shelter_desk.sync.problems import (
    damaged,
    inconsistent,
    not_a_bundle,
    not_addressed_here,
    revoked_sender,
    too_large,
    unknown_sender,
    unsupported_version,
)

MAGIC = b"SHBNDL"
FORMAT_NAME = "shelter-desk-bundle"
FORMAT_MAJOR = 1
FORMAT_MINOR = 0
MAX_HEADER_BYTES = 8 * 1024
MAX_RECIPIENTS = 16
SIGNATURE_BYTES = 64
DEFAULT_MAX_BUNDLE_BYTES = 512 * 1024 * 1024
DEFAULT_MAX_PLAINTEXT = 512 * 1024 * 1024
MAX_WINDOW_BYTES = 1 << 23
DEFAULT_COMPRESSION_LEVEL = 3

_PREFIX_BYTES = len(MAGIC) + 1 + 4
_SECTION_HEAD_BYTES = 1 + 8
_READ_CHUNK = 1 << 20
_HEADER_KEYS = frozenset(
    {
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
)
_MANIFEST_KEYS = frozenset(
    {"bundle_id", "sender_key_id", "seq", "schema_version", "transaction_count", "attachments"}
)


@dataclasses.dataclass(frozen=True)
class BundleHeader:
    """The unencrypted, signed label of a bundle."""

    format_major: int
    format_minor: int
    bundle_id: str
    sender_key_id: str
    recipient_key_ids: tuple[str, ...]
    seq: int
    previous_hash: str
    payload_length: int
    payload_sha256: str
    schema_version: int

    def to_json_dict(self) -> dict[str, object]:
        """The header as written in the file."""
        return {
            "format": FORMAT_NAME,
            "format_version": [self.format_major, self.format_minor],
            "bundle_id": self.bundle_id,
            "sender_key_id": self.sender_key_id,
            "recipient_key_ids": list(self.recipient_key_ids),
            "seq": self.seq,
            "previous_hash": self.previous_hash,
            "payload_length": self.payload_length,
            "payload_sha256": self.payload_sha256,
            "schema_version": self.schema_version,
        }


class SignatureStatus(StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    UNKNOWN_SENDER = "unknown_sender"
    REVOKED_SENDER = "revoked_sender"


@dataclasses.dataclass(frozen=True)
class OpenedBundle:
    header: BundleHeader
    manifest: dict[str, Any]
    transactions: list[dict[str, Any]]
    attachments: dict[str, bytes]  # SHA-256 hex -> content
    sender: PartnerCard
    bundle_hash: str  # SHA-256 hex of the whole file: the next bundle's previous_hash


@dataclasses.dataclass(frozen=True)
class BundleInspection:
    header: BundleHeader
    signature: SignatureStatus
    sender: PartnerCard | None  # the registered card, when the sender is registered
    addressed_here: bool | None  # None when no identity was given
    bundle_hash: str
    size: int


@dataclasses.dataclass(frozen=True)
class _Parts:
    header: BundleHeader
    signed_prefix: bytes
    ciphertext: bytes
    signature: bytes


# Writing -------------------------------------------------------------------------------


def write_bundle(
    sender: DeviceIdentity,
    recipient: PartnerCard,
    manifest: Mapping[str, Any],
    transactions: Iterable[Mapping[str, Any]],
    *,
    seq: int,
    previous_hash: str,
    schema_version: int,
    attachments: Mapping[str, bytes] | None = None,
    max_plaintext: int = DEFAULT_MAX_PLAINTEXT,
    compression_level: int = DEFAULT_COMPRESSION_LEVEL,
) -> bytes:
    """A complete bundle file from ``sender`` to ``recipient``.

    ``manifest`` must be JSON-serialisable and must not set the keys the writer adds (see the
    module docstring); ``attachments`` maps SHA-256 hex digests to content. Wrong arguments
    are programming errors (ValueError); a plaintext above ``max_plaintext`` raises
    BundleRejected (too large), since the recipient would refuse it.
    """
    if not is_count(seq, minimum=1):
        raise ValueError("seq must be a positive integer")
    if previous_hash != "" and not is_hex(previous_hash, 64):
        raise ValueError("previous_hash must be '' or a SHA-256 hex digest")
    if not is_count(schema_version, minimum=1):
        raise ValueError("schema_version must be a positive integer")
    if not 1 <= compression_level <= 19:
        raise ValueError("compression_level must be between 1 and 19")
    reserved = _MANIFEST_KEYS.intersection(manifest)
    if reserved:
        raise ValueError(f"manifest keys set by the writer: {sorted(reserved)}")
    files = dict(attachments or {})
    for digest, content in files.items():
        if hashlib.sha256(content).hexdigest() != digest:
            raise ValueError("attachment key is not the SHA-256 of its content")
    bundle_id = secrets.token_hex(16)
    lines = [canonical_json(dict(txn)) + b"\n" for txn in transactions]
    full_manifest = {
        **manifest,
        "bundle_id": bundle_id,
        "sender_key_id": sender.key_id,
        "seq": seq,
        "schema_version": schema_version,
        "transaction_count": len(lines),
        "attachments": sorted(files),
    }
    plaintext = _encode_plaintext(canonical_json(full_manifest), b"".join(lines), files)
    if len(plaintext) > max_plaintext:
        raise too_large(max_plaintext)
    compressed = zstandard.ZstdCompressor(level=compression_level).compress(plaintext)
    return _seal(
        sender,
        recipient,
        compressed,
        bundle_id=bundle_id,
        seq=seq,
        previous_hash=previous_hash,
        schema_version=schema_version,
    )


def _encode_plaintext(manifest: bytes, transactions: bytes, files: Mapping[str, bytes]) -> bytes:
    sections = [_section(b"M", manifest), _section(b"T", transactions)]
    sections += [_section(b"A", bytes.fromhex(d) + files[d]) for d in sorted(files)]
    sections.append(_section(b"E", b""))
    return b"".join(sections)


def _section(kind: bytes, body: bytes) -> bytes:
    return kind + len(body).to_bytes(8, "big") + body


def _seal(
    sender: DeviceIdentity,
    recipient: PartnerCard,
    compressed: bytes,
    *,
    bundle_id: str,
    seq: int,
    previous_hash: str,
    schema_version: int,
) -> bytes:
    """Encrypt an already compressed plaintext to ``recipient`` and sign it as ``sender``."""
    ciphertext = age.encrypt(compressed, recipient.recipient)
    digest = hashlib.sha256(ciphertext)
    header = BundleHeader(
        format_major=FORMAT_MAJOR,
        format_minor=FORMAT_MINOR,
        bundle_id=bundle_id,
        sender_key_id=sender.key_id,
        recipient_key_ids=(recipient.key_id,),
        seq=seq,
        previous_hash=previous_hash,
        payload_length=len(ciphertext),
        payload_sha256=digest.hexdigest(),
        schema_version=schema_version,
    )
    header_bytes = canonical_json(header.to_json_dict())
    prefix = MAGIC + bytes([FORMAT_MAJOR]) + len(header_bytes).to_bytes(4, "big") + header_bytes
    signature = sender.sign(prefix + digest.digest())
    return prefix + ciphertext + signature


# Reading -------------------------------------------------------------------------------


def read_bundle(
    data: bytes,
    me: DeviceIdentity,
    trusted: Mapping[str, PartnerCard],
    *,
    revoked: Collection[str] = frozenset(),
    max_plaintext: int = DEFAULT_MAX_PLAINTEXT,
    max_bundle: int = DEFAULT_MAX_BUNDLE_BYTES,
) -> OpenedBundle:
    """Check and open a bundle addressed to ``me``.

    ``trusted`` maps key ids to the confirmed partner cards registered here; the sender's key
    is taken only from there. ``revoked`` holds key ids of withdrawn partners, so their
    bundles get their own message. Raises BundleRejected on every problem; never returns a
    partly checked bundle.
    """
    parts = _split(data, max_bundle)
    header = parts.header
    sender = _registered_sender(header.sender_key_id, trusted, revoked)
    if sender is None:
        raise unknown_sender(header.sender_key_id)
    if not _signature_valid(parts, sender):
        raise damaged()
    if me.key_id not in header.recipient_key_ids:
        raise not_addressed_here()
    try:
        compressed = me.decrypt(parts.ciphertext)
    except age.AgeError:
        raise damaged() from None
    plaintext = _decompress(compressed, max_plaintext)
    manifest, transactions, attachments = _decode_plaintext(plaintext)
    _check_manifest(manifest, header, len(transactions), attachments)
    return OpenedBundle(
        header=header,
        manifest=manifest,
        transactions=transactions,
        attachments=attachments,
        sender=sender,
        bundle_hash=hashlib.sha256(data).hexdigest(),
    )


def inspect_bundle(
    data: bytes,
    trusted: Mapping[str, PartnerCard] | None = None,
    *,
    revoked: Collection[str] = frozenset(),
    me: DeviceIdentity | None = None,
    max_bundle: int = DEFAULT_MAX_BUNDLE_BYTES,
) -> BundleInspection:
    """Read the header and check the signature, without decrypting anything.

    Raises BundleRejected only when the file is not a readable bundle at all (not a bundle,
    unsupported version, damaged structure, too large); a bad signature or unknown sender is
    reported in ``signature``.
    """
    parts = _split(data, max_bundle)
    header = parts.header
    sender = None
    if header.sender_key_id in revoked:
        status = SignatureStatus.REVOKED_SENDER
    else:
        sender = _registered_sender(header.sender_key_id, trusted or {}, revoked)
        if sender is None:
            status = SignatureStatus.UNKNOWN_SENDER
        elif _signature_valid(parts, sender):
            status = SignatureStatus.VALID
        else:
            status = SignatureStatus.INVALID
    return BundleInspection(
        header=header,
        signature=status,
        sender=sender,
        addressed_here=None if me is None else me.key_id in header.recipient_key_ids,
        bundle_hash=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )


def _split(data: bytes, max_bundle: int) -> _Parts:
    """Check the framing and header; nothing here trusts the sender yet."""
    if data[: len(MAGIC)] != MAGIC:
        raise not_a_bundle()
    if len(data) <= len(MAGIC):
        raise damaged()
    major = data[len(MAGIC)]
    if major != FORMAT_MAJOR:
        raise unsupported_version(major)
    if len(data) < _PREFIX_BYTES + SIGNATURE_BYTES:
        raise damaged()
    if len(data) > max_bundle:
        raise too_large(max_bundle)
    header_length = int.from_bytes(data[len(MAGIC) + 1 : _PREFIX_BYTES], "big")
    header_end = _PREFIX_BYTES + header_length
    if header_length > MAX_HEADER_BYTES or header_end + SIGNATURE_BYTES > len(data):
        raise damaged()
    header = _parse_header(data[_PREFIX_BYTES:header_end], major)
    ciphertext = data[header_end : len(data) - SIGNATURE_BYTES]
    if len(ciphertext) != header.payload_length:
        raise damaged()
    return _Parts(
        header=header,
        signed_prefix=data[:header_end],
        ciphertext=ciphertext,
        signature=data[len(data) - SIGNATURE_BYTES :],
    )


def _parse_header(raw: bytes, major: int) -> BundleHeader:
    try:
        fields = parse_canonical_object(raw)
    except ValueError:
        raise damaged() from None
    version = fields.get("format_version")
    if (
        fields.get("format") != FORMAT_NAME
        or not isinstance(version, list)
        or len(version) != 2
        or not all(is_count(v) for v in version)
        or version[0] != major
    ):
        raise damaged()
    keys = set(fields)
    if not keys >= _HEADER_KEYS or (version[1] <= FORMAT_MINOR and keys != _HEADER_KEYS):
        raise damaged()
    recipients = fields["recipient_key_ids"]
    if (
        not is_hex(fields["bundle_id"], 32)
        or not is_hex(fields["sender_key_id"], KEY_ID_LENGTH)
        or not isinstance(recipients, list)
        or not 1 <= len(recipients) <= MAX_RECIPIENTS
        or not all(is_hex(r, KEY_ID_LENGTH) for r in recipients)
        or not is_count(fields["seq"], minimum=1)
        or not (fields["previous_hash"] == "" or is_hex(fields["previous_hash"], 64))
        or not is_count(fields["payload_length"])
        or not is_hex(fields["payload_sha256"], 64)
        or not is_count(fields["schema_version"], minimum=1)
    ):
        raise damaged()
    return BundleHeader(
        format_major=version[0],
        format_minor=version[1],
        bundle_id=fields["bundle_id"],
        sender_key_id=fields["sender_key_id"],
        recipient_key_ids=tuple(recipients),
        seq=fields["seq"],
        previous_hash=fields["previous_hash"],
        payload_length=fields["payload_length"],
        payload_sha256=fields["payload_sha256"],
        schema_version=fields["schema_version"],
    )


def _registered_sender(
    key_id: str, trusted: Mapping[str, PartnerCard], revoked: Collection[str]
) -> PartnerCard | None:
    if key_id in revoked:
        raise revoked_sender(key_id)
    card = trusted.get(key_id)
    if card is None or card.key_id != key_id:
        return None
    return card


def _signature_valid(parts: _Parts, sender: PartnerCard) -> bool:
    digest = hashlib.sha256(parts.ciphertext)
    if digest.hexdigest() != parts.header.payload_sha256:
        return False
    return sender.verify(parts.signed_prefix + digest.digest(), parts.signature)


def _decompress(compressed: bytes, max_plaintext: int) -> bytes:
    """Stream-decompress, stopping as soon as the output passes ``max_plaintext``."""
    decompressor = zstandard.ZstdDecompressor(max_window_size=MAX_WINDOW_BYTES)
    chunks: list[bytes] = []
    total = 0
    try:
        reader = decompressor.stream_reader(compressed, read_across_frames=True)
        while chunk := reader.read(min(_READ_CHUNK, max_plaintext - total + 1)):
            total += len(chunk)
            if total > max_plaintext:
                raise too_large(max_plaintext)
            chunks.append(chunk)
    except zstandard.ZstdError:
        raise damaged() from None
    return b"".join(chunks)


def _decode_plaintext(
    plaintext: bytes,
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, bytes]]:
    view = memoryview(plaintext)
    position = 0
    sections: list[tuple[bytes, memoryview]] = []
    while position < len(view):
        if position + _SECTION_HEAD_BYTES > len(view):
            raise damaged()
        kind = bytes(view[position : position + 1])
        length = int.from_bytes(view[position + 1 : position + _SECTION_HEAD_BYTES], "big")
        start = position + _SECTION_HEAD_BYTES
        if start + length > len(view):
            raise damaged()
        sections.append((kind, view[start : start + length]))
        position = start + length
    kinds = b"".join(kind for kind, _body in sections)
    if len(kinds) < 3 or kinds[:2] != b"MT" or kinds[-1:] != b"E" or len(sections[-1][1]):
        raise damaged()
    if kinds[2:-1] != b"A" * (len(kinds) - 3):
        raise damaged()
    try:
        manifest = parse_canonical_object(bytes(sections[0][1]))
        transactions = _parse_lines(bytes(sections[1][1]))
    except ValueError:
        raise damaged() from None
    attachments: dict[str, bytes] = {}
    previous = b""
    for _kind, body in sections[2:-1]:
        digest = bytes(body[:32])
        if len(digest) < 32 or digest <= previous:
            raise damaged()
        content = bytes(body[32:])
        if hashlib.sha256(content).digest() != digest:
            raise damaged()
        attachments[digest.hex()] = content
        previous = digest
    return manifest, transactions, attachments


def _parse_lines(body: bytes) -> list[dict[str, Any]]:
    if not body:
        return []
    if not body.endswith(b"\n"):
        raise ValueError("transactions do not end with a newline")
    return [parse_json_object(line) for line in body[:-1].split(b"\n")]


def _check_manifest(
    manifest: Mapping[str, Any],
    header: BundleHeader,
    transaction_count: int,
    attachments: Mapping[str, bytes],
) -> None:
    expected = {
        "bundle_id": header.bundle_id,
        "sender_key_id": header.sender_key_id,
        "seq": header.seq,
        "schema_version": header.schema_version,
        "transaction_count": transaction_count,
        "attachments": sorted(attachments),
    }
    for key, value in expected.items():
        found = manifest.get(key)
        if type(found) is not type(value) or found != value:
            raise inconsistent()


def describe_header(header: BundleHeader) -> str:
    """The header as pretty JSON, for ``bundle inspect`` output (contains nothing personal)."""
    return json.dumps(header.to_json_dict(), indent=2, sort_keys=True)
