"""Live pages come back by themselves after the server refused their event stream.

A browser's EventSource gives up for good on a 429 or a 503; the pages' common/live.js opens the stream
again with a backoff and catches up from the events it missed. Here the real app on a real socket refuses
every stream at first, the way production does: this till's share of streams is 0 (429 TOO_MANY_STREAMS,
pos.web.stream_quota), or the server's stream slots are 0 (503, pos.serving.streams' middleware in front of
the app). The pages show that they are reconnecting, in the user's language; a payment goes through the
API meanwhile; the bound is raised, and the till, the customer display and the wallet's "show code" page
turn to paid. Playwright's clock jumps over the backoff (at most 30 s), so no test waits for it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from types import SimpleNamespace

import httpx
import pytest
from werkzeug.serving import make_server

from pos import create_app
from pos.core import payments, reports
from pos.serving.streams import StreamSlots
from tests.core.worlds import jpy_cny_rate, ramen_shop, yuan_wallet
from tests.e2e.phone_and_till import new_context as phone_context
from tests.e2e.phone_and_till import wallet_sign_in
from tests.e2e.test_checkout_page import sign_in as till_sign_in
from tests.web.conftest import TEST_CONFIG, till_staff

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = pytest.mark.e2e
RECONNECTING = {"en": "Reconnecting to the server…", "ja": "サーバーに再接続しています…",
                "zh_Hans": "正在重新连接服务器…"}
LONGEST_BACKOFF_MS = 30_000


@pytest.fixture
def server(core) -> Iterator[SimpleNamespace]:
    """The app behind the stream-slot middleware, as ``qrpos serve`` runs it, refusing every stream until
    ``free()``: ``refuse("quota")`` answers 429 (per credential), ``refuse("slots")`` 503 (per server)."""
    app = create_app({**TEST_CONFIG, "CORE": core, "SECRET_KEY": "e2e-tests"})
    slots = StreamSlots(app, 16)
    http = make_server("127.0.0.1", 0, slots, threaded=True)
    thread = threading.Thread(target=http.serve_forever, name="e2e-refusing-server", daemon=True)
    thread.start()

    def refuse(how: str) -> None:
        if how == "quota":
            app.config["SSE_MAX_PER_CREDENTIAL"] = 0
        else:
            slots.slots = 0

    def free() -> None:
        app.config["SSE_MAX_PER_CREDENTIAL"], slots.slots = 8, 16

    yield SimpleNamespace(url=f"http://127.0.0.1:{http.server_port}", refuse=refuse, free=free, slots=slots)
    app.extensions["qrpos.notifier"].close()  # the streams still open end now, before the database goes
    http.shutdown()
    http.server_close()
    thread.join()


def refused_streams(url: str, how: str, cookies: list[dict]) -> int:
    """The status a stream of this browser's till gets now (to check the refusal is the one meant)."""
    jar = {c["name"]: c["value"] for c in cookies}
    with httpx.Client(base_url=url, cookies=jar) as http:
        with http.stream("GET", "/terminal/display/events", headers={"Accept": "text/event-stream"}) as answer:
            assert answer.headers["Retry-After"] == "5" and answer.headers["Content-Type"] == "application/json"
            return answer.status_code


@pytest.mark.parametrize("how, status, lang", [("quota", 429, "ja"), ("slots", 503, "en")])
def test_the_till_and_the_display_reconnect_after_a_refusal_and_catch_up_with_a_payment_made_meanwhile(
        browser, server, core, how, status, lang):
    shop = ramen_shop(core)
    till_staff(core, shop)
    jpy_cny_rate(core)
    li = yuan_wallet(core)
    server.refuse(how)
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-US")
    context.set_default_timeout(15_000)
    till = context.new_page()
    till.clock.install()
    till_sign_in(till, server.url, shop, lang)
    assert refused_streams(server.url, how, context.cookies()) == status
    display = context.new_page()
    display.clock.install()
    display.goto(f"{server.url}/terminal/display")
    expect(display.locator("#display")).to_have_attribute("data-ready", "1")

    till.locator('.item[data-item="gyoza"]').click()
    till.locator("#charge").click()
    expect(till.locator("#qr svg")).to_be_visible()
    for page in (till, display):  # refused again and again: the pages say so, in the till's language
        page.clock.fast_forward(10_000)
        expect(page.locator("#live-status")).to_be_visible()
        expect(page.locator("#live-status")).to_have_text(RECONNECTING[lang])
        expect(page.locator("html")).to_have_attribute("data-live", "reconnecting")
    expect(display.locator("#display")).to_have_attribute("data-state", "idle")  # it never heard of the sale

    state = reports.terminal_state(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"])
    payload = payments.get_request(core, state["open_request_id"])["payload"]
    with httpx.Client(base_url=server.url) as api:  # paid while no page can hear of it
        token = api.post("/api/v1/sessions", json={"wallet": li["wallet_id"], "pin": "8888"}).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        quote = api.post("/api/v1/scans", json={"payload": payload}, headers=auth).json()["quote"]
        paid = api.post("/api/v1/payments", json={"payload": payload, "quote_id": quote["id"]},
                        headers={**auth, "Idempotency-Key": f"reconnect-{how}"})
        assert paid.status_code == 201, paid.text
    expect(till.locator("#status")).to_have_attribute("data-state", "awaiting_payment")

    server.free()
    for page in (till, display):
        page.clock.fast_forward(LONGEST_BACKOFF_MS)  # past the longest wait before the next try
    expect(till.locator("#status")).to_have_attribute("data-state", "paid")
    expect(display.locator("#display")).to_have_attribute("data-state", "paid")
    for page in (till, display):
        expect(page.locator("#live-status")).to_be_hidden()
        expect(page.locator("html")).to_have_attribute("data-live", "live")
    assert server.slots.open == 2  # both pages hold their stream again
    context.close()


def test_the_wallets_shown_code_reconnects_and_turns_to_paid_when_the_till_charged_it_meanwhile(
        browser, server, core):
    shop = ramen_shop(core)
    jpy_cny_rate(core)
    li = yuan_wallet(core, miles=0)
    server.refuse("quota")
    phone = phone_context(browser, "zh_Hans").new_page()
    phone.clock.install()
    wallet_sign_in(phone, server.url, li["wallet_id"], "zh_Hans")
    phone.goto(f"{server.url}/wallet/code")
    expect(phone.locator("#code-qr svg")).to_be_visible()
    phone.clock.fast_forward(10_000)
    expect(phone.locator("#live-status")).to_have_text(RECONNECTING["zh_Hans"])
    expect(phone.locator("#live-status")).to_be_visible()

    digits = phone.locator("#code-digits").text_content().replace(" ", "")
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {shop['api_key']}"}) as api:
        charged = api.post("/api/v1/charges", json={"code": digits, "amount": 1280, "currency": "JPY"})
        assert charged.status_code == 201, charged.text

    server.free()
    phone.clock.fast_forward(LONGEST_BACKOFF_MS)
    expect(phone.locator("#code-status")).to_have_attribute("data-state", "paid")
    expect(phone.locator("#code-paid-amount")).to_contain_text("62.63")
    expect(phone.locator("#live-status")).to_be_hidden()
    phone.context.close()


def test_the_wait_before_reopening_doubles_from_one_second_up_to_thirty_with_jitter_of_up_to_half(page, server):
    page.goto(f"{server.url}/wallet/login")
    waits = page.evaluate("""async () => {
        const { backoff } = await import("/static/common/live.js");
        const at = (r) => () => r;  // Math.random's draw: 0 waits the whole ceiling, 1 half of it
        return [0, 1, 2, 3, 4, 5, 6, 40].map((n) => [backoff(n, at(0)), backoff(n, at(0.999999))]);
    }""")
    assert waits == [[1000, 1000], [2000, 1000], [4000, 2000], [8000, 4000], [16000, 8000], [30000, 15000],
                     [30000, 15000], [30000, 15000]]
