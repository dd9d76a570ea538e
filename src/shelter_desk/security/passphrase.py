"""Passphrase strength, recovery keys and throttling of wrong attempts."""

from __future__ import annotations

import time
import unicodedata

from shelter_desk.domain.errors import AuthError, ValidationError
from shelter_desk.i18n import _, ngettext

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn: "safely unguessable: moderate protection from offline attack"
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 300


def normalise(passphrase: str) -> str:
    """The same passphrase typed on different keyboards gives the same bytes (NFC)."""
    return unicodedata.normalize("NFC", passphrase)


def check_strength(passphrase: str, *, user_inputs: tuple[str, ...] = ()) -> None:
    """Refuse a weak passphrase with an explanation a caseworker can act on."""
    from zxcvbn import zxcvbn  # 25 ms of word lists: loaded only when a passphrase is set

    if len(passphrase) < MIN_LENGTH or zxcvbn(passphrase, list(user_inputs))["score"] < MIN_SCORE:
        raise ValidationError(
            {
                "passphrase": _(
                    "This passphrase is too easy to guess. Use at least {count} characters,"
                    " for example three or four unrelated words, and not your name,"
                    " the organisation's name or a common password."
                ).format(count=MIN_LENGTH)
            }
        )


def new_recovery_key() -> str:
    """Twelve English words (128 bits with a checksum) to write down by hand."""
    from mnemonic import Mnemonic

    return str(Mnemonic("english").generate(strength=128))


def normalise_recovery_key(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def is_valid_recovery_key(text: str) -> bool:
    from mnemonic import Mnemonic

    return bool(Mnemonic("english").check(normalise_recovery_key(text)))


def format_recovery_key(key: str) -> str:
    """Groups of four numbered words, easy to copy and read back."""
    words = key.split()
    groups = [
        " ".join(f"{i + 1}.{w}" for i, w in enumerate(words) if i // 4 == g)
        for g in range(len(words) // 4)
    ]
    return "\n".join(groups)


def delay_after(failures: int) -> int:
    """Seconds to wait after ``failures`` consecutive wrong passphrases: doubling, capped."""
    if failures < FREE_ATTEMPTS:
        return 0
    return int(min(2 ** (failures - FREE_ATTEMPTS + 1), MAX_DELAY_SECONDS))


def check_not_throttled(failures: int, last_failure: float, now: float | None = None) -> None:
    wait = delay_after(failures) - ((now or time.time()) - last_failure)
    if wait > 0:
        seconds = int(wait) + 1
        raise AuthError(
            ngettext(
                "Too many wrong passphrases. Try again in {count} second.",
                "Too many wrong passphrases. Try again in {count} seconds.",
                seconds,
            ).format(count=seconds)
        )
