"""Lock after a period without keyboard or mouse input, measured on the wall clock.

A QTimer does not run while the laptop sleeps, and a monotonic clock may not count the
sleep either. Idleness is therefore measured with ``time.time()`` (injectable for tests):
every few seconds a poll compares the clock with the last input, so a laptop that wakes
after an hour locks at the first poll.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

POLL_MILLISECONDS = 5000

ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
    }
)


class IdleLock(QObject):
    """Emits :attr:`idle` once, after ``minutes`` without input anywhere in the application."""

    idle = Signal()

    def __init__(
        self,
        minutes: float,
        *,
        clock: Callable[[], float] = time.time,
        poll_ms: int = POLL_MILLISECONDS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.minutes = minutes
        self._clock = clock
        self._last_input = clock()
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.check)
        self._watching = False

    def start(self) -> None:
        app = QCoreApplication.instance()
        assert app is not None
        self._last_input = self._clock()
        if not self._watching:
            app.installEventFilter(self)
            self._watching = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QCoreApplication.instance()
        if self._watching and app is not None:
            app.removeEventFilter(self)
        self._watching = False

    def idle_seconds(self) -> float:
        return self._clock() - self._last_input

    def check(self) -> None:
        """Lock if the idle time has passed; called by the timer, and on demand."""
        if self._watching and self.idle_seconds() >= self.minutes * 60:
            self.stop()
            self.idle.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS:
            self._last_input = self._clock()
        return False
