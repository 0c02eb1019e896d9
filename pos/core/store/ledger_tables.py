"""The ledger's tables: accounts, transactions and their entries, and the Z reports that close a till's
or a store's takings. Amounts are BigInteger minor units.

The no_negative_balance check holds even if the code above were wrong: only platform accounts may go below 0.

Part of :mod:`pos.core.store.schema`, which re-exports every table.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from pos.core.store.metadata import Ts, metadata

accounts = Table(
    "accounts",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("currency", String(5), nullable=False),
    Column("balance", BigInteger, nullable=False, default=0),
    Column("allow_negative", Boolean, nullable=False, default=False),
    Column("created_at", Ts, nullable=False),
    CheckConstraint("allow_negative OR balance >= 0", name="no_negative_balance"),
)

transactions = Table(
    "transactions",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("currency", String(5), nullable=False),
    Column("payment_id", String(24)),
    Column("refund_id", String(24)),
    Column("link_id", String(24)),  # the other half of a cross-currency pair, same for both
    Column("created_at", Ts, nullable=False),
)

entries = Table(
    "entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("transaction_id", String(24), ForeignKey("transactions.id"), nullable=False),
    Column("account_id", String(40), ForeignKey("accounts.id"), nullable=False),
    Column("currency", String(5), nullable=False),
    Column("amount", BigInteger, nullable=False),  # signed: credit to the account is positive
    Index("ix_entries_account", "account_id"),
    Index("ix_entries_transaction", "transaction_id"),
)

# Z reports: a numbered, immutable close of a till's or a store's takings. Each covers the journal's records
# after the previous Z of the same scope up to its own; the snapshot is the whole report as canonical JSON.
z_reports = Table(
    "z_reports",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("merchant_id", String(20), ForeignKey("merchants.id"), nullable=False),
    Column("number", Integer, nullable=False),  # 1, 2, 3... per merchant, never reused
    Column("scope", String(10), nullable=False),  # terminal | store
    Column("scope_id", String(20), nullable=False),  # the terminal's or the store's id
    Column("business_date", String(10), nullable=False),  # YYYY-MM-DD in the shop's time zone when closed
    Column("from_seq", BigInteger, nullable=False),  # journal records after this one...
    Column("to_seq", BigInteger, nullable=False),  # ...up to and including this one
    Column("currency", String(3), nullable=False),
    Column("payments_count", Integer, nullable=False),
    Column("gross", BigInteger, nullable=False),
    Column("refunds", BigInteger, nullable=False),
    Column("fees", BigInteger, nullable=False),
    Column("net", BigInteger, nullable=False),
    Column("snapshot", Text, nullable=False),
    Column("closed_by", String(20), ForeignKey("staff.id"), nullable=False),
    Column("created_at", Ts, nullable=False),
    UniqueConstraint("merchant_id", "number", name="uq_z_reports_number"),
    UniqueConstraint("scope", "scope_id", "from_seq", name="uq_z_reports_chain"),  # one successor per Z
    CheckConstraint("to_seq >= from_seq", name="forward"),
)
