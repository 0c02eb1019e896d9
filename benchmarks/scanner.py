"""Scanner benchmark: the wallet's QR pipeline beside every candidate decoder, on camera-like frames.

    .venv/bin/python benchmarks/scanner.py [--quick] [--seed N] [--per-level N] [--against REV]

Makes its own corpus (benchmarks/scanner_corpus.py: 15 degradation families x 6 graded levels of
1280x720 frames, and short MP4 clips), runs each decoder once per frame, and prints per family the
share of codes each one read, the union of the candidates beside the pipeline, wrong payloads, reads in
frames without a code, and time per frame. No asserts: the goal (pipeline >= union, median <= 3 ms,
p95 <= 15 ms, nothing wrong, nothing read where there is no code) is checked in the last lines.

OpenCV runs on one thread (``cv2.setNumThreads(1)``), as in a server handling several scans at once;
wall-clock times depend on what else the machine runs, so the load average is printed too, and CPU
times beside them. ``--against REV`` also runs the pipeline as it was at git revision REV on every
frame, right beside the current one (in alternating order), and prints its figures and the ratios: a
comparison that holds on a busy machine.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import zxingcpp  # noqa: E402

from benchmarks.scanner_corpus import FAMILIES, LEVELS, Sample, make_clip, make_level, tasks  # noqa: E402
from wallet_app.scanner import decode_all  # noqa: E402

Decoder = Callable[[np.ndarray], list[str]]
PIPELINE, BEFORE, AGAINST = "pipeline", "before", "at REV"
QR_CODES = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


def zxing(preprocess: Callable[[np.ndarray], np.ndarray] | None = None, **options) -> Decoder:
    def read(frame: np.ndarray) -> list[str]:
        image = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        image = preprocess(image) if preprocess else image
        return [code.text for code in zxingcpp.read_barcodes(image, formats=QR_CODES, **options)]

    return read


def opencv(detector) -> Decoder:
    def read(frame: np.ndarray) -> list[str]:
        try:
            ok, texts, _points, _straight = detector.detectAndDecodeMulti(frame)
        except cv2.error:  # some finder-pattern geometries make OpenCV raise
            return []
        return [text for text in texts if text] if ok else []

    return read


def wechat(detector) -> Decoder:
    return lambda frame: [text for text in detector.detectAndDecode(frame)[0] if text]


def pipeline_at(revision: str) -> Decoder:
    """The pipeline's ``decode_all`` as it was at a git revision, loaded beside the current one.

    Its three modules are copied from git into a temporary package whose imports are renamed to it.
    """
    package = "scanner_at_revision"
    folder = Path(tempfile.mkdtemp()) / package
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    for module in ("decode", "locate", "cleanup"):
        source = subprocess.run(["git", "-C", str(ROOT), "show", f"{revision}:wallet_app/scanner/{module}.py"],
                                capture_output=True, text=True, check=True).stdout
        (folder / f"{module}.py").write_text(source.replace("wallet_app.scanner", package))
    sys.path.insert(0, str(folder.parent))
    decode_all_then = importlib.import_module(f"{package}.decode").decode_all
    return lambda frame: [code.text for code in decode_all_then(frame)]


def candidates() -> dict[str, Decoder]:
    """Each candidate, named as the tables show it; the WeChat detector only where cv2 has it (contrib)."""
    clahe = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8))
    found: dict[str, Decoder] = {
        "zx": zxing(),
        "zx-fast": zxing(try_rotate=False, try_invert=False, try_downscale=False),
        "zx-hist": zxing(binarizer=zxingcpp.Binarizer.GlobalHistogram),
        "zx-fixed": zxing(binarizer=zxingcpp.Binarizer.FixedThreshold),
        "zx+clahe": zxing(clahe.apply),
        "zx+sharp": zxing(lambda grey: cv2.addWeighted(grey, 2.0, cv2.GaussianBlur(grey, (0, 0), 2.0), -1.0, 0)),
        "zx+2x": zxing(lambda grey: cv2.resize(grey, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC),
                       try_downscale=False),
        "cv": opencv(cv2.QRCodeDetector()),
        "cv-aruco": opencv(cv2.QRCodeDetectorAruco()),
    }
    if hasattr(cv2, "wechat_qrcode_WeChatQRCode"):
        found["wechat"] = wechat(cv2.wechat_qrcode_WeChatQRCode())  # no CNN model files: its classic detector
    return found


class Tally:
    """Per decoder and family: codes shown and read, wrong payloads, false reads, times, reads per level."""

    def __init__(self) -> None:
        self.shown: dict[str, int] = defaultdict(int)
        self.read: dict[tuple[str, str], int] = defaultdict(int)
        self.by_level: dict[tuple[str, str, int], int] = defaultdict(int)
        self.wrong: dict[str, int] = defaultdict(int)
        self.false: dict[str, int] = defaultdict(int)
        self.wall: dict[str, list[float]] = defaultdict(list)
        self.cpu: dict[str, list[float]] = defaultdict(list)

    def add(self, name: str, sample: Sample, texts: list[str], wall: float, cpu: float) -> set[str]:
        good = set(texts) & set(sample.expected)
        self.read[name, sample.family] += len(good)
        self.by_level[name, sample.family, sample.level] += len(good)
        self.wrong[name] += len(set(texts) - set(sample.expected)) if sample.expected else 0
        self.false[name] += len(set(texts)) if not sample.expected else 0
        self.wall[name].append(wall)
        self.cpu[name].append(cpu)
        return good


def run(samples: list[Sample], decoders: dict[str, Decoder], tally: Tally, against: Decoder | None = None) -> None:
    pipelines: dict[str, Decoder] = {PIPELINE: lambda frame: [code.text for code in decode_all(frame)]}
    if against:
        pipelines[AGAINST] = against
    for index, sample in enumerate(samples):
        frame = sample.image()
        tally.shown[sample.family] += len(sample.expected)
        union: set[str] = set()
        results = {}
        for name, decode in decoders.items():
            wall, cpu = time.perf_counter(), time.process_time()
            texts = decode(frame)
            results[name] = (texts, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
            union |= tally.add(name, sample, *results[name])
        # Before this pipeline: zxing-cpp with its defaults, then OpenCV's QRCodeDetector when it read nothing.
        first, fallback = results["zx"], results["cv"]
        before = first if first[0] else (fallback[0], first[1] + fallback[1], first[2] + fallback[2])
        tally.add(BEFORE, sample, *before)
        tally.add("union", sample, sorted(union), 0.0, 0.0)
        order = list(pipelines) if index % 2 == 0 else list(pipelines)[::-1]  # neither always runs first
        for name in order:
            wall, cpu = time.perf_counter(), time.process_time()
            texts = pipelines[name](frame)
            tally.add(name, sample, texts, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)


def report(tally: Tally, names: list[str], families: list[str]) -> None:
    columns = [*names, BEFORE, "union", *([AGAINST] if tally.cpu[AGAINST] else []), PIPELINE]
    print("\nCodes read, % of codes shown (no code: frames read, should be 0)")
    print(f"{'family':<10}{'codes':>6} " + "".join(f"{name:>9}" for name in columns))
    for family in families:
        shown = tally.shown[family]
        cells = [_percent(tally.read[name, family], shown) if shown else str(tally.false[name]) for name in columns]
        print(f"{family:<10}{shown:>6} " + "".join(f"{cell:>9}" for cell in cells))
    total = sum(tally.shown.values())
    cells = [_percent(sum(tally.read[name, family] for family in families), total) for name in columns]
    print(f"{'all':<10}{total:>6} " + "".join(f"{cell:>9}" for cell in cells))
    print(f"{'wrong':<17}" + "".join(f"{tally.wrong[name]:>9}" for name in columns))
    for label, times in (("ms median", tally.wall), ("ms p95", tally.wall), ("cpu median", tally.cpu),
                         ("cpu p95", tally.cpu)):
        pick = statistics.median if "median" in label else _p95
        print(f"{label:<17}" + "".join(f"{pick(times[name]):>9.1f}" if times[name] and name != "union" else
                                       f"{'':>9}" for name in columns))
    print("\nPipeline, codes read by level (0 = mildest .. 5 = harshest), beside the union of the candidates")
    for family in families:
        if tally.shown[family]:
            ours = " ".join(f"{tally.by_level[PIPELINE, family, level]:>2}" for level in range(LEVELS))
            union = " ".join(f"{tally.by_level['union', family, level]:>2}" for level in range(LEVELS))
            then = " ".join(f"{tally.by_level[AGAINST, family, level]:>2}" for level in range(LEVELS))
            beside = f"   at REV {then}" if tally.cpu[AGAINST] else ""
            print(f"  {family:<10} pipeline {ours}   union {union}{beside}")


def verdict(tally: Tally, families: list[str]) -> None:
    short = [family for family in families if tally.read[PIPELINE, family] < tally.read["union", family]]
    wall = tally.wall[PIPELINE]
    print("\nGoal: pipeline >= union in every family: " + ("yes" if not short else f"no ({', '.join(short)})"))
    print(f"      median {statistics.median(wall):.1f} ms (goal <= 3), p95 {_p95(wall):.1f} ms (goal <= 15); "
          f"wrong payloads {tally.wrong[PIPELINE]}, reads in frames without a code {tally.false[PIPELINE]}")
    cpu = tally.cpu[PIPELINE]  # what the wall-clock figures come down to on an otherwise idle machine
    print(f"      CPU time: median {statistics.median(cpu):.1f} ms, p95 {_p95(cpu):.1f} ms")
    then = tally.cpu[AGAINST]
    if then:
        print(f"      against REV, same frames, same run: CPU median {statistics.median(then):.2f} ms -> "
              f"{statistics.median(cpu):.2f} ms (x{statistics.median(cpu) / statistics.median(then):.2f}), "
              f"p95 {_p95(then):.1f} -> {_p95(cpu):.1f} ms (x{_p95(cpu) / _p95(then):.2f}); codes read "
              f"{sum(tally.read[AGAINST, family] for family in families)} -> "
              f"{sum(tally.read[PIPELINE, family] for family in families)}")


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}" if whole else "-"


def _p95(values: list[float]) -> float:
    return float(np.percentile(values, 95)) if values else 0.0


def _make(task: tuple) -> list[Sample]:
    return make_clip(*task[1:]) if task[0] == "clip" else make_level(*task)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 frames per level and 6 short clips (about a minute)")
    parser.add_argument("--per-level", type=int, help="frames per family and level (default 5; 2 with --quick)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--against", metavar="REV", help="also time the pipeline of this git revision, frame by frame")
    args = parser.parse_args()
    per_level = args.per_level or (2 if args.quick else 5)
    clip_length = 8 if args.quick else 16
    cv2.setNumThreads(1)
    started = time.perf_counter()
    jobs = [*tasks(per_level, args.seed), *(("clip", clip, clip_length, args.seed) for clip in range(LEVELS))]
    with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        samples = [sample for batch in pool.map(_make, jobs) for sample in batch]
    made = time.perf_counter() - started
    decoders = candidates()
    against = pipeline_at(args.against) if args.against else None
    print(f"Scanner benchmark: {len(samples)} frames of 1280x720 ({len(FAMILIES)} families x {LEVELS} levels x "
          f"{per_level}, and {LEVELS} MP4 clips of {clip_length} frames), seed {args.seed}, made in {made:.0f} s")
    print(f"load average before decoding: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    tally = Tally()
    run(samples, decoders, tally, against)
    families = [*FAMILIES, "video"]
    report(tally, list(decoders), families)
    verdict(tally, families)
    print(f"\nload average after: {os.getloadavg()[0]:.1f}; whole run {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
