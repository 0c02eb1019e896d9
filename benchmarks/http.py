"""HTTP benchmark: a real `qrpos serve` process, concurrent clients, the pay round trip vs a baseline.

    .venv/bin/python benchmarks/http.py [--clients 1,16,64] [--seconds 4] [--db URL]

For each client count it measures, on the same server in the same run:
  baseline   GET /api/v1/ping (constant JSON, no database): what the server and client stack cost
  pay flow   POST /payment-requests (merchant) -> POST /scans -> POST /payments (wallet), each client
             with its own wallet, Idempotency-Key on the writes
and prints requests/s, p50/p99 latency per HTTP request, round trips/s, and the throughput ratio
(pay-flow requests/s / baseline requests/s). Closed-loop clients queue by construction, so the last
line measures latency open loop: the largest client count paying at a steady pace that offers half
the closed-loop capacity. Loopback only, bounded in time; rate limits are off.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named http.py, as the issue asks: keep its folder off sys.path so that the standard
# library's `http` package (which httpx imports) is not shadowed when it runs as a script.
ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
sys.path.insert(0, str(ROOT))

import argparse
import asyncio
import os
import statistics
import subprocess
import tempfile
import threading
import time

import httpx

from pos.core import parties
from pos.core.bootstrap import open_core
from pos.core.platform.context import Settings


def start_server(db_url: str, threads: int):
    env = {**os.environ, "QRPOS_DATABASE_URL": db_url, "QRPOS_RATELIMIT_ENABLED": "false", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", "from pos.cli import main; main()", "serve", "--port", "0", "--threads", str(threads),
         "--webhook-interval", "0"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    box = []
    stdout = process.stdout
    assert stdout is not None  # stdout=PIPE
    reader = threading.Thread(target=lambda: box.append(stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout=30)
    if not box or "serving on" not in box[0]:
        process.kill()
        raise SystemExit("qrpos serve did not start")
    return process, box[0].rsplit(" ", 1)[1].strip()


def seed(db_url: str, clients: int):
    core = open_core(db_url, settings=Settings(pin_scrypt_n=2**4))
    shop = parties.create_merchant(core, name="Bench Ramen", mcc="5812", country="JP", city="Tokyo", currency="JPY")
    wallets = [parties.create_wallet(core, owner=f"Bench {i}", currency="JPY", pin="1234", balance=10**11)["wallet_id"]
               for i in range(clients)]
    core.db.dispose()
    return shop["api_key"], wallets


async def run_clients(n: int, seconds: float, one_round, interval: float | None = None):
    """Run ``one_round(i, latencies)`` on ``n`` concurrent clients for ``seconds``: back to back
    (closed loop), or each client starting a round every ``interval`` seconds (open loop)."""
    latencies: list[float] = []
    rounds = 0
    deadline = time.perf_counter() + seconds

    async def client(i):
        nonlocal rounds
        next_start = time.perf_counter() + (interval or 0) * i / n  # spread the clients' phases
        while time.perf_counter() < deadline:
            if interval is not None:
                await asyncio.sleep(max(0.0, next_start - time.perf_counter()))
                next_start += interval
            await one_round(i, latencies)
            rounds += 1

    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(n)))
    return latencies, rounds, time.perf_counter() - started


async def timed(latencies, call):
    t0 = time.perf_counter()
    response = await call
    latencies.append(time.perf_counter() - t0)
    if response.status_code >= 300:
        raise SystemExit(f"unexpected {response.status_code}: {response.text[:200]}")
    return response.json()


def pct(values, q):
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000 if len(values) > 1 else 0.0


async def bench(url: str, api_key: str, wallets: list[str], counts: list[int], seconds: float):
    limits = httpx.Limits(max_connections=max(counts) * 2, max_keepalive_connections=max(counts) * 2)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as http:
        tokens = []
        for wallet in wallets:
            r = await http.post("/api/v1/sessions", json={"wallet": wallet, "pin": "1234"})
            tokens.append(r.json()["token"])
        merchant = {"Authorization": f"Bearer {api_key}"}
        serial = iter(range(10**9))

        async def ping(i, lat):
            await timed(lat, http.get("/api/v1/ping"))

        async def pay_flow(i, lat):
            n = next(serial)
            wallet = {"Authorization": f"Bearer {tokens[i]}"}
            request = await timed(lat, http.post("/api/v1/payment-requests", json={"amount": 1200, "currency": "JPY"},
                                                 headers={**merchant, "Idempotency-Key": f"r{n}"}))
            await timed(lat, http.post("/api/v1/scans", json={"payload": request["payload"]}, headers=wallet))
            await timed(lat, http.post("/api/v1/payments", json={"payload": request["payload"]},
                                       headers={**wallet, "Idempotency-Key": f"p{n}"}))

        await run_clients(4, 1.0, ping)  # warm up both paths
        await run_clients(4, 1.0, pay_flow)
        print(f"{'scenario':<10} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'rounds/s':>9} {'ratio':>6}")
        for n in counts:
            base_lat, _, base_t = await run_clients(n, seconds, ping)
            base_rps = len(base_lat) / base_t
            print(f"{'baseline':<10} {n:>7} {base_rps:>8.0f} {pct(base_lat, 50):>8.1f} {pct(base_lat, 99):>8.1f}"
                  f" {'':>9} {'1.00':>6}")
            lat, rounds, t = await run_clients(n, seconds, pay_flow)
            rps = len(lat) / t
            print(f"{'pay flow':<10} {n:>7} {rps:>8.0f} {pct(lat, 50):>8.1f} {pct(lat, 99):>8.1f}"
                  f" {rounds / t:>9.0f} {rps / base_rps:>6.2f}")
        # Closed-loop clients queue by construction (mean latency >= clients / throughput), so the
        # latency target is also measured open loop: every client paying at a steady pace, with the
        # whole offered load at half the closed-loop capacity just measured.
        offered = rounds / t / 2
        n = max(counts)
        lat, rounds, t = await run_clients(n, seconds, pay_flow, interval=n / offered)
        print(f"{'pay@50%':<10} {n:>7} {len(lat) / t:>8.0f} {pct(lat, 50):>8.1f} {pct(lat, 99):>8.1f}"
              f" {rounds / t:>9.0f} {'':>6}   (open loop: {offered:.0f} round trips/s offered)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1,16,64", help="Comma-separated concurrent client counts.")
    parser.add_argument("--seconds", type=float, default=4.0, help="Seconds per measurement (bounded).")
    parser.add_argument("--threads", type=int, default=16, help="cheroot worker threads (qrpos serve --threads).")
    parser.add_argument("--db", help="Database URL (default: a fresh SQLite file).")
    args = parser.parse_args()
    counts = [int(c) for c in args.clients.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        db_url = args.db or f"sqlite:///{tmp}/bench.db"
        api_key, wallets = seed(db_url, max(counts))
        process, url = start_server(db_url, args.threads)
        try:
            print(f"qrpos serve at {url}, {args.threads} threads, {db_url.split(':')[0]}, {args.seconds:g} s per run")
            asyncio.run(bench(url, api_key, wallets, counts, args.seconds))
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
