"""Worked examples with exact amounts: FX quotes, rounding at the edge, miles earned and spent."""

from fractions import Fraction

import pytest

from pos.core import parties, payments
from pos.core.errors import (
    FxRateUnavailable,
    InsufficientFunds,
    InvalidInput,
    MilesLimitExceeded,
    MilesNotAccepted,
    QuoteExpired,
)
from pos.core.ledger.verify import audit
from pos.core.money import Money
from pos.core.payments import fx

from .worlds import jpy_cny_rate, ramen_shop, yen_wallet, yuan_wallet


@pytest.mark.parametrize(
    "price,pay_currency,rate,expected",
    [
        (Money(1280, "JPY"), "CNY", Fraction("0.0482") * Fraction(10150, 10000), Money(6263, "CNY")),  # 62.62144
        (Money(1000, "JPY"), "CNY", Fraction("0.05"), Money(5000, "CNY")),  # exact: no rounding up
        (Money(1001, "JPY"), "CNY", Fraction("0.05"), Money(5005, "CNY")),
        (Money(1, "JPY"), "CNY", Fraction("0.0482"), Money(5, "CNY")),  # 4.82 fen -> 5
        (Money(1, "JPY"), "USD", Fraction("0.0067"), Money(1, "USD")),  # 0.67 cent -> 1 cent
        (Money(101, "CNY"), "JPY", Fraction("20.75"), Money(21, "JPY")),  # 20.9575 yen -> 21
        (Money(1000, "JPY"), "CNY", 1 / Fraction("20.7"), Money(4831, "CNY")),  # inverse rate 48.309...
        (Money(100, "JPY"), "KRW", Fraction("9.1"), Money(910, "KRW")),  # zero to zero decimals
    ],
)
def test_conversion_rounds_up_to_the_payers_minor_unit(price, pay_currency, rate, expected):
    assert fx.convert_up(price, pay_currency, rate) == expected


@pytest.mark.parametrize("text", ["0", "-1", "abc", "inf", "NaN", ""])
def test_bad_rates_are_refused(text):
    with pytest.raises(InvalidInput):
        fx.parse_rate(text)


def test_a_rate_is_used_in_both_directions(core):
    payments.set_rate(core, base="CNY", quote="JPY", rate="20.7", spread_bp=0)
    w = yuan_wallet(core)
    q = payments.quote(core, wallet_id=w["wallet_id"], amount=1000, currency="JPY")
    assert q["pay"] == {"amount": 4831, "currency": "CNY"}


def test_no_rate_means_no_cross_currency_payment(core):
    w = yuan_wallet(core)
    with pytest.raises(FxRateUnavailable):
        payments.quote(core, wallet_id=w["wallet_id"], amount=1000, currency="JPY")


@pytest.fixture
def shop(core):
    return ramen_shop(core, fee_rate_bp=100)


def _request(core, shop, amount=1280):
    return payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                   amount=amount, currency="JPY")


def test_a_tourist_pays_a_yen_price_from_a_yuan_wallet_at_the_quoted_rate(core, shop):
    jpy_cny_rate(core)  # 1 JPY = 0.0482 CNY, +1.5 %
    tourist = yuan_wallet(core, balance=100_000)
    req = _request(core, shop)
    scanned = payments.scan(core, wallet_id=tourist["wallet_id"], payload=req["payload"])
    assert scanned["quote"]["pay"] == {"amount": 6263, "currency": "CNY"}
    assert scanned["quote"]["expires_at"] == "2026-01-01T00:01:00Z"
    paid = payments.pay(core, wallet_id=tourist["wallet_id"], payload=req["payload"], quote_id=scanned["quote"]["id"])
    assert paid["charged"] == {"amount": 6263, "currency": "CNY"}
    assert paid["amount"] == 1280 and paid["fee"] == {"amount": 12, "currency": "JPY"}
    assert paid["miles_earned"] == 6
    assert parties.wallet_summary(core, tourist["wallet_id"]) == {
        "id": tourist["wallet_id"], "owner": "Li Wei", "currency": "CNY",
        "balance": {"amount": 100_000 - 6263, "currency": "CNY"}, "miles": 6,
    }
    assert audit(core)["ok"]


def test_the_quoted_rate_holds_even_if_the_table_moves(core, shop):
    jpy_cny_rate(core)
    tourist = yuan_wallet(core)
    req = _request(core, shop)
    scanned = payments.scan(core, wallet_id=tourist["wallet_id"], payload=req["payload"])
    jpy_cny_rate(core, rate="0.06")
    paid = payments.pay(core, wallet_id=tourist["wallet_id"], payload=req["payload"], quote_id=scanned["quote"]["id"])
    assert paid["charged"]["amount"] == 6263


def test_an_expired_quote_is_refused(core, shop, clock):
    jpy_cny_rate(core)
    tourist = yuan_wallet(core)
    req = _request(core, shop)
    scanned = payments.scan(core, wallet_id=tourist["wallet_id"], payload=req["payload"])
    clock.advance(60)
    with pytest.raises(QuoteExpired):
        payments.pay(core, wallet_id=tourist["wallet_id"], payload=req["payload"], quote_id=scanned["quote"]["id"])


def test_a_refund_converts_back_at_the_original_rate_and_claws_miles_in_proportion(core, shop):
    jpy_cny_rate(core)
    tourist = yuan_wallet(core)
    req = _request(core, shop)
    paid = payments.pay(core, wallet_id=tourist["wallet_id"], payload=req["payload"])
    jpy_cny_rate(core, rate="0.09")  # the market moves; refunds do not care
    first = payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=500)
    assert first["cash_back"] == {"amount": 2446, "currency": "CNY"}  # floor(6263 * 500 / 1280)
    assert first["miles_clawed"] == 2 and first["fee_back"] == {"amount": 4, "currency": "JPY"}
    second = payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=780)
    assert second["cash_back"]["amount"] == 6263 - 2446  # the rest, exactly
    assert second["miles_clawed"] == 4 and second["payment"]["status"] == "refunded"
    assert parties.wallet_summary(core, tourist["wallet_id"])["balance"]["amount"] == 100_000
    assert parties.wallet_summary(core, tourist["wallet_id"])["miles"] == 0
    assert payments.get_request(core, req["id"])["status"] == "refunded"
    assert audit(core)["ok"]


def test_miles_pay_part_of_a_yen_price_and_cash_the_rest(core, shop):
    wallet = yen_wallet(core, balance=5000, miles=1000)
    req = _request(core, shop)
    paid = payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"], miles=280)
    assert paid["miles_used"] == 280 and paid["charged"] == {"amount": 1000, "currency": "JPY"}
    assert paid["miles_earned"] == 5  # only the cash part earns: 1000 / 200
    assert parties.wallet_summary(core, wallet["wallet_id"])["miles"] == 1000 - 280 + 5
    assert audit(core)["ok"]


def test_miles_alone_can_pay_a_yen_price(core, shop):
    wallet = yen_wallet(core, balance=0, miles=2000)
    paid = payments.pay(core, wallet_id=wallet["wallet_id"], payload=_request(core, shop)["payload"], miles=1280)
    assert paid["charged"]["amount"] == 0 and paid["miles_earned"] == 0


def test_a_tourist_splits_miles_and_yuan(core, shop):
    jpy_cny_rate(core)
    tourist = yuan_wallet(core, miles=500)
    paid = payments.pay(core, wallet_id=tourist["wallet_id"], payload=_request(core, shop)["payload"], miles=280)
    assert paid["charged"] == {"amount": 4893, "currency": "CNY"}  # 1000 JPY * 0.0482 * 1.015 = 48.923


def test_a_refund_returns_miles_and_cash_in_proportion_to_how_the_price_was_paid(core, shop):
    wallet = yen_wallet(core, balance=5000, miles=1000)
    paid = payments.pay(core, wallet_id=wallet["wallet_id"], payload=_request(core, shop)["payload"], miles=280)
    half = payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=640)
    assert half["miles_back"] == 140 and half["cash_back"] == {"amount": 500, "currency": "JPY"}
    rest = payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=640)
    assert rest["miles_back"] == 140 and rest["cash_back"]["amount"] == 500
    summary = parties.wallet_summary(core, wallet["wallet_id"])
    assert summary["balance"]["amount"] == 5000 and summary["miles"] == 1000
    assert audit(core)["ok"]


def test_miles_over_the_per_payment_limit_are_refused(core, shop):
    wallet = yen_wallet(core, miles=100_000)
    req = _request(core, shop, amount=60_000)
    with pytest.raises(MilesLimitExceeded):
        payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"], miles=50_001)


def test_more_miles_than_the_wallet_holds_are_refused(core, shop):
    wallet = yen_wallet(core, miles=100)
    with pytest.raises(InsufficientFunds) as error:
        payments.pay(core, wallet_id=wallet["wallet_id"], payload=_request(core, shop)["payload"], miles=200)
    assert error.value.code == "INSUFFICIENT_MILES"


def test_miles_do_not_pay_prices_in_other_currencies(core):
    cafe = ramen_shop(core, name="Lion Cafe", country="SG", city="Singapore", currency="SGD", postal_code="049145",
                      name_local=None, city_local=None, language=None)
    wallet = parties.create_wallet(core, owner="Tan", currency="SGD", pin="1111", balance=10_000, miles=500)
    req = payments.create_request(core, merchant_id=cafe["merchant_id"], terminal_id=cafe["terminal_id"],
                                  amount=450, currency="SGD")
    with pytest.raises(MilesNotAccepted):
        payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"], miles=100)


def test_a_clawback_never_takes_a_wallet_below_zero_miles_and_records_the_shortfall(core, shop):
    wallet = yen_wallet(core, balance=50_000)
    big = payments.pay(core, wallet_id=wallet["wallet_id"], payload=_request(core, shop, amount=20_000)["payload"])
    assert big["miles_earned"] == 100
    payments.pay(core, wallet_id=wallet["wallet_id"], payload=_request(core, shop, amount=1000)["payload"], miles=100)
    back = payments.refund(core, merchant_id=shop["merchant_id"], payment_id=big["id"], amount=20_000)
    # only the 4 miles earned on 900 JPY cash were left
    assert back["miles_clawed"] == 4 and back["miles_claw_shortfall"] == 96
    assert parties.wallet_summary(core, wallet["wallet_id"])["miles"] == 0
    assert audit(core)["ok"]
