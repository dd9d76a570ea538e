"""The new case wizard: keyboard-only intake, consent first, inline messages, the live
Delphi result, and typed work kept across a lock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QLineEdit,
    QPushButton,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from shelter_desk.gui.shell import Shell
from shelter_desk.gui.views.cases import CasesView
from shelter_desk.gui.wizard import NewCaseWizard
from shelter_desk.gui.workspace.window import CaseWorkspace
from shelter_desk.services import cases
from shelter_desk.services.cases import CaseFilter
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.cases_helpers import cases_view, on_worker
from tests.gui.conftest import OFFSCREEN_LIMITS, unlock_as

pytestmark = OFFSCREEN_LIMITS


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def tab_to(qtbot: QtBot, target: QWidget, limit: int = 80) -> None:
    """Press Tab until ``target`` has the keyboard focus."""
    for _press in range(limit):
        if focused() is target:
            return
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.accessibleName()!r}")


def type_text(widget: QWidget, text: str) -> None:
    """Type any script as key events (QTest's keyClicks knows only ASCII)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def unnamed_inputs(root: QWidget) -> list[str]:
    """Inputs under ``root`` that a screen reader could not name."""
    kinds = (QLineEdit, QComboBox, QAbstractButton, QAbstractSpinBox, QAbstractItemView)
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, kinds) or isinstance(widget, QPushButton):
            continue
        inside = widget.parentWidget()
        while inside is not None and not isinstance(
            inside, QCalendarWidget | QComboBox | QAbstractSpinBox | QTabBar | QAbstractItemView
        ):
            inside = inside.parentWidget()
        if inside is not None:
            continue  # a part of a bigger input, named with it
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not widget.accessibleName() and not text:
            found.append(f"{type(widget).__name__} {widget.objectName()}")
    return found


def press(qtbot: QtBot, key: Qt.Key) -> None:
    qtbot.keyClick(focused(), key)


def start_wizard(qtbot: QtBot, view: CasesView) -> NewCaseWizard:
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view.window())
    qtbot.keyClick(view.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    wizard = view.wizard
    assert isinstance(wizard, NewCaseWizard)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard)
    assert unnamed_inputs(wizard) == []
    return wizard


def give_consent(qtbot: QtBot, wizard: NewCaseWizard) -> None:
    assert focused() is wizard.consent.consent_given
    press(qtbot, Qt.Key.Key_Space)
    tab_to(qtbot, wizard.consent.method)
    press(qtbot, Qt.Key.Key_Down)  # "Written"
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.language_page


def test_a_case_is_created_with_the_keyboard_only(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    view = cases_view(qtbot, shell, rows=0)
    wizard = start_wizard(qtbot, view)
    give_consent(qtbot, wizard)

    assert focused() is wizard.language.primary_language
    qtbot.keyClicks(focused(), "Tigrinya")  # a combo box finds an item as you type
    assert wizard.language.primary_language.code() == "ti"
    tab_to(qtbot, wizard.interview.interpreter_language)
    qtbot.keyClicks(focused(), "Arabic")
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.person_page

    assert focused() is wizard.person.first_name
    type_text(focused(), "أمل")
    tab_to(qtbot, wizard.person.first_name_latin)
    qtbot.keyClicks(focused(), "Amal")
    assert wizard.person.first_name.layoutDirection() == Qt.LayoutDirection.RightToLeft
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.identification_page

    tab_to(qtbot, wizard.identification.exploitation_types.list)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Up)  # the first item: forced labour
    press(qtbot, Qt.Key.Key_Space)
    assert wizard.identification.exploitation_types.selected() == ("ForcedLabour",)
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.indicators_page
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.review_page
    assert "Amal" in wizard.review_page.summary.text()
    press(qtbot, Qt.Key.Key_Return)  # Save case

    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10_000)
    assert on_worker(shell, lambda s: cases.count_cases(s, CaseFilter(text="Amal"))) == 1
    row = on_worker(shell, lambda s: cases.case_page(s, CaseFilter(text="Amal"), 0, 1))[0]
    case_file = on_worker(shell, lambda s: cases.load_case(s, row.case_id))
    assert case_file.person.first_name == "أمل"
    assert case_file.person.primary_language == "ti"
    assert case_file.intake is not None and case_file.intake.interpreter_language == "ar"
    assert case_file.consent is not None and case_file.consent.method == "Written"
    workspace = view.tabs.currentWidget()
    assert isinstance(workspace, CaseWorkspace) and workspace.case_id == row.case_id
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)


def test_without_consent_the_wizard_explains_and_goes_no_further(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    view = cases_view(qtbot, make_shell(existing), rows=0)
    wizard = start_wizard(qtbot, view)
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.consent_page
    assert wizard.consent_page.message.isVisible()
    assert "Without the person's consent nothing" in wizard.consent_page.message.message
    wizard.consent.consent_given.setChecked(True)
    assert not wizard.consent_page.message.isVisible()
    press(qtbot, Qt.Key.Key_Return)  # how consent was given is still missing
    assert wizard.currentPage() is wizard.consent_page
    assert wizard.consent.form.fields["method"].message.isVisible()


def test_a_missing_intake_date_is_shown_next_to_the_field(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    view = cases_view(qtbot, make_shell(existing), rows=0)
    wizard = start_wizard(qtbot, view)
    give_consent(qtbot, wizard)
    wizard.interview.intake_date.unknown.setChecked(True)
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.language_page
    message = wizard.interview.form.fields["intake_date"].message
    assert message.isVisible() and message.message == "This field is required."

    # What the service refuses on saving comes back to its own step, all at once.
    wizard.show_errors(
        {"person.first_name": "Enter a name.", "intake.intake_date": "This field is required."}
    )
    assert wizard.currentPage() is wizard.language_page
    assert wizard.person.form.fields["first_name"].message.message == "Enter a name."


def test_the_delphi_result_is_computed_as_indicators_are_ticked(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    view = cases_view(qtbot, make_shell(existing), rows=0)
    wizard = start_wizard(qtbot, view)
    delphi = wizard.indicators.delphi_indicators
    assert "No element of trafficking" in delphi.result_label.text()
    for code in (
        "DeceptiveRecruitment.NatureOfJob",
        "DeceptiveRecruitment.Wages",
        "ExploitativeConditions.ExcessiveHours",
        "ExploitativeConditions.LowOrNoSalary",
    ):
        delphi.set_checked(code, True)
    assert "Not all elements" in delphi.result_label.text()
    assert "positive" in delphi.dimension_items["DeceptiveRecruitment"].text(0)
    delphi.set_checked("CoercionAtDestination.ConfiscationOfDocuments", True)
    delphi.set_checked("CoercionAtDestination.DebtBondage", True)
    assert "Indicators show trafficking for labour exploitation" in delphi.result_label.text()
    delphi.set_checked("CoercionAtDestination.DebtBondage", False)
    assert "Not all elements" in delphi.result_label.text()
    assert wizard.dirty


def test_typed_work_is_kept_across_a_lock_and_offered_back(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    view = cases_view(qtbot, shell, rows=0)
    wizard = start_wizard(qtbot, view)
    give_consent(qtbot, wizard)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.keyClicks(wizard.person.first_name, "Ruth")
    shell.lock_now()

    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    view2 = main.show_page("cases")
    assert isinstance(view2, CasesView)
    qtbot.waitUntil(view2.drafts_banner.isVisible, timeout=5_000)
    assert "new case you started" in view2.drafts_text.text()
    qtbot.mouseClick(view2.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view2.wizard is not None and view2.wizard.isVisible())
    restored = view2.wizard
    assert restored is not None
    assert restored.person.first_name.text() == "Ruth"
    assert restored.currentPage() is restored.person_page
    assert restored.consent.consent_given.isChecked()
