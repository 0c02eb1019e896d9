"""A COMMIT whose answer is lost: the work is committed, the client only hears that the connection broke.

On PostgreSQL the connection can drop after COMMIT reached the server and before its answer came
back. The fault here does exactly that, at the driver: the real COMMIT runs, then the connection is
broken under psycopg (its socket shut down), so that psycopg raises what it raises when the answer
never comes. SQLAlchemy sees a disconnect and drops its pool; everything else is real.

Group commit used to rerun every unit of such a batch alone, as if nothing had been committed: a
payment of a dynamic request without an idempotency key was then refused as already paid (409
instead of 201, for a payment that was made), and a static-code payment or a top-up was made twice.
Now it asks the server whether the transaction committed (``pg_xact_status``) before rerunning
anything; when the server cannot be asked either, every caller gets the error and nothing is rerun,
and a retry with the same Idempotency-Key replays the payment. SQLite commits in-process: a COMMIT
that fails did not commit, there is no answer to lose, so these tests run on PostgreSQL only.
"""

import os
import socket
import threading

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from pos.core import parties, payments
from pos.core.errors import RequestAlreadyPaid
from pos.core.ledger.verify import audit
from pos.core.store.schema import payments as payments_table

from .calls import Call, leader_held, queued
from .worlds import ramen_shop


class LostAnswer:
    """Loses the answer of the ``nth`` COMMIT from now (the data is committed); then the server
    refuses the next ``refused`` connections (it is restarting)."""

    def __init__(self, core, monkeypatch):
        dialect = core.db.engine.dialect
        self._real, self._dbapi = dialect.do_commit, dialect.loaded_dbapi
        self._lock = threading.Lock()
        self._seen, self._nth, self._refuse_after = 0, 0, 0
        self._refusing = 0
        monkeypatch.setattr(dialect, "do_commit", self._commit)
        event.listen(core.db.engine, "do_connect", self._connect)

    def arm(self, *, nth: int = 1, refused: int = 0) -> None:
        with self._lock:
            self._seen, self._nth, self._refuse_after = 0, nth, refused

    def _commit(self, dbapi_connection) -> None:
        self._real(dbapi_connection)
        with self._lock:
            self._seen += 1
            lose = self._seen == self._nth
        if lose:  # the socket breaks before the answer is read: psycopg raises, the connection is broken
            with socket.socket(fileno=os.dup(dbapi_connection.pgconn.socket)) as link:
                link.shutdown(socket.SHUT_RDWR)
            self._refusing = self._refuse_after
            dbapi_connection.execute("SELECT 1")  # raises what a lost COMMIT answer raises

    def _connect(self, dialect, connection_record, cargs, cparams):
        with self._lock:
            refuse, self._refusing = self._refusing > 0, max(0, self._refusing - 1)
        if refuse:
            raise self._dbapi.OperationalError("connection refused: the database system is starting up")


@pytest.fixture
def lost(core, monkeypatch):
    if core.db.is_sqlite:
        pytest.skip("SQLite commits in-process: a COMMIT that fails did not commit, there is no answer to lose")
    return LostAnswer(core, monkeypatch)


@pytest.fixture
def shop_and_payers(core):
    """A shop, four wallets with 5,000 JPY, two open 1,000 JPY requests and the shop's static code."""
    shop = ramen_shop(core)
    wallets = [parties.create_wallet(core, owner=f"payer {i}", currency="JPY", pin="1234", balance=5000)["wallet_id"]
               for i in range(4)]
    reqs = [payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                    amount=1000, currency="JPY") for _ in range(2)]
    code = payments.static_code(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"])
    return wallets, reqs, code


def _payments_stored(core) -> int:
    with core.db.read() as conn:
        return conn.execute(select(func.count()).select_from(payments_table)).scalar_one()


def _balances(core, wallets):
    return [parties.wallet_summary(core, w)["balance"]["amount"] for w in wallets]


def _four_callers(core, wallets, reqs, code):
    """A keyless and a keyed payment of a dynamic request, a keyless static-code payment, a keyless top-up."""
    return [
        lambda: payments.pay(core, wallet_id=wallets[0], payload=reqs[0]["payload"]),
        lambda: payments.pay(core, wallet_id=wallets[1], payload=reqs[1]["payload"], idempotency_key="retry-me"),
        lambda: payments.pay(core, wallet_id=wallets[2], payload=code["payload"], amount=700),
        lambda: parties.top_up(core, wallet_id=wallets[3], amount=500),
    ]


def test_a_batch_whose_commit_answer_is_lost_answers_each_caller_with_what_it_made_exactly_once(
        core, lost, shop_and_payers):
    wallets, reqs, code = shop_and_payers
    with leader_held(core) as release:
        calls = [Call(caller) for caller in _four_callers(core, wallets, reqs, code)]
        queued(core, 4)
        lost.arm(nth=2)  # the blocker's commit, then the batch's: committed, its answer lost
        release.set()
        keyless, keyed, static, top_up = [c.result() for c in calls]
    assert [keyless["status"], keyed["status"], static["status"]] == ["paid"] * 3
    assert top_up["balance"]["amount"] == 5500
    assert _payments_stored(core) == 3
    assert _balances(core, wallets) == [4000, 4000, 4300, 5500]
    retry = payments.pay(core, wallet_id=wallets[1], payload=reqs[1]["payload"], idempotency_key="retry-me")
    assert retry == keyed  # the 201 replay of the same payment
    assert audit(core)["ok"]


def test_a_lone_payment_whose_commit_answer_is_lost_is_answered_as_paid_once(core, lost, shop_and_payers):
    wallets, reqs, code = shop_and_payers
    lost.arm()
    assert payments.pay(core, wallet_id=wallets[0], payload=reqs[0]["payload"])["status"] == "paid"
    lost.arm()
    assert payments.pay(core, wallet_id=wallets[2], payload=code["payload"], amount=700)["status"] == "paid"
    assert _payments_stored(core) == 2
    assert _balances(core, wallets) == [4000, 5000, 4300, 5000]
    assert audit(core)["ok"]


def test_a_unit_that_wrote_nothing_keeps_its_answer_when_the_commit_answer_is_lost(core, lost):
    runs = []

    def reads(conn):
        runs.append(1)
        return conn.execute(select(func.count()).select_from(payments_table)).scalar_one()

    lost.arm()
    assert Call(core.db.transact, reads).result() == 0
    assert runs == [1]  # not rerun: there was nothing to lose


def test_when_the_server_cannot_say_whether_the_batch_committed_each_caller_gets_the_error_and_nothing_is_redone(
        core, lost, shop_and_payers):
    """The server refuses the one connection that would ask it; it is back for whatever comes next."""
    wallets, reqs, code = shop_and_payers
    with leader_held(core) as release:
        calls = [Call(caller) for caller in _four_callers(core, wallets, reqs, code)]
        queued(core, 4)
        lost.arm(nth=2, refused=1)
        release.set()
        outcome = [c.outcome() for c in calls]
    assert [type(o) for o in outcome] == [OperationalError] * 4, outcome  # the API answers 503, retry later
    assert _payments_stored(core) == 3  # it had committed; nothing was done a second time
    assert _balances(core, wallets) == [4000, 4000, 4300, 5500]
    replay = payments.pay(core, wallet_id=wallets[1], payload=reqs[1]["payload"], idempotency_key="retry-me")
    assert replay["status"] == "paid" and replay["wallet_id"] == wallets[1]
    assert payments.get_request(core, reqs[1]["id"])["status"] == "paid"
    with pytest.raises(RequestAlreadyPaid):  # without a key, a retry cannot be told from a second payment
        payments.pay(core, wallet_id=wallets[0], payload=reqs[0]["payload"])
    assert _payments_stored(core) == 3
    assert audit(core)["ok"]


def test_a_lone_payment_the_server_cannot_account_for_gets_the_error_and_its_retry_replays_it(
        core, lost, shop_and_payers):
    wallets, reqs, _ = shop_and_payers
    lost.arm(refused=1)
    with pytest.raises(OperationalError):
        payments.pay(core, wallet_id=wallets[1], payload=reqs[1]["payload"], idempotency_key="retry-me")
    assert _payments_stored(core) == 1 and _balances(core, wallets)[1] == 4000  # committed, not redone
    replay = payments.pay(core, wallet_id=wallets[1], payload=reqs[1]["payload"], idempotency_key="retry-me")
    assert replay["status"] == "paid" and _payments_stored(core) == 1
    assert audit(core)["ok"]
