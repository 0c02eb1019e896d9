"""Codec throughput, one process: encode (build_signed_request) and decode-plus-validate over a
mix of our signed requests and the real-world payloads of every scheme in the test vectors.

    .venv/bin/python benchmarks/codec.py [--profile]

Prints payloads per second; no asserts (the target is 50,000 decodes/s).
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pos.core.codec import RequestPayload, build_signed_request, decode, read_signed_request
from tests.core.codec.vectors import REAL_WORLD

KEYS = {"k1": b"benchmark secret"}
BASE = RequestPayload(
    request_id="pr_000000", merchant_id="m_shibuya_ramen", terminal_id="t_01", mcc="5812",
    currency="JPY", amount_minor=1200, country="JP", merchant_name="SHIBUYA RAMEN",
    merchant_city="TOKYO", postal_code="1500002", name_local="渋谷ラーメン", city_local="東京",
    language="ja", bill_number="INV-2031", reference="ORDER-88", terminal_label="COUNTER-1",
    expires_at=1767225600,
)


def requests(n: int) -> list[RequestPayload]:
    return [dataclasses.replace(BASE, request_id=f"pr_{i:06d}", amount_minor=100 + i) for i in range(n)]


def rate(label: str, fn, items, seconds: float = 1.5) -> float:
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for item in items:
            fn(item)
        done += len(items)
    per_second = done / (time.perf_counter() - started)
    print(f"{label:<48} {per_second:>10,.0f} payloads/s")
    return per_second


def main() -> None:
    reqs = requests(200)
    signed = [build_signed_request(r, key_id="k1", secret=KEYS["k1"]) for r in reqs]
    real = [payload for _, payload, _ in REAL_WORLD]
    mix = signed[: len(real)] + real
    print(f"payloads: {len(signed)} signed requests, {len(real)} real-world codes of 10 schemes")
    rate("encode: build_signed_request", lambda r: build_signed_request(r, key_id="k1", secret=KEYS["k1"]), reqs)
    rate("decode+validate: real-world codes", decode, real)
    rate("decode+validate: our signed requests", decode, signed)
    rate("decode+validate+verify signature: ours", lambda p: read_signed_request(p, KEYS), signed)
    rate("decode+validate: mix (half ours, half real)", decode, mix)


if __name__ == "__main__":
    if "--profile" in sys.argv:
        import cProfile
        import pstats

        real = [payload for _, payload, _ in REAL_WORLD] * 200
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [decode(p) for p in real])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(12)
    else:
        main()
