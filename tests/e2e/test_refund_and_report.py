"""After the sale, in a real browser: a cashier's sale is paid through the wallet API, a manager refunds
part of it at the till with a PIN, the receipt shows the refund and who approved it, and the Z report
that closes the till shows it. In Japanese on a tablet and in Chinese on a phone; screenshots are kept
for the README when QRPOS_SCREENSHOTS names a folder."""

from __future__ import annotations

import httpx
import pytest

from pos import qrimage
from tests.core.worlds import jpy_cny_rate, ramen_shop, yuan_wallet
from tests.e2e.test_checkout_page import shot, sign_in
from tests.web.conftest import till_staff

expect = pytest.importorskip("playwright.sync_api").expect

CASES = [
    # lang, viewport, texts: approved-by line, refund button, Z report title, Z closed note
    ("ja", {"width": 1024, "height": 768}, "tablet", ("Kenが承認", "返金", "Z レポート 1", "で締めました")),
    ("zh_Hans", {"width": 390, "height": 844}, "phone", ("Ken 批准", "退款", "Z 报表 1", "日结")),
    ("en", {"width": 1024, "height": 768}, "tablet", ("approved by Ken", "Refund", "Z report 1", "closed")),
]


def pay_the_qr_on_screen(till, base, wallet, tmp_path, lang):
    picture = shot(till, f"e2e-qr-{lang}", tmp_path)
    [payload] = qrimage.decode(picture.read_bytes())
    with httpx.Client(base_url=base) as api:
        token = api.post("/api/v1/sessions", json={"wallet": wallet["wallet_id"], "pin": "8888"}).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        scan = api.post("/api/v1/scans", json={"payload": payload}, headers=auth).json()
        paid = api.post("/api/v1/payments", json={"payload": payload, "quote_id": scan["quote"]["id"]}, headers=auth)
        assert paid.status_code == 201, paid.text
    return paid.json()


@pytest.mark.parametrize("lang, viewport, device, texts", CASES, ids=[c[0] for c in CASES])
def test_a_manager_refunds_part_of_a_sale_and_the_z_report_shows_it(browser, live_server, core, tmp_path,
                                                                     lang, viewport, device, texts):
    approved, refund_word, z_title, z_closed = texts
    shop = ramen_shop(core)
    till_staff(core, shop)
    jpy_cny_rate(core)
    li = yuan_wallet(core)
    context = browser.new_context(viewport=viewport, locale="en-US")
    context.set_default_timeout(10_000)
    till = context.new_page()
    sign_in(till, live_server, shop, lang)
    till.locator('.item[data-item="shoyu-ramen"]').click()
    till.locator('.item[data-item="gyoza"]').click()
    till.locator("#charge").click()
    expect(till.locator("#qr svg")).to_be_visible()
    pay_the_qr_on_screen(till, live_server, li, tmp_path, lang)
    expect(till.locator("#status")).to_have_attribute("data-state", "paid")

    till.locator("#receipt").click()
    expect(till.locator("#receipt-total")).to_contain_text("1,430")
    till.locator("#refund-link").click()
    expect(till.locator("#refund-left")).to_contain_text("1,430")
    expect(till.locator("#refund-submit")).to_have_text(refund_word)
    till.locator("#amount").fill("450")
    till.locator("#manager").fill("Ken")
    till.locator("#manager_pin").fill("1234")  # wrong first: refused, nothing refunded
    till.locator("#refund-submit").click()
    expect(till.locator("#refund-error")).to_be_visible()
    expect(till.locator("#refund-left")).to_contain_text("1,430")
    till.locator("#manager_pin").fill("9999")
    shot(till, f"refund-form-{lang}-{device}", tmp_path)
    till.locator("#refund-submit").click()
    expect(till.locator(".refund-line")).to_contain_text("450")
    expect(till.locator("#receipt")).to_contain_text(approved)
    expect(till.locator("#refund-link")).to_be_visible()  # 980 left: another refund is possible
    shot(till, f"refund-receipt-{lang}-{device}", tmp_path)
    assert till.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    till.goto(f"{live_server}/terminal/reports")
    expect(till.locator("#report-refunds")).to_contain_text("450")
    expect(till.locator("#report-gross")).to_contain_text("1,430")
    shot(till, f"report-x-{lang}-{device}", tmp_path)
    till.locator("#manager").fill("Ken")
    till.locator("#manager_pin").fill("9999")
    till.locator("#close-z").click()
    expect(till).to_have_url(f"{live_server}/terminal/reports/z/1")
    expect(till.locator("#z-report h1")).to_contain_text(z_title)
    expect(till.locator("#report-refunds")).to_contain_text("450")
    expect(till.locator("#report-net")).to_contain_text("980")
    expect(till.locator(".notice")).to_contain_text(z_closed)
    assert till.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shot(till, f"report-z-{lang}-{device}", tmp_path)
    context.close()
