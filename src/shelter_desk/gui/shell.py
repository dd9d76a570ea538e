"""Which window is showing: first run, unlock or the main window; locking; the language.

The shell owns the session for as long as it is open and is the only place that decides to
lock it: on "Lock now", on the idle timer, and on quitting.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.gui.autolock import POLL_MILLISECONDS, IdleLock
from shelter_desk.gui.icon import application_icon
from shelter_desk.gui.language import InterfaceLanguage
from shelter_desk.gui.operations import OpRunner, run_op, show_error
from shelter_desk.gui.signed_in import SignedIn
from shelter_desk.gui.unlock import UnlockWindow
from shelter_desk.gui.views.base import ViewContext
from shelter_desk.i18n import LANGUAGES, _, current_language, set_date_style
from shelter_desk.services.installation import Installation

if TYPE_CHECKING:
    from shelter_desk.gui.main_window import MainWindow
    from shelter_desk.services.session import Session


MAIN_READY_WAIT_MS = 1500
"""How long the unlock window waits at most for the main window's first page's data."""


@dataclass(frozen=True)
class InstallationState:
    """What can be known about the data folder without any key."""

    installation: Installation
    exists: bool
    usernames: list[str]
    is_demo: bool


def look_at_installation(data_dir: Path) -> InstallationState:
    """Open the data folder (taking the single-copy lock). Runs on the database worker."""
    installation = Installation(data_dir)
    if not installation.exists():
        return InstallationState(installation, False, [], False)
    installation.acquire()
    return InstallationState(
        installation, True, installation.usernames(), installation.slots().demo
    )


def lock_session(session: Session, installation: Installation) -> list[str]:
    """Close the database; return who may unlock now. Runs on the database worker."""
    session.lock()
    return installation.usernames()


class Shell(QObject):
    window_changed = Signal()

    def __init__(
        self,
        app: QApplication,
        runner: OpRunner,
        data_dir: Path,
        *,
        language: str | None = None,
        preselect_user: str = "",
        demo_login: tuple[str, str] | None = None,
        clock: Callable[[], float] = time.time,
        idle_poll_ms: int = POLL_MILLISECONDS,
    ) -> None:
        super().__init__()
        self.app = app
        self.runner = runner
        self.data_dir = Path(data_dir)
        self.chosen_language = language if language in LANGUAGES else None
        self.preselect_user = preselect_user
        self.demo_login = demo_login
        self.clock = clock
        self.idle_poll_ms = idle_poll_ms
        self.interface = InterfaceLanguage(app)
        self.interface.apply(self.chosen_language or current_language())
        self.state: InstallationState | None = None
        self.signed_in: SignedIn | None = None
        self.window: QWidget | None = None
        self.pending_main: MainWindow | None = None
        self._shown_main: MainWindow | None = None
        self.idle_lock: IdleLock | None = None
        self.upgrade_notice: QMessageBox | None = None
        self.stopped = False

    # -- starting ------------------------------------------------------------------
    def start(self) -> None:
        data_dir = self.data_dir
        run_op(
            self,
            self.runner,
            lambda: look_at_installation(data_dir),
            self._looked,
            self._cannot_open,
        )

    def _looked(self, state: InstallationState) -> None:
        self.state = state
        if state.exists:
            self.show_unlock(state.usernames)
        else:
            self.show_first_run()

    def _cannot_open(self, error: ShelterDeskError) -> None:
        box = show_error(self, error.message)
        box.setWindowModality(Qt.WindowModality.ApplicationModal)

    # -- windows -------------------------------------------------------------------
    def _replace_window(self, window: QWidget) -> None:
        """Show ``window`` first, then close the old one (so the app never has none)."""
        old = self.window
        self.window = window
        self._shown_main = None  # until _reveal_main says this one is the main window
        window.setWindowIcon(application_icon())
        window.show()
        window.activateWindow()
        if old is not None:
            old.hide()
            old.close()
            old.deleteLater()
        self.window_changed.emit()

    def show_first_run(self) -> None:
        assert self.state is not None
        from shelter_desk.gui.first_run import FirstRunWindow  # once per installation

        window = FirstRunWindow(self.runner, self.state.installation)
        window.language_chosen.connect(self.change_language)
        window.completed.connect(self.show_main)
        self._replace_window(window)

    def show_unlock(self, usernames: list[str]) -> UnlockWindow:
        assert self.state is not None
        window = UnlockWindow(
            self.runner,
            self.state.installation,
            usernames,
            is_demo=self.state.is_demo,
            demo_login=self.demo_login if self.state.is_demo else None,
            preselect=self.preselect_user,
        )
        window.unlocked.connect(self.show_main)
        window.language_requested.connect(self.change_language)
        self._replace_window(window)
        return window

    def show_main(self, signed_in: SignedIn) -> None:
        self.signed_in = signed_in
        set_date_style(signed_in.date_style)
        if self.chosen_language is None and signed_in.language != current_language():
            self.interface.apply(signed_in.language)
        # Imported here: every page and its services load after unlocking, so the unlock
        # window appears sooner.
        from shelter_desk.gui.main_window import MainWindow

        window = MainWindow(ViewContext(self.runner, signed_in))
        window.lock_requested.connect(self.lock_now)
        window.language_requested.connect(self.change_language)
        window.quit_requested.connect(self.quit)
        # The window appears once its first page has its data (the case list: its count
        # and first rows), or after a moment at most: no "0 cases" first frame.
        self.pending_main = window
        window.ready.connect(lambda: self._reveal_main(window))
        QTimer.singleShot(MAIN_READY_WAIT_MS, lambda: self._reveal_main(window))
        if window.is_ready:
            self._reveal_main(window)

    def _reveal_main(self, window: MainWindow) -> None:
        signed_in = self.signed_in
        if self.pending_main is not window or signed_in is None:
            return
        self.pending_main = None
        self._replace_window(window)
        self._shown_main = window
        self._say_if_upgraded(window)
        self.idle_lock = IdleLock(
            signed_in.autolock_minutes, clock=self.clock, poll_ms=self.idle_poll_ms, parent=self
        )
        self.idle_lock.idle.connect(self.lock_now)
        self.idle_lock.start()

    def _say_if_upgraded(self, window: QWidget) -> None:
        """After the unlock that upgraded an earlier release's data: say so, and where the
        backup taken before is (once: the next unlock finds the data current)."""
        upgrade = self.state.installation.last_upgrade if self.state is not None else None
        if upgrade is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Information, _("Shelter Desk"), upgrade.message(), parent=window
        )
        box.setObjectName("upgradeNotice")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()
        self.upgrade_notice = box

    @property
    def main_window(self) -> MainWindow | None:
        shown = self._shown_main
        return shown if shown is not None and self.window is shown else None

    # -- locking -------------------------------------------------------------------
    def lock_now(self) -> None:
        """Clear every view at once, show the unlock window, close the database."""
        main = self.main_window
        signed_in = self.signed_in
        if main is None or signed_in is None or self.state is None:
            return
        self._stop_idle_lock()
        main.discard_views()
        self.signed_in = None
        self.preselect_user = signed_in.session.user.username
        unlock = self.show_unlock(self.state.usernames)
        session, installation = signed_in.session, self.state.installation
        run_op(
            unlock,
            self.runner,
            lambda: lock_session(session, installation),
            unlock.set_usernames,
        )

    def _drop_pending_main(self) -> None:
        """A main window still waiting for its first data goes without being shown."""
        pending, self.pending_main = self.pending_main, None
        if pending is not None:
            pending.discard_views()
            pending.deleteLater()

    def _stop_idle_lock(self) -> None:
        if self.idle_lock is not None:
            self.idle_lock.stop()
            self.idle_lock.deleteLater()
            self.idle_lock = None

    # -- language ------------------------------------------------------------------
    def change_language(self, language: str) -> None:
        """Switch the whole interface now; remember the choice for the signed-in user."""
        if language not in LANGUAGES:
            return
        self.chosen_language = language
        self.interface.apply(language)
        window = self.window
        retranslate = getattr(window, "retranslate", None)
        if retranslate is not None:
            retranslate()
        if self.signed_in is not None and window is not None:
            session = self.signed_in.session
            run_op(
                window,
                self.runner,
                lambda: _remember_language(session, language),
                lambda _none: None,
            )

    # -- ending --------------------------------------------------------------------
    def quit(self) -> None:
        """Close the window; ``run_gui`` then locks and releases everything."""
        if self.window is not None:
            self.window.close()

    def shutdown(self, timeout: float = 30.0) -> None:
        """Lock the session, release the installation and stop the worker (blocking).

        Safe to call twice: the second call does nothing."""
        if self.stopped:
            return
        self.stopped = True
        self._stop_idle_lock()
        self._drop_pending_main()
        if self.main_window is not None:
            # Quitting keeps unsaved work exactly as a lock does: as encrypted drafts,
            # queued on the worker ahead of the lock below.
            self.main_window.discard_views()
        signed_in, state = self.signed_in, self.state
        self.signed_in = None

        def close_everything() -> None:
            if signed_in is not None:
                signed_in.session.lock()
            if state is not None:
                state.installation.release()

        try:
            self.runner.worker.call(close_everything, timeout)
        finally:
            self.runner.stop()
            self.interface.remove_qt_translations()


def _remember_language(session: Session, language: str) -> None:
    """Store the signed-in user's language. Runs on the database worker."""
    from shelter_desk.services import users

    users.set_language(session, language)
