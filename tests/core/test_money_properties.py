"""Hypothesis properties of the money arithmetic: Money itself, FX conversion, the funding plan of a
payment and the cumulative shares that refunds move. Pure functions, no database, so many examples."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.core.errors import CurrencyMismatch, InvalidAmount, QrposError
from pos.core.money import CURRENCIES, Money, amount_text, exponent
from pos.core.payments import fx
from pos.core.payments.funding import plan
from pos.core.payments.miles import MILES_CURRENCY, cumulative_step
from tests.long_mode import scaled

SETTINGS = settings(max_examples=scaled(300, 5_000), deadline=None, derandomize=True, database=None)
CODES = st.sampled_from(sorted(CURRENCIES))
MINOR = st.integers(min_value=-(10**15), max_value=10**15)
PRICE = st.integers(min_value=1, max_value=10**12)  # the API's bound on an amount
RATES = st.builds(Fraction, st.integers(1, 10**9), st.integers(1, 10**9))
SPREAD = st.integers(0, fx.MAX_SPREAD_BP)


@SETTINGS
@given(code=CODES, a=MINOR, b=MINOR, c=MINOR)
def test_money_adds_and_subtracts_like_integers_of_one_currency(code, a, b, c):
    x, y, z = Money(a, code), Money(b, code), Money(c, code)
    assert (x + y) + z == x + (y + z) and x + y == y + x
    assert (x + y) - y == x and -x + x == Money(0, code) and x - x == Money(0, code)
    assert (x < y) == (a < b) and (x <= y) == (a <= b) and (x > y) == (a > b) and (x >= y) == (a >= b)


@SETTINGS
@given(first=CODES, second=CODES, a=MINOR, b=MINOR)
def test_two_currencies_never_combine(first, second, a, b):
    if first == second:
        return
    for combine in (lambda: Money(a, first) + Money(b, second), lambda: Money(a, first) - Money(b, second),
                    lambda: Money(a, first) < Money(b, second)):
        with pytest.raises(CurrencyMismatch):
            combine()


@SETTINGS
@given(code=CODES, minor=st.integers(min_value=0, max_value=10**15))
def test_amount_text_parses_back_to_the_same_minor_units(code, minor):
    text = amount_text(minor, exponent(code))
    assert Money.parse(text, code) == Money(minor, code)
    if minor:
        assert Money(minor, code).emv_amount() == text
    assert Money(minor, code).decimal().scaleb(exponent(code)) == minor


@SETTINGS
@given(code=CODES, text=st.text(max_size=30))
def test_parse_takes_any_text_and_gives_money_or_invalid_amount(code, text):
    try:
        parsed = Money.parse(text, code)
    except InvalidAmount:
        return
    assert isinstance(parsed.minor, int) and Money.parse(str(parsed.decimal()), code) == parsed


@SETTINGS
@given(price=PRICE, price_code=CODES, pay_code=CODES, mid=RATES, spread=SPREAD)
def test_conversion_rounds_up_by_less_than_one_minor_unit_and_never_at_a_loss(price, price_code, pay_code, mid,
                                                                              spread):
    rate = fx.customer_rate(mid, spread)
    assert rate >= mid
    paid = fx.convert_up(Money(price, price_code), pay_code, rate)
    exact = Fraction(price, 10 ** exponent(price_code)) * rate * 10 ** exponent(pay_code)
    assert paid.currency == pay_code and exact <= paid.minor < exact + 1
    assert fx.convert_up(Money(price + 1, price_code), pay_code, rate).minor >= paid.minor  # monotonic


@SETTINGS
@given(price=PRICE, miles=st.integers(0, 60_000), fee_bp=st.integers(0, 10_000),
       earn_per=st.one_of(st.none(), st.integers(1, 10_000)), wallet_code=CODES, mid=RATES)
def test_a_planned_payment_adds_up(price, miles, fee_bp, earn_per, wallet_code, mid):
    money = Money(price, MILES_CURRENCY)
    rate = None if wallet_code == MILES_CURRENCY else fx.customer_rate(mid, 150)
    try:
        p = plan(money, wallet_code, miles_used=miles, miles_limit=50_000, rate=rate, fee_rate_bp=fee_bp,
                 earn_per=earn_per)
    except QrposError:
        assert miles > min(price, 50_000)  # the only refusals: more miles than allowed or than the price
        return
    assert p.cash_price.minor + p.miles_used == price and p.cash_price.minor >= 0
    assert 0 <= p.fee <= price and p.fee == price * fee_bp // 10_000
    assert p.miles_earned == (p.cash_price.minor // earn_per if earn_per else 0)
    if rate is None:
        assert p.charged == Money(p.cash_price.minor, wallet_code)
    elif p.cash_price.minor:
        assert p.charged == fx.convert_up(p.cash_price, wallet_code, rate)
    else:
        assert p.charged == Money(0, wallet_code)


@st.composite
def refunds_of(draw, whole_max=10**9):
    """A payment's whole, a total to share out in proportion, and a sequence of partial refunds."""
    whole = draw(st.integers(1, whole_max))
    total = draw(st.integers(0, whole_max))
    cuts = sorted(draw(st.lists(st.integers(1, whole), max_size=12, unique=True)))
    full = draw(st.booleans())
    steps = [*cuts, whole] if full and (not cuts or cuts[-1] != whole) else cuts
    return whole, total, steps


@SETTINGS
@given(case=refunds_of())
def test_partial_refunds_move_their_share_and_a_full_refund_moves_exactly_everything(case):
    whole, total, steps = case
    moved, before = [], 0
    for after in steps:
        moved.append(cumulative_step(total, before, after, whole))
        before = after
    assert all(step >= 0 for step in moved)
    assert sum(moved) <= total
    assert sum(moved) == total * before // whole or before == whole
    if before == whole:
        assert sum(moved) == total
