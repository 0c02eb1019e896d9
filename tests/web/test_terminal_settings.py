"""The till's sign-in and the manager's webhook settings through Flask's test client: staff sign-in with
a PIN, lock-out, roles, endpoints (secret shown once), disable, deliveries, resend, CSRF, other merchants."""

from __future__ import annotations

import re
from types import SimpleNamespace

import httpx
import pytest

from pos import create_app
from pos.core.platform import webhooks
from pos.core.platform.clock import iso
from pos.web.config import ensure_secret_key
from pos.webhook_sender import Sender
from tests.web.conftest import TEST_CONFIG, create_request, till_staff

SETTINGS = "/terminal/settings/webhooks"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(core):
    return create_app({**TEST_CONFIG, "CORE": core, "SECRET_KEY": "terminal-tests"})


def form_token(client, path=SETTINGS) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    return TOKEN.search(page.text).group(1)


def sign_in(client, shop, who="Ken", pin="9999", expect=303):
    data = {"terminal": shop["terminal_id"], "staff": who, "pin": pin,
            "csrf_token": form_token(client, "/terminal/login")}
    response = client.post("/terminal/login?next=" + SETTINGS, data=data)
    assert expect is None or response.status_code == expect, response.text
    if expect == 303:
        assert response.headers["Location"] == SETTINGS
    return response


def post(client, path, **data):
    return client.post(path, data={"csrf_token": form_token(client), **data})


@pytest.fixture
def signed_in(client, world, core):
    till_staff(core, world.shop)
    sign_in(client, world.shop)
    return client


def endpoints_of(core, world):
    return webhooks.list_endpoints(core, merchant_id=world.shop["merchant_id"])


def test_a_manager_signs_in_with_name_and_pin_to_an_httponly_lax_session(client, world, core):
    till_staff(core, world.shop)
    response = sign_in(client, world.shop)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "9999" not in cookie
    page = client.get(SETTINGS)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Shibuya Ramen" in page.text and "渋谷ラーメン" in page.text and "No endpoints yet" in page.text
    assert client.get("/terminal/login").headers["Location"] == "/terminal/checkout"  # already signed in


def test_a_wrong_pin_gets_a_friendly_message_and_no_session(client, world, core):
    till_staff(core, world.shop)
    for who, pin in [("Ken", "0000"), ("Nobody", "9999"), ("", ""), ("渋谷\x00" * 50, "9999")]:
        response = sign_in(client, world.shop, who, pin, expect=401)
        assert "That name or PIN is not right for this till" in response.text
    assert client.get(SETTINGS).headers["Location"].startswith("/terminal/login")


def test_five_wrong_pins_lock_the_staff_member_even_with_the_right_pin(client, world, core):
    till_staff(core, world.shop)
    codes = [sign_in(client, world.shop, "Ken", "0000", expect=None).status_code for _ in range(5)]
    assert codes == [401, 401, 401, 401, 429]
    locked = sign_in(client, world.shop, "Ken", "9999", expect=429)
    assert "Too many wrong PINs" in locked.text and 1 <= int(locked.headers["Retry-After"]) <= 300
    sign_in(client, world.shop, "Yuki", "1111", expect=303)  # the lock is per member of staff
    core.clock.advance(301)
    client.post("/terminal/logout", data={"csrf_token": form_token(client, "/terminal/checkout")})
    sign_in(client, world.shop, "Ken", "9999")


def test_a_cashier_cannot_open_the_settings(client, world, core):
    till_staff(core, world.shop)
    data = {"terminal": world.shop["terminal_id"], "staff": "Yuki", "pin": "1111",
            "csrf_token": form_token(client, "/terminal/login")}
    assert client.post("/terminal/login", data=data).headers["Location"] == "/terminal/checkout"
    refused = client.get(SETTINGS)
    assert refused.status_code == 403 and "You do not have permission" in refused.text


def test_guessing_pins_is_slowed_down_with_a_friendly_page(core, world):
    app = create_app({**TEST_CONFIG, "CORE": core, "SECRET_KEY": "terminal-tests", "RATELIMIT_ENABLED": True,
                      "RATELIMIT_SIGN_IN": "3/minute"})
    client = app.test_client()
    till_staff(core, world.shop)
    codes = [sign_in(client, world.shop, f"guess{i}", "1234", expect=None).status_code for i in range(4)]
    assert codes == [401, 401, 401, 429]
    refused = sign_in(client, world.shop, expect=429)
    assert "Too many attempts" in refused.text
    assert 1 <= int(refused.headers["Retry-After"]) <= 60  # seconds left in the window, never 0


def test_signed_out_pages_redirect_to_sign_in_and_change_nothing(client, world, core):
    endpoint = webhooks.register_endpoint(core, merchant_id=world.shop["merchant_id"], url="https://shop.example/h")
    for response in [client.get(SETTINGS), client.get("/terminal/checkout"),
                     client.post(SETTINGS, data={"url": "https://evil.example/"}),
                     client.post(f"{SETTINGS}/{endpoint['id']}/disable")]:
        assert response.status_code in (302, 400) and "whsec" not in response.text
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/terminal/login")
    assert [e["status"] for e in endpoints_of(core, world)] == ["enabled"]


def test_signing_out_ends_the_session(signed_in):
    response = post(signed_in, "/terminal/logout")
    assert response.status_code == 303 and response.headers["Location"] == "/terminal/login"
    assert "Signed out." in signed_in.get("/terminal/login").text
    assert signed_in.get(SETTINGS).status_code == 302


def test_an_added_endpoint_shows_its_secret_once_then_is_listed_without_it(signed_in, world, core):
    response = post(signed_in, SETTINGS, url=" https://shop.example/qrpos-hooks ")
    assert response.status_code == 303 and response.headers["Location"] == SETTINGS  # a reload cannot post again
    [endpoint] = endpoints_of(core, world)
    assert endpoint["url"] == "https://shop.example/qrpos-hooks"
    shown = signed_in.get(SETTINGS).text
    secret = re.search(r'id="new-secret">(whsec_[0-9a-f]{48})<', shown).group(1)
    assert "will not be shown again" in shown
    page = signed_in.get(SETTINGS).text
    assert secret not in page and "whsec_" not in page
    assert f'id="endpoint-{endpoint["id"]}"' in page and "https://shop.example/qrpos-hooks" in page


@pytest.mark.parametrize("url", ["", "ftp://shop.example/h", "shop.example/h", "https://shop.example/a b",
                                 "https://shop.example/\x00", "https://shop.example/" + "a" * 490, "https://"])
def test_a_bad_url_gets_a_message_on_the_page_and_adds_nothing(signed_in, world, core, url):
    response = post(signed_in, SETTINGS, url=url)
    assert response.status_code == 422 and "Enter an absolute http:// or https:// URL" in response.text
    assert endpoints_of(core, world) == []


def test_disabling_an_endpoint_marks_it_disabled(signed_in, world, core):
    post(signed_in, SETTINGS, url="https://shop.example/h")
    [endpoint] = endpoints_of(core, world)
    response = post(signed_in, f"{SETTINGS}/{endpoint['id']}/disable")
    assert response.status_code == 303 and response.headers["Location"] == SETTINGS
    assert [e["status"] for e in endpoints_of(core, world)] == ["disabled"]
    page = signed_in.get(SETTINGS).text
    assert "Disabled https://shop.example/h" in page and 'class="badge disabled"' in page
    assert f"{endpoint['id']}/disable" not in page  # no button for a disabled endpoint


def test_a_post_without_this_sessions_csrf_token_is_refused_and_changes_nothing(signed_in, world, core, app):
    post(signed_in, SETTINGS, url="https://shop.example/h")
    [endpoint] = endpoints_of(core, world)
    other_session = app.test_client()
    foreign_token = form_token(other_session, "/terminal/login")
    for token in [None, "", "forged", foreign_token, "渋谷"]:
        data = {"url": "https://evil.example/"} | ({} if token is None else {"csrf_token": token})
        for path in [SETTINGS, f"{SETTINGS}/{endpoint['id']}/disable", "/terminal/logout"]:
            response = signed_in.post(path, data=data)
            assert response.status_code == 400 and "This form has expired" in response.text
    assert endpoints_of(core, world) == [{**endpoint, "status": "enabled"}]
    assert signed_in.get(SETTINGS).status_code == 200  # still signed in
    refused = other_session.post("/terminal/login", data={"terminal": world.shop["terminal_id"], "staff": "Ken",
                                                          "pin": "9999"})
    assert refused.status_code == 400 and other_session.get(SETTINGS).status_code == 302


def test_another_merchants_endpoint_and_delivery_are_not_found(client, world, core):
    theirs = world.other_merchant.post("/api/v1/webhook-endpoints", json={"url": "https://other.example/h"}).get_json()
    create_request(world.other_merchant)
    [delivery] = world.other_merchant.get("/api/v1/webhook-deliveries").get_json()["data"]
    till_staff(core, world.shop)
    sign_in(client, world.shop)
    for path in [f"{SETTINGS}/{theirs['id']}/disable", f"{SETTINGS}/deliveries/{delivery['id']}/resend",
                 f"{SETTINGS}/we_missing/disable", f"{SETTINGS}/deliveries/whd_missing/resend"]:
        response = post(client, path)
        assert response.status_code == 404 and "There is nothing at this address" in response.text
    assert world.other_merchant.get("/api/v1/webhook-endpoints").get_json()["data"][0]["status"] == "enabled"
    assert "other.example" not in client.get(SETTINGS).text


def test_deliveries_show_every_attempt_and_resend_queues_one_again(signed_in, world, core):
    post(signed_in, SETTINGS, url="https://shop.example/h")
    create_request(world.merchant)
    sender = Sender(core, httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(503))))
    assert sender.deliver_due() == 1
    sender.close()
    [delivery] = webhooks.list_deliveries(core, merchant_id=world.shop["merchant_id"])
    page = signed_in.get(SETTINGS).text
    row = page[page.index(f'id="delivery-{delivery["id"]}"'):]
    assert delivery["event_id"] in row and "503" in row and "HTTP 503" in row and 'class="badge pending"' in row
    response = post(signed_in, f"{SETTINGS}/deliveries/{delivery['id']}/resend")
    assert response.status_code == 303
    [resent] = webhooks.list_deliveries(core, merchant_id=world.shop["merchant_id"])
    assert resent["status"] == "pending" and resent["attempts"] == 0 and resent["next_attempt_at"] == iso(core.now())
    assert f"Delivery {delivery['id']} is queued" in signed_in.get(SETTINGS).text
    assert len(webhooks.claim_due(core)) == 1  # due now, not after the retry schedule's wait


def test_the_secret_key_comes_from_config_or_is_made_once_in_the_instance_folder(tmp_path):
    def app(**config):
        return SimpleNamespace(config=config, testing=False, instance_path=str(tmp_path / "instance"))

    given = app(SECRET_KEY="from-env")
    ensure_secret_key(given)
    assert given.config["SECRET_KEY"] == "from-env" and not (tmp_path / "instance").exists()
    first, second = app(SECRET_KEY=None), app(SECRET_KEY=None)
    ensure_secret_key(first)
    ensure_secret_key(second)
    key_file = tmp_path / "instance" / "secret_key"
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()
    assert len(key_file.read_text()) == 64 and key_file.stat().st_mode & 0o077 == 0
    assert [p.name for p in key_file.parent.iterdir()] == ["secret_key"]


@pytest.mark.parametrize(("lang", "texts"), [
    ("ja", ["Webhook 設定", "エンドポイントを追加しました", "今すぐコピーして", "有効", "最近の配信"]),
    ("zh_Hans", ["Webhook 设置", "已添加端点", "请立即复制", "已启用", "最近的发送"]),
])
def test_the_webhook_settings_page_speaks_the_managers_language(signed_in, lang, texts):
    post(signed_in, SETTINGS, url="https://shop.example/h")
    page = signed_in.get(f"{SETTINGS}?lang={lang}").text
    for text in texts:
        assert text in page
    assert "Recent deliveries" not in page and "Endpoint added" not in page
