"""Settlement throughput and latency of the payment core, beside a hand-written SQL baseline.

For 1, 8 and 32 concurrent payers, on SQLite (WAL, synchronous=FULL) and PostgreSQL (defaults):
  * qrpos: ``payments.pay`` with an idempotency key (signature check, idempotency, state machine,
    ledger postings, journal, outbox), one wallet per payer, one merchant (a real shop's hot row),
    twice: with one commit per settlement, and with group commit (concurrent settlements of the
    process share one commit, each in its own savepoint; the default).
  * baseline: the same inserts, updates and selects of one settlement, written by hand with the
    bare DB-API driver, in one transaction, on the same database with the same durability.
Run: ``make bench`` (or ``python benchmarks/settle.py --payments 300``).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.pgcluster import throwaway_postgres
from pos.core import (
    parties,
    payments,
)
from pos.core.bootstrap import open_core
from pos.core.ledger import MILES, PLATFORM_MILES, platform_account_id
from pos.core.platform.context import Core
from pos.core.store.db import Database


class Baseline:
    """One settlement as bare SQL: the statements qrpos issues, by hand, in one transaction."""

    def __init__(self, url: str):
        self.sqlite = url.startswith("sqlite")
        self.url = url
        self.local = threading.local()
        self.p = "?" if self.sqlite else "%s"
        self.writers = threading.Lock() if self.sqlite else contextlib.nullcontext()

    def conn(self):
        c = getattr(self.local, "conn", None)
        if c is None:
            if self.sqlite:
                import sqlite3

                c = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=60, isolation_level=None,
                                    check_same_thread=False)
                for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=60000"):
                    c.execute(f"PRAGMA {pragma}")
            else:
                import psycopg

                c = psycopg.connect(self.url.replace("postgresql+psycopg", "postgresql"))
            self.local.conn = c
        return c

    def settle(self, *args) -> None:
        with self.writers:  # SQLite: the same in-process writer queue qrpos uses
            self._settle(*args)

    def _settle(self, n: int, request_id: str, wallet: dict, merchant: dict, amount: int, now: int) -> None:
        c, p = self.conn(), self.p
        q = lambda sql: sql.replace("?", p)
        cur = c.cursor()
        cur.execute("BEGIN IMMEDIATE" if self.sqlite else "BEGIN")
        try:
            scope, key = f"wallet:{wallet['id']}", f"base-{request_id}"
            cur.execute(q("INSERT INTO idempotency_keys (scope, key, body_hash, response, created_at) "
                          "VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING"), (scope, key, "h" * 64, "", now))
            assert cur.rowcount == 1
            cur.execute(q("SELECT * FROM wallets WHERE id=?"), (wallet["id"],))
            cur.fetchone()
            cur.execute(q("SELECT * FROM payment_requests WHERE id=?"), (request_id,))
            cur.fetchone()
            cur.execute(q("SELECT * FROM merchants WHERE id=?"), (merchant["id"],))
            cur.fetchone()
            cur.execute(q("UPDATE payment_requests SET status=?, updated_at=? WHERE id=? "
                          "AND status IN ('awaiting_payment','customer_confirming') AND expires_at > ?"),
                        ("paid", now, request_id, now))
            assert cur.rowcount == 1
            pay_id = f"pay_base{n:012d}"
            earned = amount // 200
            cur.execute(q("INSERT INTO payments (id, request_id, wallet_id, merchant_id, amount, currency, "
                          "cash_amount, miles_used, charged_amount, charged_currency, quote_id, miles_earned, fee, "
                          "refunded_amount, status, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
                        (pay_id, request_id, wallet["id"], merchant["id"], amount, "JPY", amount, 0, amount, "JPY",
                         None, earned, 0, 0, "paid", now))
            txs = [("JPY", [(merchant["account"], amount), (wallet["cash"], -amount)]),
                   (MILES, [(platform_account_id(PLATFORM_MILES, MILES), -earned), (wallet["miles"], earned)])]
            journal_txs, tx_rows, entry_rows = [], [], []
            for i, (currency, legs) in enumerate(txs):
                for account, delta in sorted(legs):
                    cur.execute(q("UPDATE accounts SET balance = balance + ? WHERE id=? AND currency=? "
                                  "AND (allow_negative OR balance + ? >= 0)"), (delta, account, currency, delta))
                    assert cur.rowcount == 1
                tx_id = f"tx_b{n:012d}{i}"
                tx_rows.append((tx_id, "payment", currency, pay_id, None, None, now))
                entry_rows += [(tx_id, a, currency, d) for a, d in legs]
                journal_txs.append({"id": tx_id, "currency": currency, "legs": legs})
            cur.executemany(q("INSERT INTO transactions (id, kind, currency, payment_id, refund_id, link_id, "
                              "created_at) VALUES (?,?,?,?,?,?,?)"), tx_rows)
            cur.executemany(q("INSERT INTO entries (transaction_id, account_id, currency, amount) VALUES (?,?,?,?)"),
                            entry_rows)
            body = json.dumps({"payment": pay_id, "transactions": journal_txs}, sort_keys=True, separators=(",", ":"))
            cur.executemany(q("INSERT INTO events (id, merchant_id, request_id, payment_id, type, body, created_at) "
                              "VALUES (?,?,?,?,?,?,?)"),
                            [(f"evt_b{n:012d}{j}", merchant["id"], request_id, pay_id, kind, body, now)
                             for j, kind in enumerate(("payment_request.paid", "payment.succeeded"))])
            cur.execute(q("SELECT id FROM webhook_endpoints WHERE merchant_id=? AND disabled_at IS NULL"),
                        (merchant["id"],))
            cur.fetchall()
            cur.execute("SELECT seq, hash FROM journal_head WHERE id=1" + ("" if self.sqlite else " FOR UPDATE"))
            seq, prev = cur.fetchone()
            digest = hashlib.sha256(f"{prev}|{seq + 1}|payment.settled|{now}|{body}".encode()).hexdigest()
            cur.execute(q("INSERT INTO journal (seq, kind, body, prev_hash, hash, created_at) VALUES (?,?,?,?,?,?)"),
                        (seq + 1, "payment.settled", body, prev, digest, now))
            cur.execute(q("UPDATE journal_head SET seq=?, hash=? WHERE id=1"), (seq + 1, digest))
            cur.execute(q("UPDATE idempotency_keys SET response=? WHERE scope=? AND key=?"), (body, scope, key))
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise


def _percentile(values, pct):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * pct / 100))]


def run_phase(workers: int, jobs: list, fn) -> dict:
    """Run ``fn(job)`` for every job on ``workers`` threads; each worker owns its slice of jobs."""
    latencies: list[float] = []
    lock = threading.Lock()
    slices = [jobs[i::workers] for i in range(workers)]
    barrier = threading.Barrier(workers)

    def worker(mine):
        local = []
        barrier.wait()
        for job in mine:
            t0 = time.perf_counter()
            fn(job)
            local.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(local)

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(worker, slices))
    wall = time.perf_counter() - start
    return {"tps": len(jobs) / wall, "p50": _percentile(latencies, 50) * 1000, "p99": _percentile(latencies, 99) * 1000}


def _fmt(m: dict) -> str:
    return f"{m['tps']:7.1f}/s p50 {m['p50']:6.2f} ms p99 {m['p99']:7.2f} ms"


def bench_backend(name: str, url: str, count: int, concurrency: list[int]) -> list[dict]:
    core = open_core(url)
    solo = Core(Database(url, group_commit=False))  # the same core, one commit per settlement
    shop = parties.create_merchant(core, name="Bench Shop", mcc="5812", country="JP", city="Tokyo", currency="JPY",
                                   miles_earn_per=200)
    merchant = {"id": shop["merchant_id"], "account": f"merchant:{shop['merchant_id']}"}
    wallets: list[dict[str, str]] = []
    for i in range(max(concurrency)):
        made = parties.create_wallet(core, owner=f"payer {i}", currency="JPY", pin="1234", balance=10**12)
        wid = str(made["wallet_id"])
        wallets.append({"id": wid, "cash": f"wallet:{wid}:cash", "miles": f"wallet:{wid}:miles"})
    merchant_id, terminal_id = str(shop["merchant_id"]), str(shop["terminal_id"])

    def new_requests(n):
        return [payments.create_request(core, merchant_id=merchant_id, terminal_id=terminal_id,
                                        amount=1280, currency="JPY", expires_in=86_400) for _ in range(n)]

    baseline = Baseline(url)
    rows = []
    counter = iter(range(10**9))
    for workers in concurrency:
        # Warm every path (connections, statement caches) before measuring.
        for r, w in zip(new_requests(workers), wallets, strict=False):
            payments.pay(core, wallet_id=w["id"], payload=r["payload"], idempotency_key=f"warm-{r['id']}")
        for r, w in zip(new_requests(workers), wallets, strict=False):
            payments.pay(solo, wallet_id=w["id"], payload=r["payload"], idempotency_key=f"warm-{r['id']}")
        for r, w in zip(new_requests(workers), wallets, strict=False):
            baseline.settle(next(counter), r["id"], w, merchant, 1280, core.now())
        base_jobs = [(r, wallets[i % workers]) for i, r in enumerate(new_requests(count))]
        ours_jobs = [(r, wallets[i % workers]) for i, r in enumerate(new_requests(count))]
        alone_jobs = [(r, wallets[i % workers]) for i, r in enumerate(new_requests(count))]
        base = run_phase(workers, base_jobs,
                         lambda job: baseline.settle(next(counter), job[0]["id"], job[1], merchant, 1280, core.now()))
        alone = run_phase(workers, alone_jobs,
                          lambda job: payments.pay(solo, wallet_id=job[1]["id"], payload=job[0]["payload"],
                                                   idempotency_key=f"k-{job[0]['id']}"))
        ours = run_phase(workers, ours_jobs,
                         lambda job: payments.pay(core, wallet_id=job[1]["id"], payload=job[0]["payload"],
                                                  idempotency_key=f"k-{job[0]['id']}"))
        rows.append({"backend": name, "payers": workers, "ours": ours, "alone": alone, "base": base})
        print(f"{name:10} {workers:>3} payers | baseline {_fmt(base)} | qrpos, a commit each {_fmt(alone)} "
              f"ratio {alone['tps'] / base['tps']:.2f} | qrpos, group commit {_fmt(ours)} "
              f"ratio {ours['tps'] / base['tps']:.2f}", flush=True)
    from pos.core.ledger.verify import audit

    report = audit(core)
    assert report["ok"], report["problems"]
    core.db.dispose()
    solo.db.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--payments", type=int, default=300, help="settlements per measurement (default 300)")
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    concurrency = [int(c) for c in args.concurrency.split(",")]
    print(f"settlements per measurement: {args.payments}; cpus: {os.cpu_count()}; python {sys.version.split()[0]}")
    print("ratio = qrpos throughput / baseline throughput, same database, same durability, same run")
    rows = []
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as d:
            rows += bench_backend("sqlite", f"sqlite:///{d}/bench.db", args.payments, concurrency)
    if args.backend in ("postgres", "both"):
        with throwaway_postgres() as url:
            if url is None:
                print("postgres: skipped (no initdb on PATH and QRPOS_BENCH_DATABASE_URL unset)")
            else:
                rows += bench_backend("postgres", url, args.payments, concurrency)
    worst = min(r["ours"]["tps"] / r["base"]["tps"] for r in rows)
    worst_alone = min(r["alone"]["tps"] / r["base"]["tps"] for r in rows)
    print(f"worst ratio: group commit {worst:.2f}, a commit each {worst_alone:.2f} "
          "(goal: >= 0.50 at every concurrency)")


if __name__ == "__main__":
    main()
