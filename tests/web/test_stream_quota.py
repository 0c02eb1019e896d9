"""One credential holds at most SSE_MAX_PER_CREDENTIAL open event streams in a process (issue 12): the next is
429 TOO_MANY_STREAMS with Retry-After, other credentials are not affected, and a slot comes back however its
stream ends (closed by the client, ended by itself, or refused before it started)."""

from __future__ import annotations

import pytest

from pos import create_app
from pos.web.stream_quota import quota
from tests.web.conftest import TEST_CONFIG, create_request, error_code

LIMIT = 2


@pytest.fixture
def app(core):
    app = create_app({**TEST_CONFIG, "CORE": core, "SSE_MAX_PER_CREDENTIAL": LIMIT})
    yield app
    app.extensions["qrpos.notifier"].close()


def events(api, request_id):
    return api.get(f"/api/v1/payment-requests/{request_id}/events")


def open_streams(app) -> int:
    return sum(quota(app)._open.values())


def test_a_credential_over_its_share_of_streams_gets_429_and_others_still_stream(app, world):
    request = create_request(world.merchant)
    held = [events(world.merchant, request["id"]) for _ in range(LIMIT)]
    assert [r.status_code for r in held] == [200] * LIMIT

    refused = events(world.merchant, request["id"])
    assert refused.status_code == 429 and error_code(refused) == "TOO_MANY_STREAMS"
    assert int(refused.headers["Retry-After"]) >= 1

    other = create_request(world.other_merchant)
    stream = events(world.other_merchant, other["id"])
    assert stream.status_code == 200  # another merchant's key has its own share
    stream.close()

    held.pop().close()  # a client that goes away gives its slot back
    again = events(world.merchant, request["id"])
    assert again.status_code == 200
    for response in [again, *reversed(held)]:  # the test client's streams share one thread: last opened, first closed
        response.close()
    assert open_streams(app) == 0


def test_a_stream_that_ends_by_itself_or_is_refused_holds_no_slot(app, world):
    request = create_request(world.merchant)
    assert world.merchant.post(f"/api/v1/payment-requests/{request['id']}/cancel").status_code == 200
    for _ in range(LIMIT + 1):
        finished = events(world.merchant, request["id"])  # cancelled: the stream sends its events and ends
        assert finished.status_code == 200
        assert b"payment_request.cancelled" in finished.get_data()
        finished.close()

    other = create_request(world.other_merchant)
    for _ in range(LIMIT + 1):
        assert events(world.merchant, other["id"]).status_code == 404  # not this merchant's: no slot taken
    assert open_streams(app) == 0
    held = [events(world.merchant, request["id"]) for _ in range(LIMIT)]
    assert [r.status_code for r in held] == [200] * LIMIT
    for response in reversed(held):
        response.close()


def test_the_refusal_keeps_its_retry_after_with_rate_limits_on(core, world):
    app = create_app({**TEST_CONFIG, "CORE": core, "SSE_MAX_PER_CREDENTIAL": 1, "RATELIMIT_ENABLED": True})
    try:
        client = app.test_client()
        headers = {"Authorization": f"Bearer {world.shop['api_key']}"}
        request = client.post("/api/v1/payment-requests", json={"amount": 100, "currency": "JPY"},
                              headers=headers).get_json()
        held = client.get(f"/api/v1/payment-requests/{request['id']}/events", headers=headers)
        refused = client.get(f"/api/v1/payment-requests/{request['id']}/events", headers=headers)
        assert (held.status_code, refused.status_code) == (200, 429)
        assert refused.headers["Retry-After"] == "5" and error_code(refused) == "TOO_MANY_STREAMS"
        held.close()
    finally:
        app.extensions["qrpos.notifier"].close()
