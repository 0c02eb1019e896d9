"""Without group commit (``QRPOS_GROUP_COMMIT=0``, the benchmarks' comparison mode) a transaction opened
inside a unit of work joins it in a savepoint too, as tests/core/test_group_commit_nested.py shows with
group commit: it neither waits for the write lock its own unit holds nor commits apart from it.
Run on SQLite and on PostgreSQL."""

import pytest

from pos.core import payments
from pos.core.errors import Declined
from pos.core.ledger.verify import audit
from pos.core.platform.context import Core
from pos.core.platform.ids import IdGenerator
from pos.core.store.db import Database
from tests.conftest import TEST_SETTINGS

from .calls import Call
from .worlds import balance as _balance
from .worlds import rich_broke_and_requests


@pytest.fixture
def alone(db_url, clock):
    """A core whose writes each take a transaction of their own (no group commit)."""
    core = Core(Database(db_url, group_commit=False), clock=clock, ids=IdGenerator(seed=7), settings=TEST_SETTINGS)
    yield core
    core.db.dispose()


@pytest.fixture
def sale(alone):
    return rich_broke_and_requests(alone, 2)


def test_a_payment_made_inside_a_unit_commits_with_it_without_waiting_for_its_own_lock(alone, sale):
    rich, _, reqs = sale

    def pays_inside(conn):
        return payments.pay(alone, wallet_id=rich, payload=reqs[0]["payload"])["status"]

    assert Call(alone.db.transact, pays_inside).result() == "paid"  # bounded: a wait on itself fails here
    assert payments.get_request(alone, reqs[0]["id"])["status"] == "paid"
    assert _balance(alone, rich) == 9_000
    assert audit(alone)["ok"]


def test_when_the_unit_fails_after_its_inner_payment_nothing_of_either_is_kept(alone, sale):
    rich, _, reqs = sale

    def pays_then_fails(conn):
        payments.pay(alone, wallet_id=rich, payload=reqs[0]["payload"])
        raise Declined("the unit changed its mind", code="TEST_DECLINED")

    with pytest.raises(Declined):
        Call(alone.db.transact, pays_then_fails).result()
    assert payments.get_request(alone, reqs[0]["id"])["status"] == "awaiting_payment"
    assert _balance(alone, rich) == 10_000
    assert audit(alone)["ok"]


def test_a_refusal_inside_rolls_back_only_its_part_and_the_unit_goes_on(alone, sale):
    rich, broke, reqs = sale

    def two_payments(conn):
        with pytest.raises(Declined):
            payments.pay(alone, wallet_id=broke, payload=reqs[0]["payload"])
        return payments.pay(alone, wallet_id=rich, payload=reqs[1]["payload"])["status"]

    assert Call(alone.db.transact, two_payments).result() == "paid"
    assert [payments.get_request(alone, r["id"])["status"] for r in reqs] == ["awaiting_payment", "paid"]
    assert _balance(alone, broke) == 100 and _balance(alone, rich) == 9_000
    assert audit(alone)["ok"]
