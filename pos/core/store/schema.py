"""The database tables. Money columns are BigInteger minor units beside a currency code.

Constraints carry the rules that must hold even if the code above were wrong: one payment per
request (unique), one idempotency key per scope, non-negative balances for non-platform accounts.
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

# The webhook tables stand in their own module (this one would be too long); they are part of this schema.
from pos.core.store.webhook_tables import webhook_attempts as webhook_attempts
from pos.core.store.webhook_tables import webhook_deliveries as webhook_deliveries
from pos.core.store.webhook_tables import webhook_endpoints as webhook_endpoints

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

payment_requests = Table(
    "payment_requests",
    metadata,
    Column("id", String(25), primary_key=True),
    Column("kind", String(10), nullable=False),  # dynamic | static | presented
    Column("merchant_id", String(20), ForeignKey("merchants.id"), nullable=False),
    Column("terminal_id", String(16), ForeignKey("terminals.id"), nullable=False),
    Column("amount", BigInteger),
    Column("currency", String(3), nullable=False),
    Column("reference", String(25)),
    Column("status", String(20), nullable=False),
    Column("payload", Text),
    Column("created_at", Ts, nullable=False),
    Column("expires_at", Ts),
    Column("updated_at", Ts, nullable=False),
    Index("ix_requests_status_expiry", "status", "expires_at"),
    Index("ix_requests_merchant", "merchant_id", "created_at"),
)

quotes = Table(
    "quotes",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("wallet_id", String(20), ForeignKey("wallets.id"), nullable=False),
    Column("request_id", String(25), ForeignKey("payment_requests.id")),
    Column("price_amount", BigInteger, nullable=False),
    Column("price_currency", String(3), nullable=False),
    Column("pay_amount", BigInteger, nullable=False),
    Column("pay_currency", String(3), nullable=False),
    Column("rate", String(40), nullable=False),  # exact decimal text: pay units per price unit
    Column("spread_bp", Integer, nullable=False),
    Column("created_at", Ts, nullable=False),
    Column("expires_at", Ts, nullable=False),
)

payments = Table(
    "payments",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("request_id", String(25), ForeignKey("payment_requests.id"), nullable=False),
    Column("wallet_id", String(20), ForeignKey("wallets.id"), nullable=False),
    Column("merchant_id", String(20), ForeignKey("merchants.id"), nullable=False),
    Column("amount", BigInteger, nullable=False),  # the price, merchant currency
    Column("currency", String(3), nullable=False),
    Column("cash_amount", BigInteger, nullable=False),  # part of the price paid with cash
    Column("miles_used", BigInteger, nullable=False),  # part of the price paid with miles
    Column("charged_amount", BigInteger, nullable=False),  # cash taken from the wallet
    Column("charged_currency", String(3), nullable=False),
    Column("quote_id", String(24)),
    Column("miles_earned", BigInteger, nullable=False),
    Column("fee", BigInteger, nullable=False),
    Column("refunded_amount", BigInteger, nullable=False, default=0),
    Column("status", String(20), nullable=False),
    Column("created_at", Ts, nullable=False),
    UniqueConstraint("request_id", name="uq_payments_request_id"),  # exactly one per request
    Index("ix_payments_merchant", "merchant_id", "created_at"),
    Index("ix_payments_wallet", "wallet_id", "created_at"),
    CheckConstraint("refunded_amount >= 0 AND refunded_amount <= amount", name="refund_bounds"),
)

refunds = Table(
    "refunds",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("payment_id", String(24), ForeignKey("payments.id"), nullable=False),
    Column("amount", BigInteger, nullable=False),  # merchant currency
    Column("cash_back", BigInteger, nullable=False),  # payer currency
    Column("miles_back", BigInteger, nullable=False),
    Column("miles_clawed", BigInteger, nullable=False),
    Column("miles_claw_shortfall", BigInteger, nullable=False),
    Column("fee_back", BigInteger, nullable=False),
    Column("created_at", Ts, nullable=False),
    Column("approved_by", String(20), ForeignKey("staff.id")),  # the manager whose PIN authorised it at a till
    Index("ix_refunds_payment", "payment_id"),
)

payment_codes = Table(
    "payment_codes",
    metadata,
    Column("code", String(24), primary_key=True),
    Column("wallet_id", String(20), ForeignKey("wallets.id"), nullable=False),
    Column("created_at", Ts, nullable=False),
    Column("expires_at", Ts, nullable=False),
    Column("used_by_request", String(25)),
)

fx_rates = Table(
    "fx_rates",
    metadata,
    Column("base", String(3), primary_key=True),
    Column("quote", String(3), primary_key=True),
    Column("rate", String(40), nullable=False),  # exact decimal: quote units per 1 base unit (major)
    Column("spread_bp", Integer, nullable=False),
    Column("updated_at", Ts, nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("scope", String(60), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("body_hash", String(64), nullable=False),
    Column("response", Text, nullable=False),
    Column("created_at", Ts, nullable=False),
)

journal = Table(
    "journal",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(40), nullable=False),
    Column("body", Text, nullable=False),  # canonical JSON
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("created_at", Ts, nullable=False),
)

# One row: the chain's head. Appending locks it, which orders every journal write.
journal_head = Table(
    "journal_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),  # delivery order (SSE, webhooks)
    Column("id", String(24), nullable=False, unique=True),
    Column("merchant_id", String(20), nullable=False),
    Column("request_id", String(25)),
    Column("payment_id", String(24)),
    Column("type", String(40), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", Ts, nullable=False),
    Index("ix_events_request", "request_id", "created_at"),
    Index("ix_events_merchant", "merchant_id", "created_at"),
)

signing_keys = Table(
    "signing_keys",
    metadata,
    Column("key_id", String(8), primary_key=True),
    Column("secret", String(128), nullable=False),  # hex
    Column("active", Boolean, nullable=False),
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

# A sale rung up at a till: its lines, priced in the merchant's currency. Payment requests for it carry
# the sale id as their reference, so an expired QR can be replaced for the same cart in one tap.
sales = Table(
    "sales",
    metadata,
    Column("id", String(25), primary_key=True),
    Column("merchant_id", String(20), ForeignKey("merchants.id"), nullable=False),
    Column("terminal_id", String(20), ForeignKey("terminals.id"), nullable=False),
    Column("staff_id", String(20), ForeignKey("staff.id")),
    Column("total", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("created_at", Ts, nullable=False),
    CheckConstraint("total > 0", name="positive_total"),
)

sale_items = Table(
    "sale_items",
    metadata,
    Column("sale_id", String(25), ForeignKey("sales.id"), primary_key=True),
    Column("line", Integer, primary_key=True),
    Column("item_id", String(40)),  # the catalogue item, None for a keyed-in amount
    Column("names", Text, nullable=False),  # JSON {"en": ..., "ja": ..., "zh": ...} as printed on the receipt
    Column("quantity", Integer, nullable=False),
    Column("unit_amount", BigInteger, nullable=False),
    CheckConstraint("quantity > 0 AND unit_amount > 0", name="positive_line"),
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
