"""Formats of individual EMV values: amounts, fees, codes. Each check raises BadValue."""

from __future__ import annotations

import re
from typing import Final

from pos.core.codec.errors import BadValue
from pos.core.codec.iso import CURRENCY_EXPONENTS
from pos.core.money import amount_text

_PERCENT: Final = re.compile(r"\d{1,2}(?:\.\d{1,2})?\Z", re.ASCII)

#: ISO 4217 numeric -> minor-unit digits, for every currency that has them
EXPONENTS: Final[dict[str, int]] = CURRENCY_EXPONENTS

# The character tests below use str methods, one C pass each: on ASCII text isdigit() and isalpha()
# accept exactly 0-9 and A-Z a-z, what a regex with re.ASCII would, at a fraction of the cost.


def is_ans(value: str) -> bool:
    """Alphanumeric Special: the common character set of EMV Book 4, printable ASCII (space to ~)."""
    return value.isascii() and value.isprintable()


def is_digits(value: str) -> bool:
    """One or more of 0-9."""
    return value.isascii() and value.isdigit()


def is_alpha2(value: str) -> bool:
    """Two of A-Z a-z."""
    return len(value) == 2 and value.isascii() and value.isalpha()


def check_amount(value: str, currency: str | None, *, what: str = "amount") -> None:
    """At most 13 characters: digits with at most one decimal mark; no sign, space, grouping or
    exponent; not zero; not more decimals than the currency has (when the currency is known).

    EMV allows the mark with no decimals after it ("98.").
    """
    whole, _, frac = value.partition(".")
    if not (len(value) <= 13 and value.isascii() and whole.isdigit() and (frac.isdigit() or not frac)):
        raise BadValue(f"{what} {value!r} is not a valid EMV amount", code="PAYLOAD_BAD_AMOUNT")
    if not (whole.strip("0") or frac.strip("0")):
        raise BadValue(f"{what} {value!r} is zero", code="PAYLOAD_BAD_AMOUNT")
    e = EXPONENTS.get(currency or "")
    if e is not None and len(frac) > e:
        raise BadValue(
            f"{what} {value!r} has {len(frac)} decimals but currency {currency} has {e}",
            code="PAYLOAD_BAD_AMOUNT",
        )


def check_percentage(value: str) -> None:
    if _PERCENT.match(value) is None or not value.replace(".", "").strip("0"):
        raise BadValue(
            f"convenience fee percentage {value!r} must be between 00.01 and 99.99",
            code="PAYLOAD_BAD_AMOUNT",
        )


def amount_to_minor(value: str, exponent: int) -> int:
    """An already-checked EMV amount as integer minor units, exactly ("12.5", 2 -> 1250)."""
    whole, _, frac = value.partition(".")
    return int(whole) * 10**exponent + int((frac or "0").ljust(exponent, "0") or "0")


minor_to_amount = amount_text  # one formatter for money and the EMV amount object (54)
