"""Scanning and paying on the phone wallet through Flask's test client: what a code is, the confirmation
(payee, price, charge, rate, quote, miles), paying exactly once, and every refusal in three languages."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from pos import qrimage
from pos.core import parties, payments
from pos.core.codec.crc import crc16
from tests.core.codec.vectors import REAL_WORLD
from tests.web.conftest import create_request
from tests.web.test_phone_sign_in import csrf, log_in, tourist  # noqa: F401  (a fixture)

PIX = next(payload for scheme, payload, _ in REAL_WORLD if scheme == "pix")


def scan(client, text, lang=None):
    if lang:
        client.get(f"/wallet/scan?lang={lang}")
    return client.post("/wallet/scan", json={"text": text}, headers=csrf(client))


def pay(client, payload, quote_id=None, miles=0, key="attempt-1"):
    return client.post("/wallet/pay", json={"payload": payload, "quote_id": quote_id, "miles": miles},
                       headers={**csrf(client), "Idempotency-Key": key})


def error(response):
    return response.get_json()["error"]


@pytest.mark.parametrize("lang, words", [("en", "Take a photo of the code"), ("ja", "お店のQRコードを読み取る"),
                                         ("zh_Hans", "扫描商家二维码")])
def test_the_scan_page_has_the_camera_and_the_photo_fallback_in_each_language(tourist, lang, words):  # noqa: F811
    page = tourist.get(f"/wallet/scan?lang={lang}")
    assert page.status_code == 200 and words in page.text and "<script>" not in page.text
    assert '<video id="camera" playsinline muted autoplay>' in page.text
    assert 'type="file" accept="image/*" capture="environment"' in page.text


@pytest.mark.parametrize("lang, payee, price, charge, rate", [
    ("en", "Shibuya Ramen", "¥1,280", "CN¥62.63", "1 JPY = 0.048923 CNY"),
    ("ja", "渋谷ラーメン", "￥1,280", "元62.63", "1 JPY = 0.048923 CNY"),
    ("zh_Hans", "渋谷ラーメン", "JP¥1,280", "¥62.63", "1 JPY = 0.048923 CNY"),
])
def test_a_scanned_request_is_confirmed_with_the_payee_price_charge_rate_and_quote(tourist, world, lang, payee,  # noqa: F811
                                                                                 price, charge, rate):
    req = create_request(world.merchant, amount=1280)
    answer = scan(tourist, req["payload"], lang)
    assert answer.status_code == 200
    data = answer.get_json()
    assert data["kind"] == "payment" and data["request_id"] == req["id"] and data["quote_seconds"] == 60.0
    html = data["html"]
    assert f'<h1 id="payee-name">{payee}</h1>' in html
    assert f'<dd id="price">{price}</dd>' in html and charge in html and rate in html
    assert world.merchant.get(f"/api/v1/payment-requests/{req['id']}").get_json()["status"] == "customer_confirming"


def test_paying_in_cny_takes_the_quoted_charge_once_whatever_the_retries(tourist, world, core):  # noqa: F811
    req = create_request(world.merchant, amount=1280)
    quote_id = scan(tourist, req["payload"]).get_json()["quote_id"]
    first = pay(tourist, req["payload"], quote_id, key="k-1")
    assert first.status_code == 201, first.get_json()
    payment = first.get_json()["payment"]
    assert payment["charged"] == {"amount": 6263, "currency": "CNY"} and payment["miles_earned"] == 6
    again = pay(tourist, req["payload"], quote_id, key="k-1")  # the answer was lost: the page retries
    assert again.status_code == 201 and again.get_json()["payment"]["id"] == payment["id"]
    assert parties.wallet_summary(core, world.li["wallet_id"])["balance"]["amount"] == 100_000 - 6263
    assert "CN¥62.63" in first.get_json()["html"]
    assert world.merchant.get(f"/api/v1/payment-requests/{req['id']}").get_json()["status"] == "paid"
    receipt = tourist.get(first.get_json()["receipt_url"])
    assert receipt.status_code == 200 and "CN¥62.63" in receipt.text and "1 JPY = 0.048923 CNY" in receipt.text


def test_miles_and_cash_are_offered_for_a_yen_price_and_pay_as_shown(client, core, world):
    wallet_id = parties.create_wallet(core, owner="Miles", currency="JPY", pin="4321", balance=5000,
                                      miles=300)["wallet_id"]
    assert log_in(client, wallet_id, "4321").status_code == 303
    req = create_request(world.merchant, amount=1000)
    html = scan(client, req["payload"]).get_json()["html"]
    assert 'value="cash" data-miles="0"' in html and 'value="both" data-miles="300"' in html
    assert "300 miles + ¥700" in html and 'value="miles"' not in html  # 300 miles cannot pay ¥1,000 alone
    paid = pay(client, req["payload"], None, miles=300).get_json()["payment"]
    assert paid["miles_used"] == 300 and paid["charged"] == {"amount": 700, "currency": "JPY"}


def test_enough_miles_pay_a_yen_price_entirely(client, core, world):
    wallet_id = parties.create_wallet(core, owner="Flyer", currency="JPY", pin="4321", miles=5000)["wallet_id"]
    log_in(client, wallet_id, "4321")
    req = create_request(world.merchant, amount=1000)
    html = scan(client, req["payload"]).get_json()["html"]
    assert 'value="miles" data-miles="1000"' in html and "Earns no miles" in html
    assert pay(client, req["payload"], miles=1000).get_json()["payment"]["charged"]["amount"] == 0


@pytest.mark.parametrize("text, words", [
    ("https://qr.alipay.com/bax08431xdp9fxl1nmfo6083", "that is an Alipay code"),
    ("wxp://f2f0abcdef", "that is a WeChat Pay code"),
    (PIX, "that is a Pix code (Brazil)"),
    ("https://example.com/menu", "that is a web link"),
    ("hello", "that is a QR code that is not a payment code"),
    ("99" + "1" * 18, "own payment code"),
])
def test_other_codes_are_named_and_change_nothing(tourist, text, words):  # noqa: F811
    answer = scan(tourist, text)
    assert answer.status_code == 200
    assert answer.get_json()["kind"] == "other" and words in answer.get_json()["message"]


@pytest.mark.parametrize("lang, words", [("ja", "Alipay（支付宝）のコード"), ("zh_Hans", "支付宝二维码")])
def test_other_codes_are_named_in_the_readers_language(tourist, lang, words):  # noqa: F811
    assert words in scan(tourist, "https://qr.alipay.com/bax08431", lang).get_json()["message"]


def _tampered(payload: str) -> str:
    body = payload[:-4].replace("54041280", "54040128")  # the amount, 1280 -> 128, with a CRC that fits
    return body + crc16(body)


REFUSALS = {
    "tampered": ("PAYLOAD_SIGNATURE_INVALID", "altered or damaged", "改ざん", "篡改"),
    "expired": ("REQUEST_EXPIRED", "has expired", "有効期限", "已过期"),
    "paid": ("REQUEST_ALREADY_PAID", "already been paid", "支払い済み", "已支付"),
    "cancelled": ("REQUEST_CANCELLED", "stopped this payment", "取り消しました", "已取消"),
}


@pytest.mark.parametrize("lang_index, lang", [(1, "en"), (2, "ja"), (3, "zh_Hans")])
@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_code_that_cannot_be_paid_is_refused_at_the_scan_with_a_clear_message(tourist, world, clock, case,  # noqa: F811
                                                                                lang_index, lang):
    req = create_request(world.merchant, amount=1280)
    payload = req["payload"]
    if case == "tampered":
        payload = _tampered(payload)
    elif case == "expired":
        clock.advance(301)
    elif case == "paid":
        world.tourist.post("/api/v1/payments", json={"payload": payload})
    elif case == "cancelled":
        world.merchant.post(f"/api/v1/payment-requests/{req['id']}/cancel")
    answer = scan(tourist, payload, lang)
    assert answer.status_code in (409, 422)
    assert error(answer)["code"] == REFUSALS[case][0] and REFUSALS[case][lang_index] in error(answer)["message"]


@pytest.mark.parametrize("lang, words", [("en", "rate quote ran out"), ("ja", "有効期限が切れました"),
                                         ("zh_Hans", "汇率报价已过期")])
def test_a_stale_quote_is_refused_and_a_new_scan_gives_a_fresh_one(tourist, world, clock, lang, words):  # noqa: F811
    req = create_request(world.merchant, amount=1280)
    quote_id = scan(tourist, req["payload"], lang).get_json()["quote_id"]
    clock.advance(61)
    refused = pay(tourist, req["payload"], quote_id)
    assert refused.status_code == 409 and error(refused)["code"] == "QUOTE_EXPIRED"
    assert words in error(refused)["message"]
    fresh = scan(tourist, req["payload"]).get_json()["quote_id"]
    assert fresh != quote_id and pay(tourist, req["payload"], fresh, key="attempt-2").status_code == 201


@pytest.mark.parametrize("lang, words", [("en", "not enough money"), ("ja", "残高が足りません"),
                                         ("zh_Hans", "余额不足")])
def test_a_wallet_without_enough_money_is_refused_and_nothing_moves(tourist, world, core, lang, words):  # noqa: F811
    req = create_request(world.merchant, amount=3_000_000)
    quote_id = scan(tourist, req["payload"], lang).get_json()["quote_id"]
    refused = pay(tourist, req["payload"], quote_id)
    assert refused.status_code == 402 and error(refused)["code"] == "INSUFFICIENT_FUNDS"
    assert words in error(refused)["message"]
    assert parties.wallet_summary(core, world.li["wallet_id"])["balance"]["amount"] == 100_000


def test_miles_for_a_price_in_another_currency_are_refused(tourist, core, world):  # noqa: F811
    req = payments.create_request(core, merchant_id=world.shop["merchant_id"], terminal_id=world.shop["terminal_id"],
                                  amount=1280, currency="JPY")
    quote_id = scan(tourist, req["payload"]).get_json()["quote_id"]
    refused = pay(tourist, req["payload"], quote_id, miles=100)
    assert error(refused)["code"] == "INSUFFICIENT_MILES" and "not enough miles" in error(refused)["message"]


def test_a_photo_of_the_code_is_read_on_the_server(tourist, world):  # noqa: F811
    req = create_request(world.merchant, amount=1280)
    photo = io.BytesIO(qrimage.render_png(req["payload"], scale=6))
    answer = tourist.post("/wallet/photo", data={"photo": (photo, "code.png")}, headers=csrf(tourist),
                          content_type="multipart/form-data")
    assert answer.status_code == 200 and answer.get_json()["request_id"] == req["id"]


@pytest.mark.parametrize("lang, words", [("en", "No QR code could be read"), ("ja", "読み取れませんでした"),
                                         ("zh_Hans", "无法从照片中识别二维码")])
def test_a_photo_without_a_code_or_a_file_that_is_no_picture_is_refused(tourist, lang, words):  # noqa: F811
    blank = io.BytesIO()
    Image.new("L", (200, 200), 255).save(blank, "PNG")
    tourist.get(f"/wallet/scan?lang={lang}")
    answer = tourist.post("/wallet/photo", data={"photo": (io.BytesIO(blank.getvalue()), "blank.png")},
                          headers=csrf(tourist), content_type="multipart/form-data")
    assert answer.status_code == 422 and words in error(answer)["message"]
    junk = tourist.post("/wallet/photo", data={"photo": (io.BytesIO(b"not a picture"), "x.png")},
                        headers=csrf(tourist), content_type="multipart/form-data")
    assert error(junk)["code"] == "NOT_AN_IMAGE"
    dot = io.BytesIO()
    Image.new("RGB", (1, 1)).save(dot, "PNG")  # a picture, but too small to hold a code
    tiny = tourist.post("/wallet/photo", data={"photo": (io.BytesIO(dot.getvalue()), "dot.png")},
                        headers=csrf(tourist), content_type="multipart/form-data")
    assert tiny.status_code == 422 and words in error(tiny)["message"]


def test_bad_bodies_and_missing_csrf_tokens_change_nothing(tourist, world):  # noqa: F811
    req = create_request(world.merchant, amount=1280)
    assert tourist.post("/wallet/scan", json={"text": req["payload"]},
                        headers={"Accept": "application/json"}).status_code == 400  # no CSRF token
    assert error(tourist.post("/wallet/scan", data="nope", headers=csrf(tourist)))["code"] == "INVALID_JSON"
    assert error(tourist.post("/wallet/pay", json=[1], headers=csrf(tourist)))["code"] == "INVALID_JSON"
    assert scan(tourist, "x" * 5000).get_json()["kind"] == "other"
    assert world.merchant.get(f"/api/v1/payment-requests/{req['id']}").get_json()["status"] == "awaiting_payment"
