"""A throwaway PostgreSQL cluster of the test's own (initdb, pg_ctl), which the test may stop and start.

As ``.ci/run`` does: run as the ``postgres`` user through ``runuser`` when root (PostgreSQL refuses to
run as root), trust authentication on 127.0.0.1 and a free port.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, root: Path):
        self.root = root
        self.data = root / "pg"
        self.port = _free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(prefix + list(args), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-instructions")

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.data}"
        self._run("pg_ctl", "-D", str(self.data), "-w", "-l", str(self.root / "pg.log"), "-o", options, "start")

    def stop(self) -> None:
        """A fast shutdown: open sessions are ended at once, as a restart by an operator would."""
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "fast", "stop")


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """A started cluster of this test's own; skipped where PostgreSQL's programs are not installed."""
    if shutil.which("initdb") is None or shutil.which("pg_ctl") is None:
        pytest.skip("initdb and pg_ctl are not installed")
    root = Path(tempfile.mkdtemp(prefix="qrpos-pg-"))  # under /tmp: pytest's own folders are root's alone
    cluster = Cluster(root)
    cluster.init()
    cluster.start()
    try:
        yield cluster
    finally:
        _stop_and_remove(cluster, root)


def _stop_and_remove(cluster: Cluster, root: Path) -> None:
    try:
        cluster.stop()
    except subprocess.CalledProcessError:
        pass  # already stopped by the test
    shutil.rmtree(root, ignore_errors=True)
