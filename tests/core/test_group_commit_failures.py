"""Group commit when the commit itself fails: no caller hears "paid" for work that was not made durable.

The fault is injected where a full disk or a failed WAL flush would show it: the driver's COMMIT
raises (a DBAPI OperationalError, wrapped by SQLAlchemy like a real one). Everything else is real.
Every wait on another thread is bounded (``calls.py``): a stuck leader fails a test in seconds.
"""

import threading

import pytest
from sqlalchemy import func, select

from pos.core import parties, payments
from pos.core.errors import QrposError
from pos.core.ledger.verify import audit
from pos.core.store.schema import journal
from pos.core.store.schema import payments as payments_table

from .calls import Call, commits, leader_held, queued
from .worlds import ramen_shop

PAYERS = 6


class CommitFault:
    """Makes the database refuse chosen commits: the ``first``-th from now and ``count`` after it."""

    def __init__(self, core, monkeypatch):
        self._dialect = core.db.engine.dialect
        self._real = self._dialect.do_commit
        self._lock = threading.Lock()
        self._seen, self._first, self._last = 0, 0, -1
        self.failed = 0
        monkeypatch.setattr(self._dialect, "do_commit", self._commit)

    def arm(self, *, first: int = 1, count: int = 10**9) -> None:
        with self._lock:
            self._seen, self._first, self._last = 0, first, first + count - 1

    def disarm(self) -> None:
        self.arm(first=0, count=0)

    def _commit(self, dbapi_connection) -> None:
        with self._lock:
            self._seen += 1
            fail = self._first <= self._seen <= self._last
            self.failed += fail
        if fail:
            raise self._dialect.loaded_dbapi.OperationalError("injected fault: the commit could not be written")
        self._real(dbapi_connection)


@pytest.fixture
def fault(core, monkeypatch):
    return CommitFault(core, monkeypatch)


@pytest.fixture
def sale(core):
    """A shop, one payer wallet each, and one open 1,000 JPY request each."""
    shop = ramen_shop(core)
    wallets = [parties.create_wallet(core, owner=f"payer {i}", currency="JPY", pin="1234", balance=5000)["wallet_id"]
               for i in range(PAYERS)]
    reqs = [payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                    amount=1000, currency="JPY") for _ in range(PAYERS)]
    return wallets, reqs


def _journal_length(core) -> int:
    with core.db.read() as conn:
        return conn.execute(select(func.count()).select_from(journal)).scalar_one()


def _payments_stored(core) -> int:
    with core.db.read() as conn:
        return conn.execute(select(func.count()).select_from(payments_table)).scalar_one()


def _pay_together(core, wallets, reqs, fault, **arm):
    """All payers queue behind a busy leader, the fault is armed, then the batch runs.

    Returns each caller's outcome: the payment's status, or the exception it raised.
    """

    def pay(i):
        return payments.pay(core, wallet_id=wallets[i], payload=reqs[i]["payload"])["status"]

    with leader_held(core) as release:
        calls = [Call(pay, i) for i in range(PAYERS)]
        queued(core, PAYERS)  # the only look inside: every payer waits in one batch
        fault.arm(**arm)
        release.set()
        outcome = [c.outcome() for c in calls]
    fault.disarm()
    return outcome


def test_when_every_commit_fails_every_caller_in_the_batch_gets_an_error_and_nothing_is_stored(core, sale, fault):
    wallets, reqs = sale
    journal_before = _journal_length(core)
    outcome = _pay_together(core, wallets, reqs, fault)
    assert [type(o).__name__ for o in outcome] == ["OperationalError"] * PAYERS, outcome
    assert not any(isinstance(o, QrposError) for o in outcome)
    assert fault.failed >= 1 + PAYERS  # the batch's commit, then each payer's own try
    assert _payments_stored(core) == 0 and _journal_length(core) == journal_before
    assert [payments.get_request(core, r["id"])["status"] for r in reqs] == ["awaiting_payment"] * PAYERS
    assert [parties.wallet_summary(core, w)["balance"]["amount"] for w in wallets] == [5000] * PAYERS
    assert audit(core)["ok"]


def test_when_the_batch_commit_fails_once_each_payment_is_rerun_alone_and_made_exactly_once(core, sale, fault):
    wallets, reqs = sale
    journal_before = _journal_length(core)
    outcome = _pay_together(core, wallets, reqs, fault, first=2, count=1)  # the blocker commits, the batch fails
    assert fault.failed == 1
    assert outcome == ["paid"] * PAYERS
    assert _payments_stored(core) == PAYERS and _journal_length(core) == journal_before + PAYERS
    assert [parties.wallet_summary(core, w)["balance"]["amount"] for w in wallets] == [4000] * PAYERS
    assert [payments.get_request(core, r["id"])["status"] for r in reqs] == ["paid"] * PAYERS
    assert audit(core)["ok"]


def test_a_lone_payment_whose_commit_fails_gets_an_error_and_can_be_paid_afterwards(core, sale, fault):
    wallets, reqs = sale
    fault.arm()
    with pytest.raises(Exception) as error:
        payments.pay(core, wallet_id=wallets[0], payload=reqs[0]["payload"])
    assert type(error.value).__name__ == "OperationalError" and not isinstance(error.value, QrposError)
    fault.disarm()
    assert _payments_stored(core) == 0
    assert payments.get_request(core, reqs[0]["id"])["status"] == "awaiting_payment"
    assert payments.pay(core, wallet_id=wallets[0], payload=reqs[0]["payload"])["status"] == "paid"
    assert parties.wallet_summary(core, wallets[0])["balance"]["amount"] == 4000
    assert audit(core)["ok"]


def test_a_refund_whose_commit_fails_leaves_the_payment_as_it_was(core, sale, fault):
    wallets, reqs = sale
    paid = payments.pay(core, wallet_id=wallets[0], payload=reqs[0]["payload"])
    merchant_id = paid["merchant_id"]
    fault.arm()
    with pytest.raises(Exception) as error:
        payments.refund(core, merchant_id=merchant_id, payment_id=paid["id"], amount=400)
    fault.disarm()
    assert not isinstance(error.value, QrposError)
    assert payments.get_payment(core, paid["id"])["refunded"]["amount"] == 0
    assert payments.list_refunds(core, paid["id"]) == []
    assert parties.wallet_summary(core, wallets[0])["balance"]["amount"] == 4000
    assert audit(core)["ok"]


def test_a_bug_in_one_unit_of_a_batch_costs_the_others_no_second_commit(core, sale):
    """The buggy unit is rolled back to its savepoint; the batch still commits once, the others in it."""
    wallets, reqs = sale
    count = commits(core)

    def buggy(conn):
        raise ZeroDivisionError("a bug")

    with leader_held(core) as release:
        bad = Call(core.db.transact, buggy)
        good = [Call(payments.pay, core, wallet_id=wallets[i], payload=reqs[i]["payload"]) for i in range(2)]
        queued(core, 3)
        release.set()
        assert isinstance(bad.error(), ZeroDivisionError)
        assert [g.result()["status"] for g in good] == ["paid", "paid"]
    assert count[0] == 2  # the blocker's, then one for the batch: nobody was rerun alone


def test_when_the_connection_breaks_in_the_middle_of_a_batch_nothing_of_it_is_kept_and_each_unit_is_rerun_alone(
        core, sale):
    """The first unit of the batch breaks the batch's connection (as a server restart would): the
    units before the break and after it are rerun alone, each paid exactly once."""
    wallets, reqs = sale
    journal_before = _journal_length(core)
    runs = []

    def breaks_the_connection(conn):
        runs.append(1)
        if len(runs) == 1:
            conn.connection.dbapi_connection.close()  # every statement after this one fails
        return "rerun alone"

    with leader_held(core) as release:
        breaker = Call(core.db.transact, breaks_the_connection)
        queued(core, 1)
        paying = [Call(payments.pay, core, wallet_id=wallets[i], payload=reqs[i]["payload"]) for i in range(3)]
        queued(core, 4)
        release.set()
        assert breaker.result() == "rerun alone"
        assert [p.result()["status"] for p in paying] == ["paid"] * 3
    assert len(runs) == 2
    assert _payments_stored(core) == 3 and _journal_length(core) == journal_before + 3
    assert [parties.wallet_summary(core, w)["balance"]["amount"] for w in wallets[:3]] == [4000] * 3
    assert audit(core)["ok"]
