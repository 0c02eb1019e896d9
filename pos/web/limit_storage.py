"""A ``limits`` storage on the shop's own PostgreSQL database, so that rate limits hold across processes.

Several ``qrpos serve`` processes on one database serve one shop; with per-process counters
(``memory://``) a client gets N per minute *per process*. Flask-Limiter's storages need a separate
server (Redis, Memcached, MongoDB); the database is already shared, so this one keeps the counters
there: one row per limit key in an UNLOGGED table (no WAL: a counter need not survive a crash, and
skipping the log keeps a hit cheap), and one statement per hit, an ``INSERT ... ON CONFLICT DO
UPDATE`` that starts a new window when the old one has expired, so concurrent hits from any process
serialise on the row and none is lost. Time is the database's clock, the same for every process.

Used by the fixed-window strategy (Flask-Limiter's default): ``incr``, ``get``, ``get_expiry``. The
table is created on first use (under an advisory lock: two processes may start at once); it is
outside the Alembic schema because it holds nothing of the shop, only counters that expire.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from limits.storage import Storage
from sqlalchemy import exc, text
from sqlalchemy.engine import Engine

SCHEME = "qrpos-database"
TABLE = "rate_limit_counters"
_NOW = "extract(epoch from clock_timestamp())"
_LOCK_ID = 7_262_771_001  # pg_advisory_xact_lock: one creator of the table at a time
_PRUNE_EVERY = 1000  # hits between deletions of long-expired rows
_FRESH_SECONDS = 0.5  # how long a thread reuses what its own last hit returned, for the response's headers

_CREATE = text(f"CREATE UNLOGGED TABLE IF NOT EXISTS {TABLE} "
               "(key text PRIMARY KEY, hits bigint NOT NULL, expires_at double precision NOT NULL)")
_INCR = text(f"""
INSERT INTO {TABLE} AS c (key, hits, expires_at) VALUES (:key, :amount, {_NOW} + :expiry)
ON CONFLICT (key) DO UPDATE SET
  hits = CASE WHEN c.expires_at <= {_NOW} THEN :amount ELSE c.hits + :amount END,
  expires_at = CASE WHEN c.expires_at <= {_NOW} THEN excluded.expires_at ELSE c.expires_at END
RETURNING hits, expires_at""")
_GET = text(f"SELECT hits FROM {TABLE} WHERE key = :key AND expires_at > {_NOW}")
_EXPIRY = text(f"SELECT expires_at FROM {TABLE} WHERE key = :key AND expires_at > {_NOW}")
_PRUNE = text(f"DELETE FROM {TABLE} WHERE expires_at < {_NOW} - 60")


class DatabaseStorage(Storage):
    """Rate-limit counters in the shop's PostgreSQL database (``qrpos-database://``, given ``engine=``)."""

    STORAGE_SCHEME = [SCHEME]  # noqa: RUF012  (the base class declares it a plain list attribute)

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, *, engine: Engine | None = None,
                 **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        if engine is None or engine.dialect.name != "postgresql":
            raise ValueError("the database rate-limit storage needs the shop's PostgreSQL engine")
        self.engine = engine
        # one statement is its own transaction: no COMMIT round trip (on an UNLOGGED table it waits for no disk)
        self._autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._hits = 0
        self._last = threading.local()  # this thread's last hit: key -> (hits, expires_at, when)
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
            conn.execute(_CREATE)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return exc.SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        self._hits += 1  # a race here only moves the next pruning by a hit
        with self._autocommit.connect() as conn:
            hits, expires_at = conn.execute(_INCR, {"key": key, "amount": amount, "expiry": float(expiry)}).one()
            if self._hits % _PRUNE_EVERY == 0:
                conn.execute(_PRUNE)
        self._last.hit = (key, int(hits), float(expires_at), time.monotonic())
        return int(hits)

    def _just_hit(self, key: str) -> tuple[int, float] | None:
        """The count and expiry this thread's hit of ``key`` just returned: the limit was decided on it, and
        the ``X-RateLimit-*`` headers that follow read it again (it may lag other processes' hits since)."""
        last = getattr(self._last, "hit", None)
        if last is None or last[0] != key or time.monotonic() - last[3] > _FRESH_SECONDS or last[2] <= time.time():
            return None
        return last[1], last[2]

    def get(self, key: str) -> int:
        if (last := self._just_hit(key)) is not None:
            return last[0]
        with self.engine.connect() as conn:
            hits = conn.execute(_GET, {"key": key}).scalar()
        return int(hits or 0)

    def get_expiry(self, key: str) -> float:
        if (last := self._just_hit(key)) is not None:
            return last[1]
        with self.engine.connect() as conn:
            expires_at = conn.execute(_EXPIRY, {"key": key}).scalar()
        return float(expires_at) if expires_at is not None else time.time()

    def check(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except exc.SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self.engine.begin() as conn:
            return conn.execute(text(f"DELETE FROM {TABLE}")).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(text(f"DELETE FROM {TABLE} WHERE key = :key"), {"key": key})
