"""What the wallet shows before paying: who is paid, the price, the charge, the quote, the choices.

Amounts here are computed by the core's own funding rules (:func:`pos.core.payments.funding.plan`) at
the quote's exact rate, so the charge shown for each choice is the charge the payment will make.
Miles pay only JPY prices, at most ``miles_max_per_payment`` per payment and never more than the price.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import select

from pos.core.money import Money
from pos.core.parties import get_merchant_row, wallet_summary
from pos.core.payments import funding, miles
from pos.core.store.schema import quotes
from pos.web import i18n
from pos.web.auth import core


@dataclass(frozen=True)
class Choice:
    key: str  # "cash", "miles" or "both"
    miles: int  # miles spent
    charge: Money  # taken from the wallet's cash, in its currency
    miles_earned: int


def payee_names(payee: dict) -> dict:
    """The payee's name and city in the reader's script first (local script for Japanese and Chinese
    readers, Latin for English ones), the other form beside it when it differs."""
    local_first = i18n.current() in ("ja", "zh_Hans")

    def order(latin: str | None, local: str | None) -> tuple[str, str | None]:
        first, second = (local, latin) if local_first else (latin, local)
        first = first or second or ""
        return first, (second if second and second != first else None)

    name, name_other = order(payee.get("name"), payee.get("name_local"))
    city, city_other = order(payee.get("city"), payee.get("city_local"))
    return {"name": name, "name_other": name_other, "city": city, "city_other": city_other}


def choices(request: dict, wallet: dict) -> list[Choice]:
    """Cash always; for a JPY price and a wallet with miles, all miles (when they cover it) or miles and cash."""
    price = Money(request["amount"], request["currency"])
    quote = request.get("quote")
    with core().db.read() as conn:
        merchant = get_merchant_row(conn, request["merchant_id"])
        rate = Fraction(conn.execute(select(quotes.c.rate).where(quotes.c.id == quote["id"])).scalar_one()) \
            if quote else None
    limit = core().settings.miles_max_per_payment

    def plan(key: str, used: int) -> Choice:
        p = funding.plan(price, wallet["currency"], miles_used=used, miles_limit=limit, rate=rate,
                         fee_rate_bp=merchant.fee_rate_bp, earn_per=merchant.miles_earn_per)
        return Choice(key, p.miles_used, p.charged, p.miles_earned)

    found = [plan("cash", 0)]
    usable = min(wallet["miles"], limit, price.minor) if price.currency == miles.MILES_CURRENCY else 0
    if usable >= price.minor:
        found.append(plan("miles", price.minor))
    elif usable > 0:
        found.append(plan("both", usable))
    return found


def view(scanned: dict, wallet_id: str) -> dict:
    """Everything the confirmation needs, from the core's answer to a scan."""
    wallet = wallet_summary(core(), wallet_id)
    return {"request": scanned, "quote": scanned.get("quote"), "wallet": wallet,
            "payee": payee_names(scanned["payee"]), "choices": choices(scanned, wallet)}
