"""Hypothesis fuzz of the JSON bounds (pos.web.bounds): the nesting scan agrees with a plain
character-by-character oracle on any text, and no body, however nested or broken, gets a 500."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos import create_app
from pos.web.bounds import nesting_exceeds
from tests.core.worlds import ramen_shop
from tests.long_mode import scaled
from tests.web.conftest import TEST_CONFIG

SETTINGS = settings(max_examples=scaled(300, 5_000), deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
JSONISH = st.text(alphabet='[]{}"\\,:0a ', max_size=400)  # the characters that matter to nesting
VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                                   max_size=3), max_leaves=60)


def deepest(text: str) -> int:
    """The oracle: the deepest nesting, one character at a time, strings skipped, as a parser sees it."""
    depth = top = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            top = max(top, depth)
        elif char in "]}":
            depth -= 1
    return top


def nested(value, levels: int):
    for _ in range(levels):
        value = [value]
    return value


@SETTINGS
@given(text=JSONISH, limit=st.integers(0, 40))
def test_the_nesting_scan_agrees_with_the_oracle_on_any_text(text, limit):
    assert nesting_exceeds(text, limit) == (deepest(text) > limit)


@SETTINGS
@given(value=VALUES, extra=st.integers(0, 60))
def test_the_nesting_scan_agrees_with_the_oracle_on_real_json(value, extra):
    text = json.dumps(nested(value, extra))
    assert nesting_exceeds(text, 32) == (deepest(text) > 32)


@pytest.fixture
def merchant_client(core):
    key = ramen_shop(core)["api_key"]
    client = create_app({**TEST_CONFIG, "CORE": core, "PROPAGATE_EXCEPTIONS": False}).test_client()
    return client, {"Authorization": f"Bearer {key}"}


BODIES = st.one_of(
    JSONISH.map(str.encode),
    st.binary(max_size=300),
    st.builds(lambda v, n: json.dumps(nested(v, n)).encode(), VALUES, st.integers(0, 1200)),
    st.builds(lambda n, inner: (b"[" * n + inner + b"]" * n), st.integers(0, 3000), st.binary(max_size=20)),
)


@SETTINGS
@given(body=BODIES, path=st.sampled_from(["/api/v1/sessions", "/api/v1/payment-requests", "/api/v1/scans"]))
def test_no_body_gets_a_500_and_every_refusal_is_the_error_shape(merchant_client, body, path):
    client, headers = merchant_client
    response = client.post(path, data=body, content_type="application/json", headers=headers)
    assert response.status_code < 500, response.get_data()[:200]
    if response.status_code >= 400:
        error = response.get_json()
        assert set(error) == {"error"} and {"code", "message"} <= set(error["error"])
        if deepest(body.decode("utf-8", "replace")) > 32 and response.status_code == 400:
            assert error["error"]["code"] in ("JSON_TOO_DEEP", "INVALID_JSON")
