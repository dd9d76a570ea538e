"""A whole intake in Arabic with the keyboard alone (issue 16).

After the unlock and the switch to Arabic, nothing here calls a widget's setter, clicks or
moves the focus by hand: every step is a key pressed on the widget that has the focus, as a
caseworker without a mouse (or a screen reader user) would. After every key the focus must
be on a visible, enabled input of the wizard's current page or its buttons, and each page's
Tab order must follow the order the page is read in: top to bottom, right to left.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDateEdit,
    QScrollArea,
    QWidget,
    QWizard,
    QWizardPage,
)
from pytestqt.qtbot import QtBot

from shelter_desk.gui.main_window import MainWindow
from shelter_desk.gui.shell import Shell
from shelter_desk.gui.views.cases import CasesView
from shelter_desk.gui.wizard import NewCaseWizard, StepPage
from shelter_desk.gui.workspace.window import CaseWorkspace
from shelter_desk.i18n import countries, current_language, languages
from shelter_desk.services import cases
from shelter_desk.services.cases import CaseFilter
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.cases_helpers import on_worker
from tests.gui.conftest import OFFSCREEN_LIMITS, unlock_as
from tests.gui.mnemonics import by_letter, marked_texts

pytestmark = OFFSCREEN_LIMITS

Key = Qt.Key
NO_MOD = Qt.KeyboardModifier.NoModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


class Keyboard:
    """Keys pressed on whatever has the focus, checking where the focus lands each time."""

    def __init__(self, qtbot: QtBot, wizard: NewCaseWizard) -> None:
        self.qtbot = qtbot
        self.wizard = wizard

    @property
    def focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "the keyboard focus was lost"
        return widget

    def check_focus(self) -> QWidget:
        """The focus is on a visible, enabled widget of the wizard: on its current page
        (scrolled into view) or on one of its buttons."""
        widget = self.focus
        wizard = self.wizard
        where = describe(widget)
        assert wizard.isAncestorOf(widget), f"focus left the wizard: {where}"
        assert widget.isVisible() and widget.isEnabled(), f"focus on a dead widget: {where}"
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus or isinstance(
            widget, QAbstractButton
        ), where
        page = page_of(widget)
        if page is not None:
            assert page is wizard.currentPage(), f"focus on another page: {where}"
            assert not widget.visibleRegion().isEmpty(), f"focus scrolled out of view: {where}"
        else:
            assert isinstance(widget, QAbstractButton), f"focus outside the pages: {where}"
        return widget

    def press(
        self, key: Qt.Key, modifiers: Qt.KeyboardModifier = NO_MOD, times: int = 1
    ) -> QWidget:
        for _time in range(times):
            self.qtbot.keyClick(self.focus, key, modifiers)
            self.check_focus()
        return self.focus

    def open_popup(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = NO_MOD) -> None:
        """A key that opens a popup on the focus (which the popup then has)."""
        self.qtbot.keyClick(self.check_focus(), key, modifiers)
        self.qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)

    def in_popup(self, *keys: Qt.Key) -> None:
        """Keys pressed in the popup the focus opened (a combo box's list, a calendar),
        which must take them, and close on the last one, giving the focus back."""
        for key in keys:
            popup = QApplication.activePopupWidget()
            assert popup is not None, "no popup is open"
            inside = QApplication.focusWidget()
            assert inside is not None and popup.isAncestorOf(inside), "the popup has no focus"
            self.qtbot.keyClick(inside, key)
        self.qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
        self.check_focus()

    def type(self, text: str) -> None:
        """Type text in any script as the keyboard sends it (QTest knows only ASCII)."""
        for char in text:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, Key.Key_unknown, NO_MOD, char)
                QApplication.sendEvent(self.focus, event)
        self.check_focus()

    def mnemonic(self, label: str, *, stays: bool = True) -> None:
        """Alt and the letter marked with & in ``label``, as an Arabic keyboard sends it."""
        sequence = QKeySequence.mnemonic(label)
        assert not sequence.isEmpty(), f"no mnemonic in {label!r}"
        combined = sequence[0]  # type: ignore[index]  # the stubs lack __getitem__
        letter = chr(combined.key().value)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, combined.key(), Qt.KeyboardModifier.AltModifier, letter)
            QApplication.sendEvent(self.focus, event)
        if stays:  # not a button that closes the wizard
            self.check_focus()

    def tab_to(self, target: QWidget, backwards: bool = False, limit: int = 80) -> None:
        for _press in range(limit):
            if self.focus is target:
                return
            self.press(Key.Key_Tab, SHIFT if backwards else NO_MOD)
        raise AssertionError(f"Tab never reached {describe(target)}")

    def tab_chain(self, backwards: bool = False, limit: int = 80) -> list[QWidget]:
        """Every widget Tab (or Shift+Tab) visits from the focus until it comes back."""
        start = self.focus
        chain = [start]
        stayed = 0
        for _press in range(limit):
            widget = self.press(Key.Key_Tab, SHIFT if backwards else NO_MOD)
            if widget is start:
                return chain
            if widget is not chain[-1]:
                chain.append(widget)
                stayed = 0
                continue
            # Only a date box keeps the focus, to go from day to month to year: once for
            # each part but the last (a second stop on it would be a Tab that does nothing).
            stayed += 1
            sections = widget.sectionCount() if isinstance(widget, QDateEdit) else 1
            assert stayed < sections, f"Tab stayed on {describe(widget)}"
        raise AssertionError(f"Tab never came back to {describe(start)}: a dead end")


def describe(widget: QWidget) -> str:
    return f"{type(widget).__name__} {widget.accessibleName() or widget.objectName()!r}"


def page_of(widget: QWidget) -> StepPage | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QWizard):
        if isinstance(parent, StepPage) or type(parent).__name__ == "ReviewPage":
            return parent  # type: ignore[return-value]
        parent = parent.parentWidget()
    return None


def place(widget: QWidget, wizard: NewCaseWizard) -> tuple[int, QRect]:
    """Where the widget is drawn: (0, its rectangle in the page's scrolled content) or
    (1, its rectangle among the wizard's buttons)."""
    page = page_of(widget)
    if page is None:
        return 1, QRect(widget.mapTo(wizard, QPoint(0, 0)), widget.size())
    scroll = page.findChild(QScrollArea)
    content = scroll.widget() if scroll is not None else None
    return 0, QRect(widget.mapTo(content or page, QPoint(0, 0)), widget.size())


def reads_before(a: QWidget, b: QWidget, wizard: NewCaseWizard) -> bool:
    """Whether ``a`` comes before ``b`` reading the page right to left, top to bottom."""
    (group_a, rect_a), (group_b, rect_b) = place(a, wizard), place(b, wizard)
    if group_a != group_b:
        return group_a < group_b
    same_row = abs(rect_a.center().y() - rect_b.center().y()) < min(
        rect_a.height(), rect_b.height()
    ) / 2 or (rect_a.top() < rect_b.bottom() and rect_b.top() < rect_a.bottom())
    if same_row:
        return rect_a.center().x() > rect_b.center().x()
    return rect_a.top() < rect_b.top()


def assert_reading_order(chain: list[QWidget], wizard: NewCaseWizard) -> None:
    """The Tab cycle, started from the first widget in reading order, reads in order."""
    first = min(range(len(chain)), key=lambda i: _rank(chain[i], wizard))
    cycle = chain[first:] + chain[:first]
    for a, b in itertools.pairwise(cycle):
        assert reads_before(a, b, wizard), (
            f"Tab goes from {describe(a)} {place(a, wizard)} to {describe(b)}"
            f" {place(b, wizard)}, against the reading order"
        )


def _rank(widget: QWidget, wizard: NewCaseWizard) -> tuple[int, int, int]:
    group, rect = place(widget, wizard)
    return group, rect.top(), -rect.center().x()


def name_of(choices: list[tuple[str, str]], code: str) -> str:
    return dict(choices)[code]


def open_wizard_in_arabic(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> tuple[Shell, CasesView, NewCaseWizard]:
    """Unlock, switch to Arabic and open the wizard with Ctrl+N (Latin letters: Qt matches
    them whatever the keyboard layout) from wherever the focus is in the main window."""
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    view = main.show_page("cases")
    assert isinstance(view, CasesView)
    main.language_actions["ar"].trigger()
    assert current_language() == "ar"
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main)
    start = QApplication.focusWidget()
    assert start is not None and main.isAncestorOf(start)
    qtbot.keyClick(start, Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    wizard = view.wizard
    assert isinstance(wizard, NewCaseWizard)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard)
    assert wizard.layoutDirection() == Qt.LayoutDirection.RightToLeft
    return shell, view, wizard


def page_buttons(wizard: NewCaseWizard, page: QWizardPage) -> list[str]:
    """The texts of the buttons shown under ``page``."""
    shown = [QWizard.WizardButton.CancelButton]
    if page is not wizard.consent_page:
        shown.append(QWizard.WizardButton.BackButton)
    last = page is wizard.review_page
    shown.append(QWizard.WizardButton.FinishButton if last else QWizard.WizardButton.NextButton)
    return [wizard.buttonText(b) for b in shown]


def page_mnemonics(wizard: NewCaseWizard, page: QWizardPage) -> dict[str, list[str]]:
    """The texts on ``page`` and its buttons by the Alt+letter each one answers to."""
    return by_letter([*marked_texts(page), *page_buttons(wizard, page)])


@pytest.mark.qt_log_ignore(
    # what the offscreen platform cannot do for a combo box's open list (a display can)
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$"
)
def test_a_whole_intake_in_arabic_with_the_keyboard_alone(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell, view, wizard = open_wizard_in_arabic(qtbot, make_shell, existing)
    keys = Keyboard(qtbot, wizard)

    # 1. Consent: the first box has the focus; Space ticks it and every "told" box.
    assert keys.check_focus() is wizard.consent.consent_given
    chain = keys.tab_chain()
    assert_reading_order(chain, wizard)
    assert keys.tab_chain(backwards=True) == [chain[0], *reversed(chain[1:])]
    keys.press(Key.Key_Space)
    for name in (
        "informed_of_purpose",
        "informed_of_data_use",
        "informed_of_right_of_access",
        "informed_of_retention",
        "informed_of_withdrawal",
    ):
        keys.tab_to(wizard.consent.boxes[name])
        keys.press(Key.Key_Space)
    keys.tab_to(wizard.consent.boxes["share_with_partners"])
    keys.press(Key.Key_Space)
    keys.tab_to(wizard.consent.method)
    keys.press(Key.Key_Down)  # written
    keys.press(Key.Key_Return)
    assert wizard.currentPage() is wizard.language_page

    # 2. Languages: a combo box finds a name as it is typed, in Arabic.
    assert keys.check_focus() is wizard.language.primary_language
    chain = keys.tab_chain()
    assert_reading_order(chain, wizard)
    assert keys.tab_chain(backwards=True) == [chain[0], *reversed(chain[1:])]
    names = languages(("ti", "ar"))
    keys.type(name_of(names, "ti"))
    # The intake date a year ago: Tab moves through the date box's parts, Down steps one.
    # (Qt opens a date box's calendar only with the mouse: the date is typed or stepped.)
    date_box = wizard.interview.intake_date.edit
    keys.tab_to(date_box)
    for _part in range(date_box.sectionCount()):
        if date_box.currentSection() == QDateEdit.Section.YearSection:
            break
        keys.press(Key.Key_Tab)
    assert keys.focus is date_box
    keys.press(Key.Key_Down)
    keys.tab_to(wizard.interview.interpreter_language)
    keys.type(name_of(names, "ar"))
    # Back to the consent and forward again, through the buttons reached with Tab.
    back = wizard.button(QWizard.WizardButton.BackButton)
    keys.tab_to(back)
    keys.press(Key.Key_Space)
    assert wizard.currentPage() is wizard.consent_page
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    keys.tab_to(next_button)
    keys.press(Key.Key_Space)
    assert wizard.currentPage() is wizard.language_page
    keys.tab_to(next_button)
    keys.press(Key.Key_Space)
    assert wizard.currentPage() is wizard.person_page

    # 3. The person: the name in Arabic script, a year of birth, two citizenships found by
    # typing their names into the filter.
    assert keys.check_focus() is wizard.person.first_name
    chain = keys.tab_chain()
    assert_reading_order(chain, wizard)
    assert keys.tab_chain(backwards=True) == [chain[0], *reversed(chain[1:])]
    keys.type("فاطمة")
    keys.press(Key.Key_Tab)
    assert keys.focus is wizard.person.second_name
    keys.type("الحسن")
    keys.press(Key.Key_Tab)
    qtbot.keyClicks(keys.check_focus(), "Fatima")
    keys.press(Key.Key_Tab)
    qtbot.keyClicks(keys.check_focus(), "Al-Hassan")
    keys.tab_to(wizard.person.estimated_birth_year)
    keys.type("1998")
    keys.press(Key.Key_Tab)
    assert keys.focus is wizard.person.gender
    keys.open_popup(Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # "not answered",
    keys.in_popup(Key.Key_Down, Key.Key_Return)  # then "feminine"
    citizenships = wizard.person.citizenships
    keys.tab_to(citizenships.filter)
    country = dict(countries())
    keys.type(country["SY"])
    keys.press(Key.Key_Tab)
    assert keys.focus is citizenships.list
    # The Tab walk above left the list's first country (now filtered out) current: Space
    # must tick the country in sight, not that hidden one.
    keys.press(Key.Key_Space)
    assert citizenships.selected() == ("SY",)
    keys.press(Key.Key_Tab, SHIFT)
    assert keys.focus is citizenships.filter
    keys.press(Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    keys.type(country["ER"])
    keys.press(Key.Key_Tab)
    keys.press(Key.Key_Space)
    assert set(citizenships.selected()) == {"SY", "ER"}
    keys.press(Key.Key_Return)
    assert wizard.currentPage() is wizard.identification_page

    # 4. Identification: tick boxes in lists with the arrows and Space.
    chain = keys.tab_chain()
    assert_reading_order(chain, wizard)
    assert keys.tab_chain(backwards=True) == [chain[0], *reversed(chain[1:])]
    keys.tab_to(wizard.identification.exploitation_types.list)
    keys.press(Key.Key_Space)  # the first: forced labour
    assert wizard.identification.exploitation_types.selected() == ("ForcedLabour",)
    keys.press(Key.Key_Return)
    assert wizard.currentPage() is wizard.indicators_page

    # 5. Indicators: the ILO list, then the Delphi tree (headings cannot be ticked).
    chain = keys.tab_chain()
    assert_reading_order(chain, wizard)
    ilo = wizard.indicators.forced_labour_indicators
    assert keys.focus is ilo.list
    keys.press(Key.Key_Space)
    keys.press(Key.Key_Down, times=2)
    keys.press(Key.Key_Space)
    assert len(ilo.selected()) == 2
    keys.press(Key.Key_Tab)
    delphi = wizard.indicators.delphi_indicators
    assert keys.focus is delphi.tree
    keys.press(Key.Key_Down)
    keys.press(Key.Key_Space)
    assert len(delphi.selected()) == 1
    keys.press(Key.Key_Return)
    assert wizard.currentPage() is wizard.review_page

    # 6. Check and save, with the Save button's Arabic mnemonic.
    summary = wizard.review_page.summary.text()
    assert "فاطمة" in summary and country["SY"] in summary
    chain = keys.tab_chain()
    assert_reading_order(chain, wizard)
    keys.mnemonic(wizard.button(QWizard.WizardButton.FinishButton).text(), stays=False)

    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10_000)
    # Where the focus goes back once the window manager activates the main window again
    # (the offscreen platform has none): a visible input, not one of the closed wizard.
    main = view.window()
    back_home = main.focusWidget()
    assert back_home is not None and back_home.isVisible() and back_home.isEnabled()
    found = CaseFilter(text="فاطمة")
    assert on_worker(shell, lambda s: cases.count_cases(s, found)) == 1
    row = on_worker(shell, lambda s: cases.case_page(s, found, 0, 1))[0]
    case_file = on_worker(shell, lambda s: cases.load_case(s, row.case_id))
    person = case_file.person
    assert (person.first_name, person.second_name) == ("فاطمة", "الحسن")
    assert (person.first_name_latin, person.second_name_latin) == ("Fatima", "Al-Hassan")
    assert person.estimated_birth_year == 1998 and person.gender == "Feminine"
    assert set(person.citizenships) == {"SY", "ER"}
    assert person.primary_language == "ti"
    consent = case_file.consent
    assert consent is not None and consent.consent_given and consent.method == "Written"
    assert consent.informed_of_purpose and consent.informed_of_withdrawal
    assert consent.share_with_partners and not consent.research
    assert consent.given_on == dt.date.today()
    intake = case_file.intake
    assert intake is not None and intake.interpreter_language == "ar"
    year_ago = QDate.currentDate().addYears(-1)
    assert intake.intake_date == dt.date(year_ago.year(), year_ago.month(), year_ago.day())
    assert intake.exploitation_types == ("ForcedLabour",)
    assert len(intake.forced_labour_indicators) == 2 and len(intake.delphi_indicators) == 1

    workspace = view.tabs.currentWidget()
    assert isinstance(workspace, CaseWorkspace) and workspace.case_id == row.case_id
    assert back_home is workspace.sections  # the new case's, not the navigation list
    qtbot.waitUntil(lambda: workspace.case_file is not None, timeout=10_000)
    assert "فاطمة" in workspace.title.text()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)


def test_each_label_of_the_wizard_takes_the_focus_to_its_field_with_alt_in_arabic(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    """Alt and the marked Arabic letter (as an Arabic keyboard sends it) focuses the field,
    also one made of several inputs (a date or "Not known", a filtered list, a list of
    rows); a letter two texts of the step share is left to the next test."""
    _shell, _view, wizard = open_wizard_in_arabic(qtbot, make_shell, existing)
    keys = Keyboard(qtbot, wizard)
    reached = []
    for step in wizard.steps:
        assert wizard.currentPage() is step
        shared = {k for k, texts in page_mnemonics(wizard, step).items() if len(texts) > 1}
        for _record, section in step.sections:
            for field in section.form.fields.values():
                text = field.label.text()
                sequence = QKeySequence.mnemonic(text)
                if sequence.isEmpty() or sequence.toString() in shared:
                    continue
                keys.mnemonic(text)
                assert field.widget.isAncestorOf(keys.focus) or keys.focus is field.widget, (
                    f"{text!r} took the focus to {describe(keys.focus)}"
                )
                reached.append(field.widget)
        if step is wizard.consent_page:
            keys.tab_to(wizard.consent.consent_given)
            keys.press(Key.Key_Space)
            keys.tab_to(wizard.consent.method)
            keys.press(Key.Key_Down)
        if step is wizard.person_page:
            keys.tab_to(wizard.person.first_name)
            keys.type("س")
        keys.press(Key.Key_Return)
    assert wizard.currentPage() is wizard.review_page
    composite = (
        wizard.person.birth_date,  # "not known" is ticked: its box, not the disabled date
        wizard.person.citizenships,
        wizard.person.documents,
        wizard.indicators.delphi_indicators,
    )
    assert all(widget in reached for widget in composite)


@pytest.mark.parametrize("language", ["en", "he", "ar", "ka", "ru"])
def test_no_two_texts_of_a_wizard_step_answer_to_the_same_alt_letter(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path, language: str
) -> None:
    """Two texts with one letter make Alt+letter only move the focus between them (a
    button no longer presses): Next would never turn the page."""
    _shell, view, wizard = open_wizard_in_arabic(qtbot, make_shell, existing)
    main = view.window()
    assert isinstance(main, MainWindow)
    main.language_actions[language].trigger()
    clashes = {
        page.title(): {k: t for k, t in page_mnemonics(wizard, page).items() if len(t) > 1}
        for page in (*wizard.steps, wizard.review_page)
    }
    assert {title: c for title, c in clashes.items() if c} == {}
