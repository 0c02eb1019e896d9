"""What the shared rate-limit storage costs a request: GET /api/v1/ping through the app (Flask's test
client, in this process) on a PostgreSQL shop, with rate limits off, counted in memory (per process),
and counted in the database (pos.web.limit_storage, shared by every process). Wall-clock medians of
rounds of N requests, with the ratio to the baseline with limits off, measured in the same run.

    QRPOS_TEST_DATABASE_URL=postgresql+psycopg://... .venv/bin/python -P benchmarks/rate_limit_storage.py [--requests N]

It uses the database of that URL (the counters' table is created in it). No asserts: figures only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from pos import create_app
from pos.core.bootstrap import open_core


def per_request_ms(client, requests: int, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(requests):
            assert client.get("/api/v1/ping").status_code == 200
        times.append((time.perf_counter() - start) / requests * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    url = os.environ["QRPOS_TEST_DATABASE_URL"]
    core = open_core(url)
    lots = "1000000/minute"
    base = {"TESTING": True, "CORE": core, "RATELIMIT_PER_ADDRESS": lots}
    setups: dict[str, dict[str, object]] = {
        "limits off": {"RATELIMIT_ENABLED": False},
        "memory:// (per process)": {"RATELIMIT_STORAGE_URI": "memory://"},
        "database (shared)": {},
    }
    figures = {}
    for name, config in setups.items():
        client = create_app({**base, **config}).test_client()
        per_request_ms(client, 50, rounds=1)  # warm up: imports, pool, the counters' table
        figures[name] = per_request_ms(client, args.requests)
    baseline = figures["limits off"]
    for name, ms in figures.items():
        print(f"{name:26} {ms:7.3f} ms/request  ({ms / baseline:4.2f}x, +{ms - baseline:.3f} ms)")
    core.db.dispose()


if __name__ == "__main__":
    main()
