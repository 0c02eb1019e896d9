"""Formats of individual EMV values: amounts, fees, codes. Each check raises BadValue."""

from __future__ import annotations

import re

from pos.core.codec.errors import BadValue
from pos.core.money import CURRENCIES, amount_text

_AMOUNT = re.compile(r"(\d+)(?:\.(\d+))?\Z", re.ASCII)
_PERCENT = re.compile(r"\d{1,2}(?:\.\d{1,2})?\Z", re.ASCII)
_DIGITS = re.compile(r"\d+\Z", re.ASCII)
_ALPHA2 = re.compile(r"[A-Za-z]{2}\Z", re.ASCII)
_HEX4 = re.compile(r"[0-9A-Fa-f]{4}\Z", re.ASCII)

#: ISO 4217 numeric -> minor-unit digits: ours from money.CURRENCIES plus others seen in real codes.
EXPONENTS: dict[str, int] = {numeric: e for numeric, e in CURRENCIES.values()}
EXPONENTS.update({
    "032": 2, "048": 3, "104": 2, "144": 2, "152": 0, "344": 2, "368": 3, "400": 3, "414": 3,
    "418": 2, "434": 3, "446": 2, "512": 3, "524": 2, "586": 2, "608": 2, "643": 2, "682": 2,
    "784": 2, "788": 3, "050": 2, "096": 2, "124": 2, "554": 2, "756": 2, "752": 2, "578": 2,
    "208": 2, "484": 2, "710": 2, "949": 2, "952": 0, "950": 0, "990": 4, "927": 4,
})


def is_digits(value: str) -> bool:
    return _DIGITS.match(value) is not None


def is_alpha2(value: str) -> bool:
    return _ALPHA2.match(value) is not None


def is_hex4(value: str) -> bool:
    return _HEX4.match(value) is not None


def check_amount(value: str, currency: str | None, *, what: str = "amount") -> None:
    """Digits with at most one dot; no sign, grouping or exponent; not zero; not more decimals
    than the currency has (when the currency is one we know)."""
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
