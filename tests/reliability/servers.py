"""Real `qrpos serve` processes for the reliability tests, started on a free port and waited for on
their banner line (no sleeps), stopped with SIGTERM at the end."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import stop

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 30.0

# A crowd of wallets on one machine shares one client address: the per-address limits are for the
# internet, not for this test. The sign-in limit per wallet stays as it is.
CROWD_LIMITS = {"QRPOS_RATELIMIT_PER_ADDRESS": "100000/second", "QRPOS_RATELIMIT_SIGN_IN": "100000/minute",
                "QRPOS_RATELIMIT_PER_KEY": "100000/second"}


@contextlib.contextmanager
def serve(db_url: str, *args: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """`qrpos serve --port 0 ARGS` on ``db_url``; yields (base URL, process)."""
    environment = {**os.environ, "QRPOS_DATABASE_URL": db_url, "PYTHONUNBUFFERED": "1", **(env or {})}
    process = subprocess.Popen(
        [sys.executable, "-c", "from pos.cli import main; main()", "serve", "--port", "0", *args],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()  # type: ignore[union-attr]
    try:
        try:
            line = lines.get(timeout=DEADLINE)
        except queue.Empty:
            pytest.fail("qrpos serve did not start")
        assert "serving on http://127.0.0.1:" in line, line
        yield line.rsplit(" ", 1)[1].strip(), process
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=DEADLINE)
    finally:
        stop(process, DEADLINE)


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]
