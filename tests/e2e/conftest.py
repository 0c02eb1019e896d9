"""End to end: the real app on a real socket (Werkzeug's ``make_server`` in a thread) driven by a real
browser, Debian's /usr/bin/chromium through Playwright's sync API. Skipped when Chromium is absent.

Playwright's own browser download is never used (``playwright install`` needs a CDN); nor is
pytest-playwright, whose deprecation warning fails a run under ``filterwarnings = ["error"]``.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from pos import create_app
from tests.e2e.chromium import launch
from tests.e2e.phone_and_till import fake_camera_browser, tourist_at_the_ramen_shop, write_y4m
from tests.web.conftest import TEST_CONFIG


@pytest.fixture(scope="session")
def browser(playwright):
    browser = launch(playwright)
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 800}, locale="en-US")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def live_server(core):
    """The app on the test's core (SQLite or PostgreSQL), served on 127.0.0.1 with threads."""
    app = create_app({**TEST_CONFIG, "CORE": core, "SECRET_KEY": "e2e-tests"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    app.extensions["qrpos.notifier"].close()  # the streams still open end now, before the test's database goes
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def camera_file(tmp_path_factory) -> Path:
    """The Y4M video the fake camera plays, one per test module."""
    return tmp_path_factory.mktemp("camera") / "camera.y4m"


@pytest.fixture(scope="module")
def camera_browser(playwright, camera_file):
    """Chromium with a fake camera playing ``camera_file`` (nothing to read until a test writes a code in it)."""
    write_y4m(camera_file, "nothing yet")
    browser = fake_camera_browser(playwright, camera_file)
    yield browser
    browser.close()


@pytest.fixture
def shop_world(core):
    """The ramen shop with a cashier at its till and a JPY→CNY rate, and a tourist's CNY wallet."""
    return tourist_at_the_ramen_shop(core)
