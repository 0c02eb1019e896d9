"""A real ``qrpos serve`` process for tests that need one (or several) on a shared database: started on a free
port, waited for on its banner line (no sleeps), stopped with SIGTERM at the end.

Used by the reliability tests (load, two servers racing) and by the live stream across processes.
"""

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

ROOT = Path(__file__).resolve().parents[1]


def start(db_url: str, *args: str, env: dict[str, str] | None = None, unset: tuple[str, ...] = (),
          deadline: float = 30.0, stderr: int = subprocess.DEVNULL) -> tuple[subprocess.Popen, str]:
    """Start `qrpos serve --port 0 ARGS` on ``db_url`` with ``env`` added and ``unset`` removed; wait for its
    banner line; return (process, base URL). The caller ends it with :func:`tests.processes.stop`.

    :param stderr: ``subprocess.PIPE`` only for a caller that reads it: an unread pipe fills and blocks the server.
    """
    environment = {**os.environ, "QRPOS_DATABASE_URL": db_url, "PYTHONUNBUFFERED": "1", **(env or {})}
    for name in unset:
        environment.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-c", "from pos.cli import main; main()", "serve", "--port", "0", *args],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=stderr, text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()  # type: ignore[union-attr]
    try:
        try:
            line = lines.get(timeout=deadline)
        except queue.Empty:
            pytest.fail("qrpos serve did not start")
        assert "serving on http://127.0.0.1:" in line, line
    except BaseException:
        stop(process, deadline)
        raise
    return process, line.rsplit(" ", 1)[1].strip()


@contextlib.contextmanager
def serve(db_url: str, *args: str, env: dict[str, str] | None = None, deadline: float = 30.0,
          clean_exit: bool = False) -> Iterator[tuple[str, subprocess.Popen]]:
    """`qrpos serve --port 0 ARGS` on ``db_url`` with ``env`` added; yields (base URL, process).

    :param deadline: seconds to start, and to stop after SIGTERM.
    :param clean_exit: assert that the server exits with 0 after SIGTERM (its stderr is the message).
    """
    process, url = start(db_url, *args, env=env, deadline=deadline, stderr=subprocess.PIPE)
    try:
        yield url, process
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=deadline)
        if clean_exit:
            assert code == 0, process.stderr.read()  # type: ignore[union-attr]
    finally:
        stop(process, deadline)  # killed if still running, reaped, every pipe closed (tests/processes.py)
