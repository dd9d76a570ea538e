"""The main window's size: a share of the screen, remembered, and the same width whatever
the language and across a lock (issue 16, Layout)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QSettings, QSize
from pytestqt.qtbot import QtBot

from shelter_desk.gui.geometry import GEOMETRY_KEY, first_size, window_settings
from shelter_desk.gui.main_window import MainWindow
from shelter_desk.gui.views.cases import CasesView
from shelter_desk.gui.workspace.window import CaseWorkspace
from shelter_desk.i18n import LANGUAGES
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.cases_helpers import open_first_case, seed_cases
from tests.gui.conftest import OFFSCREEN_LIMITS, unlock_as
from tests.services.case_helpers import person

pytestmark = OFFSCREEN_LIMITS


def forget_geometry() -> None:
    settings = window_settings()
    settings.remove(GEOMETRY_KEY)
    settings.sync()


def available_of(main: MainWindow) -> tuple[int, int]:
    screen = main.screen()
    assert screen is not None
    area = screen.availableGeometry()
    return area.width(), area.height()


def test_the_window_opens_at_nine_tenths_of_the_screen_and_stays_as_wide_in_every_language(
    qtbot: QtBot, existing: Path, make_shell
) -> None:
    forget_geometry()
    seed_cases(existing, person("Amina", "Bello"))
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    width, height = available_of(main)
    assert main.width() <= width and main.height() == int(height * 0.9)
    assert first_size(QRect(0, 0, 1440, 900)) == QSize(1296, 810)
    main.resize(1100, 700)  # as someone might leave it
    qtbot.wait(10)
    opened = main.width()
    assert opened == 1100

    cases = main.show_page("cases")
    assert isinstance(cases, CasesView)
    workspace = open_first_case(qtbot, cases)
    assert isinstance(workspace, CaseWorkspace)
    for language in (*LANGUAGES, "en"):
        shell.change_language(language)
        for key in main.page_keys():
            main.show_page(key)
            qtbot.wait(5)
            assert main.width() == opened, (language, key, main.width())
        main.show_page("cases")
        cases.tabs.setCurrentWidget(workspace)
        for tab in workspace.case_tabs:
            workspace.tabs.setCurrentWidget(tab)
            qtbot.wait(5)
            assert main.width() == opened, (language, tab.KEY, main.width())


def test_the_size_is_remembered_across_a_lock_and_only_the_geometry_is_kept(
    qtbot: QtBot, existing: Path, make_shell
) -> None:
    forget_geometry()
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    main.resize(790, 650)  # the offscreen screen is 800 wide
    qtbot.wait(10)
    shell.lock_now()
    again = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    assert again is not main
    assert (again.width(), again.height()) == (790, 650)

    settings = window_settings()
    assert settings.format() == QSettings.Format.IniFormat
    assert settings.allKeys() == [GEOMETRY_KEY]
    text = Path(settings.fileName()).read_bytes()
    assert ADMIN.encode() not in text and b"Hope" not in text


def test_a_remembered_size_larger_than_the_screen_is_dropped(
    qtbot: QtBot, existing: Path, make_shell
) -> None:
    forget_geometry()
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    width, height = available_of(main)
    main.resize(width + 400, height + 400)
    shell.lock_now()
    again = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    assert again.width() <= width and again.height() <= height


def test_the_navigation_is_as_wide_as_its_longest_page_name_from_the_first_frame(
    qtbot: QtBot, existing: Path, make_shell
) -> None:
    shell = make_shell(existing, language="ka")
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    first = main.navigation.width()
    metrics = main.navigation.fontMetrics()
    for row in range(main.navigation.count()):
        item = main.navigation.item(row)
        assert metrics.horizontalAdvance(item.text()) < main.navigation.viewport().width()
    qtbot.waitUntil(lambda: not shell.runner.busy, timeout=10_000)
    qtbot.wait(50)
    assert main.navigation.width() == first


def test_the_first_frame_after_unlock_shows_the_cases_not_zero(
    qtbot: QtBot, existing: Path, make_shell
) -> None:
    seed_cases(existing, person("Amina", "Bello"), person("Olena", "Kovalenko"))
    shell = make_shell(existing)
    first_frame: list[tuple[int, bool, str]] = []

    def shown() -> None:  # the moment the window is put on screen
        main = shell.window
        if isinstance(main, MainWindow) and not first_frame:
            view = main.views["cases"]
            assert isinstance(view, CasesView)
            first_frame.append(
                (view.model.rowCount(), view.model.is_loaded(0), view.count_label.text())
            )

    shell.window_changed.connect(shown)
    unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    assert first_frame == [(2, True, "2 cases")]
