"""The shared payment core: the parts of a QR payment system, one package each.

    codec/     EMVCo merchant-presented QR: TLV, CRC, national profiles, our signed requests, inspector
    ledger/    double-entry accounts and postings, and the checks that prove the books
    parties/   merchants with their stores, terminals (tills), staff and API keys; wallets; sessions
    payments/  payment requests and their states, settlement, funding (cash, FX, miles), refunds,
               payment codes, FX rates and quotes
    reports/   what a shop reads back: payment lists, daily totals, a request's events
    platform/  what every service stands on: context and unit of work, clock, ids, signing keys,
               idempotency, the journal (hash chain), the outbox and webhooks
    store/     SQLAlchemy tables, engines, prepared statements, group commit, Alembic migrations
    money.py   integer minor units with ISO 4217 codes;  errors.py  the error tree with stable codes
    bootstrap.py  open a database and make it ready (migrations, platform accounts, signing key)

Imports only the standard library, SQLAlchemy, Alembic and Babel (import-linter contracts in the
tests keep Flask, OpenCV and HTTP clients out, and keep each layer from importing the one above it:
store < platform < ledger < parties < payments < reports).
"""
