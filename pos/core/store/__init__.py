"""Persistence for the core: SQLAlchemy Core tables, engines and units of work, Alembic migrations."""
