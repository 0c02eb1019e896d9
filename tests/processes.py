"""Child processes that tests start (``qrpos serve``, the worker, the wallet's batch scanner) end cleanly
whatever happened to the test: killed if still running, reaped, and every pipe closed.

A pipe left open is closed only by the garbage collector, and when a failed test's traceback keeps the
``Popen`` in a reference cycle, that happens in whichever later test the collector runs: the
``ResourceWarning: unclosed file`` then fails a test that did nothing wrong. So every test that starts a
process ends it in a ``finally`` (or a fixture's teardown) with :func:`stop`, never only on the happy path.
"""

from __future__ import annotations

import contextlib
import subprocess

DEADLINE = 30.0


def stop(process: subprocess.Popen, timeout: float = DEADLINE) -> int:
    """Kill ``process`` if it still runs, wait for it, close its pipes; its exit status."""
    try:
        if process.poll() is None:
            process.kill()
        return process.wait(timeout=timeout)
    finally:
        for pipe in (process.stdin, process.stdout, process.stderr):
            if pipe is not None:
                with contextlib.suppress(BrokenPipeError):  # unsent input to a dead child: closed all the same
                    pipe.close()
