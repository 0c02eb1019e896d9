"""Alembic environment: runs against the connection handed over by pos.core.store.migrate."""

from alembic import context

from pos.core.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
