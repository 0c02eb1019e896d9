"""Codec throughput in one process: encode (build_signed_request), decode+validate over our signed
requests and the real-world payloads of every scheme in the test vectors, and decode+validate+verify
of our signed requests, the path a wallet and the payment core take for every scan.

    .venv/bin/python benchmarks/codec.py [--rounds N] [--against REV] [--profile]

Rates are payloads per CPU-second of this process (time.process_time), so that other processes on a
shared machine slow the figures less than they would wall-clock rates; each line is measured in
N short rounds and shows the best round and, in brackets, the median. Two lines are baselines
measured in the same run: the floor (only the CRC and the HMAC of each of our requests, work no
decoder can skip) and, with --against REV, the same measurements for the codec of git revision REV,
run alternately with this tree's in fresh processes, with the ratio of the two. `--against python`
measures this tree's codec run from its sources (QRPOS_CODEC=python) beside its compiled build
(pos.core.codec.compiled); the first line says which one a plain run measures.

No asserts: the target (read+verify of our requests at 50,000/s or more) is printed next to the figure.
"""

from __future__ import annotations

import argparse
import dataclasses
import hmac
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from binascii import crc_hqx
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET = 50_000
TARGET_LINE = "decode+validate+verify signature: ours"
KEYS = {"k1": b"benchmark secret"}
#: what git archive copies for --against: the codec and its vectors, nothing that needs a database
ARCHIVED = ["pos", "tests/__init__.py", "tests/core/__init__.py", "tests/core/codec/__init__.py",
            "tests/core/codec/vectors.py"]


def workload(root: Path) -> list[tuple[str, Callable[[Any], object], list]]:
    """(label, function, items) for every line, with the codec imported from ``root``."""
    sys.path.insert(0, str(root))
    from pos.core.codec import RequestPayload, build_signed_request, decode, read_signed_request
    from tests.core.codec.vectors import REAL_WORLD

    base = RequestPayload(
        request_id="pr_000000", merchant_id="m_shibuya_ramen", terminal_id="t_01", mcc="5812",
        currency="JPY", amount_minor=1200, country="JP", merchant_name="SHIBUYA RAMEN",
        merchant_city="TOKYO", postal_code="1500002", name_local="渋谷ラーメン", city_local="東京",
        language="ja", bill_number="INV-2031", reference="ORDER-88", terminal_label="COUNTER-1",
        expires_at=1767225600,
    )
    reqs = [dataclasses.replace(base, request_id=f"pr_{i:06d}", amount_minor=100 + i) for i in range(200)]
    signed = [build_signed_request(r, key_id="k1", secret=KEYS["k1"]) for r in reqs]
    real = [payload for _, payload, _ in REAL_WORLD]
    mix = signed[: len(real)] + real
    return [
        ("encode: build_signed_request", lambda r: build_signed_request(r, key_id="k1", secret=KEYS["k1"]), reqs),
        ("decode+validate: real-world codes", decode, real),
        ("decode+validate: our signed requests", decode, signed),
        (TARGET_LINE, lambda p: read_signed_request(p, KEYS), signed),
        ("decode+validate: mix (half ours, half real)", decode, mix),
        ("floor: CRC + HMAC of our requests only", _floor, signed),
    ]


def _floor(payload: str) -> None:
    data = payload.encode("utf-8")
    crc_hqx(data[:-4], 0xFFFF)
    hmac.digest(KEYS["k1"], data, "sha256")


def measure(lines, rounds: int, seconds: float) -> dict[str, list[float]]:
    """Rates of every line in ``rounds`` rounds of about ``seconds`` each, lines interleaved."""
    rates: dict[str, list[float]] = {label: [] for label, _, _ in lines}
    for _ in range(rounds):
        for label, fn, items in lines:
            done, started = 0, time.process_time()
            while True:
                for item in items:
                    fn(item)
                done += len(items)
                elapsed = time.process_time() - started
                if elapsed >= seconds:
                    break
            rates[label].append(done / elapsed)
    return rates


def _figure(rates: list[float]) -> str:
    return f"{max(rates):>10,.0f}/s ({statistics.median(rates):>8,.0f})"


def report(rates: dict[str, list[float]], rounds: int) -> None:
    print(f"payloads per CPU-second: best of {rounds} rounds (median in brackets)")
    for label, values in rates.items():
        note = ""
        if label == TARGET_LINE:
            best = max(values)
            verdict = "met" if best >= TARGET else "NOT met on this machine"
            note = f"   target {TARGET:,}/s: {verdict} ({best / TARGET:.0%})"
        print(f"{label:<48} {_figure(values)}{note}")
    floor, target = max(rates["floor: CRC + HMAC of our requests only"]), max(rates[TARGET_LINE])
    print(f"read+verify costs {floor / target:.1f}x the floor (depends less on the machine than the rates)")


def against(rev: str, rounds: int, seconds: float) -> None:
    """Measure REV's codec (or, for "python", this tree's run from its sources rather than its
    compiled build) and this tree's alternately, each round in fresh processes."""
    environment = {k: v for k, v in os.environ.items() if k != "QRPOS_CODEC"}
    with tempfile.TemporaryDirectory() as tmp:
        if rev == "python":
            baseline = ROOT, {**environment, "QRPOS_CODEC": "python"}
        else:
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, *ARCHIVED], capture_output=True)
            if archive.returncode != 0:
                sys.exit(f"git archive {rev} failed: {archive.stderr.decode().strip()}")
            subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
            baseline = Path(tmp), environment
        trees = {rev: baseline, "this tree": (ROOT, environment)}
        rates: dict[str, dict[str, list[float]]] = {name: {} for name in trees}
        for _ in range(rounds):
            for name, (root, env) in trees.items():
                out = subprocess.run(
                    [sys.executable, __file__, "--worker", str(root), "--seconds", str(seconds)],
                    capture_output=True, text=True, check=True, env=env,
                ).stdout
                for label, values in json.loads(out).items():
                    rates[name].setdefault(label, []).extend(values)
    print(f"payloads per CPU-second: best of {rounds} rounds (median in brackets), {rev} and this tree alternately")
    print(f"{'':<48} {rev:>22} {'this tree':>22}  ratio (of bests; median of pairs)")
    for label, old in rates[rev].items():
        new = rates["this tree"][label]
        paired = statistics.median(n / o for o, n in zip(old, new, strict=True))
        note = f"   target {TARGET:,}/s: {max(new) / TARGET:.0%}" if label == TARGET_LINE else ""
        print(f"{label:<48} {_figure(old)} {_figure(new)}  {max(new) / max(old):.2f}x; {paired:.2f}x{note}")


def profile() -> None:
    import cProfile
    import pstats

    lines = {label: (fn, items) for label, fn, items in workload(ROOT)}
    fn, items = lines[TARGET_LINE]
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [fn(p) for p in items * 20])
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds per line (default 5)")
    parser.add_argument("--seconds", type=float, default=0.25, help="CPU seconds per line per round")
    parser.add_argument("--against", metavar="REV",
                        help="also measure the codec of git revision REV, or with 'python' this tree's sources")
    parser.add_argument("--profile", action="store_true", help="cProfile read+verify of our requests")
    parser.add_argument("--worker", metavar="ROOT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(measure(workload(Path(args.worker)), 1, args.seconds)))
    elif args.profile:
        profile()
    elif args.against:
        against(args.against, args.rounds, args.seconds)
    else:
        lines = workload(ROOT)
        from pos.core.codec import compiled

        why = compiled.WHY_SOURCES
        print(f"codec: {'compiled by mypyc' if compiled.running() == 'compiled' else f'Python sources ({why})'}")
        print(f"payloads: {len(lines[2][2])} signed requests, {len(lines[1][2])} real-world codes of 10 schemes")
        report(measure(lines, args.rounds, args.seconds), args.rounds)


if __name__ == "__main__":
    main()
