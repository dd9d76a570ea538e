"""Partner cards: this installation's card, trusting a partner after its fingerprint was
confirmed, withdrawing trust, the network secret, and reading a bundle's label."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from shelter_desk.domain.errors import (
    NotFound,
    ValidationError,
)
from shelter_desk.i18n import _
from shelter_desk.security.permissions import Permission
from shelter_desk.services import sharing
from shelter_desk.services.exchange.common import (
    AUDIT_NETWORK_SECRET,
    AUDIT_PARTNER_ADD,
    AUDIT_PARTNER_REVOKE,
    now_iso,
    state_of,
)
from shelter_desk.services.exchange.files import reading
from shelter_desk.services.session import Session
from shelter_desk.store.exchange_state import (
    ExchangeState,
    PartnerRow,
)
from shelter_desk.sync.identity import PartnerCard, fingerprint_words
from shelter_desk.sync.opening import (
    BundleInspection,
    inspect_bundle,
)


@dataclasses.dataclass(frozen=True)
class PartnerInfo:
    """A registered partner, for lists (nothing personal: organisations and keys)."""

    key_id: str
    organisation: str
    country: str
    role: str
    fingerprint: str
    fingerprint_digits: str
    org_id: str  # learned from the partner's first bundle; "" until then
    trusted_at: str
    revoked_at: str
    last_sent_at: str
    last_received_at: str
    last_sent_seq: int
    last_received_seq: int
    card: PartnerCard

    @property
    def revoked(self) -> bool:
        return bool(self.revoked_at)


def my_card(session: Session) -> PartnerCard:
    """This installation's public card (organisation name, country, role, public keys).

    Raises ValidationError when the organisation's name or country cannot go on a card (a
    country must be set for the installation)."""
    session.require(Permission.VIEW_CASES)
    return session.device_identity.public_card(
        session.org_name, session.meta.get("org_country"), session.installation_role
    )


def normalise_fingerprint(text: str) -> tuple[str, ...] | str | None:
    """A fingerprint as typed: the 30 digits (str), the nine words (tuple), or None."""
    digits = re.sub(r"[\s-]+", "", text)
    if digits.isdigit():
        return digits if len(digits) == 30 else None
    words = tuple(w for w in re.split(r"[^a-z]+", text.casefold()) if w)
    return words if len(words) == 9 else None


def fingerprint_matches(card: PartnerCard, typed: str) -> bool:
    """Whether ``typed`` is the card's fingerprint, in words or digits. A word may be given
    by its first four letters (BIP39 words differ in their first four)."""
    found = normalise_fingerprint(typed)
    if isinstance(found, str):
        return found == card.fingerprint_digits.replace(" ", "")
    if found is None:
        return False
    expected = fingerprint_words(card.signing_key, card.recipient)
    return all(
        w == e or (len(w) >= 4 and e.startswith(w)) for w, e in zip(found, expected, strict=True)
    )


def add_partner(session: Session, card_bytes: bytes, confirmed_fingerprint: str) -> PartnerCard:
    """Trust a partner's card after its fingerprint was confirmed with the partner (by phone
    or in person). Raises BundleError for a file that is not a valid card, ValidationError
    when the fingerprint does not match, or the card is this installation's own or was
    withdrawn before."""
    session.require(Permission.MANAGE_PARTNERS)
    card = PartnerCard.from_bytes(card_bytes)
    if not fingerprint_matches(card, confirmed_fingerprint):
        raise ValidationError(
            {
                "fingerprint": _(
                    "The fingerprint does not match this card. Do not add it: call the partner"
                    " again and compare every word."
                )
            }
        )
    if card.key_id == session.device_identity.key_id:
        raise ValidationError({"card": _("This is this installation's own card.")})
    state = state_of(session)
    existing = state.partner(card.key_id)
    if existing is not None and existing.revoked_at:
        raise ValidationError(
            {"card": _("This partner's key was withdrawn here and cannot be trusted again.")}
        )
    with session.db.transaction():
        state.save_partner(
            PartnerRow(
                key_id=card.key_id,
                card=card.to_bytes(),
                fingerprint=card.fingerprint,
                organisation=card.organisation,
                country=card.country,
                role=card.role.value,
                org_id=existing.org_id if existing else "",
                trusted_at=existing.trusted_at if existing else now_iso(),
                trusted_by=existing.trusted_by if existing else session.user.id,
                revoked_at="",
                revoked_by="",
            )
        )
        session.audit(AUDIT_PARTNER_ADD, "partner", card.key_id)
    return card


def _info(state: ExchangeState, row: PartnerRow) -> PartnerInfo:
    card = PartnerCard.from_bytes(row.card)
    sent = state.bundles(row.key_id, "sent")
    received = state.bundles(row.key_id, "received")
    return PartnerInfo(
        key_id=row.key_id,
        organisation=row.organisation,
        country=row.country,
        role=row.role,
        fingerprint=card.fingerprint,
        fingerprint_digits=card.fingerprint_digits,
        org_id=row.org_id,
        trusted_at=row.trusted_at,
        revoked_at=row.revoked_at,
        last_sent_at=sent[0].at if sent else "",
        last_received_at=received[0].at if received else "",
        last_sent_seq=max((b.seq for b in sent), default=0),
        last_received_seq=max((b.seq for b in received), default=0),
        card=card,
    )


def list_partners(session: Session, *, include_revoked: bool = True) -> list[PartnerInfo]:
    session.require(Permission.VIEW_CASES)
    state = state_of(session)
    return [_info(state, row) for row in state.partners() if include_revoked or not row.revoked_at]


def find_partner(session: Session, fingerprint_or_org_name: str) -> PartnerInfo:
    """A trusted partner by fingerprint (words or digits), key id or organisation name."""
    session.require(Permission.VIEW_CASES)
    wanted = fingerprint_or_org_name.strip()
    trusted = list_partners(session, include_revoked=False)
    found = [
        p for p in trusted if p.key_id == wanted.casefold() or fingerprint_matches(p.card, wanted)
    ]
    if not found:
        found = [p for p in trusted if p.organisation.casefold() == wanted.casefold()]
    if len(found) > 1:
        raise ValidationError(
            {"partner": _("Several partners have this name; give the fingerprint instead.")}
        )
    if not found:
        raise NotFound(_("There is no trusted sync partner {name}.").format(name=wanted))
    return found[0]


def revoke_partner(session: Session, key_id: str) -> None:
    """Withdraw trust in a partner's key: its bundles are refused from now on and nothing
    is exported to it. A revoked key cannot be added again (a new card is needed)."""
    session.require(Permission.MANAGE_PARTNERS)
    state = state_of(session)
    row = state.partner(key_id)
    if row is None:
        raise NotFound(_("There is no such sync partner."))
    if row.revoked_at:
        return
    with session.db.transaction():
        state.revoke_partner(key_id, now_iso(), session.user.id)
        session.audit(AUDIT_PARTNER_REVOKE, "partner", key_id)


def set_network_secret(session: Session, secret: str) -> None:
    """Store the national network's secret (see ``services.sharing``): the key of the
    identity tokens in pseudonymised data. Every shelter of the network enters the same one;
    the coordinator never gets it."""
    session.require(Permission.MANAGE_PARTNERS)
    cleaned = sharing.normalise_network_secret(secret)
    if cleaned is None:
        raise ValidationError(
            {
                "secret": _(
                    "A network secret has {count} letters and digits; check it with the shelter"
                    " that made it."
                ).format(count=sharing.NETWORK_SECRET_LENGTH)
            }
        )
    with session.db.transaction():
        session.meta.set("network_key", sharing.network_key(cleaned).hex())
        # With a key, person transactions that reduced to nothing before now carry identity
        # tokens: the next export to each partner considers the whole log again.
        state_of(session).forget_arrival_marks()
        session.audit(AUDIT_NETWORK_SECRET, "installation", session.device_id)


def has_network_secret(session: Session) -> bool:
    return bool(session.meta.get("network_key"))


def network_token_key(session: Session) -> bytes | None:
    raw = session.meta.get("network_key")
    return bytes.fromhex(raw) if raw else None


def trusted_cards(state: ExchangeState) -> tuple[dict[str, PartnerCard], set[str]]:
    trusted: dict[str, PartnerCard] = {}
    revoked: set[str] = set()
    for row in state.partners():
        if row.revoked_at:
            revoked.add(row.key_id)
        else:
            trusted[row.key_id] = PartnerCard.from_bytes(row.card)
    return trusted, revoked


def read_card(card_bytes: bytes) -> PartnerCard:
    """A partner card checked for form and self-signature (not yet trusted)."""
    return PartnerCard.from_bytes(card_bytes)


def inspect(session: Session, source: bytes | Path) -> BundleInspection:
    """Header and signature status of a bundle (its bytes, or a file read in chunks),
    without decrypting (``bundle inspect``)."""
    session.require(Permission.IMPORT)
    trusted, revoked = trusted_cards(state_of(session))
    with reading(source) as file:
        return inspect_bundle(file, trusted, revoked=revoked, me=session.device_identity)
