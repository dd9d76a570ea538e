"""Backup and restore from the Administration page, with progress.

A backup is written by the database worker from the open session while a progress dialog
counts the bytes.

A restore replaces the open database, so it cannot run while the database is open:

1. the administrator chooses the backup file; the worker reads its header (is it a backup,
   when was it made) without a key;
2. a confirmation dialog says that everything on this computer is replaced by the backup
   and that the current database is kept beside it in the data folder, and asks for the
   user name and passphrase *as they were in the backup*;
3. on confirmation Shelter Desk locks (the main window's ordinary lock: every view is
   deleted, the unlock window appears, the worker closes the database);
4. the restore runs next on the worker, queued after the lock, with a progress dialog on the
   unlock window; it verifies the whole backup (its MAC, digest, integrity and audit log)
   before it replaces anything;
5. a backup of another installation is restored only after a second confirmation, which
   says what the backup is (organisation, date, installation id);
6. the unlock window then says what happened and lists the users of the restored data.

Only an administrator of the open installation can start a restore: the approval is taken
from the session before it locks.

If the restore is refused (wrong passphrase, damaged file) nothing was replaced and the
person unlocks as before.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.gui.forms import Form, passphrase_edit
from shelter_desk.gui.operations import OpRunner, run_op, show_error
from shelter_desk.gui.retranslation import Retranslated
from shelter_desk.gui.unlock import UnlockWindow
from shelter_desk.i18n import _, format_datetime
from shelter_desk.services import backup
from shelter_desk.services.backup import BackupHeader, PreparedRestore
from shelter_desk.services.session import Session

BACKUP_SUFFIX = ".backup"


class ProgressRelay(QObject):
    """Carries ``progress(done, total)`` calls from the worker to a progress dialog.

    The worker only emits a signal; Qt queues it to the GUI thread, where the dialog lives.
    """

    advanced = Signal(int, int)

    def __init__(self, dialog: QProgressDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.advanced.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def report(self, done: int, total: int) -> None:
        """Called on the worker. The work goes on even if the dialog has gone (a lock)."""
        # The dialog may be deleted on the GUI thread at any moment: then nobody listens.
        with contextlib.suppress(RuntimeError):
            if shiboken6.isValid(self):
                self.advanced.emit(done, total)

    def _show(self, done: int, total: int) -> None:
        if total > 0:
            self.dialog.setMaximum(1000)
            self.dialog.setValue(min(int(done * 1000 / total), 999))


def progress_dialog(parent: QWidget, text: str) -> QProgressDialog:
    dialog = QProgressDialog(parent)
    dialog.setWindowTitle(text)
    dialog.setLabelText(text)
    dialog.setRange(0, 0)
    dialog.setMinimumDuration(400)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setCancelButton(None)  # half a backup or restore is never useful: no Cancel
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    return dialog


def finish(dialog: QProgressDialog) -> None:
    if shiboken6.isValid(dialog):
        dialog.close()
        dialog.deleteLater()


def backup_file_name(today: dt.date | None = None) -> str:
    return f"shelter-desk-{(today or dt.date.today()).isoformat()}{BACKUP_SUFFIX}"


def choose_file(parent: QWidget, title: str, *, save: bool) -> QFileDialog:
    """A Qt (not native) file dialog, opened window-modal; connect ``fileSelected``."""
    dialog = QFileDialog(parent, title)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setNameFilters([_("Shelter Desk backups (*.backup)"), _("All files (*)")])
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(BACKUP_SUFFIX.lstrip("."))
        dialog.selectFile(backup_file_name())
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class RestoreDialog(Retranslated, QDialog):
    """Says what a restore does and asks for the passphrase valid in the backup."""

    confirmed = Signal(str, str)
    """Emitted with (user name, passphrase) when the person confirms."""

    def __init__(
        self, source: Path, header: BackupHeader, username: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setMinimumWidth(520)
        self.source_name = source.name
        self.made = dt.datetime.fromisoformat(header.created_at).astimezone()
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.username = QLineEdit(username)
        self.passphrase = passphrase_edit()
        self.form = Form(QFormLayout())
        self.form.add("username", lambda: _("&User name in the backup:"), self.username)
        self.form.add("passphrase", lambda: _("&Passphrase in the backup:"), self.passphrase)
        self.understood = QCheckBox()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.restore_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.understood.toggled.connect(self._update)
        self.passphrase.textChanged.connect(self._update)
        self.username.textChanged.connect(self._update)
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(self.form.layout)
        layout.addWidget(self.understood)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.passphrase.setFocus()

    @property
    def restore_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Restore a backup"))
        self.explanation.setText(
            _(
                "The backup {name} was made on {date}.\n\nRestoring replaces ALL the data on"
                " this computer with the data in this backup: anything recorded since it was"
                " made will no longer be shown. The current data is not destroyed: it is kept"
                " beside the restored data in the data folder.\n\nShelter Desk locks now,"
                " checks the backup completely, and only then replaces the data. Afterwards"
                " unlock with a passphrase that was valid when the backup was made."
            ).format(name=self.source_name, date=format_datetime(self.made, "medium"))
        )
        self.understood.setText(
            _("I understand that the current data will be replaced (and kept beside it).")
        )
        self.restore_button.setText(_("&Lock and restore"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.form.retranslate()

    def _update(self) -> None:
        self.restore_button.setEnabled(
            self.understood.isChecked()
            and bool(self.username.text().strip())
            and bool(self.passphrase.text())
        )

    def _confirm(self) -> None:
        if not self.restore_button.isEnabled():
            return
        username, secret = self.username.text().strip(), self.passphrase.text()
        self.passphrase.clear()
        self.accept()
        self.confirmed.emit(username, secret)


def run_backup(
    parent: QWidget,
    runner: OpRunner,
    session: Session,
    out: Path,
    on_done: Callable[[Path], None],
) -> None:
    """Write a backup of the open database to ``out`` on the worker, with progress."""
    dialog = progress_dialog(parent, _("Writing the backup…"))
    relay = ProgressRelay(dialog)

    def written(_header: BackupHeader) -> None:
        finish(dialog)
        on_done(out)

    def refused(error: ShelterDeskError) -> None:
        finish(dialog)
        show_error(parent, error.message)

    run_op(parent, runner, lambda: backup.backup(session, out, relay.report), written, refused)


def restore_after_lock(
    lock_requested: SignalInstance,
    runner: OpRunner,
    session: Session,
    source: Path,
    username: str,
    secret: str,
) -> None:
    """Lock through the main window, then restore on the worker (queued after the lock).

    Only an administrator of the open installation may replace it: the approval is taken
    from the session before it locks. A backup of another installation is restored only
    after the person confirms it, once the backup is checked and says what it is.
    """
    try:
        approval = backup.approve_with_session(session)
    except ShelterDeskError as exc:
        show_error(_dialog_parent(), exc.message)
        return
    installation = session.installation
    lock_requested.emit()  # the shell deletes the views and shows the unlock window now
    unlock = _unlock_window()
    dialog = progress_dialog(unlock, _("Restoring the backup…"))
    relay = ProgressRelay(dialog)

    def prepare() -> PreparedRestore:
        prepared = backup.prepare_restore(
            installation, source, username, secret, approval=approval, progress=relay.report
        )
        if not prepared.info.foreign:
            prepared.commit()
        return prepared

    def prepared_(prepared: PreparedRestore) -> None:
        finish(dialog)
        if prepared.done:
            _restored(unlock, runner, prepared)
        else:
            _confirm_other_installation(unlock, runner, prepared)

    def refused(error: ShelterDeskError) -> None:
        finish(dialog)
        _refused(unlock, error)

    run_op(unlock, runner, prepare, prepared_, refused)


def _confirm_other_installation(
    unlock: UnlockWindow, runner: OpRunner, prepared: PreparedRestore
) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        _("Restore a backup"),
        backup.describe(prepared.info)
        + "\n\n"
        + _(
            "This backup is of another installation. Restoring it replaces ALL the data of"
            " this installation with that installation's data."
        ),
        QMessageBox.StandardButton.Cancel,
        unlock,
    )
    box.setObjectName("restoreOtherInstallation")
    replace = box.addButton(
        _("&Replace with the other installation"), QMessageBox.ButtonRole.AcceptRole
    )
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Cancel).setText(_("Cancel"))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def answered(button: object) -> None:
        if button is replace:
            run_op(
                unlock,
                runner,
                lambda: prepared.commit(replace_other=True),
                lambda _kept: _restored(unlock, runner, prepared),
                lambda error: _refused(unlock, error),
            )
        else:
            run_op(unlock, runner, prepared.discard, lambda _none: None)

    box.buttonClicked.connect(answered)
    box.open()


def _restored(unlock: UnlockWindow, runner: OpRunner, prepared: PreparedRestore) -> None:
    def shown(result: tuple[list[str], list[str]]) -> None:
        usernames, kept = result
        unlock.set_usernames(usernames)
        lines = [backup.describe(prepared.info)]
        if prepared.info.legacy:
            lines.append(backup.legacy_warning())
        if kept:
            lines.append(
                _(
                    "The backup was restored. The data it replaced was kept as {name} in the"
                    " data folder. Unlock with a passphrase from the backup."
                ).format(name=kept[0])
            )
        else:
            lines.append(_("The backup was restored. Unlock with a passphrase from the backup."))
        box = QMessageBox(
            QMessageBox.Icon.Information, _("Backup restored"), "\n\n".join(lines), parent=unlock
        )
        box.setObjectName("restoreDone")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    installation = prepared.installation
    kept = [] if prepared.kept is None else [prepared.kept.name]
    run_op(unlock, runner, lambda: (installation.usernames(), kept), shown)


def _refused(unlock: UnlockWindow, error: ShelterDeskError) -> None:
    show_error(
        unlock,
        _("The backup was not restored: {reason} Your data is unchanged.").format(
            reason=error.message
        ),
    ).setObjectName("restoreRefused")


def _dialog_parent() -> QObject:
    """The active window (the main window, before it locks), for a refusal."""
    window = QApplication.activeWindow()
    if window is not None:
        return window
    app = QApplication.instance()
    assert app is not None
    return app


def _unlock_window() -> UnlockWindow:
    """The window the shell showed on locking (the only visible unlock window)."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, UnlockWindow) and widget.isVisible():
            return widget
    raise RuntimeError("no unlock window after locking")
