"""Bring a database to a working state: migrate the schema, open platform accounts, start the
journal, make the first signing key. Safe to run again on a live database."""

from __future__ import annotations

from pos.core import ledger
from pos.core.money import CURRENCIES
from pos.core.platform import journal
from pos.core.platform.context import Core, Settings
from pos.core.platform.keys import ensure_signing_key
from pos.core.store import migrate
from pos.core.store.db import Database


def prepare(core: Core) -> None:
    migrate.upgrade(core.db.engine)

    def effect(conn):
        journal.ensure_head(conn)
        ledger.open_platform_accounts(conn, CURRENCIES, core.now())

    core.db.transact(effect)
    ensure_signing_key(core)


def open_core(url: str | None = None, *, clock=None, ids=None, settings: Settings | None = None, prepare_db=True):
    """A ready Core on ``url`` (or QRPOS_DATABASE_URL, or the default SQLite file)."""
    core = Core(Database(url), clock=clock, ids=ids, settings=settings)
    if prepare_db:
        prepare(core)
    return core
