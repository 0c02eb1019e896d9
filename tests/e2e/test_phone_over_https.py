"""The phone wallet as a visitor at the shop uses it: ``qrpos serve --https --lan`` as a real process on the
test's database, the page opened by a LAN name (``qrpos.lan``, mapped to this machine by Chromium's
resolver: not loopback, so the camera exists only because the page is HTTPS). The phone's fake camera films
the pixels of the QR the till's page shows; the tourist signs in, scans, confirms the CNY quote and pays, and
the till's page turns to paid over the same HTTPS server's event stream. In English, Japanese and Chinese.
Over plain HTTP on the same LAN name (``qrpos serve --lan``) there is no camera, and a photo is sent instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pos import qrimage
from pos.core import payments
from tests.e2e.phone_and_till import (
    LAN_NAME,
    PAID,
    PHONE,
    TABLET,
    TILL_PAID,
    expect,
    film_screenshot,
    new_context,
    ring_up,
    wallet_sign_in,
)
from tests.serving.test_serve_command import Serve

pytestmark = pytest.mark.e2e
START_WITHIN = 60.0  # seconds for a server process to start on a busy 2-core machine (it takes ~2 s when idle)


@contextmanager
def served_on_the_lan(db_url: str, scheme: str, *options: str) -> Iterator[str]:
    """``qrpos serve --lan`` with ``options`` on a free port: its address as a phone on the LAN types it (the
    scheme and port on the LAN name)."""
    server = Serve(db_url, "--lan", "--port", "0", *options, "--webhook-interval", "0", start_within=START_WITHIN)
    try:
        parts = urlsplit(server.url)
        assert parts.scheme == scheme
        yield f"{parts.scheme}://{LAN_NAME}:{parts.port}"
    finally:
        assert server.stop() == 0


@pytest.fixture
def https_server(db_url, tmp_path) -> Iterator[str]:
    """``qrpos serve --https --lan`` with its certificates in a temporary folder."""
    with served_on_the_lan(db_url, "https", "--https", "--http-port", "0", "--cert-dir", str(tmp_path / "tls")) as url:
        yield url


@pytest.fixture
def http_server(db_url) -> Iterator[str]:
    """``qrpos serve --lan``: plain HTTP on the LAN."""
    with served_on_the_lan(db_url, "http") as url:
        yield url


def context(browser, lang: str, size: dict):
    # Certificate errors are ignored in these tests' contexts only: the test CA is not in Chromium's store
    # and the LAN name is not in the certificate. A phone trusts the CA from /trust instead (docs/https.md).
    return new_context(browser, lang, size, ignore_https_errors=True)


def screen_qr(till, tmp_path: Path, req: dict) -> Path:
    """A screenshot of the QR on the till's page, checked to read as the core's request."""
    shot = tmp_path / "till-qr.png"
    till.locator("#qr").screenshot(path=str(shot))
    assert qrimage.decode(shot) == [req["payload"]]
    return shot


@pytest.mark.parametrize("lang", ["en", "ja", "zh_Hans"])
def test_a_phone_on_the_lan_scans_the_tills_qr_over_https_pays_in_cny_and_the_till_turns_to_paid(
        camera_browser, camera_file, https_server, core, shop_world, tmp_path, lang):
    shop, li = shop_world
    till, req = ring_up(context(camera_browser, lang, TABLET), https_server, core, shop, lang)
    film_screenshot(screen_qr(till, tmp_path, req), camera_file)

    phone = context(camera_browser, lang, PHONE).new_page()
    wallet_sign_in(phone, https_server, li["wallet_id"], lang)
    assert phone.evaluate("window.isSecureContext") is True
    assert phone.evaluate("location.protocol + location.hostname") == f"https:{LAN_NAME}"
    phone.locator("nav.tabbar a[href='/wallet/scan']").click()
    expect(phone.locator("#confirm-step")).to_be_visible()
    confirm = phone.locator("#confirm")
    expect(confirm.locator("#payee-name")).to_have_text("Shibuya Ramen" if lang == "en" else "渋谷ラーメン")
    expect(confirm).to_contain_text("CN¥" if lang == "en" else ("元" if lang == "ja" else "¥"))
    expect(confirm.locator("#rate")).to_contain_text("1 JPY = 0.048923 CNY")
    expect(till.locator("#status")).to_have_attribute("data-state", "customer_confirming")

    phone.locator("#pay").click()
    expect(phone.locator("#done-step")).to_be_visible()
    expect(phone.locator("#paid-title")).to_have_text(PAID[lang])
    expect(till.locator("#status")).to_have_attribute("data-state", "paid")
    expect(till.locator("#status")).to_contain_text(TILL_PAID[lang])
    assert payments.get_request(core, req["id"])["status"] == "paid"
    phone.context.close()
    till.context.close()


@pytest.mark.parametrize("lang", ["en", "ja", "zh_Hans"])
def test_over_plain_http_on_the_lan_there_is_no_camera_and_a_photo_of_the_code_is_paid(
        camera_browser, http_server, core, shop_world, tmp_path, lang):
    shop, li = shop_world
    till, req = ring_up(context(camera_browser, lang, TABLET), http_server, core, shop, lang)
    phone = context(camera_browser, lang, PHONE).new_page()
    wallet_sign_in(phone, http_server, li["wallet_id"], lang)
    phone.goto(f"{http_server}/wallet/scan")
    assert phone.evaluate("window.isSecureContext") is False
    expect(phone.locator("#viewfinder")).to_be_hidden()
    expect(phone.locator("#scan-status")).to_have_attribute("data-kind", "warn")
    phone.set_input_files("#photo", str(screen_qr(till, tmp_path, req)))  # a picture of the till's screen
    expect(phone.locator("#confirm-step")).to_be_visible()
    expect(phone.locator("#confirm #rate")).to_contain_text("1 JPY = 0.048923 CNY")
    phone.locator("#pay").click()
    expect(phone.locator("#paid-title")).to_have_text(PAID[lang])
    expect(till.locator("#status")).to_have_attribute("data-state", "paid")
    assert payments.get_request(core, req["id"])["status"] == "paid"
    phone.context.close()
    till.context.close()
