"""Dialogs on accounts: an administrator adds a user, resets a passphrase or changes a role;
anyone changes their own passphrase.

Each dialog runs its change on the database worker and stays open with the messages next to
the fields when the change is refused, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain.errors import AuthError, ShelterDeskError, ValidationError
from shelter_desk.gui.forms import Form, passphrase_edit, passphrase_rule
from shelter_desk.gui.operations import OpRunner, run_op, show_error
from shelter_desk.gui.retranslation import Retranslated
from shelter_desk.i18n import _
from shelter_desk.security.permissions import ROLE_LABELS, Role
from shelter_desk.services import users
from shelter_desk.services.session import Session


def role_combo(selected: str = Role.CASEWORKER) -> QComboBox:
    combo = QComboBox()
    fill_role_combo(combo, selected)
    return combo


def fill_role_combo(combo: QComboBox, selected: str) -> None:
    combo.clear()
    for role in Role:
        combo.addItem(_(ROLE_LABELS[role]), str(role))
    combo.setCurrentIndex(max(combo.findData(str(selected)), 0))


Text = Callable[[], str]
"""A text given as a function, so that it is translated again after a language switch."""


def _no_text() -> str:
    return ""


class AccountDialog(Retranslated, QDialog):
    """A form that runs one account change on the worker; accepted once it succeeded."""

    done_with = Signal(str)
    """Emitted with the user name after the change was saved."""

    make_work: Callable[[], Callable[[], str]]
    """Set by each dialog: reads the fields and returns the change to run on the worker
    (which returns the user name it changed)."""

    def __init__(
        self, runner: OpRunner, session: Session, title: Text, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.session = session
        self.title_text = title
        self.intro_text: Text = _no_text
        self.ok_text: Text = _no_text
        self.rules: list[QLabel] = []
        self.role_combos: list[QComboBox] = []
        self.setMinimumWidth(460)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.form = Form(QFormLayout())
        self.general_message = QLabel()
        self.general_message.setWordWrap(True)
        self.general_message.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form.layout)
        layout.addWidget(self.general_message)
        layout.addWidget(self.buttons)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def add_passphrase_rule(self) -> None:
        rule = QLabel()
        rule.setWordWrap(True)
        self.form.layout.addRow(rule)
        self.rules.append(rule)

    def retranslate(self) -> None:
        self.setWindowTitle(self.title_text())
        self.intro.setText(self.intro_text())
        self.ok_button.setText(self.ok_text())
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.form.retranslate()
        for rule in self.rules:
            rule.setText(passphrase_rule())
        for combo in self.role_combos:
            fill_role_combo(combo, str(combo.currentData()))

    def submit(self) -> None:
        """Check what can be checked here, then save on the worker."""
        self.form.clear_errors()
        problems = self.local_problems()
        if problems:
            self.form.show_errors(problems)
            return
        self.ok_button.setEnabled(False)
        run_op(
            self,
            self.runner,
            self.make_work(),
            self._saved,
            self._refused,
            progress_title=_("Saving…"),
        )

    def local_problems(self) -> dict[str, str]:
        """Problems found without the database (two passphrases that differ)."""
        return {}

    def _saved(self, username: str) -> None:
        self.done_with.emit(username)
        self.accept()

    def _refused(self, error: ShelterDeskError) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(error, ValidationError):
            leftover = self.form.show_errors(error.errors)
            if leftover:
                self._show_general("\n".join(leftover))
        else:
            show_error(self, error.message)

    def _show_general(self, text: str) -> None:
        self.general_message.setText(text)
        self.general_message.show()


def _repeat_problem(first: QLineEdit, second: QLineEdit) -> dict[str, str]:
    if first.text() != second.text():
        return {"repeat": _("The two passphrases are not the same.")}
    return {}


class AddUserDialog(AccountDialog):
    def __init__(self, runner: OpRunner, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(runner, session, lambda: _("Add a user"), parent)
        self.intro_text = lambda: _(
            "The new user signs in with this user name and passphrase. Tell them the"
            " passphrase in person; they can change it after signing in."
        )
        self.ok_text = lambda: _("&Add user")
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.role = role_combo()
        self.role_combos.append(self.role)
        self.passphrase = passphrase_edit()
        self.repeat = passphrase_edit()
        self.form.add("username", lambda: _("&User name:"), self.username)
        self.form.add("display_name", lambda: _("&Full name (optional):"), self.display_name)
        self.form.add("role", lambda: _("&Role:"), self.role)
        self.form.add("passphrase", lambda: _("Pa&ssphrase:"), self.passphrase)
        self.form.add("repeat", lambda: _("Re&peat passphrase:"), self.repeat)
        self.add_passphrase_rule()
        self.retranslate()
        self.username.setFocus()
        self.make_work = self._change

    def local_problems(self) -> dict[str, str]:
        return _repeat_problem(self.passphrase, self.repeat)

    def _change(self) -> Callable[[], str]:
        session = self.session
        username = self.username.text().strip()
        display_name = self.display_name.text().strip()
        role = str(self.role.currentData())
        passphrase = self.passphrase.text()

        def add() -> str:
            users.add_user(session, username, role, passphrase, display_name=display_name)
            return username

        return add


class ResetPassphraseDialog(AccountDialog):
    def __init__(
        self, runner: OpRunner, session: Session, username: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(runner, session, lambda: _("Reset a passphrase"), parent)
        self.username = username
        self.intro_text = lambda: _(
            "Set a new passphrase for {name}. Their old passphrase stops working; a"
            " disabled account is enabled again."
        ).format(name=username)
        self.ok_text = lambda: _("&Reset passphrase")
        self.passphrase = passphrase_edit()
        self.repeat = passphrase_edit()
        self.form.add("passphrase", lambda: _("&New passphrase:"), self.passphrase)
        self.form.add("repeat", lambda: _("Re&peat passphrase:"), self.repeat)
        self.add_passphrase_rule()
        self.retranslate()
        self.passphrase.setFocus()
        self.make_work = self._change

    def local_problems(self) -> dict[str, str]:
        return _repeat_problem(self.passphrase, self.repeat)

    def _change(self) -> Callable[[], str]:
        session, username, passphrase = self.session, self.username, self.passphrase.text()

        def reset() -> str:
            users.reset_passphrase(session, username, passphrase)
            return username

        return reset


class ChangeRoleDialog(AccountDialog):
    def __init__(
        self,
        runner: OpRunner,
        session: Session,
        username: str,
        current_role: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, session, lambda: _("Change a role"), parent)
        self.username = username
        self.intro_text = lambda: _("Choose what {name} may do in Shelter Desk.").format(
            name=username
        )
        self.ok_text = lambda: _("&Change role")
        self.role = role_combo(current_role)
        self.role_combos.append(self.role)
        self.form.add("role", lambda: _("&Role:"), self.role)
        self.retranslate()
        self.role.setFocus()
        self.make_work = self._change

    def _change(self) -> Callable[[], str]:
        session, username, role = self.session, self.username, str(self.role.currentData())

        def change() -> str:
            users.set_role(session, username, role)
            return username

        return change


class ChangePassphraseDialog(AccountDialog):
    """Any signed-in person changes their own passphrase (knowing the current one)."""

    def __init__(self, runner: OpRunner, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(runner, session, lambda: _("Change my passphrase"), parent)
        self.intro_text = lambda: _(
            "Type your current passphrase, then the new one twice. The old passphrase"
            " stops working at once."
        )
        self.ok_text = lambda: _("&Change passphrase")
        self.current = passphrase_edit()
        self.passphrase = passphrase_edit()
        self.repeat = passphrase_edit()
        self.form.add("current", lambda: _("C&urrent passphrase:"), self.current)
        self.form.add("passphrase", lambda: _("&New passphrase:"), self.passphrase)
        self.form.add("repeat", lambda: _("Re&peat new passphrase:"), self.repeat)
        self.add_passphrase_rule()
        self.retranslate()
        self.current.setFocus()
        self.make_work = self._change

    def local_problems(self) -> dict[str, str]:
        return _repeat_problem(self.passphrase, self.repeat)

    def _change(self) -> Callable[[], str]:
        session, current, new = self.session, self.current.text(), self.passphrase.text()
        username = session.user.username

        def change() -> str:
            users.change_own_passphrase(session, current, new)
            return username

        return change

    def _refused(self, error: ShelterDeskError) -> None:
        if isinstance(error, AuthError):
            self.ok_button.setEnabled(True)
            self.form.show_errors({"current": error.message})
            return
        super()._refused(error)
