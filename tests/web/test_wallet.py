"""Wallet endpoints: sign-in, scan, pay (same currency, FX, miles), wallet, payments, payment codes."""

from tests.web.conftest import create_request, error_code


def test_sign_in_with_a_wrong_pin_or_unknown_wallet_is_the_same_401(world, client):
    wrong = client.post("/api/v1/sessions", json={"wallet": world.hanako["wallet_id"], "pin": "9999"})
    unknown = client.post("/api/v1/sessions", json={"wallet": "w_NOPE", "pin": "1234"})
    assert wrong.status_code == unknown.status_code == 401
    assert error_code(wrong) == error_code(unknown) == "BAD_CREDENTIALS"


def test_a_session_expires_and_can_be_signed_out(world, client, clock, core):
    assert world.wallet.get("/api/v1/wallet").status_code == 200
    clock.advance(core.settings.session_ttl_seconds + 1)
    response = world.wallet.get("/api/v1/wallet")
    assert response.status_code == 401 and error_code(response) == "BAD_TOKEN"
    assert world.tourist.delete("/api/v1/sessions/current").status_code == 401  # expired too
    from tests.web.conftest import Api, sign_in

    fresh = Api(client, sign_in(client, world.hanako["wallet_id"], "1234"))
    assert fresh.delete("/api/v1/sessions/current").status_code == 204
    assert fresh.get("/api/v1/wallet").status_code == 401


def test_a_scan_shows_the_payee_in_both_scripts_and_moves_the_request(world):
    request = create_request(world.merchant, 1200)
    scan = world.wallet.post("/api/v1/scans", json={"payload": request["payload"]})
    assert scan.status_code == 200
    data = scan.get_json()
    assert data["status"] == "customer_confirming" and data["quote"] is None
    assert (data["payee"]["name"], data["payee"]["name_local"]) == ("Shibuya Ramen", "渋谷ラーメン")
    status = world.merchant.get(f"/api/v1/payment-requests/{request['id']}").get_json()["status"]
    assert status == "customer_confirming"


def test_a_tourist_pays_in_yuan_at_the_quoted_rate(world):
    request = create_request(world.merchant, 1200)
    quote = world.tourist.post("/api/v1/scans", json={"payload": request["payload"]}).get_json()["quote"]
    assert quote["pay"]["currency"] == "CNY" and quote["price"] == {"amount": 1200, "currency": "JPY"}
    paid = world.tourist.post("/api/v1/payments", json={"payload": request["payload"], "quote_id": quote["id"]})
    assert paid.status_code == 201
    assert paid.get_json()["charged"] == quote["pay"]
    wallet = world.tourist.get("/api/v1/wallet").get_json()
    assert wallet["balance"] == {"amount": 100_000 - quote["pay"]["amount"], "currency": "CNY"}


def test_paying_twice_is_409_already_paid(world):
    request = create_request(world.merchant)
    assert world.wallet.post("/api/v1/payments", json={"payload": request["payload"]}).status_code == 201
    again = world.tourist.post("/api/v1/payments", json={"payload": request["payload"]})
    assert again.status_code == 409 and error_code(again) == "REQUEST_ALREADY_PAID"


def test_a_tampered_payload_is_422(world):
    request = create_request(world.merchant)
    tampered = request["payload"].replace("1200", "1100")
    response = world.wallet.post("/api/v1/scans", json={"payload": tampered})
    assert response.status_code == 422 and error_code(response).startswith("PAYLOAD_")
    garbage = world.wallet.post("/api/v1/payments", json={"payload": "hello"})
    assert garbage.status_code == 422


def test_not_enough_money_or_miles_is_402(world):
    request = create_request(world.merchant, 20_000)
    response = world.wallet.post("/api/v1/payments", json={"payload": request["payload"]})
    assert response.status_code == 402 and error_code(response) == "INSUFFICIENT_FUNDS"
    small = create_request(world.merchant, 500)
    response = world.wallet.post("/api/v1/payments", json={"payload": small["payload"], "miles": 100})
    assert response.status_code == 402 and error_code(response) == "INSUFFICIENT_MILES"


def test_a_static_code_is_paid_with_the_amount_the_payer_enters(world):
    payload = world.merchant.get("/api/v1/static-code").get_json()["payload"]
    scan = world.wallet.post("/api/v1/scans", json={"payload": payload}).get_json()
    assert scan["amount"] is None and scan["object"] == "static_code"
    missing = world.wallet.post("/api/v1/payments", json={"payload": payload})
    assert missing.status_code == 422 and error_code(missing) == "INVALID_AMOUNT"
    paid = world.wallet.post("/api/v1/payments", json={"payload": payload, "amount": 450})
    assert paid.status_code == 201 and paid.get_json()["amount"] == 450


def test_the_wallet_lists_only_its_own_payments(world):
    for amount in (100, 200, 300):
        request = create_request(world.merchant, amount)
        world.wallet.post("/api/v1/payments", json={"payload": request["payload"]})
    theirs = create_request(world.merchant, 400)
    other = world.tourist.post("/api/v1/payments", json={"payload": theirs["payload"]}).get_json()
    page = world.wallet.get("/api/v1/wallet/payments?limit=2").get_json()
    assert len(page["data"]) == 2 and page["has_more"] is True
    rest = world.wallet.get(f"/api/v1/wallet/payments?limit=2&starting_after={page['next_cursor']}").get_json()
    assert len(rest["data"]) == 1 and rest["has_more"] is False
    amounts = sorted(p["amount"] for p in page["data"] + rest["data"])
    assert amounts == [100, 200, 300]
    assert world.wallet.get(f"/api/v1/wallet/payments/{other['id']}").status_code == 404
    assert world.tourist.get(f"/api/v1/wallet/payments/{other['id']}").status_code == 200


def test_a_payment_code_is_one_time_and_belongs_to_the_wallet(world):
    response = world.wallet.post("/api/v1/payment-codes")
    assert response.status_code == 201
    data = response.get_json()
    assert data["code"].startswith("99") and len(data["code"]) == 20 and data["expires_at"].endswith("Z")
