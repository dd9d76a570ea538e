"""The Coordination page: record through the dialog, list, filter; the Dashboard's overdue
action items; the Partners page's export; the page rendered in English and Arabic."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from shelter_desk.domain.coordination import ActionItem, Hotspot, Meeting, Training, Visit
from shelter_desk.domain.entities import Organisation
from shelter_desk.gui.shell import Shell
from shelter_desk.gui.views.cases import CasesView
from shelter_desk.gui.views.coordination import CoordinationView
from shelter_desk.gui.views.coordination_dialog import CoordinationDialog
from shelter_desk.gui.views.dashboard import DashboardView
from shelter_desk.gui.views.partners import PartnersView
from shelter_desk.gui.widgets.inputs import NO_DATE, ChoiceCombo
from shelter_desk.services import cases
from shelter_desk.services.coordination import log
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.cases_helpers import open_first_case
from tests.gui.conftest import CASEWORKER, CASEWORKER_PASSPHRASE, OFFSCREEN_LIMITS, unlock_as
from tests.services.case_helpers import open_case
from tests.sync.sync_parties import Party

pytestmark = OFFSCREEN_LIMITS
TODAY = dt.date.today()


def text_at(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def fill(data_dir: Path) -> dict[str, str]:
    """Two partners and one of each kind of entry (a meeting with an overdue action)."""
    installation = Installation(data_dir)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    police = cases.save_organisation(
        session, Organisation(name="Anti-Trafficking Police", type="LawEnforcement")
    )
    ministry = cases.save_organisation(
        session, Organisation(name="وزارة التنمية الاجتماعية", type="CentralGovernmentOrganisation")
    )
    meeting = log.save(
        session,
        Meeting(
            title="Referral pathway round table",
            held_on=TODAY - dt.timedelta(days=40),
            participant_org_ids=(police.id, ministry.id),
            action_items=(
                ActionItem(
                    action="Share the hotline number with all stations",
                    owner_org_id=police.id,
                    due_on=TODAY - dt.timedelta(days=10),
                ),
            ),
        ),
    )
    log.save(
        session,
        Hotspot(
            problem="Recruitment agency keeps passports",
            place="Downtown bus station",
            reported_on=TODAY - dt.timedelta(days=90),
            approached_org_ids=(police.id,),
        ),
    )
    log.save(
        session,
        Training(
            topic="VictimIdentification",
            held_on=TODAY - dt.timedelta(days=5),
            audience_org_id=ministry.id,
            participants=24,
        ),
    )
    session.lock()
    installation.release()
    return {"police": police.id, "ministry": ministry.id, "meeting": meeting.id}


def coordination_page(qtbot: QtBot, shell: Shell, user: str, passphrase: str) -> CoordinationView:
    main = unlock_as(qtbot, shell, user, passphrase)
    view = main.show_page("coordination")
    assert isinstance(view, CoordinationView)
    return view


def choose(combo: ChoiceCombo, code: str) -> None:
    index = combo.findData(code)
    assert index >= 0, code
    combo.setCurrentIndex(index)


def test_a_meeting_recorded_through_the_dialog_is_listed_and_filtered(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    ids = fill(existing)
    shell = make_shell(existing)
    view = coordination_page(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    qtbot.waitUntil(lambda: view.table.rowCount() == 3, timeout=10_000)
    assert [text_at(view.table, r, 1) for r in range(3)] == [
        "Training",
        "Meeting",
        "Problem hotspot",
    ]
    assert text_at(view.table, 1, 4) == "Actions overdue"
    assert text_at(view.table, 0, 2) == "Victim identification"

    qtbot.mouseClick(view.new_buttons[0], Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, CoordinationDialog)
    qtbot.waitUntil(dialog.isVisible)
    # Nothing typed: the message appears under the subject, the dialog stays.
    assert dialog.save_button is not None
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.form.fields["title"].message.isVisible(), timeout=10_000)
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.title, "Bilateral with the police")
    choose(dialog.meeting_type, "OneToOne")
    dialog.participants.set_selected([ids["police"]])
    assert dialog.action_table is not None
    dialog.action_table.add(ActionItem())
    cell = dialog.action_table.table.item(0, 0)
    assert cell is not None
    cell.setText("Name a focal point")
    owner = dialog.action_table.table.cellWidget(0, 1)
    assert isinstance(owner, ChoiceCombo)
    choose(owner, ids["police"])
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.table.rowCount() == 4, timeout=10_000)
    assert "Bilateral with the police was saved" in view.status.text()

    choose(view.kind, "meeting")
    qtbot.waitUntil(lambda: view.table.rowCount() == 2, timeout=10_000)
    choose(view.status_filter, "OpenActions")
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10_000)
    assert text_at(view.table, 0, 2) == "Bilateral with the police"
    view.status_filter.setCurrentIndex(0)
    view.kind.setCurrentIndex(0)
    choose(view.organisation, ids["ministry"])
    qtbot.waitUntil(lambda: view.table.rowCount() == 2, timeout=10_000)  # meeting, training
    view.organisation.setCurrentIndex(0)
    since = TODAY - dt.timedelta(days=20)
    view.date_from.setDate(QDate(since.year, since.month, since.day))
    assert view.current_filter().date_from == since

    def subjects() -> list[str]:
        return sorted(text_at(view.table, r, 2) for r in range(view.table.rowCount()))

    recent = ["Bilateral with the police", "Victim identification"]
    qtbot.waitUntil(lambda: subjects() == recent, timeout=10_000)

    view.date_from.setDate(NO_DATE)
    qtbot.waitUntil(lambda: view.table.rowCount() == 4, timeout=10_000)
    hotspot = next(e for e in view.page.entries if e.kind == "hotspot")
    view.select(hotspot.record.id)
    view.open_selected()
    qtbot.waitUntil(lambda: view.dialog is not dialog and view.dialog is not None, timeout=10_000)
    opened = view.dialog
    assert opened is not None
    history = opened.history.text()
    assert ": Open" in history and ": Anti-Trafficking Police approached" in history
    opened.reject()

    stored = shell.runner.worker.call(lambda: log.entries(main_session(shell)))
    saved = [e.record for e in stored if e.title == "Bilateral with the police"]
    assert isinstance(saved[0], Meeting) and saved[0].meeting_type == "OneToOne"
    assert saved[0].action_items[0].owner_org_id == ids["police"]


def main_session(shell: Shell) -> Session:
    assert shell.signed_in is not None
    return shell.signed_in.session


def test_the_dashboard_lists_overdue_action_items(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    fill(existing)
    main = unlock_as(qtbot, make_shell(existing), CASEWORKER, CASEWORKER_PASSPHRASE)
    view = main.show_page("dashboard")
    assert isinstance(view, DashboardView)
    card = view.overdue_actions
    qtbot.waitUntil(lambda: bool(card.overdue), timeout=10_000)
    assert card.isVisibleTo(view)
    assert card.title.text() == "1 action item from the coordination log is overdue"
    assert "Share the hotline number with all stations" in card.lines.text()
    assert "Anti-Trafficking Police" in card.lines.text()


def test_the_partners_page_exports_what_it_lists(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path, tmp_path: Path
) -> None:
    fill(existing)
    main = unlock_as(qtbot, make_shell(existing), ADMIN, ADMIN_PASSPHRASE)
    view = main.show_page("partners")
    assert isinstance(view, PartnersView)
    qtbot.waitUntil(lambda: view.table.rowCount() == 2, timeout=10_000)
    qtbot.keyClicks(view.search, "police")
    out = tmp_path / "partners.csv"
    view.export_to(out)
    qtbot.waitUntil(lambda: "saved to partners.csv" in view.status.text(), timeout=10_000)
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert [r["Organisation"] for r in rows] == ["Anti-Trafficking Police"]
    view.export_to(tmp_path / "partners.doc")
    qtbot.waitUntil(lambda: ".vcf" in view.status.text(), timeout=10_000)
    assert not (tmp_path / "partners.doc").exists()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_page_renders_in_english_and_arabic(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path, tmp_path: Path, lang: str
) -> None:
    """Also writes docs/screenshots/coordination-LANG.png when SHELTER_DESK_SCREENSHOTS
    names a folder."""
    fill(existing)
    view = coordination_page(qtbot, make_shell(existing, language=lang), ADMIN, ADMIN_PASSPHRASE)
    qtbot.waitUntil(lambda: view.table.rowCount() == 3, timeout=10_000)
    expected = Qt.LayoutDirection.RightToLeft if lang == "ar" else Qt.LayoutDirection.LeftToRight
    assert view.layoutDirection() == expected
    window = view.window()
    window.resize(1280, 760)
    qtbot.wait(100)
    folder = Path(os.environ.get("SHELTER_DESK_SCREENSHOTS", "") or tmp_path)
    out = folder / f"coordination-{lang}.png"
    assert window.grab().save(str(out), "PNG")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 760)


def test_at_the_coordinator_a_shelters_entry_is_read_only_and_shared_numbers_are_told_apart(
    qtbot: QtBot, make_shell: Callable[..., Shell], tmp_path: Path
) -> None:
    a = Party(tmp_path / "a", "Hope House", "shelter", "JO")
    b = Party(tmp_path / "b", "Harbour Home", "shelter", "JO")
    c = Party(tmp_path / "c", "National Coordinator", "coordinator", "JO")
    try:
        a.trust(c)
        b.trust(c)
        for shelter, name in ((a, "Amal"), (b, "Bushra")):
            open_case(shelter.session, first=name, latin=name)
            c.receive(shelter.send(c))
        a.receive(c.send(a))  # the directory: Harbour Home is in it now
        visit = log.save(
            a.session,
            Visit(facility_name="Harbour Home shelter", facility_org_id=b.org_id, visited_on=TODAY),
        )
        c.receive(a.send(c))
    finally:
        for party in (a, b, c):
            party.close()
    main = unlock_as(qtbot, make_shell(tmp_path / "c"), ADMIN, ADMIN_PASSPHRASE)
    view = main.show_page("coordination")
    assert isinstance(view, CoordinationView)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10_000)
    view.select(visit.id)
    assert view.open_button.isEnabled() and not view.delete_button.isEnabled()
    view.open_selected()
    qtbot.waitUntil(lambda: view.dialog is not None and view.dialog.isVisible(), timeout=10_000)
    dialog = view.dialog
    assert dialog is not None and not dialog.editable and dialog.save_button is None
    assert dialog.facility_name.isReadOnly() and not dialog.facility_org.isEnabled()
    dialog.reject()

    cases_view = main.show_page("cases")
    assert isinstance(cases_view, CasesView)
    cases_view.model.set_filter(cases.CaseFilter(sort="name"))
    qtbot.waitUntil(lambda: cases_view.model.case_id(1) is not None, timeout=10_000)
    shown = [cases_view.model.data(cases_view.model.index(r, 0)) for r in range(2)]
    assert ["HH-2026-0001 (Hope House)" in s for s in shown] == [True, False]
    assert "HH-2026-0001 (Harbour Home)" in shown[1]
    workspace = open_first_case(qtbot, cases_view)
    assert "HH-2026-0001 (Hope House)" in workspace.title.text()
    assert workspace.title_text().endswith("HH-2026-0001 (Hope House)")
