"""A transaction opened inside a unit of work joins that unit's transaction, in a savepoint.

A unit that calls ``transact`` again (a service built from other services) cannot be given a
transaction of its own: on SQLite it would wait for the write lock its own unit holds, on PostgreSQL
for the row locks its unit took, and either way it would commit apart from its unit. It runs in a
savepoint of its unit instead: what it did commits with the unit, or not at all; a refusal inside it
rolls back only its part and reaches the unit, which decides. Run on SQLite and on PostgreSQL.
"""

import pytest
from sqlalchemy import exc

from pos.core import payments
from pos.core.errors import Declined, InvalidInput
from pos.core.ledger.verify import audit

from .calls import Call, commits, leader_held, queued
from .worlds import balance as _balance
from .worlds import rich_broke_and_requests


@pytest.fixture
def sale(core):
    """A shop, a rich and a broke wallet, three open 1,000 JPY requests."""
    return rich_broke_and_requests(core, 3)


def _statuses(core, reqs):
    return [payments.get_request(core, r["id"])["status"] for r in reqs]


def test_a_payment_made_inside_a_unit_of_a_batch_commits_with_it_in_the_batchs_one_commit(core, sale):
    rich, _, reqs = sale
    count = commits(core)

    def pays_inside(conn):
        return payments.pay(core, wallet_id=rich, payload=reqs[0]["payload"])["status"]

    with leader_held(core) as release:
        outer = Call(core.db.transact, pays_inside)
        other = Call(payments.pay, core, wallet_id=rich, payload=reqs[1]["payload"])
        queued(core, 2)
        release.set()
        assert outer.result() == "paid"
        assert other.result()["status"] == "paid"
    assert count[0] == 2  # the blocker's, then the batch's: the inner payment had no commit of its own
    assert _statuses(core, reqs) == ["paid", "paid", "awaiting_payment"]
    assert _balance(core, rich) == 10_000 - 2000
    assert audit(core)["ok"]


def test_a_refusal_inside_a_unit_rolls_back_only_its_part_and_the_unit_goes_on(core, sale):
    rich, broke, reqs = sale

    def tries_the_broke_wallet_first(conn):
        try:
            payments.pay(core, wallet_id=broke, payload=reqs[0]["payload"])
        except Declined as refusal:
            paid = payments.pay(core, wallet_id=rich, payload=reqs[0]["payload"])
            return refusal.code, paid["wallet_id"] == rich
        return "the broke wallet paid", False

    with leader_held(core) as release:
        outer = Call(core.db.transact, tries_the_broke_wallet_first)
        other = Call(payments.pay, core, wallet_id=rich, payload=reqs[1]["payload"])
        queued(core, 2)
        release.set()
        assert outer.result() == ("INSUFFICIENT_FUNDS", True)
        assert other.result()["status"] == "paid"
    assert _balance(core, broke) == 100 and _balance(core, rich) == 10_000 - 2000
    assert _statuses(core, reqs) == ["paid", "paid", "awaiting_payment"]
    assert audit(core)["ok"]


def test_a_unit_refused_after_a_payment_inside_it_takes_that_payment_back_and_the_batch_still_commits(core, sale):
    rich, _, reqs = sale

    def pays_then_changes_its_mind(conn):
        payments.pay(core, wallet_id=rich, payload=reqs[0]["payload"])
        raise InvalidInput("the customer changed their mind")

    with leader_held(core) as release:
        outer = Call(core.db.transact, pays_then_changes_its_mind)
        other = Call(payments.pay, core, wallet_id=rich, payload=reqs[1]["payload"])
        queued(core, 2)
        release.set()
        assert str(outer.error()) == "the customer changed their mind"
        assert other.result()["status"] == "paid"
    assert _statuses(core, reqs) == ["awaiting_payment", "paid", "awaiting_payment"]
    assert _balance(core, rich) == 10_000 - 1000
    assert audit(core)["ok"]


def test_a_unit_with_savepoints_of_its_own_keeps_what_it_released_and_loses_what_it_rolled_back(core, sale):
    rich, _, reqs = sale

    def tries_twice(conn):
        first = conn.begin_nested()
        payments.pay(core, wallet_id=rich, payload=reqs[0]["payload"])
        first.rollback()
        with conn.begin_nested():
            return payments.pay(core, wallet_id=rich, payload=reqs[2]["payload"])["status"]

    with leader_held(core) as release:
        outer = Call(core.db.transact, tries_twice)
        other = Call(payments.pay, core, wallet_id=rich, payload=reqs[1]["payload"])
        queued(core, 2)
        release.set()
        assert outer.result() == "paid"
        assert other.result()["status"] == "paid"
    assert _statuses(core, reqs) == ["awaiting_payment", "paid", "paid"]
    assert _balance(core, rich) == 10_000 - 2000
    assert audit(core)["ok"]


def test_a_payment_inside_a_lone_transaction_joins_it_and_one_commit_makes_both(core, sale):
    rich, _, reqs = sale
    count = commits(core)

    def pays_inside(conn):
        return payments.pay(core, wallet_id=rich, payload=reqs[0]["payload"])["status"]

    assert Call(core.db.transact, pays_inside).result() == "paid"
    assert count[0] == 1
    assert _statuses(core, reqs)[0] == "paid"


def test_a_lone_unit_refused_after_a_payment_inside_it_takes_that_payment_back(core, sale):
    rich, _, reqs = sale

    def pays_then_changes_its_mind(conn):
        payments.pay(core, wallet_id=rich, payload=reqs[0]["payload"])
        raise InvalidInput("the customer changed their mind")

    assert str(Call(core.db.transact, pays_then_changes_its_mind).error()) == "the customer changed their mind"
    assert _statuses(core, reqs)[0] == "awaiting_payment" and _balance(core, rich) == 10_000


def test_a_unit_rerun_alone_after_a_conflict_still_makes_its_inner_payment_in_its_own_transaction(core, sale):
    rich, _, reqs = sale
    runs = []
    count = commits(core)

    def conflicts_once_then_pays_inside(conn):
        runs.append(1)
        if len(runs) == 1:
            raise exc.IntegrityError("INSERT ...", {}, Exception("duplicate key (a race with another process)"))
        return payments.pay(core, wallet_id=rich, payload=reqs[0]["payload"])["status"]

    assert Call(core.db.transact, conflicts_once_then_pays_inside).result() == "paid"
    assert len(runs) == 2
    assert count[0] == 1  # the rerun's transaction, the inner payment in it
    assert _statuses(core, reqs)[0] == "paid" and _balance(core, rich) == 10_000 - 1000
