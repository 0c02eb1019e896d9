"""Rate limits: per credential, per address, and on wallet sign-in; 429 with Retry-After."""

import pytest

from pos import create_app
from tests.core.worlds import ramen_shop, yen_wallet
from tests.web.conftest import TEST_CONFIG, error_code


def limited_client(core, **limits):
    config = {**TEST_CONFIG, "CORE": core, "RATELIMIT_ENABLED": True, "RATELIMIT_PER_ADDRESS": "1000/minute",
              "RATELIMIT_PER_KEY": "1000/minute", "RATELIMIT_SIGN_IN": "1000/minute",
              "RATELIMIT_SIGN_IN_PER_WALLET": "1000/minute", **limits}
    return create_app(config).test_client()


@pytest.fixture
def shop(core):
    return ramen_shop(core)


def test_a_busy_api_key_gets_429_with_retry_after(core, shop):
    client = limited_client(core, RATELIMIT_PER_KEY="3/minute")
    headers = {"Authorization": f"Bearer {shop['api_key']}"}
    paths = ["/api/v1/payments", "/api/v1/webhook-endpoints", "/api/v1/reports/daily?date=2026-01-01",
             "/api/v1/payments"]
    statuses = [client.get(path, headers=headers).status_code for path in paths]  # one budget for all areas
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/payments", headers=headers)
    assert error_code(response) == "RATE_LIMITED" and int(response.headers["Retry-After"]) > 0
    other = ramen_shop(core, name="Other Noodles")
    assert client.get("/api/v1/payments", headers={"Authorization": f"Bearer {other['api_key']}"}).status_code == 200


def test_one_address_is_limited_whatever_the_key(core, shop):
    client = limited_client(core, RATELIMIT_PER_ADDRESS="2/minute")
    assert client.get("/api/v1/ping").status_code == 200
    assert client.get("/api/v1/payments", headers={"Authorization": f"Bearer {shop['api_key']}"}).status_code == 200
    assert client.get("/api/v1/ping").status_code == 429
    other = client.get("/api/v1/ping", environ_base={"REMOTE_ADDR": "127.0.0.2"})
    assert other.status_code == 200


def test_pin_guessing_is_stopped_per_wallet(core):
    wallet = yen_wallet(core)
    client = limited_client(core, RATELIMIT_SIGN_IN_PER_WALLET="2/minute")
    guesses = [client.post("/api/v1/sessions", json={"wallet": wallet["wallet_id"], "pin": pin},
                           environ_base={"REMOTE_ADDR": f"127.0.0.{i + 2}"}).status_code
               for i, pin in enumerate(["0000", "1111", "1234"])]
    assert guesses == [401, 401, 429]  # even the right PIN waits


def test_pages_outside_the_api_are_not_limited(core):
    client = limited_client(core, RATELIMIT_PER_ADDRESS="1/minute")
    assert [client.get("/healthz").status_code for _ in range(3)] == [200, 200, 200]
