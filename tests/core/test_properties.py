"""Hypothesis stateful tests: random sequences of operations never break the books.

After every step: each currency sums to zero, balances equal their entries, the journal chain is
intact, no wallet is negative, at most one payment per request, refunds at most what was paid.
Every retry with the same idempotency key returns the first result and changes no balance.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from pos.core import parties, payments
from pos.core.bootstrap import open_core
from pos.core.errors import IdempotencyKeyReused, LedgerInvariantBroken, QrposError
from pos.core.ledger.verify import audit
from pos.core.platform.clock import FixedClock
from pos.core.platform.ids import IdGenerator
from pos.core.store.schema import accounts
from pos.core.store.schema import payments as payments_table
from pos.core.store.schema import refunds as refunds_table

from ..conftest import TEST_SETTINGS


def _balances(core) -> dict:
    with core.db.read() as conn:
        return dict(conn.execute(select(accounts.c.id, accounts.c.balance)).all())


def make_machine(url_factory):
    class Ledger(RuleBasedStateMachine):
        requests = Bundle("requests")
        paid = Bundle("payments")

        def __init__(self):
            super().__init__()
            self.clock = FixedClock()
            self.core = open_core(url_factory(), clock=self.clock, ids=IdGenerator(seed=1), settings=TEST_SETTINGS,
                                  prepare_db=False)
            core = self.core
            self.shop = parties.create_merchant(
                core, name="Shibuya Ramen", mcc="5812", country="JP", city="Tokyo", currency="JPY",
                miles_earn_per=200, fee_rate_bp=100,
            )
            payments.set_rate(core, base="JPY", quote="CNY", rate="0.0482", spread_bp=150)
            self.wallets = [
                parties.create_wallet(core, owner="Hanako", currency="JPY", pin="1234", balance=20_000, miles=500),
                parties.create_wallet(core, owner="Li Wei", currency="CNY", pin="8888", balance=50_000, miles=0),
                parties.create_wallet(core, owner="Poor", currency="JPY", pin="1234", balance=300, miles=0),
            ]
            self.done: dict[str, tuple] = {}  # idempotency key -> (call, result)
            self.keys = 0

        def teardown(self):
            self.core.db.dispose()

        def _key(self, use_key: bool) -> str | None:
            if not use_key:
                return None
            self.keys += 1
            return f"k{self.keys}"

        def _remember(self, key, call, result):
            if key is not None:
                self.done[key] = (call, result)

        @rule(target=requests, amount=st.integers(1, 30_000), ttl=st.sampled_from([None, 30, 120]),
              use_key=st.booleans())
        def create(self, amount, ttl, use_key):
            key = self._key(use_key)
            call = dict(fn=payments.create_request, merchant_id=self.shop["merchant_id"],
                        terminal_id=self.shop["terminal_id"], amount=amount, currency="JPY", expires_in=ttl)
            result = payments.create_request(self.core, **{k: v for k, v in call.items() if k != "fn"},
                                             idempotency_key=key)
            self._remember(key, call, result)
            return result

        @rule(request=requests, wallet=st.integers(0, 2))
        def scan(self, request, wallet):
            try:
                payments.scan(self.core, wallet_id=self.wallets[wallet]["wallet_id"], payload=request["payload"])
            except QrposError:
                pass

        @rule(target=paid, request=requests, wallet=st.integers(0, 2), miles=st.sampled_from([0, 0, 50, 400, 600]),
              use_key=st.booleans())
        def pay(self, request, wallet, miles, use_key):
            key = self._key(use_key)
            call = dict(fn=payments.pay, wallet_id=self.wallets[wallet]["wallet_id"], payload=request["payload"],
                        miles=miles)
            try:
                result = payments.pay(self.core, **{k: v for k, v in call.items() if k != "fn"}, idempotency_key=key)
            except LedgerInvariantBroken:
                raise
            except QrposError:
                return None
            self._remember(key, call, result)
            return result

        @rule(payment=paid, quarters=st.integers(1, 5), use_key=st.booleans())
        def refund(self, payment, quarters, use_key):
            """Refund a quarter, half, three quarters, all, or more than all of the price."""
            if payment is None:
                return
            left = payments.get_payment(self.core, payment["id"])
            left = left["amount"] - left["refunded"]["amount"]
            amount = max(1, payment["amount"] * quarters // 4) if quarters < 5 else left
            if amount <= 0:
                return
            key = self._key(use_key)
            call = dict(fn=payments.refund, merchant_id=self.shop["merchant_id"], payment_id=payment["id"],
                        amount=amount)
            try:
                result = payments.refund(self.core, **{k: v for k, v in call.items() if k != "fn"},
                                        idempotency_key=key)
            except LedgerInvariantBroken:
                raise
            except QrposError:
                return
            self._remember(key, call, result)

        @rule(request=requests)
        def cancel(self, request):
            try:
                payments.cancel_request(self.core, merchant_id=self.shop["merchant_id"], request_id=request["id"])
            except QrposError:
                pass

        @rule(seconds=st.sampled_from([1, 29, 61, 300]))
        def time_passes_and_the_sweeper_runs(self, seconds):
            self.clock.advance(seconds)
            payments.expire_due(self.core)

        @rule(amount=st.integers(1, 100_000))
        def quote(self, amount):
            q = payments.quote(self.core, wallet_id=self.wallets[1]["wallet_id"], amount=amount, currency="JPY")
            assert q["pay"]["amount"] * 10000 >= amount * 482  # never below the mid rate

        @rule(data=st.data())
        def retry_with_the_same_key(self, data):
            if not self.done:
                return
            key = data.draw(st.sampled_from(sorted(self.done)))
            call, first = self.done[key]
            before = _balances(self.core)
            again = call["fn"](self.core, **{k: v for k, v in call.items() if k != "fn"}, idempotency_key=key)
            assert again == first
            assert _balances(self.core) == before

        @rule(data=st.data())
        def retry_with_a_changed_body(self, data):
            if not self.done:
                return
            key = data.draw(st.sampled_from(sorted(self.done)))
            call, _ = self.done[key]
            changed = dict(call)
            if "amount" in changed:
                changed["amount"] = changed["amount"] + 1
            else:
                changed["miles"] = changed["miles"] + 1
            before = _balances(self.core)
            with pytest.raises(IdempotencyKeyReused):
                call["fn"](self.core, **{k: v for k, v in changed.items() if k != "fn"}, idempotency_key=key)
            assert _balances(self.core) == before

        @invariant()
        def the_books_balance(self):
            report = audit(self.core)
            assert report["ok"], report["problems"]

        @invariant()
        def at_most_one_payment_per_request_and_refunds_within_it(self):
            with self.core.db.read() as conn:
                per_request = conn.execute(
                    select(func.count()).select_from(payments_table).group_by(payments_table.c.request_id)
                ).scalars().all()
                assert all(n == 1 for n in per_request)
                over = conn.execute(
                    select(payments_table.c.id)
                    .select_from(payments_table.join(refunds_table, refunds_table.c.payment_id == payments_table.c.id))
                    .group_by(payments_table.c.id, payments_table.c.amount)
                    .having(func.sum(refunds_table.c.amount) > payments_table.c.amount)
                ).all()
                assert over == []
                back = conn.execute(
                    select(payments_table.c.id, payments_table.c.charged_amount, payments_table.c.miles_used,
                           payments_table.c.refunded_amount, payments_table.c.amount,
                           func.sum(refunds_table.c.cash_back), func.sum(refunds_table.c.miles_back))
                    .select_from(payments_table.join(refunds_table, refunds_table.c.payment_id == payments_table.c.id))
                    .group_by(payments_table.c.id, payments_table.c.charged_amount, payments_table.c.miles_used,
                              payments_table.c.refunded_amount, payments_table.c.amount)
                ).all()
                for _, charged, miles_used, refunded, amount, cash_back, miles_back in back:
                    assert cash_back <= charged and miles_back <= miles_used
                    if refunded == amount:  # a full refund returns exactly what was taken
                        assert (cash_back, miles_back) == (charged, miles_used)

        @invariant()
        def no_wallet_is_negative(self):
            for w in self.wallets:
                summary = parties.wallet_summary(self.core, w["wallet_id"])
                assert summary["balance"]["amount"] >= 0 and summary["miles"] >= 0

    return Ledger


@pytest.mark.slow
def test_random_operation_sequences_keep_the_books_balanced(db_url, request):
    if db_url.startswith("sqlite"):
        template = Path(db_url.removeprefix("sqlite:///"))
        workdir = Path(tempfile.mkdtemp(dir=template.parent))

        def fresh(counter=[0]):  # noqa: B006  (a counter shared across calls, on purpose)
            counter[0] += 1
            path = workdir / f"case{counter[0]}.db"
            shutil.copyfile(template, path)
            return f"sqlite:///{path}"

        examples = 60
    else:
        fresh = request.getfixturevalue("pg_database_factory")
        examples = 15
    run_state_machine_as_test(
        make_machine(fresh),
        settings=settings(max_examples=examples, stateful_step_count=25, deadline=None, derandomize=True,
                          suppress_health_check=list(HealthCheck)),
    )
