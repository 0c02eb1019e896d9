"""Foreign exchange for tourists: a rate table, quotes, and exact rounding (never floats).

A rate is "units of ``quote`` per 1 unit of ``base``", in major units, kept as exact decimal text.
The payer pays ``price x rate x (1 + spread)``, rounded *up* to their minor unit, so the platform
never converts at a loss; the merchant is always credited exactly the price.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

from sqlalchemy import Connection, select

from pos.core.errors import FxRateUnavailable, InvalidInput
from pos.core.limits import SPREAD_MAX_BP, int_between
from pos.core.money import Money, check_currency, exponent
from pos.core.store.schema import fx_rates

MAX_SPREAD_BP = SPREAD_MAX_BP


def parse_rate(text: str) -> Fraction:
    """Exact positive rate from decimal text ("0.0482"); refuse anything else."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise InvalidInput(f"rate {text!r} is not a decimal number", code="INVALID_RATE") from None
    if not value.is_finite() or value <= 0:
        raise InvalidInput(f"rate {text!r} must be a positive number", code="INVALID_RATE")
    return Fraction(value)


def check_spread(spread_bp: object) -> int:
    if not int_between(spread_bp, 0, MAX_SPREAD_BP):
        raise InvalidInput(f"spread must be 0-{MAX_SPREAD_BP} basis points, got {spread_bp!r}", code="INVALID_RATE")
    return spread_bp


def ceil_div(num: int, den: int) -> int:
    return -(-num // den)


def customer_rate(mid: Fraction, spread_bp: int) -> Fraction:
    """The rate the payer gets: the mid rate plus the platform's spread."""
    return mid * Fraction(10_000 + spread_bp, 10_000)


def convert_up(price: Money, pay_currency: str, rate: Fraction) -> Money:
    """Price in the payer's currency at ``rate`` (pay units per price unit), rounded up."""
    check_currency(pay_currency)
    exact = Fraction(price.minor, 10 ** price.exponent) * rate * 10 ** exponent(pay_currency)
    return Money(ceil_div(exact.numerator, exact.denominator), pay_currency)


def lookup(conn: Connection, base: str, quote: str) -> tuple[Fraction, int]:
    """(mid rate, spread) to convert ``base`` prices into ``quote``, from a direct or inverse row."""
    row = conn.execute(select(fx_rates).where(fx_rates.c.base == base, fx_rates.c.quote == quote)).first()
    if row is not None:
        return Fraction(row.rate), row.spread_bp
    row = conn.execute(select(fx_rates).where(fx_rates.c.base == quote, fx_rates.c.quote == base)).first()
    if row is not None:
        return 1 / Fraction(row.rate), row.spread_bp
    raise FxRateUnavailable(f"no exchange rate between {base} and {quote}")


def rate_text(rate: Fraction, digits: int = 10) -> str:
    """A rate for people: decimal text rounded to ``digits`` significant places (display only)."""
    value = Decimal(rate.numerator) / Decimal(rate.denominator)
    return f"{value:.{digits}g}"
