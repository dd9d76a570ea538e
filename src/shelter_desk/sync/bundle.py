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
import io
import json
import secrets
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

import zstandard

from shelter_desk.sync import age
from shelter_desk.sync.canonical import (
    canonical_json,
    is_count,
    is_hex,
    parse_canonical_object,
)
from shelter_desk.sync.identity import KEY_ID_LENGTH, DeviceIdentity, PartnerCard
from shelter_desk.sync.problems import (
    damaged,
    too_large,
)
from shelter_desk.sync.sections import SECTION_HEAD_BYTES, section_head

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
_DIGEST_BYTES = 32  # an attachment section starts with its SHA-256
_LINES_PER_WRITE = 1000  # transaction lines handed to the compressor at once

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
    compressed = _compress(
        canonical_json(full_manifest), lines, files, compression_level, max_plaintext
    )
    return _seal(
        sender,
        recipient,
        compressed,
        bundle_id=bundle_id,
        seq=seq,
        previous_hash=previous_hash,
        schema_version=schema_version,
    )


def _compress(
    manifest: bytes, lines: list[bytes], files: Mapping[str, bytes], level: int, max_plaintext: int
) -> bytes:
    """The plaintext's sections (manifest, transactions, attachments, end) compressed as they
    are produced: the plaintext is never held whole beside its encoded lines (a whole
    shelter's bundle holds tens of megabytes of them). The zstd frame records its size, as a
    one-shot compression would."""
    heads = [(b"M", len(manifest)), (b"T", sum(map(len, lines)))]
    heads += [(b"A", _DIGEST_BYTES + len(files[d])) for d in sorted(files)]
    size = sum(SECTION_HEAD_BYTES + length for _kind, length in heads) + SECTION_HEAD_BYTES
    if size > max_plaintext:
        raise too_large(max_plaintext)
    out = io.BytesIO()
    with zstandard.ZstdCompressor(level=level).stream_writer(
        out, size=size, closefd=False
    ) as stream:
        stream.write(section_head(b"M", len(manifest)) + manifest)
        stream.write(section_head(b"T", heads[1][1]))
        for start in range(0, len(lines), _LINES_PER_WRITE):
            stream.write(b"".join(lines[start : start + _LINES_PER_WRITE]))
        for digest in sorted(files):
            stream.write(section_head(b"A", _DIGEST_BYTES + len(files[digest])))
            stream.write(bytes.fromhex(digest))
            stream.write(files[digest])
        stream.write(section_head(b"E", 0))
    return out.getvalue()


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


# Reading the header (the rest of reading is ``sync.opening``) ---------------------


def parse_header(raw: bytes, major: int) -> BundleHeader:
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


def describe_header(header: BundleHeader) -> str:
    """The header as pretty JSON, for ``bundle inspect`` output (contains nothing personal)."""
    return json.dumps(header.to_json_dict(), indent=2, sort_keys=True)
