"""`qrpos backup FILE` and `qrpos restore FILE`: a consistent copy of a running SQLite shop, and back.

Both use SQLite's online backup API (``sqlite3.Connection.backup``), never a file copy: the backup
reads one snapshot of the live database in one step while payments go on (WAL lets writers continue),
and a restore writes through SQLite's own locks. A backup is a single self-contained file (rollback
journal mode), written beside its target and renamed into place, then checked (integrity and the
ledger) before it is reported good. A restore checks the file first, refuses to overwrite a database
that another process has open unless ``--force``, and verifies the ledger of the result.

PostgreSQL shops use ``pg_dump``/``pg_restore`` (docs/reliability.md says how).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

import click

from pos.cli.common import emit, fail, handled, json_option

BUSY_MS = 60_000  # wait this long for a writer to finish, as the server's own connections do


def sqlite_path(db_url: str | None) -> Path:
    """The file behind the ``--db`` URL; a PostgreSQL URL is refused with the pg_dump hint."""
    from sqlalchemy.engine import make_url

    from pos.core.store.db import database_url

    url = make_url(database_url(db_url))
    if url.get_backend_name() != "sqlite":
        fail("backup and restore work on SQLite files; for PostgreSQL use pg_dump and pg_restore "
             "(see docs/reliability.md)")
    if not url.database or url.database == ":memory:":
        fail("the database URL names no file")
    return Path(str(url.database))


def _connect(path: Path, *, busy_ms: int = BUSY_MS) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, timeout=busy_ms / 1000)
    conn.execute(f"PRAGMA busy_timeout={busy_ms}")
    return conn


def _audit(url: str) -> dict:
    from pos.core.bootstrap import open_core
    from pos.core.ledger.verify import audit

    core = open_core(url, prepare_db=False)
    try:
        return audit(core)
    finally:
        core.db.dispose()


def check_file(path: Path) -> dict:
    """Integrity, the qrpos schema and the ledger of a backup file, read without changing it."""
    uri = f"file:{quote(str(path.resolve()))}?immutable=1"  # a file nobody writes: no locks, no -wal
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as error:
        fail(f"{path} is not an SQLite database ({error})")
    if integrity != "ok":
        fail(f"{path} is damaged: {integrity}")
    if not {"journal", "entries", "alembic_version"} <= tables:
        fail(f"{path} is not a qrpos database")
    return _audit(f"sqlite:///{uri}&uri=true")


def _in_use(conn: sqlite3.Connection) -> bool:
    """Whether another connection has the database open: leaving WAL mode needs it to be the only one."""
    try:
        return conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0] != "delete"
    except sqlite3.OperationalError:
        return True


def backup(source: Path, target: Path) -> None:
    """Copy ``source`` (live) to ``target`` in one snapshot; ``target`` appears only when complete."""
    draft = target.with_name(f".{target.name}.{os.getpid()}.partial")
    draft.unlink(missing_ok=True)
    try:
        with contextlib.closing(_connect(source)) as src, contextlib.closing(_connect(draft)) as dst:
            src.backup(dst)  # all pages in one step: one read transaction, one snapshot
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        os.replace(draft, target)
    finally:
        draft.unlink(missing_ok=True)


def restore(backup_file: Path, target: Path, *, force: bool) -> None:
    """Write ``backup_file`` over ``target`` through SQLite, unless another process has it open."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(_connect(target, busy_ms=0)) as dst:
        if target.stat().st_size and _in_use(dst) and not force:
            fail(f"{target} is in use (a server or worker has it open): stop it first, or use --force")
        dst.execute(f"PRAGMA busy_timeout={BUSY_MS}")
        with contextlib.closing(_connect(backup_file)) as src:
            src.backup(dst)


def register(cli) -> None:
    @cli.command("backup")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
    @json_option
    @click.pass_obj
    @handled
    def backup_command(obj, file: Path, force: bool, as_json: bool):
        """Copy the (running) SQLite shop to FILE, consistently, and verify the copy."""
        source = sqlite_path(obj.db_url)
        if not source.exists():
            fail(f"{source} does not exist")
        if file.exists() and not force:
            fail(f"{file} exists: choose another name, or use --force")
        backup(source, file)
        report = check_file(file)
        if not report["ok"]:
            fail(f"the copy in {file} does not verify: {report['summary']}")
        data = {"backup": str(file), "bytes": file.stat().st_size, "ledger": report["summary"]}
        emit(data, as_json, f"backed up {source} to {file} ({data['bytes']} bytes); {report['summary']}")

    @cli.command("restore")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--force", is_flag=True, help="Restore even while another process has the database open.")
    @json_option
    @click.pass_obj
    @handled
    def restore_command(obj, file: Path, force: bool, as_json: bool):
        """Bring the shop back from a backup FILE, then verify the ledger."""
        target = sqlite_path(obj.db_url)
        checked = check_file(file)
        if not checked["ok"]:
            fail(f"{file} does not verify, nothing restored: {checked['summary']}")
        restore(file, target, force=force)
        report = _audit(f"sqlite:///{target}")  # the shop's own database, as the server opens it
        data = {"restored": str(target), "from": str(file), "ledger": report["summary"], "ok": report["ok"]}
        emit(data, as_json, f"restored {target} from {file}; {report['summary']}")
        if not report["ok"]:
            raise SystemExit(1)
