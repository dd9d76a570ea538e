"""The Administration page: user accounts (add, disable, reset passphrase, change role)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from shelter_desk.gui.operations import run_op
from shelter_desk.gui.views.base import View, ViewContext
from shelter_desk.gui.views.user_dialogs import (
    AccountDialog,
    AddUserDialog,
    ChangeRoleDialog,
    ResetPassphraseDialog,
)
from shelter_desk.i18n import N_, _, language_name
from shelter_desk.security.permissions import ROLE_LABELS, Permission, Role
from shelter_desk.services import users
from shelter_desk.services.session import UserRow

COLUMNS = (N_("User name"), N_("Name"), N_("Role"), N_("Language"), N_("Status"))


class AdministrationView(View):
    HEADING = N_("Administration")

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.can_manage = context.session.can(Permission.MANAGE_USERS)
        self.accounts: list[UserRow] = []
        self.dialog: AccountDialog | None = None
        self.users_heading = QLabel()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = QPushButton()
        self.disable_button = QPushButton()
        self.reset_button = QPushButton()
        self.role_button = QPushButton()
        self.add_button.clicked.connect(self.open_add_user)
        self.disable_button.clicked.connect(self.ask_disable)
        self.reset_button.clicked.connect(self.open_reset_passphrase)
        self.role_button.clicked.connect(self.open_change_role)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.not_allowed = QLabel()
        self.not_allowed.setWordWrap(True)

        buttons = QHBoxLayout()
        for button in (self.add_button, self.disable_button, self.reset_button, self.role_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.body.addWidget(self.users_heading)
        self.body.addWidget(self.table, 1)
        self.body.addLayout(buttons)
        self.body.addWidget(self.status)
        self.body.addWidget(self.not_allowed)
        for widget in (self.users_heading, self.table, self.add_button):
            widget.setVisible(self.can_manage)
        for button in (self.disable_button, self.reset_button, self.role_button):
            button.setVisible(self.can_manage)
        self.not_allowed.setVisible(not self.can_manage)
        self.retranslate()
        self._update_buttons()
        if self.can_manage:
            self.refresh()

    def retranslate(self) -> None:
        super().retranslate()
        self.users_heading.setText(_("User accounts"))
        self.table.setAccessibleName(_("User accounts"))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.add_button.setText(_("&Add user…"))
        self.disable_button.setText(_("&Disable"))
        self.reset_button.setText(_("&Reset passphrase…"))
        self.role_button.setText(_("Change r&ole…"))
        self.not_allowed.setText(
            _("User accounts are managed by an administrator. Your role may read the audit log.")
        )
        self._fill(self.accounts)

    # -- reading -------------------------------------------------------------------
    def refresh(self) -> None:
        session = self.context.session
        run_op(self, self.context.runner, lambda: users.list_users(session), self._fill)

    def _fill(self, accounts: Sequence[UserRow]) -> None:
        selected = self.selected_username()
        self.accounts = list(accounts)
        self.table.setRowCount(len(self.accounts))
        for row, account in enumerate(self.accounts):
            status = _("Disabled") if account.disabled else _("Active")
            cells = (
                account.username,
                account.display_name,
                _(ROLE_LABELS[Role(account.role)]),
                language_name(account.language),
                status,
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
            if account.username == selected:
                self.table.selectRow(row)
        self._update_buttons()

    def selected_account(self) -> UserRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.accounts):
            return None
        return self.accounts[rows[0].row()]

    def selected_username(self) -> str:
        account = self.selected_account()
        return account.username if account else ""

    def select_user(self, username: str) -> None:
        for row, account in enumerate(self.accounts):
            if account.username == username:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        account = self.selected_account()
        me = self.context.session.user.username
        self.disable_button.setEnabled(
            account is not None and not account.disabled and account.username != me
        )
        self.reset_button.setEnabled(account is not None)
        self.role_button.setEnabled(account is not None)

    # -- changing ------------------------------------------------------------------
    def _open(self, dialog: AccountDialog, done_message: str) -> None:
        self.dialog = dialog
        dialog.done_with.connect(lambda name: self._changed(done_message.format(name=name)))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _changed(self, message: str) -> None:
        self.status.setText(message)
        self.refresh()

    def open_add_user(self) -> None:
        session = self.context.session
        self._open(
            AddUserDialog(self.context.runner, session, self),
            _("The user {name} was added."),
        )

    def open_reset_passphrase(self) -> None:
        account = self.selected_account()
        if account is None:
            return
        self._open(
            ResetPassphraseDialog(
                self.context.runner, self.context.session, account.username, self
            ),
            _("The passphrase of {name} was reset."),
        )

    def open_change_role(self) -> None:
        account = self.selected_account()
        if account is None:
            return
        self._open(
            ChangeRoleDialog(
                self.context.runner, self.context.session, account.username, account.role, self
            ),
            _("The role of {name} was changed."),
        )

    def ask_disable(self) -> None:
        account = self.selected_account()
        if account is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Disable a user"),
            _(
                "Disable {name}? They will no longer be able to unlock Shelter Desk. Their"
                " work stays in the records."
            ).format(name=account.username),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        yes = box.button(QMessageBox.StandardButton.Yes)
        yes.setText(_("&Disable"))
        box.button(QMessageBox.StandardButton.No).setText(_("&Keep"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        username = account.username
        box.buttonClicked.connect(lambda button: self._confirmed_disable(button == yes, username))
        box.open()

    def _confirmed_disable(self, confirmed: bool, username: str) -> None:
        if confirmed:
            self.disable(username)

    def disable(self, username: str) -> None:
        session = self.context.session
        run_op(
            self,
            self.context.runner,
            lambda: users.disable_user(session, username),
            lambda _none: self._changed(_("The user {name} was disabled.").format(name=username)),
        )
