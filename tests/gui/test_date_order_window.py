"""The window writes dates as the organisation's country does, or in the order chosen in
the settings: date boxes and labels alike, at once after saving and at the next unlock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from shelter_desk.gui.shell import Shell
from shelter_desk.gui.views.administration import AdministrationView
from shelter_desk.gui.views.settings_dialog import SettingsDialog
from shelter_desk.gui.widgets.inputs import DateField
from shelter_desk.i18n import date_style, set_date_style
from shelter_desk.i18n.date_style import DateStyle
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.gui.conftest import OFFSCREEN_LIMITS, unlock_as

pytestmark = OFFSCREEN_LIMITS

DAY = dt.date(2026, 12, 3)


def sample(dialog: SettingsDialog) -> str:
    return dialog.date_sample.text().replace("\u2068", "").replace("\u2069", "")


def shown(qtbot: QtBot) -> str:
    field = DateField()
    qtbot.addWidget(field)
    field.set_date(DAY)
    assert field.date() == DAY
    return field.edit.text()


def test_the_date_box_follows_the_country_or_the_order_chosen(qtbot: QtBot) -> None:
    assert shown(qtbot) == "12/3/2026"  # no organisation: CLDR's English
    set_date_style(DateStyle("IL"))
    assert shown(qtbot) == "03/12/2026"
    set_date_style(DateStyle("IL", "mdy"))
    assert shown(qtbot) == "12/3/2026"
    set_date_style(DateStyle("US", "ymd"))
    assert shown(qtbot) == "2026-12-03"


def test_an_israeli_installation_in_english_writes_the_day_first_until_told_otherwise(
    qtbot: QtBot, make_shell: Callable[..., Shell], existing: Path
) -> None:
    shell = make_shell(existing)
    main = unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    assert date_style() == DateStyle("IL", "")
    assert shown(qtbot) == "03/12/2026"

    view = main.show_page("administration")
    assert isinstance(view, AdministrationView)
    qtbot.waitUntil(lambda: view.settings is not None)
    view.open_settings()
    dialog = view.dialog
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitUntil(lambda: dialog.loaded)
    assert dialog.date_order.currentData() == ""
    assert "03/12/2026 or 3 Dec 2026" in sample(dialog)
    dialog.date_order.setCurrentIndex(dialog.date_order.findData("mdy"))
    assert "12/3/26 or Dec 3, 2026" in sample(dialog)
    assert date_style() == DateStyle("IL", "")  # nothing changes before the save
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.data_status.text() == "The settings were saved.")
    assert date_style() == DateStyle("IL", "mdy")
    assert shown(qtbot) == "12/3/2026"

    shell.lock_now()
    set_date_style(DateStyle())
    unlock_as(qtbot, shell, ADMIN, ADMIN_PASSPHRASE)
    assert date_style() == DateStyle("IL", "mdy")
