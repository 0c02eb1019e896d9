"""Idempotency over HTTP: replays are byte-identical, another body is refused, a lost response
followed by a retry charges once."""

import httpx

from tests.web.conftest import create_request, error_code


def test_a_replayed_create_returns_the_same_bytes_and_creates_nothing_new(world, clock):
    headers = {"Idempotency-Key": "order-42"}
    body = {"amount": 1200, "currency": "JPY", "reference": "ORDER-42"}
    first = world.merchant.post("/api/v1/payment-requests", json=body, headers=headers)
    clock.advance(5)
    second = world.merchant.post("/api/v1/payment-requests", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.data == second.data
    other = world.merchant.post("/api/v1/payment-requests", json={**body, "amount": 1300}, headers=headers)
    assert other.status_code == 409 and error_code(other) == "IDEMPOTENCY_KEY_REUSED"


def test_keys_are_scoped_per_merchant(world):
    headers = {"Idempotency-Key": "same-key"}
    mine = world.merchant.post("/api/v1/payment-requests", json={"amount": 1, "currency": "JPY"}, headers=headers)
    theirs = world.other_merchant.post("/api/v1/payment-requests", json={"amount": 1, "currency": "JPY"},
                                       headers=headers)
    assert mine.get_json()["id"] != theirs.get_json()["id"]


def test_replayed_payments_refunds_charges_and_cancels_are_byte_identical(world):
    request = create_request(world.merchant, 1000)
    key = {"Idempotency-Key": "pay-1"}
    body = {"payload": request["payload"]}
    paid = [world.wallet.post("/api/v1/payments", json=body, headers=key) for _ in range(2)]
    assert paid[0].status_code == paid[1].status_code == 201 and paid[0].data == paid[1].data
    payment_id = paid[0].get_json()["id"]
    refund = [world.merchant.post(f"/api/v1/payments/{payment_id}/refunds", json={"amount": 100},
                                  headers={"Idempotency-Key": "r-1"}) for _ in range(2)]
    assert refund[0].data == refund[1].data
    assert world.merchant.get(f"/api/v1/payments/{payment_id}").get_json()["refunded"]["amount"] == 100
    code = world.wallet.post("/api/v1/payment-codes").get_json()["code"]
    charge = [world.merchant.post("/api/v1/charges", json={"code": code, "amount": 10, "currency": "JPY"},
                                  headers={"Idempotency-Key": "c-1"}) for _ in range(2)]
    assert charge[0].status_code == charge[1].status_code == 201 and charge[0].data == charge[1].data
    open_request = create_request(world.merchant, 10)
    cancel = [world.merchant.post(f"/api/v1/payment-requests/{open_request['id']}/cancel",
                                  headers={"Idempotency-Key": "x-1"}) for _ in range(2)]
    assert cancel[0].status_code == cancel[1].status_code == 200 and cancel[0].data == cancel[1].data


def test_a_bad_idempotency_key_is_422(world):
    response = world.merchant.post("/api/v1/payment-requests", json={"amount": 1, "currency": "JPY"},
                                   headers={"Idempotency-Key": "x" * 256})
    assert response.status_code == 422 and error_code(response) == "INVALID_IDEMPOTENCY_KEY"


class LoseFirstResponse(httpx.BaseTransport):
    """Deliver the request to the server, then drop its answer once, as a broken connection would."""

    def __init__(self, inner):
        self.inner, self.dropped = inner, 0

    def handle_request(self, request):
        response = self.inner.handle_request(request)
        if self.dropped == 0:
            self.dropped += 1
            response.read()
            raise httpx.ReadError("connection reset after the server answered", request=request)
        return response


def pay_with_retries(client, payload, key, attempts=3):
    for _ in range(attempts):
        try:
            return client.post("/api/v1/payments", json={"payload": payload}, headers={"Idempotency-Key": key})
        except httpx.TransportError:
            continue
    raise AssertionError("no answer")


def test_a_lost_response_then_a_retry_charges_once(app, world):
    request = create_request(world.merchant, 1500)
    transport = LoseFirstResponse(httpx.WSGITransport(app=app))
    with httpx.Client(transport=transport, base_url="http://qrpos.test",
                      headers={"Authorization": f"Bearer {world.wallet.token}"}) as client:
        response = pay_with_retries(client, request["payload"], "lost-once")
    assert transport.dropped == 1 and response.status_code == 201
    assert world.wallet.get("/api/v1/wallet").get_json()["balance"]["amount"] == 10_000 - 1500
    assert len(world.wallet.get("/api/v1/wallet/payments").get_json()["data"]) == 1


def test_without_a_key_a_retry_is_refused_not_charged_twice(world):
    request = create_request(world.merchant, 1500)
    world.wallet.post("/api/v1/payments", json={"payload": request["payload"]})
    again = world.wallet.post("/api/v1/payments", json={"payload": request["payload"]})
    assert again.status_code == 409 and error_code(again) == "REQUEST_ALREADY_PAID"
    assert world.wallet.get("/api/v1/wallet").get_json()["balance"]["amount"] == 10_000 - 1500
