"""Rate limits that hold across server processes: two real `qrpos serve` processes on one PostgreSQL database
count one client's calls together (pos.web.limit_storage), where per-process counters would let it make N calls
per process. Plus the storage's own contract: concurrent hits lose nothing, and a window ends by itself."""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import create_engine

from pos.web.limit_storage import DatabaseStorage
from tests import serve_process
from tests.processes import stop

DEADLINE = 30.0
LIMIT = 12


@pytest.fixture
def pg_url(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("the shared rate-limit storage is PostgreSQL's; SQLite counts per process")
    return db_url


def serve(url: str, **env: str) -> tuple[subprocess.Popen, str]:
    return serve_process.start(url, "--threads", "4", "--sweep-interval", "0", "--webhook-interval", "0", env=env,
                               unset=("QRPOS_RATELIMIT_STORAGE_URI",), deadline=DEADLINE)


def test_a_limit_of_n_per_minute_holds_across_two_server_processes(pg_url):
    servers = [serve(pg_url, QRPOS_RATELIMIT_PER_ADDRESS=f"{LIMIT}/minute") for _ in range(2)]
    try:
        statuses = []
        with httpx.Client(timeout=DEADLINE) as http:
            for i in range(3 * LIMIT):  # alternately to each process, from one address
                response = http.get(servers[i % 2][1] + "/api/v1/ping")
                statuses.append(response.status_code)
                if response.status_code == 429:
                    assert response.json()["error"]["code"] == "RATE_LIMITED"
                    assert int(response.headers["Retry-After"]) >= 1
    finally:
        for process, _ in servers:
            process.terminate()
        for process, _ in servers:
            stop(process, DEADLINE)
    assert statuses.count(200) == LIMIT and statuses[:LIMIT] == [200] * LIMIT, statuses
    assert set(statuses[LIMIT:]) == {429}


def test_concurrent_hits_from_two_engines_are_all_counted_and_a_window_ends(pg_url):
    engines = [create_engine(pg_url) for _ in range(2)]
    try:
        storages = [DatabaseStorage("qrpos-database://", engine=engine) for engine in engines]
        storages[0].clear("race")
        with ThreadPoolExecutor(8) as pool:
            counts = list(pool.map(lambda i: storages[i % 2].incr("race", 60), range(200)))
        assert sorted(counts) == list(range(1, 201))  # each hit saw its own count: none lost, none doubled
        assert storages[1].get("race") == 200 and storages[0].get_expiry("race") > 0

        assert storages[0].incr("short", 0) == 1  # a window of 0 s has ended by the next hit
        assert storages[1].incr("short", 0) == 1 and storages[0].get("short") == 0
        assert storages[0].check()
    finally:
        for engine in engines:
            engine.dispose()
