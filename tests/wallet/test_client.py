"""The wallet's API client against the real app in-process (httpx.WSGITransport), on both databases."""

from __future__ import annotations

import httpx
import pytest

from tests.wallet.conftest import new_request
from wallet_app.client import ApiError, ServerUnreachable, WalletClient


class LosesPaymentAnswers(httpx.BaseTransport):
    """Passes every request to the app, then loses the answer to the first ``lose`` payments."""

    def __init__(self, inner: httpx.BaseTransport, lose: int = 1):
        self.inner, self.lose, self.payment_keys = inner, lose, []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.method == "POST" and request.url.path == "/api/v1/payments":
            self.payment_keys.append(request.headers["Idempotency-Key"])
            if self.lose:
                self.lose -= 1
                raise httpx.ReadTimeout("the answer was lost on the way back", request=request)
        return response


class Refuses(httpx.BaseTransport):
    def __init__(self):
        self.calls = 0

    def handle_request(self, request):
        self.calls += 1
        raise httpx.ConnectError("connection refused", request=request)


def wallet_client(transport, wallet, pin, **kw) -> WalletClient:
    return WalletClient("http://qrpos.test", wallet["wallet_id"], pin, transport=transport, sleep=lambda s: None, **kw)


def test_a_tourist_scans_sees_a_quote_and_pays_exactly_it(core, world, transport):
    request = new_request(core, world["shop"], 1280)
    with wallet_client(transport, world["li"], "8888") as li:
        scan = li.scan(request["payload"])
        assert scan["payee"]["name_local"] == "渋谷ラーメン"
        assert scan["quote"]["pay"]["currency"] == "CNY"
        paid = li.pay(request["payload"], quote_id=scan["quote"]["id"])
        assert paid["charged"] == scan["quote"]["pay"] and paid["status"] == "paid"
        balance = li.wallet()["balance"]
        assert balance == {"amount": 100_000 - scan["quote"]["pay"]["amount"], "currency": "CNY"}
        assert [p["id"] for p in li.payments()["data"]] == [paid["id"]]


def test_a_lost_payment_answer_is_retried_with_the_same_key_and_charges_once(core, world, transport):
    request = new_request(core, world["shop"], 1280)
    lossy = LosesPaymentAnswers(transport, lose=1)
    with wallet_client(lossy, world["hanako"], "1234") as hanako:
        paid = hanako.pay(request["payload"])
        assert len(lossy.payment_keys) == 2 and lossy.payment_keys[0] == lossy.payment_keys[1]
        assert hanako.wallet()["balance"]["amount"] == 10_000 - 1280
        assert [p["id"] for p in hanako.payments()["data"]] == [paid["id"]]


def test_when_every_answer_is_lost_the_same_key_later_returns_the_one_payment(core, world, transport):
    request = new_request(core, world["shop"], 500)
    lossy = LosesPaymentAnswers(transport, lose=3)
    with wallet_client(lossy, world["hanako"], "1234", retries=2) as hanako:
        with pytest.raises(ServerUnreachable):
            hanako.pay(request["payload"], idempotency_key="till-7-order-1")
        assert len(set(lossy.payment_keys)) == 1 and len(lossy.payment_keys) == 3
        again = hanako.pay(request["payload"], idempotency_key="till-7-order-1")
        assert again["status"] == "paid"
        assert hanako.wallet()["balance"]["amount"] == 10_000 - 500


def test_api_refusals_are_typed_with_code_message_and_status(core, world, transport):
    request = new_request(core, world["shop"])
    with wallet_client(transport, world["hanako"], "0000") as wrong:
        with pytest.raises(ApiError) as refused:
            wrong.wallet()
    assert (refused.value.code, refused.value.status) == ("BAD_CREDENTIALS", 401)
    with wallet_client(transport, world["hanako"], "1234") as hanako:
        hanako.pay(request["payload"])
        with pytest.raises(ApiError) as paid:
            hanako.pay(request["payload"])
        assert (paid.value.code, paid.value.status) == ("REQUEST_ALREADY_PAID", 409)
        assert "already paid" in paid.value.message


def test_an_expired_session_signs_in_again_by_itself(core, world, transport, clock):
    with wallet_client(transport, world["hanako"], "1234") as hanako:
        first = hanako.wallet()
        token = hanako.token
        clock.advance(core.settings.session_ttl_seconds + 1)
        assert hanako.wallet() == first and hanako.token != token


def test_a_payment_code_is_twenty_digits(world, transport):
    with wallet_client(transport, world["hanako"], "1234") as hanako:
        code = hanako.payment_code()
    assert len(code["code"]) == 20 and code["code"].isdigit()


def test_an_unreachable_server_is_one_typed_error_after_bounded_retries(world):
    refuses, waits = Refuses(), []
    client = WalletClient("http://qrpos.test", "w_X", "1234", transport=refuses, retries=2, sleep=waits.append)
    with pytest.raises(ServerUnreachable):
        client.sign_in()
    assert refuses.calls == 1  # signing in is not retried
    client.token = "ws_made_up"
    with pytest.raises(ServerUnreachable) as unreachable:
        client.pay("000201...")
    assert refuses.calls == 4 and waits == [0.25, 0.5]
    assert unreachable.value.code == "SERVER_UNREACHABLE" and unreachable.value.status is None


def test_a_closed_port_is_unreachable():
    with WalletClient("http://127.0.0.1:1", "w_X", "1234", timeout=2, retries=0) as client:
        with pytest.raises(ServerUnreachable, match=r"no answer from http://127\.0\.0\.1:1"):
            client.wallet()
