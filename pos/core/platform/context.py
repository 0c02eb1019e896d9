"""The core's dependencies in one place: database, clock, id generator, settings and signing keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from sqlalchemy import Connection

from pos.core.platform.clock import SystemClock
from pos.core.platform.ids import IdGenerator
from pos.core.platform.keys import Keyring
from pos.core.platform.unit_of_work import Effect, UnitOfWork
from pos.core.platform.webhook_targets import allow_private_from_env
from pos.core.store.db import Database

T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    request_ttl_seconds: int = 300  # a terminal may override it
    quote_ttl_seconds: int = 60
    payment_code_ttl_seconds: int = 60
    session_ttl_seconds: int = 3600
    miles_max_per_payment: int = 50_000  # miles one payment may spend
    pin_scrypt_n: int = 2**14  # tests lower it; the hash records the value used
    webhooks_allow_private: bool = field(default_factory=allow_private_from_env)  # local development only


class Clock(Protocol):
    def now_us(self) -> int: ...


class Core:
    """What every service needs. Built once per process (CLI, server, test)."""

    def __init__(
        self, db: Database, *, clock: Clock | None = None, ids: IdGenerator | None = None,
        settings: Settings | None = None,
    ):
        self.db = db
        self.clock: Clock = clock or SystemClock()
        self.ids = ids or IdGenerator()
        self.settings = settings or Settings()
        self.keyring = Keyring(self)

    def now(self) -> int:
        return self.clock.now_us()

    def transact(self, effect: Effect[T]) -> T:
        """Run ``effect`` as one unit of work in a write transaction (group commit, retries: see
        :mod:`pos.core.platform.unit_of_work` for why it may run more than once)."""

        def run(conn: Connection) -> T:
            return UnitOfWork(conn, self.clock.now_us(), self.ids, self.settings).run(effect)

        return self.db.transact(run)
