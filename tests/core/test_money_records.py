"""What a payment leaves behind, exactly: its public shapes, its ledger postings leg by leg, its journal
records and its events. One tourist payment (yuan and miles, with a fee) and its full refund carry
every kind of posting; the other tests pin the shapes the API, the CLI and the wallet read.
"""

import hashlib
import json
import re

import pytest
from sqlalchemy import select

from pos.core import codec, parties, payments
from pos.core.ledger.verify import audit
from pos.core.reports import request_events
from pos.core.store.schema import journal, payment_requests, transactions

from .worlds import jpy_cny_rate, ramen_shop, yen_wallet, yuan_wallet

ID = {prefix: re.compile(rf"{prefix}_[0-9A-Za-z]{{16}}") for prefix in ("pay", "pr", "re", "qt", "tx", "lnk")}


@pytest.fixture
def shop(core):
    return ramen_shop(core, fee_rate_bp=100)


def _request(core, shop, amount=1280, **kw):
    return payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                   amount=amount, currency="JPY", **kw)


def _payee(shop):
    return {"merchant_id": shop["merchant_id"], "name": "Shibuya Ramen", "name_local": "渋谷ラーメン", "city": "Tokyo",
            "city_local": "東京", "country": "JP", "mcc": "5812"}


def _journal(core, kind):
    with core.db.read() as conn:
        return [json.loads(body) for body in conn.execute(select(journal.c.body).where(journal.c.kind == kind))
                .scalars()]


def _postings(core, body):
    """The journal's transactions, each checked against the transactions table, as comparable tuples."""
    with core.db.read() as conn:
        rows = {r.id: r for r in conn.execute(select(transactions))}
    out = []
    for tx in body["transactions"]:
        row = rows[tx["id"]]
        assert ID["tx"].fullmatch(tx["id"]) and (row.link_id is None or ID["lnk"].fullmatch(row.link_id))
        assert (row.kind, row.currency) == (tx["kind"], tx["currency"])
        out.append((tx["kind"], tx["currency"], sorted(map(tuple, tx["legs"])), row.payment_id, row.refund_id,
                    row.link_id))
    return out


def _accounts(shop, wallet):
    m, w = shop["merchant_id"], wallet["wallet_id"]
    return {"merchant": f"merchant:{m}", "cash": f"wallet:{w}:cash", "miles": f"wallet:{w}:miles",
            "fees": "platform:fees:JPY", "fx_jpy": "platform:fx:JPY", "fx_cny": "platform:fx:CNY",
            "funding": "platform:miles_funding:JPY", "issuance": "platform:miles_issuance:MILES"}


def test_a_tourist_payment_with_miles_and_its_refund_post_exactly_these_legs(core, shop):
    jpy_cny_rate(core)
    tourist = yuan_wallet(core, miles=500)
    a = _accounts(shop, tourist)
    req = _request(core, shop)
    paid = payments.pay(core, wallet_id=tourist["wallet_id"], payload=req["payload"], miles=280)
    [settled] = _journal(core, "payment.settled")
    assert (settled["payment"], settled["request"]) == (paid["id"], req["id"])
    posted = _postings(core, settled)
    link = posted[0][5]
    assert link is not None
    pay_id = paid["id"]
    assert posted == [  # 1,000 JPY in cash = 4,893 fen; 280 miles; 1 % fee on 1,280; 5 miles earned on 1,000
        ("fx_in", "CNY", sorted([(a["cash"], -4893), (a["fx_cny"], 4893)]), pay_id, None, link),
        ("miles_redeem", "MILES", sorted([(a["miles"], -280), (a["issuance"], 280)]), pay_id, None, None),
        ("payment", "JPY", sorted([(a["merchant"], 1268), (a["fees"], 12), (a["fx_jpy"], -1000),
                                   (a["funding"], -280)]), pay_id, None, link),
        ("miles_earn", "MILES", sorted([(a["issuance"], -5), (a["miles"], 5)]), pay_id, None, None),
    ]
    back = payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=1280)
    [created] = _journal(core, "refund.created")
    assert (created["refund"], created["payment"]) == (back["id"], paid["id"])
    posted = _postings(core, created)
    link = posted[0][5]
    assert link is not None
    re_id = back["id"]
    assert posted == [
        ("refund", "JPY", sorted([(a["merchant"], -1268), (a["fees"], -12), (a["funding"], 280),
                                  (a["fx_jpy"], 1000)]), pay_id, re_id, link),
        ("fx_out", "CNY", sorted([(a["fx_cny"], -4893), (a["cash"], 4893)]), pay_id, re_id, link),
        ("miles_return", "MILES", sorted([(a["issuance"], -280), (a["miles"], 280)]), pay_id, re_id, None),
        ("miles_clawback", "MILES", sorted([(a["miles"], -5), (a["issuance"], 5)]), pay_id, re_id, None),
    ]
    assert parties.wallet_summary(core, tourist["wallet_id"])["miles"] == 500
    assert audit(core)["ok"]


def test_a_same_currency_payment_posts_one_transaction_and_earns_in_another(core, shop):
    wallet = yen_wallet(core)
    a = _accounts(shop, wallet)
    paid = payments.pay(core, wallet_id=wallet["wallet_id"], payload=_request(core, shop)["payload"])
    [settled] = _journal(core, "payment.settled")
    assert _postings(core, settled) == [
        ("payment", "JPY", sorted([(a["merchant"], 1268), (a["fees"], 12), (a["cash"], -1280)]), paid["id"], None,
         None),
        ("miles_earn", "MILES", sorted([(a["issuance"], -6), (a["miles"], 6)]), paid["id"], None, None),
    ]
    back = payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=640)
    [created] = _journal(core, "refund.created")
    assert _postings(core, created) == [
        ("refund", "JPY", sorted([(a["merchant"], -634), (a["fees"], -6), (a["cash"], 640)]), paid["id"], back["id"],
         None),
        ("miles_clawback", "MILES", sorted([(a["miles"], -3), (a["issuance"], 3)]), paid["id"], back["id"], None),
    ]


def test_a_payment_is_shown_with_every_field_and_read_back_the_same(core, shop, clock):
    jpy_cny_rate(core)
    tourist = yuan_wallet(core, miles=500)
    req = _request(core, shop)
    clock.advance(5)
    quote = payments.scan(core, wallet_id=tourist["wallet_id"], payload=req["payload"])["quote"]
    assert ID["qt"].fullmatch(quote["id"])
    assert quote == {
        "id": quote["id"], "object": "quote", "request_id": req["id"],
        "price": {"amount": 1280, "currency": "JPY"}, "pay": {"amount": 6263, "currency": "CNY"},
        "rate": "0.048923", "spread_bp": 150,
        "created_at": "2026-01-01T00:00:05Z", "expires_at": "2026-01-01T00:01:05Z",
    }
    paid = payments.pay(core, wallet_id=tourist["wallet_id"], payload=req["payload"], quote_id=quote["id"], miles=0)
    assert ID["pay"].fullmatch(paid["id"])
    assert paid == {
        "id": paid["id"], "object": "payment", "request_id": req["id"], "wallet_id": tourist["wallet_id"],
        "merchant_id": shop["merchant_id"], "status": "paid", "amount": 1280, "currency": "JPY",
        "charged": {"amount": 6263, "currency": "CNY"}, "cash": {"amount": 1280, "currency": "JPY"},
        "miles_used": 0, "miles_earned": 6, "fee": {"amount": 12, "currency": "JPY"},
        "refunded": {"amount": 0, "currency": "JPY"}, "quote_id": quote["id"],
        "created_at": "2026-01-01T00:00:05Z", "payee": _payee(shop),
    }
    assert payments.get_payment(core, paid["id"]) == paid
    events = request_events(core, request_id=req["id"], merchant_id=shop["merchant_id"])["events"]
    by_type = {e["type"]: e for _, e in events}
    assert by_type["payment_request.paid"]["data"] == {"id": req["id"], "status": "paid", "payment_id": paid["id"]}
    assert by_type["payment_request.paid"]["payment_id"] == paid["id"]
    assert by_type["payment.succeeded"]["data"] == paid
    assert by_type["payment.succeeded"]["payment_id"] == paid["id"]


def test_a_refund_is_shown_with_every_field_and_listed_in_order(core, shop, clock):
    jpy_cny_rate(core)
    tourist = yuan_wallet(core)
    req = _request(core, shop)
    paid = payments.pay(core, wallet_id=tourist["wallet_id"], payload=req["payload"])
    clock.advance(10)
    first = payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=500)
    assert ID["re"].fullmatch(first["id"])
    payment_after = {**paid, "status": "partially_refunded", "refunded": {"amount": 500, "currency": "JPY"}}
    del payment_after["payee"]
    assert first == {
        "id": first["id"], "object": "refund", "payment_id": paid["id"], "status": "succeeded", "amount": 500,
        "currency": "JPY", "cash_back": {"amount": 2446, "currency": "CNY"}, "miles_back": 0, "miles_clawed": 2,
        "miles_claw_shortfall": 0, "fee_back": {"amount": 4, "currency": "JPY"}, "approved_by": None,
        "created_at": "2026-01-01T00:00:10Z", "payment": payment_after,
    }
    with core.db.read() as conn:  # the request records when it last changed
        changed = conn.execute(select(payment_requests.c.updated_at).where(payment_requests.c.id == req["id"]))
        assert changed.scalar_one() == clock.now_us()
    clock.advance(10)
    second = payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=780)
    assert second["payment"]["status"] == "refunded" and second["created_at"] == "2026-01-01T00:00:20Z"
    listed = payments.list_refunds(core, paid["id"], merchant_id=shop["merchant_id"])
    assert listed == [{k: v for k, v in r.items() if k != "payment"} for r in (first, second)]
    assert payments.get_request(core, req["id"])["status"] == "refunded"
    [event] = [e for _, e in request_events(core, request_id=req["id"], merchant_id=shop["merchant_id"])["events"]
               if e["type"] == "refund.succeeded" and e["data"]["id"] == first["id"]]
    assert event["data"] == first and event["payment_id"] == paid["id"]
    other = ramen_shop(core, name="Other Shop")
    with pytest.raises(Exception) as error:
        payments.list_refunds(core, paid["id"], merchant_id=other["merchant_id"])
    assert error.value.code == "PAYMENT_NOT_FOUND"


def test_a_payment_to_a_static_code_opens_a_request_of_its_own(core, shop, clock):
    wallet = yen_wallet(core)
    code = payments.static_code(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"])
    reference = codec.read_signed_request(code["payload"], core.keyring.keys).request_id
    paid = payments.pay(core, wallet_id=wallet["wallet_id"], payload=code["payload"], amount=700)
    assert ID["pr"].fullmatch(paid["request_id"])
    assert payments.get_request(core, paid["request_id"]) == {
        "id": paid["request_id"], "object": "payment_request", "kind": "static", "status": "paid", "amount": 700,
        "currency": "JPY", "reference": reference, "merchant_id": shop["merchant_id"],
        "terminal_id": shop["terminal_id"], "payload": None, "created_at": "2026-01-01T00:00:00Z",
        "expires_at": "2026-01-01T00:01:00Z", "payee": _payee(shop),
    }


def test_a_payment_code_and_its_charge_are_shown_and_journaled_without_the_code(core, shop):
    wallet = yen_wallet(core)
    issued = payments.create_payment_code(core, wallet_id=wallet["wallet_id"])
    code = issued["code"]
    assert re.fullmatch(r"99\d{18}", code)
    assert issued == {"object": "payment_code", "code": code, "wallet_id": wallet["wallet_id"],
                      "expires_at": "2026-01-01T00:01:00Z"}
    assert _journal(core, "payment_code.issued") == [
        {"wallet": wallet["wallet_id"], "code_sha256": hashlib.sha256(code.encode()).hexdigest()}]
    charged = payments.charge(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"], code=code,
                              amount=800, currency="JPY", reference="T-9")
    assert ID["pr"].fullmatch(charged["request_id"]) and charged["charged"] == {"amount": 800, "currency": "JPY"}
    assert charged["wallet_id"] == wallet["wallet_id"] and charged["payee"] == _payee(shop)
    request = payments.get_request(core, charged["request_id"])
    shown = ("kind", "status", "amount", "reference", "terminal_id", "payload", "expires_at")
    assert {k: request[k] for k in shown} == {
        "kind": "presented", "status": "paid", "amount": 800, "reference": "T-9", "terminal_id": shop["terminal_id"],
        "payload": None, "expires_at": "2026-01-01T00:01:00Z"}
    with core.db.read() as conn:
        assert conn.execute(select(payment_requests.c.id)).scalars().all() == [charged["request_id"]]


def test_a_charge_retried_with_its_key_is_charged_once_and_a_changed_charge_is_refused(core, shop):
    wallet = yen_wallet(core)
    code = payments.create_payment_code(core, wallet_id=wallet["wallet_id"])["code"]
    args = dict(merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"], code=code, currency="JPY",
                reference="T-1", idempotency_key="till-1-sale-1")
    first = payments.charge(core, amount=800, **args)
    assert payments.charge(core, amount=800, **args) == first
    for change in ({"amount": 801}, {"reference": "T-2"}):
        with pytest.raises(Exception) as error:
            payments.charge(core, **{**args, "amount": 800, **change})
        assert error.value.code == "IDEMPOTENCY_KEY_REUSED"
    assert parties.wallet_summary(core, wallet["wallet_id"])["balance"]["amount"] == 10_000 - 800


def test_a_rate_set_is_journaled_and_answered_as_set(core):
    assert payments.set_rate(core, base="JPY", quote="CNY", rate="0.0482", spread_bp=150) == {
        "base": "JPY", "quote": "CNY", "rate": "0.0482", "spread_bp": 150}
    payments.set_rate(core, base="CNY", quote="JPY", rate="20.7")  # replaces the pair, both ways
    assert _journal(core, "fx.rate_set") == [
        {"base": "JPY", "quote": "CNY", "rate": "0.0482", "spread_bp": 150},
        {"base": "CNY", "quote": "JPY", "rate": "20.7", "spread_bp": 0},
    ]
    tourist = yuan_wallet(core)
    assert payments.quote(core, wallet_id=tourist["wallet_id"], amount=1000, currency="JPY")["pay"]["amount"] == 4831


def test_a_free_standing_quote_has_no_request_and_a_same_currency_quote_is_none(core):
    jpy_cny_rate(core, spread_bp=0)
    tourist, local = yuan_wallet(core), yen_wallet(core)
    q = payments.quote(core, wallet_id=tourist["wallet_id"], amount=1000, currency="JPY")
    assert (q["request_id"], q["pay"], q["rate"], q["spread_bp"]) == (None, {"amount": 4820, "currency": "CNY"},
                                                                      "0.0482", 0)
    assert payments.quote(core, wallet_id=local["wallet_id"], amount=1000, currency="JPY") is None


def test_refunds_are_listed_by_their_time_even_when_written_out_of_order(core, shop, clock):
    """Two servers with skewed clocks: the list follows the refunds' times, not the order of writing."""
    wallet = yen_wallet(core)
    paid = payments.pay(core, wallet_id=wallet["wallet_id"], payload=_request(core, shop)["payload"])
    clock.advance(20)
    late = payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=100)
    clock.advance(-10)
    early = payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=200)
    assert [r["id"] for r in payments.list_refunds(core, paid["id"])] == [early["id"], late["id"]]
