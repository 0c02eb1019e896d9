"""What the live-status benchmark watches with: a page's event stream, the commit itself, a server's CPU.

* :class:`Stream` reads a request's server-sent events over real HTTP, as a page's EventSource does.
* :class:`CommitClock` time-stamps the moment a request turns paid, as the database itself shows it
  to a connection of the benchmark's own: on SQLite a tight ``PRAGMA data_version`` loop (a change is
  seen within about a millisecond), on PostgreSQL a LISTEN connection (the outbox's NOTIFY arrives at
  commit). Both then check the request's status, so an earlier change is never taken for the payment.
"""

from __future__ import annotations

import os
import queue
import sqlite3
import threading
import time
from pathlib import Path

import httpx
import psycopg
from sqlalchemy.engine import make_url

from pos.web.live.pg_listener import CHANNEL, conninfo

TIMEOUT = 30.0
_STATUS = "SELECT status FROM payment_requests WHERE id = {}"


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Stream:
    """A page's EventSource: follows one request in a thread, time-stamping each event, until ``until``.

    The thread that reads closes the connection itself (closing it from another thread while a read
    is blocked would not send the FIN, and the server would hold the stream until its next write).
    """

    def __init__(self, http: httpx.Client, request_id: str, headers: dict, until: str | None = None):
        self.events: queue.Queue[tuple[str, float]] = queue.Queue()
        self._http, self._path, self._headers = http, f"/api/v1/payment-requests/{request_id}/events", headers
        self._until = until
        threading.Thread(target=self._follow, daemon=True).start()

    def _follow(self) -> None:
        try:
            with self._http.stream("GET", self._path, headers=self._headers,
                                   timeout=httpx.Timeout(TIMEOUT, read=None)) as response:
                if response.status_code != 200:
                    self.events.put((f"HTTP {response.status_code}", time.perf_counter()))
                for line in response.iter_lines():
                    if line.startswith("event: "):
                        self.events.put((line.removeprefix("event: "), time.perf_counter()))
                        if line == f"event: {self._until}":
                            return
        except (httpx.HTTPError, RuntimeError):
            pass  # the benchmark is closing its clients

    def wait_for(self, event_type: str) -> float:
        while True:
            seen, at = self.events.get(timeout=TIMEOUT)
            if seen.startswith("HTTP "):
                raise SystemExit(f"the event stream answered {seen}")
            if seen == event_type:
                return at


class CommitClock:
    """``watch(request_id)`` before paying; ``paid_at()`` is when the database first showed it paid."""

    def __init__(self, db_url: str):
        self._target: str | None = None
        self._stamps: queue.Queue[float] = queue.Queue()
        self._running = True
        self._ready = threading.Event()
        run = self._sqlite if db_url.startswith("sqlite") else self._postgres
        self._thread = threading.Thread(target=run, args=(db_url,), name="commit-clock", daemon=True)
        self._thread.start()
        if not self._ready.wait(TIMEOUT):
            raise SystemExit("the commit clock did not start")

    def watch(self, request_id: str) -> None:
        self._target = request_id

    def paid_at(self) -> float:
        return self._stamps.get(timeout=TIMEOUT)

    def close(self) -> None:
        self._running = False
        self._thread.join(TIMEOUT)

    def _check(self, conn, at: float, placeholder: str) -> None:
        target = self._target
        if target is not None and conn.execute(_STATUS.format(placeholder), (target,)).fetchone()[0] == "paid":
            self._target = None
            self._stamps.put(at)

    def _sqlite(self, db_url: str) -> None:
        database = make_url(db_url).database
        assert database is not None  # a SQLite URL names its file
        conn = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        self._ready.set()
        while self._running:
            now = conn.execute("PRAGMA data_version").fetchone()[0]
            if now == version:
                time.sleep(0.0005)
                continue
            version = now
            self._check(conn, time.perf_counter(), "?")
        conn.close()

    def _postgres(self, db_url: str) -> None:
        with psycopg.connect(conninfo(db_url), autocommit=True) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            self._ready.set()
            while self._running:
                notes = list(conn.notifies(timeout=0.1, stop_after=1))  # the connection is free again after it
                at = time.perf_counter()
                if any(self._target in note.payload.split() for note in notes):
                    self._check(conn, at, "%s")
