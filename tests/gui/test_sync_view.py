"""The Sync page on real installations: exporting and importing bundles through the page,
adding a partner after checking its fingerprint, and resolving a conflict made on two
installations."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QTableWidget
from pytestqt.qtbot import QtBot

from shelter_desk.domain.entities import Referral
from shelter_desk.gui.operations import OpRunner
from shelter_desk.gui.signed_in import read_signed_in
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.gui.views.sync import SyncView, import_summary_text
from shelter_desk.gui.views.sync_dialogs import (
    AddPartnerDialog,
    ExportDialog,
    MyCardDialog,
    value_text,
)
from shelter_desk.i18n import set_language
from shelter_desk.security.atomic import write_atomic
from shelter_desk.security.permissions import Role
from shelter_desk.services import cases, exchange, users
from shelter_desk.services.session import Session
from tests.gui.conftest import OFFSCREEN_LIMITS
from tests.services.case_helpers import TODAY, consent, intake, person
from tests.sync.sync_parties import NETWORK_SECRET, Party

pytestmark = OFFSCREEN_LIMITS

T = TypeVar("T")
SARA, SARA_PASSPHRASE = "sara", "copper willow seventy lantern"
BOB, BOB_PASSPHRASE = "bob", "granite meadow violin ninety"


class Parties:
    """Installations made and used on one database worker, as the GUI uses it."""

    def __init__(self, root: Path, runner: OpRunner) -> None:
        self.root = root
        self.runner = runner
        self.made: list[Party] = []

    def call(self, work: Callable[[], T]) -> T:
        return self.runner.worker.call(work, timeout=60)

    def make(self, name: str, org: str, role: str = "shelter", country: str = "JO") -> Party:
        party = self.call(lambda: Party(self.root / name, org, role, country))
        self.made.append(party)
        return party

    def view(self, qtbot: QtBot, session: Session) -> SyncView:
        context = ViewContext(self.runner, self.call(lambda: read_signed_in(session)))
        view = SyncView(context)
        qtbot.addWidget(view)
        view.show()
        return view

    def sign_in_as(self, party: Party, username: str, passphrase: str) -> Session:
        """Lock the party's open session and unlock as someone else."""

        def switch() -> Session:
            party.session.lock()
            party.session = party.installation.unlock(username, passphrase)
            return party.session

        return self.call(switch)


@pytest.fixture
def parties(qapp: QApplication, tmp_path: Path) -> Iterator[Parties]:
    made = Parties(tmp_path, OpRunner())
    yield made
    for party in made.made:
        made.call(party.close)
    made.runner.stop()


def cells(table: QTableWidget, row: int) -> list[str]:
    items = [table.item(row, c) for c in range(table.columnCount())]
    return [item.text() if item is not None else "" for item in items]


def plain(text: str) -> str:
    """Text without the direction isolates the page puts around names and values."""
    return "".join(ch for ch in text if ch not in "\u2066\u2067\u2068\u2069")


def open_case(party: Party, name: str, city: str = "Amman", partners: bool = False) -> Any:
    return cases.open_case(
        party.session,
        person(first=name, latin=name, city=city),
        intake(),
        consent(sharing_level="Identified", share_with_partners=partners),
        today=TODAY,
    )


def test_a_bundle_exported_through_the_page_is_imported_at_the_coordinator_once(
    qtbot: QtBot, parties: Parties, tmp_path: Path
) -> None:
    a = parties.make("a", "Shelter A")
    c = parties.make("c", "National Coordinator", "coordinator")
    parties.call(lambda: a.trust(c))
    parties.call(lambda: open_case(a, "Layla"))
    card = parties.call(lambda: exchange.my_card(c.session))

    view = parties.view(qtbot, a.session)
    qtbot.waitUntil(lambda: view.partners_table.rowCount() == 1)
    row = [plain(t) for t in cells(view.partners_table, 0)]
    assert row == [
        "National Coordinator",
        "National coordinator",
        "Jordan",
        card.fingerprint,
        "never",
        "never",
        "Trusted",
    ]
    view.show_digits.click()
    assert cells(view.partners_table, 0)[3] == card.fingerprint_digits

    out = tmp_path / "to-coordinator.bundle"
    view.partners_table.selectRow(0)
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, ExportDialog)
    assert dialog.partner.currentData() == parties.call(lambda: c.key_id)
    dialog.destination.setText(str(out))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Bundle 1 for" in view.summary.text(), timeout=20_000)
    summary = plain(view.summary.text())
    assert "National Coordinator" in summary and str(out) in summary
    assert "Cases concerned: 1" in summary and "Size:" in summary
    assert "Sharing levels: 4 identified, 0 pseudonymised, 0 for statistics only" in summary
    assert "Layla" not in summary and "Amman" not in summary
    assert out.read_bytes().startswith(b"SHBNDL")
    qtbot.waitUntil(lambda: view.bundles_table.rowCount() == 1)
    assert cells(view.bundles_table, 0)[:3] == ["Sent", "\u2068National Coordinator\u2069", "1"]
    assert cells(view.partners_table, 0)[4] != "never"

    coordinator = parties.view(qtbot, c.session)
    qtbot.waitUntil(lambda: coordinator.partners_table.rowCount() == 1)
    coordinator.import_from(out)
    qtbot.waitUntil(
        lambda: "Bundle 1 from Shelter A imported." in coordinator.summary.text(), timeout=20_000
    )
    assert "New here: 4" in coordinator.summary.text()
    qtbot.waitUntil(lambda: coordinator.bundles_table.rowCount() == 1)
    assert cells(coordinator.bundles_table, 0)[0] == "Received"
    coordinator.import_from(out)
    qtbot.waitUntil(lambda: "already imported" in coordinator.summary.text(), timeout=20_000)
    assert coordinator.bundles_table.rowCount() == 1

    # a file that is not a bundle is refused, listed with its reason, and changes nothing
    junk = tmp_path / "holiday.bundle"
    junk.write_bytes(b"not a bundle at all")
    coordinator.import_from(junk)
    qtbot.waitUntil(lambda: "Nothing was imported." in coordinator.summary.text())
    assert "not a Shelter Desk sync bundle" in coordinator.summary.text()
    qtbot.waitUntil(lambda: coordinator.refused_table.rowCount() == 1)
    assert cells(coordinator.refused_table, 0)[2] == "It is not a Shelter Desk bundle."
    assert coordinator.bundles_table.rowCount() == 1


def test_a_partner_is_trusted_only_with_the_right_fingerprint(
    qtbot: QtBot, parties: Parties, tmp_path: Path
) -> None:
    a = parties.make("a", "Shelter A")
    c = parties.make("c", "National Coordinator", "coordinator")
    their_card = tmp_path / "coordinator.card"
    card_bytes = parties.call(c.card_bytes)
    parties.call(lambda: write_atomic(their_card, card_bytes))
    fingerprint = parties.call(lambda: exchange.my_card(c.session).fingerprint)

    view = parties.view(qtbot, a.session)
    qtbot.waitUntil(lambda: view.tabs.tabText(0) == "Sync &partners (0)")
    view.add_partner_from(their_card)
    qtbot.waitUntil(lambda: isinstance(view.dialog, AddPartnerDialog))
    dialog = view.dialog
    assert isinstance(dialog, AddPartnerDialog)
    assert plain(dialog.organisation.text()) == "National Coordinator"
    assert plain(dialog.fingerprint.text()) == fingerprint
    assert "National coordinator in Jordan" in dialog.details.text()

    qtbot.keyClicks(dialog.typed, " ".join(["zoo"] * 9))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.message.isVisible)
    assert "does not match this card" in dialog.message.message
    assert dialog.isVisible()
    assert parties.call(lambda: exchange.list_partners(a.session)) == []

    dialog.typed.clear()
    dialog.matches.setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.partners_table.rowCount() == 1, timeout=10_000)
    assert "National Coordinator is now a trusted sync partner." in view.summary.text()
    trusted = parties.call(lambda: [p.key_id for p in exchange.list_partners(a.session)])
    assert trusted == [parties.call(lambda: c.key_id)]

    # this installation's own card, saved for the partner
    view.open_my_card()
    qtbot.waitUntil(lambda: isinstance(view.dialog, MyCardDialog))
    mine = view.dialog
    assert isinstance(mine, MyCardDialog)
    own = parties.call(lambda: exchange.my_card(a.session))
    assert plain(mine.fingerprint.text()) == own.fingerprint
    saved = tmp_path / "shelter-a.card"
    mine.save_to(saved)
    qtbot.waitUntil(lambda: "was saved" in mine.status.text())
    assert saved.read_bytes() == own.to_bytes()
    mine.close()

    # the words on screen in a right-to-left language; nothing is lost on the way back
    set_language("ar")
    view.retranslate()
    set_language("en")
    view.retranslate()

    view.partners_table.selectRow(0)
    view.ask_revoke()
    box = view.question
    assert isinstance(box, QMessageBox)
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: cells(view.partners_table, 0)[6].startswith("Revoked on"))
    assert not view.revoke_button.isEnabled()
    view.open_export()
    assert "Add a sync partner first" in view.summary.text()


def _conflict(parties: Parties) -> tuple[Party, Party, Party, str]:
    """Shelter A refers a case to shelter B with identity through the coordinator; then
    both shelters record a different new city for the person without hearing of each
    other. Returns the parties and the case id."""
    a = parties.make("a", "Shelter A")
    b = parties.make("b", "Shelter B", country="LB")
    c = parties.make("c", "National Coordinator", "coordinator")

    def network() -> str:
        a.trust(c)
        b.trust(c)
        for shelter in (a, b):
            exchange.set_network_secret(shelter.session, NETWORK_SECRET)
            c.receive(shelter.send(c))
        for shelter in (a, b):
            shelter.receive(c.send(shelter))
        cf = open_case(a, "Hana", city="Amman", partners=True)
        referral = Referral(
            case_id=cf.case.id,
            from_org_id=a.org_id,
            to_org_id=b.org_id,
            referred_on=TODAY,
            reason="MigrationOrChangeOfLocation",
        )
        cases.save_record(a.session, referral, today=TODAY)
        c.receive(a.send(c))
        b.receive(c.send(b))
        cases.save_person(a.session, replace(cf.person, city="Irbid"), today=TODAY)
        at_b = cases.load_case(b.session, cf.case.id)
        cases.save_person(b.session, replace(at_b.person, city="Zarqa"), today=TODAY)
        c.receive(a.send(c))
        c.receive(b.send(c))
        users.add_user(a.session, SARA, Role.SUPERVISOR, SARA_PASSPHRASE, display_name="Sara")
        users.add_user(a.session, BOB, Role.CASEWORKER, BOB_PASSPHRASE)
        return cf.case.id

    return a, b, c, parties.call(network)


def test_a_conflict_from_two_shelters_is_resolved_by_a_supervisor(
    qtbot: QtBot, parties: Parties, tmp_path: Path
) -> None:
    a, b, c, case_id = _conflict(parties)
    incoming = tmp_path / "from-coordinator.bundle"
    data = parties.call(lambda: c.send(a))
    incoming.write_bytes(data)
    admin_name = parties.call(lambda: a.session.user.display_name)

    sara = parties.sign_in_as(a, SARA, SARA_PASSPHRASE)
    view = parties.view(qtbot, sara)
    qtbot.waitUntil(lambda: view.tabs.tabText(2) == "Co&nflicts (0)")
    view.import_from(incoming)
    qtbot.waitUntil(lambda: "1 conflict needs" in view.summary.text(), timeout=20_000)
    qtbot.waitUntil(lambda: isinstance(view.question, QMessageBox))
    box = view.question
    assert isinstance(box, QMessageBox)
    box.button(QMessageBox.StandardButton.Yes).click()
    assert view.tabs.currentWidget() is view.conflicts
    panel = view.conflicts
    qtbot.waitUntil(lambda: panel.list.count() == 1)
    listed = parties.call(lambda: cases.case_row(sara, case_id))
    assert listed is not None
    number = listed.number
    assert plain(panel.list.item(0).text()) == f"City of the person in case {number}"
    assert plain(panel.first_value.text()) == "Irbid"
    assert plain(panel.second_value.text()) == "Zarqa"
    assert plain(panel.first_who.text()).startswith(f"Written by {admin_name} on ")
    assert plain(panel.second_who.text()).startswith("Written by Shelter B on ")
    assert not panel.resolve_button.isEnabled()  # nothing chosen yet
    view.close()

    # a caseworker sees the same conflict but cannot resolve it, nor exchange bundles
    bob = parties.sign_in_as(a, BOB, BOB_PASSPHRASE)
    read_only = parties.view(qtbot, bob)
    qtbot.waitUntil(lambda: read_only.conflicts.list.count() == 1)
    assert not read_only.conflicts.resolve_button.isVisibleTo(read_only.conflicts)
    assert read_only.conflicts.read_only_note.isVisibleTo(read_only.conflicts)
    assert not read_only.conflicts.first_choice.isEnabled()
    assert not read_only.export_button.isEnabled()
    assert not read_only.import_button.isEnabled()
    assert not read_only.add_partner_button.isEnabled()
    read_only.open_export()
    assert read_only.dialog is None
    read_only.close()

    sara = parties.sign_in_as(a, SARA, SARA_PASSPHRASE)
    view = parties.view(qtbot, sara)
    panel = view.conflicts
    qtbot.waitUntil(lambda: panel.list.count() == 1)
    panel.choose_value("Zarqa")
    assert panel.second_choice.isChecked() and panel.resolve_button.isEnabled()
    qtbot.mouseClick(panel.resolve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Resolved: City of the person" in view.summary.text())
    qtbot.waitUntil(lambda: panel.list.count() == 0)
    assert panel.empty.isVisibleTo(panel) and not panel.details.isVisibleTo(panel)

    stored = parties.call(lambda: cases.load_case(sara, case_id))
    assert stored.person.city == "Zarqa"
    [done] = parties.call(lambda: exchange.conflicts(sara, include_resolved=True))
    assert done.status == "resolved" and done.resolved_by == sara.user.id

    # shelter B answers A's referral from its Sync page
    at_b = parties.view(qtbot, b.session)
    qtbot.waitUntil(lambda: at_b.referrals_table.rowCount() == 1)
    assert plain(cells(at_b.referrals_table, 0)[1]) == "Shelter A"
    assert cells(at_b.referrals_table, 0)[5] == "Sent"
    assert at_b.tabs.tabText(3) == "&Referrals to us (1 waiting)"
    assert not at_b.accept_button.isEnabled()
    at_b.referrals_table.selectRow(0)
    qtbot.mouseClick(at_b.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cells(at_b.referrals_table, 0)[5] == "Accepted")
    assert "Accepted" in at_b.summary.text() and not at_b.accept_button.isEnabled()


def test_import_warnings_and_conflicting_values_are_told_in_words() -> None:
    result = exchange.ImportResult(
        applied=True,
        already_applied=False,
        sender_key_id="k",
        sender_organisation="Shelter B",
        seq=5,
        counts={"transactions": 7, "new": 6, "cases": 2, "acknowledged": 1},
        conflicts=[],
        gap_before=2,
        chain_broken=True,
        future_clock_flags=("t1",),
    )
    text = import_summary_text(result)
    assert text.splitlines()[:4] == [
        "Bundle 5 from Shelter B imported.",
        "Changes received: 7",
        "New here: 6",
        "Cases concerned: 2",
    ]
    assert "2 earlier bundles from this partner have not arrived yet" in text
    assert "does not follow the previous bundle" in text
    assert "1 change is dated in the future" in text

    assert value_text("case", "risk_level", "High") == "High"
    assert value_text("case", "status", "ClosedReferred") != "ClosedReferred"
    assert value_text("consent", "share_with_partners", False) == "No"
    assert value_text("person", "city", "") == "(empty)"
    assert value_text("person", "country", "JO") == "Jordan"
    assert value_text("person", "birth_date", "1990-03-04").strip("\u2068\u2069") == "Mar 4, 1990"
    unsafe = {"contact_type": "MobilePhone", "value": "+962 7 0000", "safe_to_use": False}
    said = value_text("person", "contacts", [unsafe])
    assert said == "Mobile phone: +962 7 0000 (not safe to use)"
    assert value_text("person", "aliases", ["Umm Ali", "Hanouna"]) == "Umm Ali and Hanouna"
