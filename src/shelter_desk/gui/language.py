"""Switching the interface language: our catalogue, Qt's own, direction and font."""

from __future__ import annotations

import functools

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from shelter_desk.gui.fonts import apply_language_font
from shelter_desk.gui.retranslation import retranslate_open_windows
from shelter_desk.i18n import current_language, is_rtl, locale, locale_name, set_language

LATIN_ZERO = "0"


def qt_locale(language: str | None = None) -> QLocale:
    """Qt's locale for the interface language, writing numbers and dates with the same
    digits and separators as the labels and printed forms (babel, Latin digits).

    Qt's own Arabic locale (ar_EG) writes Arabic-Indic digits (٣/١٢/٢٠٢٦) where babel
    writes 3/12/2026: a date box and the label beside it disagreed. Qt then takes the
    locale of the same language whose digits, separators and short date pattern match."""
    return QLocale(_qt_locale_name(language or current_language()))


@functools.cache
def _qt_locale_name(language: str) -> str:
    qt = QLocale(locale_name(language))
    if qt.zeroDigit() == LATIN_ZERO:
        return qt.name()  # no CLDR data loaded: the window shows sooner
    from babel import numbers

    wanted = locale(language)
    group, decimal = numbers.get_group_symbol(wanted), numbers.get_decimal_symbol(wanted)
    pattern = qt.dateFormat(QLocale.FormatType.ShortFormat)
    for other in QLocale.matchingLocales(
        qt.language(), QLocale.Script.AnyScript, QLocale.Country.AnyCountry
    ):
        if (
            other.zeroDigit() == LATIN_ZERO
            and other.groupSeparator() == group
            and other.decimalPoint() == decimal
            and other.dateFormat(QLocale.FormatType.ShortFormat) == pattern
        ):
            return other.name()
    return qt.name()


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
        QLocale.setDefault(qt_locale(language))
        apply_language_font(self._app, language)
        retranslate_open_windows()

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
