"""Bad requests get a typed JSON 4xx in the API's error shape, never a 500 (issue 12, items 1, 2 and 8)."""

from __future__ import annotations

from tests.web.conftest import create_request, error_code


def test_a_daily_report_for_the_last_day_of_the_calendar_is_a_typed_422(world):
    response = world.merchant.get("/api/v1/reports/daily?date=9999-12-31")
    assert response.status_code == 422 and error_code(response) == "DATE_OUT_OF_RANGE"


def test_a_same_currency_payment_with_another_wallets_quote_is_a_typed_422_and_records_nothing(world):
    tourists_request = create_request(world.merchant)
    quote = world.tourist.post("/api/v1/scans", json={"payload": tourists_request["payload"]}).get_json()["quote"]
    request = create_request(world.merchant)
    response = world.wallet.post("/api/v1/payments", json={"payload": request["payload"], "quote_id": quote["id"]})
    assert response.status_code == 422 and error_code(response) == "QUOTE_NOT_APPLICABLE"
    assert world.wallet.get("/api/v1/wallet/payments").get_json()["data"] == []
