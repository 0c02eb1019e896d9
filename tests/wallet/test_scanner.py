"""The scanner on real pictures: PNG and JPEG files, degraded photos, video files, an MJPEG stream."""

from __future__ import annotations

import itertools
import time

import cv2
import numpy as np
import pytest
import zxingcpp

from tests.wallet.images import (
    blank_frame,
    mjpeg_stream,
    noisy,
    on_canvas,
    qr_image,
    rotated,
    scaled,
    tilted,
    write_video,
)
from wallet_app import scanner
from wallet_app.scanner import NoCodeFound, SourceUnavailable, decode_all, decode_frame, parse_source


def save(tmp_path, name, image):
    path = tmp_path / name
    assert cv2.imwrite(str(path), image)
    return str(path)


def test_a_png_of_a_signed_request_decodes_to_the_exact_payload(tmp_path, signed_payload):
    path = save(tmp_path, "request.png", qr_image(signed_payload))
    payload = scanner.scan(path)
    assert payload == signed_payload
    assert "渋谷ラーメン" in payload and "東京" in payload


def test_a_clean_code_is_read_by_the_first_pass_with_the_japanese_name_exact(signed_payload):
    decoded = decode_frame(qr_image(signed_payload))  # 584 px wide: read at its own size, no halving
    assert decoded.step == "full"
    assert decoded.text == signed_payload


def test_a_micro_qr_code_is_never_read_as_a_payload():
    # Micro QR's weak error detection let glare on a screen read as "3668" in the benchmark: only
    # QR Model 2 symbols count, so a real Micro QR is ignored too.
    micro = zxingcpp.write_barcode_to_image(zxingcpp.create_barcode("3668", zxingcpp.BarcodeFormat.MicroQRCode),
                                            scale=8)
    assert zxingcpp.read_barcodes(np.array(micro))  # it is a readable Micro QR code
    assert decode_all(on_canvas(cv2.cvtColor(np.array(micro), cv2.COLOR_GRAY2BGR))) == []


@pytest.mark.parametrize("variant", [
    pytest.param(lambda image: rotated(image, 30), id="rotated-30"),
    pytest.param(lambda image: rotated(image, 90), id="rotated-90"),
    pytest.param(lambda image: scaled(image, 0.5), id="scaled-half"),
    pytest.param(lambda image: scaled(image, 1.7), id="scaled-up"),
    pytest.param(lambda image: noisy(image), id="noisy"),
    pytest.param(lambda image: tilted(image), id="perspective"),
    pytest.param(lambda image: cv2.GaussianBlur(image, (5, 5), 0), id="blurred"),
])
def test_degraded_photos_still_decode(tmp_path, signed_payload, variant):
    path = save(tmp_path, "photo.png", variant(qr_image(signed_payload)))
    assert scanner.scan(path) == signed_payload


def test_a_jpeg_photo_decodes(tmp_path, signed_payload):
    path = save(tmp_path, "photo.jpg", on_canvas(qr_image(signed_payload, box_size=4)))
    assert scanner.scan(path) == signed_payload


def test_an_image_without_a_code_is_no_code_found(tmp_path):
    path = save(tmp_path, "blank.png", blank_frame())
    with pytest.raises(NoCodeFound, match=r"no QR code found in 1 frame$"):
        scanner.scan(path)


@pytest.mark.parametrize("height, width", [(1, 1), (1, 600), (600, 1), (3, 3), (19, 40), (20, 20)])
@pytest.mark.parametrize("texture", ["flat", "noise"])
def test_an_image_too_small_to_hold_a_code_reads_nothing_and_raises_nothing(height, width, texture):
    rng = np.random.default_rng(height * 1000 + width)
    image = (np.zeros((height, width, 3), np.uint8) if texture == "flat"
             else rng.integers(0, 256, (height, width, 3), dtype=np.uint8))
    assert decode_all(image) == []
    assert scanner.decode_image_bytes(cv2.imencode(".png", image)[1].tobytes()) == []


def test_a_missing_file_or_a_file_that_is_no_picture_is_unavailable(tmp_path):
    with pytest.raises(SourceUnavailable, match="no such file"):
        scanner.scan(str(tmp_path / "missing.png"))
    with pytest.raises(SourceUnavailable, match="no such file"):
        scanner.scan(str(tmp_path / "missing.mp4"))
    (tmp_path / "text.png").write_text("not a picture")
    with pytest.raises(SourceUnavailable, match="not a readable image"):
        scanner.scan(str(tmp_path / "text.png"))
    (tmp_path / "text.mp4").write_text("not a video")
    with pytest.raises(SourceUnavailable, match="not a readable video"):
        scanner.scan(str(tmp_path / "text.mp4"))


def test_a_camera_that_is_not_there_is_a_clear_error(capfd):
    # This machine has no /dev/video*; a machine with a camera would open it, so pick an absurd index.
    with pytest.raises(SourceUnavailable, match=r"^camera 97 cannot be opened"):
        scanner.scan("97", max_frames=1, timeout=1)
    assert capfd.readouterr().err == ""  # OpenCV's own warnings are silenced


def test_sources_are_told_apart():
    assert parse_source("0") == scanner.Source("camera", 0)
    assert parse_source("https://till.example/camera.mjpg").kind == "stream"
    assert parse_source("photo.JPG").kind == "image"
    assert parse_source("clip.mp4").kind == "video"


@pytest.mark.parametrize("suffix,fourcc", [(".avi", "MJPG"), (".mp4", "mp4v")])
def test_a_video_with_blank_frames_then_the_code_decodes(tmp_path, signed_payload, suffix, fourcc):
    code = on_canvas(qr_image(signed_payload, box_size=4))
    path = tmp_path / f"till{suffix}"
    write_video(path, [blank_frame()] * 5 + [code] * 5, fourcc=fourcc)
    assert scanner.scan(str(path)) == signed_payload
    with pytest.raises(NoCodeFound, match="in 3 frames"):
        scanner.scan(str(path), max_frames=3)


def test_a_video_without_a_code_ends_with_no_code_found(tmp_path):
    path = tmp_path / "empty.avi"
    write_video(path, [blank_frame()] * 4)
    with pytest.raises(NoCodeFound, match="in 4 frames"):
        scanner.scan(str(path))


def test_an_mjpeg_stream_is_a_virtual_webcam(signed_payload):
    frames = [blank_frame()] * 3 + [on_canvas(qr_image(signed_payload, box_size=4))]
    with mjpeg_stream(frames, then="repeat") as url:
        assert scanner.scan(url, max_frames=50, timeout=10) == signed_payload


def test_an_endless_stream_without_a_code_stops_at_the_deadline():
    ticks = itertools.count()  # a clock that advances one second per look: no waiting
    with mjpeg_stream([blank_frame()], loop=True) as url:
        with pytest.raises(NoCodeFound, match="in 5 frames"):
            scanner.scan(url, max_frames=10_000, timeout=5, clock=lambda: float(next(ticks)))


def test_a_stream_that_ends_without_a_code_is_no_code_found():
    with mjpeg_stream([blank_frame()] * 3) as url:
        with pytest.raises(NoCodeFound):
            scanner.scan(url, max_frames=100, timeout=10)


def test_a_stream_that_says_nothing_times_out_instead_of_hanging():
    with mjpeg_stream(silent=True) as url:
        started = time.monotonic()
        with pytest.raises(SourceUnavailable):
            scanner.scan(url, timeout=0.5)
        assert time.monotonic() - started < 5


def test_an_unreachable_stream_is_unavailable():
    with mjpeg_stream() as url:
        pass  # the server is gone again: its port refuses connections
    with pytest.raises(SourceUnavailable, match="cannot be opened"):
        scanner.scan(url, timeout=2)


def test_a_grey_frame_decodes_too(signed_payload):
    grey = cv2.cvtColor(qr_image(signed_payload), cv2.COLOR_BGR2GRAY)
    assert decode_frame(grey).text == signed_payload
    assert decode_frame(np.zeros((50, 50), np.uint8)) is None
