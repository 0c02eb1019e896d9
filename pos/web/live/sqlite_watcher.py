"""SQLite has no NOTIFY: one watcher thread per process notices commits and says which requests changed.

``PRAGMA data_version`` on a connection of its own changes whenever any other connection commits,
in this process or another one, and costs a few microseconds (it reads the WAL index), so the watcher
asks it often (every ``interval``) and at once when poked (after any commit of this process, see
:mod:`pos.web.live`). Only when it changed does it read the events committed since it last looked
(``seq`` grows in commit order: SQLite has one writer at a time) and wake the streams of their
requests and merchants. Commits of other processes are so seen within ``interval``, instead of the
streams' own polling (SSE_POLL_SECONDS, still the fallback) reading once per stream.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable

log = logging.getLogger(__name__)

BATCH = 1000  # more new events than this at once: wake everyone rather than list them

_NEW_EVENTS = "SELECT seq, merchant_id, request_id FROM events WHERE seq > ? ORDER BY seq LIMIT ?"


class SqliteWatcher:
    """Wake ``wake(topics)`` for the requests and merchants of newly committed events."""

    def __init__(self, path: str, wake: Callable[[Iterable[str] | None], object], *, interval: float = 0.05):
        self._path = path
        self._wake = wake
        self._interval = interval
        self._stop = threading.Event()
        self._poked = threading.Event()
        self._thread = threading.Thread(target=self._run, name="qrpos-live-watcher", daemon=True)
        self.checks = 0  # data_version reads, for the benchmark's cost figures
        self.reads = 0  # events reads (data_version had changed)

    def start(self) -> None:
        self._thread.start()

    def poke(self, *_args) -> None:
        """Look now (a commit of this process has just ended)."""
        self._poked.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._poked.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn = sqlite3.connect(self._path, timeout=60, isolation_level=None, check_same_thread=False)
                try:
                    self._watch(conn)
                finally:
                    conn.close()
            except sqlite3.Error as error:
                log.warning("live status: SQLite watcher failed (%s); again shortly", error)
                self._stop.wait(max(self._interval * 20, 1.0))

    def _watch(self, conn: sqlite3.Connection) -> None:
        version = self._data_version(conn)
        last = conn.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]
        self._wake(None)  # whatever was committed before we looked: everyone reads again
        while not self._stop.is_set():
            self._poked.wait(self._interval)
            self._poked.clear()
            now = self._data_version(conn)
            if now == version:
                continue
            version = now  # read before the events: a commit in between changes it again, we look again
            self.reads += 1
            rows = conn.execute(_NEW_EVENTS, (last, BATCH)).fetchall()
            if not rows:
                continue
            last = rows[-1][0]
            if len(rows) == BATCH:
                last = conn.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]
                self._wake(None)
                continue
            self._wake({topic for _seq, merchant_id, request_id in rows for topic in (merchant_id, request_id)
                        if topic})

    def _data_version(self, conn: sqlite3.Connection) -> int:
        self.checks += 1
        return conn.execute("PRAGMA data_version").fetchone()[0]
