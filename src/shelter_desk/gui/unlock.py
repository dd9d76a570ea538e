"""The unlock window: choose your name, type your passphrase.

It shows the user names (they are in the key slots file beside the database, readable
without a key) and nothing else: no organisation, no counts, nothing from inside the
encrypted database.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.gui.forms import FieldMessage, passphrase_edit
from shelter_desk.gui.operations import OpRunner, run_op
from shelter_desk.gui.signed_in import SignedIn, unlock_and_read
from shelter_desk.i18n import LANGUAGES, _, current_language, language_name
from shelter_desk.services.installation import DEMO_ACCOUNTS, Installation


class UnlockWindow(QWidget):
    unlocked = Signal(object)
    """Emitted with a :class:`SignedIn` once the passphrase opened the database."""
    language_requested = Signal(str)
    """The person chose another interface language before signing in."""

    def __init__(
        self,
        runner: OpRunner,
        installation: Installation,
        usernames: Sequence[str],
        *,
        is_demo: bool = False,
        demo_login: tuple[str, str] | None = None,
        preselect: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.installation = installation
        self.is_demo = is_demo
        self.demo_login = demo_login
        self.preferred_user = preselect

        self.language_label = QLabel()
        self.language = QComboBox()
        self.language_label.setBuddy(self.language)
        # Each language named in itself, readable before switching (from i18n's table of the
        # interface languages: no CLDR data is loaded before this window shows).
        self._name_languages()
        self.language.activated.connect(
            lambda index: self.language_requested.emit(str(self.language.itemData(index)))
        )
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.demo_banner = QLabel()
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setWordWrap(True)
        self.demo_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo_banner.setStyleSheet(
            "border: 2px solid #8a5a00; background: #fff4d6; color: #3d2800; padding: 8px;"
        )
        self.demo_banner.setVisible(is_demo)
        self.user_label = QLabel()
        self.user_list = QListWidget()
        self.user_label.setBuddy(self.user_list)
        self.passphrase_label = QLabel()
        self.passphrase = passphrase_edit()
        self.passphrase_label.setBuddy(self.passphrase)
        self.message = FieldMessage()
        self.message.setObjectName("unlockMessage")
        self.unlock_button = QPushButton()
        self.unlock_button.setDefault(True)
        self.unlock_button.setAutoDefault(True)

        layout = QVBoxLayout(self)
        language_row = QHBoxLayout()
        language_row.addStretch(1)
        language_row.addWidget(self.language_label)
        language_row.addWidget(self.language)
        layout.addLayout(language_row)
        layout.addWidget(self.title)
        layout.addWidget(self.demo_banner)
        layout.addWidget(self.user_label)
        layout.addWidget(self.user_list, 1)
        layout.addWidget(self.passphrase_label)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.message)
        layout.addWidget(self.unlock_button)
        QWidget.setTabOrder(self.user_list, self.passphrase)
        QWidget.setTabOrder(self.passphrase, self.unlock_button)
        QWidget.setTabOrder(self.unlock_button, self.language)

        self.passphrase.returnPressed.connect(self.unlock)
        self.unlock_button.clicked.connect(self.unlock)
        self.user_list.itemActivated.connect(lambda _item: self.passphrase.setFocus())
        self.set_usernames(usernames, preselect)
        self.retranslate()
        self.resize(440, 520)

    def _name_languages(self) -> None:
        if self.language.count():
            return
        for code in LANGUAGES:
            self.language.addItem(language_name(code), code)
        self.language.setCurrentIndex(max(self.language.findData(current_language()), 0))

    def set_usernames(self, usernames: Sequence[str], preselect: str = "") -> None:
        current = preselect or self.selected_username() or self.preferred_user
        self.user_list.clear()
        self.user_list.addItems(list(usernames))
        self._usernames = list(usernames)
        self._show_demo_banner()
        matches = self.user_list.findItems(current, Qt.MatchFlag.MatchExactly) if current else []
        if matches:
            self.user_list.setCurrentItem(matches[0])
        elif self.user_list.count() == 1 or (self.user_list.count() and not current):
            self.user_list.setCurrentRow(0)
        self.passphrase.setFocus()

    def selected_username(self) -> str:
        item = self.user_list.currentItem()
        return item.text() if item is not None else ""

    def retranslate(self) -> None:
        self.setWindowTitle(_("Shelter Desk — locked"))
        self.title.setText(_("Unlock Shelter Desk"))
        self.user_label.setText(_("&Who are you?"))
        self.user_list.setAccessibleName(_("User name"))
        self.passphrase_label.setText(_("Pa&ssphrase:"))
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.unlock_button.setText(_("&Unlock"))
        self.language_label.setText(_("&Language:"))
        self.language.setAccessibleName(_("Interface language"))
        self.language.setCurrentIndex(max(self.language.findData(current_language()), 0))
        self._show_demo_banner()

    def _show_demo_banner(self) -> None:
        if self.demo_login is not None:
            user, passphrase = self.demo_login
            banner = _(
                "DEMO INSTALLATION: every person in it is invented. Do not enter real"
                " cases here. Sign in as {user} with the passphrase {passphrase}"
            ).format(user=user, passphrase=passphrase)
            others = [a for a in DEMO_ACCOUNTS if a.username in self._usernames]
            if others:
                logins = "; ".join(f"{a.username} / {a.passphrase}" for a in others)
                # TRANSLATORS: after "Sign in as demo with the passphrase ..." on the unlock
                # window of a demo installation; {logins} is "caseworker / its-passphrase; ...".
                banner += "\n" + _("Other roles to try (user name / passphrase): {logins}").format(
                    logins=logins
                )
        else:
            banner = _(
                "DEMO INSTALLATION: every person in it is invented. Do not enter real cases here."
            )
        self.demo_banner.setText(banner)

    # -- unlocking -----------------------------------------------------------------
    def unlock(self) -> None:
        username = self.selected_username()
        if not username:
            self.message.show_message(_("Choose your user name first."))
            self.user_list.setFocus()
            return
        passphrase = self.passphrase.text()
        self.passphrase.clear()
        if not passphrase:
            self.message.show_message(_("Type your passphrase."))
            self.passphrase.setFocus()
            return
        self.message.clear_message()
        self.unlock_button.setEnabled(False)
        installation = self.installation
        run_op(
            self,
            self.runner,
            lambda: unlock_and_read(installation, username, passphrase),
            self._unlocked,
            self._refused,
            progress_title=_("Unlocking…"),
        )

    def _unlocked(self, signed_in: SignedIn) -> None:
        self.unlocked.emit(signed_in)

    def _refused(self, error: ShelterDeskError) -> None:
        self.unlock_button.setEnabled(True)
        self.message.show_message(error.message)
        self.passphrase.setFocus()
