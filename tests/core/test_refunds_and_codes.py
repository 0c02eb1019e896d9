"""Refunds never exceed what was paid; payment codes are one-time and short-lived."""

import pytest

from pos.core import parties, payments
from pos.core.errors import (
    CurrencyMismatch,
    IdempotencyKeyReused,
    InsufficientFunds,
    InvalidAmount,
    NotFound,
    PaymentCodeUsed,
    RefundExceedsPayment,
)
from pos.core.ledger.verify import audit

from .worlds import jpy_cny_rate, ramen_shop, yen_wallet, yuan_wallet


@pytest.fixture
def shop(core):
    return ramen_shop(core)


@pytest.fixture
def paid(core, shop):
    wallet = yen_wallet(core)
    req = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                  amount=1280, currency="JPY")
    return payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"])


def test_several_partial_refunds_up_to_the_price(core, shop, paid):
    for amount in (280, 500, 500):
        payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=amount)
    with pytest.raises(RefundExceedsPayment):
        payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=1)
    assert [r["amount"] for r in payments.list_refunds(core, paid["id"])] == [280, 500, 500]
    assert parties.wallet_summary(core, paid["wallet_id"])["balance"]["amount"] == 10_000
    assert audit(core)["ok"]


def test_a_refund_larger_than_what_is_left_is_refused_and_changes_nothing(core, shop, paid):
    payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=1000)
    with pytest.raises(RefundExceedsPayment) as error:
        payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=281)
    assert "280 JPY left" in error.value.message
    assert payments.get_payment(core, paid["id"])["refunded"]["amount"] == 1000


def test_each_refund_has_its_own_idempotency_key(core, shop, paid):
    a = payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=100, idempotency_key="r1")
    again = payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=100,
                           idempotency_key="r1")
    b = payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=100, idempotency_key="r2")
    assert again == a and b["id"] != a["id"]
    with pytest.raises(IdempotencyKeyReused):
        payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=200, idempotency_key="r1")
    assert payments.get_payment(core, paid["id"])["refunded"]["amount"] == 200


def test_another_merchant_cannot_refund_a_payment(core, paid):
    other = ramen_shop(core, name="Other Shop")
    with pytest.raises(NotFound):
        payments.refund(core, merchant_id=other["merchant_id"], payment_id=paid["id"], amount=100)


@pytest.mark.parametrize("amount", [0, -1, 2.5, None])
def test_bad_refund_amounts_are_refused(core, shop, paid, amount):
    with pytest.raises(InvalidAmount):
        payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=amount)


def test_a_terminal_charges_a_payment_code_once(core, shop):
    wallet = yen_wallet(core)
    code = payments.create_payment_code(core, wallet_id=wallet["wallet_id"])
    assert code["code"].startswith("99") and len(code["code"]) == 20
    charged = payments.charge(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"], code=code["code"],
                           amount=800, currency="JPY")
    assert charged["charged"] == {"amount": 800, "currency": "JPY"}
    with pytest.raises(PaymentCodeUsed):
        payments.charge(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"], code=code["code"],
                     amount=800, currency="JPY")
    assert parties.wallet_summary(core, wallet["wallet_id"])["balance"]["amount"] == 9200


def test_a_payment_code_expires_after_about_a_minute(core, shop, clock):
    wallet = yen_wallet(core)
    code = payments.create_payment_code(core, wallet_id=wallet["wallet_id"])
    clock.advance(60)
    with pytest.raises(PaymentCodeUsed) as error:
        payments.charge(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"], code=code["code"],
                     amount=800, currency="JPY")
    assert error.value.code == "PAYMENT_CODE_EXPIRED"


def test_a_declined_charge_leaves_the_code_usable(core, shop):
    wallet = yen_wallet(core, balance=500)
    code = payments.create_payment_code(core, wallet_id=wallet["wallet_id"])
    with pytest.raises(InsufficientFunds):
        payments.charge(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"], code=code["code"],
                     amount=800, currency="JPY")
    ok = payments.charge(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"], code=code["code"],
                      amount=500, currency="JPY")
    assert ok["status"] == "paid"


def test_an_unknown_code_and_a_wrong_currency_are_refused(core, shop):
    wallet = yen_wallet(core)
    with pytest.raises(NotFound):
        payments.charge(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"], code="99" + "0" * 18,
                     amount=800, currency="JPY")
    code = payments.create_payment_code(core, wallet_id=wallet["wallet_id"])
    with pytest.raises(CurrencyMismatch):
        payments.charge(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"], code=code["code"],
                     amount=800, currency="CNY")


def test_a_tourists_payment_code_is_charged_in_yen_and_debited_in_yuan(core, shop):
    jpy_cny_rate(core)
    tourist = yuan_wallet(core)
    code = payments.create_payment_code(core, wallet_id=tourist["wallet_id"])
    charged = payments.charge(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"], code=code["code"],
                           amount=1280, currency="JPY")
    assert charged["charged"] == {"amount": 6263, "currency": "CNY"}
    assert audit(core)["ok"]
