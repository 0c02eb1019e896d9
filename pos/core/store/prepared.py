"""Prepared statements for the settlement hot path.

A SQLAlchemy construct is compiled once per dialect and then run straight on the DB-API cursor of
the caller's connection, inside its transaction. The SQL is still written (and typed) with
SQLAlchemy; only the per-call work of building, caching and wrapping each execution is skipped,
which on SQLite was most of a settlement's time (see benchmarks/settle.py and the README).
Use it for statements whose parameters need no type conversion (strings and integers).
"""

from __future__ import annotations

import threading
from collections import namedtuple
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, exc
from sqlalchemy.sql.expression import Executable

Params = Mapping[str, object]
# A DB-API row with attribute access; callers cast it to the Protocol of its table (e.g. WalletRow).
AttrRow = Any


def _as_sqlalchemy_error(conn: Connection, sql: str, args: Any, error: Exception) -> exc.DBAPIError:
    """Driver errors become SQLAlchemy's (IntegrityError, OperationalError...), as conn.execute does,
    so that the retry logic in Database.transact sees one kind of error whatever the path."""
    error_class = conn.dialect.loaded_dbapi.Error
    return exc.DBAPIError.instance(sql, args, error, error_class, dialect=conn.dialect)  # type: ignore[return-value]


class Prepared:
    """``Prepared(stmt)``; ``Prepared(stmt, postgresql=other)`` when a dialect needs its own form."""

    def __init__(self, statement: Executable, **by_dialect: Executable):
        self.statement = statement
        self._by_dialect = by_dialect
        self._compiled: dict[str, tuple[str, tuple[str, ...] | None]] = {}
        self._rows: dict[tuple[str, ...], Any] = {}
        self._lock = threading.Lock()

    def _for(self, dialect: Dialect) -> tuple[str, tuple[str, ...] | None]:
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = self._by_dialect.get(dialect.name, self.statement).compile(dialect=dialect)  # type: ignore[attr-defined]
            order = tuple(compiled.positiontup) if dialect.paramstyle in ("qmark", "numeric", "format") else None
            found = (compiled.string, order)
            with self._lock:
                self._compiled[dialect.name] = found
        return found

    def _params(self, order: tuple[str, ...] | None, params: Params) -> Sequence[object] | Params:
        return tuple(params[name] for name in order) if order is not None else params

    def run(self, conn: Connection, params: Params | None = None) -> Any:
        """Execute once; returns the DB-API cursor (rowcount, fetch via :meth:`one`/:meth:`first`)."""
        sql, order = self._for(conn.dialect)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        args = self._params(order, params or {})
        try:
            cursor.execute(sql, args)
        except conn.dialect.loaded_dbapi.Error as error:
            raise _as_sqlalchemy_error(conn, sql, args, error) from error
        return cursor

    def many(self, conn: Connection, rows: Sequence[Params]) -> None:
        sql, order = self._for(conn.dialect)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        args = [self._params(order, row) for row in rows]
        try:
            cursor.executemany(sql, args)
        except conn.dialect.loaded_dbapi.Error as error:
            raise _as_sqlalchemy_error(conn, sql, args, error) from error
        cursor.close()

    def rowcount(self, conn: Connection, params: Params | None = None) -> int:
        cursor = self.run(conn, params)
        count: int = cursor.rowcount
        cursor.close()
        return count

    def first(self, conn: Connection, params: Params | None = None) -> AttrRow | None:
        """The first row with attribute access (``row.balance``), or None."""
        cursor = self.run(conn, params)
        values = cursor.fetchone()
        if values is not None:
            names = tuple(d[0] for d in cursor.description)
            row_type = self._rows.get(names)
            if row_type is None:
                row_type = self._rows.setdefault(names, namedtuple("Row", names, rename=True))
            values = row_type(*values)
        cursor.close()
        return values

    def all(self, conn: Connection, params: Params | None = None) -> list[tuple[object, ...]]:
        cursor = self.run(conn, params)
        rows: list[tuple[object, ...]] = cursor.fetchall()
        cursor.close()
        return rows

    def one(self, conn: Connection, params: Params | None = None) -> AttrRow:
        row = self.first(conn, params)
        if row is None:
            raise LookupError("expected one row")
        return row
