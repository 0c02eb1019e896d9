"""Serving fixtures: certificates in a temporary folder, a small Flask app whose streams the test
controls, and the real server (cheroot, hardened) on 127.0.0.1 with free ports."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable

import pytest
from flask import Flask, Response, request

from pos import serving
from pos.serving.refusals import PLAIN

DEADLINE = 10.0


class Gate:
    """Things the app waits for or tells: a slow view entered, streams to end, an event to send."""

    def __init__(self):
        self.entered = threading.Event()
        self.release = threading.Event()
        self.send = threading.Event()


def make_app(gate: Gate) -> Flask:
    app = Flask("serving-test")

    @app.get("/ping")
    def ping():
        return {"ok": True, "scheme": request.scheme}

    @app.get("/slow")
    def slow():
        gate.entered.set()
        gate.release.wait(DEADLINE)
        return {"ok": True}

    @app.get("/events")
    def events():
        def stream():
            yield "retry: 1000\n\n"
            while not gate.release.is_set():
                if gate.send.wait(0.05):
                    yield "event: hello\ndata: {}\n\n"
                    return
            yield ": bye\n\n"

        return Response(stream(), mimetype="text/event-stream")

    return app


@pytest.fixture
def cert_paths(tmp_path):
    return serving.ensure(tmp_path / "tls")


@pytest.fixture
def ca_context(cert_paths):
    """A client context that trusts the test CA and nothing else."""
    return ssl.create_default_context(cafile=str(cert_paths.ca_cert))


@pytest.fixture
def gate():
    gate = Gate()
    yield gate
    gate.release.set()  # let any stream or slow view end before the server stops


@pytest.fixture
def start_server(gate, cert_paths) -> Callable[..., serving.Running]:
    """``start_server(tls=True, http_port=0, refusals=Refusals(), **limits)``: the test app served until the
    test ends."""
    running: list[serving.Running] = []

    def start(*, tls: bool = True, http_port: int | None = 0, app=None, refusals=PLAIN,
              **limits) -> serving.Running:
        server = serving.start(app or make_app(gate), "127.0.0.1", 0, tls=cert_paths if tls else None,
                               http_port=http_port, limits=serving.Limits(**limits), refusals=refusals)
        running.append(server)
        return server

    yield start
    gate.release.set()
    for server in running:
        server.stop()


def wait_until(predicate: Callable[[], bool], timeout: float = DEADLINE) -> None:
    """Check ``predicate`` until true (every 10 ms) or fail after ``timeout``: for server state that
    has no event to wait on, such as the length of its request queue."""
    end = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < end, "condition not reached in time"
        time.sleep(0.01)


def idle_connections(port: int, count: int) -> list[socket.socket]:
    """Open TCP connections that send nothing, as a careless or hostile client would."""
    return [socket.create_connection(("127.0.0.1", port), timeout=DEADLINE) for _ in range(count)]


def closed_by_peer(sock: socket.socket, timeout: float = DEADLINE) -> bool:
    """True when the server closes ``sock`` within ``timeout`` (a read returns end of stream or a reset)."""
    sock.settimeout(timeout)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
