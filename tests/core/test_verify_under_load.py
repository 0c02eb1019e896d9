"""`qrpos ledger verify` on a live database: it reads one consistent snapshot, so payments and
refunds committing while it runs never make it report a problem (issue 12, item 4)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from pos.core import parties, payments
from pos.core.ledger.verify import audit
from pos.core.store.schema import journal

from .worlds import ramen_shop

PAYERS = 4
ROUNDS = 12  # per payer: pay, refund half, refund the rest


def _payer(core, shop, wallet_id, errors):
    try:
        for _ in range(ROUNDS):
            req = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                          amount=1000, currency="JPY")
            paid = payments.pay(core, wallet_id=wallet_id, payload=req["payload"])
            for amount in (400, 600):
                payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=amount)
    except Exception as error:  # the test fails below, with the error, instead of hanging
        errors.append(error)


def test_verify_never_reports_a_problem_while_payments_and_refunds_commit(core):
    shop = ramen_shop(core)
    wallets = [parties.create_wallet(core, owner=f"payer {i}", currency="JPY", pin="1234", balance=10_000)["wallet_id"]
               for i in range(PAYERS)]
    errors: list[Exception] = []
    threads = [threading.Thread(target=_payer, args=(core, shop, w, errors)) for w in wallets]
    for thread in threads:
        thread.start()
    runs, problems = 0, []
    while any(thread.is_alive() for thread in threads) or runs < 3:
        report = audit(core)
        runs += 1
        problems.extend(report["problems"])
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert problems == [], f"{len(problems)} false problem(s) in {runs} runs, e.g. {problems[:3]}"
    assert audit(core)["ok"]
    with core.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(journal)).scalar_one() >= PAYERS * ROUNDS * 3


def test_a_snapshot_does_not_see_a_write_committed_after_it_began(core):
    shop = ramen_shop(core)
    with core.db.read_snapshot() as conn:
        if core.db.is_sqlite:  # the guarantee rests on WAL: a reader keeps its snapshot while a writer commits
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        before = conn.execute(select(func.count()).select_from(journal)).scalar_one()
        payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                amount=1000, currency="JPY")  # commits on another connection
        assert conn.execute(select(func.count()).select_from(journal)).scalar_one() == before
    with core.db.read_snapshot() as conn:
        assert conn.execute(select(func.count()).select_from(journal)).scalar_one() == before + 1
