"""Airline-style miles: earned on the cash part of a payment, spent at 1 mile = 1 JPY.

All amounts are integers. Clawbacks and refunds use cumulative targets so that several partial
refunds never return or claw more than the whole, and a full refund returns exactly everything.
"""

from __future__ import annotations

MILES_CURRENCY = "JPY"  # the only price currency miles can pay, at 1 mile = 1 minor unit


def earned(cash_price_minor: int, earn_per: int | None) -> int:
    """Miles earned on ``cash_price_minor`` at 1 mile per ``earn_per`` minor units (rounded down)."""
    if not earn_per or cash_price_minor <= 0:
        return 0
    return cash_price_minor // earn_per


def share(total: int, part: int, whole: int) -> int:
    """``total x part / whole`` rounded down: the cumulative share of ``total`` for ``part``."""
    if whole <= 0:
        return 0
    return total * part // whole


def cumulative_step(total: int, before: int, after: int, whole: int) -> int:
    """What one refund moves when the refunded amount grows from ``before`` to ``after``."""
    if after >= whole:
        return total - share(total, before, whole)
    return share(total, after, whole) - share(total, before, whole)
