"""A deadline for a request's TLS handshake, request line and headers, however slowly they trickle in.

A socket timeout bounds each read, not their sum: a client sending a byte every few seconds
(slowloris) holds a worker thread for as long as it likes, and a handful of them hold every worker.
Here each connection handed to a worker gets ``seconds`` to complete its handshake and headers; a
watchdog thread shuts the socket of one that is late, which ends the worker's blocked read. The body
has no such deadline: a phone uploading a photo on weak Wi-Fi may be slow and honest.
"""

from __future__ import annotations

import socket
import threading
import time


class HeaderDeadlines:
    """Connections reading a request's head, with the time each must be done by."""

    def __init__(self, seconds: float, *, tick: float = 0.25) -> None:
        self.seconds = seconds
        self.tick = min(tick, seconds / 2)
        self._due: dict[object, tuple[float, socket.socket]] = {}
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="qrpos-header-deadlines", daemon=True)
        self.cut = 0  # connections cut off so far (tests, figures)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()

    @property
    def pending(self) -> int:
        """Connections reading a request's head now."""
        with self._lock:
            return len(self._due)

    def begin(self, conn: object, sock: socket.socket) -> None:
        """``conn`` starts reading a request: its head must be complete within ``seconds``."""
        with self._lock:
            self._due[conn] = (time.monotonic() + self.seconds, sock)

    def end(self, conn: object) -> None:
        """``conn`` has its request's head (or gave up): no deadline any more."""
        with self._lock:
            self._due.pop(conn, None)

    def _watch(self) -> None:
        while not self._stopped.wait(self.tick):
            now = time.monotonic()
            with self._lock:
                late = [(conn, sock) for conn, (due, sock) in self._due.items() if due < now]
                for conn, _ in late:
                    del self._due[conn]
            for _, sock in late:
                self.cut += 1
                try:
                    # Below TLS on purpose: SSLSocket.shutdown would drop its state under the reading thread.
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)
                except OSError:
                    pass  # already closed
