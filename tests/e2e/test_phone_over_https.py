"""The phone wallet as a visitor at the shop uses it: ``qrpos serve --https --lan`` as a real process on the
test's database, the page opened by a LAN name (``qrpos.lan``, mapped to this machine by Chromium's
resolver: not loopback, so the camera exists only because the page is HTTPS). The phone's fake camera films
the pixels of the QR the till's page shows; the tourist signs in, scans, confirms the CNY quote and pays, and
the till's page turns to paid over the same HTTPS server's event stream. In English, Japanese and Chinese.
Over plain HTTP on the same LAN name (``qrpos serve --lan``) there is no camera, and a photo is sent instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import cv2
import numpy as np
import pytest

from pos import qrimage
from pos.core import payments, reports
from tests.core.worlds import jpy_cny_rate, ramen_shop, yuan_wallet
from tests.e2e.test_checkout_page import sign_in as till_sign_in
from tests.e2e.test_phone_wallet import PAID, PHONE, TABLET, TILL_PAID, wallet_sign_in
from tests.e2e.test_qrscan import launch, write_y4m
from tests.serving.test_serve_command import Serve
from tests.web.conftest import till_staff

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = pytest.mark.e2e
LAN_NAME = "qrpos.lan"
START_WITHIN = 60.0  # seconds for a server process to start on a busy 2-core machine (it takes ~2 s when idle)
LOCALES = {"en": "en-US", "ja": "ja-JP", "zh_Hans": "zh-CN"}


@pytest.fixture(scope="module")
def camera_file(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("https-camera") / "camera.y4m"


@pytest.fixture(scope="module")
def lan_browser(playwright, camera_file):
    """Chromium with a fake camera playing ``camera_file`` (re-read at each capture: rewritten per test) and
    ``qrpos.lan`` resolving to this machine, as a phone resolves the shop server's LAN address."""
    write_y4m(camera_file, "nothing yet")
    browser = launch(playwright, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                     f"--use-file-for-fake-video-capture={camera_file}",
                     f"--host-resolver-rules=MAP {LAN_NAME} 127.0.0.1")
    yield browser
    browser.close()


def lan_address(server: Serve) -> str:
    """The server's address as a phone on the LAN types it: its scheme and port on the LAN name."""
    parts = urlsplit(server.url)
    return f"{parts.scheme}://{LAN_NAME}:{parts.port}"


@pytest.fixture
def https_server(db_url, tmp_path) -> Iterator[str]:
    """``qrpos serve --https --lan`` on free ports with its certificates in a temporary folder."""
    server = Serve(db_url, "--https", "--lan", "--port", "0", "--http-port", "0", "--cert-dir", str(tmp_path / "tls"),
                   "--webhook-interval", "0", start_within=START_WITHIN)
    try:
        assert server.url.startswith("https://")
        yield lan_address(server)
    finally:
        assert server.stop() == 0


@pytest.fixture
def http_server(db_url) -> Iterator[str]:
    """``qrpos serve --lan``: plain HTTP on the LAN."""
    server = Serve(db_url, "--lan", "--port", "0", "--webhook-interval", "0", start_within=START_WITHIN)
    try:
        assert server.url.startswith("http://")
        yield lan_address(server)
    finally:
        assert server.stop() == 0


@pytest.fixture
def shop_world(core):
    shop = ramen_shop(core)
    till_staff(core, shop)
    jpy_cny_rate(core)
    return shop, yuan_wallet(core, miles=0)


def context(browser, lang: str, size: dict):
    # Certificate errors are ignored in these tests' contexts only: the test CA is not in Chromium's store
    # and the LAN name is not in the certificate. A phone trusts the CA from /trust instead (docs/https.md).
    made = browser.new_context(**size, locale=LOCALES[lang], ignore_https_errors=True)
    made.set_default_timeout(15_000)
    return made


def ring_up(browser, base: str, core, shop, lang: str):
    """The cashier signs in to the till's page and charges two gyoza; returns the page and the request."""
    till = context(browser, lang, TABLET).new_page()
    till_sign_in(till, base, shop, lang)
    till.locator('.item[data-item="gyoza"]').click()
    till.locator("#charge").click()
    expect(till.locator("#qr svg")).to_be_visible()
    state = reports.terminal_state(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"])
    return till, payments.get_request(core, state["open_request_id"])


def screen_qr(till, tmp_path: Path, req: dict) -> Path:
    """A screenshot of the QR on the till's page, checked to read as the core's request."""
    shot = tmp_path / "till-qr.png"
    till.locator("#qr").screenshot(path=str(shot))
    assert qrimage.decode(shot) == [req["payload"]]
    return shot


def film(picture: Path, camera_file: Path) -> None:
    """``picture`` centred on white as the phone camera's 640x480 video (Y4M, 4:2:0)."""
    screen = cv2.imread(str(picture), cv2.IMREAD_COLOR)
    scale = min(440 / screen.shape[0], 600 / screen.shape[1])
    screen = cv2.resize(screen, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    frame = np.full((480, 640, 3), 255, np.uint8)
    top, left = (480 - screen.shape[0]) // 2, (640 - screen.shape[1]) // 2
    frame[top:top + screen.shape[0], left:left + screen.shape[1]] = screen
    i420 = cv2.cvtColor(frame, cv2.COLOR_BGR2YUV_I420).tobytes()
    with camera_file.open("wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F15:1 Ip A1:1 C420jpeg\n")
        for _ in range(10):
            out.write(b"FRAME\n" + i420)


@pytest.mark.parametrize("lang", ["en", "ja", "zh_Hans"])
def test_a_phone_on_the_lan_scans_the_tills_qr_over_https_pays_in_cny_and_the_till_turns_to_paid(
        lan_browser, camera_file, https_server, core, shop_world, tmp_path, lang):
    shop, li = shop_world
    till, req = ring_up(lan_browser, https_server, core, shop, lang)
    film(screen_qr(till, tmp_path, req), camera_file)

    phone = context(lan_browser, lang, PHONE).new_page()
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
        lan_browser, http_server, core, shop_world, tmp_path, lang):
    shop, li = shop_world
    till, req = ring_up(lan_browser, http_server, core, shop, lang)
    phone = context(lan_browser, lang, PHONE).new_page()
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
