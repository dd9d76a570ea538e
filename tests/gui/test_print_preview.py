"""Printing from the GUI: the print dialog renders a form on the worker into an in-memory
preview, which prints to a printer or saves a PDF only where the person chose; both audited."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import pypdf
import pytest
import shiboken6
from pypdf.generic import DictionaryObject
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from shelter_desk.gui.main_window import MainWindow
from shelter_desk.gui.print_dialog import PrintDialog, open_print_dialog
from shelter_desk.gui.print_preview import FORM_LABELS, PrintPreview, prepare_printer
from shelter_desk.gui.shell import Shell
from shelter_desk.reports.names import FORMS
from shelter_desk.security.permissions import Role
from shelter_desk.services import users
from shelter_desk.services.installation import Installation
from shelter_desk.services.session import Session
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.cases_helpers import on_worker
from tests.gui.conftest import CASEWORKER, CASEWORKER_PASSPHRASE, OFFSCREEN_LIMITS, unlock_as
from tests.services.case_helpers import open_case

pytestmark = OFFSCREEN_LIMITS

AUDITOR, AUDITOR_PASSPHRASE = "ruth", "copper willow seventy kestrel"
RENDER_TIMEOUT = 20_000


@pytest.fixture(autouse=True)
def own_temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Qt and Python put temporary files here during these tests, so a test can see that
    none is written."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder


def files_holding_a_pdf(root: Path) -> list[Path]:
    """Every file under ``root`` that is (or holds) a PDF in the clear."""
    return sorted(p for p in root.rglob("*") if p.is_file() and b"%PDF-" in p.read_bytes())


def events(shell: Shell, action: str) -> list[tuple[str, str]]:
    def read(session: Session) -> list[tuple[str, str]]:
        return [
            (e.object_type, e.object_id) for e in session.audit_log.events() if e.action == action
        ]

    return on_worker(shell, read)


def new_case_number(shell: Shell) -> tuple[str, str]:
    case_file = on_worker(shell, lambda session: open_case(session))
    return case_file.case.number, case_file.case.id


def choose(combo_owner: PrintDialog, *, form: str, lang: str = "en") -> None:
    combo_owner.form_choice.setCurrentIndex(combo_owner.form_choice.findData(form))
    combo_owner.language.setCurrentIndex(combo_owner.language.findData(lang))


def preview_from(qtbot: QtBot, dialog: PrintDialog) -> PrintPreview:
    with qtbot.waitSignal(dialog.preview_shown, timeout=RENDER_TIMEOUT) as shown:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    preview = shown.args[0]
    assert isinstance(preview, PrintPreview)
    return preview


def test_every_printable_form_has_a_name_in_the_dialog() -> None:
    assert tuple(FORM_LABELS) == FORMS


def test_a_blank_arabic_intake_opens_in_the_preview_and_goes_on_lock(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path, tmp_path: Path
) -> None:
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    assert main.print_action.isVisible()
    assert main.print_action.shortcut().matches(Qt.Modifier.CTRL | Qt.Key.Key_P)
    shell.change_language("ar")
    dialog = main.open_print_dialog()
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.isRightToLeft()  # the interface language mirrors the dialog
    assert dialog.language.currentData() == "ar"  # the interface language comes first
    choose(dialog, form="intake", lang="ar")
    assert not dialog.redact.isEnabled()  # nothing to leave out of a blank form

    preview = preview_from(qtbot, dialog)
    assert preview.document.status() == QPdfDocument.Status.Ready
    assert preview.page_count() > 1
    assert preview.isRightToLeft()
    assert preview.document.getAllText(0).text()  # real text, not an empty page
    assert not preview.previous_button.isEnabled()
    qtbot.mouseClick(preview.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: preview.current_page() == 1)
    assert preview.page_box.value() == 2
    assert preview.previous_button.isEnabled()
    preview.page_box.setValue(preview.page_count())
    qtbot.waitUntil(lambda: preview.current_page() == preview.page_count() - 1)
    assert not preview.next_button.isEnabled()
    fitted = preview.shown_zoom()
    qtbot.mouseClick(preview.zoom_in_button, Qt.MouseButton.LeftButton)
    assert preview.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert preview.shown_zoom() == pytest.approx(fitted * 1.25)  # from what was shown
    qtbot.mouseClick(preview.fit_page_button, Qt.MouseButton.LeftButton)
    assert preview.shown_zoom() < fitted  # a whole page is smaller than its width

    assert events(shell, "print") == [("form", "intake")]
    assert files_holding_a_pdf(tmp_path) == []  # rendered in memory only

    shell.lock_now()
    qtbot.waitUntil(lambda: not shiboken6.isValid(preview))


def shown_text(preview: PrintPreview) -> str:
    """The first page's text as the preview's own document reads it (pdfium's extraction,
    what copy and search in the preview see)."""
    return preview.document.getAllText(0).text()


def test_a_filled_case_summary_and_a_copy_without_names(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, CASEWORKER, CASEWORKER_PASSPHRASE)
    number, case_id = new_case_number(shell)
    dialog = open_print_dialog(main, main.context, case_number=number)
    assert dialog.chosen_form() == "case-summary"
    assert dialog.case_number.text() == number
    preview = preview_from(qtbot, dialog)
    text = shown_text(preview)
    assert number in text
    assert "Mohammed" in text
    assert number in preview.windowTitle()

    second = open_print_dialog(main, main.context, case_number=number)
    second.redact.setChecked(True)
    redacted = preview_from(qtbot, second)
    assert number in shown_text(redacted)
    assert "Mohammed" not in shown_text(redacted)
    assert events(shell, "print") == [("case", case_id), ("case", case_id)]


def test_the_dialog_says_what_is_missing_next_to_the_field(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    dialog = open_print_dialog(main, main.context)
    choose(dialog, form="case-summary")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    message = dialog.form.fields["case"].message
    qtbot.waitUntil(message.isVisible)
    assert "give its number" in message.message

    qtbot.keyClicks(dialog.case_number, "HH-1999-000042")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "There is no case HH-1999-000042" in message.message)
    assert dialog.isVisible()
    assert events(shell, "print") == []


def test_save_as_pdf_writes_only_the_chosen_file_and_is_audited(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path, tmp_path: Path
) -> None:
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, CASEWORKER, CASEWORKER_PASSPHRASE)
    number, case_id = new_case_number(shell)
    dialog = open_print_dialog(main, main.context, case_number=number)
    choose(dialog, form="intake", lang="he")
    dialog.second_language.setCurrentIndex(dialog.second_language.findData("en"))
    preview = preview_from(qtbot, dialog)

    chosen = tmp_path / "chosen folder" / "for the referral.pdf"
    chosen.parent.mkdir()
    asked: list[str] = []

    def pick(_parent: object, suggested: str) -> Path:
        asked.append(suggested)
        return chosen

    preview.choose_save_path = pick
    with qtbot.waitSignal(preview.saved, timeout=RENDER_TIMEOUT):
        qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)

    assert asked == [f"intake-{number}.pdf"]
    assert files_holding_a_pdf(tmp_path) == [chosen]
    assert sorted(p.name for p in chosen.parent.iterdir()) == [chosen.name]  # no leftovers
    saved = pypdf.PdfReader(chosen)
    assert len(saved.pages) == preview.page_count()
    assert number in saved.pages[0].extract_text()
    assert "not encrypted" in preview.status.text()
    assert events(shell, "export") == [("case", case_id)]


def test_printing_sends_every_page_to_the_chosen_printer(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path, tmp_path: Path
) -> None:
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    dialog = open_print_dialog(main, main.context)
    choose(dialog, form="consent", lang="ka")
    dialog.paper.setCurrentIndex(dialog.paper.findData("letter"))
    preview = preview_from(qtbot, dialog)

    print_dialog = preview.ask_printer()  # Print… offers every installed printer
    assert isinstance(print_dialog, QPrintDialog)
    qtbot.waitUntil(print_dialog.isVisible)
    print_dialog.reject()
    assert events(shell, "print") == [("form", "consent")]  # cancelled: nothing printed

    # A printer that writes a PDF file stands in for the one on the desk.
    out = tmp_path / "printer" / "page.pdf"
    out.parent.mkdir()
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(96)
    prepare_printer(printer, preview.document, "Consent form")
    with qtbot.waitSignal(preview.printed, timeout=RENDER_TIMEOUT) as printed:
        preview.print_on(printer)

    assert printed.args == [preview.page_count()]
    paper = pypdf.PdfReader(out)
    assert len(paper.pages) == preview.page_count()
    width, height = float(paper.pages[0].mediabox.width), float(paper.pages[0].mediabox.height)
    assert (round(width), round(height)) == (612, 792)  # Letter, as chosen
    resources = cast(DictionaryObject, paper.pages[0]["/Resources"].get_object())
    xobjects = cast(DictionaryObject, resources["/XObject"].get_object())
    drawn = [cast(DictionaryObject, x.get_object()) for x in xobjects.values()]
    assert [(x["/Subtype"], x["/Width"]) for x in drawn] == [("/Image", 816)]  # 8.5 in at 96 dpi
    assert events(shell, "print") == [("form", "consent"), ("form", "consent")]
    assert "sent to the printer" in preview.status.text()


def test_an_auditor_cannot_print(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    installation = Installation(existing)
    session = installation.unlock(ADMIN, ADMIN_PASSPHRASE)
    users.add_user(session, AUDITOR, Role.AUDITOR, AUDITOR_PASSPHRASE)
    session.lock()
    installation.release()

    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, AUDITOR, AUDITOR_PASSPHRASE)
    assert isinstance(main, MainWindow)
    assert not main.print_action.isVisible()
    dialog = open_print_dialog(main, main.context)
    choose(dialog, form="intake")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    def refusal() -> QMessageBox | None:
        boxes = [w for w in main.findChildren(QMessageBox) if w.isVisible()]
        boxes += [w for w in dialog.findChildren(QMessageBox) if w.isVisible()]
        return boxes[0] if boxes else None

    qtbot.waitUntil(lambda: refusal() is not None, timeout=RENDER_TIMEOUT)
    box = refusal()
    assert box is not None
    assert box.text() == "Your role (Auditor) may not do this."
    assert dialog.isVisible()
    assert not [w for w in main.findChildren(PrintPreview)]
