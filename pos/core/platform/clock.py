"""Time for the core, injectable so that tests control expiry. Microseconds since the epoch, UTC."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

US = 1_000_000


class SystemClock:
    def now_us(self) -> int:
        return time.time_ns() // 1000


class FixedClock:
    """A clock that moves only when told to (tests, walkthroughs)."""

    def __init__(self, start_us: int = 1_767_225_600 * US):  # 2026-01-01T00:00:00Z
        self._now = start_us
        self._lock = threading.Lock()

    def now_us(self) -> int:
        with self._lock:
            return self._now

    def advance(self, seconds: float = 0, *, us: int = 0) -> None:
        with self._lock:
            self._now += int(seconds * US) + us


def iso(us: int | None) -> str | None:
    """ISO 8601 UTC text for an epoch-microsecond timestamp (API and CLI output)."""
    if us is None:
        return None
    return datetime.fromtimestamp(us / US, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
