"""After switching to Arabic (or Hebrew, Georgian, Russian) no interface text is left in
English on any main screen, and switching back restores English."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from shelter_desk.domain.entities import Person
from shelter_desk.gui.main_window import MainWindow
from shelter_desk.gui.shell import Shell
from shelter_desk.i18n import load_translations
from shelter_desk.i18n.catalogues import read
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.cases_helpers import open_first_case, seed_cases
from tests.gui.conftest import OFFSCREEN_LIMITS, unlock_as

pytestmark = OFFSCREEN_LIMITS


def _plain(text: str) -> str:
    return re.sub(r"&(?!&)", "", text).replace("&&", "&").strip()


def english_that_should_change(lang: str) -> set[str]:
    """English interface strings whose translation differs (so seeing them is a miss)."""
    translations = load_translations(lang)
    found = set()
    for message in read("en"):
        if not message.id or isinstance(message.id, tuple) or "{" in message.id:
            continue
        english = _plain(message.id)
        if len(english) >= 3 and _plain(translations.gettext(message.id)) != english:
            found.add(english)
    return found


def texts(root: QWidget) -> Iterator[str]:
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLabel | QAbstractButton):
            yield widget.text()
        if isinstance(widget, QGroupBox):
            yield widget.title()
        if isinstance(widget, QLineEdit):
            yield widget.placeholderText()
        if isinstance(widget, QComboBox):
            yield from (widget.itemText(i) for i in range(widget.count()))
        if isinstance(widget, QTabWidget):
            yield from (widget.tabText(i) for i in range(widget.count()))
        yield widget.toolTip()
        yield widget.accessibleName()


def leftovers(main: MainWindow, english: set[str]) -> list[str]:
    """English strings anywhere in the window: menus, status bar, navigation and every page
    built so far (shown or not: a hidden page must be translated when it is shown)."""
    actions = main.findChildren(QAction)
    seen = [_plain(t) for t in [*texts(main), *(a.text() for a in actions)] if t]
    return sorted({t for t in seen if t in english})


@pytest.mark.parametrize("lang", ["ar", "he", "ka", "ru"])
def test_every_main_screen_is_fully_translated(
    lang: str, qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    seed_cases(existing, Person(first_name="Olga", first_name_latin="Olga", citizenships=("UA",)))
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    english = english_that_should_change(lang)
    for key in main.page_keys():
        main.show_page(key)
    cases_view = main.show_page("cases")
    qtbot.waitUntil(lambda: cases_view.model.rowCount() == 1, timeout=10_000)
    open_first_case(qtbot, cases_view)
    qtbot.waitUntil(lambda: not shell.runner.busy, timeout=10_000)

    main.language_actions[lang].trigger()
    qtbot.waitUntil(lambda: not shell.runner.busy, timeout=10_000)
    direction = (
        Qt.LayoutDirection.RightToLeft if lang in ("ar", "he") else Qt.LayoutDirection.LeftToRight
    )
    assert QApplication.layoutDirection() == direction
    for key in main.page_keys():
        main.show_page(key)
        assert leftovers(main, english) == [], key

    main.language_actions["en"].trigger()
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert main.show_page("cases").heading.text() == "Cases"
