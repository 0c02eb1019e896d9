"""FX quotes: a time-boxed promise of the rate a wallet pays a price in another currency at."""

from __future__ import annotations

from fractions import Fraction
from typing import Protocol

from sqlalchemy import delete, insert, select

from pos.core.errors import InvalidInput, NotFound, QuoteExpired
from pos.core.money import Money, check_currency
from pos.core.parties.wallets import WalletRow, get_wallet_row
from pos.core.payments import fx
from pos.core.platform.clock import US, iso
from pos.core.platform.context import Core
from pos.core.platform.unit_of_work import UnitOfWork
from pos.core.shapes import View
from pos.core.store.schema import fx_rates, quotes


class QuoteRow(Protocol):
    id: str
    wallet_id: str
    request_id: str | None
    price_amount: int
    price_currency: str
    pay_amount: int
    pay_currency: str
    rate: str
    spread_bp: int
    created_at: int
    expires_at: int


def view(row: QuoteRow) -> View:
    rate = Fraction(row.rate)
    return {
        "id": row.id,
        "object": "quote",
        "request_id": row.request_id,
        "price": {"amount": row.price_amount, "currency": row.price_currency},
        "pay": {"amount": row.pay_amount, "currency": row.pay_currency},
        "rate": fx.rate_text(rate),
        "spread_bp": row.spread_bp,
        "created_at": iso(row.created_at),
        "expires_at": iso(row.expires_at),
    }


def create(uow: UnitOfWork, *, wallet: WalletRow, request_id: str | None, price: Money) -> View | None:
    """Quote ``price`` in the wallet's currency; None when no conversion is needed."""
    if wallet.currency == price.currency:
        return None
    conn, now = uow.conn, uow.now
    mid, spread = fx.lookup(conn, price.currency, wallet.currency)
    rate = fx.customer_rate(mid, spread)
    pay = fx.convert_up(price, wallet.currency, rate)
    quote_id = uow.ids.new("qt", 16)
    conn.execute(
        insert(quotes).values(
            id=quote_id, wallet_id=wallet.id, request_id=request_id, price_amount=price.minor,
            price_currency=price.currency, pay_amount=pay.minor, pay_currency=pay.currency,
            rate=str(rate), spread_bp=spread, created_at=now, expires_at=now + uow.settings.quote_ttl_seconds * US,
        )
    )
    return view(conn.execute(select(quotes).where(quotes.c.id == quote_id)).one())


def quote(core: Core, *, wallet_id: str, amount: int, currency: str) -> View | None:
    """A quote for a price not tied to a request (what would this cost me?)."""
    check_currency(currency)
    price = Money(amount, currency)

    def effect(uow: UnitOfWork) -> View | None:
        return create(uow, wallet=get_wallet_row(uow.conn, wallet_id), request_id=None, price=price)

    return core.transact(effect)


def rate_for(uow: UnitOfWork, *, wallet: WalletRow, request_id: str, quote_id: str | None, price: Money) -> Fraction:
    """The rate a payment uses: its quote's, if given and still valid, else today's table rate.

    A quote is this wallet's, for this request (or, made without one, for this very price); any
    other quote is QUOTE_NOT_FOUND, so that nobody learns whether another wallet's quote exists.
    """
    conn = uow.conn
    if quote_id is None:
        mid, spread = fx.lookup(conn, price.currency, wallet.currency)
        return fx.customer_rate(mid, spread)
    row = conn.execute(select(quotes).where(quotes.c.id == quote_id)).first()
    if (
        row is None
        or row.wallet_id != wallet.id
        or (row.request_id is not None and row.request_id != request_id)
        or (row.price_amount, row.price_currency) != (price.minor, price.currency)
        or row.pay_currency != wallet.currency
    ):
        raise NotFound(f"quote {quote_id} does not exist for this payment", code="QUOTE_NOT_FOUND")
    if row.expires_at <= uow.now:
        raise QuoteExpired(f"quote {quote_id} expired at {iso(row.expires_at)}; scan again for a new one")
    return Fraction(row.rate)


def set_rate(core: Core, *, base: str, quote: str, rate: str, spread_bp: int = 0) -> View:
    """Set the mid rate "1 ``base`` = ``rate`` ``quote``" and the spread charged on top."""
    check_currency(base)
    check_currency(quote)
    if base == quote:
        raise InvalidInput("a rate needs two different currencies", code="INVALID_RATE")
    value = fx.parse_rate(rate)
    fx.check_spread(spread_bp)

    def effect(uow: UnitOfWork) -> View:
        conn = uow.conn
        conn.execute(
            delete(fx_rates).where(
                ((fx_rates.c.base == base) & (fx_rates.c.quote == quote))
                | ((fx_rates.c.base == quote) & (fx_rates.c.quote == base))
            )
        )
        conn.execute(
            insert(fx_rates).values(base=base, quote=quote, rate=str(value), spread_bp=spread_bp, updated_at=uow.now)
        )
        uow.journal("fx.rate_set", {"base": base, "quote": quote, "rate": rate, "spread_bp": spread_bp})
        return {"base": base, "quote": quote, "rate": fx.rate_text(value), "spread_bp": spread_bp}

    return core.transact(effect)
