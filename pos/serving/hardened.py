"""cheroot, changed where a handful of connections could stop it.

Stock cheroot 11.1 (measured with 16 threads, see docs/https.md):

- hands each new connection to a worker thread at once, which then waits up to ``timeout`` for the
  first bytes: 110 idle TCP connections held a normal request back for 44 s;
- does the TLS handshake in its one accepting thread (cherrypy/cheroot#748, open): one connection
  that never says hello stops the whole HTTPS server for ``timeout`` seconds, and 110 of them for
  about 110 × ``timeout``;
- blocks that accepting thread when its request queue is full, and listens with a backlog of 5, so
  while that thread is stuck the next connections cannot even connect.

Here a new connection waits in the selector, with the idle keep-alive ones, until it has bytes to
read, so idle connections cost no thread; the TLS handshake runs in the worker that then takes the
connection; handshake and request head together must arrive within ``timeout`` however slowly they
trickle (:mod:`pos.serving.deadlines`); the selector holds at most ``max_idle`` connections and closes the
least recently used to make room (an attacker's pile of idle sockets cannot lock others out); and
when ``queue`` connections already wait for a worker the next one gets a 503 with Retry-After at
once rather than a wait of unknown length.
"""

from __future__ import annotations

import heapq
import io
import logging
import queue
import socket
import ssl
import sys
from collections.abc import Callable

from cheroot import connections, wsgi
from cheroot.makefile import MakeFile
from cheroot.server import HTTPConnection
from cheroot.ssl import Adapter

from pos.serving.deadlines import HeaderDeadlines
from pos.serving.refusals import PLAIN, Refusals, RefusingRequest

log = logging.getLogger(__name__)

BACKLOG = 1024  # the kernel's queue of connections not yet accepted (capped by somaxconn)
HTTPS_ONLY = b"This port speaks HTTPS only.\n"
BUSY_BODY = b'{"error": {"code": "SERVER_BUSY", "message": "The server is busy; try again in a moment."}}\n'
BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
    b"X-Content-Type-Options: nosniff\r\n"
    b"Connection: close\r\nContent-Length: " + str(len(BUSY_BODY)).encode() + b"\r\n\r\n" + BUSY_BODY
)


class TLSAdapter(Adapter):
    """TLS whose handshake waits for a worker thread (:meth:`Connection.communicate`), not the acceptor."""

    def __init__(self, context: ssl.SSLContext) -> None:
        super().__init__(certificate=None, private_key=None)
        self.context = context

    def bind(self, sock: socket.socket) -> socket.socket:
        return sock

    def wrap(self, sock: socket.socket) -> tuple[ssl.SSLSocket, dict]:
        wrapped = self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return wrapped, self.get_environ()

    def get_environ(self) -> dict:
        return {"wsgi.url_scheme": "https", "HTTPS": "on"}

    def makefile(self, sock: socket.socket, mode: str = "r",
                 bufsize: int = io.DEFAULT_BUFFER_SIZE) -> io.BufferedIOBase:
        return MakeFile(sock, mode, bufsize)


class Request(RefusingRequest):
    """A request whose head (line and headers) must arrive before the connection's deadline, and whose
    refusals are worded as :mod:`pos.serving.refusals` says."""

    def parse_request(self) -> None:
        try:
            super().parse_request()
        finally:
            self.server.deadlines.end(self.conn)


class Connection(HTTPConnection):
    """A connection that finishes its TLS handshake, if any, in the worker thread serving it, and
    has ``timeout`` seconds in all for the handshake and each request's head."""

    RequestHandlerClass = Request
    handshaken = False

    def communicate(self) -> bool:
        self.server.deadlines.begin(self, self.socket)
        try:
            if isinstance(self.socket, ssl.SSLSocket) and not self.handshaken and not self._handshake():
                return False
            return super().communicate()
        except OSError:  # the peer went away, or its deadline passed, while cheroot was answering an error
            return False
        finally:
            self.server.deadlines.end(self)

    def _handshake(self) -> bool:
        try:
            self.socket.do_handshake()  # bounded by the socket's timeout, set at accept
        except ssl.SSLError as error:
            if "http request" in str(error).lower():  # plain HTTP sent to the HTTPS port
                _send_raw(self.socket, b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close"
                          b"\r\nContent-Length: " + str(len(HTTPS_ONLY)).encode() + b"\r\n\r\n" + HTTPS_ONLY)
            return False
        except OSError:  # timed out, reset: nothing to answer
            return False
        self.handshaken = True
        return True


class ConnectionManager(connections.ConnectionManager):
    """New connections wait in the selector until readable; the oldest idle one makes room for a new one."""

    def _from_server_socket(self, server_socket: socket.socket) -> None:
        conn = super()._from_server_socket(server_socket)
        if conn is not None:
            self._make_room()
            self.put(conn)
        return None  # the selector hands it to a worker when it has something to read

    def _make_room(self) -> None:
        excess = self._num_connections - self.server.max_idle + 1
        if excess <= 0:
            return
        idle = [c for _, c in self._selector.connections if c is not self.server]
        for conn in heapq.nsmallest(excess, idle, key=lambda c: c.last_used):
            self._selector.unregister(conn.socket.fileno())
            conn.close()


class Server(wsgi.Server):
    """A cheroot WSGI server with the changes above; ``threads`` is the whole worker pool."""

    ConnectionClass = Connection

    def __init__(self, bind_addr: tuple[str, int], app: Callable, *, threads: int, timeout: float, max_idle: int,
                 queue_size: int, tls: ssl.SSLContext | None, max_header_bytes: int, max_body_bytes: int,
                 refusals: Refusals = PLAIN) -> None:
        super().__init__(bind_addr, app, numthreads=threads, max=threads, server_name="qrpos",
                         request_queue_size=BACKLOG, timeout=timeout, shutdown_timeout=5,
                         accepted_queue_size=queue_size, accepted_queue_timeout=0)
        self.max_idle = _within_file_limit(max_idle)
        self.keep_alive_conn_limit = max_idle  # the stock 10 would close keep-alive beside 10 idle sockets
        self.max_request_header_size = max_header_bytes
        self.max_request_body_size = max_body_bytes
        self.refusals = refusals
        self.ssl_adapter = TLSAdapter(tls) if tls is not None else None
        self.deadlines = HeaderDeadlines(timeout)

    def prepare(self) -> None:
        super().prepare()
        self._connections.close()
        self._connections = ConnectionManager(self)
        self.deadlines.start()

    def stop(self) -> None:
        self.deadlines.stop()
        super().stop()

    def process_conn(self, conn: Connection) -> None:
        try:
            self.requests.put(conn)  # accepted_queue_timeout=0: raises at once when full
        except queue.Full:
            shed(conn)

    def error_log(self, msg: str = "", level: int = logging.INFO, traceback: bool = False) -> None:
        if level < logging.ERROR and isinstance(sys.exc_info()[1], (ssl.SSLError, ConnectionError, TimeoutError)):
            level = logging.DEBUG  # a client that went away mid-answer: routine, not a server fault
        log.log(level, "%s", msg, exc_info=traceback)


def _within_file_limit(max_idle: int) -> int:
    """``max_idle``, lowered to half the process's open-file limit: at the limit accept() fails and the
    acceptor would spin, so idle connections are evicted well before."""
    try:
        import resource
    except ImportError:  # Windows: the selector is select(), which takes at most 512 sockets
        return min(max_idle, 400)
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return max_idle if soft == resource.RLIM_INFINITY else min(max_idle, max(16, soft // 2))


def shed(conn: Connection) -> None:
    """Answer 503 + Retry-After without waiting, then close; before a TLS handshake, only close."""
    sock = conn.socket
    try:
        if not isinstance(sock, ssl.SSLSocket) or conn.handshaken:
            sock.setblocking(False)
            try:
                sock.recv(65536)  # the request: unread data would turn the close into a reset
            except OSError:
                pass
            sock.send(BUSY)
            sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # best effort: the client is told by the close if not by the answer
    finally:
        conn.close()


def _send_raw(sock: ssl.SSLSocket, data: bytes) -> None:
    try:
        socket.socket.sendall(sock, data)  # below TLS: the peer does not speak it
    except OSError:
        pass
