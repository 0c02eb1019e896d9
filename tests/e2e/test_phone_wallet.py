"""The phone wallet in a real browser: Debian's Chromium at phone size with a fake camera filming the QR
the till shows (a Y4M written from the core's own request), the vendored zxing-wasm decoder, the real
app on a socket. A tourist signs in, scans, confirms the quote in CNY and pays; the till's page, open in
another browser context, turns to paid. The photo fallback on a page that is not a secure context, the
one-time code, and screenshots at 390x844 and 1024x768 in en, ja and zh (kept with QRPOS_SCREENSHOTS)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pos import qrimage
from pos.core import payments
from tests.e2e.phone_and_till import (
    PAID,
    PHONE,
    TABLET,
    TILL_PAID,
    expect,
    new_context,
    ring_up,
    wallet_sign_in,
    write_y4m,
)

pytestmark = pytest.mark.e2e
SHOTS = Path(os.environ["QRPOS_SCREENSHOTS"]) if os.environ.get("QRPOS_SCREENSHOTS") else None


def shot(page, name: str, tmp_path: Path) -> Path:
    path = (SHOTS or tmp_path) / f"{name}.png"
    page.screenshot(path=str(path))
    return path


@pytest.mark.parametrize("lang", ["en", "ja", "zh_Hans"])
def test_a_tourist_scans_the_tills_qr_confirms_the_cny_quote_and_pays_and_the_till_turns_to_paid(
        camera_browser, camera_file, live_server, core, shop_world, tmp_path, lang):
    shop, li = shop_world
    till, req = ring_up(new_context(camera_browser, "en", TABLET), live_server, core, shop, lang)
    write_y4m(camera_file, req["payload"])  # the phone's camera films the till's code

    phone = new_context(camera_browser, lang).new_page()
    wallet_sign_in(phone, live_server, li["wallet_id"], lang)
    shot(phone, f"phone-home-{lang}", tmp_path)
    phone.locator("nav.tabbar a[href='/wallet/scan']").click()
    expect(phone.locator("#confirm-step")).to_be_visible()
    confirm = phone.locator("#confirm")
    expect(confirm).to_contain_text("CN¥" if lang == "en" else ("元" if lang == "ja" else "¥"))
    expect(confirm.locator("#payee-name")).to_have_text("Shibuya Ramen" if lang == "en" else "渋谷ラーメン")
    expect(confirm.locator("#rate")).to_contain_text("1 JPY = 0.048923 CNY")
    expect(phone.locator("#quote-countdown")).to_contain_text("0:5")
    assert phone.evaluate("document.getElementById('camera').srcObject") is None  # the camera was let go
    expect(till.locator("#status")).to_have_attribute("data-state", "customer_confirming")
    shot(phone, f"phone-confirm-{lang}", tmp_path)

    phone.locator("#pay").click()
    expect(phone.locator("#done-step")).to_be_visible()
    expect(phone.locator("#paid-title")).to_have_text(PAID[lang])
    shot(phone, f"phone-paid-{lang}", tmp_path)
    expect(till.locator("#status")).to_have_attribute("data-state", "paid")
    expect(till.locator("#status")).to_contain_text(TILL_PAID[lang])
    assert payments.get_request(core, req["id"])["status"] == "paid"

    phone.locator("#receipt-link").click()
    expect(phone.locator("#receipt-rate")).to_contain_text("0.048923")
    phone.context.close()
    till.context.close()


@pytest.mark.parametrize("lang", ["en", "ja", "zh_Hans"])
def test_without_a_secure_context_a_photo_of_the_code_is_sent_and_paid(camera_browser, live_server, core,
                                                                      shop_world, tmp_path, lang):
    shop, li = shop_world
    req = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                  amount=1280, currency="JPY")
    lan = live_server.replace("127.0.0.1", "qrpos.lan")  # http on a "LAN" name: no camera API at all
    phone = new_context(camera_browser, lang).new_page()
    wallet_sign_in(phone, lan, li["wallet_id"], lang)
    phone.goto(f"{lan}/wallet/scan")
    assert phone.evaluate("window.isSecureContext") is False
    expect(phone.locator("#viewfinder")).to_be_hidden()
    expect(phone.locator("#scan-status")).to_have_attribute("data-kind", "warn")
    shot(phone, f"phone-photo-fallback-{lang}", tmp_path)
    photo = tmp_path / "photo.png"
    photo.write_bytes(qrimage.render_png(req["payload"], scale=4))
    phone.set_input_files("#photo", str(photo))
    expect(phone.locator("#confirm-step")).to_be_visible()
    phone.locator("#pay").click()
    expect(phone.locator("#paid-title")).to_have_text(PAID[lang])
    assert payments.get_request(core, req["id"])["status"] == "paid"
    phone.context.close()


def test_another_payment_systems_code_is_named_and_the_camera_keeps_looking(camera_browser, camera_file, live_server,
                                                                            shop_world, tmp_path):
    _, li = shop_world
    write_y4m(camera_file, "https://qr.alipay.com/bax08431xdp9fxl1nmfo6083")
    phone = new_context(camera_browser, "ja").new_page()
    wallet_sign_in(phone, live_server, li["wallet_id"], "ja")
    phone.goto(f"{live_server}/wallet/scan")
    expect(phone.locator("#scan-status")).to_contain_text("Alipay（支付宝）のコード")
    assert phone.evaluate("document.getElementById('camera').srcObject") is not None
    expect(phone.locator("#confirm-step")).to_be_hidden()
    shot(phone, "phone-scan-other-code-ja", tmp_path)
    phone.context.close()


@pytest.mark.parametrize("lang", ["en", "ja", "zh_Hans"])
def test_a_shown_code_turns_to_paid_when_the_till_charges_it(camera_browser, live_server, core, shop_world,
                                                            tmp_path, lang):
    shop, li = shop_world
    phone = new_context(camera_browser, lang).new_page()
    wallet_sign_in(phone, live_server, li["wallet_id"], lang)
    phone.locator("nav.tabbar a[href='/wallet/code']").click()
    expect(phone.locator("#code-qr svg")).to_be_visible()
    digits = phone.locator("#code-digits").text_content().replace(" ", "")
    assert len(digits) == 20
    shot(phone, f"phone-code-{lang}", tmp_path)
    payments.charge(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"], code=digits,
                    amount=1280, currency="JPY")
    expect(phone.locator("#code-paid")).to_be_visible()
    expect(phone.locator("#code-paid-amount")).to_contain_text("62.63")
    phone.context.close()


@pytest.mark.parametrize("lang", ["en", "ja", "zh_Hans"])
def test_the_pages_fit_a_phone_and_a_tablet_without_sideways_scrolling(camera_browser, live_server, core, shop_world,
                                                                      tmp_path, lang):
    shop, li = shop_world
    req = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                  amount=1280, currency="JPY")
    payments.pay(core, wallet_id=li["wallet_id"], payload=req["payload"])
    for size, name in ((PHONE, "phone"), (TABLET, "tablet")):
        context = new_context(camera_browser, lang, size)
        page = context.new_page()
        page.goto(f"{live_server}/wallet/login?lang={lang}")
        shot(page, f"{name}-login-{lang}", tmp_path)
        wallet_sign_in(page, live_server, li["wallet_id"], lang)
        for path in ("/wallet/", "/wallet/history", "/wallet/code", "/wallet/scan"):
            page.goto(f"{live_server}{path}")
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, (path, overflow)
        if name == "tablet":
            page.goto(f"{live_server}/wallet/")
            shot(page, f"tablet-home-{lang}", tmp_path)
        context.close()
