"""The plaintext inside a bundle, decoded as it streams out of the decompressor.

The plaintext is a sequence of sections (see ``sync.bundle``): ``M`` manifest, ``T``
transactions as JSON lines, any ``A`` attachments in ascending digest order, ``E`` end.
:class:`PlaintextReader` takes it in chunks of any size and checks every section as soon as
its 9-byte head arrives, so a bundle that is wrong anywhere is refused at the first wrong byte:
the work and memory spent on it grow with the bytes read up to that point and never with what
a section head merely announces. Nothing of the plaintext is kept except the parsed manifest,
the transactions (or nothing, when a callback takes each one) and the attachments.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from shelter_desk.sync.canonical import is_count, is_hex, parse_canonical_object, parse_json_object
from shelter_desk.sync.problems import damaged, inconsistent, too_large

SECTION_HEAD_BYTES = 1 + 8
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
# One transaction line: far above any record the rules allow (notes of 10,000 characters).
MAX_TRANSACTION_BYTES = 4 * 1024 * 1024
_DIGEST_BYTES = 32
_BODY_KINDS = b"MTAE"

EachTransaction = Callable[[dict[str, Any]], None]


def section_head(kind: bytes, length: int) -> bytes:
    """The head of a section whose body of ``length`` bytes follows."""
    return kind + length.to_bytes(8, "big")


class PlaintextReader:
    """A push decoder: ``write`` chunks as they come, then ``finish``.

    ``expected`` holds what the manifest must repeat from the signed header (``bundle_id``,
    ``sender_key_id``, ``seq``, ``schema_version``). ``each_transaction``, when given, gets
    every transaction as soon as its line is read (it may raise to stop the reading);
    otherwise they are collected in ``transactions``. Every problem is a BundleRejected.
    """

    def __init__(
        self,
        expected: Mapping[str, object],
        max_plaintext: int,
        each_transaction: EachTransaction | None = None,
    ) -> None:
        self._expected = dict(expected)
        self._max_plaintext = max_plaintext
        self._each = each_transaction
        self._total = 0
        self._pending = bytearray()  # a section head or a line not complete yet
        self._kind = b""  # the section being read, b"" between sections
        self._remaining = 0  # bytes of its body still to come
        self._seen = b""  # kinds of the sections so far
        self._declared_count = 0
        self._count = 0
        self._body = bytearray()  # manifest or attachment body
        self._digest = b""  # the attachment's announced digest
        self._attachment_hash = hashlib.sha256()
        self._previous_digest = b""
        self.manifest: dict[str, Any] = {}
        self.transactions: list[dict[str, Any]] = []
        self.attachments: dict[str, bytes] = {}

    # -- feeding ----------------------------------------------------------------------
    def write(self, chunk: bytes) -> int:
        self._total += len(chunk)
        if self._total > self._max_plaintext:
            raise too_large(self._max_plaintext)
        view = memoryview(chunk)
        while view:
            view = self._body_part(view) if self._kind else self._head_part(view)
        return len(chunk)

    def finish(self) -> None:
        """Check that the plaintext ended right after the end section and agrees with the
        manifest's counts."""
        if self._seen[-1:] != b"E" or self._kind or self._pending:
            raise damaged()
        if self._count != self._declared_count:
            raise inconsistent()
        if self.manifest.get("attachments") != sorted(self.attachments):
            raise inconsistent()

    # -- section heads ----------------------------------------------------------------
    def _head_part(self, view: memoryview) -> memoryview:
        if self._seen[-1:] == b"E":
            raise damaged()  # nothing may follow the end
        need = SECTION_HEAD_BYTES - len(self._pending)
        self._pending += view[:need]
        if len(self._pending) < SECTION_HEAD_BYTES:
            return view[len(view) :]
        kind = bytes(self._pending[:1])
        length = int.from_bytes(self._pending[1:], "big")
        self._pending.clear()
        self._start(kind, length)
        return view[need:]

    def _start(self, kind: bytes, length: int) -> None:
        seen = self._seen
        order_ok = (
            (kind == b"M" and seen == b"")
            or (kind == b"T" and seen == b"M")
            or (kind in (b"A", b"E") and seen[:2] == b"MT")
        )
        if kind not in _BODY_KINDS or not order_ok:
            raise damaged()
        if (
            (kind == b"M" and length > MAX_MANIFEST_BYTES)
            or (kind == b"A" and length < _DIGEST_BYTES)
            or (kind == b"E" and length != 0)
        ):
            raise damaged()
        if length > self._max_plaintext - self._total:
            raise too_large(self._max_plaintext)
        self._seen += kind
        self._kind, self._remaining = kind, length
        self._body.clear()
        self._digest = b""
        self._attachment_hash = hashlib.sha256()
        if length == 0:
            self._end_section()

    # -- section bodies ---------------------------------------------------------------
    def _body_part(self, view: memoryview) -> memoryview:
        part, rest = view[: self._remaining], view[self._remaining :]
        self._remaining -= len(part)
        if self._kind == b"T":
            self._lines(part)
        elif self._kind == b"A":
            self._attachment(part)
        else:
            self._body += part
        if self._remaining == 0:
            self._end_section()
        return rest

    def _lines(self, part: memoryview) -> None:
        start = 0
        data = bytes(part)
        while True:
            end = data.find(b"\n", start)
            if end < 0:
                self._pending += data[start:]
                if len(self._pending) > MAX_TRANSACTION_BYTES:
                    raise damaged()
                return
            if self._pending:
                self._pending += data[start:end]
                line = bytes(self._pending)
                self._pending.clear()
            else:
                line = data[start:end]
            if len(line) > MAX_TRANSACTION_BYTES:
                raise damaged()
            self._transaction(line)
            start = end + 1

    def _transaction(self, line: bytes) -> None:
        self._count += 1
        if self._count > self._declared_count:
            raise inconsistent()
        try:
            txn = parse_json_object(line)
        except ValueError:
            raise damaged() from None
        if self._each is None:
            self.transactions.append(txn)
        else:
            self._each(txn)

    def _attachment(self, part: memoryview) -> None:
        if len(self._digest) < _DIGEST_BYTES:
            take = _DIGEST_BYTES - len(self._digest)
            self._digest += bytes(part[:take])
            part = part[take:]
            if len(self._digest) == _DIGEST_BYTES and self._digest <= self._previous_digest:
                raise damaged()
        self._attachment_hash.update(part)
        self._body += part

    def _end_section(self) -> None:
        kind, self._kind = self._kind, b""
        if kind == b"M":
            self._read_manifest(bytes(self._body))
        elif kind == b"T" and self._pending:
            raise damaged()  # the last transaction has no newline
        elif kind == b"A":
            if self._attachment_hash.digest() != self._digest:
                raise damaged()
            self.attachments[self._digest.hex()] = bytes(self._body)
            self._previous_digest = self._digest
        self._body.clear()

    def _read_manifest(self, raw: bytes) -> None:
        try:
            manifest = parse_canonical_object(raw)
        except ValueError:
            raise damaged() from None
        for key, value in self._expected.items():
            found = manifest.get(key)
            if type(found) is not type(value) or found != value:
                raise inconsistent()
        count, attachments = manifest.get("transaction_count"), manifest.get("attachments")
        if not isinstance(count, int) or not is_count(count) or not isinstance(attachments, list):
            raise inconsistent()
        if not all(is_hex(a, 64) for a in attachments):
            raise inconsistent()
        self._declared_count = count
        self.manifest = manifest
