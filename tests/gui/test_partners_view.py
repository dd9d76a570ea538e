"""The Directory page: the organisations cases are referred to, its search and the edit dialog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QTableWidget
from pytestqt.qtbot import QtBot

from shelter_desk.domain.entities import Organisation
from shelter_desk.gui.shell import Shell
from shelter_desk.gui.views.partner_dialog import PartnerDialog
from shelter_desk.gui.views.partners import PartnersView
from shelter_desk.services import cases
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.conftest import CASEWORKER, CASEWORKER_PASSPHRASE, OFFSCREEN_LIMITS, unlock_as

pytestmark = OFFSCREEN_LIMITS


def text_at(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def partners_page(qtbot: QtBot, shell: Shell, user: str, passphrase: str) -> PartnersView:
    main = unlock_as(qtbot, shell, user, passphrase)
    view = main.show_page("partners")
    assert isinstance(view, PartnersView)
    return view


def tick(dialog_list: QListWidget, code: str) -> None:
    for i in range(dialog_list.count()):
        item = dialog_list.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == code:
            item.setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(f"{code} is not offered")


def cells(view: PartnersView, row: int) -> list[str]:
    return [text_at(view.table, row, c) for c in range(view.table.columnCount())]


def test_a_partner_added_through_the_dialog_is_listed_and_stored(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    view = partners_page(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    assert view.add_button.isVisible()
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, PartnerDialog)
    qtbot.waitUntil(dialog.isVisible)

    # Nothing typed and a bad email: the messages appear next to the fields.
    qtbot.keyClicks(dialog.email, "not an address")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    name_message = dialog.form.fields["name"].message
    qtbot.waitUntil(name_message.isVisible)
    assert dialog.form.fields["email"].message.isVisible()
    assert dialog.isVisible()

    qtbot.keyClicks(dialog.name, "Legal Aid Centre Amman")
    dialog.email.clear()
    qtbot.keyClicks(dialog.email, "intake@legalaid.example")
    dialog.type.setCurrentIndex(dialog.type.findData("LegalService"))
    dialog.country.setCurrentIndex(dialog.country.findData("JO"))
    qtbot.keyClicks(dialog.city, "Amman")
    tick(dialog.services, "LegalAid")
    tick(dialog.services, "Interpretation")
    tick(dialog.languages, "ar")
    dialog.coalition_role.setCurrentIndex(dialog.coalition_role.findData("Core"))
    dialog.add_contact_button.click()
    for column, text in ((0, "Rania Saleh"), (3, "rania@legalaid.example")):
        item = dialog.contacts.item(0, column)
        assert item is not None
        item.setText(text)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10_000)

    row = cells(view, 0)
    assert row[:4] == ["Legal Aid Centre Amman", "Legal service", "Jordan", "Amman"]
    assert row[4] == "Legal aid and Interpretation"
    assert row[5] == "Arabic"
    assert row[6] == "Core"
    assert "Legal Aid Centre Amman was saved" in view.status.text()

    # Search by a contact person's name, then by a word no entry has.
    qtbot.keyClicks(view.search, "rania")
    assert view.table.rowCount() == 1
    qtbot.keyClicks(view.search, " nowhere")
    assert view.table.rowCount() == 0
    view.search.clear()
    assert view.table.rowCount() == 1

    stored = shell.runner.worker.call(lambda: cases.organisations(main_session(shell)))
    assert [o.name for o in stored] == ["Legal Aid Centre Amman"]
    assert stored[0].services_offered == ("LegalAid", "Interpretation")
    assert stored[0].contact_persons[0].email == "rania@legalaid.example"

    # Editing keeps the same entry.
    view.select(stored[0].id)
    view.open_selected()
    editor = view.dialog
    assert isinstance(editor, PartnerDialog) and editor is not dialog
    editor.city.setText("Zarqa")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cells(view, 0)[3] == "Zarqa", timeout=10_000)
    again = shell.runner.worker.call(lambda: cases.organisations(main_session(shell)))
    assert [(o.id, o.city) for o in again] == [(stored[0].id, "Zarqa")]


def main_session(shell: Shell) -> Session:
    assert shell.signed_in is not None
    return shell.signed_in.session


def test_a_caseworker_reads_partners_but_cannot_change_them(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    installation = Installation(existing)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    cases.save_organisation(session, Organisation(name="Tbilisi Shelter", country="GE"))
    session.lock()
    installation.release()

    view = partners_page(qtbot, make_shell(existing), CASEWORKER, CASEWORKER_PASSPHRASE)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1)
    assert not view.add_button.isVisible()
    assert cells(view, 0)[2] == "Georgia"
    view.select(view.shown[0].id)
    assert view.open_button.text() == "&Open…"
    view.open_selected()
    dialog = view.dialog
    assert isinstance(dialog, PartnerDialog)
    assert dialog.name.isReadOnly()
    assert dialog.save_button is None
    dialog.reject()
