"""The rate table with several pairs: each price finds its own pair, directly or inverted, and setting a
pair replaces that pair (both directions) and nothing else."""

import pytest

from pos.core import parties, payments
from pos.core.errors import QrposError

from .worlds import ramen_shop, yuan_wallet


@pytest.fixture
def table(core):
    """Decoys first: a lookup matching on one currency of the pair alone would meet them first."""
    for base, quote, rate in [("KRW", "JPY", "0.11"), ("CNY", "EUR", "0.13"), ("SGD", "USD", "0.74"),
                              ("JPY", "EUR", "0.0061"), ("JPY", "USD", "0.0067"), ("CNY", "JPY", "20.7")]:
        payments.set_rate(core, base=base, quote=quote, rate=rate)


def _wallet(core, currency):
    return parties.create_wallet(core, owner=currency, currency=currency, pin="1234", balance=1_000_000)["wallet_id"]


def _pay_for(core, currency, amount=1000, price_currency="JPY"):
    return payments.quote(core, wallet_id=_wallet(core, currency), amount=amount, currency=price_currency)


def test_a_price_uses_the_direct_pair_of_its_two_currencies(core, table):
    assert _pay_for(core, "USD")["pay"] == {"amount": 670, "currency": "USD"}  # 1,000 x 0.0067 = 6.70
    assert _pay_for(core, "EUR")["pay"] == {"amount": 610, "currency": "EUR"}


def test_a_price_uses_the_inverse_of_the_pair_set_the_other_way(core, table):
    q = _pay_for(core, "CNY")
    assert q["pay"] == {"amount": 4831, "currency": "CNY"}  # 1,000 / 20.7 = 48.309 -> 48.31
    assert q["rate"] == "0.04830917874"  # ten significant digits, for people
    assert _pay_for(core, "KRW")["pay"] == {"amount": 9091, "currency": "KRW"}  # 1,000 / 0.11 = 9,090.9


def test_setting_a_pair_replaces_it_in_both_directions_and_leaves_the_others(core, table):
    payments.set_rate(core, base="JPY", quote="CNY", rate="0.05")
    assert _pay_for(core, "CNY")["pay"]["amount"] == 5000
    assert _pay_for(core, "USD")["pay"]["amount"] == 670
    assert _pay_for(core, "EUR")["pay"]["amount"] == 610
    assert _pay_for(core, "KRW")["pay"]["amount"] == 9091
    assert _pay_for(core, "USD", amount=10_000, price_currency="SGD")["pay"]["amount"] == 7400  # 100.00 SGD


def test_a_quote_for_a_price_in_another_currency_does_not_pay_this_request(core, table):
    shop = ramen_shop(core)
    tourist = yuan_wallet(core)
    euro_quote = payments.quote(core, wallet_id=tourist["wallet_id"], amount=1000, currency="EUR")
    assert euro_quote["pay"]["currency"] == "CNY" and euro_quote["request_id"] is None
    req = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                  amount=1000, currency="JPY")
    with pytest.raises(QrposError) as error:
        payments.pay(core, wallet_id=tourist["wallet_id"], payload=req["payload"], quote_id=euro_quote["id"])
    assert error.value.code == "QUOTE_NOT_FOUND"
    yen_quote = payments.quote(core, wallet_id=tourist["wallet_id"], amount=1000, currency="JPY")  # this very price
    paid = payments.pay(core, wallet_id=tourist["wallet_id"], payload=req["payload"], quote_id=yen_quote["id"])
    assert paid["charged"] == {"amount": 4831, "currency": "CNY"}
