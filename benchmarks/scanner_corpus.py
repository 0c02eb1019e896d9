"""The scanner benchmark's corpus: camera-like 1280x720 frames and short videos, made from real payloads.

Payloads: our signed payment requests (Japanese and Chinese merchants; version 11-13 codes, as the till
shows them) and the other schemes' real payloads from the codec's test vectors. Each degradation family
has six graded levels, from all readable to nearly nothing; every frame starts from a phone held in
front of the till (``Camera.handheld``) and the family changes one thing. Frames are kept as the
camera's JPEG bytes (small, and exactly the frame). Seeded: the same seed gives the same corpus, and
each (family, level) has its own generator, so they can be made in parallel.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from pos.core.codec import RequestPayload, build_signed_request
from tests.core.codec.vectors import REAL_WORLD
from tests.wallet.camera import Camera, photograph

LEVELS = 6
SIZES = [4.0, 3.0, 2.2, 1.8, 1.5, 1.2]  # module sides in frame pixels, for the families graded by size


@dataclass(frozen=True, slots=True)
class Sample:
    """One frame (JPEG bytes) and the payloads it shows (none for a frame without a code)."""

    family: str
    level: int
    jpeg: bytes
    expected: tuple[str, ...]

    def image(self) -> np.ndarray:
        image = cv2.imdecode(np.frombuffer(self.jpeg, np.uint8), cv2.IMREAD_COLOR)
        assert image is not None  # our own JPEG
        return image


MERCHANTS = [  # (name, local name, city, local city, language, currency, country)
    ("SHIBUYA RAMEN", "渋谷ラーメン", "TOKYO", "東京都渋谷区", "ja", "JPY", "JP"),
    ("KYOTO MATCHA HOUSE", "京都抹茶処", "KYOTO", "京都市", "ja", "JPY", "JP"),
    ("SHANGHAI TEA HOUSE", "上海茶馆", "SHANGHAI", "上海市", "zh", "CNY", "CN"),
    ("BEIJING DUMPLINGS", "北京饺子馆", "BEIJING", "北京市朝阳区", "zh", "CNY", "CN"),
]


def signed_requests(count: int, rng: np.random.Generator) -> list[str]:
    """Our signed dynamic requests, as the till builds them, with Japanese and Chinese merchant names."""
    payloads = []
    for index in range(count):
        name, local, city, city_local, language, currency, country = MERCHANTS[index % len(MERCHANTS)]
        request = RequestPayload(
            request_id=f"pr_{int(rng.integers(16**10)):010x}", merchant_id=f"m_{index % len(MERCHANTS)}",
            terminal_id="t_01", mcc="5812", currency=currency, amount_minor=int(rng.integers(100, 99_999)),
            country=country, merchant_name=name, merchant_city=city, postal_code="1500002", name_local=local,
            city_local=city_local, language=language, bill_number=f"INV-{index:04d}", reference=f"ORDER-{index}",
            terminal_label="COUNTER-1", expires_at=1767225600 + index,
        )
        payloads.append(build_signed_request(request, key_id="k1", secret=b"benchmark secret"))
    return payloads


def _sized(**extra) -> Callable[[int, np.random.Generator], dict]:
    return lambda level, rng: {"module_px": SIZES[level], **extra}


# Each family: (level, rng) -> the Camera fields it changes, from readable (0) to nearly nothing (5).
FAMILIES: dict[str, Callable[[int, np.random.Generator], dict]] = {
    "tilt": lambda level, rng: {"tilt": [10, 35, 50, 60, 68, 75][level]},
    "rotation": lambda level, rng: {"rotation": float(rng.uniform(20, 70) + 90 * rng.integers(4)),
                                    "module_px": [4.0, 3.0, 2.4, 2.0, 1.7, 1.4][level]},
    "small": _sized(),
    "blur": lambda level, rng: {"module_px": 4.0, "focus_sigma": [0.8, 1.4, 1.8, 2.2, 2.6, 3.2][level]},
    "motion": lambda level, rng: {"module_px": 4.0, "motion_px": [2, 4, 6, 8, 10, 14][level],
                                  "motion_angle": float(rng.uniform(0, 180))},
    "noise": lambda level, rng: {"module_px": 1.7, "noise_sigma": [10, 30, 50, 70, 100, 140][level]},
    "light": lambda level, rng: {"contrast": [0.5, 0.3, 0.18, 0.12, 0.08, 0.05][level], "light_falloff": 0.6},
    "glare": lambda level, rng: {"glare": [0.1, 0.2, 0.3, 0.4, 0.5, 0.65][level]},
    "moire": lambda level, rng: {"module_px": [3.2, 3.0, 2.6, 2.2, 1.9, 1.6][level], "moire": 0.8},
    "jpeg": lambda level, rng: {"module_px": 2.5, "jpeg_quality": [60, 35, 20, 12, 8, 5][level]},
    "finger": lambda level, rng: {"finger": [0.02, 0.05, 0.08, 0.11, 0.15, 0.2][level]},
    "inverted": _sized(inverted=True),
    "mirrored": _sized(mirrored=True),
    "two codes": _sized(),
    "no code": lambda level, rng: {},
}


def tasks(per_level: int, seed: int) -> list[tuple[str, int, int, int]]:
    """One task per (family, level): the arguments of ``make_level``."""
    return [(family, level, per_level, seed) for family in FAMILIES for level in range(LEVELS)]


def make_level(family: str, level: int, per_level: int, seed: int) -> list[Sample]:
    """``per_level`` frames of one family at one level; a third show other schemes' codes."""
    rng = np.random.default_rng([seed, list(FAMILIES).index(family), level])
    ours, others = signed_requests(8, rng), [payload for _, payload, _ in REAL_WORLD]
    samples = []
    for index in range(per_level):
        count = {"two codes": 2, "no code": 0}.get(family, 1)
        pool = others if index % 3 == 2 else ours
        payloads = tuple(str(pool[int(i)]) for i in rng.choice(len(pool), count, replace=False))
        camera = Camera.handheld(rng, **FAMILIES[family](level, rng))
        photo = photograph(payloads, camera, rng, decoys=family == "no code")
        samples.append(Sample(family, level, photo.jpeg, payloads))
    return samples


def make_clip(clip: int, length: int, seed: int) -> list[Sample]:
    """An MP4 clip of a phone moving in on the till, read back by OpenCV: level ``clip % 6`` shakes more.

    It starts far (modules of 1.2 px) and ends close (5 px); level ``k`` shakes up to ``2k+1`` px.
    """
    rng = np.random.default_rng([seed, 99, clip])
    level, payload = clip % LEVELS, signed_requests(1, rng)[0]
    camera = Camera.handheld(rng)
    shots = []
    for step in range(length):
        moved = dataclasses.replace(camera, module_px=1.2 + 3.8 * step / (length - 1),
                                    motion_px=float(rng.uniform(0, 2 * level + 1)),
                                    motion_angle=float(rng.uniform(0, 180)))
        shots.append(photograph([payload], moved, rng).image)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "clip.mp4"
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), 15, shots[0].shape[1::-1])
        for shot in shots:
            writer.write(shot)
        writer.release()
        capture, samples = cv2.VideoCapture(str(path)), []
        ok, image = capture.read()
        while ok:
            png = cv2.imencode(".png", image)[1].tobytes()  # lossless: the frame exactly as the video gave it
            samples.append(Sample("video", level, png, (payload,)))
            ok, image = capture.read()
        capture.release()
    return samples
