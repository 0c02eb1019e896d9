"""Two real `qrpos serve` processes on one database: a stream on A follows what is paid through B.

The servers' own polling is set to an hour, so only a wake-up can bring an event: NOTIFY on
PostgreSQL, the data_version watcher on SQLite. Every wait is on the stream, with a generous bound.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from pos.core.bootstrap import open_core
from pos.core.platform.context import Settings
from tests.core.worlds import ramen_shop, yen_wallet
from tests.processes import stop

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 20.0


@contextlib.contextmanager
def serve(db_url: str, *, poll: float = 3600, threads: int = 8):
    """`qrpos serve --port 0` whose streams poll every ``poll`` seconds; yields (base URL, process)."""
    env = {**os.environ, "QRPOS_DATABASE_URL": db_url, "QRPOS_SSE_POLL_SECONDS": str(poll), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", "from pos.cli import main; main()", "serve", "--port", "0", "--threads", str(threads),
         "--sweep-interval", "0", "--webhook-interval", "0"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        try:
            line = lines.get(timeout=DEADLINE)
        except queue.Empty:
            pytest.fail("qrpos serve did not start")
        assert "serving on http://127.0.0.1:" in line, line
        yield line.rsplit(" ", 1)[1].strip(), process
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=DEADLINE) == 0, process.stderr.read()  # the listener stops cleanly
    finally:
        stop(process, DEADLINE)


def follow(http: httpx.Client, request_id: str) -> queue.Queue[str]:
    """The event types of a request's stream on a server, read by a real HTTP client in a thread."""
    got: queue.Queue[str] = queue.Queue()

    def read():
        try:
            with http.stream("GET", f"/api/v1/payment-requests/{request_id}/events",
                             timeout=httpx.Timeout(DEADLINE, read=None)) as response:
                for line in response.iter_lines():
                    if line.startswith("event: "):
                        got.put(line.removeprefix("event: "))
        except httpx.HTTPError:
            pass  # the server stops at the end of the test

    threading.Thread(target=read, daemon=True).start()
    return got


class Shop:
    """A ramen shop and a wallet, seeded directly; HTTP clients for the merchant and the payer."""

    def __init__(self, db_url: str):
        core = open_core(db_url, settings=Settings(pin_scrypt_n=2**4))
        self.shop, self.wallet = ramen_shop(core), yen_wallet(core)
        core.db.dispose()

    def merchant(self, url: str) -> httpx.Client:
        return httpx.Client(base_url=url, timeout=DEADLINE, headers={"Authorization": f"Bearer {self.shop['api_key']}"})

    def payer(self, url: str) -> httpx.Client:
        with httpx.Client(base_url=url, timeout=DEADLINE) as anonymous:
            token = anonymous.post("/api/v1/sessions", json={"wallet": self.wallet["wallet_id"], "pin": "1234"})
        auth = {"Authorization": f"Bearer {token.json()['token']}"}
        return httpx.Client(base_url=url, timeout=DEADLINE, headers=auth)


def test_a_stream_on_one_server_sees_a_payment_made_through_another(db_url):
    world = Shop(db_url)
    with (serve(db_url) as (url_a, _), serve(db_url) as (url_b, _),
          world.merchant(url_a) as merchant_a, world.payer(url_b) as payer_b):
        request = merchant_a.post("/api/v1/payment-requests", json={"amount": 1200, "currency": "JPY"}).json()
        events = follow(merchant_a, request["id"])
        assert events.get(timeout=DEADLINE) == "payment_request.created"
        assert payer_b.post("/api/v1/scans", json={"payload": request["payload"]}).status_code == 200
        assert events.get(timeout=DEADLINE) == "payment_request.customer_confirming"
        assert payer_b.post("/api/v1/payments", json={"payload": request["payload"]}).status_code == 201
        assert events.get(timeout=DEADLINE) == "payment_request.paid"


def listener_backends(db_url: str, server_pid: int) -> list[int]:
    engine = create_engine(db_url, poolclass=None)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT pid FROM pg_stat_activity WHERE application_name = :name"),
                                     {"name": f"qrpos-live:{server_pid}"}).scalars())
    finally:
        engine.dispose()


def kill_backend(db_url: str, pid: int) -> bool:
    engine = create_engine(db_url, poolclass=None)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_the_listener_recovers_after_its_connection_is_killed(pg_database_factory):
    db_url = pg_database_factory()
    world = Shop(db_url)
    with (serve(db_url) as (url_a, process_a), serve(db_url) as (url_b, _),
          world.merchant(url_a) as merchant_a, world.payer(url_b) as payer_b):
        request = merchant_a.post("/api/v1/payment-requests", json={"amount": 1200, "currency": "JPY"}).json()
        events = follow(merchant_a, request["id"])
        assert events.get(timeout=DEADLINE) == "payment_request.created"
        assert payer_b.post("/api/v1/scans", json={"payload": request["payload"]}).status_code == 200
        assert events.get(timeout=DEADLINE) == "payment_request.customer_confirming"  # A's listener is up

        [first] = listener_backends(db_url, process_a.pid)
        assert kill_backend(db_url, first)
        assert payer_b.post("/api/v1/payments", json={"payload": request["payload"]}).status_code == 201
        assert events.get(timeout=DEADLINE) == "payment_request.paid"  # the new connection's re-read, or its NOTIFY
        assert set(listener_backends(db_url, process_a.pid)) - {first}  # connected again, on a new backend

        second = merchant_a.post("/api/v1/payment-requests", json={"amount": 800, "currency": "JPY"}).json()
        events = follow(merchant_a, second["id"])
        assert events.get(timeout=DEADLINE) == "payment_request.created"
        assert payer_b.post("/api/v1/scans", json={"payload": second["payload"]}).status_code == 200
        assert events.get(timeout=DEADLINE) == "payment_request.customer_confirming"  # LISTENing again


def test_a_stream_whose_page_has_gone_frees_its_server_thread(db_url):
    """Pages that close their streams (the till moves on to the next sale) must not use up the threads."""
    world = Shop(db_url)
    with serve(db_url, poll=0.2, threads=2) as (url, _), world.merchant(url) as merchant:
        for _ in range(6):  # three times the server's threads
            request = merchant.post("/api/v1/payment-requests", json={"amount": 100, "currency": "JPY"}).json()
            with merchant.stream("GET", f"/api/v1/payment-requests/{request['id']}/events") as response:
                assert next(line for line in response.iter_lines() if line.startswith("event: ")).endswith(".created")
        assert merchant.get("/healthz", timeout=10).json() == {"status": "ok"}  # a thread was free again
