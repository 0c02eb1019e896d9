"""Run a WSGI app on a real socket: plain HTTP, or HTTPS with a plain-HTTP side port for the CA.

The server is cheroot (pure Python, threaded, on every platform a shop laptop runs), hardened in
:mod:`pos.serving.hardened`. Its worker pool is ``threads + streams``: :class:`StreamSlots` lets at
most ``streams`` event streams run at once, so ``threads`` workers always remain for normal requests.
Idle connections hold no worker and are closed after ``timeout`` seconds of silence.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from pos.serving import certs
from pos.serving.addresses import lan_ipv4_addresses
from pos.serving.hardened import Server
from pos.serving.refusals import PLAIN, Refusals
from pos.serving.streams import StreamSlots
from pos.serving.trust import side_app

WILDCARDS = ("0.0.0.0", "::", "")


@dataclass(frozen=True)
class Limits:
    """How much the server takes on at once; every bound answers or closes, none waits forever."""

    threads: int = 16  # workers for normal requests
    streams: int = 32  # event streams at once, each on a worker of its own beside ``threads``
    timeout: float = 10.0  # seconds a connection may stay silent: idle keep-alive, slow client, TLS handshake
    max_idle: int = 1000  # open connections waiting for a request; the least recently used goes first
    queue: int = 512  # requests waiting for a worker; beyond, 503 + Retry-After at once
    max_header_bytes: int = 32 * 1024  # request line and headers; more is a 431 before the app runs
    max_body_bytes: int = 32 * 1024 * 1024  # a phone photo for server-side decoding fits

    def __post_init__(self) -> None:
        if self.threads < 1 or self.streams < 0 or self.timeout <= 0 or self.max_idle < 1 or self.queue < 1:
            raise ValueError("threads, timeout, max_idle and queue must be positive, streams not negative")


@dataclass
class Running:
    """A started server: where it listens, and :meth:`stop`."""

    scheme: str
    host: str
    port: int
    side_port: int | None
    slots: StreamSlots
    tls: certs.CertPaths | None
    limits: Limits
    _servers: list[Server] = field(default_factory=list)
    _threads: list[threading.Thread] = field(default_factory=list)

    def urls(self) -> list[str]:
        """The app's addresses: loopback first, then each LAN address when listening on all of them."""
        return [_url(self.scheme, h, self.port) for h in _shown_hosts(self.host)]

    def side_urls(self, path: str = "/trust") -> list[str]:
        """The plain-HTTP side port's addresses (HTTPS only), with ``path``."""
        if self.side_port is None:
            return []
        return [_url("http", h, self.side_port) + path for h in _shown_hosts(self.host)]

    def stop(self) -> None:
        """Stop accepting, let busy workers finish (up to 5 s), close the sockets."""
        stoppers = [threading.Thread(target=server.stop) for server in self._servers]  # each takes ~0.5 s
        for thread in stoppers:
            thread.start()
        for thread in stoppers + self._threads:
            thread.join(timeout=10)


def tls_context(paths: certs.CertPaths) -> ssl.SSLContext:
    """A server context for TLS 1.2+ with the certificate in ``paths``."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(paths.server)
    context.set_alpn_protocols(["http/1.1"])
    return context


def start(app: Callable, host: str, port: int, *, tls: certs.CertPaths | None = None, http_port: int | None = None,
          limits: Limits = Limits(), refusals: Refusals = PLAIN) -> Running:
    """Bind and serve ``app`` in background threads; with ``tls``, HTTPS, plus the side port on
    ``http_port`` when given (0 picks a free port). ``refusals`` words what the server refuses itself.

    :raises OSError: when an address cannot be bound (in use, not this machine's)
    """
    slots = StreamSlots(app, limits.streams)
    main = _server(slots, host, port, limits, threads=limits.threads + limits.streams,
                   context=tls_context(tls) if tls else None, refusals=refusals)
    servers = [main]
    side_port = None
    try:
        main.prepare()
        if tls is not None and http_port is not None:
            bound = main.bind_addr[1]
            primary = next(iter(lan_ipv4_addresses()), "localhost") if host in WILDCARDS else host
            names = certs.names_of(certs.load_cert(tls.server))
            side = _server(side_app(tls, names, https_port=bound, primary_host=primary), host, http_port,
                           Limits(threads=4, streams=0, timeout=limits.timeout, max_idle=limits.max_idle), threads=4)
            servers.append(side)
            side.prepare()
            side_port = side.bind_addr[1]
    except BaseException:
        for server in servers:
            server.stop()
        raise
    threads = [threading.Thread(target=s.serve, name=f"qrpos-server-{i}", daemon=True) for i, s in enumerate(servers)]
    for thread in threads:
        thread.start()
    return Running("https" if tls else "http", host, main.bind_addr[1], side_port, slots, tls, limits, servers,
                   threads)


def serve(app: Callable, host: str, port: int, *, stop: threading.Event, tls: certs.CertPaths | None = None,
          http_port: int | None = None, limits: Limits = Limits(), refusals: Refusals = PLAIN,
          on_start: Callable[[Running], None] | None = None) -> None:
    """Serve until ``stop`` is set; ``on_start`` sees the running server first (to print its addresses)."""
    running = start(app, host, port, tls=tls, http_port=http_port, limits=limits, refusals=refusals)
    try:
        if on_start is not None:
            on_start(running)
        stop.wait()
    finally:
        running.stop()


def _server(app: Callable, host: str, port: int, limits: Limits, *, threads: int,
            context: ssl.SSLContext | None = None, refusals: Refusals = PLAIN) -> Server:
    return Server((host, port), app, threads=threads, timeout=limits.timeout, max_idle=limits.max_idle,
                  queue_size=limits.queue, tls=context, max_header_bytes=limits.max_header_bytes,
                  max_body_bytes=limits.max_body_bytes, refusals=refusals)


def _shown_hosts(host: str) -> list[str]:
    if host in WILDCARDS:
        return ["127.0.0.1", *lan_ipv4_addresses()]
    return [host]


def _url(scheme: str, host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port}"
