"""`qrpos serve --https` as a real process: what it prints, what it serves, what it keeps between starts."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from pos.serving import certs
from tests.processes import stop
from tests.serving.conftest import DEADLINE

ROOT = Path(__file__).resolve().parents[2]


class Serve:
    """One `qrpos serve` process and the lines it printed up to its banner's end."""

    def __init__(self, db_url: str, *args: str, start_within: float = DEADLINE):
        env = {**os.environ, "QRPOS_DATABASE_URL": db_url, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen([sys.executable, "-c", "from pos.cli import main; main()", "serve", *args],
                                        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.lines = []
        try:
            while not self.lines or not self.lines[-1].startswith("  at once:"):
                line = self._lines.get(timeout=start_within)
                if line is None:
                    pytest.fail("qrpos serve stopped: " + self.process.stderr.read())
                self.lines.append(line.rstrip("\n"))
        except BaseException:
            stop(self.process)
            raise
        self.url = self.lines[0].rsplit(" ", 1)[1]

    def _read(self):
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def line(self, prefix: str) -> str:
        return next(line for line in self.lines if line.startswith(prefix))

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=DEADLINE)
        finally:
            stop(self.process)


@pytest.fixture
def sqlite_url(sqlite_template, tmp_path):
    path = tmp_path / "qrpos.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


def test_serve_https_prints_its_addresses_and_the_ca_fingerprint_and_serves_the_app(sqlite_url, tmp_path):
    folder = tmp_path / "tls"
    server = Serve(sqlite_url, "--https", "--port", "0", "--http-port", "0", "--cert-dir", str(folder))
    try:
        assert server.url.startswith("https://127.0.0.1:")
        ca = certs.load_cert(certs.CertPaths(folder).ca_cert)
        assert server.line("  CA certificate SHA-256: ").endswith(certs.fingerprint(ca))
        trust = server.line("  phones: trust the CA once at ").split(" at ", 1)[1].split(" ", 1)[0]
        context = ssl.create_default_context(cafile=str(folder / "ca.crt"))
        assert httpx.get(server.url + "/healthz", verify=context, timeout=DEADLINE).json() == {"status": "ok"}
        page = httpx.get(trust, timeout=DEADLINE)
        assert page.status_code == 200 and certs.fingerprint(ca) in page.text
        assert server.line("  listening on this machine only")
    finally:
        assert server.stop() == 0


def test_a_second_start_serves_the_same_certificates(sqlite_url, tmp_path):
    folder = tmp_path / "tls"
    args = ("--https", "--port", "0", "--http-port", "-1", "--cert-dir", str(folder))
    first = Serve(sqlite_url, *args)
    assert first.stop() == 0
    kept = {name: (folder / name).read_bytes() for name in ("ca.pem", "ca.crt", "server.pem")}
    second = Serve(sqlite_url, *args)
    try:
        assert {name: (folder / name).read_bytes() for name in kept} == kept
        assert not any(line.startswith("  phones:") for line in second.lines)  # no side port asked
        context = ssl.create_default_context(cafile=str(folder / "ca.crt"))
        assert httpx.get(second.url + "/api/v1/ping", verify=context, timeout=DEADLINE).status_code == 200
    finally:
        assert second.stop() == 0


def test_plain_serve_keeps_its_address_and_stays_on_loopback(sqlite_url):
    server = Serve(sqlite_url, "--port", "0")
    try:
        assert server.url.startswith("http://127.0.0.1:") and len(server.lines) == 2
        assert httpx.get(server.url + "/healthz", timeout=DEADLINE).status_code == 200
    finally:
        assert server.stop() == 0


@pytest.mark.parametrize("args, message", [
    (["--lan", "--host", "127.0.0.1"], "give either --lan or --host"),
    (["--https", "--port", "8443", "--http-port", "8443"], "--http-port must differ from --port"),
    (["--port", "70000"], "--port must be between 0 and 65535"),
    (["--threads", "0"], "--threads must be at least 1"),
])
def test_contradictory_options_are_one_line_and_exit_1(sqlite_url, args, message):
    result = subprocess.run([sys.executable, "-c", "from pos.cli import main; main()", "--db", sqlite_url, "serve",
                             *args], cwd=ROOT, capture_output=True, text=True, timeout=DEADLINE)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr


def test_a_port_in_use_is_one_line_and_exit_1(sqlite_url):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-c", "from pos.cli import main; main()", "--db", sqlite_url,
                                 "serve", "--port", str(port)], cwd=ROOT, capture_output=True, text=True,
                                timeout=DEADLINE)
    assert result.returncode == 1
    assert result.stderr == f"qrpos: cannot listen on 127.0.0.1:{port}: Address already in use\n"
