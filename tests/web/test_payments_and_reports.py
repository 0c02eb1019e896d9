"""Merchant endpoints for payments, refunds and the daily report."""

from tests.web.conftest import create_request, error_code


def pay(world, amount, wallet=None):
    request = create_request(world.merchant, amount)
    response = (wallet or world.wallet).post("/api/v1/payments", json={"payload": request["payload"]})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_merchant_refunds_in_parts_and_never_more_than_was_paid(world):
    payment = pay(world, 1000)
    first = world.merchant.post(f"/api/v1/payments/{payment['id']}/refunds", json={"amount": 400})
    assert first.status_code == 201 and first.get_json()["payment"]["status"] == "partially_refunded"
    too_much = world.merchant.post(f"/api/v1/payments/{payment['id']}/refunds", json={"amount": 601})
    assert too_much.status_code == 402 and error_code(too_much) == "REFUND_EXCEEDS_PAYMENT"
    rest = world.merchant.post(f"/api/v1/payments/{payment['id']}/refunds", json={"amount": 600})
    assert rest.get_json()["payment"]["status"] == "refunded"
    listed = world.merchant.get(f"/api/v1/payments/{payment['id']}/refunds").get_json()
    assert [r["amount"] for r in listed["data"]] == [400, 600]
    assert world.wallet.get("/api/v1/wallet").get_json()["balance"]["amount"] == 10_000


def test_another_merchant_cannot_see_or_refund_a_payment(world):
    payment = pay(world, 1000)
    assert world.other_merchant.get(f"/api/v1/payments/{payment['id']}").status_code == 404
    response = world.other_merchant.post(f"/api/v1/payments/{payment['id']}/refunds", json={"amount": 1})
    assert response.status_code == 404 and error_code(response) == "PAYMENT_NOT_FOUND"
    assert world.other_merchant.get(f"/api/v1/payments/{payment['id']}/refunds").status_code == 404
    assert world.other_merchant.get("/api/v1/payments").get_json()["data"] == []


def test_payments_page_with_a_cursor_and_filter_by_status(world):
    ids = [pay(world, amount)["id"] for amount in (100, 200, 300, 400)]
    world.merchant.post(f"/api/v1/payments/{ids[0]}/refunds", json={"amount": 100})
    seen, cursor = [], None
    while True:
        query = "limit=3" + (f"&starting_after={cursor}" if cursor else "")
        page = world.merchant.get(f"/api/v1/payments?{query}").get_json()
        seen += [p["id"] for p in page["data"]]
        if not page["has_more"]:
            break
        cursor = page["next_cursor"]
    assert sorted(seen) == sorted(ids) and len(seen) == 4
    refunded = world.merchant.get("/api/v1/payments?status=refunded").get_json()["data"]
    assert [p["id"] for p in refunded] == [ids[0]]


def test_payments_filter_by_a_time_window(world, clock):
    early = pay(world, 100)
    clock.advance(45 * 60)
    late = pay(world, 200)
    window = "created_from=2026-01-01T00:30:00Z&created_to=2026-01-01T01:00:00%2B00:00"
    data = world.merchant.get(f"/api/v1/payments?{window}").get_json()["data"]
    assert [p["id"] for p in data] == [late["id"]] and early["id"] != late["id"]
    naive = world.merchant.get("/api/v1/payments?created_from=2026-01-01T00:30:00")
    assert naive.status_code == 422 and error_code(naive) == "INVALID_TIME"


def test_bad_list_parameters_are_422(world):
    for query in ("limit=0", "limit=101", "limit=x", "status=pending", "starting_after=pay_NOPE", "color=red"):
        response = world.merchant.get(f"/api/v1/payments?{query}")
        assert response.status_code == 422, query
    assert error_code(world.merchant.get("/api/v1/payments?starting_after=pay_NOPE")) == "INVALID_CURSOR"


def test_the_daily_report_adds_up(world, clock):
    first = pay(world, 1000)
    pay(world, 500)
    world.merchant.post(f"/api/v1/payments/{first['id']}/refunds", json={"amount": 300})
    create_request(world.merchant, 700)
    report = world.merchant.get("/api/v1/reports/daily?date=2026-01-01").get_json()
    assert report["payments"]["count"] == 2 and report["payments"]["gross"] == {"amount": 1500, "currency": "JPY"}
    assert report["refunds"] == {"count": 1, "amount": {"amount": 300, "currency": "JPY"}}
    assert report["net"]["amount"] == 1500 - 300 - report["fees"]["amount"]
    assert report["requests"]["awaiting_payment"] == 1 and report["requests"]["partially_refunded"] == 1
    tokyo = world.merchant.get("/api/v1/reports/daily?date=2025-12-31&tz=Asia/Tokyo").get_json()
    assert tokyo["payments"]["count"] == 0  # 00:00Z on Jan 1 is 09:00 on Jan 1 in Tokyo
    bad = world.merchant.get("/api/v1/reports/daily?date=2026-01-01&tz=Mars/Olympus")
    assert bad.status_code == 422 and error_code(bad) == "INVALID_TIMEZONE"
    assert world.merchant.get("/api/v1/reports/daily").status_code == 422
