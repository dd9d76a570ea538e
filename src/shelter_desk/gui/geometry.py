"""Where the main window opens and how big: a share of the screen the first time, then the
size and place it had when it was last closed or locked.

Only the window's geometry is remembered (Qt settings, an INI file in the user's
configuration folder): never a name, a case number or anything else a person typed.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize
from PySide6.QtWidgets import QWidget

SCREEN_SHARE = 0.9
"""How much of the screen's available area a first window takes."""
GEOMETRY_KEY = "main_window/geometry"
SETTINGS_NAME = "window"


def window_settings() -> QSettings:
    """The settings file of window geometry (INI, per user)."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Shelter Desk", SETTINGS_NAME
    )


def first_size(available: QRect) -> QSize:
    """The size of a window opened for the first time on a screen with this free area."""
    return QSize(int(available.width() * SCREEN_SHARE), int(available.height() * SCREEN_SHARE))


def place_first_time(window: QWidget) -> None:
    """Size the window to a share of its screen's available area and centre it there."""
    screen = window.screen()
    if screen is None:
        return
    available = screen.availableGeometry()
    size = first_size(available)
    window.resize(size)
    frame = QRect(available.topLeft(), size)
    frame.moveCenter(available.center())
    window.move(frame.topLeft())


def restore_geometry(window: QWidget, settings: QSettings | None = None) -> None:
    """Give the window the geometry it had last time, or the first-time one.

    A remembered geometry that does not fit the screen now (a smaller monitor, another
    resolution) is dropped for the first-time one, so the window never opens off screen."""
    settings = settings if settings is not None else window_settings()
    saved = settings.value(GEOMETRY_KEY)
    if isinstance(saved, QByteArray) and not saved.isEmpty() and window.restoreGeometry(saved):
        screen = window.screen()
        if screen is None or _fits(window.size(), screen.availableGeometry().size()):
            return
    place_first_time(window)


def remember_geometry(window: QWidget, settings: QSettings | None = None) -> None:
    """Keep the window's size and place for next time (nothing else)."""
    settings = settings if settings is not None else window_settings()
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.sync()


def _fits(size: QSize, available: QSize) -> bool:
    return size.width() <= available.width() and size.height() <= available.height()
