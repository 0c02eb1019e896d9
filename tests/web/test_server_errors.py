"""What the real `qrpos serve` (cheroot, :mod:`pos.serving.refusals`) refuses before the app runs is still a
typed JSON error under /api/ (issue 12, item 8), and its header and body bounds hold before anything is
parsed (item 1). Raw bytes over a real socket."""

from __future__ import annotations

import json

import pytest

from tests.core.worlds import ramen_shop
from tests.serving.rawhttp import exchange, request
from tests.web.test_live_server import server  # noqa: F401  (the fixture)


@pytest.fixture
def served(server):  # noqa: F811
    """A real `qrpos serve` process (tests.web.test_live_server); yields its port."""
    return int(server.url.rsplit(":", 1)[1])


def api_error(answer) -> str:
    status, headers, body = answer
    assert headers["content-type"] == "application/json", (status, body)
    assert headers["x-content-type-options"] == "nosniff", headers
    error = json.loads(body)
    assert set(error) == {"error"} and set(error["error"]) == {"code", "message"}, error
    return error["error"]["code"]


def test_what_the_server_refuses_itself_under_api_is_a_typed_json_error(served, server):  # noqa: F811
    key = ramen_shop(server.core)["api_key"]
    chunk = b"x" * (70 * 1024)
    chunked = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n0\r\n\r\n"
    json_body = {"Content-Type": "application/json"}
    refusals = [
        ("a control character in Idempotency-Key", 400, "MALFORMED_REQUEST",
         request("POST", "/api/v1/payment-requests", {"Authorization": f"Bearer {key}", "Idempotency-Key": "ab\x01c",
                                                      **json_body}, b'{"amount": 100, "currency": "JPY"}')),
        ("a header block over 32 KiB", 431, "HEADERS_TOO_LARGE",
         request("GET", "/api/v1/ping", {f"X-Filler-{i}": "x" * 1000 for i in range(40)})),
        # the body is never sent: the server answers from the length alone
        ("a body over 1 MiB", 413, "REQUEST_TOO_LARGE",
         request("POST", "/api/v1/sessions", {**json_body, "Content-Length": "5000000"})),
        ("a chunked body over the API's 64 KiB", 413, "REQUEST_TOO_LARGE",
         request("POST", "/api/v1/sessions", {**json_body, "Transfer-Encoding": "chunked"}) + chunked),
        ("an unknown transfer coding", 501, "NOT_IMPLEMENTED",
         request("POST", "/api/v1/sessions", {"Transfer-Encoding": "gzip"})),
        ("JSON nested 1000 levels", 400, "JSON_TOO_DEEP",
         request("POST", "/api/v1/sessions", json_body, b"[" * 1000 + b"]" * 1000)),
    ]
    for what, status, code, raw in refusals:
        answer = exchange(served, raw)
        assert (answer[0], api_error(answer)) == (status, code), what


def test_the_same_refusal_on_a_page_stays_the_servers_own(served):
    status, headers, _ = exchange(served, request("GET", "/terminal/login", {"X-Note": "a\x01b"}))
    assert status == 400 and headers["content-type"].startswith("text/plain")
    assert headers["x-content-type-options"] == "nosniff"


def test_a_chunked_api_body_within_the_bound_reaches_the_app_whole(served):
    body = b'{"merchant": "%s", "pin": "0000"}' % (b"m" * (60 * 1024))
    chunked = b"".join(f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in (body[:1000], body[1000:]))
    raw = request("POST", "/api/v1/sessions", {"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
    status, _, answer = exchange(served, raw + chunked + b"0\r\n\r\n")
    assert (status, json.loads(answer)["error"]["code"]) == (422, "VALIDATION_ERROR")  # parsed whole, then judged


def test_a_header_block_under_the_bound_is_served(served):
    answer = exchange(served, request("GET", "/api/v1/ping", {f"X-Filler-{i}": "x" * 1000 for i in range(20)}))
    assert answer[0] == 200 and json.loads(answer[2]) == {"status": "ok"}
