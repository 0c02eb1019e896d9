"""A phone camera's view of the till: the QR code on a screen, in a 1280x720 frame, through optics, light, sensor, JPEG.

The scanner tests and ``benchmarks/scanner.py`` make their camera-like frames here, from real payloads.
``Camera`` holds one frame's conditions (each field one degradation, 0 or neutral = absent);
``photograph`` renders the till's screen (the code on a white card, a line of text) in perspective
onto a cluttered counter, then applies them in the order a camera does: what is in front of the screen
(glare, a finger), focus and motion blur, uneven light, sensor noise, JPEG. Randomness only comes from
the numpy ``Generator`` the caller passes, so a seed gives the same frames everywhere.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import qrcode

FRAME_SIZE = (1280, 720)
PAGE_PX = 8  # page pixels per module: the screen is drawn at this scale, then projected into the frame
FOCAL_PX = 1000.0  # a phone's main camera at 1280x720 (about 65 degrees across)
SKIN_BGR = (120, 150, 205)


@functools.lru_cache(maxsize=256)
def modules(payload: str) -> np.ndarray:
    """The payload's QR modules (True = dark) with the 4-module quiet zone, error correction M as the till."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(payload)
    code.make(fit=True)
    grid = np.array(code.get_matrix(), bool)
    grid.flags.writeable = False  # cached: shared by every frame of this payload
    return grid


@dataclass(frozen=True, slots=True)
class Camera:
    """One frame's conditions. Sizes are in frame pixels unless a field says it is a fraction of the code."""

    module_px: float = 5.0  # a module's side seen face on
    rotation: float = 0.0  # degrees, in the screen's plane
    tilt: float = 0.0  # degrees between the screen and the camera's view
    tilt_axis: float = 0.0  # degrees: which way the screen leans
    focus_sigma: float = 0.6  # Gaussian blur of the lens, pixels
    motion_px: float = 0.0  # length of a motion-blur streak
    motion_angle: float = 0.0
    noise_sigma: float = 3.0  # sensor noise, grey levels
    contrast: float = 1.0  # the screen's dark-to-light span, 1 = full, 0.1 = a washed-out screen
    light_falloff: float = 0.15  # how much darker the frame's dimmest side is than its brightest
    glare: float = 0.0  # radius of a reflection over the code, fraction of the code's side
    moire: float = 0.0  # darkness of the screen's pixel grid between 0 and 1
    finger: float = 0.0  # how far a fingertip reaches into the code from a corner, fraction of its side
    jpeg_quality: int = 92
    inverted: bool = False  # light modules on a dark screen
    mirrored: bool = False  # seen in a mirror, or through a front camera

    @classmethod
    def handheld(cls, rng: np.random.Generator, **overrides) -> Camera:
        """A phone held in front of the till: a little off-axis, a little soft; ``overrides`` set fields."""
        base = cls(
            module_px=float(rng.uniform(4.0, 6.0)), rotation=float(rng.uniform(-8, 8)),
            tilt=float(rng.uniform(0, 10)), tilt_axis=float(rng.uniform(0, 360)),
            focus_sigma=float(rng.uniform(0.4, 0.8)), noise_sigma=float(rng.uniform(2, 4)),
            light_falloff=float(rng.uniform(0.05, 0.3)), jpeg_quality=int(rng.integers(85, 96)),
        )
        return dataclasses.replace(base, **overrides)


@dataclass(frozen=True, slots=True)
class Photo:
    """A camera frame (BGR, and the JPEG it was decoded from) and where each code's corners are (quiet zone
    included), in payload order."""

    image: np.ndarray
    jpeg: bytes
    quads: tuple[np.ndarray, ...]


def photograph(payloads: Sequence[str], camera: Camera, rng: np.random.Generator, *, decoys: bool = False) -> Photo:
    """A 1280x720 frame showing each payload's code (side by side if several) on the till's screen.

    :param decoys: also put QR-like things on the counter that are no code (finder-like squares,
        module textures, a checkerboard): a scanner must read nothing in them.
    """
    frame = counter(rng)
    if decoys:
        _draw_decoys(frame, rng)
    width, height = FRAME_SIZE
    code_quads = []
    for index, payload in enumerate(payloads):
        slot = (index + 0.5) / len(payloads)
        center = (width * slot + rng.uniform(-40, 40) / len(payloads), height / 2 + rng.uniform(-60, 60))
        grid = modules(payload)
        page, code_box = till_screen(grid, camera, rng)
        page_quad = _project(page.shape, center, camera)
        homography = cv2.getPerspectiveTransform(_corners(page.shape), page_quad)
        _paste(frame, page, homography)
        code_quads.append(cv2.perspectiveTransform(code_box[None], homography)[0])
    for quad in code_quads:
        if camera.glare:
            _glare(frame, quad, camera.glare, rng)
        if camera.finger:
            _finger(frame, quad, camera.finger, rng)
    jpeg = _expose(frame, camera, rng)
    return Photo(cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR), jpeg, tuple(code_quads))


def counter(rng: np.random.Generator) -> np.ndarray:
    """The scene behind the screen: a lit gradient, boxes, round things and printed words."""
    width, height = FRAME_SIZE
    ramp = np.linspace(0, 1, width, dtype=np.float32)[None, :, None]
    left, right = rng.uniform(60, 200, 3), rng.uniform(60, 200, 3)
    frame = np.broadcast_to(left + (right - left) * ramp, (height, width, 3)).astype(np.uint8).copy()
    for _ in range(int(rng.integers(4, 9))):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        w, h = int(rng.integers(40, 300)), int(rng.integers(40, 200))
        cv2.rectangle(frame, (x, y), (x + w, y + h), rng.integers(0, 256, 3).tolist(), -1)
    for _ in range(int(rng.integers(2, 5))):
        center = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        cv2.circle(frame, center, int(rng.integers(10, 80)), rng.integers(0, 256, 3).tolist(), -1)
    for _ in range(int(rng.integers(3, 7))):
        text = str(rng.choice(["RAMEN 850", "TOTAL", "GYOZA 480", "THANK YOU", "No. 0042", "TAX 10%"]))
        origin = (int(rng.integers(0, width - 200)), int(rng.integers(30, height)))
        cv2.putText(frame, text, origin, cv2.FONT_HERSHEY_SIMPLEX, float(rng.uniform(0.6, 1.6)),
                    rng.integers(0, 256, 3).tolist(), int(rng.integers(1, 4)), cv2.LINE_AA)
    return frame


def till_screen(grid: np.ndarray, camera: Camera, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The till's page around the code, in page pixels, and the code's corners on it (quiet zone included)."""
    grid = grid[:, ::-1] if camera.mirrored else grid
    paper, ink = (35.0, 240.0) if camera.inverted else (240.0, 25.0)
    ink = paper + (ink - paper) * camera.contrast
    code = np.where(grid, ink, paper).astype(np.uint8)
    code = cv2.resize(code, None, fx=PAGE_PX, fy=PAGE_PX, interpolation=cv2.INTER_NEAREST)
    margin = 6 * PAGE_PX
    page = np.full((code.shape[0] + 2 * margin, code.shape[1] + 2 * margin), paper, np.uint8)
    page[margin:-margin, margin:-margin] = code
    cv2.putText(page, f"{int(rng.integers(300, 9999)):,} JPY", (margin, margin - 12), cv2.FONT_HERSHEY_SIMPLEX,
                1.2, int(ink), 2, cv2.LINE_AA)
    page = page.astype(np.float32)
    if camera.moire:
        pitch = PAGE_PX // 4  # a module is four screen pixels wide, as a browser draws the till's code
        page[::pitch, :] *= 1 - camera.moire
        page[:, ::pitch] *= 1 - camera.moire
    side = code.shape[0]
    box = np.float32([[margin, margin], [margin + side, margin], [margin + side, margin + side],
                      [margin, margin + side]])
    return cv2.cvtColor(page, cv2.COLOR_GRAY2BGR), box


def _corners(shape) -> np.ndarray:
    h, w = shape[:2]
    return np.float32([[0, 0], [w, 0], [w, h], [0, h]])


def _project(shape, center, camera: Camera) -> np.ndarray:
    """Where the page's corners land in the frame: turned in plane, leaned back, seen through a pinhole."""
    scale = camera.module_px / PAGE_PX
    h, w = shape[:2]
    points = (_corners(shape) - [w / 2, h / 2]) * scale
    turn = math.radians(camera.rotation)
    rotate = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
    xyz = np.column_stack([points @ rotate.T, np.zeros(4)])
    axis = math.radians(camera.tilt_axis)
    rodrigues = np.array([math.cos(axis), math.sin(axis), 0.0]) * math.radians(camera.tilt)
    xyz = xyz @ cv2.Rodrigues(rodrigues)[0].T
    depth = FOCAL_PX + xyz[:, 2]
    projected = xyz[:, :2] * (FOCAL_PX / depth)[:, None]
    return (projected + center).astype(np.float32)


def _paste(frame: np.ndarray, page: np.ndarray, homography: np.ndarray) -> None:
    """Draw the page through the homography, supersampled so that small modules are smooth, not aliased."""
    corners = cv2.perspectiveTransform(_corners(page.shape)[None], homography)[0]
    height, width = frame.shape[:2]
    x0, y0 = np.maximum(np.floor(corners.min(0)).astype(int) - 2, 0)
    x1, y1 = np.minimum(np.ceil(corners.max(0)).astype(int) + 2, [width, height])
    if x1 <= x0 or y1 <= y0:
        return
    module_px = math.sqrt(abs(np.linalg.det(homography[:2, :2]))) * PAGE_PX
    factor = int(min(6, max(2, math.ceil(8 / max(module_px, 0.5)))))
    shift = np.array([[factor, 0, -x0 * factor], [0, factor, -y0 * factor], [0, 0, 1]], np.float64)
    size = ((x1 - x0) * factor, (y1 - y0) * factor)
    big = cv2.warpPerspective(page, shift @ homography, size, flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones(page.shape[:2], np.float32), shift @ homography, size, flags=cv2.INTER_LINEAR)
    small = cv2.resize(big, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA)
    alpha = cv2.resize(mask, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA)[..., None]
    region = frame[y0:y1, x0:x1].astype(np.float32)
    frame[y0:y1, x0:x1] = np.clip(small * alpha + region * (1 - alpha), 0, 255).astype(np.uint8)


def _glare(frame: np.ndarray, quad: np.ndarray, radius: float, rng: np.random.Generator) -> None:
    """A lamp's reflection on the screen's glass: a bright blob that saturates whatever is under it."""
    side = float(np.linalg.norm(quad[1] - quad[0]))
    weights = rng.dirichlet([2, 2, 2, 2])
    cx, cy = weights @ quad
    sigma = radius * side
    height, width = frame.shape[:2]
    x0, x1 = int(max(cx - 4 * sigma, 0)), int(min(cx + 4 * sigma + 1, width))
    y0, y1 = int(max(cy - 4 * sigma, 0)), int(min(cy + 4 * sigma + 1, height))
    ys, xs = np.ogrid[y0:y1, x0:x1]
    blob = np.exp(-((xs - cx) ** 2 + (ys - cy) ** 2 * 1.6) / (2 * sigma**2)) * 330
    frame[y0:y1, x0:x1] = np.clip(frame[y0:y1, x0:x1] + blob[..., None], 0, 255).astype(np.uint8)


def _finger(frame: np.ndarray, quad: np.ndarray, reach: float, rng: np.random.Generator) -> None:
    """A fingertip over one corner of the code, coming from outside along the diagonal; its rounded end
    reaches ``reach`` of the code's side into it."""
    corner = int(rng.integers(0, 4))
    center = quad.mean(0)
    inward = (center - quad[corner]) / np.linalg.norm(center - quad[corner])
    side = float(np.linalg.norm(quad[1] - quad[0]))
    thickness = max(4, int(0.25 * side))
    tip = quad[corner] + inward * (reach * side * math.sqrt(2) - thickness / 2)  # the round end's centre
    base = tip - inward * 3 * side
    cv2.line(frame, tuple(int(v) for v in base), tuple(int(v) for v in tip), SKIN_BGR, thickness, cv2.LINE_AA)
    nail = tip - inward * thickness * 0.35
    cv2.circle(frame, tuple(int(v) for v in nail), thickness // 4, (170, 185, 225), -1, cv2.LINE_AA)


def _draw_decoys(frame: np.ndarray, rng: np.random.Generator) -> None:
    """Things with a QR's look and no QR code: finder-like squares, random modules, a checkerboard."""
    height, width = frame.shape[:2]
    for _ in range(3):
        x, y, s = int(rng.integers(50, width - 150)), int(rng.integers(50, height - 150)), int(rng.integers(21, 60))
        for step, shade in enumerate((0, 255, 0)):
            inset = step * s // 7
            cv2.rectangle(frame, (x + inset, y + inset), (x + s - inset, y + s - inset), (shade,) * 3, -1)
    noise = rng.random((33, 33)) < 0.5
    for corner in ((0, 0), (0, 26), (26, 0)):  # three finders around random data: a QR that never decodes
        r, c = corner
        noise[r:r + 7, c:c + 7] = np.pad(np.pad(np.ones((3, 3), bool), 1), 1, constant_values=True)
    texture = cv2.resize(np.where(noise, 20, 235).astype(np.uint8), (165, 165), interpolation=cv2.INTER_NEAREST)
    x, y = int(rng.integers(0, width - 165)), int(rng.integers(0, height - 165))
    frame[y:y + 165, x:x + 165] = texture[..., None]
    board = (np.indices((8, 8)).sum(0) % 2 * 255).astype(np.uint8)
    board = cv2.resize(board, (120, 120), interpolation=cv2.INTER_NEAREST)
    x, y = int(rng.integers(0, width - 120)), int(rng.integers(0, height - 120))
    frame[y:y + 120, x:x + 120] = board[..., None]


def _expose(frame: np.ndarray, camera: Camera, rng: np.random.Generator) -> bytes:
    """Lens blur, shake, uneven light, sensor noise, in that order, then the camera's JPEG file."""
    image = frame.astype(np.float32)
    if camera.focus_sigma > 0:
        image = cv2.GaussianBlur(image, (0, 0), camera.focus_sigma)
    if camera.motion_px >= 1:
        image = cv2.filter2D(image, -1, _streak(camera.motion_px, camera.motion_angle))
    height, width = image.shape[:2]
    direction = rng.uniform(0, 2 * math.pi)
    ys, xs = np.ogrid[0:1:height * 1j, 0:1:width * 1j]
    ramp = ((xs - 0.5) * math.cos(direction) + (ys - 0.5) * math.sin(direction)).astype(np.float32)
    light = 1 - camera.light_falloff * (0.5 - ramp)
    image = cv2.multiply(image, cv2.merge([light, light, light]))
    noise = np.empty_like(image)
    cv2.setRNGSeed(int(rng.integers(2**31)))  # OpenCV's generator is much faster; seeded from ours
    cv2.randn(noise, 0.0, float(camera.noise_sigma))
    image += noise
    image = np.clip(image, 0, 255, out=image).astype(np.uint8)
    _ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(camera.jpeg_quality)])
    return jpeg.tobytes()


def _streak(length: float, angle: float) -> np.ndarray:
    size = math.ceil(length) | 1
    kernel = np.zeros((size, size), np.float32)
    half = (size - 1) / 2
    dx, dy = math.cos(math.radians(angle)) * length / 2, math.sin(math.radians(angle)) * length / 2
    cv2.line(kernel, (round(half - dx), round(half - dy)), (round(half + dx), round(half + dy)), 1.0, 1, cv2.LINE_AA)
    return kernel / kernel.sum()
