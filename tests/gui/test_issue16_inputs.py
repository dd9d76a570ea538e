"""Issue 16, layout of inputs: a language picker offers the languages a shelter meets
first and no dead ones; the citizenship list is tall enough and gives the mouse wheel to
the form around it; the new case wizard asks for the interpreter once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QScrollArea, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from shelter_desk.gui.shell import Shell
from shelter_desk.gui.widgets.inputs import COUNTRY_ROWS_SHOWN, country_checklist, language_combo
from shelter_desk.gui.widgets.language_lists import SHELTER_LANGUAGES
from shelter_desk.i18n import current_language, set_language
from tests.gui.cases_helpers import cases_view
from tests.gui.conftest import OFFSCREEN_LIMITS
from tests.gui.test_wizard import start_wizard

pytestmark = OFFSCREEN_LIMITS


@pytest.fixture
def english() -> Iterator[None]:
    before = current_language()
    set_language("en")
    yield
    set_language(before)


def test_the_languages_shelters_meet_come_first_and_dead_ones_are_not_offered(
    qtbot: QtBot, english: None
) -> None:
    combo = language_combo()
    qtbot.addWidget(combo)
    codes = [str(combo.itemData(i) or "") for i in range(combo.count())]
    labels = [combo.itemText(i) for i in range(combo.count())]
    common = len(SHELTER_LANGUAGES)
    assert codes[0] == "" and labels[0] == "Not known"
    assert set(codes[1 : common + 1]) == SHELTER_LANGUAGES
    assert labels[1 : common + 1] == sorted(labels[1 : common + 1])
    assert labels[1:4] == ["Amharic", "Arabic", "Armenian"]
    assert codes[common + 1] == "" and labels[common + 1] == ""  # the separator
    assert "Georgian" in labels[1 : common + 1] and "Ainu" in labels[common + 2 :]
    for dead in ("akk", "grc", "la", "ang", "und"):
        assert dead not in codes
    combo.set_code("ka")
    assert combo.code() == "ka" and combo.currentText() == "Georgian"
    combo.set_code("la")  # stored earlier: kept, shown by its name
    assert combo.code() == "la" and combo.currentText() == "Latin"
    combo.retranslate()
    assert combo.code() == "la" and combo.currentText() == "Latin"


def wheel_down(widget: QWidget) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_citizenship_list_shows_several_rows_and_leaves_the_wheel_to_the_form(
    qtbot: QtBot, english: None
) -> None:
    content = QWidget()
    layout = QVBoxLayout(content)
    other = QLineEdit()
    checklist = country_checklist()
    layout.addWidget(other)
    layout.addWidget(checklist)
    for _n in range(30):
        layout.addWidget(QLineEdit())
    outer = QScrollArea()
    outer.setWidgetResizable(True)
    outer.setWidget(content)
    outer.resize(500, 400)
    qtbot.addWidget(outer)
    outer.show()
    qtbot.waitExposed(outer)
    rows = checklist.list
    assert rows.height() >= COUNTRY_ROWS_SHOWN * rows.sizeHintForRow(0)

    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    wheel_down(rows.viewport())
    assert rows.verticalScrollBar().value() == 0
    assert outer.verticalScrollBar().value() > 0  # the form scrolled, not the list

    outer.verticalScrollBar().setValue(0)
    checklist.filter.setFocus()  # working in the checklist: the wheel scrolls its list
    qtbot.waitUntil(checklist.filter.hasFocus)
    wheel_down(rows.viewport())
    assert rows.verticalScrollBar().value() > 0
    assert outer.verticalScrollBar().value() == 0

    rows.verticalScrollBar().setValue(rows.verticalScrollBar().maximum())
    wheel_down(rows.viewport())  # at its end the list gives the wheel to the form
    assert outer.verticalScrollBar().value() > 0


def test_the_wizard_asks_for_the_interpreter_once_for_consent_and_interview(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    view = cases_view(qtbot, make_shell(existing), rows=0)
    wizard = start_wizard(qtbot, view)
    shown = [
        combo
        for page in wizard.steps
        for _record, section in page.sections
        for name, field in section.form.fields.items()
        if name == "interpreter_language"
        for combo in [field.widget]
    ]
    assert shown == [wizard.interview.interpreter_language]
    assert not wizard.consent.interpreter_language.isVisibleTo(wizard)

    # Consent given through an interpreter: the language is missing, said on step 2.
    wizard.consent.method.set_code("OralWithInterpreter")
    wizard.consent.consent_given.setChecked(True)
    wizard.next()
    assert wizard.currentPage() is wizard.language_page
    wizard.next()
    assert wizard.currentPage() is wizard.language_page
    message = wizard.interview.form.fields["interpreter_language"].message
    assert message.isVisible() and message.message

    wizard.interview.interpreter_language.set_code("ti")
    wizard.next()
    assert wizard.currentPage() is wizard.person_page
    _person, intake, consent = wizard.collect()
    assert intake.interpreter_language == consent.interpreter_language == "ti"


def test_ticking_consent_after_the_warning_leaves_the_rows_where_they_were(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    view = cases_view(qtbot, make_shell(existing), rows=0)
    wizard = start_wizard(qtbot, view)
    wizard.next()  # no consent yet: the warning above the form
    page = wizard.consent_page
    assert page.message.isVisible()
    box = wizard.consent.boxes["informed_of_purpose"]
    qtbot.waitUntil(lambda: box.mapTo(wizard, box.rect().topLeft()).y() > 0)
    before = box.mapTo(wizard, box.rect().topLeft())
    wizard.consent.consent_given.setChecked(True)
    assert not page.message.isVisible()
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    qtbot.wait(50)
    assert box.mapTo(wizard, box.rect().topLeft()) == before


def test_a_message_at_the_bottom_of_a_step_is_scrolled_into_view_whole(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    view = cases_view(qtbot, make_shell(existing), rows=0)
    wizard = start_wizard(qtbot, view)
    page = wizard.consent_page
    long = " ".join(["The date consent was given cannot be after the intake date."] * 6)
    page.show_errors({"consent.given_on": long})
    message = wizard.consent.form.fields["given_on"].message
    viewport = page._scroll.viewport()
    qtbot.waitUntil(message.isVisible)
    top = message.mapTo(viewport, message.rect().topLeft())
    bottom = message.mapTo(viewport, message.rect().bottomLeft())
    assert top.y() >= 0 and bottom.y() <= viewport.height()


@pytest.mark.parametrize("lang", ["ka", "ru", "en", "he"])
def test_every_tick_box_of_the_consent_sits_on_the_same_side(
    qtbot: QtBot, lang: str, make_shell: Callable[..., Shell], existing: Path
) -> None:
    view = cases_view(qtbot, make_shell(existing), rows=0)
    wizard = start_wizard(qtbot, view)
    before = current_language()
    set_language(lang)
    try:
        rtl = lang == "he"
        wizard.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        )
        wizard.retranslate()
        section = wizard.consent
        for _round in range(3):
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        qtbot.wait(50)
        boxes = [section.consent_given, *section.boxes.values()]
        # A box drawn at its start edge: its tick sits where the widget begins (a wrapped
        # row's box stretched over the whole width had its tick at the far start).
        half = section.width() / 2
        for box in boxes:
            start = box.mapTo(section, box.rect().topRight() if rtl else box.rect().topLeft())
            assert (start.x() < half) if rtl else (start.x() > half), box.text()
    finally:
        set_language(before)
        wizard.retranslate()
