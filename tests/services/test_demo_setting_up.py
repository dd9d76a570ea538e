"""What a demo installation has besides its cases (accounts of each role, a sync partner)
and the DEMO DATA mark on what it prints, on real encrypted installations."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from openpyxl import load_workbook

from shelter_desk.domain.errors import PermissionDenied, ShelterDeskError, ValidationError
from shelter_desk.reports.layout import translated
from shelter_desk.reports.names import DEMO_MARK
from shelter_desk.security.permissions import Role
from shelter_desk.services import exchange, printing, reports, users
from shelter_desk.services.demo import setting_up
from shelter_desk.services.installation import DEMO_PASSPHRASE, DEMO_USER, Installation
from shelter_desk.services.reports import period as periods
from shelter_desk.services.session import Session

TODAY = dt.date(2026, 11, 20)
REAL_PASS = "olive lantern harbour seventeen"


@pytest.fixture
def demo_folder(tmp_path: Path) -> Iterator[Installation]:
    installation = Installation(tmp_path / "demo")
    session, _recovery = installation.create(
        org_name="Demo Shelter",
        admin=DEMO_USER,
        passphrase=DEMO_PASSPHRASE,
        country="IL",
        demo=True,
    )
    setting_up.add_demo_accounts(session)
    setting_up.add_demo_partner(session, today=TODAY)
    session.lock()
    yield installation
    installation.release()


@pytest.fixture
def real_session(tmp_path: Path) -> Iterator[Session]:
    installation = Installation(tmp_path / "real")
    session, _recovery = installation.create(
        org_name="Hope House", admin="amira", passphrase=REAL_PASS, country="IL"
    )
    yield session
    session.lock()
    installation.release()


def _pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_each_demo_account_signs_in_with_its_role(demo_folder: Installation) -> None:
    expected = {DEMO_USER: Role.ADMIN, "caseworker": Role.CASEWORKER, "supervisor": Role.SUPERVISOR}
    passphrases = {DEMO_USER: DEMO_PASSPHRASE} | {
        a.username: a.passphrase for a in setting_up.DEMO_ACCOUNTS
    }
    assert set(demo_folder.usernames()) == set(expected)
    for name, role in expected.items():
        session = demo_folder.unlock(name, passphrases[name])
        try:
            assert session.user.role == role
        finally:
            session.lock()
    caseworker = demo_folder.unlock("caseworker", "shelter-desk-caseworker")
    try:
        with pytest.raises(PermissionDenied):
            users.list_users(caseworker)  # the roles differ for real
    finally:
        caseworker.lock()


def test_a_bundle_to_the_demo_coordinator_can_be_exported(
    demo_folder: Installation, tmp_path: Path
) -> None:
    session = demo_folder.unlock("supervisor", "shelter-desk-supervisor")
    try:
        (partner,) = exchange.list_partners(session)
        assert partner.organisation == "Demo National Coordinator"
        assert partner.role == "coordinator"
        assert partner.country == "IL"
        assert partner.card.created == TODAY
        out = tmp_path / "to-coordinator.bundle"
        exchange.export_bundle(session, exchange.find_partner(session, partner.fingerprint), out)
        inspection = exchange.inspect(session, out)
        assert inspection.header.recipient_key_ids == (partner.key_id,)
        assert inspection.header.sender_key_id == session.device_identity.key_id
        assert inspection.addressed_here is False  # nobody here can open it
    finally:
        session.lock()


def test_a_coordinators_demo_has_a_demo_shelter(tmp_path: Path) -> None:
    installation = Installation(tmp_path / "coordinator-demo")
    session, _recovery = installation.create(
        org_name="Demo Coordinator",
        admin=DEMO_USER,
        passphrase=DEMO_PASSPHRASE,
        role="coordinator",
        country="JO",
        demo=True,
    )
    try:
        card = setting_up.add_demo_partner(session)
        assert (card.organisation, card.role.value, card.country) == (
            "Demo Partner Shelter",
            "shelter",
            "JO",
        )
        assert [p.key_id for p in exchange.list_partners(session)] == [card.key_id]
    finally:
        session.lock()
        installation.release()


def test_a_real_installation_gets_no_demo_accounts_or_partner(real_session: Session) -> None:
    with pytest.raises(ShelterDeskError, match="demo installation"):
        setting_up.add_demo_accounts(real_session)
    with pytest.raises(ShelterDeskError, match="demo installation"):
        setting_up.add_demo_partner(real_session)
    assert [u.username for u in users.list_users(real_session)] == ["amira"]
    assert exchange.list_partners(real_session) == []


def test_demo_accounts_are_added_once(demo_folder: Installation) -> None:
    session = demo_folder.unlock(DEMO_USER, DEMO_PASSPHRASE)
    try:
        with pytest.raises(ValidationError, match="taken"):
            setting_up.add_demo_accounts(session)
        assert len(users.list_users(session)) == 3
    finally:
        session.lock()


def test_only_a_demo_prints_the_demo_mark(demo_folder: Installation, real_session: Session) -> None:
    demo = demo_folder.unlock("caseworker", "shelter-desk-caseworker")
    try:
        for lang in ("en", "ar"):
            mark = translated(lang, DEMO_MARK)
            assert mark != DEMO_MARK or lang == "en"
            demo_pages = _pdf_text(printing.print_form(demo, "intake", lang=lang))
            real_pages = _pdf_text(printing.print_form(real_session, "intake", lang=lang))
            assert len(demo_pages) == len(real_pages) > 1
            assert all(mark in page for page in demo_pages)
            assert not any(mark in page for page in real_pages)
    finally:
        demo.lock()


def test_only_a_demo_report_carries_the_demo_mark(
    demo_folder: Installation, real_session: Session
) -> None:
    year = periods.year(2026)
    mark = translated("en", DEMO_MARK)
    demo = demo_folder.unlock("supervisor", "shelter-desk-supervisor")
    try:
        demo_pdf = reports.report(demo, year, fmt="pdf", lang="en", today=TODAY)
        demo_xlsx = reports.report(demo, year, fmt="xlsx", lang="en", today=TODAY)
    finally:
        demo.lock()
    real_pdf = reports.report(real_session, year, fmt="pdf", lang="en", today=TODAY)
    real_xlsx = reports.report(real_session, year, fmt="xlsx", lang="en", today=TODAY)
    assert all(mark in page for page in _pdf_text(demo_pdf))
    assert not any(mark in page for page in _pdf_text(real_pdf))
    assert mark in _cells(demo_xlsx)
    assert mark not in _cells(real_xlsx)


def _cells(xlsx: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(xlsx))
    return {
        str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    }
