"""SIGKILL at seeded random moments while a process pays, refunds and sends webhooks.

Each cycle starts ``crash_child`` on the same database, reads its acknowledgements (one flushed JSON
line per committed effect) and kills it with SIGKILL after a seeded number of them plus a seeded
few milliseconds, so the kill lands anywhere in a payment, a refund or a webhook delivery. After each
kill: every acknowledged effect is in the database and a retry with its idempotency key returns the
acknowledged answer byte for byte; the ledger verifies; every payment and refund has its ledger
transaction; every paid request has its one payment; every event is queued to the enabled endpoint.
At the end a sender whose clock has passed the leases and retry delays delivers every event.

15 kill points per backend in a normal run, 200 with QRPOS_LONG=1.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

from sqlalchemy import func, select
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from pos.core import ledger, parties, payments
from pos.core.bootstrap import open_core
from pos.core.platform import webhooks
from pos.core.platform.clock import US, FixedClock, SystemClock
from pos.core.platform.context import Settings
from pos.core.store.schema import events, payment_requests, refunds, transactions
from pos.core.store.schema import payments as payments_table
from pos.core.store.webhook_tables import webhook_deliveries
from pos.webhook_sender import Sender
from tests.core.worlds import ramen_shop
from tests.long_mode import scaled
from tests.processes import stop
from tests.reliability.crash_child import canonical
from tests.reliability.servers import ROOT

KILLS = scaled(15, 200)
SEED = 20261126
LOCAL = {"QRPOS_WEBHOOKS_ALLOW_PRIVATE": "1"}  # the receiver below listens on 127.0.0.1


class Receiver:
    """A webhook endpoint on a real socket: checks signatures, refuses every 7th call, keeps event ids."""

    def __init__(self) -> None:
        self.secret = ""
        self.calls = 0
        self.event_ids: set[str] = set()
        self.lock = threading.Lock()
        self.server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wsgi(self, environ, start_response):
        request = Request(environ)
        body = request.get_data()
        header = request.headers.get(webhooks.SIGNATURE_HEADER, "")
        # The final sender's clock runs hours ahead (past the leases): check the MAC, not the age.
        if not webhooks.verify(self.secret, header, body, now=int(time.time()), tolerance=10**7):
            return Response("bad signature", 400)(environ, start_response)
        with self.lock:
            self.calls += 1
            if self.calls % 7 == 0:
                return Response("try later", 503)(environ, start_response)
            self.event_ids.add(json.loads(body)["id"])
        return Response(status=204)(environ, start_response)


def run_and_kill(config: dict, rng: random.Random) -> list[dict]:
    """Start the child, SIGKILL it after a seeded number of acknowledgements and a seeded delay;
    return every acknowledgement it wrote."""
    child = subprocess.Popen([sys.executable, "-m", "tests.reliability.crash_child", json.dumps(config)], cwd=ROOT,
                             env={**os.environ, **LOCAL}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stderr is not None
    try:
        acks, wanted = [], rng.randint(1, 12)
        for line in child.stdout:
            acks.append(line)
            if len(acks) == wanted:
                break
        else:
            raise AssertionError("the child stopped by itself: " + child.stderr.read())
        time.sleep(rng.uniform(0, 0.03))  # this is the kill moment itself, seeded; nothing is waited for
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        acks.extend(child.stdout.readlines())  # written before the kill, still in the pipe
    finally:
        stop(child)
    assert child.returncode == -signal.SIGKILL
    return [json.loads(line) for line in acks if line.endswith("\n")]  # a torn last line was never acknowledged


def check_consistent(core) -> None:
    """Nothing half-applied: the books verify and every effect has all its parts."""
    audit = payments_audit(core)
    assert audit == {"payments without a transaction": [], "refunds without a transaction": [],
                     "paid requests without one payment": [], "events without a delivery": []}
    report = ledger.audit(core)
    assert report["ok"], report["problems"]


def payments_audit(core) -> dict[str, list]:
    with core.db.read() as conn:
        paid_tx = select(transactions.c.payment_id).where(transactions.c.kind == "payment")
        refund_tx = select(transactions.c.refund_id).where(transactions.c.refund_id.is_not(None))
        per_request = (select(payments_table.c.request_id, func.count().label("n"))
                       .group_by(payments_table.c.request_id).subquery())
        queued = select(webhook_deliveries.c.event_id)
        return {
            "payments without a transaction": conn.execute(
                select(payments_table.c.id).where(payments_table.c.id.not_in(paid_tx))).scalars().all(),
            "refunds without a transaction": conn.execute(
                select(refunds.c.id).where(refunds.c.id.not_in(refund_tx))).scalars().all(),
            "paid requests without one payment": conn.execute(
                select(payment_requests.c.id)
                .outerjoin(per_request, per_request.c.request_id == payment_requests.c.id)
                .where(payment_requests.c.status.in_(["paid", "refunded", "partially_refunded"]),
                       func.coalesce(per_request.c.n, 0) != 1)).scalars().all(),
            "events without a delivery": conn.execute(
                select(events.c.id).where(events.c.id.not_in(queued))).scalars().all(),
        }


def test_every_acknowledged_effect_survives_sigkill_and_every_webhook_is_delivered(db_url):
    core = open_core(db_url, settings=Settings(pin_scrypt_n=2**4, webhooks_allow_private=True))
    receiver = Receiver()
    shop = ramen_shop(core)
    endpoint = webhooks.register_endpoint(core, merchant_id=shop["merchant_id"], url=receiver.url)
    receiver.secret = endpoint["secret"]
    wallets = [parties.create_wallet(core, owner=f"Payer {i}", currency="JPY", pin="1234", balance=10**9)["wallet_id"]
               for i in range(4)]
    rng = random.Random(SEED)
    acknowledged = 0
    for cycle in range(KILLS):
        config = {"db_url": db_url, "seed": rng.randrange(2**32), "cycle": cycle, "wallets": wallets,
                  "shop": {"merchant_id": shop["merchant_id"], "terminal_id": shop["terminal_id"]}}
        acks = run_and_kill(config, rng)
        acknowledged += len(acks)
        check_consistent(core)
        for ack in acks:  # the same call again: the original answer, not a second effect
            assert canonical(getattr(payments, ack["op"])(core, **ack["kwargs"])) == ack["answer"], ack

    later = FixedClock(SystemClock().now_us() + 48 * 3600 * US)  # past every lease
    late = open_core(db_url, clock=later, prepare_db=False,
                     settings=Settings(pin_scrypt_n=2**4, webhooks_allow_private=True))
    sender = Sender(late, timeout=10.0)
    rounds = 0
    while sender.deliver_due(limit=50) and rounds < 1000:  # each refusal is due again after its delay
        later.advance(24 * 3600)
        rounds += 1
    sender.close()
    with core.db.read() as conn:
        event_ids = set(conn.execute(select(events.c.id)).scalars())
        statuses = conn.execute(select(webhook_deliveries.c.status, func.count())
                                .group_by(webhook_deliveries.c.status)).all()
    assert dict(statuses) == {"succeeded": len(event_ids)}
    assert receiver.event_ids == event_ids
    check_consistent(core)
    print(f"\ncrash on {core.db.engine.dialect.name}: {KILLS} SIGKILLs survived, {acknowledged} acknowledged effects "
          f"all present and replayed byte for byte, {len(event_ids)} webhook events all delivered "
          f"({receiver.calls} calls, every 7th refused)")
    receiver.server.shutdown()
    late.db.dispose()
    core.db.dispose()
