"""The parties' tables: merchants with their stores, terminals, staff and API keys, and wallets with their
sessions and PIN locks.

Part of :mod:`pos.core.store.schema`, which re-exports every table.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Integer, String, Table

from pos.core.store.metadata import Ts, metadata

merchants = Table(
    "merchants",
    metadata,
    Column("id", String(20), primary_key=True),
    Column("name", String(25), nullable=False),
    Column("name_local", String(50)),
    Column("language", String(2)),
    Column("mcc", String(4), nullable=False),
    Column("country", String(2), nullable=False),
    Column("city", String(15), nullable=False),
    Column("city_local", String(30)),
    Column("postal_code", String(10)),
    Column("currency", String(3), nullable=False),
    Column("miles_earn_per", BigInteger),  # minor units of `currency` per mile earned; NULL = none
    Column("fee_rate_bp", Integer, nullable=False, default=0),  # basis points of each payment
    Column("account_id", String(40), nullable=False),
    Column("created_at", Ts, nullable=False),
)

stores = Table(
    "stores",
    metadata,
    Column("id", String(20), primary_key=True),
    Column("merchant_id", String(20), ForeignKey("merchants.id"), nullable=False),
    Column("name", String(50), nullable=False),
    Column("created_at", Ts, nullable=False),
)

terminals = Table(
    "terminals",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("store_id", String(20), ForeignKey("stores.id"), nullable=False),
    Column("merchant_id", String(20), ForeignKey("merchants.id"), nullable=False),
    Column("label", String(25), nullable=False),
    Column("request_ttl_seconds", Integer, nullable=False, default=300),
    Column("created_at", Ts, nullable=False),
)

staff = Table(
    "staff",
    metadata,
    Column("id", String(20), primary_key=True),
    Column("merchant_id", String(20), ForeignKey("merchants.id"), nullable=False),
    Column("name", String(50), nullable=False),
    Column("role", String(20), nullable=False),
    Column("created_at", Ts, nullable=False),
    Column("pin_hash", String(200)),  # None: this member of staff cannot sign in to a till yet
    Column("failed_pins", Integer, nullable=False, server_default="0"),  # wrong PINs since the last good one
    Column("locked_until", Ts),  # too many wrong PINs: no sign-in before this time
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(20), primary_key=True),
    Column("merchant_id", String(20), ForeignKey("merchants.id"), nullable=False),
    Column("terminal_id", String(16), ForeignKey("terminals.id")),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("created_at", Ts, nullable=False),
    Column("revoked_at", Ts),
)

wallets = Table(
    "wallets",
    metadata,
    Column("id", String(20), primary_key=True),
    Column("owner", String(80), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("pin_hash", String(200), nullable=False),
    Column("cash_account_id", String(40), nullable=False),
    Column("miles_account_id", String(40), nullable=False),
    Column("created_at", Ts, nullable=False),
)

wallet_sessions = Table(
    "wallet_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("wallet_id", String(20), ForeignKey("wallets.id"), nullable=False),
    Column("created_at", Ts, nullable=False),
    Column("expires_at", Ts, nullable=False),
)

# wrong wallet PINs in a row and the lock they led to (pos.core.parties.wallet_lock);
# a row only once a PIN was wrong
wallet_pin_locks = Table(
    "wallet_pin_locks",
    metadata,
    Column("wallet_id", String(20), ForeignKey("wallets.id"), primary_key=True),
    Column("failed_pins", Integer, nullable=False, server_default="0"),
    Column("locked_until", Ts),
)
