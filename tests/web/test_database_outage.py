"""PostgreSQL restarted under load, behind a real `qrpos serve` process (issue 12).

The test runs its own throwaway cluster, so that it may stop it: while it is down every request
answers 503 DATABASE_UNAVAILABLE with ``Retry-After`` (JSON under /api/, a friendly page elsewhere),
never a 500 or a hang; when it is back the same server process serves again by itself; and every
payment that was acknowledged with a 201 is in the database, with a ledger that verifies.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from pos.core import parties
from pos.core.bootstrap import open_core
from pos.core.platform.context import Settings
from pos.core.store.schema import payments
from tests import serve_process
from tests.core.worlds import ramen_shop
from tests.pgcluster import throwaway_cluster
from tests.processes import stop

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 60.0
PAYERS = 4


def serve(url: str) -> tuple[subprocess.Popen, str]:
    return serve_process.start(url, "--threads", "8", "--sweep-interval", "0.2", "--webhook-interval", "0.2",
                               env={"QRPOS_RATELIMIT_ENABLED": "false"}, deadline=DEADLINE)


class Load:
    """Payers that each create a request at the till and pay it, again and again; a 503 is retried
    with the same Idempotency-Key, as a client honouring ``Retry-After`` would."""

    def __init__(self, base: str, api_key: str, tokens: list[str]):
        self.base, self.api_key, self.tokens = base, api_key, tokens
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.paid: list[str] = []  # payment ids acknowledged with 201
        self.refusals: list[httpx.Response] = []  # every non-2xx answer
        self.threads = [threading.Thread(target=self.payer, args=(i,), daemon=True) for i in range(len(tokens))]

    def call(self, http: httpx.Client, path: str, body: dict, token: str, key: str) -> httpx.Response | None:
        while not self.stop.is_set():
            response = http.post(path, json=body, headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key})
            if response.status_code != 503:
                if response.status_code >= 300:
                    with self.lock:
                        self.refusals.append(response)
                return response
            with self.lock:
                self.refusals.append(response)
            time.sleep(0.05)  # a client's back-off, shortened: Retry-After is checked below
        return None

    def payer(self, index: int) -> None:
        token = self.tokens[index]
        with httpx.Client(base_url=self.base, timeout=30) as http:
            n = 0
            while not self.stop.is_set():
                n += 1
                created = self.call(http, "/api/v1/payment-requests", {"amount": 100, "currency": "JPY"},
                                    self.api_key, f"r-{index}-{n}")
                if created is None or created.status_code != 201:
                    continue
                paid = self.call(http, "/api/v1/payments", {"payload": created.json()["payload"]}, token,
                                 f"p-{index}-{n}")
                if paid is not None and paid.status_code == 201:
                    with self.lock:
                        self.paid.append(paid.json()["id"])

    def counts(self) -> tuple[int, int]:
        with self.lock:
            return len(self.paid), sum(r.status_code == 503 for r in self.refusals)


@pytest.fixture
def own_postgres():
    with throwaway_cluster() as cluster:
        yield cluster


def wait_for(predicate, what: str) -> None:
    end = time.monotonic() + DEADLINE
    while not predicate():
        assert time.monotonic() < end, f"not reached in time: {what}"
        time.sleep(0.02)


def test_a_postgres_restart_under_load_is_a_503_then_recovers_and_loses_nothing_acknowledged(own_postgres):
    cluster = own_postgres
    core = open_core(cluster.url, settings=Settings(pin_scrypt_n=2**4))
    shop = ramen_shop(core)
    wallets = [parties.create_wallet(core, owner=f"P{i}", currency="JPY", pin="1234", balance=1_000_000)["wallet_id"]
               for i in range(PAYERS)]
    core.db.dispose()
    process, base = serve(cluster.url)
    try:
        with httpx.Client(base_url=base, timeout=30) as http:
            tokens = [http.post("/api/v1/sessions", json={"wallet": w, "pin": "1234"}).json()["token"]
                      for w in wallets]
        load = Load(base, shop["api_key"], tokens)
        for thread in load.threads:
            thread.start()
        wait_for(lambda: load.counts()[0] >= 20, "payments before the outage")

        cluster.stop()
        stopped = time.monotonic()
        wait_for(lambda: load.counts()[1] >= 20, "refusals during the outage")
        page = httpx.get(base + "/", timeout=30)
        api = httpx.get(base + "/api/v1/wallet", headers={"Authorization": f"Bearer {tokens[0]}"}, timeout=30)
        paid_before_restart = load.counts()[0]

        cluster.start()
        restarted = time.monotonic()
        wait_for(lambda: load.counts()[0] > paid_before_restart, "the first payment after the restart")
        first_after = time.monotonic() - restarted
        wait_for(lambda: load.counts()[0] >= paid_before_restart + 20, "payments after the restart")
        load.stop.set()
        for thread in load.threads:
            thread.join(DEADLINE)
        assert process.poll() is None, "the server kept running through the outage"
    finally:
        load_stop = locals().get("load")
        if load_stop is not None:
            load_stop.stop.set()
        process.terminate()
        try:
            process.wait(DEADLINE)
        finally:
            stop(process)

    print(f"\noutage: {restarted - stopped:.1f} s down, {load.counts()[1]} answers of 503, {len(load.paid)} payments "
          f"acknowledged, first payment {first_after:.2f} s after the database was back")
    assert page.status_code == 503 and page.headers["Retry-After"].isdigit()
    assert page.headers["Content-Type"].startswith("text/html") and "Back in a moment" in page.text
    assert api.status_code == 503 and api.json()["error"]["code"] == "DATABASE_UNAVAILABLE"
    assert {r.status_code for r in load.refusals} == {503}, [(r.status_code, r.text) for r in load.refusals[:5]]
    for refusal in load.refusals:
        assert refusal.json()["error"]["code"] == "DATABASE_UNAVAILABLE"
        assert int(refusal.headers["Retry-After"]) >= 1
        assert refusal.headers["Content-Type"] == "application/json"

    core = open_core(cluster.url, settings=Settings(pin_scrypt_n=2**4))
    with core.db.read() as conn:
        stored = set(conn.scalars(select(payments.c.id)))
    core.db.dispose()
    assert len(load.paid) == len(set(load.paid)) and set(load.paid) <= stored
    verify = subprocess.run([sys.executable, "-c", "from pos.cli import main; main()", "--db", cluster.url,
                             "ledger", "verify"], cwd=ROOT, capture_output=True, text=True, timeout=DEADLINE)
    assert verify.returncode == 0, verify.stdout + verify.stderr
