"""The shared payment core: money, ledger, payment requests, settlement, FX and miles.

Imports only the standard library, SQLAlchemy, Alembic and Babel (an import-linter contract in the
tests keeps Flask, OpenCV and HTTP clients out).
"""
