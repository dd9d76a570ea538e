"""The import wizard on a real installation: IOM's filled Excel template through the File
menu (columns recognised, the check, the import with progress, a second import that adds
nothing), a file with row errors that imports nothing, and the wizard in Arabic."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QWizard
from pytestqt.qtbot import QtBot

from shelter_desk.gui.main_window import MainWindow
from shelter_desk.gui.shell import Shell
from shelter_desk.gui.views.import_wizard import ImportWizard
from shelter_desk.i18n import set_language
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.conftest import CASEWORKER, CASEWORKER_PASSPHRASE, OFFSCREEN_LIMITS, unlock_as
from tests.services import htcds_samples as hs

pytestmark = OFFSCREEN_LIMITS


def _open(qtbot: QtBot, main: MainWindow, path: Path) -> ImportWizard:
    assert main.import_action.isVisible()
    wizard = main.open_import_wizard()
    wizard.file_page.load(path)
    qtbot.waitUntil(wizard.file_page.isComplete, timeout=20_000)
    return wizard


def _to_check(qtbot: QtBot, wizard: ImportWizard) -> None:
    wizard.next()  # the columns
    assert wizard.currentPage() is wizard.mapping_page
    wizard.next()  # the check
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=30_000)


def test_iom_template_imports_through_the_wizard_once(
    qtbot: QtBot,
    make_shell: Callable[..., Shell],
    existing: Path,
    tmp_path: Path,
) -> None:
    path = tmp_path / "htcds.xlsx"
    path.write_bytes(hs.filled_template(hs.samples(50)))
    main = unlock_as(qtbot, make_shell(existing), ADMIN, ADMIN_PASSPHRASE)
    wizard = _open(qtbot, main, path)
    assert "50 rows" in wizard.file_page.status.text()
    wizard.next()
    page = wizard.mapping_page
    headers = [page.table.item(r, 0).text() for r in range(page.table.rowCount())]
    typo = headers.index("vic_TraffickinStatusDecisionMakingOrg")
    combo = page.table.cellWidget(typo, 1)
    assert isinstance(combo, QComboBox)
    assert combo.currentData() == "vic_TraffickingStatusDecisionMakingOrg"
    assert page.dates.currentData() == "iso"  # the template's dates are Excel dates
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=30_000)
    check = wizard.check_page
    assert check.isComplete() and check.problems.rowCount() == 0
    assert check.bar.value() == check.bar.maximum() == 50
    assert "50 rows: 50 ready, 0 with errors" in check.summary.text()
    assert wizard.button(QWizard.WizardButton.CommitButton).text() == "Import"
    wizard.next()
    qtbot.waitUntil(wizard.commit_page.isComplete, timeout=60_000)
    assert wizard.imported == 50
    assert wizard.commit_page.bar.value() == 50
    assert "Imported 50 cases." in wizard.commit_page.summary.text()
    wizard.close()

    again = _open(qtbot, main, path)
    _to_check(qtbot, again)
    assert again.preview is not None and again.preview.already_imported == 50
    assert not again.check_page.isComplete()  # nothing new: no Import button to press
    assert "50 rows were imported before" in again.check_page.summary.text()


def test_a_file_with_row_errors_lists_them_and_cannot_be_imported(
    qtbot: QtBot,
    make_shell: Callable[..., Shell],
    existing: Path,
    tmp_path: Path,
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "prs_FirstName;prs_Gender;cas_IncomingReferralDate\n"
        "Salma;Feminine;13/01/2026\nDana;Robot;14/01/2026\nRana;Feminine;01/31/2026\n",
        encoding="utf-8",
    )
    main = unlock_as(qtbot, make_shell(existing), ADMIN, ADMIN_PASSPHRASE)
    wizard = _open(qtbot, main, path)
    _to_check(qtbot, wizard)
    table = wizard.check_page.problems
    found = [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]
    assert found == [("3", "prs_Gender"), ("4", "cas_IncomingReferralDate")]
    shown = " ".join(table.item(r, 2).text() for r in range(table.rowCount()))
    assert "Robot" not in shown and "Dana" not in shown
    assert not wizard.check_page.isComplete()


def test_a_caseworker_has_no_import(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    main = unlock_as(qtbot, make_shell(existing), CASEWORKER, CASEWORKER_PASSPHRASE)
    assert not main.import_action.isVisible()


def test_the_wizard_in_arabic_is_right_to_left_and_translated(
    qtbot: QtBot,
    make_shell: Callable[..., Shell],
    existing: Path,
    tmp_path: Path,
) -> None:
    path = tmp_path / "htcds.xlsx"
    path.write_bytes(hs.filled_template(hs.samples(5)))
    try:
        main = unlock_as(qtbot, make_shell(existing, language="ar"), ADMIN, ADMIN_PASSPHRASE)
        wizard = _open(qtbot, main, path)
        assert wizard.isRightToLeft()
    finally:
        set_language("en")
