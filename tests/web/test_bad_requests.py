"""Bad requests get a typed JSON 4xx in the API's error shape, never a 500 (issue 12, items 1, 2 and 5).

Bodies are bounded before they are read (size) and before they are parsed (JSON nesting), on every
JSON endpoint, with or without credentials. Item 8 (a malformed header) needs the real server and
lives in test_server_errors.py.
"""

from __future__ import annotations

import io
import json

import pytest

from pos import create_app
from pos.web.bounds import nesting_exceeds
from tests.core.worlds import ramen_shop, yen_wallet
from tests.web.conftest import TEST_CONFIG, create_request, error_code, sign_in

DEEP = "[" * 1000 + "]" * 1000  # 2 KB, the audit's body


def body_operations(client) -> list[tuple[str, str, str | None]]:
    """(method, path with sample ids, security scheme) of every operation that takes a JSON body."""
    spec = client.get("/api/v1/openapi.json").get_json()
    found = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if "requestBody" in op:
                scheme = next((name for req in op.get("security", []) for name in req), None)
                found.append((method, path.replace("{", "").replace("}", ""), scheme))
    return found


@pytest.fixture
def credentials(core, client):
    return {None: None, "MerchantKey": ramen_shop(core)["api_key"],
            "WalletSession": sign_in(client, yen_wallet(core)["wallet_id"], "1234")}


def send(client, method, path, token, data, **kw):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.open(path, method=method.upper(), data=data, content_type="application/json", headers=headers, **kw)


def test_json_nested_a_thousand_levels_is_a_typed_400_on_every_json_endpoint(client, credentials):
    operations = body_operations(client)
    assert len(operations) >= 7 and (("post", "/api/v1/sessions", None) in operations)
    for method, path, scheme in operations:
        for body in (DEEP, '{"amount": ' + DEEP + "}"):
            response = send(client, method, path, credentials[scheme], body)
            assert response.status_code == 400, (path, response.get_json())
            assert error_code(response) == "JSON_TOO_DEEP", path


def test_unauthenticated_sign_in_with_a_deep_body_is_refused_while_rate_limits_look_at_it(core):
    client = create_app({**TEST_CONFIG, "CORE": core, "RATELIMIT_ENABLED": True}).test_client()
    response = send(client, "post", "/api/v1/sessions", None, DEEP)
    assert response.status_code == 400 and error_code(response) == "JSON_TOO_DEEP"


def test_nesting_up_to_the_bound_is_parsed_and_then_validated(client):
    at_limit = "[" * 31 + "]" * 31  # inside the object: 32 levels
    response = send(client, "post", "/api/v1/sessions", None, json.dumps({"wallet": json.loads(at_limit)}))
    assert response.status_code == 422 and error_code(response) == "VALIDATION_ERROR"
    over = "[" * 32 + "]" * 32
    response = send(client, "post", "/api/v1/sessions", None, json.dumps({"wallet": json.loads(over)}))
    assert error_code(response) == "JSON_TOO_DEEP"


def test_brackets_inside_strings_do_not_count_as_nesting(client):
    body = json.dumps({"wallet": "[{" * 500 + '\\"[', "pin": "1234"})
    response = send(client, "post", "/api/v1/sessions", None, body)
    assert response.status_code == 422 and error_code(response) == "VALIDATION_ERROR"


def test_a_body_over_the_api_bound_is_413_before_anything_is_read(client, credentials):
    huge = b"{" + b" " * (64 * 1024) + b"}"
    for token in (None, credentials["MerchantKey"]):
        response = send(client, "post", "/api/v1/payment-requests", token, huge)
        assert response.status_code == 413 and error_code(response) == "REQUEST_TOO_LARGE"


def test_a_body_without_a_length_is_cut_off_at_the_bound(client):
    stream = io.BytesIO(b'{"wallet": "' + b"x" * (70 * 1024) + b'"}')
    response = client.post("/api/v1/sessions", input_stream=stream, content_type="application/json",
                           environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413 and error_code(response) == "REQUEST_TOO_LARGE"


UNPARSEABLE = ["1" * 5000, '{"wallet": 1e999999}', b'"\xed\xa0\x80"', b"\xff\xfe\x00", "", "{", '"\\']


@pytest.mark.parametrize("body", UNPARSEABLE)
def test_unparseable_bodies_are_invalid_json(client, body):
    response = send(client, "post", "/api/v1/sessions", None, body)
    assert response.status_code in (400, 422) and error_code(response) in ("INVALID_JSON", "VALIDATION_ERROR")


def test_the_nesting_scan_counts_like_the_parser():
    assert not nesting_exceeds('{"a": [1, {"b": []}]}', 4) and nesting_exceeds('{"a": [1, {"b": []}]}', 3)
    assert not nesting_exceeds('"[[[[" ', 1) and not nesting_exceeds('["\\"[["]', 1)
    assert not nesting_exceeds('"\\' + "[" * 100, 1)  # inside an unterminated string


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
