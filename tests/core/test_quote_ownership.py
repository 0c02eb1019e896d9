"""A quote is the paying wallet's promise for one price: nobody else's payment can use it, and a
payment that needs no conversion takes no quote at all (issue 12, item 5)."""

from __future__ import annotations

import pytest

from pos.core import parties, payments
from pos.core.errors import InvalidInput, NotFound
from pos.core.ledger.verify import audit

from .worlds import jpy_cny_rate, ramen_shop, yen_wallet, yuan_wallet


@pytest.fixture
def shop(core):
    jpy_cny_rate(core)
    return ramen_shop(core)


def _request(core, shop, amount=1280):
    return payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                   amount=amount, currency="JPY")


def _tourists_quote(core, shop):
    tourist = yuan_wallet(core)
    scanned = payments.scan(core, wallet_id=tourist["wallet_id"], payload=_request(core, shop)["payload"])
    return tourist, scanned["quote"]["id"]


def test_a_same_currency_payment_with_another_wallets_quote_is_refused_and_changes_nothing(core, shop):
    _, their_quote = _tourists_quote(core, shop)
    hanako = yen_wallet(core)
    req = _request(core, shop)
    with pytest.raises(InvalidInput) as refused:
        payments.pay(core, wallet_id=hanako["wallet_id"], payload=req["payload"], quote_id=their_quote)
    assert refused.value.code == "QUOTE_NOT_APPLICABLE"
    assert payments.get_request(core, req["id"])["status"] == "awaiting_payment"
    assert parties.wallet_summary(core, hanako["wallet_id"])["balance"]["amount"] == 10_000


def test_a_same_currency_payment_with_any_quote_id_is_refused_the_same_way(core, shop):
    hanako = yen_wallet(core)
    for quote_id in ("qt_DOESNOTEXIST0000", _tourists_quote(core, shop)[1]):
        with pytest.raises(InvalidInput) as refused:
            payments.pay(core, wallet_id=hanako["wallet_id"], payload=_request(core, shop)["payload"],
                         quote_id=quote_id)
        assert refused.value.code == "QUOTE_NOT_APPLICABLE"


def test_a_cross_currency_payment_with_another_wallets_quote_is_not_found(core, shop):
    _, their_quote = _tourists_quote(core, shop)
    other_tourist = yuan_wallet(core)
    req = _request(core, shop)
    payments.scan(core, wallet_id=other_tourist["wallet_id"], payload=req["payload"])
    with pytest.raises(NotFound) as refused:
        payments.pay(core, wallet_id=other_tourist["wallet_id"], payload=req["payload"], quote_id=their_quote)
    assert refused.value.code == "QUOTE_NOT_FOUND"


def test_a_quote_for_another_request_is_not_found(core, shop):
    tourist, quote_for_first = _tourists_quote(core, shop)
    second = _request(core, shop)
    with pytest.raises(NotFound):
        payments.pay(core, wallet_id=tourist["wallet_id"], payload=second["payload"], quote_id=quote_for_first)


def test_a_standalone_quote_pays_only_the_price_it_quoted(core, shop):
    tourist = yuan_wallet(core)
    static = payments.static_code(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"])
    quoted = payments.quote(core, wallet_id=tourist["wallet_id"], amount=500, currency="JPY")
    with pytest.raises(NotFound):
        payments.pay(core, wallet_id=tourist["wallet_id"], payload=static["payload"], amount=5_000,
                     quote_id=quoted["id"])
    paid = payments.pay(core, wallet_id=tourist["wallet_id"], payload=static["payload"], amount=500,
                        quote_id=quoted["id"])
    assert paid["quote_id"] == quoted["id"] and paid["charged"] == quoted["pay"]
    assert audit(core)["ok"]


def test_a_same_currency_payment_without_a_quote_records_none(core, shop):
    hanako = yen_wallet(core)
    paid = payments.pay(core, wallet_id=hanako["wallet_id"], payload=_request(core, shop)["payload"])
    assert paid["quote_id"] is None
