"""Why HTTPS at all: in a real browser (Debian's Chromium), a page from a LAN name is a secure context
with the camera over our HTTPS server, and has neither over plain HTTP. Skipped without Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.serving.conftest import DEADLINE

CHROMIUM = Path("/usr/bin/chromium")
# Loopback counts as secure whatever the scheme, so the page is opened by a name that maps to it, as
# a phone would open the shop server by its LAN address.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--host-resolver-rules=MAP till.lan 127.0.0.1",
        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
CAMERA = ("navigator.mediaDevices ? navigator.mediaDevices.getUserMedia({video: true})"
          ".then(s => { s.getTracks().forEach(t => t.stop()); return 'camera'; }, e => e.name) : 'no mediaDevices'")


@pytest.fixture(scope="module")
def chromium(playwright):  # the run's one Playwright (tests/conftest.py): its sync API allows one per thread
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    yield browser
    browser.close()


def visit(chromium, url: str, *, ignore_https_errors: bool) -> tuple[bool, str]:
    context = chromium.new_context(ignore_https_errors=ignore_https_errors)
    try:
        page = context.new_page()
        page.set_default_timeout(DEADLINE * 1000)
        page.goto(url)
        return page.evaluate("isSecureContext"), page.evaluate(CAMERA)
    finally:
        context.close()


def test_a_lan_page_gets_the_camera_over_https_and_not_over_plain_http(chromium, start_server):
    secure, plain = start_server(), start_server(tls=False, http_port=None)
    # Certificate errors ignored in the test only: the name is not in the certificate and the test CA
    # is not in Chromium's store; a phone trusts the CA instead (docs/https.md).
    assert visit(chromium, f"https://till.lan:{secure.port}/ping", ignore_https_errors=True) == (True, "camera")
    assert visit(chromium, f"http://till.lan:{plain.port}/ping", ignore_https_errors=False) == (
        False, "no mediaDevices")
