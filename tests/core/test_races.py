"""Races that only a conditional UPDATE wins: the sweeper against a payer, two tills against one code.

On PostgreSQL the interleaving is forced, not hoped for: a third connection holds a row lock,
both sides are let in up to the point where they wait on it (seen in ``pg_stat_activity``), then
the lock is released. Each side runs in its own core (its own engine, pool and group commit), as
two processes would.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from pos.core import parties, payments
from pos.core.bootstrap import open_core
from pos.core.errors import QrposError
from pos.core.ledger.verify import audit
from pos.core.platform.clock import FixedClock
from pos.core.reports import request_events
from pos.core.store.schema import payments as payments_table

from .worlds import ramen_shop, yen_wallet


@pytest.fixture
def shop(core):
    return ramen_shop(core)


def _request(core, shop, **kw):
    return payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                   amount=1280, currency="JPY", **kw)


def _event_types(core, shop, request_id):
    events = request_events(core, request_id=request_id, merchant_id=shop["merchant_id"])["events"]
    return [event["type"] for _, event in events]


def _payments_of(core, wallet_id) -> int:
    with core.db.read() as conn:
        return conn.execute(select(func.count()).select_from(payments_table)
                            .where(payments_table.c.wallet_id == wallet_id)).scalar_one()


def _other_process(core, db_url, clock=None):
    return open_core(db_url, clock=clock or FixedClock(core.now()), prepare_db=False)


def _wait_for_lock_waiters(core, count, timeout=30.0):
    """Until ``count`` sessions of this database wait on a lock (a bounded poll of the server's own view)."""
    deadline = time.monotonic() + timeout
    query = text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                 "AND wait_event_type = 'Lock'")
    with core.db.engine.connect() as conn:
        while True:
            waiting = conn.execute(query).scalar_one()
            conn.rollback()  # the server's activity view is a snapshot per transaction
            if waiting >= count:
                return
            assert time.monotonic() < deadline, f"fewer than {count} sessions came to wait on the lock"
            time.sleep(0.005)


class RowLock:
    """A separate connection holding ``FOR UPDATE`` on rows until released."""

    def __init__(self, core, sql, params):
        self.conn = core.db.engine.connect()
        self.tx = self.conn.begin()
        assert self.conn.execute(text(sql + " FOR UPDATE"), params).first() is not None

    def release(self):
        if self.tx.is_active:
            self.tx.commit()
        self.conn.close()


# The sweeper meets a request that was paid.


def test_the_sweeper_leaves_a_paid_request_paid_with_no_event_and_no_error(core, shop, clock):
    wallet = yen_wallet(core)
    req = _request(core, shop, expires_in=60)
    payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"])
    clock.advance(3600)
    assert payments.expire_due(core) == 0
    assert payments.get_request(core, req["id"])["status"] == "paid"
    assert "payment_request.expired" not in _event_types(core, shop, req["id"])
    assert audit(core)["ok"]


def test_the_sweeper_expires_the_open_request_beside_a_paid_one_and_only_that(core, shop, clock):
    wallet = yen_wallet(core)
    paid, open_ = _request(core, shop, expires_in=60), _request(core, shop, expires_in=60)
    payments.pay(core, wallet_id=wallet["wallet_id"], payload=paid["payload"])
    clock.advance(60)
    assert payments.expire_due(core) == 1
    assert payments.get_request(core, paid["id"])["status"] == "paid"
    assert payments.get_request(core, open_["id"])["status"] == "expired"
    assert _event_types(core, shop, open_["id"]).count("payment_request.expired") == 1
    assert "payment_request.expired" not in _event_types(core, shop, paid["id"])


def test_a_payer_and_the_sweeper_racing_on_postgresql_leave_the_request_paid(core, shop, db_url):
    if core.db.is_sqlite:
        pytest.skip("SQLite runs one writer at a time: the interleaving exists only on PostgreSQL")
    wallet = yen_wallet(core)
    req = _request(core, shop, expires_in=60)
    payer = _other_process(core, db_url)  # its clock: still before the expiry
    sweeper = _other_process(core, db_url, FixedClock(core.now() + 61_000_000))  # a minute later
    head = RowLock(core, "SELECT seq FROM journal_head", {})  # the payer will wait here, its UPDATE done
    with ThreadPoolExecutor(2) as pool:
        try:
            paying = pool.submit(payments.pay, payer, wallet_id=wallet["wallet_id"], payload=req["payload"])
            _wait_for_lock_waiters(core, 1)
            sweeping = pool.submit(payments.expire_due, sweeper)  # sees the request open, waits on its row
            _wait_for_lock_waiters(core, 2)
        finally:
            head.release()
        assert paying.result(timeout=60)["status"] == "paid"
        assert sweeping.result(timeout=60) == 0
    assert payments.get_request(core, req["id"])["status"] == "paid"
    assert "payment_request.expired" not in _event_types(core, shop, req["id"])
    assert audit(core)["ok"]
    payer.db.dispose()
    sweeper.db.dispose()


# Two tills charge one consumer-presented payment code.


USED = "PAYMENT_CODE_USED: payment code was already used; ask for a new one"


def _two_tills(core, shop):
    second = parties.create_terminal(core, merchant_id=shop["merchant_id"], label="Till 2")
    return [shop["terminal_id"], second["terminal_id"]]


def _charge(till_core, shop, terminal_id, code):
    try:
        return payments.charge(till_core, merchant_id=shop["merchant_id"], terminal_id=terminal_id, code=code,
                               amount=1280, currency="JPY")["status"]
    except QrposError as error:
        return f"{error.code}: {error}"


def test_two_tills_charging_one_code_at_once_on_postgresql_make_exactly_one_payment(core, shop, db_url):
    if core.db.is_sqlite:
        pytest.skip("SQLite runs one writer at a time: the interleaving exists only on PostgreSQL")
    wallet = yen_wallet(core)
    code = payments.create_payment_code(core, wallet_id=wallet["wallet_id"])["code"]
    tills = _two_tills(core, shop)
    till_cores = [_other_process(core, db_url) for _ in tills]
    held = RowLock(core, "SELECT code FROM payment_codes WHERE code = :code", {"code": code})
    with ThreadPoolExecutor(2) as pool:  # both read the code as unused, then wait to claim it
        try:
            charges = [pool.submit(_charge, c, shop, t, code) for c, t in zip(till_cores, tills, strict=True)]
            _wait_for_lock_waiters(core, 2)
        finally:
            held.release()
        outcome = sorted(f.result(timeout=60) for f in charges)
    assert outcome == [USED, "paid"]
    assert _payments_of(core, wallet["wallet_id"]) == 1
    assert parties.wallet_summary(core, wallet["wallet_id"])["balance"]["amount"] == 10_000 - 1280
    assert audit(core)["ok"]
    for c in till_cores:
        c.db.dispose()


def test_two_tills_charging_one_code_from_many_threads_make_exactly_one_payment(core, shop, db_url):
    wallet = yen_wallet(core)
    code = payments.create_payment_code(core, wallet_id=wallet["wallet_id"])["code"]
    tills = _two_tills(core, shop) * 4
    till_cores = [_other_process(core, db_url) for _ in tills]
    barrier = threading.Barrier(len(tills))

    def attempt(i):
        barrier.wait()
        return _charge(till_cores[i], shop, tills[i], code)

    with ThreadPoolExecutor(len(tills)) as pool:
        outcome = sorted(pool.map(attempt, range(len(tills))))
    assert outcome == [USED] * (len(tills) - 1) + ["paid"]
    assert _payments_of(core, wallet["wallet_id"]) == 1
    assert parties.wallet_summary(core, wallet["wallet_id"])["balance"]["amount"] == 10_000 - 1280
    assert audit(core)["ok"]
    for c in till_cores:
        c.db.dispose()


# Two refunds of one payment from two servers.


def test_two_refunds_racing_on_postgresql_never_refund_more_than_the_payment(core, shop, db_url):
    if core.db.is_sqlite:
        pytest.skip("SQLite runs one writer at a time: the interleaving exists only on PostgreSQL")
    wallet = yen_wallet(core)
    regular = yen_wallet(core, balance=50_000)  # the shop has takings, so its balance alone would not stop a refund
    takings = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                      amount=20_000, currency="JPY")
    payments.pay(core, wallet_id=regular["wallet_id"], payload=takings["payload"])
    paid = payments.pay(core, wallet_id=wallet["wallet_id"], payload=_request(core, shop)["payload"])
    servers = [_other_process(core, db_url) for _ in range(2)]
    held = RowLock(core, "SELECT id FROM payments WHERE id = :id", {"id": paid["id"]})

    def refund(server):
        try:
            return payments.refund(server, merchant_id=shop["merchant_id"], payment_id=paid["id"],
                                   amount=700)["amount"]
        except QrposError as error:
            return error.code

    with ThreadPoolExecutor(2) as pool:
        try:
            results = [pool.submit(refund, s) for s in servers]
            _wait_for_lock_waiters(core, 2)
        finally:
            held.release()
        outcome = sorted(str(r.result(timeout=60)) for r in results)
    assert outcome == ["700", "REFUND_EXCEEDS_PAYMENT"]
    assert payments.get_payment(core, paid["id"])["refunded"]["amount"] == 700
    assert parties.wallet_summary(core, wallet["wallet_id"])["balance"]["amount"] == 10_000 - 1280 + 700
    assert audit(core)["ok"]
    for s in servers:
        s.db.dispose()
