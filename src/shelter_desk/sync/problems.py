"""Why a bundle or partner card was refused.

Every refusal is a :class:`BundleRejected`, a :class:`~shelter_desk.domain.errors.BundleError`
whose message is translated for the person importing and whose ``problem`` is a stable code
for quarantine records, logs and tests (codes carry no personal data).
"""

from __future__ import annotations

from enum import StrEnum

from shelter_desk.domain.errors import BundleError
from shelter_desk.i18n import _, format_number


class BundleProblem(StrEnum):
    NOT_A_BUNDLE = "not_a_bundle"
    UNSUPPORTED_VERSION = "unsupported_version"
    DAMAGED = "damaged"
    UNKNOWN_SENDER = "unknown_sender"
    REVOKED_SENDER = "revoked_sender"
    NOT_ADDRESSED_HERE = "not_addressed_here"
    TOO_LARGE = "too_large"
    INCONSISTENT = "inconsistent"
    NOT_A_CARD = "not_a_card"
    CARD_ALTERED = "card_altered"


class BundleRejected(BundleError):
    """A bundle or partner card that must not be used; ``problem`` says why."""

    def __init__(self, problem: BundleProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


def not_a_bundle() -> BundleRejected:
    return BundleRejected(
        BundleProblem.NOT_A_BUNDLE, _("This file is not a Shelter Desk sync bundle.")
    )


def unsupported_version(version: int) -> BundleRejected:
    return BundleRejected(
        BundleProblem.UNSUPPORTED_VERSION,
        _(
            "This bundle uses format version {version}, which this copy of Shelter Desk "
            "cannot read. Install the newest Shelter Desk on this computer and try again."
        ).format(version=version),
    )


def damaged() -> BundleRejected:
    return BundleRejected(
        BundleProblem.DAMAGED,
        _(
            "This bundle is damaged or was changed after the sender signed it. Nothing was "
            "imported. Ask the sender for a new copy."
        ),
    )


def unknown_sender(key_id: str) -> BundleRejected:
    return BundleRejected(
        BundleProblem.UNKNOWN_SENDER,
        _(
            "This bundle was signed by a partner that is not registered on this computer "
            "(key {key_id}). Add and confirm the partner's card first."
        ).format(key_id=key_id),
    )


def revoked_sender(key_id: str) -> BundleRejected:
    return BundleRejected(
        BundleProblem.REVOKED_SENDER,
        _(
            "This bundle was signed with a partner key that was withdrawn on this computer "
            "(key {key_id}). Nothing was imported."
        ).format(key_id=key_id),
    )


def not_addressed_here() -> BundleRejected:
    return BundleRejected(
        BundleProblem.NOT_ADDRESSED_HERE,
        _(
            "This bundle is addressed to another installation, not to this one. Nothing was "
            "imported."
        ),
    )


def too_large(limit_bytes: int) -> BundleRejected:
    return BundleRejected(
        BundleProblem.TOO_LARGE,
        _(
            "This bundle is larger than the safe limit of {megabytes} MB. Nothing was imported."
        ).format(megabytes=format_number(max(1, limit_bytes // 1_000_000))),
    )


def inconsistent() -> BundleRejected:
    return BundleRejected(
        BundleProblem.INCONSISTENT,
        _(
            "The contents of this bundle do not match its label (sender, bundle number or "
            "sequence). Nothing was imported."
        ),
    )


def not_a_card() -> BundleRejected:
    return BundleRejected(
        BundleProblem.NOT_A_CARD, _("This file is not a valid Shelter Desk partner card.")
    )


def card_altered() -> BundleRejected:
    return BundleRejected(
        BundleProblem.CARD_ALTERED,
        _("This partner card was changed after it was made: its signature does not match."),
    )
