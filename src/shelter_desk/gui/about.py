"""Help > About: which release this is (what a bug report needs first), and where its data is.

Nothing from inside the database is shown: only the version, the data folder's path and the
versions of Qt and Python the program runs on.
"""

from __future__ import annotations

import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from shelter_desk import __version__
from shelter_desk.gui.retranslation import Retranslated
from shelter_desk.i18n import _, isolate


def version_line() -> str:
    """``Shelter Desk 0.2.0`` (the same message the printed forms' footers carry)."""
    return _("Shelter Desk {version}").format(version=__version__)


class AboutDialog(Retranslated, QDialog):
    def __init__(self, data_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.data_folder = Path(data_folder)
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.description = QLabel()
        self.folder = QLabel()
        self.built_with = QLabel()
        for label in (self.title, self.description, self.folder, self.built_with):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for label in (self.title, self.description, self.folder, self.built_with):
            layout.addWidget(label)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("About Shelter Desk"))
        self.title.setText(version_line())
        self.description.setText(
            _(
                "Shelter Desk {version}: case management for anti-trafficking shelters and"
                " national coordinators. Everything is kept encrypted on this computer."
            ).format(version=__version__)
        )
        self.folder.setText(_("Data folder: {path}").format(path=isolate(str(self.data_folder))))
        self.built_with.setText(
            _("Running on Qt {qt} (PySide6 {pyside}) and Python {python}.").format(
                qt=qVersion(), pyside=PySide6.__version__, python=platform.python_version()
            )
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
