"""The schema's DDL, table by table, for SQLite and PostgreSQL, matches the snapshot in ``schema_ddl/``.

The tables are spread over several modules (``pos.core.store.*_tables``); this pins what they add up to,
so that moving a table between modules, or a column helper, cannot change a column, an index or a constraint
unnoticed. A deliberate schema change (with its migration) rewrites the snapshot:
``.venv/bin/python -m tests.core.test_schema_ddl``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.schema import CreateIndex, CreateTable

from pos.core.store.schema import metadata

SNAPSHOTS = Path(__file__).with_name("schema_ddl")
DIALECTS: dict[str, Dialect] = {"sqlite": sqlite.dialect(), "postgresql": postgresql.dialect()}


def ddl(dialect: Dialect) -> str:
    """Every table's CREATE TABLE and CREATE INDEX statements, tables and indexes in name order, and the
    defaults SQLAlchemy fills in on insert (they are not in the DDL, but a table's behaviour all the same)."""
    statements = []
    for name in sorted(metadata.tables):
        table = metadata.tables[name]
        statements.append(str(CreateTable(table).compile(dialect=dialect)).strip())
        for index in sorted(table.indexes, key=lambda index: str(index.name)):
            statements.append(str(CreateIndex(index).compile(dialect=dialect)).strip())
    defaults = [f"-- {column.table.name}.{column.name} defaults to {column.default.arg!r} on insert"
                for name in sorted(metadata.tables) for column in metadata.tables[name].columns
                if column.default is not None and column.default.is_scalar]
    return ";\n\n".join(statements) + ";\n\n" + "\n".join(defaults) + "\n"


@pytest.mark.parametrize("name", sorted(DIALECTS))
def test_the_tables_emit_exactly_the_ddl_of_the_snapshot(name):
    assert ddl(DIALECTS[name]) == (SNAPSHOTS / f"{name}.txt").read_text()


def test_the_snapshot_covers_every_table():
    assert len(metadata.tables) == 28
    assert all(f"CREATE TABLE {name} " in (SNAPSHOTS / "sqlite.txt").read_text() for name in metadata.tables)


if __name__ == "__main__":
    for dialect_name, dialect in DIALECTS.items():
        (SNAPSHOTS / f"{dialect_name}.txt").write_text(ddl(dialect))
