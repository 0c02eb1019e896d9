"""Payment requests: create, scan, pay exactly once, cancel, expire, and refuse altered codes."""

import dataclasses

import pytest

from pos.core import codec, parties, payments
from pos.core.errors import (
    CurrencyMismatch,
    IdempotencyKeyReused,
    InsufficientFunds,
    InvalidAmount,
    NotFound,
    PayloadError,
    RequestAlreadyPaid,
    RequestCancelled,
    RequestExpired,
)
from pos.core.ledger.verify import audit

from .worlds import ramen_shop, yen_wallet


@pytest.fixture
def shop(core):
    return ramen_shop(core)


def _request(core, shop, amount=1280, **kw):
    return payments.create_request(
        core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"], amount=amount, currency="JPY", **kw
    )


def test_a_request_carries_a_signed_emvco_payload_with_the_price(core, shop):
    req = _request(core, shop, reference="T-42")
    fields = codec.read_signed_request(req["payload"], core.keyring.keys)
    assert (fields.request_id, fields.amount_minor, fields.currency) == (req["id"], 1280, "JPY")
    assert fields.name_local == "渋谷ラーメン"
    assert req["status"] == "awaiting_payment"
    assert codec.inspect_payload(req["payload"])["fields"]["amount"] == "1280"


def test_the_request_expires_after_the_terminals_lifetime_by_default(core, shop, clock):
    req = _request(core, shop)
    assert req["expires_at"] == "2026-01-01T00:05:00Z"


def test_paying_moves_money_from_wallet_to_merchant_and_earns_miles(core, shop):
    wallet = yen_wallet(core, balance=5000)
    req = _request(core, shop)
    paid = payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"])
    assert paid["charged"] == {"amount": 1280, "currency": "JPY"}
    assert paid["miles_earned"] == 6  # 1 mile per 200 JPY, rounded down
    summary = parties.wallet_summary(core, wallet["wallet_id"])
    assert summary["balance"]["amount"] == 3720 and summary["miles"] == 6
    assert payments.get_request(core, req["id"])["status"] == "paid"
    assert audit(core)["ok"]


def test_a_second_payment_of_a_paid_request_is_refused(core, shop):
    a, b = yen_wallet(core), yen_wallet(core)
    req = _request(core, shop)
    payments.pay(core, wallet_id=a["wallet_id"], payload=req["payload"])
    with pytest.raises(RequestAlreadyPaid):
        payments.pay(core, wallet_id=b["wallet_id"], payload=req["payload"])
    assert parties.wallet_summary(core, b["wallet_id"])["balance"]["amount"] == 10_000


def test_a_scan_of_a_paid_request_is_refused(core, shop):
    wallet = yen_wallet(core)
    req = _request(core, shop)
    payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"])
    with pytest.raises(RequestAlreadyPaid):
        payments.scan(core, wallet_id=wallet["wallet_id"], payload=req["payload"])


def test_scanning_shows_the_payee_and_marks_the_customer_confirming(core, shop):
    wallet = yen_wallet(core)
    req = _request(core, shop)
    scanned = payments.scan(core, wallet_id=wallet["wallet_id"], payload=req["payload"])
    assert scanned["status"] == "customer_confirming"
    assert scanned["payee"]["name_local"] == "渋谷ラーメン" and scanned["quote"] is None


def test_an_expired_request_cannot_be_paid_and_the_sweeper_closes_it(core, shop, clock):
    wallet = yen_wallet(core)
    req = _request(core, shop, expires_in=60)
    clock.advance(60)
    with pytest.raises(RequestExpired):
        payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"])
    assert payments.expire_due(core) == 1
    assert payments.get_request(core, req["id"])["status"] == "expired"
    assert payments.expire_due(core) == 0
    with pytest.raises(RequestExpired):
        payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"])
    assert parties.wallet_summary(core, wallet["wallet_id"])["balance"]["amount"] == 10_000


def test_a_request_one_second_before_expiry_can_still_be_paid(core, shop, clock):
    wallet = yen_wallet(core)
    req = _request(core, shop, expires_in=60)
    clock.advance(59)
    assert payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"])["status"] == "paid"


def test_a_cancelled_request_cannot_be_paid(core, shop):
    wallet = yen_wallet(core)
    req = _request(core, shop)
    payments.cancel_request(core, merchant_id=shop["merchant_id"], request_id=req["id"])
    with pytest.raises(RequestCancelled):
        payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"])


def test_a_paid_request_cannot_be_cancelled(core, shop):
    wallet = yen_wallet(core)
    req = _request(core, shop)
    payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"])
    with pytest.raises(RequestAlreadyPaid):
        payments.cancel_request(core, merchant_id=shop["merchant_id"], request_id=req["id"])


def test_another_merchant_cannot_see_or_cancel_a_request(core, shop):
    other = ramen_shop(core, name="Other Shop")
    req = _request(core, shop)
    with pytest.raises(NotFound):
        payments.get_request(core, req["id"], merchant_id=other["merchant_id"])
    with pytest.raises(NotFound):
        payments.cancel_request(core, merchant_id=other["merchant_id"], request_id=req["id"])


def test_a_wallet_without_enough_money_is_declined_and_the_request_stays_open(core, shop):
    wallet = yen_wallet(core, balance=1000)
    req = _request(core, shop)
    with pytest.raises(InsufficientFunds):
        payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"])
    assert payments.get_request(core, req["id"])["status"] == "awaiting_payment"
    payments.pay(core, wallet_id=yen_wallet(core)["wallet_id"], payload=req["payload"])


@pytest.mark.parametrize("field,value", [("amount_minor", 1), ("currency", "USD"), ("merchant_id", "m_EVIL"),
                                         ("request_id", "pr_OTHER"), ("expires_at", 4102444800)])
def test_a_payload_with_an_altered_field_is_refused(core, shop, field, value):
    wallet = yen_wallet(core)
    req = _request(core, shop)
    fields = codec.read_signed_request(req["payload"], core.keyring.keys)
    forged_fields = dataclasses.replace(fields, **{field: value})
    forged = codec.build_signed_request(forged_fields, key_id=next(iter(core.keyring.keys)), secret=b"not the key")
    with pytest.raises(PayloadError) as error:
        payments.pay(core, wallet_id=wallet["wallet_id"], payload=forged)
    assert error.value.code == "PAYLOAD_SIGNATURE_INVALID"
    assert parties.wallet_summary(core, wallet["wallet_id"])["balance"]["amount"] == 10_000


def test_a_retry_with_the_same_key_returns_the_first_payment_and_charges_once(core, shop):
    wallet = yen_wallet(core)
    req = _request(core, shop)
    first = payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"], idempotency_key="k-1")
    again = payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"], idempotency_key="k-1")
    assert again == first
    assert parties.wallet_summary(core, wallet["wallet_id"])["balance"]["amount"] == 10_000 - 1280


def test_the_same_key_with_a_different_body_is_refused(core, shop):
    wallet = yen_wallet(core)
    req1, req2 = _request(core, shop), _request(core, shop)
    payments.pay(core, wallet_id=wallet["wallet_id"], payload=req1["payload"], idempotency_key="k-1")
    with pytest.raises(IdempotencyKeyReused):
        payments.pay(core, wallet_id=wallet["wallet_id"], payload=req2["payload"], idempotency_key="k-1")
    assert payments.get_request(core, req2["id"])["status"] == "awaiting_payment"


def test_creating_a_request_twice_with_one_key_creates_one_request(core, shop):
    a = _request(core, shop, idempotency_key="till-1-sale-9")
    b = _request(core, shop, idempotency_key="till-1-sale-9")
    assert a == b


@pytest.mark.parametrize("amount", [0, -5, 1.5, "100", True, 10**13])
def test_bad_amounts_are_refused(core, shop, amount):
    with pytest.raises(InvalidAmount):
        _request(core, shop, amount=amount)


def test_a_price_in_another_currency_than_the_merchants_is_refused(core, shop):
    with pytest.raises(CurrencyMismatch):
        payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"], amount=5,
                                currency="USD")


def test_a_static_code_lets_the_payer_enter_the_amount(core, shop):
    wallet = yen_wallet(core)
    code = payments.static_code(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"])
    assert codec.inspect_payload(code["payload"])["fields"]["initiation"] == "static"
    with pytest.raises(InvalidAmount):
        payments.pay(core, wallet_id=wallet["wallet_id"], payload=code["payload"])
    first = payments.pay(core, wallet_id=wallet["wallet_id"], payload=code["payload"], amount=700)
    second = payments.pay(core, wallet_id=wallet["wallet_id"], payload=code["payload"], amount=300)
    assert first["request_id"] != second["request_id"]
    assert parties.wallet_summary(core, wallet["wallet_id"])["balance"]["amount"] == 9000
    assert audit(core)["ok"]


def test_garbage_is_refused_as_a_payload_error(core, shop):
    wallet = yen_wallet(core)
    for junk in ["", "hello", "0" * 10_000, "000201"]:
        with pytest.raises(PayloadError):
            payments.pay(core, wallet_id=wallet["wallet_id"], payload=junk)


def test_each_terminal_has_its_own_request_lifetime(core, shop):
    till = parties.create_terminal(core, merchant_id=shop["merchant_id"], label="Till 2", request_ttl_seconds=120)
    req = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=till["terminal_id"],
                                  amount=500, currency="JPY")
    assert req["expires_at"] == "2026-01-01T00:02:00Z" and req["terminal_id"] == till["terminal_id"]
    who = parties.authenticate_api_key(core, till["api_key"])
    assert (who["merchant_id"], who["terminal_id"]) == (shop["merchant_id"], till["terminal_id"])


def test_a_rotated_key_stops_working_and_the_new_one_works(core, shop):
    from pos.core.errors import Unauthorized

    old = parties.authenticate_api_key(core, shop["api_key"])
    rotated = parties.rotate_api_key(core, terminal_id=shop["terminal_id"])
    assert rotated["revoked_keys"] == 1
    with pytest.raises(Unauthorized):
        parties.authenticate_api_key(core, shop["api_key"])
    assert not parties.api_key_is_active(core, old["key_id"])
    assert parties.authenticate_api_key(core, rotated["api_key"])["terminal_id"] == shop["terminal_id"]


def test_after_a_signing_key_rotation_old_and_new_codes_both_verify_everywhere(core, shop, db_url, clock):
    from pos.core.bootstrap import open_core
    from pos.core.platform.keys import rotate_signing_key

    other_process = open_core(db_url, clock=clock, prepare_db=False)
    before = _request(core, shop)
    assert other_process.keyring.keys  # it has loaded the keys of the day
    rotated = rotate_signing_key(core)
    core.keyring.refresh()
    after = _request(core, shop)
    assert codec.inspect_payload(after["payload"])["fields"]["unreserved"]["80"]["03"] == rotated["key_id"]
    wallet = yen_wallet(core)
    for req in (before, after):
        assert payments.pay(other_process, wallet_id=wallet["wallet_id"], payload=req["payload"])["status"] == "paid"
    other_process.db.dispose()
