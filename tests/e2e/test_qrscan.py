"""pos/web/static/common/qrscan.js in a real browser: Debian's Chromium with a fake camera that films a QR
code (a Y4M file written with OpenCV), the vendored barcode-detector + zxing-wasm, all served by a local
Werkzeug server. Skipped when /usr/bin/chromium is absent."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image
from werkzeug.serving import make_server

from pos import qrimage
from pos.core.codec import RequestPayload, build_signed_request
from tests.e2e.chromium import launch
from tests.e2e.phone_and_till import fake_camera_browser, write_y4m

pytestmark = pytest.mark.e2e

STATIC = Path(__file__).resolve().parents[2] / "pos" / "web" / "static"
SIGNED_JA = build_signed_request(RequestPayload(
    request_id="pr_7QK2xw9F3mZ", merchant_id="m_shibuya_ramen", terminal_id="t_01", mcc="5812", currency="JPY",
    amount_minor=1280, country="JP", merchant_name="SHIBUYA RAMEN", merchant_city="TOKYO", postal_code="1500002",
    name_local="渋谷ラーメン", city_local="東京", language="ja", reference="TABLE-7", expires_at=1767225600,
), key_id="k1", secret=b"terminal secret")

PAGE = """<!doctype html><meta charset="utf-8"><title>qrscan</title>
<video id="camera" playsinline muted autoplay width="320"></video>
<input type="file" id="photo" accept="image/*"><output id="out"></output>
<script type="module">
import { startCameraScan, decodeImageFile } from "/static/common/qrscan.js";
const report = (kind, value) => { const out = document.getElementById("out"); out.textContent = value;
                                  out.dataset.kind = kind; };
const video = document.getElementById("camera");
if (location.hash === "#camera") {
  window.stopScan = startCameraScan(video, (text) => report("code", text),
                                    { onError: (error) => report("error", error.reason) });
}
document.getElementById("photo").addEventListener("change", async (event) => {
  try {
    const text = await decodeImageFile(event.target.files[0]);
    report(text === null ? "none" : "code", text ?? "");
  } catch (error) { report("error", error.reason); }
});
</script>"""


@pytest.fixture(scope="module")
def server():
    app = Flask(__name__, static_folder=str(STATIC), static_url_path="/static")
    app.add_url_rule("/", "page", lambda: PAGE)
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv.server_port
    srv.shutdown()
    srv.server_close()
    thread.join()


@pytest.fixture(scope="module")
def camera_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("camera") / "camera.y4m"
    write_y4m(path, SIGNED_JA)
    return path


@pytest.fixture(scope="module")
def browser(playwright, camera_file):
    browser = fake_camera_browser(playwright, camera_file)
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


def result(page) -> tuple[str, str]:
    out = page.wait_for_selector("#out[data-kind]", state="attached")
    return out.get_attribute("data-kind"), out.text_content()


def test_the_camera_reads_a_signed_request_with_a_japanese_name_to_the_exact_text(page, server):
    page.goto(f"http://127.0.0.1:{server}/#camera")
    assert result(page) == ("code", SIGNED_JA)
    assert all(url.startswith(f"http://127.0.0.1:{server}/") for url in page.requests)  # no CDN
    assert f"http://127.0.0.1:{server}/static/vendor/barcode-detector/zxing_reader.wasm" in page.requests


def test_a_scan_stops_the_camera_once_it_has_read_a_code(page, server):
    page.goto(f"http://127.0.0.1:{server}/#camera")
    result(page)
    assert page.evaluate("document.getElementById('camera').srcObject") is None
    page.evaluate("window.stopScan()")  # stopping again is harmless


def test_a_photo_of_a_code_is_read_and_a_photo_without_one_gives_nothing(page, server, tmp_path):
    page.goto(f"http://127.0.0.1:{server}/")
    photo = tmp_path / "code.png"
    photo.write_bytes(qrimage.render_png("付款码 28476103958472610395"))
    page.set_input_files("#photo", str(photo))
    assert result(page) == ("code", "付款码 28476103958472610395")
    page.goto(f"http://127.0.0.1:{server}/")
    blank = tmp_path / "blank.png"
    Image.new("L", (200, 200), 255).save(blank)
    page.set_input_files("#photo", str(blank))
    assert result(page) == ("none", "")


def test_a_file_that_is_not_an_image_is_reported_as_such(page, server, tmp_path):
    page.goto(f"http://127.0.0.1:{server}/")
    text = tmp_path / "note.png"
    text.write_text("not a picture")
    page.set_input_files("#photo", str(text))
    assert result(page) == ("error", "bad-image")


def test_a_page_on_a_plain_http_lan_address_says_insecure_instead_of_failing(page, server):
    page.goto(f"http://qrpos.lan:{server}/#camera")
    assert page.evaluate("window.isSecureContext") is False
    assert result(page) == ("error", "insecure")


def test_a_refused_camera_is_reported_as_denied(playwright, server, camera_file):
    browser = launch(playwright, "--use-fake-device-for-media-stream",
                     f"--use-file-for-fake-video-capture={camera_file}")  # no auto-accepting fake UI
    try:
        page = browser.new_context().new_page()
        page.goto(f"http://127.0.0.1:{server}/#camera")
        assert result(page) == ("error", "denied")
    finally:
        browser.close()

