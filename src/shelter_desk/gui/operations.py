"""Run database work off the GUI thread and get the result back on it.

The one :class:`~shelter_desk.services.worker.DatabaseWorker` owns the SQLCipher connection.
Widgets call :func:`run_op` with a callable that touches no widget; the callable runs on the
worker and its result (or error) comes back through a queued Qt signal, so the success
callback always runs on the GUI thread::

    run_op(self, runner, lambda: users.list_users(session), self.show_users)

Expected failures (:class:`ShelterDeskError`) go to ``on_error`` or a message box with their
translated text. Anything else is a bug: it is logged with the exception type and the code
locations only (never its message, which could hold personal data) and the person sees a
generic message.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from shelter_desk.domain.errors import ShelterDeskError
from shelter_desk.i18n import _
from shelter_desk.services.worker import Cancelled, CancelToken, DatabaseWorker

T = TypeVar("T")

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 400
"""Work that ends sooner than this never flashes a progress dialog."""


def on_gui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


@dataclass
class _Operation(Generic[T]):
    parent: QObject
    on_success: Callable[[T], None]
    on_error: Callable[[ShelterDeskError], None] | None
    progress: QProgressDialog | None
    future: Future[T]


class OpRunner(QObject):
    """The GUI's handle on the database worker; lives on (and delivers to) the GUI thread."""

    _finished = Signal(object)

    def __init__(self, worker: DatabaseWorker | None = None) -> None:
        super().__init__()
        assert on_gui_thread(), "create the OpRunner on the GUI thread"
        self.worker = worker or DatabaseWorker()
        self._pending: set[int] = set()
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        """True while some submitted work has not been delivered yet."""
        return bool(self._pending)

    def submit(self, operation: _Operation[Any], work: Callable[[], Any]) -> None:
        worker = self.worker

        def on_worker() -> Any:
            assert worker.on_worker_thread(), "database work must run on the worker"
            return work()

        operation.future = worker.submit(on_worker)
        self._pending.add(id(operation))
        # The callback runs on the worker thread; the signal crosses to the GUI thread.
        operation.future.add_done_callback(lambda _f: self._finished.emit(operation))

    @Slot(object)
    def _deliver(self, operation: _Operation[Any]) -> None:
        assert on_gui_thread(), "results are delivered on the GUI thread"
        self._pending.discard(id(operation))
        if operation.progress is not None and shiboken6.isValid(operation.progress):
            operation.progress.close()
            operation.progress.deleteLater()
        if not shiboken6.isValid(operation.parent):
            return  # the window that asked is gone (locked or closed): drop the result
        try:
            result = operation.future.result()
        except Cancelled:
            return
        except ShelterDeskError as exc:
            if operation.on_error is not None:
                operation.on_error(exc)
            else:
                show_error(operation.parent, exc.message)
            return
        except Exception as exc:
            report_bug(exc)
            show_error(
                operation.parent,
                _(
                    "Something went wrong inside Shelter Desk. Nothing more was changed."
                    " If it happens again, tell your administrator what you were doing."
                ),
            )
            return
        operation.on_success(result)

    def stop(self) -> None:
        """Let queued work finish, then end the worker thread."""
        self.worker.stop()


class ProgressFeed(QObject):
    """How far work on the worker is: the work calls the feed with (done, total) on the
    worker thread; run_op's dialog shows it, in real steps, on the GUI thread. Create it on
    the GUI thread and pass it to ``run_op(..., feed=...)``."""

    _reported = Signal(int, int)

    def __init__(self) -> None:
        super().__init__()
        self._dialog: QProgressDialog | None = None
        self._reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def __call__(self, done: int, total: int) -> None:
        self._reported.emit(done, total)

    def attach(self, dialog: QProgressDialog) -> None:
        """Show on ``dialog``, which also owns the feed: it is deleted with the dialog, on
        the GUI thread, never by the worker dropping its last reference."""
        self._dialog = dialog
        self.setParent(dialog)

    @Slot(int, int)
    def _show(self, done: int, total: int) -> None:
        dialog = self._dialog
        if dialog is None or not shiboken6.isValid(dialog) or total <= 0:
            return
        if dialog.maximum() != total:
            dialog.setRange(0, total)
        dialog.setValue(min(done, total))


def run_op(
    parent: QObject,
    runner: OpRunner,
    work: Callable[[], T],
    on_success: Callable[[T], None],
    on_error: Callable[[ShelterDeskError], None] | None = None,
    progress_title: str | None = None,
    cancel: CancelToken | None = None,
    feed: ProgressFeed | None = None,
) -> Future[T]:
    """Run ``work`` on the database worker; call ``on_success(result)`` on the GUI thread.

    ``work`` must not touch any widget. With ``progress_title`` a busy dialog appears if the
    work takes longer than a moment; with ``cancel`` it has a Cancel button that sets the
    token (the work stops at its next safe point); with ``feed`` (which ``work`` calls) it
    shows how far the work is instead of a busy bar. Nothing is delivered once ``parent`` has
    been deleted.
    """
    assert on_gui_thread(), "run_op is called from the GUI thread"
    progress = None
    if progress_title is not None:
        progress = _progress_dialog(parent, progress_title, cancel)
        if feed is not None:
            feed.attach(progress)
    operation: _Operation[T] = _Operation(parent, on_success, on_error, progress, Future())
    runner.submit(operation, work)
    return operation.future


def _progress_dialog(parent: QObject, title: str, cancel: CancelToken | None) -> QProgressDialog:
    widget = parent if isinstance(parent, QWidget) else None
    dialog = QProgressDialog(widget)
    dialog.setWindowTitle(title)
    dialog.setLabelText(title)
    dialog.setRange(0, 0)  # busy: we do not know how far along it is
    dialog.setMinimumDuration(PROGRESS_DELAY_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    if cancel is None:
        dialog.setCancelButton(None)
    else:
        dialog.setCancelButtonText(_("Cancel"))
        dialog.canceled.connect(cancel.cancel)
    return dialog


def show_error(parent: QObject, message: str) -> QMessageBox:
    """A non-blocking warning box with a translated message."""
    widget = parent if isinstance(parent, QWidget) else None
    box = QMessageBox(QMessageBox.Icon.Warning, _("Shelter Desk"), message, parent=widget)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box


def report_bug(exc: BaseException) -> None:
    """Log a bug with its type and code locations only: no message, no values."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{f.filename}:{f.lineno} in {f.name}" for f in reversed(frames))
    log.error("Unexpected %s at %s", type(exc).__name__, where or "unknown location")
