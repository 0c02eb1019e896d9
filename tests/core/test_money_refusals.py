"""Every refusal on the money paths, with its stable code and the one readable line a person sees.

The code is the API's contract; the message is what the CLI prints and the pages show, so it is
checked word for word too. Each refusal also leaves the books as they were.
"""

import dataclasses

import pytest

from pos.core import codec, ledger, parties, payments
from pos.core.errors import QrposError
from pos.core.ledger.verify import audit

from .worlds import jpy_cny_rate, ramen_shop, yen_wallet, yuan_wallet


@pytest.fixture
def shop(core):
    return ramen_shop(core)


def _request(core, shop, amount=1280):
    return payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                   amount=amount, currency="JPY")


def _refused(call, *args, **kwargs) -> tuple[str, str]:
    with pytest.raises(QrposError) as error:
        call(*args, **kwargs)
    return error.value.code, str(error.value)


def _charge(core, shop, code, amount=800, **kw):
    return payments.charge(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"], code=code,
                           amount=amount, currency="JPY", **kw)


def test_a_static_code_paid_without_an_amount_is_refused(core, shop):
    code = payments.static_code(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"])
    wallet = yen_wallet(core)
    assert _refused(payments.pay, core, wallet_id=wallet["wallet_id"], payload=code["payload"]) == (
        "INVALID_AMOUNT", "a static merchant code needs the amount the payer enters")


def test_a_fixed_request_paid_with_another_amount_is_refused(core, shop):
    wallet = yen_wallet(core)
    req = _request(core, shop)
    assert _refused(payments.pay, core, wallet_id=wallet["wallet_id"], payload=req["payload"], amount=1000) == (
        "INVALID_AMOUNT", "this request has a fixed amount")
    paid = payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"], amount=1280)  # the same: fine
    assert paid["amount"] == 1280


@pytest.mark.parametrize("field,value", [("amount_minor", 1), ("currency", "USD"), ("merchant_id", "m_OTHER")])
def test_a_correctly_signed_code_that_disagrees_with_its_request_is_refused(core, shop, field, value):
    """Someone holding a signing key (an insider) still cannot change what a request costs."""
    wallet = yen_wallet(core)
    req = _request(core, shop)
    fields = codec.read_signed_request(req["payload"], core.keyring.keys)
    key_id, secret = next(iter(core.keyring.keys.items()))
    forged = codec.build_signed_request(dataclasses.replace(fields, **{field: value}), key_id=key_id, secret=secret)
    assert _refused(payments.pay, core, wallet_id=wallet["wallet_id"], payload=forged) == (
        "PAYLOAD_MISMATCH", "the code does not match the payment request it names")
    assert payments.get_request(core, req["id"])["status"] == "awaiting_payment"
    assert parties.wallet_summary(core, wallet["wallet_id"])["balance"]["amount"] == 10_000


def test_an_unknown_payment_is_not_found_and_another_wallets_payment_is_hidden(core, shop):
    wallet, other = yen_wallet(core), yen_wallet(core)
    paid = payments.pay(core, wallet_id=wallet["wallet_id"], payload=_request(core, shop)["payload"])
    assert _refused(payments.get_payment, core, "pay_nothing") == ("PAYMENT_NOT_FOUND",
                                                                   "payment pay_nothing does not exist")
    assert _refused(payments.get_payment, core, paid["id"], wallet_id=other["wallet_id"])[0] == "PAYMENT_NOT_FOUND"
    assert payments.get_payment(core, paid["id"], wallet_id=wallet["wallet_id"])["id"] == paid["id"]
    assert payments.get_payment(core, paid["id"], merchant_id=shop["merchant_id"])["id"] == paid["id"]
    other_shop = ramen_shop(core, name="Other Shop")
    assert _refused(payments.get_payment, core, paid["id"], merchant_id=other_shop["merchant_id"])[0] == (
        "PAYMENT_NOT_FOUND")


@pytest.mark.parametrize("miles", [-1, True, 1.0, "5"])
def test_miles_that_are_not_a_non_negative_integer_are_refused(core, shop, miles):
    wallet = yen_wallet(core, miles=100)
    req = _request(core, shop)
    assert _refused(payments.pay, core, wallet_id=wallet["wallet_id"], payload=req["payload"], miles=miles) == (
        "INVALID_MILES", "miles must be a non-negative integer")


def test_more_miles_than_the_price_are_refused(core, shop):
    wallet = yen_wallet(core, miles=5000)
    req = _request(core, shop)
    assert _refused(payments.pay, core, wallet_id=wallet["wallet_id"], payload=req["payload"], miles=1281) == (
        "INVALID_MILES", "1281 miles is more than the price 1280 JPY")


def test_miles_refused_for_a_price_in_another_currency_and_over_the_limit_say_why(core, shop):
    cafe = ramen_shop(core, name="Lion Cafe", country="SG", city="Singapore", currency="SGD", postal_code="049145",
                      name_local=None, city_local=None, language=None)
    wallet = parties.create_wallet(core, owner="Tan", currency="SGD", pin="1111", balance=10_000, miles=500)
    req = payments.create_request(core, merchant_id=cafe["merchant_id"], terminal_id=cafe["terminal_id"],
                                  amount=450, currency="SGD")
    assert _refused(payments.pay, core, wallet_id=wallet["wallet_id"], payload=req["payload"], miles=1) == (
        "MILES_NOT_ACCEPTED", "miles pay only JPY prices, this one is SGD")
    yen = yen_wallet(core, miles=60_000)
    big = _request(core, shop, 60_000)
    assert _refused(payments.pay, core, wallet_id=yen["wallet_id"], payload=big["payload"], miles=50_001) == (
        "MILES_LIMIT_EXCEEDED", "one payment may use at most 50000 miles, asked for 50001")


@pytest.mark.parametrize("amount", [0, -1, True, 1.5])
def test_a_refund_of_a_non_positive_or_non_integer_amount_is_refused(core, shop, amount):
    wallet = yen_wallet(core)
    paid = payments.pay(core, wallet_id=wallet["wallet_id"], payload=_request(core, shop)["payload"])
    assert _refused(payments.refund, core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=amount) == (
        "INVALID_AMOUNT", f"a refund must be a positive integer of minor units, got {amount!r}")


def test_a_refund_over_what_is_left_says_how_much_is_left(core, shop):
    wallet = yen_wallet(core)
    paid = payments.pay(core, wallet_id=wallet["wallet_id"], payload=_request(core, shop)["payload"])
    payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=1000)
    assert _refused(payments.refund, core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=281) == (
        "REFUND_EXCEEDS_PAYMENT", f"refund of 281 JPY exceeds the 280 JPY left to refund on payment {paid['id']}")


@pytest.mark.parametrize("rate,message", [
    ("abc", "rate 'abc' is not a decimal number"),
    ("0", "rate '0' must be a positive number"),
    ("-0.5", "rate '-0.5' must be a positive number"),
    ("Infinity", "rate 'Infinity' must be a positive number"),
])
def test_a_rate_that_is_not_a_positive_decimal_is_refused(core, rate, message):
    assert _refused(payments.set_rate, core, base="JPY", quote="CNY", rate=rate) == ("INVALID_RATE", message)


@pytest.mark.parametrize("spread", [-1, 2001, True, 1.5])
def test_a_spread_outside_0_to_2000_basis_points_is_refused(core, spread):
    assert _refused(payments.set_rate, core, base="JPY", quote="CNY", rate="0.05", spread_bp=spread) == (
        "INVALID_RATE", f"spread must be 0-2000 basis points, got {spread!r}")


@pytest.mark.parametrize("spread", [0, 2000])
def test_a_spread_at_either_end_of_the_range_is_accepted(core, spread):
    assert payments.set_rate(core, base="JPY", quote="CNY", rate="0.05", spread_bp=spread)["spread_bp"] == spread


def test_a_rate_between_a_currency_and_itself_is_refused(core):
    assert _refused(payments.set_rate, core, base="JPY", quote="JPY", rate="1") == (
        "INVALID_RATE", "a rate needs two different currencies")


def test_no_rate_names_both_currencies(core):
    tourist = yuan_wallet(core)
    assert _refused(payments.quote, core, wallet_id=tourist["wallet_id"], amount=1000, currency="JPY") == (
        "FX_RATE_UNAVAILABLE", "no exchange rate between JPY and CNY")


def test_a_quote_made_for_another_wallet_or_request_is_not_found(core, shop):
    jpy_cny_rate(core)
    tourist, other = yuan_wallet(core), yuan_wallet(core)
    req, other_req = _request(core, shop), _request(core, shop)
    theirs = payments.scan(core, wallet_id=other["wallet_id"], payload=req["payload"])["quote"]["id"]
    for_other_request = payments.scan(core, wallet_id=tourist["wallet_id"], payload=other_req["payload"])["quote"]["id"]
    for quote_id in (theirs, for_other_request, "qt_nothing"):
        assert _refused(payments.pay, core, wallet_id=tourist["wallet_id"], payload=req["payload"],
                        quote_id=quote_id) == ("QUOTE_NOT_FOUND", f"quote {quote_id} does not exist for this payment")


def test_a_quote_in_another_currency_pair_is_not_found(core, shop):
    jpy_cny_rate(core)
    payments.set_rate(core, base="JPY", quote="USD", rate="0.0067")
    tourist = yuan_wallet(core)
    dollars = parties.create_wallet(core, owner="Sam", currency="USD", pin="1234", balance=10_000)
    # a free-standing quote (no request) for the right price but the wrong wallet currency
    usd_quote = payments.quote(core, wallet_id=dollars["wallet_id"], amount=1280, currency="JPY")["id"]
    req = _request(core, shop)
    assert _refused(payments.pay, core, wallet_id=tourist["wallet_id"], payload=req["payload"],
                    quote_id=usd_quote)[0] == "QUOTE_NOT_FOUND"


def test_an_expired_quote_says_when_it_expired(core, shop, clock):
    jpy_cny_rate(core)
    tourist = yuan_wallet(core)
    req = _request(core, shop)
    quote = payments.scan(core, wallet_id=tourist["wallet_id"], payload=req["payload"])["quote"]
    clock.advance(59)
    still = payments.quote(core, wallet_id=tourist["wallet_id"], amount=1, currency="JPY")  # the clock moved
    assert still["expires_at"] == "2026-01-01T00:01:59Z"
    clock.advance(1)
    assert _refused(payments.pay, core, wallet_id=tourist["wallet_id"], payload=req["payload"],
                    quote_id=quote["id"]) == (
        "QUOTE_EXPIRED", f"quote {quote['id']} expired at 2026-01-01T00:01:00Z; scan again for a new one")


def test_a_quote_one_second_before_it_expires_still_holds(core, shop, clock):
    jpy_cny_rate(core)
    tourist = yuan_wallet(core)
    req = _request(core, shop)
    quote = payments.scan(core, wallet_id=tourist["wallet_id"], payload=req["payload"])["quote"]
    jpy_cny_rate(core, rate="0.06")
    clock.advance(59)
    paid = payments.pay(core, wallet_id=tourist["wallet_id"], payload=req["payload"], quote_id=quote["id"])
    assert paid["charged"]["amount"] == 6263 and paid["quote_id"] == quote["id"]


def test_payment_code_refusals_say_what_to_do(core, shop, clock):
    wallet = yen_wallet(core)
    assert _refused(_charge, core, shop, "99" + "0" * 18) == ("PAYMENT_CODE_INVALID", "payment code is not valid")
    used = payments.create_payment_code(core, wallet_id=wallet["wallet_id"])["code"]
    _charge(core, shop, used)
    assert _refused(_charge, core, shop, used) == (
        "PAYMENT_CODE_USED", "payment code was already used; ask for a new one")
    late = payments.create_payment_code(core, wallet_id=wallet["wallet_id"])["code"]
    clock.advance(59)
    on_time = payments.create_payment_code(core, wallet_id=wallet["wallet_id"])["code"]
    clock.advance(1)
    assert _refused(_charge, core, shop, late) == (
        "PAYMENT_CODE_EXPIRED", "payment code has expired; ask for a new one")
    assert _charge(core, shop, on_time)["status"] == "paid"
    assert audit(core)["ok"]


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there", 7])
def test_a_bad_idempotency_key_is_refused_before_anything_happens(core, shop, key):
    wallet = yen_wallet(core)
    req = _request(core, shop)
    assert _refused(payments.pay, core, wallet_id=wallet["wallet_id"], payload=req["payload"], idempotency_key=key) == (
        "INVALID_IDEMPOTENCY_KEY", "an idempotency key is 1-255 printable ASCII characters, no space at either end")
    assert payments.get_request(core, req["id"])["status"] == "awaiting_payment"


def test_the_longest_idempotency_key_is_accepted(core, shop):
    wallet = yen_wallet(core)
    req = _request(core, shop)
    paid = payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"], idempotency_key="k" * 255)
    again = payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"], idempotency_key="k" * 255)
    assert again == paid


def test_a_reused_idempotency_key_names_the_key(core, shop):
    wallet = yen_wallet(core)
    payments.pay(core, wallet_id=wallet["wallet_id"], payload=_request(core, shop)["payload"], idempotency_key="k-1")
    assert _refused(payments.pay, core, wallet_id=wallet["wallet_id"], payload=_request(core, shop)["payload"],
                    idempotency_key="k-1") == (
        "IDEMPOTENCY_KEY_REUSED", "idempotency key 'k-1' was already used with a different request")


def test_an_idempotency_key_is_scoped_to_its_wallet(core, shop):
    a, b = yen_wallet(core), yen_wallet(core)
    first = payments.pay(core, wallet_id=a["wallet_id"], payload=_request(core, shop)["payload"], idempotency_key="k")
    second = payments.pay(core, wallet_id=b["wallet_id"], payload=_request(core, shop)["payload"], idempotency_key="k")
    assert first["id"] != second["id"] and second["wallet_id"] == b["wallet_id"]


def test_ledger_refusals_name_the_account(core):
    wallet = yen_wallet(core, balance=100, miles=3)
    cash, miles = f"wallet:{wallet['wallet_id']}:cash", f"wallet:{wallet['wallet_id']}:miles"
    topup = ledger.platform_account_id(ledger.PLATFORM_TOPUP, "JPY")
    issuance = ledger.platform_account_id(ledger.PLATFORM_MILES, ledger.MILES)

    def post(legs, currency="JPY"):
        core.db.transact(lambda conn: ledger.post(conn, tx_id="tx_test", kind="test", currency=currency, legs=legs,
                                                  now_us=core.now()))

    assert _refused(post, [ledger.Leg(cash, -101), ledger.Leg(topup, 101)]) == (
        "INSUFFICIENT_FUNDS", f"account {cash} has 100 JPY, needs 101")
    assert _refused(post, [ledger.Leg(miles, -4), ledger.Leg(issuance, 4)], ledger.MILES) == (
        "INSUFFICIENT_MILES", f"account {miles} has 3 miles, needs 4")
    assert _refused(post, [ledger.Leg("wallet:nobody:cash", 1), ledger.Leg(topup, -1)]) == (
        "ACCOUNT_NOT_FOUND", "account wallet:nobody:cash does not exist")
    assert _refused(post, [ledger.Leg(cash, 1), ledger.Leg(topup, -2)])[0] == "LEDGER_INVARIANT_BROKEN"
    assert _refused(post, [ledger.Leg(cash, 1), ledger.Leg(miles, -1)])[1] == f"account {miles} holds MILES, not JPY"
    with core.db.read() as conn:
        assert _refused(ledger.balance, conn, "nothing") == ("ACCOUNT_NOT_FOUND", "account nothing does not exist")
        assert ledger.balance(conn, cash) == 100
    assert audit(core)["ok"]
