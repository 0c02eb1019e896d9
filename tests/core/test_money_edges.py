"""Money at the edges: the fee when miles pay part, miles clawed back after they were spent, many
partial refunds that must add up exactly, and the exact miles-per-payment limit.

Every amount is worked out by hand in the comments; the books are checked after each step.
"""

import pytest
from sqlalchemy import select

from pos.core import ledger, parties, payments
from pos.core.errors import MilesLimitExceeded
from pos.core.ledger.verify import audit
from pos.core.store.schema import accounts

from .worlds import jpy_cny_rate, ramen_shop, yen_wallet, yuan_wallet

FEES_JPY = ledger.platform_account_id(ledger.PLATFORM_FEES, "JPY")


@pytest.fixture
def shop(core):
    """Shibuya Ramen with a 1 % fee and 1 mile per 200 JPY."""
    return ramen_shop(core, fee_rate_bp=100)


def _request(core, shop, amount=1280):
    return payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                   amount=amount, currency="JPY")


def _pay(core, shop, wallet, amount=1280, **kw):
    return payments.pay(core, wallet_id=wallet["wallet_id"], payload=_request(core, shop, amount)["payload"], **kw)


def _refund(core, shop, paid, amount):
    return payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=amount)


def _balances(core, *account_ids):
    with core.db.read() as conn:
        rows = conn.execute(select(accounts.c.id, accounts.c.balance).where(accounts.c.id.in_(account_ids)))
        found = {row.id: row.balance for row in rows}
    return [found[a] for a in account_ids]


def _merchant_and_fees(core, shop):
    return _balances(core, f"merchant:{shop['merchant_id']}", FEES_JPY)


def _wallet(core, wallet):
    summary = parties.wallet_summary(core, wallet["wallet_id"])
    return summary["balance"]["amount"], summary["miles"]


# The fee is the merchant's price for the service: 1 % of the whole price, however the payer funds it.


def test_the_fee_is_taken_on_the_whole_price_when_miles_pay_part_of_it(core, shop):
    wallet = yen_wallet(core, balance=5000, miles=1000)
    paid = _pay(core, shop, wallet, miles=280)  # 280 miles + 1,000 JPY cash
    assert paid["fee"] == {"amount": 12, "currency": "JPY"}  # 1 % of 1,280, not of the 1,000 cash
    assert _merchant_and_fees(core, shop) == [1280 - 12, 12]
    assert audit(core)["ok"]


def test_the_fee_is_taken_on_the_whole_price_when_miles_pay_all_of_it(core, shop):
    wallet = yen_wallet(core, balance=0, miles=2000)
    paid = _pay(core, shop, wallet, miles=1280)
    assert paid["fee"]["amount"] == 12 and paid["charged"]["amount"] == 0
    assert _merchant_and_fees(core, shop) == [1268, 12]


def test_the_fee_is_taken_on_the_whole_yen_price_when_a_tourist_splits_miles_and_yuan(core, shop):
    jpy_cny_rate(core)
    tourist = yuan_wallet(core, miles=500)
    paid = _pay(core, shop, tourist, miles=280)
    assert paid["fee"]["amount"] == 12 and paid["charged"] == {"amount": 4893, "currency": "CNY"}
    assert _merchant_and_fees(core, shop) == [1268, 12]
    assert audit(core)["ok"]


def test_a_full_refund_of_a_payment_split_with_miles_returns_the_whole_fee(core, shop):
    wallet = yen_wallet(core, balance=5000, miles=1000)
    paid = _pay(core, shop, wallet, miles=280)
    back = _refund(core, shop, paid, 1280)
    assert back["fee_back"]["amount"] == 12
    assert _merchant_and_fees(core, shop) == [0, 0]


# Miles-per-payment limit: 50,000 (Settings.miles_max_per_payment).


def test_exactly_the_miles_limit_can_pay_one_price(core, shop):
    wallet = yen_wallet(core, balance=10_000, miles=60_000)
    paid = _pay(core, shop, wallet, amount=60_000, miles=50_000)
    assert paid["miles_used"] == 50_000 and paid["charged"]["amount"] == 10_000
    assert _wallet(core, wallet) == (0, 10_000 + 50)  # 60,000 - 50,000 + 10,000 cash / 200


def test_one_mile_over_the_limit_is_refused_and_changes_nothing(core, shop):
    wallet = yen_wallet(core, balance=10_000, miles=60_000)
    req = _request(core, shop, 60_000)
    with pytest.raises(MilesLimitExceeded) as error:
        payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"], miles=50_001)
    assert error.value.code == "MILES_LIMIT_EXCEEDED"
    assert _wallet(core, wallet) == (10_000, 60_000)
    assert payments.get_request(core, req["id"])["status"] == "awaiting_payment"


# Clawing back earned miles: from whatever the wallet holds once this refund's own miles are back.


def test_a_clawback_takes_the_earned_miles_from_the_miles_this_refund_gives_back(core, shop):
    wallet = yen_wallet(core, balance=5000, miles=280)
    paid = _pay(core, shop, wallet, miles=280)  # 280 miles + 1,000 cash; earns 5 miles
    assert _wallet(core, wallet) == (4000, 5)
    _pay(core, shop, wallet, amount=5, miles=5)  # the 5 earned miles are spent before the refund
    assert _wallet(core, wallet)[1] == 0
    back = _refund(core, shop, paid, 1280)
    assert (back["miles_back"], back["miles_clawed"], back["miles_claw_shortfall"]) == (280, 5, 0)
    assert _wallet(core, wallet) == (5000, 275)
    assert audit(core)["ok"]


def test_a_clawback_with_nothing_left_to_take_records_the_whole_shortfall(core, shop):
    wallet = yen_wallet(core, balance=5000)
    paid = _pay(core, shop, wallet, amount=2000)  # earns 10 miles
    _pay(core, shop, wallet, amount=10, miles=10)  # and spends them
    back = _refund(core, shop, paid, 2000)
    assert (back["miles_clawed"], back["miles_claw_shortfall"]) == (0, 10)
    assert _wallet(core, wallet) == (5000, 0)  # the 10-yen payment was paid in miles only
    assert audit(core)["ok"]


def test_a_clawback_takes_exactly_what_the_wallet_holds_when_that_is_just_enough(core, shop):
    wallet = yen_wallet(core, balance=5000)
    paid = _pay(core, shop, wallet, amount=2000)  # earns 10 miles
    back = _refund(core, shop, paid, 2000)
    assert (back["miles_clawed"], back["miles_claw_shortfall"]) == (10, 0)
    assert _wallet(core, wallet) == (5000, 0)


def test_a_payment_split_with_miles_refunded_in_three_parts_returns_each_source_exactly(core, shop):
    wallet = yen_wallet(core, balance=5000, miles=280)
    paid = _pay(core, shop, wallet, miles=280)  # 280 miles + 1,000 cash, earns 5, fee 12
    steps = []
    for amount in (427, 427, 426):
        back = _refund(core, shop, paid, amount)
        steps.append(
            (back["miles_back"], back["cash_back"]["amount"], back["miles_clawed"], back["fee_back"]["amount"])
        )
    # miles back: floor(280 x 427/1280) = 93, floor(280 x 854/1280) = 186 -> 93, then 280 - 186 = 94
    # cash back: the rest of each step; clawed: floor(5 x 427/1280) = 1, floor(5 x 854/1280) = 3 -> 2, then 2
    # fee back: floor(12 x 427/1280) = 4, floor(12 x 854/1280) = 8 -> 4, then 4
    assert steps == [(93, 334, 1, 4), (93, 334, 2, 4), (94, 332, 2, 4)]
    assert sum(s[0] for s in steps) == 280 and sum(s[1] for s in steps) == 1000
    assert _wallet(core, wallet) == (5000, 280)
    assert payments.get_payment(core, paid["id"])["status"] == "refunded"
    assert audit(core)["ok"]


def test_miles_spent_between_partial_refunds_are_clawed_only_as_far_as_they_go(core, shop):
    wallet = yen_wallet(core, balance=10_000)
    paid = _pay(core, shop, wallet, amount=4000)  # earns 20 miles
    first = _refund(core, shop, paid, 1000)  # claws floor(20 x 1000/4000) = 5
    assert (first["miles_clawed"], first["miles_claw_shortfall"]) == (5, 0)
    _pay(core, shop, wallet, amount=13, miles=13)  # 15 left, 13 spent: 2 remain
    second = _refund(core, shop, paid, 1000)  # wants 5 more, 2 are there
    assert (second["miles_clawed"], second["miles_claw_shortfall"]) == (2, 3)
    last = _refund(core, shop, paid, 2000)  # wants the last 10, none are there
    assert (last["miles_clawed"], last["miles_claw_shortfall"]) == (0, 10)
    assert _wallet(core, wallet)[1] == 0
    assert audit(core)["ok"]


# Many partial refunds of a tourist's payment: cumulative targets, so the parts always add up.


def test_four_partial_refunds_of_a_yuan_payment_add_up_at_every_step_and_the_last_returns_the_rest(core, shop):
    jpy_cny_rate(core)  # 1,280 JPY = 6,263 CNY fen; fee 12 JPY; 6 miles earned
    tourist = yuan_wallet(core)
    paid = _pay(core, shop, tourist)
    assert (paid["charged"]["amount"], paid["fee"]["amount"], paid["miles_earned"]) == (6263, 12, 6)
    jpy_cny_rate(core, rate="0.09")  # the market moves; refunds keep the payment's rate
    expected = [  # (refund JPY, cash back CNY fen, fee back JPY, miles clawed)
        (107, 523, 1, 0),  # floor(6263 x 107/1280) = 523, floor(12 x 107/1280) = 1, floor(6 x 107/1280) = 0
        (107, 524, 1, 1),  # cumulative 214: 1047 - 523, 2 - 1, 1 - 0
        (107, 523, 1, 0),  # cumulative 321: 1570 - 1047, 3 - 2, 1 - 1
        (959, 4693, 9, 5),  # the rest: 6263 - 1570, 12 - 3, 6 - 1
    ]
    refunded = cash = fee = clawed = 0
    for amount, cash_back, fee_back, claw in expected:
        back = _refund(core, shop, paid, amount)
        assert (back["cash_back"]["amount"], back["fee_back"]["amount"], back["miles_clawed"]) == (cash_back, fee_back,
                                                                                                  claw)
        refunded, cash, fee, clawed = refunded + amount, cash + cash_back, fee + fee_back, clawed + claw
        assert cash == (6263 if refunded == 1280 else 6263 * refunded // 1280)
        assert payments.get_payment(core, paid["id"])["refunded"]["amount"] == refunded
        assert _wallet(core, tourist) == (100_000 - 6263 + cash, 6 - clawed)
        assert _merchant_and_fees(core, shop) == [1268 - (refunded - fee), 12 - fee]
        assert audit(core)["ok"]
    assert (refunded, cash, fee, clawed) == (1280, 6263, 12, 6)
    assert payments.get_payment(core, paid["id"])["status"] == "refunded"


def test_a_yuan_payment_refunded_one_yen_at_a_time_rounds_by_cumulative_target(core, shop):
    jpy_cny_rate(core)
    tourist = yuan_wallet(core)
    paid = _pay(core, shop, tourist)
    # 6263 / 1280 = 4.893 fen per yen: floor(4.893) = 4, floor(9.786) = 9, floor(14.68) = 14
    steps = [_refund(core, shop, paid, 1)["cash_back"]["amount"] for _ in range(3)]
    assert steps == [4, 5, 5]
    rest = _refund(core, shop, paid, 1277)
    assert rest["cash_back"]["amount"] == 6263 - 14
    assert _wallet(core, tourist) == (100_000, 0)
    assert audit(core)["ok"]


def test_a_refund_over_what_is_left_after_partial_refunds_is_refused(core, shop):
    from pos.core.errors import RefundExceedsPayment

    wallet = yen_wallet(core)
    paid = _pay(core, shop, wallet)
    for _ in range(3):
        _refund(core, shop, paid, 400)
    with pytest.raises(RefundExceedsPayment):
        _refund(core, shop, paid, 81)
    assert _refund(core, shop, paid, 80)["payment"]["status"] == "refunded"


def test_a_payment_made_wholly_with_miles_is_refunded_in_miles_in_parts(core, shop):
    wallet = yen_wallet(core, balance=0, miles=2000)
    paid = _pay(core, shop, wallet, miles=1280)  # no cash at all: nothing to convert or earn
    first = _refund(core, shop, paid, 1000)
    assert (first["miles_back"], first["cash_back"]["amount"], first["fee_back"]["amount"]) == (1000, 0, 9)
    rest = _refund(core, shop, paid, 280)
    assert (rest["miles_back"], rest["cash_back"]["amount"], rest["fee_back"]["amount"]) == (280, 0, 3)
    assert _wallet(core, wallet) == (0, 2000)
    assert _merchant_and_fees(core, shop) == [0, 0]
    assert audit(core)["ok"]


def test_the_fee_is_exactly_one_percent_of_a_round_price(core, shop):
    wallet = yen_wallet(core, balance=20_000)
    assert _pay(core, shop, wallet, amount=10_000)["fee"]["amount"] == 100
    assert _pay(core, shop, wallet, amount=9_999)["fee"]["amount"] == 99  # 99.99, rounded down


def test_a_tourist_paying_wholly_with_miles_is_charged_nothing_in_yuan(core, shop):
    jpy_cny_rate(core)
    tourist = yuan_wallet(core, miles=2000)
    paid = _pay(core, shop, tourist, miles=1280)
    assert paid["charged"] == {"amount": 0, "currency": "CNY"} and paid["cash"]["amount"] == 0
    assert _wallet(core, tourist) == (100_000, 2000 - 1280)
    back = _refund(core, shop, paid, 1280)
    assert back["cash_back"] == {"amount": 0, "currency": "CNY"} and back["miles_back"] == 1280
    assert _wallet(core, tourist) == (100_000, 2000)
    assert audit(core)["ok"]


def test_a_shop_without_miles_gives_none_and_one_mile_per_yen_gives_one_for_one_yen(core):
    plain = ramen_shop(core, name="Plain Shop", miles_earn_per=None)
    generous = ramen_shop(core, name="Generous Shop", miles_earn_per=1)
    wallet = yen_wallet(core)
    assert _pay(core, plain, wallet, amount=5000)["miles_earned"] == 0
    assert _pay(core, generous, wallet, amount=1)["miles_earned"] == 1
    assert _pay(core, generous, wallet, amount=2)["miles_earned"] == 2
    assert _wallet(core, wallet) == (10_000 - 5003, 3)
