"""A hybrid logical clock: the time stamped on every transaction.

A :class:`Timestamp` is (wall-clock milliseconds, counter, device). Within one installation
they only ever grow, even if the computer's clock is set back; across installations an event
stamped after receiving a bundle is later than everything in that bundle. Ties between devices
are broken by the device id, so the order is total and the same everywhere.

Encoded form (fixed width, sorts as text in time order)::

    0192a3b4c5d6-0000-3f2a9c0d1e4b5a67
    wall ms (12 hex) - counter (4 hex) - device (16 hex: the installation's key id)

Clocks far ahead. A partner whose computer clock is wrong can send times in the future. Those
times are flagged by :func:`is_future` and are not allowed to drag this installation's clock
along: :meth:`HLC.receive` believes a remote time at most ``max_drift_ms`` (default one day)
beyond this computer's own clock. Receiving a time further ahead moves the local clock only to
``now + max_drift_ms``, so however far ahead a partner's clock is, the local clock never runs
more than ``max_drift_ms`` ahead of real time. The price: an edit made here right after such a
bundle may sort before the far-future remote event; that event is flagged anyway, for a person
to look at.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

DEVICE_ID_LENGTH = 16
MAX_WALL_MS = 16**12 - 1  # year 10889
MAX_COUNTER = 16**4 - 1
ONE_DAY_MS = 24 * 60 * 60 * 1000
ENCODED_LENGTH = 12 + 1 + 4 + 1 + DEVICE_ID_LENGTH

_DEVICE = re.compile(r"[0-9a-f]{16}")
_ENCODED = re.compile(r"([0-9a-f]{12})-([0-9a-f]{4})-([0-9a-f]{16})")


def system_time_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, order=True)
class Timestamp:
    """A point in hybrid logical time; ordered by (wall_ms, counter, device)."""

    wall_ms: int
    counter: int
    device: str

    def __post_init__(self) -> None:
        if not 0 <= self.wall_ms <= MAX_WALL_MS:
            raise ValueError(f"wall_ms out of range: {self.wall_ms}")
        if not 0 <= self.counter <= MAX_COUNTER:
            raise ValueError(f"counter out of range: {self.counter}")
        if not _DEVICE.fullmatch(self.device):
            raise ValueError(f"device id must be 16 lower-case hex digits: {self.device!r}")

    def encode(self) -> str:
        return f"{self.wall_ms:012x}-{self.counter:04x}-{self.device}"

    @classmethod
    def decode(cls, text: str) -> Timestamp:
        """Parse :meth:`encode`'s form; raises ValueError for anything else."""
        match = _ENCODED.fullmatch(text)
        if match is None:
            raise ValueError(f"not an encoded timestamp: {text!r}")
        wall, counter, device = match.groups()
        return cls(int(wall, 16), int(counter, 16), device)


def is_future(ts: Timestamp, now_ms: int, tolerance_ms: int = ONE_DAY_MS) -> bool:
    """Whether ``ts`` is more than ``tolerance_ms`` ahead of ``now_ms`` (a clock set wrong)."""
    return ts.wall_ms > now_ms + tolerance_ms


class HLC:
    """The clock of one installation.

    ``now`` returns milliseconds since the Unix epoch. Pass ``last`` (the greatest timestamp
    this installation has issued or received, as stored) so the clock keeps growing across
    restarts.
    """

    def __init__(
        self,
        device_id: str,
        now: Callable[[], int] = system_time_ms,
        *,
        last: Timestamp | None = None,
        max_drift_ms: int = ONE_DAY_MS,
    ) -> None:
        if not _DEVICE.fullmatch(device_id):
            raise ValueError(f"device id must be 16 lower-case hex digits: {device_id!r}")
        if max_drift_ms < 0:
            raise ValueError("max_drift_ms must not be negative")
        self.device_id = device_id
        self._now = now
        self.max_drift_ms = max_drift_ms
        self._wall = last.wall_ms if last else 0
        self._counter = last.counter if last else 0

    @property
    def last(self) -> Timestamp:
        """The latest time this clock has reached (persist it to survive a restart)."""
        return Timestamp(self._wall, self._counter, self.device_id)

    def tick(self) -> Timestamp:
        """The time of a new local event: later than every time seen so far."""
        physical = self._physical()
        if physical > self._wall:
            self._advance(physical, 0)
        else:
            self._advance(self._wall, self._counter + 1)
        return self.last

    def receive(self, remote: Timestamp) -> Timestamp:
        """Account for a remote event; returns the time of the receiving event.

        A remote time beyond ``now + max_drift_ms`` is believed only up to that bound.
        """
        physical = self._physical()
        limit = min(physical + self.max_drift_ms, MAX_WALL_MS)
        if remote.wall_ms > limit:
            remote_wall, remote_counter = limit, 0
        else:
            remote_wall, remote_counter = remote.wall_ms, remote.counter
        wall = max(self._wall, remote_wall, physical)
        if wall == self._wall == remote_wall:
            counter = max(self._counter, remote_counter) + 1
        elif wall == self._wall:
            counter = self._counter + 1
        elif wall == remote_wall:
            counter = remote_counter + 1
        else:
            counter = 0
        self._advance(wall, counter)
        return self.last

    def _physical(self) -> int:
        return min(max(self._now(), 0), MAX_WALL_MS)

    def _advance(self, wall: int, counter: int) -> None:
        # A counter overflow (65,536 events in one millisecond, or a run of bundles from a
        # clock slightly ahead) moves on to the next millisecond: still monotonic.
        if counter > MAX_COUNTER:
            wall, counter = wall + 1, 0
        if wall > MAX_WALL_MS:
            raise OverflowError("hybrid logical clock reached its largest representable time")
        self._wall, self._counter = wall, counter
