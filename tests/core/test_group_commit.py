"""Group commit: units waiting together share one commit, and each still succeeds or fails alone.

Every wait on another thread is bounded (``calls.py``): a broken leader loop fails these tests in
seconds instead of hanging them.
"""

from sqlalchemy import exc

from pos.core import parties, payments
from pos.core.errors import QrposError
from pos.core.ledger.verify import audit

from .calls import Call, commits, leader_held, queued
from .worlds import ramen_shop


def _conflicting_once(runs: list[int]):
    """A unit that meets an IntegrityError (a race with another process) on its first run only."""

    def conflicting(conn):
        runs.append(1)
        if len(runs) == 1:
            raise exc.IntegrityError("INSERT ...", {}, Exception("duplicate key (a race with another process)"))
        return "second time lucky"

    return conflicting


def test_payments_waiting_together_commit_together_and_declines_fail_alone(core):
    shop = ramen_shop(core)
    rich = parties.create_wallet(core, owner="Rich", currency="JPY", pin="1234", balance=100_000)["wallet_id"]
    broke = parties.create_wallet(core, owner="Broke", currency="JPY", pin="1234", balance=100)["wallet_id"]
    reqs = [payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                    amount=1000, currency="JPY") for _ in range(10)]
    count = commits(core)

    def pay(i):
        try:
            return payments.pay(core, wallet_id=rich if i % 2 == 0 else broke, payload=reqs[i]["payload"])["status"]
        except QrposError as error:
            return error.code

    with leader_held(core) as release:
        calls = [Call(pay, i) for i in range(10)]
        queued(core, 10)
        release.set()
        outcome = [c.result() for c in calls]
    assert outcome == ["paid", "INSUFFICIENT_FUNDS"] * 5
    assert count[0] == 2  # the blocker's batch, then all ten payments in one commit
    assert parties.wallet_summary(core, rich)["balance"]["amount"] == 100_000 - 5000
    assert parties.wallet_summary(core, broke)["balance"]["amount"] == 100
    assert [payments.get_request(core, r["id"])["status"] for r in reqs] == ["paid", "awaiting_payment"] * 5
    assert audit(core)["ok"]


def test_more_units_than_a_batch_holds_are_committed_in_batches_and_every_caller_is_answered(core):
    shop = ramen_shop(core)
    wallet = parties.create_wallet(core, owner="W", currency="JPY", pin="1234", balance=100_000)["wallet_id"]
    reqs = [payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                    amount=100, currency="JPY") for _ in range(5)]
    core.db._group._max = 2
    count = commits(core)
    with leader_held(core) as release:
        calls = [Call(payments.pay, core, wallet_id=wallet, payload=r["payload"]) for r in reqs]
        queued(core, 5)
        release.set()
        assert [c.result()["status"] for c in calls] == ["paid"] * 5
    assert count[0] == 1 + 3  # the blocker, then batches of 2, 2 and 1
    assert parties.wallet_summary(core, wallet)["balance"]["amount"] == 100_000 - 500


def test_a_unit_meeting_a_conflict_is_rerun_alone_and_the_others_commit(core):
    shop = ramen_shop(core)
    wallet = parties.create_wallet(core, owner="W", currency="JPY", pin="1234", balance=100_000)["wallet_id"]
    reqs = [payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                    amount=1000, currency="JPY") for _ in range(3)]
    runs: list[int] = []
    conflicting = _conflicting_once(runs)

    with leader_held(core) as release:
        odd = Call(core.db.transact, conflicting)
        paid = [Call(payments.pay, core, wallet_id=wallet, payload=r["payload"]) for r in reqs]
        queued(core, 4)
        release.set()
        assert odd.result() == "second time lucky"
        assert [p.result()["status"] for p in paid] == ["paid"] * 3
    assert len(runs) == 2
    assert audit(core)["ok"]


def test_a_lone_unit_meeting_a_conflict_is_rerun_and_answers_once(core):
    runs: list[int] = []
    conflicting = _conflicting_once(runs)

    assert Call(core.db.transact, conflicting).result() == "second time lucky"
    assert len(runs) == 2


def test_a_bug_in_one_unit_reaches_its_caller_only(core):
    shop = ramen_shop(core)
    wallet = parties.create_wallet(core, owner="W", currency="JPY", pin="1234", balance=100_000)["wallet_id"]
    req = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                  amount=1000, currency="JPY")

    def buggy(conn):
        raise ZeroDivisionError("a bug")

    with leader_held(core) as release:
        bad = Call(core.db.transact, buggy)
        good = Call(payments.pay, core, wallet_id=wallet, payload=req["payload"])
        queued(core, 2)
        release.set()
        assert isinstance(bad.error(), ZeroDivisionError)
        assert good.result()["status"] == "paid"


def test_a_bug_in_a_lone_unit_reaches_its_caller_and_is_not_rerun(core):
    runs = []

    def buggy(conn):
        runs.append(1)
        raise ZeroDivisionError("a bug")

    assert isinstance(Call(core.db.transact, buggy).error(), ZeroDivisionError)
    assert runs == [1]
