"""Helpers for the end-to-end tests where a phone pays the till: Chromium with a fake camera that films a Y4M
file, browser contexts at phone and tablet size in the three languages, the tourist's world at the ramen shop,
the wallet's sign-in and the cashier ringing up a sale.

Shared by ``test_phone_wallet`` (the app in a thread) and ``test_phone_over_https`` (``qrpos serve`` over
HTTPS on a LAN name), with their fixtures in ``conftest.py``; ``test_qrscan`` films its codes with the same
camera.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from pos import qrimage
from pos.core import payments, reports
from tests.core.worlds import jpy_cny_rate, ramen_shop, yuan_wallet
from tests.e2e.chromium import launch
from tests.e2e.test_checkout_page import sign_in as till_sign_in
from tests.web.conftest import till_staff

expect = pytest.importorskip("playwright.sync_api").expect

LAN_NAME = "qrpos.lan"  # resolved to this machine by Chromium, as a phone resolves the shop server's LAN address
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
TABLET = {"viewport": {"width": 1024, "height": 768}}
LOCALES = {"en": "en-US", "ja": "ja-JP", "zh_Hans": "zh-CN"}
PAID = {"en": "Paid", "ja": "支払い完了", "zh_Hans": "支付成功"}
TILL_PAID = {"en": "Paid. Thank you!", "ja": "支払い完了", "zh_Hans": "支付成功"}


def fake_camera_browser(playwright, camera_file: Path):
    """Chromium whose camera plays ``camera_file`` (re-read at each capture session: rewrite it per test), the
    camera allowed without asking, and ``qrpos.lan`` resolving to 127.0.0.1: a name that is not loopback, so
    a page there is a secure context only over HTTPS."""
    return launch(playwright, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                  f"--use-file-for-fake-video-capture={camera_file}",
                  f"--host-resolver-rules=MAP {LAN_NAME} 127.0.0.1")


def film(camera_file: Path, picture: np.ndarray, frames: int = 10) -> None:
    """``picture`` (BGR, at most 640x480) centred on white as the fake camera's 640x480 video (Y4M, 4:2:0)."""
    frame = np.full((480, 640, 3), 255, np.uint8)
    top, left = (480 - picture.shape[0]) // 2, (640 - picture.shape[1]) // 2
    frame[top:top + picture.shape[0], left:left + picture.shape[1]] = picture
    i420 = cv2.cvtColor(frame, cv2.COLOR_BGR2YUV_I420).tobytes()
    with camera_file.open("wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F15:1 Ip A1:1 C420jpeg\n")
        for _ in range(frames):
            out.write(b"FRAME\n" + i420)


def write_y4m(path: Path, payload: str, frames: int = 10) -> None:
    """A 640x480 video of a QR code of ``payload`` on white, as Chromium's fake camera plays it."""
    film(path, cv2.cvtColor(np.array(qrimage.render_image(payload, scale=5).convert("L")), cv2.COLOR_GRAY2BGR),
         frames)


def film_screenshot(screenshot: Path, camera_file: Path) -> None:
    """A screenshot (of the till's QR) scaled to fit the frame with a margin, as the phone camera's video."""
    screen = cv2.imread(str(screenshot), cv2.IMREAD_COLOR)
    scale = min(440 / screen.shape[0], 600 / screen.shape[1])
    film(camera_file, cv2.resize(screen, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))


def tourist_at_the_ramen_shop(core):
    """The ramen shop with a cashier at its till, a JPY→CNY rate, and a tourist's CNY wallet without miles."""
    shop = ramen_shop(core)
    till_staff(core, shop)
    jpy_cny_rate(core)
    return shop, yuan_wallet(core, miles=0)


def new_context(browser, lang: str, size: dict | None = None, **options):
    """A browser context at phone size (or ``size``) in ``lang``'s locale."""
    context = browser.new_context(**(size or PHONE), locale=LOCALES[lang], **options)
    context.set_default_timeout(15_000)
    return context


def wallet_sign_in(page, base: str, wallet_id: str, lang: str, pin: str = "8888") -> None:
    page.goto(f"{base}/wallet/login?lang={lang}")
    page.locator("#wallet").fill(wallet_id)
    page.locator("#pin").fill(pin)
    page.locator("form.stack button[type=submit]").click()
    expect(page.locator("#balance")).to_be_visible()


def ring_up(context, base: str, core, shop, lang: str):
    """The cashier signs in to the till's page in ``context`` and charges two gyoza; returns the page and the
    request it shows."""
    till = context.new_page()
    till_sign_in(till, base, shop, lang)
    till.locator('.item[data-item="gyoza"]').click()
    till.locator("#charge").click()
    expect(till.locator("#qr svg")).to_be_visible()
    state = reports.terminal_state(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"])
    return till, payments.get_request(core, state["open_request_id"])
