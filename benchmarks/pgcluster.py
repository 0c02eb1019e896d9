"""A throwaway PostgreSQL cluster from the server binaries on PATH (as .ci/run does), for benchmarks."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def throwaway_postgres():
    """Yield a SQLAlchemy URL of a fresh cluster; stop and delete it afterwards."""
    if os.environ.get("QRPOS_BENCH_DATABASE_URL"):
        yield os.environ["QRPOS_BENCH_DATABASE_URL"]
        return
    if not shutil.which("initdb"):
        yield None
        return
    root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if root else []
    d = tempfile.mkdtemp(prefix="qrpos-bench-pg-")
    if root:
        shutil.chown(d, "postgres")
    port = _free_port()
    run = lambda *args: subprocess.run([*prefix, *args], check=True, capture_output=True)
    run("initdb", "-D", f"{d}/pg", "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-instructions")
    run("pg_ctl", "-D", f"{d}/pg", "-w", "-l", f"{d}/pg.log", "-o",
        f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={d}/pg -c max_connections=200", "start")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, "pg_ctl", "-D", f"{d}/pg", "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(d, ignore_errors=True)
