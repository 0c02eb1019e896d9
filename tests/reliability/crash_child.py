"""The process the crash test kills: payments, refunds and webhook deliveries, straight at the core.

Run as ``python -m tests.reliability.crash_child '<json>'`` with the database URL, a seed, a cycle
number and the shop. After each effect the core acknowledges, it writes one JSON line to stdout
(operation, arguments, canonical answer) and flushes it before doing anything else, so the parent
knows exactly what was acknowledged when SIGKILL lands. Between payments it sends due webhooks.
"""

from __future__ import annotations

import json
import random
import sys

from pos.core import payments
from pos.core.bootstrap import open_core
from pos.webhook_sender import Sender


def canonical(answer: object) -> str:
    return json.dumps(answer, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def acknowledge(op: str, kwargs: dict, answer: object) -> None:
    sys.stdout.write(json.dumps({"op": op, "kwargs": kwargs, "answer": canonical(answer)}) + "\n")
    sys.stdout.flush()


def main(config: dict) -> None:
    core = open_core(config["db_url"], prepare_db=False)
    sender = Sender(core, timeout=5.0)
    rng = random.Random(config["seed"])
    shop, cycle = config["shop"], config["cycle"]
    unrefunded: dict[str, int] = {}
    for i in range(10_000):  # until killed
        tag = f"{cycle}-{i}"
        kwargs: dict = {"merchant_id": shop["merchant_id"], "terminal_id": shop["terminal_id"],
                        "amount": rng.randint(100, 2000), "currency": "JPY", "idempotency_key": f"req-{tag}"}
        request = payments.create_request(core, **kwargs)
        acknowledge("create_request", kwargs, request)
        kwargs = {"wallet_id": rng.choice(config["wallets"]), "payload": request["payload"],
                  "idempotency_key": f"pay-{tag}"}
        payment = payments.pay(core, **kwargs)
        acknowledge("pay", kwargs, payment)
        unrefunded[payment["id"]] = payment["amount"]
        if rng.random() < 0.6:
            payment_id = rng.choice(sorted(unrefunded))
            amount = rng.randint(1, unrefunded[payment_id])
            kwargs = {"merchant_id": shop["merchant_id"], "payment_id": payment_id, "amount": amount,
                      "idempotency_key": f"refund-{tag}"}
            acknowledge("refund", kwargs, payments.refund(core, **kwargs))
            unrefunded[payment_id] -= amount
            if not unrefunded[payment_id]:
                del unrefunded[payment_id]
        sender.deliver_due(limit=rng.randint(1, 6))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
