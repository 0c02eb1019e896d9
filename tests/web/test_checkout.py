"""The till's checkout through Flask's test client: a cashier rings up a sale, charges it with a QR,
the wallet pays it through the API, the till and the display see it; stop, expiry and a new code."""

from __future__ import annotations

import re

import pytest

from pos import qrimage
from tests.web.conftest import till_staff

TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


@pytest.fixture
def till(client, world, core):
    till_staff(core, world.shop)
    page = client.get("/terminal/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post("/terminal/login", data={"terminal": world.shop["terminal_id"], "staff": "Yuki",
                                                    "pin": "1111", "csrf_token": token})
    assert response.headers["Location"] == "/terminal/checkout"
    return client


def csrf(client) -> dict:
    return {"X-CSRFToken": TOKEN.search(client.get("/terminal/checkout").text).group(1)}


def charge(client, body):
    response = client.post("/terminal/sales", json=body, headers=csrf(client))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.mark.parametrize("lang, words", [("en", "Charge with QR"), ("ja", "QR"), ("zh_Hans", "二维码")])
def test_the_checkout_page_is_served_in_each_language(till, lang, words):
    page = till.get(f"/terminal/checkout?lang={lang}")
    assert page.status_code == 200 and words in page.text and f'lang="{lang.replace("_", "-")}"' in page.text
    assert "<script>" not in page.text  # no inline script: the CSP forbids it
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_a_keyed_amount_is_charged_with_a_signed_qr_that_a_wallet_pays(till, world):
    data = charge(till, {"amount": 1280})
    req = data["request"]
    assert req["amount"] == 1280 and req["currency"] == "JPY" and req["reference"] == data["sale"]["id"]
    assert data["qr_svg"].startswith("<svg") and "crispEdges" in data["qr_svg"]
    assert qrimage.decode(qrimage.render_png(req["payload"])) == [req["payload"]]
    paid = world.wallet.post("/api/v1/payments", json={"payload": req["payload"]},
                             headers={"Idempotency-Key": "till-1"})
    assert paid.status_code == 201, paid.get_json()
    assert till.get(f"/terminal/requests/{req['id']}").get_json()["status"] == "paid"
    stream = till.get(f"/terminal/requests/{req['id']}/events")
    text = stream.get_data(as_text=True)
    assert "event: payment_request.created" in text and "event: payment.succeeded" in text


def test_a_stopped_code_cannot_be_paid_and_a_new_one_is_made_for_the_same_cart(till, world):
    data = charge(till, {"amount": 500})
    req = data["request"]
    stopped = till.post(f"/terminal/requests/{req['id']}/cancel", headers=csrf(till))
    assert stopped.get_json()["status"] == "cancelled"
    refused = world.wallet.post("/api/v1/payments", json={"payload": req["payload"]})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "REQUEST_CANCELLED"
    again = till.post(f"/terminal/sales/{data['sale']['id']}/charge", headers=csrf(till)).get_json()
    assert again["request"]["id"] != req["id"] and again["request"]["reference"] == data["sale"]["id"]


def test_the_display_follows_the_till(till, world):
    req = charge(till, {"amount": 700})["request"]
    state = till.get("/terminal/display/state").get_json()
    assert state["open_request_id"] == req["id"] and state["qr_svg"].startswith("<svg")
    assert world.tourist.post("/api/v1/scans", json={"payload": req["payload"]}).status_code == 200
    cursor = state["cursor"] - 1  # the display starts before the request was created
    feed = till.get(f"/terminal/display/events?after={cursor}").get_data(as_text=True)
    assert "payment_request.created" in feed and '"wallet_currency":"CNY"' in feed.replace(": ", ":")


def test_a_cart_without_a_csrf_token_or_with_bad_lines_changes_nothing(till, core):
    assert till.post("/terminal/sales", json={"amount": 100}).status_code == 400
    for body in [{"amount": 0}, {"amount": "12"}, {"lines": [{"item_id": "nope", "quantity": 1}]}, {"lines": []}]:
        response = till.post("/terminal/sales", json=body, headers=csrf(till))
        assert response.status_code == 422 and set(response.get_json()) == {"error"}


def test_the_home_page_lists_the_tills_and_links_the_terminal(client, world):
    page = client.get("/")
    assert page.status_code == 200 and "Shibuya Ramen" in page.text and "/terminal/login" in page.text
    assert "http://localhost/wallet/" in page.text and "<svg" in page.text  # a QR of the phone wallet
    assert page.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("lang, text", [("en", "Page not found"), ("ja", "ページ"), ("zh_Hans", "页面")])
def test_a_missing_page_is_a_friendly_page_in_the_ui_language(client, lang, text):
    page = client.get(f"/no/such/page?lang={lang}")
    assert page.status_code == 404 and text in page.text and "Traceback" not in page.text


def test_a_cart_of_catalogue_items_is_priced_on_the_server(till, core):
    page = till.get("/terminal/checkout?lang=ja").text
    assert 'data-item="shoyu-ramen"' in page and "醤油ラーメン" in page
    data = charge(till, {"lines": [{"item_id": "shoyu-ramen", "quantity": 2}, {"item_id": "gyoza", "quantity": 1}],
                         "price": 1})
    assert data["sale"]["total"] == 2 * 980 + 450 == data["request"]["amount"]
    assert [line["names"]["ja"] for line in data["sale"]["lines"]] == ["醤油ラーメン", "焼き餃子（6個）"]
    with till.get("/terminal/catalogue/pictures/ramen/gyoza.svg") as picture:
        assert picture.status_code == 200 and picture.mimetype == "image/svg+xml"
