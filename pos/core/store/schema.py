"""The database tables, all in one MetaData. Money columns are BigInteger minor units beside a currency code.

Constraints carry the rules that must hold even if the code above were wrong: one payment per
request (unique), one idempotency key per scope, non-negative balances for non-platform accounts.

The tables stand in one module per part of the core (this one would be too long); importing this module
defines them all, and the rest of the code imports them from here.
"""

from __future__ import annotations

from pos.core.store.ledger_tables import accounts, entries, transactions, z_reports
from pos.core.store.metadata import metadata
from pos.core.store.parties_tables import (
    api_keys,
    merchants,
    staff,
    stores,
    terminals,
    wallet_pin_locks,
    wallet_sessions,
    wallets,
)
from pos.core.store.payment_tables import (
    fx_rates,
    payment_codes,
    payment_requests,
    payments,
    quotes,
    refunds,
    sale_items,
    sales,
)
from pos.core.store.platform_tables import events, idempotency_keys, journal, journal_head, signing_keys
from pos.core.store.webhook_tables import webhook_attempts, webhook_deliveries, webhook_endpoints

__all__ = [
    "accounts",
    "api_keys",
    "entries",
    "events",
    "fx_rates",
    "idempotency_keys",
    "journal",
    "journal_head",
    "merchants",
    "metadata",
    "payment_codes",
    "payment_requests",
    "payments",
    "quotes",
    "refunds",
    "sale_items",
    "sales",
    "signing_keys",
    "staff",
    "stores",
    "terminals",
    "transactions",
    "wallet_pin_locks",
    "wallet_sessions",
    "wallets",
    "webhook_attempts",
    "webhook_deliveries",
    "webhook_endpoints",
    "z_reports",
]
