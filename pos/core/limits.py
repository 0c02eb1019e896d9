"""What the core accepts, in one place: its own checks and the API's schemas (``pos.web.schemas``,
the OpenAPI document) read these limits from here, so the two cannot drift apart.

Also the one integer check: a JSON ``true`` is an ``int`` to Python, and must never pay one yen.
"""

from __future__ import annotations

import re
from typing import TypeGuard

from pos.core.errors import InvalidAmount

MAX_AMOUNT = 10**12  # minor units: above any till's price, far below a 64-bit column's limit
REQUEST_TTL_MIN, REQUEST_TTL_MAX = 10, 86_400  # seconds a payment request may stay open
REFERENCE_MAX_LENGTH = 25  # the EMV bill number (ID 62-01) holds 25 characters
REFERENCE_CHARS = r"^[\x20-\x7e]+$"  # printable ASCII: every scanner shows it
PIN_PATTERN = r"^\d{4,8}$"  # a new wallet's PIN
PIN_ENTERED_MAX_LENGTH = 16  # sign-in takes any digits up to this: a PIN of the wrong length is just wrong (401)
IDEMPOTENCY_KEY_MAX_LENGTH = 255
# Printable ASCII, no space at either end (HTTP would strip it, so the key could not come back the same).
IDEMPOTENCY_KEY_PATTERN = r"^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$"
MILES_MAX_ASKED = 10**9  # a bound on the field; the real limit is Settings.miles_max_per_payment
PAGE_MAX = 100  # rows in one page of a listing
FEE_RATE_MAX_BP = 1_000
SPREAD_MAX_BP = 2_000

# fullmatch, as the API's schemas match: "$" alone would let a final newline through.
_REFERENCE = re.compile(REFERENCE_CHARS)
_IDEMPOTENCY_KEY = re.compile(IDEMPOTENCY_KEY_PATTERN)
_PIN = re.compile(PIN_PATTERN)


def is_int(value: object) -> TypeGuard[int]:
    """A real integer: ``bool`` is an ``int`` subclass but never a count or an amount."""
    return isinstance(value, int) and not isinstance(value, bool)


def int_between(value: object, low: int, high: int | None = None) -> TypeGuard[int]:
    """An integer with ``low <= value`` (and ``value <= high`` when given)."""
    return is_int(value) and value >= low and (high is None or value <= high)


def check_amount(amount: object) -> int:
    """A price: a positive integer of minor units, at most :data:`MAX_AMOUNT`."""
    if not int_between(amount, 1):
        raise InvalidAmount(f"amount must be a positive integer of minor units, got {amount!r}")
    if amount > MAX_AMOUNT:
        raise InvalidAmount("amount is too large")
    return amount


def is_reference(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and len(value) <= REFERENCE_MAX_LENGTH and bool(_REFERENCE.fullmatch(value))


def is_idempotency_key(value: object) -> TypeGuard[str]:
    return (isinstance(value, str) and len(value) <= IDEMPOTENCY_KEY_MAX_LENGTH
            and bool(_IDEMPOTENCY_KEY.fullmatch(value)))


def is_new_pin(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and bool(_PIN.fullmatch(value))
