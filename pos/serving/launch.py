"""What ``qrpos serve`` decides from its options, and what it prints: kept here so the command stays thin.

Loopback unless asked (``--lan`` or ``--host``): a terminal on a laptop should not be open to a café's
Wi-Fi by default. ``--https`` serves HTTPS on 8443 with the plain-HTTP side port on 8000.
"""

from __future__ import annotations

import ipaddress
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pos.serving import certs
from pos.serving.refusals import PLAIN, Refusals
from pos.serving.server import WILDCARDS, Limits, Running, serve

HTTP_PORT, HTTPS_PORT = 8000, 8443


class CannotServe(Exception):
    """The server cannot start: a port in use, an address not this machine's, an unwritable folder."""


@dataclass(frozen=True)
class Plan:
    host: str
    port: int
    https: bool
    http_port: int | None  # the side port (HTTPS only)
    limits: Limits
    refusals: Refusals = PLAIN


def plan(*, host: str | None, lan: bool, port: int | None, https: bool, http_port: int, threads: int,
         streams: int, max_header_bytes: int = Limits.max_header_bytes, max_body_bytes: int = Limits.max_body_bytes,
         json_errors_under: tuple[str, ...] = ()) -> Plan:
    """Addresses and limits from the command's options; the server's own refusals of requests under
    ``json_errors_under`` are in the API's JSON error shape (:mod:`pos.serving.refusals`).

    :raises ValueError: for options that contradict each other or are out of range, with a readable message
    """
    if host and lan and host not in WILDCARDS:
        raise ValueError("--lan listens on every interface; give either --lan or --host")
    host = host or ("0.0.0.0" if lan else "127.0.0.1")
    port = (HTTPS_PORT if https else HTTP_PORT) if port is None else port
    side = http_port if https and http_port >= 0 else None
    for name, value in (("--port", port), ("--http-port", side)):
        if value is not None and not 0 <= value <= 65535:
            raise ValueError(f"{name} must be between 0 and 65535")
    if side is not None and side == port and port != 0:
        raise ValueError("--http-port must differ from --port")
    if threads < 1 or streams < 0:
        raise ValueError("--threads must be at least 1 and --streams at least 0")
    limits = Limits(threads=threads, streams=streams, max_header_bytes=max_header_bytes, max_body_bytes=max_body_bytes)
    return Plan(host, port, https, side, limits, Refusals(json_errors_under))


def run(app: Callable, plan: Plan, *, cert_dir: str | Path, stop: threading.Event, echo: Callable[[str], None],
        on_start: Callable[[Running], None] | None = None) -> None:
    """Make or reuse the certificates (HTTPS), serve until ``stop``, print the banner once listening;
    ``on_start`` then sees the running server (its addresses, for a QR of the phone's address).

    :raises CannotServe: with a one-line reason
    """
    tls = None
    if plan.https:
        try:
            tls = certs.ensure(Path(cert_dir), certs.this_machine(*_extra_names(plan.host)))
        except OSError as error:
            raise CannotServe(f"cannot keep certificates in {cert_dir}: {error.strerror or error}") from error
    try:
        serve(app, plan.host, plan.port, stop=stop, tls=tls, http_port=plan.http_port, limits=plan.limits,
              refusals=plan.refusals, on_start=lambda running: _started(running, echo, on_start))
    except OSError as error:
        raise CannotServe(f"cannot listen on {_reason(error, plan.host)}") from error


def _started(running: Running, echo: Callable[[str], None], then: Callable[[Running], None] | None) -> None:
    for line in banner(running):
        echo(line)
    if then is not None:
        then(running)


def banner(running: Running) -> list[str]:
    """The first line names the main address (scripts read it); the rest tell a person what to do."""
    first, *others = running.urls()
    lines = [f"qrpos serving on {first}"] + [f"  also on {url}" for url in others]
    if running.tls is not None:
        ca = certs.load_cert(running.tls.ca_cert)
        side = running.side_urls("/trust")
        if side:
            lines.append(f"  phones: trust the CA once at {side[-1]} (the certificate alone: /ca.crt)")
        lines.append(f"  CA certificate SHA-256: {certs.fingerprint(ca)}")
        if running.host not in WILDCARDS and ipaddress_is_loopback(running.host):
            lines.append("  listening on this machine only: add --lan for phones on the shop's network")
    limits = running.limits
    lines.append(f"  at once: {limits.threads} requests and {limits.streams} event streams; "
                 f"silent connections close after {limits.timeout:g} s")
    return lines


def ipaddress_is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _extra_names(host: str) -> tuple[list[str], list[str]]:
    if host in WILDCARDS or ipaddress_is_loopback(host):
        return [], []
    try:
        return [], [str(ipaddress.ip_address(host))]
    except ValueError:
        return [host], []


def _reason(error: OSError, host: str) -> str:
    """'HOST:PORT: why' from cheroot's "No socket could be created -- (('HOST', PORT): [Errno N] why)"."""
    found = re.findall(r"\(\(?'?([^,']*)'?, (\d+)[^)]*\): \[Errno \d+\] ([^)]*)\)", str(error))
    if found:
        address, port, text = found[-1]
        return f"{address}:{port}: {text}"
    return f"{host}: {error.strerror or error}"
