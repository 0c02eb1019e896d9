"""Several `qrpos serve` processes on one database, as a shop with many tills runs them: wallets
racing for the same request through different servers still make exactly one payment.

Each round, every wallet pays the same request at once (released together by a barrier), half of
them through server A and half through server B: one 201, every other answer 409
REQUEST_ALREADY_PAID, one payment row, and the ledger verifies. 5 rounds, 30 with QRPOS_LONG=1.
"""

from __future__ import annotations

import threading

import httpx
from sqlalchemy import func, select

from pos.core import ledger, parties
from pos.core.bootstrap import open_core
from pos.core.platform.context import Settings
from pos.core.store.schema import payments as payments_table
from tests.core.worlds import ramen_shop
from tests.long_mode import scaled
from tests.reliability.servers import CROWD_LIMITS, serve

ROUNDS = scaled(5, 30)
PAYERS = 8
ARGS = ("--threads", "8", "--sweep-interval", "0", "--webhook-interval", "0")


def race(payers: list[httpx.Client], payload: str, key: str) -> list[httpx.Response]:
    """Every payer pays ``payload`` at the same moment (a barrier releases them together)."""
    start = threading.Barrier(len(payers))
    answers: list[httpx.Response] = []

    def pay(client: httpx.Client, i: int) -> None:
        start.wait()
        answers.append(client.post("/api/v1/payments", json={"payload": payload},
                                   headers={"Idempotency-Key": f"{key}-{i}"}))

    threads = [threading.Thread(target=pay, args=(client, i)) for i, client in enumerate(payers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_wallets_racing_through_two_servers_make_exactly_one_payment_per_request(db_url):
    core = open_core(db_url, settings=Settings(pin_scrypt_n=2**4))
    shop = ramen_shop(core)
    wallets = [parties.create_wallet(core, owner=f"P{i}", currency="JPY", pin="1234", balance=100_000)["wallet_id"]
               for i in range(PAYERS)]
    with serve(db_url, *ARGS, env=CROWD_LIMITS) as (url_a, _), serve(db_url, *ARGS, env=CROWD_LIMITS) as (url_b, _):
        urls = [url_a, url_b]
        payers = []
        for i, wallet in enumerate(wallets):
            client = httpx.Client(base_url=urls[i % 2], timeout=30)
            token = client.post("/api/v1/sessions", json={"wallet": wallet, "pin": "1234"}).json()["token"]
            client.headers["Authorization"] = f"Bearer {token}"
            payers.append(client)
        till = httpx.Client(base_url=url_a, timeout=30, headers={"Authorization": f"Bearer {shop['api_key']}"})
        request_ids = []
        for round_ in range(ROUNDS):
            request = till.post("/api/v1/payment-requests", json={"amount": 500 + round_, "currency": "JPY"}).json()
            request_ids.append(request["id"])
            answers = race(payers, request["payload"], f"race-{round_}")
            assert sorted(a.status_code for a in answers) == [201] + [409] * (PAYERS - 1)
            assert {a.json()["error"]["code"] for a in answers if a.status_code == 409} == {"REQUEST_ALREADY_PAID"}
        for client in [*payers, till]:
            client.close()

    with core.db.read() as conn:
        counts = dict(conn.execute(select(payments_table.c.request_id, func.count())
                                   .group_by(payments_table.c.request_id)).all())
    assert counts == {request_id: 1 for request_id in request_ids}
    assert ledger.audit(core)["ok"]
    spent = sum(100_000 - parties.wallet_summary(core, w)["balance"]["amount"] for w in wallets)
    assert spent == sum(500 + r for r in range(ROUNDS))
    core.db.dispose()
