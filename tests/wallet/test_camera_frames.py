"""The scanning pipeline on what a phone camera sees: the till's code in a 1280x720 frame, degraded.

Frames come from ``tests.wallet.camera`` (the benchmark's camera simulator) with fixed seeds, at levels
the pipeline must read; ``benchmarks/scanner.py`` takes every family on to where nothing reads.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from pos.core.codec import RequestPayload, build_signed_request
from tests.core.codec.vectors import REAL_WORLD
from tests.wallet.camera import Camera, photograph
from tests.wallet.images import write_video
from wallet_app import scanner
from wallet_app.scanner import SourceUnavailable, decode_all, decode_image_bytes

TEA_HOUSE = RequestPayload(
    request_id="pr_8c2e61f0a9", merchant_id="m_tea", terminal_id="t_02", mcc="5814", currency="CNY",
    amount_minor=3850, country="CN", merchant_name="SHANGHAI TEA HOUSE", merchant_city="SHANGHAI",
    postal_code="200000", name_local="上海茶馆", city_local="上海市黄浦区", language="zh", bill_number="INV-0007",
    reference="ORDER-7", terminal_label="COUNTER-2", expires_at=1767225600,
)
JPQR_CAFE = next(payload for scheme, payload, _ in REAL_WORLD if scheme == "jpqr")  # メルペイ カフェ


@pytest.fixture(scope="module")
def chinese_payload() -> str:
    return build_signed_request(TEA_HOUSE, key_id="k1", secret=b"test secret")


def shoot(payloads, seed: int = 7, **conditions) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return photograph(payloads, Camera.handheld(rng, **conditions), rng).image


def texts(frame: np.ndarray) -> list[str]:
    return [code.text for code in decode_all(frame)]


CONDITIONS = {
    "tilted 45 degrees": {"tilt": 45},
    "rotated 60 degrees with modules of 2.4 px": {"rotation": 60, "module_px": 2.4},
    "modules of 1.8 px": {"module_px": 1.8},
    "out of focus": {"module_px": 4.0, "focus_sigma": 1.6},
    "motion blur": {"module_px": 4.0, "motion_px": 5, "motion_angle": 30},
    "sensor noise": {"module_px": 2.2, "noise_sigma": 45},
    "washed out, unevenly lit": {"contrast": 0.12, "light_falloff": 0.6},
    "a lamp's glare": {"glare": 0.15},
    "screen moire": {"module_px": 2.6, "moire": 0.8},
    "heavy JPEG": {"module_px": 2.5, "jpeg_quality": 15},
    "a finger on a corner": {"finger": 0.05},
    "light on dark": {"inverted": True, "module_px": 3.0},
    "mirrored": {"mirrored": True, "module_px": 3.0},
}


@pytest.mark.parametrize("conditions", CONDITIONS.values(), ids=CONDITIONS.keys())
def test_a_signed_request_is_read_exactly_through_the_camera(signed_payload, conditions):
    assert texts(shoot([signed_payload], **conditions)) == [signed_payload]


def test_chinese_and_japanese_merchant_names_survive_the_camera(signed_payload, chinese_payload):
    assert "渋谷ラーメン" in signed_payload and "上海茶馆" in chinese_payload
    for payload in (signed_payload, chinese_payload, JPQR_CAFE):
        assert texts(shoot([payload], seed=11, module_px=3.0)) == [payload]


def test_two_codes_in_one_frame_are_both_read(signed_payload, chinese_payload):
    frame = shoot([signed_payload, chinese_payload], seed=3, module_px=2.2)
    assert sorted(texts(frame)) == sorted([signed_payload, chinese_payload])


@pytest.mark.parametrize(("module_px", "seed"), [(1.8, 0), (1.5, 12)])
def test_a_second_small_code_that_only_clean_up_reads_is_read_after_the_first(
    signed_payload, chinese_payload, module_px, seed
):
    found = decode_all(shoot([signed_payload, chinese_payload], seed=seed, module_px=module_px))
    assert sorted(code.text for code in found) == sorted([signed_payload, chinese_payload])
    # the second was read by the clean-up ladder, climbed although a code was read already: its texture is as
    # dense as the first one's (at 1.5 px both are faint, 0.6 of the densest)
    assert found[1].step == "enlarge"


def test_a_live_scan_stops_at_the_first_code(signed_payload, chinese_payload):
    frame = shoot([signed_payload, chinese_payload], seed=3, module_px=3.0)
    assert scanner.decode_frame(frame).text in (signed_payload, chinese_payload)


@pytest.mark.parametrize("seed", range(6))
def test_frames_without_a_code_read_nothing_even_with_code_like_things_in_them(seed):
    rng = np.random.default_rng(seed)
    frame = photograph([], Camera.handheld(rng, noise_sigma=8), rng, decoys=True).image
    assert texts(frame) == []


@pytest.mark.parametrize("conditions", [{"module_px": 0.8}, {"glare": 0.8}, {"focus_sigma": 6}],
                         ids=["too small", "drowned in glare", "far out of focus"])
def test_an_unreadable_code_reads_as_nothing_not_as_something_else(signed_payload, conditions):
    assert texts(shoot([signed_payload], **conditions)) == []


def test_an_uploaded_photo_is_decoded_from_its_bytes(signed_payload, chinese_payload):
    frame = shoot([signed_payload, chinese_payload], seed=5, module_px=3.0)
    jpeg = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 85])[1].tobytes()
    assert sorted(decode_image_bytes(jpeg)) == sorted([signed_payload, chinese_payload])
    png = cv2.imencode(".png", shoot([], seed=5))[1].tobytes()
    assert decode_image_bytes(png) == []


@pytest.mark.parametrize("data", [b"", b"not an image", b"\xff\xd8\xff\xe0 truncated jpeg"])
def test_bytes_that_are_no_image_are_refused_clearly(data):
    with pytest.raises(SourceUnavailable):
        decode_image_bytes(data)


def test_a_video_of_a_phone_moving_in_on_the_till_is_read_once_the_code_is_big_enough(tmp_path, signed_payload):
    rng = np.random.default_rng(21)
    shots = [photograph([signed_payload], Camera.handheld(rng, module_px=size, motion_px=2), rng).image
             for size in (0.6, 0.8, 1.0, 2.0, 3.0)]
    assert texts(shots[0]) == []  # too far away at first
    path = tmp_path / "approach.mp4"
    write_video(path, shots, fourcc="mp4v")
    assert scanner.scan(str(path)) == signed_payload
