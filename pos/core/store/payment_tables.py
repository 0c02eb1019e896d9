"""The payment tables: payment requests, quotes, payments, refunds, payment codes, FX rates, and the sales
rung up at a till. Money columns are BigInteger minor units beside a currency code.

Constraints carry the rules that must hold even if the code above were wrong: one payment per request,
a refund never above its payment, no sale or sale line of zero.

Part of :mod:`pos.core.store.schema`, which re-exports every table.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
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
