"""The phone wallet's sign-in through Flask's test client: wallet id (or a demo wallet) and PIN, a lock
after five wrong PINs, a session that ends when idle and after an hour, in English, Japanese and Chinese."""

from __future__ import annotations

import re

import pytest

from pos.core import parties
from pos.core.parties import wallet_lock

FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
META_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')
LANGS = ["en", "ja", "zh_Hans"]


def log_in(client, wallet_id, pin, lang="en", **form):
    page = client.get(f"/wallet/login?lang={lang}")
    token = FORM_TOKEN.search(page.text).group(1)
    return client.post("/wallet/login", data={"wallet": wallet_id, "pin": pin, "csrf_token": token, **form})


def csrf(client) -> dict:
    """The page's CSRF header, as the page's fetch calls send it."""
    return {"X-CSRFToken": META_TOKEN.search(client.get("/wallet/scan").text).group(1), "Accept": "application/json"}


@pytest.fixture
def tourist(client, world):
    """Li Wei's CNY wallet, signed in on the phone."""
    response = log_in(client, world.li["wallet_id"], "8888")
    assert response.status_code == 303 and response.headers["Location"] == "/wallet/"
    return client


@pytest.mark.parametrize("lang, words", [("en", "Sign in to your wallet"), ("ja", "ウォレットにサインイン"),
                                         ("zh_Hans", "登录钱包")])
def test_the_sign_in_page_is_served_in_each_language_without_inline_script(client, world, lang, words):
    page = client.get(f"/wallet/login?lang={lang}")
    assert page.status_code == 200 and words in page.text and "<script>" not in page.text
    assert page.headers["Cache-Control"] == "no-store"


def test_a_demo_wallet_can_be_picked_from_the_list(client, core, world):
    # a wallet whose owner the demo world names (with its PIN)
    demo = parties.create_wallet(core, owner="Hanako Sato", currency="JPY", pin="1234", balance=500)
    page = client.get("/wallet/login")
    assert f'<option value="{demo["wallet_id"]}"' in page.text and "<code>1234</code>" in page.text
    response = log_in(client, "", "1234", pick=demo["wallet_id"])
    assert response.status_code == 303
    home = client.get("/wallet/")
    assert "Hanako Sato" in home.text and "¥500" in home.text


def test_pages_ask_to_sign_in_first_and_calls_get_401(client, world):
    assert client.get("/wallet/scan").headers["Location"] == "/wallet/login?next=/wallet/scan"
    response = client.post("/wallet/scan", json={"text": "x"}, headers={"Accept": "application/json"})
    assert response.status_code in (400, 401)  # no CSRF token yet, or no session: never a page or a payment


def test_after_signing_in_the_wallet_goes_where_it_was_asked_to_but_only_inside_the_wallet(client, world):
    page = client.get("/wallet/login?next=/wallet/history")
    token = FORM_TOKEN.search(page.text).group(1)
    response = client.post("/wallet/login?next=/wallet/history",
                           data={"wallet": world.li["wallet_id"], "pin": "8888", "csrf_token": token})
    assert response.headers["Location"] == "/wallet/history"
    client.post("/wallet/logout", data={"csrf_token": FORM_TOKEN.search(client.get("/wallet/").text).group(1)})
    page = client.get("/wallet/login?next=//evil.example/wallet/")
    response = client.post("/wallet/login?next=//evil.example/wallet/", data={
        "wallet": world.li["wallet_id"], "pin": "8888", "csrf_token": FORM_TOKEN.search(page.text).group(1)})
    assert response.headers["Location"] == "/wallet/"


@pytest.mark.parametrize("lang, words", [("en", "wallet id or PIN is not right"), ("ja", "PINが正しくありません"),
                                         ("zh_Hans", "PIN 不正确")])
def test_a_wrong_pin_or_an_unknown_wallet_is_refused_in_the_readers_language(client, world, lang, words):
    for wallet_id in (world.li["wallet_id"], "w_nobody", "x" * 500):
        response = log_in(client, wallet_id, "0000", lang=lang)
        assert response.status_code == 401 and words in response.text
    assert client.get("/wallet/").status_code == 302


@pytest.mark.parametrize("lang, words", [("en", "this wallet is locked"), ("ja", "ロックされています"),
                                         ("zh_Hans", "钱包已锁定")])
def test_five_wrong_pins_lock_the_wallet_for_five_minutes_even_against_the_right_pin(client, world, clock, lang, words):
    wallet_id = world.li["wallet_id"]
    statuses = [log_in(client, wallet_id, "0000", lang=lang).status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    locked = log_in(client, wallet_id, "8888", lang=lang)
    assert locked.status_code == 429 and words in locked.text
    assert locked.headers["Retry-After"] == str(wallet_lock.LOCK_SECONDS)
    clock.advance(wallet_lock.LOCK_SECONDS)
    assert log_in(client, wallet_id, "8888", lang=lang).status_code == 303


def test_the_lock_holds_for_the_api_too_and_says_when_to_try_again(client, world, clock):
    for _ in range(5):
        log_in(client, world.li["wallet_id"], "0000")
    clock.advance(wallet_lock.LOCK_SECONDS - 100.5)  # 100.5 s of the lock left: rounded up, to 101
    response = client.post("/api/v1/sessions", json={"wallet": world.li["wallet_id"], "pin": "8888"})
    assert response.status_code == 429 and "WWW-Authenticate" not in response.headers
    assert response.headers["Retry-After"] == "101"
    assert response.get_json()["error"] == {
        "code": "WALLET_LOCKED", "message": "too many wrong PINs: this wallet can try again in 101 s",
        "details": {"retry_after": 101}}


def test_the_api_wrong_pin_that_locks_the_wallet_says_the_whole_lock(client, world):
    answers = [client.post("/api/v1/sessions", json={"wallet": world.li["wallet_id"], "pin": "0000"})
               for _ in range(5)]
    assert [a.status_code for a in answers] == [401, 401, 401, 401, 429]
    assert answers[0].headers["WWW-Authenticate"] == "Bearer" and "Retry-After" not in answers[0].headers
    assert answers[-1].headers["Retry-After"] == str(wallet_lock.LOCK_SECONDS)
    assert answers[-1].get_json()["error"]["details"] == {"retry_after": wallet_lock.LOCK_SECONDS}


def _age(client, **seconds):
    with client.session_transaction() as session:
        wallet = dict(session["wallet"])
        for key, value in seconds.items():
            wallet[key] -= value
        session["wallet"] = wallet


def test_the_session_ends_after_ten_idle_minutes(tourist):
    _age(tourist, seen=599)
    assert tourist.get("/wallet/").status_code == 200  # and that visit counts as use
    _age(tourist, seen=601)
    assert tourist.get("/wallet/").headers["Location"] == "/wallet/login?next=/wallet/"


def test_the_session_ends_after_an_hour_however_busy(tourist):
    _age(tourist, since=3601)
    assert tourist.get("/wallet/").status_code == 302


def test_signing_out_ends_the_wallet_session_and_keeps_the_language(tourist):
    tourist.get("/wallet/?lang=ja")
    token = FORM_TOKEN.search(tourist.get("/wallet/").text).group(1)
    response = tourist.post("/wallet/logout", data={"csrf_token": token})
    assert response.headers["Location"] == "/wallet/login"
    page = tourist.get("/wallet/login")
    assert 'lang="ja"' in page.text
    assert tourist.get("/wallet/").status_code == 302


def test_the_landing_page_has_a_tile_for_the_phone_wallet(client, world):
    page = client.get("/?lang=zh_Hans")
    assert 'href="/wallet/"' in page.text and "手机钱包" in page.text
