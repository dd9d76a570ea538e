"""The Administration page, in tabs: user accounts, settings and backups, the audit log.

An administrator sees every tab; an auditor sees the audit log only. Each tab asks the
database worker for its data; nothing is read on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.gui.operations import run_op
from shelter_desk.gui.views.audit_view import AuditLogPanel
from shelter_desk.gui.views.backup_restore import (
    RestoreDialog,
    choose_file,
    restore_after_lock,
    run_backup,
)
from shelter_desk.gui.views.base import View, ViewContext
from shelter_desk.gui.views.settings_dialog import SettingsDialog
from shelter_desk.gui.views.user_dialogs import (
    AccountDialog,
    AddUserDialog,
    ChangeRoleDialog,
    ResetPassphraseDialog,
)
from shelter_desk.i18n import N_, _, country_name, language_name, pgettext
from shelter_desk.security.permissions import ROLE_LABELS, Permission, Role
from shelter_desk.services import backup, users
from shelter_desk.services import settings as settings_service
from shelter_desk.services.backup import BackupHeader
from shelter_desk.services.session import UserRow
from shelter_desk.services.settings import Settings, describe_months

COLUMNS = (N_("User name"), N_("Name"), N_("Role"), N_("Language"), N_("Status"))


class AdministrationView(View):
    HEADING = N_("Administration")

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        session = context.session
        self.can_manage = session.can(Permission.MANAGE_USERS)
        self.can_change_settings = session.can(Permission.CHANGE_SETTINGS)
        self.can_backup = session.can(Permission.BACKUP)
        self.can_restore = session.can(Permission.RESTORE)
        self.accounts: list[UserRow] = []
        self.dialog: QDialog | None = None
        self.tabs = QTabWidget()
        self.body.addWidget(self.tabs, 1)
        self.users_tab: QWidget | None = None
        self.data_tab: QWidget | None = None
        self.audit: AuditLogPanel | None = None

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

        self.settings: Settings | None = None
        self.settings_heading = QLabel()
        self.settings_summary = QLabel()
        self.settings_summary.setWordWrap(True)
        self.settings_button = QPushButton()
        self.settings_button.clicked.connect(self.open_settings)
        self.backup_heading = QLabel()
        self.backup_explanation = QLabel()
        self.backup_explanation.setWordWrap(True)
        self.backup_button = QPushButton()
        self.backup_button.clicked.connect(self.choose_backup_file)
        self.restore_button = QPushButton()
        self.restore_button.clicked.connect(self.choose_restore_file)
        self.data_status = QLabel()
        self.data_status.setWordWrap(True)
        self.data_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)

        if self.can_manage:
            self.users_tab = self._users_tab()
            self.tabs.addTab(self.users_tab, "")
        if self.can_change_settings or self.can_backup or self.can_restore:
            self.data_tab = self._data_tab()
            self.tabs.addTab(self.data_tab, "")
        if session.can(Permission.VIEW_AUDIT):
            self.audit = AuditLogPanel(context.runner, session)
            self.tabs.addTab(self.audit, "")
        self.retranslate()
        self._update_buttons()
        if self.can_manage:
            self.refresh()
        if self.can_change_settings:
            self.refresh_settings()

    def _users_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.disable_button, self.reset_button, self.role_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addWidget(self.users_heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        return tab

    def _data_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.settings_heading)
        layout.addWidget(self.settings_summary)
        settings_row = QHBoxLayout()
        settings_row.addWidget(self.settings_button)
        settings_row.addStretch(1)
        layout.addLayout(settings_row)
        layout.addSpacing(16)
        layout.addWidget(self.backup_heading)
        layout.addWidget(self.backup_explanation)
        data_row = QHBoxLayout()
        data_row.addWidget(self.backup_button)
        data_row.addWidget(self.restore_button)
        data_row.addStretch(1)
        layout.addLayout(data_row)
        layout.addWidget(self.data_status)
        layout.addStretch(1)
        for widget in (self.settings_heading, self.settings_summary, self.settings_button):
            widget.setVisible(self.can_change_settings)
        self.backup_button.setVisible(self.can_backup)
        self.restore_button.setVisible(self.can_restore)
        return tab

    def retranslate(self) -> None:
        super().retranslate()
        for tab, title in (
            (self.users_tab, _("&Users")),
            (self.data_tab, _("&Settings and backups")),
            (self.audit, _("Audit &log")),
        ):
            if tab is not None:
                self.tabs.setTabText(self.tabs.indexOf(tab), title)
        self.users_heading.setText(_("User accounts"))
        self.table.setAccessibleName(_("User accounts"))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.add_button.setText(_("&Add user…"))
        self.disable_button.setText(_("&Disable"))
        self.reset_button.setText(_("&Reset passphrase…"))
        self.role_button.setText(_("Change r&ole…"))
        self.settings_heading.setText(_("Settings"))
        self.settings_button.setText(_("Change &settings…"))
        self.backup_heading.setText(_("Backup and restore"))
        self.backup_explanation.setText(
            _(
                "A backup is encrypted like the data itself: the same passphrases and the"
                " recovery key open it. Keep a recent backup away from this computer, for"
                " example on a USB stick in a locked drawer."
            )
        )
        self.backup_button.setText(_("Make a &backup…"))
        self.restore_button.setText(_("Res&tore a backup…"))
        self._show_settings_summary()
        if self.audit is not None:
            self.audit.retranslate()
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
            status = (
                # TRANSLATORS: state of a user account (not of a case).
                pgettext("user account", "Disabled")
                if account.disabled
                # TRANSLATORS: state of a user account (not of a case).
                else pgettext("user account", "Active")
            )
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

    # -- settings ------------------------------------------------------------------
    def refresh_settings(self) -> None:
        session = self.context.session
        run_op(
            self,
            self.context.runner,
            lambda: settings_service.read_settings(session),
            self._settings_read,
        )

    def _settings_read(self, settings: Settings) -> None:
        self.settings = settings
        self._show_settings_summary()

    def _show_settings_summary(self) -> None:
        s = self.settings
        if s is None:
            self.settings_summary.setText("")
            return
        country = country_name(s.org_country) if s.org_country else _("(not given)")
        lines = [
            _("Organisation: {name}").format(name=s.org_name),
            _("Country: {country}").format(country=country),
            _("Case number prefix: {prefix}").format(prefix=s.case_prefix),
            _("Locks itself after {minutes} minutes without use").format(
                minutes=s.autolock_minutes
            ),
            _("Follow-ups at {months} months after a return").format(
                months=describe_months(s.follow_up_months)
            ),
        ]
        self.settings_summary.setText("\n".join(lines))

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.context.runner, self.context.session, self)
        dialog.saved.connect(self._settings_saved)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def _settings_saved(self, settings: Settings) -> None:
        self._settings_read(settings)
        # The date order may have changed: every page writes its dates again.
        retranslate = getattr(self.window(), "retranslate", None)
        if callable(retranslate):
            retranslate()
        self.data_status.setText(_("The settings were saved."))

    # -- backup and restore --------------------------------------------------------
    def choose_backup_file(self) -> None:
        chooser = choose_file(self, _("Save a backup"), save=True)
        chooser.fileSelected.connect(lambda name: self.backup_to(Path(name)))

    def backup_to(self, out: Path) -> None:
        """Write a backup to ``out`` on the worker, with a progress dialog."""
        run_backup(self, self.context.runner, self.context.session, out, self._backed_up)

    def _backed_up(self, out: Path) -> None:
        self.data_status.setText(_("The backup was written to {path}.").format(path=str(out)))

    def choose_restore_file(self) -> None:
        chooser = choose_file(self, _("Choose a backup to restore"), save=False)
        chooser.fileSelected.connect(lambda name: self.ask_restore(Path(name)))

    def ask_restore(self, source: Path) -> None:
        """Check that ``source`` is a backup (on the worker), then ask for confirmation."""
        run_op(
            self,
            self.context.runner,
            lambda: backup.read_header(source)[0],
            lambda header: self._confirm_restore(source, header),
        )

    def _confirm_restore(self, source: Path, header: BackupHeader) -> None:
        dialog = RestoreDialog(source, header, self.context.session.user.username, self)
        dialog.confirmed.connect(lambda name, secret: self.restore(source, name, secret))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def restore(self, source: Path, username: str, secret: str) -> None:
        """Lock, then restore ``source`` on the worker (see ``backup_restore``)."""
        lock_requested = getattr(self.window(), "lock_requested", None)
        if lock_requested is None:
            self.data_status.setText(_("Restore from the main window of Shelter Desk."))
            return
        restore_after_lock(
            lock_requested,
            self.context.runner,
            self.context.session,
            source,
            username,
            secret,
        )
