"""Against a real `qrpos serve` process on 127.0.0.1: HTTP, live SSE, signed webhooks to a real
receiver, and a clean stop on SIGTERM."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from pos.core.bootstrap import open_core
from pos.core.platform import webhooks
from pos.core.platform.context import Settings
from tests.core.worlds import ramen_shop, yen_wallet
from tests.processes import stop

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 20.0
LOCAL_RECEIVERS = {"QRPOS_WEBHOOKS_ALLOW_PRIVATE": "1"}  # the receiver listens on 127.0.0.1


class WebhookReceiver:
    """A merchant's webhook endpoint on a real socket: verifies, fails the first call, dedupes."""

    def __init__(self):
        self.secret = None
        self.calls = 0
        self.events: dict[str, dict] = {}
        self.changed = threading.Condition()
        self.server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def wsgi(self, environ, start_response):
        request = Request(environ)
        body = request.get_data()
        with self.changed:
            self.calls += 1
            ok = webhooks.verify(self.secret, request.headers.get(webhooks.SIGNATURE_HEADER, ""), body,
                                 now=int(time.time()))
            if not ok:
                return Response("bad signature", 400)(environ, start_response)
            if self.calls == 1:
                return Response("try later", 503)(environ, start_response)
            event = json.loads(body)
            self.events.setdefault(event["id"], event)
            self.changed.notify_all()
        return Response(status=204)(environ, start_response)

    def wait_for(self, predicate, timeout=DEADLINE):
        with self.changed:
            assert self.changed.wait_for(lambda: predicate(self), timeout), (self.calls, list(self.events))


@pytest.fixture
def receiver():
    r = WebhookReceiver()
    r.thread.start()
    yield r
    r.server.shutdown()


@pytest.fixture
def server(db_url):
    """`qrpos serve --port 0` on a fresh database; yields its base URL and the seeding core."""
    core = open_core(db_url, settings=Settings(pin_scrypt_n=2**4))
    env = {**os.environ, "QRPOS_DATABASE_URL": db_url, "PYTHONUNBUFFERED": "1", **LOCAL_RECEIVERS}
    process = subprocess.Popen(
        [sys.executable, "-c", "from pos.cli import main; main()", "serve", "--port", "0", "--threads", "8",
         "--sweep-interval", "0.2", "--webhook-interval", "0.05"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        try:
            line = lines.get(timeout=DEADLINE)
        except queue.Empty:
            process.kill()
            pytest.fail("qrpos serve did not start: " + process.stderr.read())
        assert "serving on http://127.0.0.1:" in line, line
        yield SimpleServer(line.rsplit(" ", 1)[1].strip(), core, process)
    finally:
        stop(process, DEADLINE)
        core.db.dispose()


class SimpleServer:
    def __init__(self, url, core, process):
        self.url, self.core, self.process = url, core, process


def test_a_live_server_streams_status_and_sends_signed_webhooks(server, receiver):
    shop, wallet = ramen_shop(server.core), yen_wallet(server.core)
    merchant = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {shop['api_key']}"}, timeout=10)
    endpoint = merchant.post("/api/v1/webhook-endpoints", json={"url": receiver.url}).json()
    receiver.secret = endpoint["secret"]
    request = merchant.post("/api/v1/payment-requests", json={"amount": 1200, "currency": "JPY"},
                            headers={"Idempotency-Key": "live-1"}).json()

    seen = queue.Queue()

    def follow():
        try:
            with merchant.stream("GET", f"/api/v1/payment-requests/{request['id']}/events",
                                 timeout=httpx.Timeout(10, read=None)) as response:
                for line in response.iter_lines():
                    if line.startswith("event: "):
                        seen.put(line.removeprefix("event: "))
        except httpx.HTTPError:
            pass  # the server stops at the end of the test

    threading.Thread(target=follow, daemon=True).start()
    assert seen.get(timeout=DEADLINE) == "payment_request.created"

    with httpx.Client(base_url=server.url, timeout=10) as anonymous:
        token = anonymous.post("/api/v1/sessions", json={"wallet": wallet["wallet_id"], "pin": "1234"}).json()["token"]
    payer = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert payer.post("/api/v1/scans", json={"payload": request["payload"]}).status_code == 200
    assert seen.get(timeout=DEADLINE) == "payment_request.customer_confirming"
    paid = [payer.post("/api/v1/payments", json={"payload": request["payload"]}, headers={"Idempotency-Key": "p-1"})
            for _ in range(2)]
    assert paid[0].status_code == paid[1].status_code == 201 and paid[0].content == paid[1].content
    assert seen.get(timeout=DEADLINE) == "payment_request.paid"
    assert payer.get("/api/v1/wallet").json()["balance"]["amount"] == 10_000 - 1200

    receiver.wait_for(lambda r: len(r.events) == 3)  # the first delivery failed: it waits for its retry
    pending = merchant.get("/api/v1/webhook-deliveries?status=pending").json()["data"]
    failed = [d for d in pending if d["attempts"] == 1]
    assert len(failed) == 1 and failed[0]["attempt_log"][0]["status_code"] == 503
    assert merchant.post(f"/api/v1/webhook-deliveries/{failed[0]['id']}/resend").status_code == 200
    receiver.wait_for(lambda r: len(r.events) == 4)
    assert {e["type"] for e in receiver.events.values()} == {
        "payment_request.created", "payment_request.customer_confirming", "payment_request.paid",
        "payment.succeeded"}
    docs = httpx.get(server.url + "/api/v1/docs")
    assert docs.status_code == 200 and "/static/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert httpx.get(server.url + "/static/swagger-ui/swagger-ui-bundle.js").status_code == 200
    merchant.close()
    payer.close()

    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=DEADLINE) == 0


def test_the_worker_sends_what_was_queued_before_it_started(db_url, receiver):
    """The outbox survives restarts: events queued with no sender running go out when one starts."""
    core = open_core(db_url, settings=Settings(pin_scrypt_n=2**4, webhooks_allow_private=True))
    shop = ramen_shop(core)
    receiver.secret = webhooks.register_endpoint(core, merchant_id=shop["merchant_id"], url=receiver.url)["secret"]
    receiver.calls = 1  # no failure this time
    from pos.core import payments

    request = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                      amount=500, currency="JPY")
    env = {**os.environ, "QRPOS_DATABASE_URL": db_url, "PYTHONUNBUFFERED": "1", **LOCAL_RECEIVERS}
    command = [sys.executable, "-c", "from pos.cli import main; main()", "worker", "--interval", "0.05"]
    worker = subprocess.Popen(command,
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        receiver.wait_for(lambda r: len(r.events) == 1)
        event = next(iter(receiver.events.values()))
        assert event["type"] == "payment_request.created" and event["request_id"] == request["id"]
    finally:
        try:
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=3 * DEADLINE) == 0, worker.stderr.read()  # a loaded CI machine is slow to stop
        finally:
            stop(worker)  # also when it did not stop in time: killed, and its stderr pipe closed now, not by the GC
            core.db.dispose()


def test_concurrent_payers_of_one_request_get_one_payment(server):
    from concurrent.futures import ThreadPoolExecutor

    from pos.core import parties

    shop = ramen_shop(server.core)
    wallets = [parties.create_wallet(server.core, owner=f"P{i}", currency="JPY", pin="1234", balance=5000)["wallet_id"]
               for i in range(6)]
    with httpx.Client(base_url=server.url, timeout=10) as http:
        tokens = [http.post("/api/v1/sessions", json={"wallet": w, "pin": "1234"}).json()["token"] for w in wallets]
        request = http.post("/api/v1/payment-requests", json={"amount": 1000, "currency": "JPY"},
                            headers={"Authorization": f"Bearer {shop['api_key']}"}).json()

        def pay(token):
            return http.post("/api/v1/payments", json={"payload": request["payload"]},
                             headers={"Authorization": f"Bearer {token}"})

        with ThreadPoolExecutor(len(tokens)) as pool:
            responses = list(pool.map(pay, tokens))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * (len(tokens) - 1)
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {"REQUEST_ALREADY_PAID"}
