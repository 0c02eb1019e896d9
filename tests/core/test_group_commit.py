"""Group commit: units waiting together share one commit, and each still succeeds or fails alone."""

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import event, exc

from pos.core import parties, payments
from pos.core.errors import QrposError
from pos.core.ledger.verify import audit

from .worlds import ramen_shop


def _hold_the_leader(core):
    """Start a unit that keeps the leader busy until released, so the next units queue up."""
    started, release = threading.Event(), threading.Event()

    def blocker(conn):
        started.set()
        release.wait(30)
        return "blocker"

    thread = threading.Thread(target=core.db.transact, args=(blocker,))
    thread.start()
    started.wait(30)
    return release, thread


def _commits(core):
    count = [0]
    event.listen(core.db.engine, "commit", lambda conn: count.__setitem__(0, count[0] + 1))
    return count


def test_payments_waiting_together_commit_together_and_declines_fail_alone(core):
    shop = ramen_shop(core)
    rich = parties.create_wallet(core, owner="Rich", currency="JPY", pin="1234", balance=100_000)["wallet_id"]
    broke = parties.create_wallet(core, owner="Broke", currency="JPY", pin="1234", balance=100)["wallet_id"]
    reqs = [payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                    amount=1000, currency="JPY") for _ in range(10)]
    commits = _commits(core)
    release, blocker = _hold_the_leader(core)

    def pay(i):
        try:
            return payments.pay(core, wallet_id=rich if i % 2 == 0 else broke, payload=reqs[i]["payload"])["status"]
        except QrposError as error:
            return error.code

    with ThreadPoolExecutor(10) as pool:
        results = [pool.submit(pay, i) for i in range(10)]
        assert core.db._group.wait_for_queue(10)
        release.set()
        outcome = [r.result(timeout=60) for r in results]
    blocker.join(30)
    assert outcome == ["paid", "INSUFFICIENT_FUNDS"] * 5
    assert commits[0] == 2  # the blocker's batch, then all ten payments in one commit
    assert parties.wallet_summary(core, rich)["balance"]["amount"] == 100_000 - 5000
    assert parties.wallet_summary(core, broke)["balance"]["amount"] == 100
    assert [payments.get_request(core, r["id"])["status"] for r in reqs] == ["paid", "awaiting_payment"] * 5
    assert audit(core)["ok"]


def test_a_unit_meeting_a_conflict_is_rerun_alone_and_the_others_commit(core):
    shop = ramen_shop(core)
    wallet = parties.create_wallet(core, owner="W", currency="JPY", pin="1234", balance=100_000)["wallet_id"]
    reqs = [payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                    amount=1000, currency="JPY") for _ in range(3)]
    runs = []

    def conflicting(conn):
        runs.append(1)
        if len(runs) == 1:
            raise exc.IntegrityError("INSERT ...", {}, Exception("duplicate key (a race with another process)"))
        return "second time lucky"

    release, blocker = _hold_the_leader(core)
    with ThreadPoolExecutor(4) as pool:
        odd = pool.submit(core.db.transact, conflicting)
        paid = [pool.submit(payments.pay, core, wallet_id=wallet, payload=r["payload"]) for r in reqs]
        assert core.db._group.wait_for_queue(4)
        release.set()
        assert odd.result(timeout=60) == "second time lucky"
        assert [p.result(timeout=60)["status"] for p in paid] == ["paid"] * 3
    blocker.join(30)
    assert len(runs) == 2
    assert audit(core)["ok"]


def test_a_bug_in_one_unit_reaches_its_caller_only(core):
    shop = ramen_shop(core)
    wallet = parties.create_wallet(core, owner="W", currency="JPY", pin="1234", balance=100_000)["wallet_id"]
    req = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                  amount=1000, currency="JPY")

    def buggy(conn):
        raise ZeroDivisionError("a bug")

    release, blocker = _hold_the_leader(core)
    with ThreadPoolExecutor(2) as pool:
        bad = pool.submit(core.db.transact, buggy)
        good = pool.submit(payments.pay, core, wallet_id=wallet, payload=req["payload"])
        assert core.db._group.wait_for_queue(2)
        release.set()
        assert isinstance(bad.exception(timeout=60), ZeroDivisionError)
        assert good.result(timeout=60)["status"] == "paid"
    blocker.join(30)
