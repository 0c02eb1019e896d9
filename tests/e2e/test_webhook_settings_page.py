"""A manager signs in to the terminal in a real browser and manages the shop's webhook endpoints."""

from __future__ import annotations

import re

import pytest

from pos.core import payments
from tests.core.worlds import ramen_shop
from tests.web.conftest import till_staff

expect = pytest.importorskip("playwright.sync_api").expect


def test_a_manager_adds_an_endpoint_sees_its_secret_once_and_disables_it(page, live_server, core, tmp_path):
    shop = ramen_shop(core)
    till_staff(core, shop)
    page.goto(f"{live_server}/terminal/settings/webhooks")
    expect(page).to_have_url(f"{live_server}/terminal/login?next=/terminal/settings/webhooks")

    page.get_by_label("Your name or staff id").fill("Ken")
    page.get_by_label("PIN").fill("0000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("That name or PIN is not right")

    page.get_by_label("PIN").fill("9999")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server}/terminal/settings/webhooks")
    expect(page.locator("header")).to_contain_text("渋谷ラーメン")

    page.get_by_label("Endpoint URL").fill("https://shop.example/qrpos-webhooks")
    page.get_by_role("button", name="Add endpoint").click()
    expect(page.locator("#new-secret")).to_have_text(re.compile(r"^whsec_[0-9a-f]{48}$"))
    row = page.locator("#endpoints tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("https://shop.example/qrpos-webhooks")
    expect(row.locator(".badge")).to_have_text("Enabled")

    payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"], amount=1200,
                            currency="JPY")  # an event, so a delivery is queued for the new endpoint
    page.screenshot(path=str(tmp_path / "webhook-secret.png"), full_page=True)
    page.reload()
    expect(page.locator("#new-secret")).to_have_count(0)  # shown once only
    delivery = page.locator("#deliveries tbody tr")
    expect(delivery).to_have_count(1)
    expect(delivery).to_contain_text("not sent yet")
    delivery.get_by_role("button", name="Resend").click()
    expect(page.get_by_role("status")).to_contain_text("is queued to be sent again now")

    row.get_by_role("button", name="Disable").click()
    expect(page.get_by_role("status")).to_contain_text("Disabled https://shop.example/qrpos-webhooks")
    expect(row.locator(".badge")).to_have_text("Disabled")
    expect(row.get_by_role("button", name="Disable")).to_have_count(0)
    page.screenshot(path=str(tmp_path / "webhook-settings.png"), full_page=True)
    assert (tmp_path / "webhook-settings.png").stat().st_size > 10_000

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server}/terminal/login")
