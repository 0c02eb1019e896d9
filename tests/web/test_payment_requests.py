"""Merchant endpoints for payment requests and charges, and the error paths they share."""

from tests.web.conftest import create_request, error_code


def test_a_merchant_creates_a_request_and_gets_a_signed_payload(world):
    data = create_request(world.merchant, 1200, reference="TABLE-7")
    assert data["status"] == "awaiting_payment"
    assert (data["amount"], data["currency"], data["reference"]) == (1200, "JPY", "TABLE-7")
    assert data["payload"].startswith("000201") and data["expires_at"].endswith("Z")
    again = world.merchant.get(f"/api/v1/payment-requests/{data['id']}")
    assert again.status_code == 200 and again.get_json()["payee"]["name_local"] == "渋谷ラーメン"


def test_responses_are_utf8_json_with_sorted_keys(world):
    data = create_request(world.merchant)
    raw = world.merchant.get(f"/api/v1/payment-requests/{data['id']}").data.decode()
    assert "渋谷ラーメン" in raw and raw.index('"amount"') < raw.index('"currency"') < raw.index('"id"')


def test_a_request_without_credentials_is_401_with_the_error_shape(client):
    response = client.post("/api/v1/payment-requests", json={"amount": 1, "currency": "JPY"})
    assert response.status_code == 401 and error_code(response) == "UNAUTHORIZED"
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_wrong_api_key_is_401_bad_api_key(client):
    response = client.get("/api/v1/payment-requests/pr_X", headers={"Authorization": "Bearer sk_test_nope"})
    assert response.status_code == 401 and error_code(response) == "BAD_API_KEY"


def test_a_wallet_token_is_not_a_merchant_key(world):
    response = world.wallet.post("/api/v1/payment-requests", json={"amount": 1, "currency": "JPY"})
    assert response.status_code == 401


def test_bad_bodies_are_refused_with_4xx_json(world):
    cases = [
        ({"amount": "1200", "currency": "JPY"}, 422, "VALIDATION_ERROR"),
        ({"amount": 12.5, "currency": "JPY"}, 422, "VALIDATION_ERROR"),
        ({"amount": 0, "currency": "JPY"}, 422, "VALIDATION_ERROR"),
        ({"amount": 100, "currency": "JPY", "tip": 5}, 422, "VALIDATION_ERROR"),
        ({"amount": 100, "currency": "CNY"}, 422, "CURRENCY_MISMATCH"),
        ({"amount": 100, "currency": "JPY", "reference": "渋谷"}, 422, "VALIDATION_ERROR"),
        ({"amount": 100, "currency": "JPY", "expires_in": 5}, 422, "VALIDATION_ERROR"),
    ]
    for body, status, code in cases:
        response = world.merchant.post("/api/v1/payment-requests", json=body)
        assert (response.status_code, error_code(response)) == (status, code), body


def test_a_body_that_is_not_json_is_400(world):
    response = world.merchant.post("/api/v1/payment-requests", data=b"\x00{", content_type="application/json")
    assert response.status_code == 400 and error_code(response) == "INVALID_JSON"


def test_an_unknown_path_and_a_wrong_method_are_json_too(client):
    assert error_code(client.get("/api/v1/nothing-here")) == "NOT_FOUND"
    response = client.put("/api/v1/ping")
    assert response.status_code == 405 and error_code(response) == "METHOD_NOT_ALLOWED"


def test_pages_outside_the_api_keep_html_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_another_merchants_request_is_404_not_403(world):
    data = create_request(world.merchant)
    for response in (
        world.other_merchant.get(f"/api/v1/payment-requests/{data['id']}"),
        world.other_merchant.post(f"/api/v1/payment-requests/{data['id']}/cancel"),
        world.other_merchant.get(f"/api/v1/payment-requests/{data['id']}/events"),
    ):
        assert response.status_code == 404 and error_code(response) == "REQUEST_NOT_FOUND"


def test_cancel_then_pay_is_409_request_cancelled(world):
    data = create_request(world.merchant)
    cancelled = world.merchant.post(f"/api/v1/payment-requests/{data['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    again = world.merchant.post(f"/api/v1/payment-requests/{data['id']}/cancel")
    assert again.status_code == 409 and error_code(again) == "REQUEST_CANCELLED"
    paid = world.wallet.post("/api/v1/payments", json={"payload": data["payload"]})
    assert paid.status_code == 409 and error_code(paid) == "REQUEST_CANCELLED"


def test_an_expired_request_cannot_be_scanned(world, clock):
    data = create_request(world.merchant, expires_in=30)
    clock.advance(31)
    response = world.wallet.post("/api/v1/scans", json={"payload": data["payload"]})
    assert response.status_code == 409 and error_code(response) == "REQUEST_EXPIRED"


def test_a_till_charges_a_payment_code_once(world):
    code = world.wallet.post("/api/v1/payment-codes").get_json()["code"]
    charged = world.merchant.post("/api/v1/charges", json={"code": code, "amount": 800, "currency": "JPY"})
    assert charged.status_code == 201 and charged.get_json()["charged"] == {"amount": 800, "currency": "JPY"}
    again = world.merchant.post("/api/v1/charges", json={"code": code, "amount": 800, "currency": "JPY"})
    assert again.status_code == 409 and error_code(again) == "PAYMENT_CODE_USED"
    unknown = world.merchant.post("/api/v1/charges", json={"code": "9900", "amount": 800, "currency": "JPY"})
    assert unknown.status_code == 404 and error_code(unknown) == "PAYMENT_CODE_INVALID"


def test_a_charge_beyond_the_balance_is_402_declined(world):
    code = world.wallet.post("/api/v1/payment-codes").get_json()["code"]
    response = world.merchant.post("/api/v1/charges", json={"code": code, "amount": 50_000, "currency": "JPY"})
    assert response.status_code == 402 and error_code(response) == "INSUFFICIENT_FUNDS"


def test_the_terminal_has_a_static_code(world):
    response = world.merchant.get("/api/v1/static-code")
    assert response.status_code == 200 and response.get_json()["payload"].startswith("000201")
