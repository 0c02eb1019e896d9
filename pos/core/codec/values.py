"""Formats of individual EMV values: amounts, fees, codes. Each check raises BadValue."""

from __future__ import annotations

import re

from pos.core.codec.errors import BadValue
from pos.core.codec.iso import CURRENCY_EXPONENTS
from pos.core.money import amount_text

#: digits, then optionally the decimal mark and digits; EMV allows the mark with no decimals ("98.")
_AMOUNT = re.compile(r"(\d+)(?:\.(\d*))?\Z", re.ASCII)
_PERCENT = re.compile(r"\d{1,2}(?:\.\d{1,2})?\Z", re.ASCII)
_DIGITS = re.compile(r"\d+\Z", re.ASCII)
_ALPHA2 = re.compile(r"[A-Za-z]{2}\Z", re.ASCII)
_HEX4 = re.compile(r"[0-9A-Fa-f]{4}\Z", re.ASCII)

#: ISO 4217 numeric -> minor-unit digits, for every currency that has them
EXPONENTS: dict[str, int] = CURRENCY_EXPONENTS


def is_ans(value: str) -> bool:
    """Alphanumeric Special: the common character set of EMV Book 4, printable ASCII (space to ~)."""
    return value.isascii() and value.isprintable()


def is_digits(value: str) -> bool:
    return _DIGITS.match(value) is not None


def is_alpha2(value: str) -> bool:
    return _ALPHA2.match(value) is not None


def is_hex4(value: str) -> bool:
    return _HEX4.match(value) is not None


def check_amount(value: str, currency: str | None, *, what: str = "amount") -> None:
    """At most 13 characters: digits with at most one decimal mark; no sign, space, grouping or
    exponent; not zero; not more decimals than the currency has (when the currency is known)."""
    m = _AMOUNT.match(value)
    if m is None or len(value) > 13:
        raise BadValue(f"{what} {value!r} is not a valid EMV amount", code="PAYLOAD_BAD_AMOUNT")
    whole, frac = m.group(1), m.group(2) or ""
    if not (whole + frac).strip("0"):
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
