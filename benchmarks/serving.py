"""Serving benchmark: what idle connections, silent TLS handshakes and open event streams do to a
normal request, on `qrpos serve --https` (cheroot, hardened) and on stock cheroot serving the same app.

    .venv/bin/python benchmarks/serving.py [--samples 20] [--give-up 15]

For each server, in the same run: the time of GET /api/v1/ping on a fresh HTTPS connection (median
of --samples), alone (the baseline) and while the server holds 110 idle TCP connections (nothing
sent: on an HTTPS port, handshakes that never start), a full set of event streams, or a client
trickling its headers. A request that has no answer after --give-up seconds counts as hung. Loopback
only, bounded in time.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import ssl  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

import httpx  # noqa: E402

from pos.core import parties, payments  # noqa: E402
from pos.core.bootstrap import open_core  # noqa: E402
from pos.core.platform.context import Settings  # noqa: E402

STOCK = """
import sys
from cheroot import wsgi
from cheroot.ssl.builtin import BuiltinSSLAdapter
from pos import create_app
server = wsgi.Server(("127.0.0.1", 0), create_app(), numthreads=int(sys.argv[2]), timeout=10)
server.ssl_adapter = BuiltinSSLAdapter(sys.argv[1], sys.argv[1])
server.prepare()
print("stock cheroot serving on https://127.0.0.1:%d" % server.bind_addr[1], flush=True)
server.serve()
"""


def start(kind: str, db_url: str, cert_dir: Path, threads: int, streams: int):
    env = {**os.environ, "QRPOS_DATABASE_URL": db_url, "QRPOS_RATELIMIT_ENABLED": "false", "PYTHONUNBUFFERED": "1"}
    if kind == "hardened":
        args = ["-c", "from pos.cli import main; main()", "serve", "--https", "--port", "0", "--http-port", "-1",
                "--cert-dir", str(cert_dir), "--threads", str(threads), "--streams", str(streams),
                "--webhook-interval", "0"]
    else:
        args = ["-c", STOCK, str(cert_dir / "server.pem"), str(threads + streams)]
    process = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None  # stdout=PIPE
    line = process.stdout.readline()
    if "serving on" not in line:
        process.kill()
        raise SystemExit(f"{kind} server did not start")
    return process, line.split()[-1]


def ping_time(url: str, context: ssl.SSLContext, give_up: float) -> float | None:
    t0 = time.perf_counter()
    try:
        with httpx.Client(verify=context, timeout=give_up) as client:  # a fresh connection each time
            client.get(url + "/api/v1/ping").raise_for_status()
    except httpx.HTTPError:
        return None
    return time.perf_counter() - t0


def measure(url, context, samples, give_up) -> str:
    times = []
    for _ in range(samples):
        t = ping_time(url, context, give_up)
        if t is None:
            return f"hung > {give_up:g} s"
        times.append(t)
    return f"{statistics.median(times) * 1000:8.1f} ms"


class Streams:
    """``count`` event streams held open by one client thread each; ``statuses`` of their answers."""

    def __init__(self, url, context, api_key, request_id, count):
        self.statuses: list[int] = []
        self.done = threading.Event()
        self.ready = threading.Barrier(count + 1)
        self.threads = [threading.Thread(target=self._hold, args=(url, context, api_key, request_id), daemon=True)
                        for _ in range(count)]
        for thread in self.threads:
            thread.start()
        self.ready.wait(timeout=60)

    def _hold(self, url, context, api_key, request_id):
        with httpx.Client(verify=context, timeout=60) as client:
            with client.stream("GET", f"{url}/api/v1/payment-requests/{request_id}/events",
                               headers={"Authorization": f"Bearer {api_key}"}) as response:
                self.statuses.append(response.status_code)
                self.ready.wait(timeout=60)
                self.done.wait(120)

    def close(self):
        self.done.set()
        for thread in self.threads:
            thread.join(timeout=10)


def open_idle(port: int, count: int) -> list[socket.socket]:
    """Connections that send nothing; a server whose listen queue is full lets no more in (1 s each)."""
    idle = []
    for _ in range(count):
        try:
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=1))
        except OSError:
            break
    return idle


def trickle(port: int, stop: threading.Event, started: threading.Barrier) -> None:
    """A slowloris client: a TLS handshake, a request line, then one header byte a second."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            tls = ssl._create_unverified_context().wrap_socket(sock)
            tls.sendall(b"GET /api/v1/ping HTTP/1.1\r\nHost: localhost\r\n")
            started.wait(timeout=60)
            while not stop.wait(1.0):
                tls.sendall(b"X")
    except (OSError, threading.BrokenBarrierError):
        return  # cut off by the server


class Rows(list):
    def append(self, row):
        print(f"  {row[0]:<40} {row[1]:>16}", flush=True)
        super().append(row)


def run(kind, db_url, cert_dir, context, seed, args):
    process, url = start(kind, db_url, cert_dir, args.threads, args.streams)
    port = int(url.rsplit(":", 1)[1])
    print(f"{kind}:", flush=True)
    rows = Rows()
    try:
        rows.append(("alone (baseline)", measure(url, context, args.samples, args.give_up)))
        idle = open_idle(port, 110)
        rows.append((f"110 idle TCP connections ({len(idle)} got in)", measure(url, context, args.samples,
                                                                               args.give_up)))
        for sock in idle:
            sock.close()
        stop, count = threading.Event(), args.threads + args.streams
        started = threading.Barrier(count + 1)
        for _ in range(count):
            threading.Thread(target=trickle, args=(port, stop, started), daemon=True).start()
        started.wait(timeout=60)  # every one has its handshake done and a request under way
        rows.append((f"{args.threads + args.streams} clients trickling headers",
                     measure(url, context, 1, args.give_up)))
        stop.set()
        streams = Streams(url, context, seed["api_key"], seed["request_id"], args.streams + 4)
        refused = sum(1 for s in streams.statuses if s == 503)
        rows.append((f"{args.streams + 4} streams asked ({refused} refused 503)",
                     measure(url, context, args.samples, args.give_up)))
        streams.close()
    finally:
        process.kill()
        process.wait()
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20, help="Requests per measurement (median).")
    parser.add_argument("--give-up", type=float, default=15.0, help="Seconds after which a request counts as hung.")
    parser.add_argument("--threads", type=int, default=16, help="Request threads.")
    parser.add_argument("--streams", type=int, default=32, help="Event stream slots (stock cheroot: added threads).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/bench.db"
        core = open_core(db_url, settings=Settings(pin_scrypt_n=2**4))
        shop = parties.create_merchant(core, name="Bench Ramen", mcc="5812", country="JP", city="Tokyo",
                                       currency="JPY")
        request = payments.create_request(core, merchant_id=str(shop["merchant_id"]),
                                          terminal_id=str(shop["terminal_id"]), amount=500, currency="JPY")
        core.db.dispose()
        seed = {"api_key": shop["api_key"], "request_id": request["id"]}
        cert_dir = Path(tmp) / "tls"
        from pos.serving import certs

        certs.ensure(cert_dir)
        context = ssl.create_default_context(cafile=str(cert_dir / "ca.crt"))
        print(f"GET /api/v1/ping over a fresh HTTPS connection, median of {args.samples}; "
              f"{args.threads} request threads + {args.streams} for streams")
        results = {kind: run(kind, db_url, cert_dir, context, seed, args) for kind in ("hardened", "stock")}
        print(f"{'while the server holds':<40} {'qrpos serve':>16} {'stock cheroot':>16}")
        for (label, hardened), (_, stock) in zip(results["hardened"], results["stock"], strict=True):
            print(f"{label:<40} {hardened:>16} {stock:>16}")


if __name__ == "__main__":
    main()
