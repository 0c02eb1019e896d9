"""A cashier rings up a sale in a real browser; the QR read from a screenshot is paid through the wallet
API; the till and the customer display turn to paid without a reload; the receipt shows the amounts.
The same checkout in Japanese and Chinese, with screenshots kept for the README (QRPOS_SCREENSHOTS)."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from pos import qrimage
from tests.core.worlds import jpy_cny_rate, ramen_shop, yuan_wallet
from tests.web.conftest import till_staff

expect = pytest.importorskip("playwright.sync_api").expect
SHOTS = Path(os.environ.get("QRPOS_SCREENSHOTS", "")) if os.environ.get("QRPOS_SCREENSHOTS") else None


def shot(page, name, tmp_path):
    path = (SHOTS or tmp_path) / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def sign_in(page, base, shop, lang):
    page.goto(f"{base}/terminal/login?lang={lang}")
    page.locator("#terminal").select_option(shop["terminal_id"])
    page.locator("#staff").fill("Yuki")
    page.locator("#pin").fill("1111")
    page.locator("form.stack button[type=submit]").click()
    expect(page).to_have_url(f"{base}/terminal/checkout")
    expect(page.locator("#checkout")).to_have_attribute("data-ready", "1")


@pytest.mark.parametrize("lang, paid_text, name", [("en", "Paid. Thank you!", "Shoyu ramen"),
                                                   ("ja", "支払い完了", "醤油ラーメン"),
                                                   ("zh_Hans", "支付成功", "酱油拉面")])
def test_a_cashier_charges_a_cart_and_the_till_and_display_turn_to_paid(browser, live_server, core, tmp_path,
                                                                        lang, paid_text, name):
    shop = ramen_shop(core)
    till_staff(core, shop)
    jpy_cny_rate(core)
    li = yuan_wallet(core)
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-US")
    context.set_default_timeout(10_000)
    till = context.new_page()
    sign_in(till, live_server, shop, lang)
    display = context.new_page()
    display.goto(f"{live_server}/terminal/display")
    expect(display.locator("#display")).to_have_attribute("data-ready", "1")
    expect(display.locator("#display")).to_have_attribute("data-state", "idle")

    till.locator('.item[data-item="shoyu-ramen"]').click()
    till.locator('.item[data-item="shoyu-ramen"]').click()
    till.locator('.item[data-item="gyoza"]').click()
    expect(till.locator("#cart-lines li")).to_have_count(2)
    expect(till.locator("#cart-lines")).to_contain_text(name)
    shot(till, f"terminal-cart-{lang}", tmp_path)
    till.locator("#charge").click()
    expect(till.locator("#qr svg")).to_be_visible()
    expect(display.locator("#display")).to_have_attribute("data-state", "pay")
    picture = shot(till, f"terminal-qr-{lang}", tmp_path)
    [payload] = qrimage.decode(picture.read_bytes())  # the QR as the browser drew it

    with httpx.Client(base_url=live_server) as api:
        token = api.post("/api/v1/sessions", json={"wallet": li["wallet_id"], "pin": "8888"}).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        scan = api.post("/api/v1/scans", json={"payload": payload}, headers=auth).json()
        assert scan["amount"] == 2 * 980 + 450 and scan["quote"]["pay"]["currency"] == "CNY"
        expect(till.locator("#status")).to_have_attribute("data-state", "customer_confirming")
        paid = api.post("/api/v1/payments", json={"payload": payload, "quote_id": scan["quote"]["id"]},
                        headers={**auth, "Idempotency-Key": f"e2e-{lang}"})
        assert paid.status_code == 201, paid.text

    expect(till.locator("#status")).to_have_attribute("data-state", "paid")
    expect(till.locator("#status")).to_contain_text(paid_text)
    expect(display.locator("#display")).to_have_attribute("data-state", "paid")
    shot(till, f"terminal-paid-{lang}", tmp_path)
    shot(display, f"display-paid-{lang}", tmp_path)
    till.locator("#receipt").click()
    expect(till.locator("#receipt-total")).to_contain_text("2,410")
    expect(till.locator("#receipt-charged")).to_contain_text(str(paid.json()["charged"]["amount"] / 100))
    shot(till, f"receipt-{lang}", tmp_path)
    context.close()


def test_the_checkout_fits_a_phone(browser, live_server, core, tmp_path):
    shop = ramen_shop(core)
    till_staff(core, shop)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    page = context.new_page()
    sign_in(page, live_server, shop, "ja")
    page.locator('.item[data-item="miso-ramen"]').click()
    page.locator("#charge").click()
    expect(page.locator("#qr svg")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows sideways
    shot(page, "terminal-qr-phone-ja", tmp_path)
    page.locator("#stop").click()
    expect(page.locator("#status")).to_have_attribute("data-state", "cancelled")
    expect(page.locator("#new-code")).to_be_visible()
    context.close()
