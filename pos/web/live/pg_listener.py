"""One LISTEN connection per process: PostgreSQL's NOTIFY wakes this process's event streams.

The outbox (pos.core.platform.outbox) issues ``pg_notify('qrpos_events', '<merchant id> <request
ids>')`` in the transaction that writes the events, so the notification is delivered when, and only
when, they are committed, to every process listening on the database. The payload is only a hint of
whom to wake; the streams read what changed from the database.

The connection is psycopg's own, in autocommit (a LISTEN inside a pooled transaction would see
nothing until it ended), never one of SQLAlchemy's pool. The thread waits on the socket and on a
wake-up socket of its own (``stop()`` returns at once), drains notifications with
``notifies(timeout=0)`` (psycopg >= 3.2 keeps those that arrive between calls, psycopg#975), and on
any connection error reconnects with a growing delay, LISTENs again and wakes every stream: what was
notified while it was away is lost, so everyone reads again (dbos-transact-py#562).
"""

from __future__ import annotations

import logging
import os
import select
import socket
import threading
from collections.abc import Callable, Iterable

import psycopg
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

CHANNEL = "qrpos_events"
EVERYONE = "*"  # a payload meaning "wake everyone" (too many ids for one notification)


def conninfo(url: str) -> str:
    """A libpq connection string from a SQLAlchemy URL (``postgresql+psycopg://...``)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def topics(payload: str) -> list[str] | None:
    """The ids a payload names, or None for everyone."""
    ids = payload.split()
    return None if not ids or EVERYONE in ids else ids


class PgListener:
    """LISTEN on ``CHANNEL`` in a thread; ``wake(topics)`` for each notification, ``wake(None)`` on (re)connect."""

    def __init__(self, url: str, wake: Callable[[Iterable[str] | None], object], *, max_backoff: float = 5.0,
                 idle_check: float = 30.0):
        self._conninfo = conninfo(url)
        self._wake = wake
        self._max_backoff = max_backoff
        self._idle_check = idle_check  # seconds of silence before asking the server whether it is still there
        self._stop = threading.Event()
        self._stop_r: socket.socket | None = None  # made by start(): a socket select() can wait on, stop() writes to
        self._stop_w: socket.socket | None = None
        self._thread = threading.Thread(target=self._run, name="qrpos-live-listener", daemon=True)
        self.connected = threading.Event()  # for tests and health checks
        self.reconnects = 0

    def start(self) -> None:
        self._stop_r, self._stop_w = socket.socketpair()
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._stop_w is None:
            return  # never started
        try:
            self._stop_w.send(b"x")
        except OSError:
            pass
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        if self._stop_r is not None:
            self._stop_r.close()
        self._stop_w.close()

    def _run(self) -> None:
        delay = 0.05
        while not self._stop.is_set():
            try:
                with self._connect() as conn:
                    delay = 0.05
                    self._listen(conn)
            except (psycopg.Error, OSError, ValueError) as error:  # ValueError: select() on a closed socket
                self.connected.clear()
                if self._stop.is_set():
                    return
                log.warning("live status: LISTEN connection lost (%s); again in %.2f s", error, delay)
                self._stop.wait(delay)
                delay = min(delay * 2, self._max_backoff)
                self.reconnects += 1
            except Exception:  # never let the thread die: streams would fall back to polling for good
                log.exception("live status: listener failed")
                self._stop.wait(self._max_backoff)

    def _connect(self) -> psycopg.Connection:
        return psycopg.connect(
            self._conninfo, autocommit=True, application_name=f"qrpos-live:{os.getpid()}", connect_timeout=5,
            keepalives=1, keepalives_idle=10, keepalives_interval=5, keepalives_count=3,
        )

    def _listen(self, conn: psycopg.Connection) -> None:
        conn.execute(f"LISTEN {CHANNEL}")
        self.connected.set()
        self._wake(None)  # changes committed before the LISTEN were not notified to us: everyone reads again
        while not self._stop.is_set():
            ready, _, _ = select.select([conn.fileno(), self._stop_r or conn.fileno()], [], [], self._idle_check)
            if self._stop_r in ready:
                return
            if not ready:
                conn.execute("SELECT 1")  # a silent connection may be a dead one: make it say so
            for note in conn.notifies(timeout=0):
                self._wake(topics(note.payload))
