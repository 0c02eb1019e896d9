"""The remaining refusals, each with its status and stable code; and a bug is JSON 500, not HTML."""

import pytest

from pos import create_app
from pos.core import errors, parties
from pos.web.errors import status_for
from tests.web.conftest import TEST_CONFIG, Api, create_request, error_code, sign_in


def test_a_paid_request_cannot_be_cancelled(world):
    request = create_request(world.merchant)
    world.wallet.post("/api/v1/payments", json={"payload": request["payload"]})
    response = world.merchant.post(f"/api/v1/payment-requests/{request['id']}/cancel")
    assert response.status_code == 409 and error_code(response) == "REQUEST_ALREADY_PAID"


def test_an_expired_quote_or_someone_elses_quote_is_refused(world, clock, core):
    request = create_request(world.merchant, 1200)
    quote = world.tourist.post("/api/v1/scans", json={"payload": request["payload"]}).get_json()["quote"]
    bogus = world.tourist.post("/api/v1/payments", json={"payload": request["payload"], "quote_id": "qt_NOPE"})
    assert bogus.status_code == 404 and error_code(bogus) == "QUOTE_NOT_FOUND"
    clock.advance(core.settings.quote_ttl_seconds + 1)
    late = world.tourist.post("/api/v1/payments", json={"payload": request["payload"], "quote_id": quote["id"]})
    assert late.status_code == 409 and error_code(late) == "QUOTE_EXPIRED"


def test_a_currency_without_a_rate_is_declined(world, client, core):
    dollars = parties.create_wallet(core, owner="Sam", currency="USD", pin="4321", balance=10_000)
    sam = Api(client, sign_in(client, dollars["wallet_id"], "4321"))
    request = create_request(world.merchant)
    response = sam.post("/api/v1/scans", json={"payload": request["payload"]})
    assert response.status_code == 402 and error_code(response) == "FX_RATE_UNAVAILABLE"


def test_an_expired_payment_code_is_409(world, clock, core):
    code = world.wallet.post("/api/v1/payment-codes").get_json()["code"]
    clock.advance(core.settings.payment_code_ttl_seconds + 1)
    response = world.merchant.post("/api/v1/charges", json={"code": code, "amount": 100, "currency": "JPY"})
    assert response.status_code == 409 and error_code(response) == "PAYMENT_CODE_EXPIRED"


def test_a_charge_in_another_currency_is_422(world):
    code = world.wallet.post("/api/v1/payment-codes").get_json()["code"]
    response = world.merchant.post("/api/v1/charges", json={"code": code, "amount": 100, "currency": "USD"})
    assert response.status_code == 422 and error_code(response) == "CURRENCY_MISMATCH"


def test_ids_with_odd_characters_are_404_before_the_database(world):
    for path in ("/api/v1/payment-requests/pr%00x", "/api/v1/payments/pay%20x", "/api/v1/payments/" + "x" * 41):
        response = world.merchant.get(path)
        assert response.status_code == 404 and error_code(response) == "NOT_FOUND", path


def test_control_characters_in_bodies_are_422(world):
    response = world.wallet.post("/api/v1/scans", json={"payload": "0002\x0001"})
    assert response.status_code == 422 and error_code(response) == "VALIDATION_ERROR"
    assert "json" in response.get_json()["error"]["details"]


@pytest.mark.parametrize(("error", "status"), [
    (errors.InvalidAmount("x"), 422), (errors.PayloadError("x"), 422), (errors.NotFound("x"), 404),
    (errors.Unauthorized("x"), 401), (errors.IdempotencyKeyReused("x"), 409), (errors.InsufficientFunds("x"), 402),
    (errors.RefundExceedsPayment("x"), 402), (errors.LedgerInvariantBroken("x"), 500),
])
def test_each_kind_of_core_error_has_one_status(error, status):
    assert status_for(error) == status


def test_a_bug_is_a_json_500_never_an_html_page(core, monkeypatch):
    app = create_app({**TEST_CONFIG, "CORE": core, "TESTING": False})

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("pos.web.api.meta.render", broken)
    response = app.test_client().get("/api/v1/ping")
    assert response.status_code == 500 and response.mimetype == "application/json"
    assert error_code(response) == "INTERNAL_ERROR" and "boom" not in response.get_data(as_text=True)
