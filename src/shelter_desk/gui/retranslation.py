"""Open dialogs follow a language switch.

The main window re-translates its pages itself; a dialog (settings, print, users, export,
import, a directory entry...) is another window, opened before the switch. Every dialog
takes :class:`Retranslated` as its first base and sets all of its texts in ``retranslate``;
:func:`retranslate_open_windows` (called whenever the interface language is applied)
calls it on every such window that is open. Qt's own ``LanguageChange`` event (sent when
its translations are installed) resets the standard buttons of a QDialogButtonBox to Qt's
words, so a dialog also sets its texts again just after that event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from shelter_desk.i18n import _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    _Base = QWidget
else:
    _Base = object


class Retranslated(_Base):
    """A window whose texts are all set in :meth:`retranslate`."""

    def retranslate(self) -> None:
        """Set every visible text again in the current language."""
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            QTimer.singleShot(0, self, self.retranslate)  # after Qt's buttons took their words
        super().changeEvent(event)


def retranslate_open_windows() -> None:
    """Set the texts of every open dialog again (after the language changed)."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, Retranslated):
            widget.retranslate()


def label_form_buttons(buttons: QDialogButtonBox) -> None:
    """The words of a record form's Save, Cancel and Close, in the current language (Qt's
    own would follow Qt's catalogue, without our shortcuts)."""
    for button, text in (
        (QDialogButtonBox.StandardButton.Save, _("&Save")),
        (QDialogButtonBox.StandardButton.Cancel, _("Cancel")),
        (QDialogButtonBox.StandardButton.Close, _("&Close")),
    ):
        if buttons.button(button) is not None:
            buttons.button(button).setText(text)
