"""The HTCDS export encrypted with age: to a trusted partner's card or with a passphrase."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyrage  # type: ignore[import-untyped]
import pytest

from shelter_desk.domain.errors import AuthError, NotFound, ShelterDeskError, ValidationError
from shelter_desk.services import exchange
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from shelter_desk.services.standards import htcds_export as exports
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.services.test_exports import open_two_cases

EXPORT_PASSPHRASE = "saffron bicycle lagoon thirteen"


@pytest.fixture
def partner(tmp_path: Path) -> Iterator[Session]:
    inst = Installation(tmp_path / "partner")
    session, _recovery = inst.create(
        org_name="National Coordinator",
        admin=ADMIN,
        passphrase=ADMIN_PASSPHRASE,
        role="coordinator",
        country="IL",
    )
    yield session
    session.lock()
    inst.release()


def _trust(session: Session, other: Session) -> None:
    card = exchange.my_card(other)
    exchange.add_partner(session, card.to_bytes(), card.fingerprint)


def test_passphrase_export_is_an_age_file_that_opens_with_it(
    admin_session: Session, tmp_path: Path
) -> None:
    open_two_cases(admin_session)
    out = tmp_path / "cases.csv.age"
    assert exports.export_htcds(admin_session, out, passphrase=EXPORT_PASSPHRASE) == 2
    data = out.read_bytes()
    assert exports.is_encrypted_export(data) and exports.export_needs_passphrase(data)
    assert "Ольга".encode() not in data and b"Olga" not in data
    plain = pyrage.passphrase.decrypt(data, EXPORT_PASSPHRASE)  # what `age -d` does
    assert "Ольга" in plain.decode("utf-8-sig")
    assert exports.open_encrypted_export(admin_session, data, EXPORT_PASSPHRASE) == plain
    with pytest.raises(AuthError):
        exports.open_encrypted_export(admin_session, data, "a wrong passphrase here")


def test_partner_export_opens_only_at_that_partner(
    admin_session: Session, partner: Session, tmp_path: Path
) -> None:
    open_two_cases(admin_session)
    _trust(admin_session, partner)
    out = tmp_path / "cases.csv.age"
    assert exports.export_htcds(admin_session, out, to_partner="National Coordinator") == 2
    data = out.read_bytes()
    assert exports.is_encrypted_export(data) and not exports.export_needs_passphrase(data)
    plain = exports.open_encrypted_export(partner, data)
    assert "فاطمة" in plain.decode("utf-8-sig")
    with pytest.raises(ShelterDeskError, match="another installation"):
        exports.open_encrypted_export(admin_session, data)  # not addressed to the sender


def test_refused_exports_write_nothing(admin_session: Session, tmp_path: Path) -> None:
    open_two_cases(admin_session)
    out = tmp_path / "cases.csv"
    with pytest.raises(ValidationError):
        exports.export_htcds(admin_session, out, passphrase="hope house")  # too weak
    with pytest.raises(NotFound):
        exports.export_htcds(admin_session, out, to_partner="Nobody We Know")
    with pytest.raises(ValueError):
        exports.export_htcds(admin_session, out, to_partner="x", passphrase=EXPORT_PASSPHRASE)
    assert list(tmp_path.iterdir()) == [tmp_path / "data"]


def test_the_audit_says_how_the_export_was_protected(
    admin_session: Session, partner: Session, tmp_path: Path
) -> None:
    open_two_cases(admin_session)
    _trust(admin_session, partner)
    exports.export_htcds(admin_session, tmp_path / "a.csv")
    exports.export_htcds(admin_session, tmp_path / "b.age", passphrase=EXPORT_PASSPHRASE)
    exports.export_htcds(admin_session, tmp_path / "c.age", to_partner="National Coordinator")
    kinds = [e.object_type for e in admin_session.audit_log.events() if e.action == "export"]
    assert kinds == ["htcds", "htcds-passphrase", "htcds-partner"]
