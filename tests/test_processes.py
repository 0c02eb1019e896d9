"""tests.processes.stop: a child process a test started ends killed, reaped and with no pipe left open."""

from __future__ import annotations

import signal
import subprocess
import sys

from tests.processes import stop


def test_a_child_still_running_is_killed_reaped_and_every_pipe_closed():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    child.stdin.write("never read")  # buffered, unsent: closing it must not fail on the broken pipe
    assert stop(child) == -signal.SIGKILL
    assert child.returncode == -signal.SIGKILL
    assert child.stdin.closed and child.stdout.closed and child.stderr.closed


def test_a_child_that_ended_keeps_its_exit_status_and_its_pipe_is_closed():
    child = subprocess.Popen([sys.executable, "-c", "import sys; print('bye'); sys.exit(3)"],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.read() == "bye\n"
    assert stop(child) == 3 and child.stdout.closed
