"""Money as integer minor units plus an ISO 4217 code; never a float.

Exponents are pinned here for the currencies we support (a test checks them against the ``iso4217``
package); Babel's CLDR digits differ from ISO 4217 for a few currencies, so they are not used for
arithmetic, only for display.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_currency

from pos.core.errors import CurrencyMismatch, InvalidAmount, UnsupportedCurrency
from pos.core.limits import is_int

#: ISO 4217 alpha code -> (numeric code, minor-unit exponent)
CURRENCIES: dict[str, tuple[str, int]] = {
    "JPY": ("392", 0),
    "KRW": ("410", 0),
    "CNY": ("156", 2),
    "USD": ("840", 2),
    "TWD": ("901", 2),
    "HKD": ("344", 2),
    "EUR": ("978", 2),
    "THB": ("764", 2),
    "SGD": ("702", 2),
    "MYR": ("458", 2),
    "IDR": ("360", 2),
    "VND": ("704", 0),
    "BRL": ("986", 2),
    "KHR": ("116", 2),
    "GBP": ("826", 2),
    "AUD": ("036", 2),
    "INR": ("356", 2),
}
_BY_NUMERIC = {numeric: alpha for alpha, (numeric, _) in CURRENCIES.items()}


def check_currency(code: str) -> str:
    """Return ``code`` if it is a supported ISO 4217 alpha code, else raise UnsupportedCurrency."""
    if not isinstance(code, str) or code not in CURRENCIES:
        raise UnsupportedCurrency(f"currency {code!r} is not supported")
    return code


def exponent(code: str) -> int:
    """Number of minor-unit digits (JPY 0, CNY 2)."""
    return CURRENCIES[check_currency(code)][1]


def numeric_code(code: str) -> str:
    return CURRENCIES[check_currency(code)][0]


def amount_text(minor: int, exponent: int) -> str:
    """Minor units as major-unit digits with the currency's decimals: (8880, 2) -> "88.80"."""
    if exponent == 0:
        return str(minor)
    whole, frac = divmod(minor, 10**exponent)
    return f"{whole}.{frac:0{exponent}d}"


def alpha_from_numeric(numeric: str) -> str:
    try:
        return _BY_NUMERIC[numeric]
    except KeyError:
        raise UnsupportedCurrency(f"numeric currency {numeric!r} is not supported") from None


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in minor units of one currency: ``Money(1200, "JPY")`` is ¥1,200."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if not is_int(self.minor):
            raise InvalidAmount(f"amount must be an integer of minor units, got {self.minor!r}")
        check_currency(self.currency)

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor < other.minor

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.minor <= other.minor

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor > other.minor

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.minor >= other.minor

    @property
    def exponent(self) -> int:
        return exponent(self.currency)

    def decimal(self) -> Decimal:
        """The amount in major units, exact (for display and EMV encoding only)."""
        return Decimal(self.minor).scaleb(-self.exponent)

    def emv_amount(self) -> str:
        """The amount as an EMV 54 value: digits, one dot when the currency has decimals."""
        if self.minor <= 0:
            raise InvalidAmount("an EMV amount must be positive")
        return amount_text(self.minor, self.exponent)

    @classmethod
    def parse(cls, text: str, currency: str) -> Money:
        """Parse a major-unit string such as "12.50" exactly; refuse excess decimals."""
        e = exponent(currency)
        try:
            value = Decimal(str(text).strip())
        except Exception:
            raise InvalidAmount(f"{text!r} is not an amount") from None
        if not value.is_finite():
            raise InvalidAmount(f"{text!r} is not an amount")
        scaled = value.scaleb(e)
        if scaled != scaled.to_integral_value():
            raise InvalidAmount(f"{text!r} has more than {e} decimals for {currency}")
        return cls(int(scaled), currency)

    def format(self, locale: str = "en_US") -> str:
        """Format for people through Babel in the viewer's locale (¥1,200, CN¥88.80...)."""
        return format_currency(self.decimal(), self.currency, locale=locale)

    def to_dict(self) -> dict[str, int | str]:
        return {"amount": self.minor, "currency": self.currency}

    def __str__(self) -> str:
        return f"{self.decimal()} {self.currency}"
