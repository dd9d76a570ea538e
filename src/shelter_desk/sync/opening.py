"""Opening a bundle file (see ``sync.bundle`` for the format), from bytes or from a file read
in chunks, never whole.

:class:`BundleFile` reads the framing and the header, and hashes the whole file in one pass
of 1 MiB reads. :meth:`BundleFile.sender` then finds the sender among the registered partners
and checks the signature; :meth:`BundleFile.open` decrypts, decompresses and decodes in one
stream (age -> zstd -> :class:`~shelter_desk.sync.sections.PlaintextReader`), so memory holds
only a few chunks at a time besides what the bundle legitimately carries. The ciphertext is
hashed again while it is decrypted: a file changed between the two reads is refused before
``open`` returns.

:func:`read_bundle` and :func:`inspect_bundle` are the one-call forms.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import typing
from collections.abc import Callable, Collection, Mapping
from typing import IO, Any

import zstandard

from shelter_desk.domain.errors import BundleError
from shelter_desk.sync import age
from shelter_desk.sync.bundle import (
    DEFAULT_MAX_BUNDLE_BYTES,
    DEFAULT_MAX_PLAINTEXT,
    FORMAT_MAJOR,
    MAGIC,
    MAX_HEADER_BYTES,
    MAX_WINDOW_BYTES,
    SIGNATURE_BYTES,
    BundleHeader,
    SignatureStatus,
    parse_header,
)
from shelter_desk.sync.identity import DeviceIdentity, PartnerCard
from shelter_desk.sync.problems import (
    damaged,
    not_a_bundle,
    not_addressed_here,
    revoked_sender,
    too_large,
    unknown_sender,
    unsupported_version,
)
from shelter_desk.sync.sections import EachTransaction, PlaintextReader

READ_CHUNK = 1 << 20
_PREFIX_BYTES = len(MAGIC) + 1 + 4
_OUTPUT_CHUNK = 1 << 16


@dataclasses.dataclass(frozen=True)
class OpenedBundle:
    header: BundleHeader
    manifest: dict[str, Any]
    transactions: list[dict[str, Any]]  # empty when a callback took each one
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


class BundleFile:
    """A bundle whose framing and header were read and whose bytes were hashed.

    ``source`` is the file's bytes or a binary file open for reading at its start (it must
    stay open until :meth:`open` returns). Raises BundleRejected when it is not a readable
    bundle (not a bundle, unsupported version, damaged framing or header, too large).
    """

    def __init__(
        self, source: bytes | IO[bytes], *, max_bundle: int = DEFAULT_MAX_BUNDLE_BYTES
    ) -> None:
        self._file: IO[bytes] = io.BytesIO(source) if isinstance(source, bytes) else source
        self._start = self._file.tell()
        self.size = self._file.seek(0, os.SEEK_END) - self._start
        self._file.seek(self._start)
        first = self._file.read(_PREFIX_BYTES)
        if first[: len(MAGIC)] != MAGIC:
            raise not_a_bundle()
        if len(first) == len(MAGIC):
            raise damaged()
        if first[len(MAGIC)] != FORMAT_MAJOR:
            raise unsupported_version(first[len(MAGIC)])
        if self.size < _PREFIX_BYTES + SIGNATURE_BYTES:
            raise damaged()
        if self.size > max_bundle:
            raise too_large(max_bundle)
        header_length = int.from_bytes(first[len(MAGIC) + 1 :], "big")
        self._header_end = _PREFIX_BYTES + header_length
        if header_length > MAX_HEADER_BYTES or self._header_end + SIGNATURE_BYTES > self.size:
            raise damaged()
        header_bytes = self._file.read(header_length)
        self.header = parse_header(header_bytes, first[len(MAGIC)])
        if self.size - self._header_end - SIGNATURE_BYTES != self.header.payload_length:
            raise damaged()
        self._signed_prefix = first + header_bytes
        whole = hashlib.sha256(self._signed_prefix)
        payload = hashlib.sha256()
        left = self.header.payload_length
        while left:
            chunk = self._file.read(min(READ_CHUNK, left))
            if not chunk:
                raise damaged()  # the file got shorter while it was read
            whole.update(chunk)
            payload.update(chunk)
            left -= len(chunk)
        self._signature = self._file.read(SIGNATURE_BYTES)
        whole.update(self._signature)
        self._payload_digest = payload.digest()
        self.bundle_hash = whole.hexdigest()

    def signature_valid(self, sender: PartnerCard) -> bool:
        if self._payload_digest.hex() != self.header.payload_sha256:
            return False
        return sender.verify(self._signed_prefix + self._payload_digest, self._signature)

    def sender(
        self, trusted: Mapping[str, PartnerCard], revoked: Collection[str] = frozenset()
    ) -> PartnerCard:
        """The registered sender whose valid signature the bundle bears."""
        card = _registered_sender(self.header.sender_key_id, trusted, revoked)
        if card is None:
            raise unknown_sender(self.header.sender_key_id)
        if not self.signature_valid(card):
            raise damaged()
        return card

    def open(
        self,
        me: DeviceIdentity,
        sender: PartnerCard,
        *,
        max_plaintext: int = DEFAULT_MAX_PLAINTEXT,
        each_transaction: EachTransaction | None = None,
        on_read: Callable[[int, int], None] | None = None,
    ) -> OpenedBundle:
        """Decrypt and decode a bundle whose ``sender`` was checked (:meth:`sender`).
        ``on_read(done, total)`` follows the encrypted bytes read (for a progress bar)."""
        header = self.header
        if me.key_id not in header.recipient_key_ids:
            raise not_addressed_here()
        reader = PlaintextReader(
            {
                "bundle_id": header.bundle_id,
                "sender_key_id": header.sender_key_id,
                "seq": header.seq,
                "schema_version": header.schema_version,
            },
            max_plaintext,
            each_transaction,
        )
        self._file.seek(self._start + self._header_end)
        ciphertext = _Ciphertext(self._file, header.payload_length, on_read)
        sink = _Sink(reader)
        decompressor = zstandard.ZstdDecompressor(max_window_size=MAX_WINDOW_BYTES)
        inflater = decompressor.stream_writer(
            typing.cast(IO[bytes], sink), write_size=_OUTPUT_CHUNK, closefd=False
        )
        plain = _Sink(inflater)
        try:
            me.decrypt_stream(ciphertext, plain)
            inflater.flush()
        except BundleError:
            raise
        except (age.AgeError, zstandard.ZstdError, ValueError):
            raise sink.failure or plain.failure or damaged() from None
        if ciphertext.digest() != self._payload_digest:
            raise damaged()
        reader.finish()
        return OpenedBundle(
            header=header,
            manifest=reader.manifest,
            transactions=reader.transactions,
            attachments=reader.attachments,
            sender=sender,
            bundle_hash=self.bundle_hash,
        )

    def inspection(
        self,
        trusted: Mapping[str, PartnerCard],
        revoked: Collection[str],
        me: DeviceIdentity | None,
    ) -> BundleInspection:
        card = None
        if self.header.sender_key_id in revoked:
            status = SignatureStatus.REVOKED_SENDER
        else:
            card = _registered_sender(self.header.sender_key_id, trusted, revoked)
            if card is None:
                status = SignatureStatus.UNKNOWN_SENDER
            elif self.signature_valid(card):
                status = SignatureStatus.VALID
            else:
                status = SignatureStatus.INVALID
        return BundleInspection(
            header=self.header,
            signature=status,
            sender=card,
            addressed_here=None if me is None else me.key_id in self.header.recipient_key_ids,
            bundle_hash=self.bundle_hash,
            size=self.size,
        )


class _Ciphertext:
    """The ciphertext part of the file, for age: stops before the signature and hashes what
    it hands out."""

    def __init__(
        self, file: IO[bytes], length: int, on_read: Callable[[int, int], None] | None = None
    ) -> None:
        self._file = file
        self._length = self._left = length
        self._hash = hashlib.sha256()
        self._on_read = on_read

    def read(self, size: int = -1) -> bytes:
        if size < 0 or size > self._left:
            size = self._left
        chunk = self._file.read(min(size, READ_CHUNK))
        self._left -= len(chunk)
        self._hash.update(chunk)
        if self._on_read is not None:
            self._on_read(self._length - self._left, self._length)
        return chunk

    def readinto(self, buffer: Any) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def digest(self) -> bytes:
        return self._hash.digest()


class _Sink:
    """Passes writes on; keeps the first refusal (a BundleError: the reader's, or the
    caller's transaction check) raised below it, and repeats it on any later write, since the
    age library may write again after a failed write."""

    def __init__(self, target: Any) -> None:
        self._target = target
        self.failure: BundleError | None = None

    def write(self, data: bytes) -> int:
        if self.failure is not None:
            raise self.failure
        try:
            self._target.write(bytes(data))
        except BundleError as exc:
            self.failure = exc
            raise
        return len(data)

    def flush(self) -> None:
        return None


def _registered_sender(
    key_id: str, trusted: Mapping[str, PartnerCard], revoked: Collection[str]
) -> PartnerCard | None:
    if key_id in revoked:
        raise revoked_sender(key_id)
    card = trusted.get(key_id)
    if card is None or card.key_id != key_id:
        return None
    return card


def read_bundle(
    source: bytes | IO[bytes],
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
    bundle = BundleFile(source, max_bundle=max_bundle)
    sender = bundle.sender(trusted, revoked)
    return bundle.open(me, sender, max_plaintext=max_plaintext)


def inspect_bundle(
    source: bytes | IO[bytes],
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
    bundle = BundleFile(source, max_bundle=max_bundle)
    return bundle.inspection(trusted or {}, revoked, me)
