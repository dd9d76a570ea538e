"""The age encryption format (https://age-encryption.org/v1) through pyrage, behind a typed
boundary: X25519 recipients, 64 KiB ChaCha20-Poly1305 chunks, truncation-proof.

A bundle's ciphertext is a plain age file, so in an emergency it can be opened with the
``age`` command-line tool and the installation's secret key.
"""

from __future__ import annotations

from typing import Any

import pyrage  # type: ignore[import-untyped]
from pyrage import x25519

SECRET_PREFIX = "AGE-SECRET-KEY-1"
RECIPIENT_PREFIX = "age1"
SECRET_LENGTH = 74
RECIPIENT_LENGTH = 62


class AgeError(Exception):
    """A key string or ciphertext that age refuses."""


def generate_secret() -> str:
    """A new X25519 identity in age's ``AGE-SECRET-KEY-1...`` form."""
    return str(x25519.Identity.generate())


def recipient_of(secret: str) -> str:
    """The public ``age1...`` recipient string of a secret key."""
    return str(_identity(secret).to_public())


def is_canonical_recipient(value: object) -> bool:
    """An ``age1...`` X25519 recipient written exactly as age writes it (lower case)."""
    if not isinstance(value, str) or len(value) != RECIPIENT_LENGTH:
        return False
    if not value.startswith(RECIPIENT_PREFIX):
        return False
    try:
        return str(x25519.Recipient.from_str(value)) == value
    except pyrage.RecipientError:
        return False


def is_canonical_secret(value: str) -> bool:
    if len(value) != SECRET_LENGTH or not value.startswith(SECRET_PREFIX):
        return False
    try:
        return str(x25519.Identity.from_str(value)) == value
    except pyrage.IdentityError:
        return False


def encrypt(plaintext: bytes, recipient: str) -> bytes:
    result = pyrage.encrypt(plaintext, [x25519.Recipient.from_str(recipient)])
    assert isinstance(result, bytes)
    return result


def decrypt(ciphertext: bytes, secret: str) -> bytes:
    """Decrypt and authenticate; raises AgeError on a wrong key or any damage."""
    try:
        result = pyrage.decrypt(ciphertext, [_identity(secret)])
    except pyrage.DecryptError as exc:
        raise AgeError("age decryption failed") from exc
    assert isinstance(result, bytes)
    return result


def decrypt_stream(reader: Any, writer: Any, secret: str) -> None:
    """Decrypt from ``reader`` (``read``) to ``writer`` (``write``) a chunk at a time; each
    64 KiB chunk is authenticated before it is written. Raises AgeError on a wrong key or any
    damage; an exception raised by ``writer`` comes through unchanged."""
    try:
        pyrage.decrypt_io(reader, writer, [_identity(secret)])
    except pyrage.DecryptError as exc:
        raise AgeError("age decryption failed") from exc


def _identity(secret: str) -> x25519.Identity:
    try:
        return x25519.Identity.from_str(secret)
    except pyrage.IdentityError as exc:
        raise AgeError("not an age secret key") from exc


AGE_HEADER = b"age-encryption.org/v1\n"


def is_age_file(data: bytes) -> bool:
    return data.startswith(AGE_HEADER)


def uses_passphrase(data: bytes) -> bool:
    """Whether an age file was encrypted with a passphrase (an ``scrypt`` stanza)."""
    return is_age_file(data) and data[len(AGE_HEADER) :].startswith(b"-> scrypt ")


def encrypt_with_passphrase(plaintext: bytes, passphrase: str) -> bytes:
    """An age file that ``age -d`` (or :func:`decrypt_with_passphrase`) opens with the
    passphrase: scrypt with age's default work factor."""
    result = pyrage.passphrase.encrypt(plaintext, passphrase)
    assert isinstance(result, bytes)
    return result


def decrypt_with_passphrase(ciphertext: bytes, passphrase: str) -> bytes:
    """Decrypt and authenticate; raises AgeError on a wrong passphrase or any damage."""
    try:
        result = pyrage.passphrase.decrypt(ciphertext, passphrase)
    except pyrage.DecryptError as exc:
        raise AgeError("age decryption failed") from exc
    assert isinstance(result, bytes)
    return result
