"""Exactly once, whatever the concurrency: 50 simultaneous attempts to pay one request."""

import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from pos.core import parties, payments
from pos.core.bootstrap import open_core
from pos.core.errors import QrposError, RefundExceedsPayment
from pos.core.ledger.verify import audit
from pos.core.platform.clock import FixedClock

from .worlds import ramen_shop

ATTEMPTS = 50


def _wallets(core, n):
    return [parties.create_wallet(core, owner=f"payer {i}", currency="JPY", pin="1234", balance=5000)["wallet_id"]
            for i in range(n)]


def _request(core, shop):
    return payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                   amount=1280, currency="JPY")


def _attempt(core, wallet_id, payload, barrier):
    barrier.wait()
    try:
        return payments.pay(core, wallet_id=wallet_id, payload=payload)["id"]
    except QrposError as error:
        return error.code


def _check_exactly_one(core, results, request_id):
    successes = [r for r in results if r.startswith("pay_")]
    assert len(successes) == 1, results
    assert sorted(set(results) - set(successes)) == ["REQUEST_ALREADY_PAID"]
    assert payments.get_request(core, request_id)["status"] == "paid"
    report = audit(core)
    assert report["ok"], report["problems"]


def test_fifty_threads_paying_one_request_make_exactly_one_payment(core):
    shop = ramen_shop(core)
    wallets = _wallets(core, ATTEMPTS)
    req = _request(core, shop)
    barrier = threading.Barrier(ATTEMPTS)
    with ThreadPoolExecutor(ATTEMPTS) as pool:
        results = list(pool.map(lambda w: _attempt(core, w, req["payload"], barrier), wallets))
    _check_exactly_one(core, results, req["id"])
    balances = sorted(parties.wallet_summary(core, w)["balance"]["amount"] for w in wallets)
    assert balances == [5000 - 1280] + [5000] * (ATTEMPTS - 1)


def test_fifty_threads_retrying_one_key_charge_once(core):
    shop = ramen_shop(core)
    wallet = _wallets(core, 1)[0]
    req = _request(core, shop)
    barrier = threading.Barrier(ATTEMPTS)

    def attempt(_):
        barrier.wait()
        return payments.pay(core, wallet_id=wallet, payload=req["payload"], idempotency_key="same-key")["id"]

    with ThreadPoolExecutor(ATTEMPTS) as pool:
        results = set(pool.map(attempt, range(ATTEMPTS)))
    assert len(results) == 1
    assert parties.wallet_summary(core, wallet)["balance"]["amount"] == 5000 - 1280


def test_concurrent_refunds_never_exceed_the_payment(core):
    shop = ramen_shop(core)
    wallet = _wallets(core, 1)[0]
    paid = payments.pay(core, wallet_id=wallet, payload=_request(core, shop)["payload"])
    barrier = threading.Barrier(20)

    def attempt(_):
        barrier.wait()
        try:
            return payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=100)["amount"]
        except RefundExceedsPayment:
            return 0

    with ThreadPoolExecutor(20) as pool:
        total = sum(pool.map(attempt, range(20)))
    assert total == 1200
    assert payments.get_payment(core, paid["id"])["refunded"]["amount"] == 1200
    assert audit(core)["ok"]


def _process_attempt(url, now_us, wallet_id, payload, barrier, results):
    core = open_core(url, clock=FixedClock(now_us), prepare_db=False)
    results.put(_attempt(core, wallet_id, payload, barrier))
    core.db.dispose()


def test_fifty_processes_paying_one_request_make_exactly_one_payment(core, db_url):
    if core.db.is_sqlite:
        pytest.skip("the process test runs on PostgreSQL (threads cover SQLite)")
    shop = ramen_shop(core)
    wallets = _wallets(core, ATTEMPTS)
    req = _request(core, shop)
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(ATTEMPTS), ctx.Queue()
    procs = [ctx.Process(target=_process_attempt, args=(db_url, core.now(), w, req["payload"], barrier, results))
             for w in wallets]
    for p in procs:
        p.start()
    outcome = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert all(p.exitcode == 0 for p in procs)
    _check_exactly_one(core, outcome, req["id"])
