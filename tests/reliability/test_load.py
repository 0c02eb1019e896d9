"""A crowd through one real `qrpos serve`: wallets paying, event streams held open, idle sockets.

Every wallet signs in, its merchant opens a request, the wallet scans and pays it, while 50 event
streams stay open on other requests and 100 TCP connections sit silent. Every call must answer
within ``BOUND`` seconds, with no 5xx other than a documented 503 carrying ``Retry-After``; every
request is paid exactly once and the ledger verifies afterwards. Prints the figures reported in
docs/reliability.md. 30 wallets in a normal run, 100 with QRPOS_LONG=1.
"""

from __future__ import annotations

import queue
import socket
import threading
import time
from urllib.parse import urlsplit

import httpx
from sqlalchemy import func, select

from pos.core import ledger, parties
from pos.core.bootstrap import open_core
from pos.core.platform.context import Settings
from pos.core.store.schema import payments as payments_table
from tests.core.worlds import ramen_shop
from tests.long_mode import scaled
from tests.reliability.servers import CROWD_LIMITS, percentile, serve

WALLETS = scaled(30, 100)
STREAMS = 50
IDLE = 100
MERCHANTS = 10
BOUND = 10.0  # seconds: a generous bound on any normal call under this load
PRICE = 700


class Calls:
    """Every normal call's latency and status, and any answer that breaks the rules."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.bad: list[str] = []
        self.refused_503 = 0

    def call(self, client: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response:
        for _ in range(5):  # a documented 503 asks the client to come back after Retry-After
            started = time.perf_counter()
            try:
                response = client.request(method, url, timeout=BOUND, **kwargs)
            except httpx.HTTPError as error:
                with self.lock:
                    self.bad.append(f"{method} {url}: {type(error).__name__} {error}")
                raise
            with self.lock:
                self.latencies.append(time.perf_counter() - started)
                if response.status_code == 503 and response.headers.get("Retry-After", "").isdigit():
                    self.refused_503 += 1
                    retry = int(response.headers["Retry-After"])
                elif response.status_code >= 500:
                    self.bad.append(f"{method} {url}: {response.status_code} {response.text[:200]}")
                    return response
                else:
                    return response
            time.sleep(retry)  # the server's own instruction to this client, not a wait for an event
        return response


def hold_idle_connections(url: str, count: int) -> list[socket.socket]:
    """``count`` TCP connections that connect and then say nothing."""
    parts = urlsplit(url)
    return [socket.create_connection((parts.hostname, parts.port), timeout=BOUND) for _ in range(count)]


def still_open(sockets: list[socket.socket]) -> int:
    """How many of ``sockets`` the server has not closed (a closed one reads as end of stream)."""
    count = 0
    for sock in sockets:
        sock.setblocking(False)
        try:
            count += sock.recv(1, socket.MSG_PEEK) != b""
        except BlockingIOError:
            count += 1  # nothing to read and not closed
        except OSError:
            pass
    return count


def open_streams(url: str, merchants: list[dict], count: int, stop: threading.Event) -> queue.Queue[str]:
    """``count`` event streams, each on an unpaid request of its own; yields each stream's first event."""
    first: queue.Queue[str] = queue.Queue()

    def follow(shop: dict) -> None:
        auth = {"Authorization": f"Bearer {shop['api_key']}"}
        with httpx.Client(base_url=url, headers=auth, timeout=httpx.Timeout(BOUND, read=None)) as http:
            request = http.post("/api/v1/payment-requests", json={"amount": 100, "currency": "JPY"}).json()
            try:
                with http.stream("GET", f"/api/v1/payment-requests/{request['id']}/events") as response:
                    if response.status_code != 200:
                        first.put(f"status {response.status_code}")
                        return
                    for line in response.iter_lines():
                        if line.startswith("event: "):
                            first.put(line.removeprefix("event: "))
                            break
                    stop.wait(600)  # hold the stream open until the load is over
            except httpx.HTTPError as error:
                first.put(f"error {error}")

    for i in range(count):
        threading.Thread(target=follow, args=(merchants[i % len(merchants)],), daemon=True).start()
    return first


def test_a_crowd_of_wallets_is_served_within_bounds_beside_streams_and_idle_connections(db_url):
    core = open_core(db_url, settings=Settings(pin_scrypt_n=2**4))
    merchants = [ramen_shop(core, name=f"Ramen {i}") for i in range(MERCHANTS)]
    wallets = [parties.create_wallet(core, owner=f"Payer {i}", currency="JPY", pin="1234", balance=10_000)
               for i in range(WALLETS)]
    calls = Calls()
    stop = threading.Event()
    args = ("--threads", "16", "--streams", str(STREAMS + 10), "--sweep-interval", "0", "--webhook-interval", "0")
    with serve(db_url, *args, env=CROWD_LIMITS) as (url, _):
        first_events = open_streams(url, merchants, STREAMS, stop)
        opened = [first_events.get(timeout=60) for _ in range(STREAMS)]
        assert opened == ["payment_request.created"] * STREAMS

        start = threading.Barrier(WALLETS + 1)
        paid: dict[str, httpx.Response] = {}

        def wallet_life(i: int) -> None:
            shop, wallet = merchants[i % MERCHANTS], wallets[i]
            with httpx.Client(base_url=url) as till, httpx.Client(base_url=url) as phone:
                start.wait()
                till.headers["Authorization"] = f"Bearer {shop['api_key']}"
                sign_in = {"wallet": wallet["wallet_id"], "pin": "1234"}
                session = calls.call(phone, "POST", "/api/v1/sessions", json=sign_in)
                phone.headers["Authorization"] = f"Bearer {session.json()['token']}"
                price = {"amount": PRICE, "currency": "JPY"}
                request = calls.call(till, "POST", "/api/v1/payment-requests", json=price,
                                     headers={"Idempotency-Key": f"load-request-{i}"}).json()
                calls.call(phone, "POST", "/api/v1/scans", json={"payload": request["payload"]})
                code = {"payload": request["payload"]}
                paid[request["id"]] = calls.call(phone, "POST", "/api/v1/payments", json=code,
                                                 headers={"Idempotency-Key": f"load-pay-{i}"})

        crowd = [threading.Thread(target=wallet_life, args=(i,)) for i in range(WALLETS)]
        for thread in crowd:
            thread.start()
        idle = hold_idle_connections(url, IDLE)  # last, beside the crowd: silence closes them after 10 s
        start.wait()
        began = time.perf_counter()
        for thread in crowd:
            thread.join(timeout=300)
        elapsed = time.perf_counter() - began
        idle_left = still_open(idle)
        with httpx.Client(base_url=url) as http:
            assert calls.call(http, "GET", "/healthz").status_code == 200
        stop.set()
        for sock in idle:
            sock.close()

    assert calls.bad == []
    assert sorted(r.status_code for r in paid.values()) == [201] * WALLETS
    with core.db.read() as conn:
        per_request = conn.execute(select(payments_table.c.request_id, func.count()).where(
            payments_table.c.request_id.in_(list(paid))).group_by(payments_table.c.request_id)).all()
    assert sorted(n for _, n in per_request) == [1] * WALLETS  # exactly one payment per request
    assert ledger.audit(core)["ok"]
    for wallet in wallets:
        assert parties.wallet_summary(core, wallet["wallet_id"])["balance"]["amount"] == 10_000 - PRICE
    core.db.dispose()

    latencies = calls.latencies
    print(f"\nload on {core.db.engine.dialect.name}: {WALLETS} wallets ({len(latencies)} calls) beside {STREAMS} "
          f"open streams and {IDLE} idle connections ({idle_left} still open at the end): "
          f"{WALLETS / elapsed:.1f} payments/s, "
          f"{len(latencies) / elapsed:.1f} calls/s; latency p50 {percentile(latencies, 50) * 1000:.0f} ms, "
          f"p95 {percentile(latencies, 95) * 1000:.0f} ms, p99 {percentile(latencies, 99) * 1000:.0f} ms, "
          f"max {max(latencies) * 1000:.0f} ms; 503s {calls.refused_503}, other 5xx 0")
    assert max(latencies) < BOUND
