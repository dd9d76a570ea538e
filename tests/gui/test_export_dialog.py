"""The export dialog from the File menu on a real installation: a CTDC release, an HTCDS
export encrypted with a passphrase (refused while the passphrases differ), the intake form
for a caseworker, and the dialog in Arabic."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from shelter_desk.gui.main_window import MainWindow
from shelter_desk.gui.shell import Shell
from shelter_desk.gui.views import export_dialog as ed
from shelter_desk.i18n import set_language
from shelter_desk.services import cases
from shelter_desk.services.installation import Installation
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.conftest import CASEWORKER, CASEWORKER_PASSPHRASE, OFFSCREEN_LIMITS, unlock_as
from tests.services.case_helpers import TODAY, consent, intake, person

pytestmark = OFFSCREEN_LIMITS
FILE_PASSPHRASE = "saffron bicycle lagoon thirteen"


def _cases(data_dir: Path, count: int) -> None:
    installation = Installation(data_dir)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    for n in range(count):
        cases.open_case(
            session,
            person(first=f"Name{n}", estimated_birth_year=1990),
            intake(),
            consent(sharing_level="StatisticsOnly"),
            today=TODAY,
        )
    session.lock()
    installation.release()


def _dialog(main: MainWindow, kind: str) -> ed.ExportDialog:
    assert main.export_action.isVisible()
    dialog = main.open_export_dialog()
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
    return dialog


def test_a_ctdc_release_from_the_file_menu(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path, tmp_path: Path
) -> None:
    _cases(existing, 11)
    main = unlock_as(qtbot, make_shell(existing), ADMIN, ADMIN_PASSPHRASE)
    dialog = _dialog(main, ed.CTDC_GLOBAL)
    assert not dialog.protection.isVisible()
    out = tmp_path / "ctdc.csv"
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        dialog.export_to(out)
    assert dialog.outcome.text().startswith("Release 1: 11 cases in")
    assert out.read_bytes().decode("utf-8-sig").startswith("yearOfRegistration,Datasource,")
    assert "Name" not in out.read_text(encoding="utf-8-sig")


def test_htcds_is_encrypted_with_a_passphrase_that_matches(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path, tmp_path: Path
) -> None:
    _cases(existing, 2)
    main = unlock_as(qtbot, make_shell(existing), ADMIN, ADMIN_PASSPHRASE)
    dialog = _dialog(main, ed.HTCDS)
    dialog.show()
    assert dialog.protection.currentData() == ed.PASSPHRASE  # encrypted unless changed
    assert dialog.passphrase.isVisible() and not dialog.warning.isVisible()
    out = tmp_path / "htcds.xlsx"
    qtbot.keyClicks(dialog.passphrase, FILE_PASSPHRASE)
    qtbot.keyClicks(dialog.repeat, "something else entirely")
    dialog.export_to(out)
    assert dialog.outcome.text() == "The two passphrases are not the same."
    assert dialog.choose_file() is None
    dialog.repeat.clear()
    qtbot.keyClicks(dialog.repeat, "abc")
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, "abc")
    dialog.export_to(out)
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled() and dialog.outcome.text() != "")
    assert not out.exists()  # a weak passphrase is refused, nothing written
    dialog.passphrase.setText(FILE_PASSPHRASE)
    dialog.repeat.setText(FILE_PASSPHRASE)
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        dialog.export_to(out)
    assert dialog.outcome.text() == f"2 cases were exported to {out}."
    assert out.read_bytes().startswith(b"age-encryption.org/")
    assert dialog.passphrase.text() == ""
    dialog.protection.setCurrentIndex(dialog.protection.findData(ed.PLAIN))
    assert dialog.warning.isVisible()


def test_a_caseworker_may_export_only_the_intake_form(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path, tmp_path: Path
) -> None:
    main = unlock_as(qtbot, make_shell(existing), CASEWORKER, CASEWORKER_PASSPHRASE)
    dialog = main.open_export_dialog()
    assert [dialog.kind.itemData(i) for i in range(dialog.kind.count())] == [ed.XLSFORM]
    out = tmp_path / "intake.xlsx"
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        dialog.export_to(out)
    assert out.read_bytes().startswith(b"PK")


def test_the_dialog_in_arabic_is_right_to_left(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    try:
        main = unlock_as(qtbot, make_shell(existing, language="ar"), ADMIN, ADMIN_PASSPHRASE)
        dialog = _dialog(main, ed.HTCDS)
        assert dialog.isRightToLeft()
        assert dialog.kind.count() == 4 and dialog.layoutDirection().name == "RightToLeft"
    finally:
        set_language("en")
