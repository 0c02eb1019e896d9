"""What the server (cheroot, hardened) refuses before the app runs: in the API's JSON error shape under
the paths it is told, cheroot's plain text elsewhere; header and body bounds held before the app
(issue 12, items 1 and 8). Against the real server on a real socket, with raw bytes."""

from __future__ import annotations

import json

import pytest
from flask import Flask, request

from pos import serving
from pos.serving.refusals import json_body
from tests.serving.rawhttp import exchange
from tests.serving.rawhttp import request as raw

API = serving.Refusals(json_under=("/api/",))
BOUNDS = dict(max_header_bytes=32 * 1024, max_body_bytes=1024 * 1024)


def echo_app() -> Flask:
    app = Flask("refusals-test")

    @app.route("/api/echo", methods=["GET", "POST"])
    @app.route("/page", methods=["GET", "POST"])
    def echo():
        return {"key": request.headers.get("Idempotency-Key"), "body": len(request.get_data())}

    return app


@pytest.fixture
def port(start_server):
    return start_server(tls=False, http_port=None, app=echo_app(), refusals=API, **BOUNDS).port


def refusal(answer) -> tuple[int, str]:
    status, headers, body = answer
    assert headers["content-type"] == "application/json", (status, body)
    assert headers["x-content-type-options"] == "nosniff" and headers["connection"] == "close"
    error = json.loads(body)
    assert set(error) == {"error"} and set(error["error"]) == {"code", "message"} and error["error"]["message"]
    return status, error["error"]["code"]


@pytest.mark.parametrize(("what", "raw_request", "expected"), [
    ("a control character in a header", raw("GET", "/api/echo", {"Idempotency-Key": "ab\x01c"}),
     (400, "MALFORMED_REQUEST")),
    ("a DEL in a header", raw("GET", "/api/echo", {"X-Note": "a\x7fb"}), (400, "MALFORMED_REQUEST")),
    ("a header name that is not a token", raw("GET", "/api/echo", {"X Note": "a"}), (400, "MALFORMED_REQUEST")),
    ("a header line without a colon", b"GET /api/echo HTTP/1.1\r\nHost: x\r\nnonsense\r\n\r\n",
     (400, "MALFORMED_REQUEST")),
    ("a header block over 32 KiB", raw("GET", "/api/echo", {f"X-Filler-{i}": "x" * 1000 for i in range(40)}),
     (431, "HEADERS_TOO_LARGE")),
    ("a body over the bound, told by Content-Length", raw("POST", "/api/echo", {"Content-Length": "5000000"}),
     (413, "REQUEST_TOO_LARGE")),
    ("an unknown transfer coding", raw("POST", "/api/echo", {"Transfer-Encoding": "gzip"}), (501, "NOT_IMPLEMENTED")),
    ("chunked with an unknown coding", raw("POST", "/api/echo", {"Transfer-Encoding": "gzip, chunked"}),
     (501, "NOT_IMPLEMENTED")),
    ("an absolute-form target", raw("GET", "http://shop.example/api/echo", {"X-Note": "a\x01b"}),
     (400, "MALFORMED_REQUEST")),
])
def test_what_the_server_refuses_under_api_is_a_typed_json_error(port, what, raw_request, expected):
    assert refusal(exchange(port, raw_request)) == expected, what


def test_the_same_refusals_on_a_page_stay_plain_text(port):
    for raw_request, status in [(raw("GET", "/page", {"X-Note": "a\x01b"}), 400),
                                (raw("GET", "/page", {f"X-Filler-{i}": "x" * 1000 for i in range(40)}), 431),
                                (raw("POST", "/page", {"Transfer-Encoding": "gzip"}), 501)]:
        answer_status, headers, _ = exchange(port, raw_request)
        assert (answer_status, headers["content-type"]) == (status, "text/plain")
        assert headers["x-content-type-options"] == "nosniff"


def test_a_request_line_that_cannot_be_read_gets_plain_text(port):
    status, headers, _ = exchange(port, b"GET /api/echo\r\n\r\n")
    assert status == 400 and headers["content-type"] == "text/plain"


def test_requests_within_the_bounds_reach_the_app_untouched(port):
    headers = {f"X-Filler-{i}": "x" * 1000 for i in range(20)} | {"Idempotency-Key": "tab\tand obs-text \xe9"}
    status, _, body = exchange(port, raw("POST", "/api/echo", headers, b"x" * 1000))
    assert status == 200 and json.loads(body) == {"key": "tab\tand obs-text \xe9", "body": 1000}


def test_a_header_block_of_exactly_the_bound_is_served_and_one_byte_more_is_not(port):
    def sized(extra: int) -> bytes:
        head = raw("GET", "/api/echo", {"X-Fill": ""})
        filler = "x" * (32 * 1024 - len(head) + extra)
        return raw("GET", "/api/echo", {"X-Fill": filler})

    assert exchange(port, sized(0))[0] == 200
    assert refusal(exchange(port, sized(1))) == (431, "HEADERS_TOO_LARGE")


def test_a_server_told_no_json_paths_answers_every_refusal_in_plain_text(start_server):
    port = start_server(tls=False, http_port=None, app=echo_app(), **BOUNDS).port
    status, headers, _ = exchange(port, raw("GET", "/api/echo", {"Idempotency-Key": "ab\x01c"}))
    assert (status, headers["content-type"]) == (400, "text/plain")


@pytest.mark.parametrize(("target", "api"), [
    (b"/api/v1/ping", True), (b"/api/v1/x?y=1", True), (b"http://shop.example/api/v1/ping", True),
    (b"/terminal", False), (b"/apis", False), (b"/x?next=/api/", False), (b"", False), (None, False),
])
def test_an_api_request_is_told_from_its_target(target, api):
    assert API.wants_json(target) is api


def test_every_refusal_body_has_the_api_error_shape():
    for status in (400, 405, 408, 413, 414, 431, 500, 501, 503, 505, 418):
        error = json.loads(json_body(status))["error"]
        assert set(error) == {"code", "message"} and error["code"].isupper() and error["message"]
