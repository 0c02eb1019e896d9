"""The plain data a receipt or a poster is printed from (no database, no Flask: the caller fills them in).

Amounts are :class:`pos.core.money.Money` (integer minor units); names come in the languages we print.
Each class checks its own consistency when built, so a PDF is never made from contradictory numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from pos.core.money import Money
from pos.printing.errors import InvalidDocument
from pos.printing.labels import LANGUAGES, language


@dataclass(frozen=True, slots=True)
class Shop:
    """Who sells: the name in Latin letters and in the local script, and where the till is.

    ``language`` is the language of ``name_local`` (``ja`` for 渋谷ラーメン); ``time_zone`` is an IANA
    name, used to print every time as the shop's clock shows it.
    """

    name: str
    name_local: str
    language: str = "ja"
    time_zone: str = "Asia/Tokyo"
    store_name: str | None = None
    terminal_label: str | None = None

    def __post_init__(self):
        if not self.name.strip() or not self.name_local.strip():
            raise InvalidDocument("a shop needs its name in Latin letters and in its local script")
        object.__setattr__(self, "language", language(self.language))


@dataclass(frozen=True, slots=True)
class ReceiptItem:
    """One line of a sale: ``names`` by language (``{"en": ..., "ja": ..., "zh": ...}``), a quantity and
    the unit price. A language that is missing is printed with the English or the shop's own name."""

    names: Mapping[str, str]
    quantity: int
    unit_price: Money

    def __post_init__(self):
        if not any(str(n).strip() for n in self.names.values()):
            raise InvalidDocument("an item needs a name")
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or self.quantity <= 0:
            raise InvalidDocument(f"an item's quantity must be a positive integer, not {self.quantity!r}")

    @property
    def total(self) -> Money:
        return Money(self.unit_price.minor * self.quantity, self.unit_price.currency)

    def name(self, lang: str, fallback: str) -> tuple[str, str]:
        """The item's name for a reader of ``lang`` and the language it is in."""
        for candidate in (lang, "en", fallback, *LANGUAGES):
            if self.names.get(candidate, "").strip():
                return self.names[candidate], candidate
        raise InvalidDocument("an item needs a name")  # unreachable after __post_init__


@dataclass(frozen=True, slots=True)
class RefundEntry:
    """A refund of (part of) the payment: the amount in the shop's currency, and what went back to the payer."""

    refund_id: str
    amount: Money
    at: datetime
    cash_back: Money | None = None
    miles_back: int = 0


@dataclass(frozen=True, slots=True)
class Receipt:
    """Everything one receipt prints.

    ``total`` is the price in the shop's currency; ``miles_used`` miles paid ``miles_value`` of it, and the
    payer's wallet was ``charged`` the rest in its own currency at ``rate`` (units of the charged currency
    per one unit of the shop's). ``items`` may be empty for a plain amount; when given they must add up to
    ``total``. ``url`` is the receipt's address, printed as a QR code.
    """

    shop: Shop
    payment_id: str
    paid_at: datetime
    total: Money
    items: tuple[ReceiptItem, ...] = ()
    charged: Money | None = None
    rate: Fraction | Decimal | str | None = None
    miles_used: int = 0
    miles_value: Money | None = None
    miles_earned: int = 0
    refunds: tuple[RefundEntry, ...] = field(default_factory=tuple)
    reference: str | None = None
    url: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "items", tuple(self.items))
        object.__setattr__(self, "refunds", tuple(self.refunds))
        if self.total.minor <= 0:
            raise InvalidDocument("a receipt's total must be positive")
        if self.items and sum(i.total.minor for i in self.items) != self.total.minor:
            raise InvalidDocument("the items do not add up to the total")
        if any(i.unit_price.currency != self.total.currency for i in self.items):
            raise InvalidDocument("every item must be priced in the shop's currency")
        for refund in self.refunds:
            if refund.amount.currency != self.total.currency or refund.amount.minor <= 0:
                raise InvalidDocument("a refund is a positive amount in the shop's currency")
        if sum(r.amount.minor for r in self.refunds) > self.total.minor:
            raise InvalidDocument("refunds exceed the total")
        if self.miles_used < 0 or self.miles_earned < 0:
            raise InvalidDocument("miles cannot be negative")
        if self.miles_value is not None and not 0 <= self.miles_value.minor <= self.total.minor:
            raise InvalidDocument("miles cannot pay more than the total")
        if self.rate is not None and self.charged is None:
            raise InvalidDocument("a rate needs the charged amount it converts to")

    @property
    def refunded(self) -> Money:
        return Money(sum(r.amount.minor for r in self.refunds), self.total.currency)


@dataclass(frozen=True, slots=True)
class Poster:
    """A counter poster of a shop's static QR code: ``payload`` is what the code holds."""

    shop: Shop
    payload: str
    caption: str | None = None  # a line under the code, e.g. the till's label or an address

    def __post_init__(self):
        if not self.payload:
            raise InvalidDocument("a poster needs the payload of the shop's QR code", code="INVALID_POSTER")
