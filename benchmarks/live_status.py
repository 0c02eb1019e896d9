"""Live status latency: a settlement's commit -> the "paid" event read from a page's event stream.

    .venv/bin/python benchmarks/live_status.py [--samples 50] [--idle 0,50] [--pg URL] [--backend both]

Two real `qrpos serve` processes, A and B, on one database. Each sample: the merchant creates a
payment request on A, opens A's event stream (`GET .../events`, a real HTTP client in a thread) and
reads `payment_request.created`; then the wallet pays, either through A ("same process") or through
B ("two processes"), and the clock stops when the stream yields `payment_request.paid`. It starts at
the payment's commit as the benchmark's own database connection sees it (live_observers.CommitClock),
and, as an upper bound that includes the settlement itself, at the sending of the pay POST. Samples of
both topologies are interleaved. The pay follows the stream's opening at once, so a polling stream
sees it at its next poll, about SSE_POLL_SECONDS later; a payer arriving at a random moment would
wait half that on average, and about as long at p95.

Each row runs twice in the same run: "live" (LISTEN/NOTIFY on PostgreSQL, the data_version watcher
on SQLite: pos.web.live) and "polling", today's behaviour before it (QRPOS_LIVE_WAKEUPS=false: a
wake-up of every stream after each request of the same process, otherwise a poll every
SSE_POLL_SECONDS = 1 s). With idle streams (other open requests followed on A), it also shows what
waking every stream on every change costs: server A's CPU time per sample.

PostgreSQL runs when --pg or QRPOS_TEST_DATABASE_URL gives a server (a fresh database is created
in it and dropped), or else in a throwaway cluster (benchmarks/pgcluster.py) when initdb is on PATH.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# benchmarks/http.py would shadow the standard library's `http` (httpx imports it): this folder is
# taken off sys.path, and its modules are imported as benchmarks.*
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
sys.path[:0] = [str(ROOT)]

import httpx  # noqa: E402

from benchmarks.live_observers import TIMEOUT, CommitClock, Stream, cpu_seconds  # noqa: E402
from benchmarks.pgcluster import throwaway_postgres  # noqa: E402
from pos.core import parties  # noqa: E402
from pos.core.bootstrap import open_core  # noqa: E402
from pos.core.platform.context import Settings  # noqa: E402

IDLE_SECONDS = 3.0


def start_server(db_url: str, *, live: bool, threads: int) -> tuple[subprocess.Popen, str]:
    # the idle streams all follow requests of one merchant key: the server's stream slots (--streams,
    # 32 by default) and that key's cap of open streams (pos.web.stream_quota, 8) are raised to fit them
    env = {**os.environ, "QRPOS_DATABASE_URL": db_url, "QRPOS_RATELIMIT_ENABLED": "false",
           "QRPOS_SSE_MAX_PER_CREDENTIAL": str(threads),
           "QRPOS_LIVE_WAKEUPS": "true" if live else "false", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", "from pos.cli import main; main()", "serve", "--port", "0", "--threads", str(threads),
         "--streams", str(threads), "--webhook-interval", "0", "--sweep-interval", "0"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    box: list[str] = []
    stdout = process.stdout
    assert stdout is not None  # stdout=PIPE
    reader = threading.Thread(target=lambda: box.append(stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout=TIMEOUT)
    if not box or "serving on" not in box[0]:
        process.kill()
        raise SystemExit("qrpos serve did not start")
    return process, box[0].rsplit(" ", 1)[1].strip()


class World:
    def __init__(self, db_url: str):
        core = open_core(db_url, settings=Settings(pin_scrypt_n=2**4))
        shop = parties.create_merchant(core, name="Live Ramen", mcc="5812", country="JP", city="Tokyo",
                                       currency="JPY")
        wallet = parties.create_wallet(core, owner="Live Payer", currency="JPY", pin="1234", balance=10**12)
        core.db.dispose()
        self.merchant = {"Authorization": f"Bearer {shop['api_key']}"}
        self.wallet_id = wallet["wallet_id"]
        self.serial = 0

    def next_key(self) -> str:
        self.serial += 1
        return f"{uuid.uuid4().hex[:8]}-{self.serial}"


def create_request(http: httpx.Client, world: World) -> dict:
    response = http.post("/api/v1/payment-requests", json={"amount": 1200, "currency": "JPY"},
                         headers={**world.merchant, "Idempotency-Key": world.next_key()})
    response.raise_for_status()
    return response.json()


def one_sample(a: httpx.Client, payer: httpx.Client, token: str, world: World, clock: CommitClock) -> dict:
    """Seconds from the payment's commit to the paid event on A's stream; from the POST; the POST itself."""
    request = create_request(a, world)
    stream = Stream(a, request["id"], world.merchant, until="payment_request.paid")
    stream.wait_for("payment_request.created")
    clock.watch(request["id"])
    sent = time.perf_counter()
    paid = payer.post("/api/v1/payments", json={"payload": request["payload"]},
                      headers={"Authorization": f"Bearer {token}", "Idempotency-Key": world.next_key()})
    answered = time.perf_counter()
    if paid.status_code != 201:
        raise SystemExit(f"payment refused: {paid.status_code} {paid.text[:200]}")
    seen, committed = stream.wait_for("payment_request.paid"), clock.paid_at()
    return {"seen": seen - committed, "from_post": seen - sent, "post": answered - sent}


def run_mode(db_url: str, world: World, clock: CommitClock, *, live: bool, samples: int, idle: int) -> dict:
    (proc_a, url_a), (proc_b, url_b) = (start_server(db_url, live=live, threads=idle + 16) for _ in range(2))
    limits = httpx.Limits(max_connections=idle + 16, max_keepalive_connections=idle + 16)
    clients = [httpx.Client(base_url=u, timeout=TIMEOUT, limits=limits) for u in (url_a, url_b, url_a)]
    a, b, idle_http = clients
    try:
        token = a.post("/api/v1/sessions", json={"wallet": world.wallet_id, "pin": "1234"}).json()["token"]
        for _ in range(idle):
            Stream(idle_http, create_request(a, world)["id"], world.merchant).wait_for("payment_request.created")
        for payer in (a, b):  # warm both paths (imports, pools, the listener's connection)
            one_sample(a, payer, token, world, clock)
        cpu_before = cpu_seconds(proc_a.pid)
        time.sleep(IDLE_SECONDS)  # what A costs while only its idle streams (and its wake-up source) run
        cpu_after = cpu_seconds(proc_a.pid)
        idle_cpu = None if cpu_before is None or cpu_after is None else (cpu_after - cpu_before) / IDLE_SECONDS
        got: dict[str, list[dict]] = {"same process": [], "two processes": []}
        cpu_before, started = cpu_seconds(proc_a.pid), time.perf_counter()
        for _ in range(samples):
            got["same process"].append(one_sample(a, a, token, world, clock))
            got["two processes"].append(one_sample(a, b, token, world, clock))
        cpu_after = cpu_seconds(proc_a.pid)
        cpu = None if cpu_before is None or cpu_after is None else (cpu_after - cpu_before) / (2 * samples)
        return {"samples": got, "cpu": cpu, "idle_cpu": idle_cpu, "seconds": time.perf_counter() - started}
    finally:
        for client in clients:
            client.close()
        for process in (proc_a, proc_b):
            process.terminate()
            process.wait(timeout=TIMEOUT)


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def bench_backend(name: str, db_url: str, samples: int, idles: list[int]) -> list[dict]:
    world, clock = World(db_url), CommitClock(db_url)
    rows = []
    try:
        for idle in idles:
            for live in (False, True):
                result = run_mode(db_url, world, clock, live=live, samples=samples, idle=idle)
                for topology, got in result["samples"].items():
                    rows.append(row := summary(name, idle, topology, live, got, result))
                    print_row(row)
    finally:
        clock.close()
    return rows


def summary(backend: str, idle: int, topology: str, live: bool, got: list[dict], result: dict) -> dict:
    seen, from_post, post = ([s[k] for s in got] for k in ("seen", "from_post", "post"))
    return {"backend": backend, "idle": idle, "topology": topology, "mode": "live" if live else "polling",
            "p50": pct(seen, 50), "p95": pct(seen, 95), "p99": pct(seen, 99), "post_p95": pct(from_post, 95),
            "post": pct(post, 50), "cpu": result["cpu"], "idle_cpu": result["idle_cpu"]}


COLUMNS = (f"{'backend':<9} {'idle':>4} {'topology':<14} {'mode':<8} {'p50':>7} {'p95':>7} {'p99':>7}"
           f" {'POST->':>7} {'POST':>6} {'CPU':>6} {'idle':>5}")


def print_row(row: dict) -> None:
    cpu = "n/a" if row["cpu"] is None else f"{row['cpu'] * 1000:.1f}"
    idle_cpu = "n/a" if row["idle_cpu"] is None else f"{row['idle_cpu'] * 100:.1f}"
    print(f"{row['backend']:<9} {row['idle']:>4} {row['topology']:<14} {row['mode']:<8} {row['p50']:>7.1f}"
          f" {row['p95']:>7.1f} {row['p99']:>7.1f} {row['post_p95']:>7.1f} {row['post']:>6.1f} {cpu:>6}"
          f" {idle_cpu:>5}", flush=True)


@contextlib.contextmanager
def postgres_database(server_url: str | None):
    """A fresh database on ``server_url`` (or a throwaway cluster), dropped afterwards; None if none."""
    from sqlalchemy import create_engine, text

    with contextlib.ExitStack() as stack:
        if server_url is None:
            server_url = stack.enter_context(throwaway_postgres())
            if server_url is None:
                yield None
                return
        name = f"qrpos_live_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield server_url.rsplit("/", 1)[0] + "/" + name
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def summarize(rows: list[dict]) -> None:
    """One line per live row: its p95 against polling's, measured in the same run, and the 200 ms goal."""
    for row in rows:
        if row["mode"] != "live":
            continue
        base = next(r for r in rows if r["mode"] == "polling" and
                    all(r[k] == row[k] for k in ("backend", "idle", "topology")))
        verdict = "meets" if row["p95"] <= 200 else "MISSES"
        print(f"{row['backend']:<9} {row['idle']:>4} idle {row['topology']:<14} p95 live {row['p95']:7.1f} ms,"
              f" polling {base['p95']:7.1f} ms: ratio {base['p95'] / max(row['p95'], 1e-3):6.1f};"
              f" {verdict} the 200 ms goal")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=50, help="samples per topology and mode (default 50)")
    parser.add_argument("--idle", default="0,50", help="idle streams held open on A, comma-separated")
    parser.add_argument("--pg", help="PostgreSQL server URL (default: QRPOS_TEST_DATABASE_URL, else a throwaway)")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    idles = [int(i) for i in args.idle.split(",")]
    print(f"{args.samples} samples per row; cpus: {os.cpu_count()}; python {sys.version.split()[0]}")
    print("p50/p95/p99: ms from the payment's commit (as the database shows it) to the paid event read from")
    print("server A's stream; POST->: p95 from sending the pay POST instead; POST: the pay request's p50;")
    print("CPU: server A's CPU ms per sample; idle: A's CPU % with only the idle streams (column idle) open")
    print(COLUMNS)
    rows = []
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as d:
            rows += bench_backend("sqlite", f"sqlite:///{d}/live.db", args.samples, idles)
    if args.backend in ("postgres", "both"):
        with postgres_database(args.pg or os.environ.get("QRPOS_TEST_DATABASE_URL")) as url:
            if url is None:
                print("postgres: skipped (no --pg, QRPOS_TEST_DATABASE_URL unset, no initdb on PATH)")
            else:
                rows += bench_backend("postgres", url, args.samples, idles)
    summarize(rows)


if __name__ == "__main__":
    main()
