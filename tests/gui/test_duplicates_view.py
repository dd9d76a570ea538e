"""The Possible duplicates page at a coordinator: pairs of two shelters' pseudonymised cases
(one spelled in Latin letters, one in Arabic or Hebrew script), confirmed, undone and
dismissed through the buttons (audited); the page rendered in English and Arabic."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from shelter_desk.gui.shell import Shell
from shelter_desk.gui.views.duplicates import DuplicatesView
from shelter_desk.services import cases, exchange
from shelter_desk.services.duplicates import decisions as duplicates
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.conftest import OFFSCREEN_LIMITS, unlock_as
from tests.services.case_helpers import TODAY, consent, intake, person
from tests.sync.sync_parties import NETWORK_SECRET, Party

pytestmark = OFFSCREEN_LIMITS

PEOPLE = (  # (at Hope House, at Amal Shelter, birth years)
    (("Yasmin", "Haddad"), ("ياسمين", "حداد"), (1998, 1999)),
    (("Omar", "Khalil"), ("عمر", "خليل"), (1990, 1990)),
    (("Yosef", "Cohen"), ("יוסף", "כהן"), (1985, 1986)),
)


def coordinator(folder: Path) -> Path:
    """Two shelters sharing pseudonymised cases with a coordinator; its folder."""
    a = Party(folder / "a", "Hope House", "shelter", "JO")
    b = Party(folder / "b", "Amal Shelter", "shelter", "JO")
    c = Party(folder / "c", "National Coordinator", "coordinator", "JO")
    try:
        for shelter in (a, b):
            shelter.trust(c)
            exchange.set_network_secret(shelter.session, NETWORK_SECRET)
        for latin, written, (year_a, year_b) in PEOPLE:
            for shelter, (first, second), year in ((a, latin, year_a), (b, written, year_b)):
                cases.open_case(
                    shelter.session,
                    person(first=first, latin="", second=second, birth_date=dt.date(year, 2, 3)),
                    intake(),
                    consent(sharing_level="Pseudonymised"),
                    today=TODAY,
                )
        _other = person(first="Salma", latin="", second="Nasser")
        cases.open_case(a.session, _other, intake(), consent(), today=TODAY)
        for shelter in (a, b):
            c.receive(shelter.send(c))
    finally:
        for party in (a, b, c):
            party.close()
    return folder / "c"


def duplicates_page(qtbot: QtBot, shell: Shell) -> DuplicatesView:
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    view = main.show_page("duplicates")
    assert isinstance(view, DuplicatesView)
    qtbot.waitUntil(lambda: view.table.rowCount() == len(PEOPLE), timeout=20_000)
    return view


def cell(view: DuplicatesView, row: int, column: int) -> str:
    item = view.table.item(row, column)
    assert item is not None
    return item.text()


def test_pairs_are_confirmed_undone_and_dismissed_with_the_buttons(
    qtbot: QtBot, make_shell: Callable[..., Shell], tmp_path: Path
) -> None:
    shell = make_shell(coordinator(tmp_path))
    view = duplicates_page(qtbot, shell)
    for row in range(3):
        assert {cell(view, row, 1), cell(view, row, 3)} == {"Hope House", "Amal Shelter"}
    assert view.count.text() == "3 pairs"
    assert not view.same_button.isEnabled() and not view.dismiss_button.isEnabled()

    view.table.setCurrentCell(0, 0)
    assert view.same_button.isEnabled() and not view.undo_button.isEnabled()
    first = view.pairs[0]
    qtbot.mouseClick(view.same_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(view, 0, 5) == "Linked: same person", timeout=10_000)
    view.table.setCurrentCell(0, 0)
    assert view.undo_button.isEnabled() and not view.same_button.isEnabled()
    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(view, 0, 5) == "Not decided", timeout=10_000)
    view.table.setCurrentCell(0, 0)
    qtbot.mouseClick(view.dismiss_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.table.rowCount() == 2, timeout=10_000)
    assert first.case_a not in {p.case_a for p in view.pairs}

    assert shell.signed_in is not None
    session = shell.signed_in.session
    events = shell.runner.worker.call(lambda: session.audit_log.events())
    decided = [e.action for e in events if e.object_type == "case_pair"]
    assert decided == [duplicates.AUDIT_SAME, duplicates.AUDIT_UNDONE, duplicates.AUDIT_DIFFERENT]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_page_renders_in_english_and_arabic(
    qtbot: QtBot, make_shell: Callable[..., Shell], tmp_path: Path, lang: str
) -> None:
    """Also writes docs/screenshots/duplicates-LANG.png when SHELTER_DESK_SCREENSHOTS names
    a folder."""
    view = duplicates_page(qtbot, make_shell(coordinator(tmp_path), language=lang))
    expected = Qt.LayoutDirection.RightToLeft if lang == "ar" else Qt.LayoutDirection.LeftToRight
    assert view.layoutDirection() == expected
    qtbot.waitUntil(lambda: not view.context.runner.busy, timeout=10_000)
    view.table.setCurrentCell(1, 0)
    qtbot.waitUntil(lambda: view.dismiss_button.isEnabled(), timeout=10_000)
    window = view.window()
    window.resize(1280, 760)
    qtbot.wait(100)
    folder = Path(os.environ.get("SHELTER_DESK_SCREENSHOTS", "") or tmp_path)
    out = folder / f"duplicates-{lang}.png"
    assert window.grab().save(str(out), "PNG")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 760)
