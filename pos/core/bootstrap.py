"""Bring a database to a working state: migrate the schema, open platform accounts, start the
journal, make the first signing key. Safe to run again on a live database."""

from __future__ import annotations

from pos.core import ledger
from pos.core.money import CURRENCIES
from pos.core.platform import journal
from pos.core.platform.context import Clock, Core, Settings
from pos.core.platform.ids import IdGenerator
from pos.core.platform.keys import ensure_signing_key
from pos.core.platform.unit_of_work import UnitOfWork
from pos.core.store import migrate
from pos.core.store.db import Database


def prepare(core: Core) -> None:
    migrate.upgrade(core.db.engine)

    def effect(uow: UnitOfWork) -> None:
        journal.ensure_head(uow.conn)
        ledger.open_platform_accounts(uow.conn, CURRENCIES, uow.now)

    core.transact(effect)
    ensure_signing_key(core)


def open_core(
    url: str | None = None, *, clock: Clock | None = None, ids: IdGenerator | None = None,
    settings: Settings | None = None, prepare_db: bool = True,
) -> Core:
    """A ready Core on ``url`` (or QRPOS_DATABASE_URL, or the default SQLite file)."""
    core = Core(Database(url), clock=clock, ids=ids, settings=settings)
    if prepare_db:
        prepare(core)
    return core
