"""Switching the interface language: our catalogue, Qt's own, direction and font."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from shelter_desk.gui.fonts import apply_language_font
from shelter_desk.i18n import is_rtl, set_language


class InterfaceLanguage:
    """Applies a language to the running application.

    Besides our gettext catalogue it loads Qt's ``qtbase_<lang>.qm`` (when Qt ships one) so
    standard dialogs and buttons speak the same language, flips the layout direction from
    the locale's character order and picks the font families for the script.
    """

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._qt_translator: QTranslator | None = None

    def apply(self, language: str) -> None:
        set_language(language)
        self._load_qt_translations(language)
        direction = (
            Qt.LayoutDirection.RightToLeft if is_rtl(language) else Qt.LayoutDirection.LeftToRight
        )
        self._app.setLayoutDirection(direction)
        apply_language_font(self._app, language)

    def remove_qt_translations(self) -> None:
        if self._qt_translator is not None:
            self._app.removeTranslator(self._qt_translator)
            self._qt_translator.deleteLater()
            self._qt_translator = None

    def _load_qt_translations(self, language: str) -> None:
        self.remove_qt_translations()
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        translator = QTranslator(self._app)
        if translator.load(f"qtbase_{language}", folder):
            self._app.installTranslator(translator)
            self._qt_translator = translator
        else:
            translator.deleteLater()

    @property
    def qt_translations_loaded(self) -> bool:
        return self._qt_translator is not None
