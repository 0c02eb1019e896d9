"""A payment's receipt as printable data, read from the core: the sale's lines, what the payer was
charged and at which rate, miles, refunds. Used by the till's receipt page, its PDF and
``qrpos receipt``, so all three print the same thing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import select

from pos.core import payments
from pos.core.money import Money
from pos.core.parties import get_merchant_row, get_terminal_row
from pos.core.payments.sales import sale_view
from pos.core.platform.context import Core
from pos.core.store.schema import payment_requests, quotes, stores
from pos.printing import Receipt, ReceiptItem, RefundEntry, Shop

COUNTRY_TIME_ZONES = {"JP": "Asia/Tokyo", "CN": "Asia/Shanghai", "SG": "Asia/Singapore", "TH": "Asia/Bangkok",
                      "TW": "Asia/Taipei", "KR": "Asia/Seoul", "US": "America/New_York", "BR": "America/Sao_Paulo"}


def _at(iso_text: str) -> datetime:
    return datetime.fromisoformat(iso_text.replace("Z", "+00:00")).astimezone(UTC)


def receipt_for(core: Core, payment_id: str, *, merchant_id: str | None = None, url: str | None = None) -> Receipt:
    """The receipt of one payment (404 PAYMENT_NOT_FOUND if it is not this merchant's)."""
    pay = cast(dict[str, Any], payments.get_payment(core, payment_id, merchant_id=merchant_id))
    refunds = cast(list[dict[str, Any]], payments.list_refunds(core, payment_id, merchant_id=merchant_id))
    with core.db.read() as conn:
        merchant = get_merchant_row(conn, pay["merchant_id"])
        request = conn.execute(select(payment_requests).where(payment_requests.c.id == pay["request_id"])).one()
        terminal = get_terminal_row(conn, request.terminal_id)
        store = conn.execute(select(stores.c.name).where(stores.c.id == terminal.store_id)).scalar()
        rate = None
        if pay["quote_id"]:
            rate = conn.execute(select(quotes.c.rate).where(quotes.c.id == pay["quote_id"])).scalar()
        lines = []
        if request.reference and request.reference.startswith("sale_"):
            lines = cast(list[dict[str, Any]], sale_view(conn, request.reference, merchant.id)["lines"])
    currency = pay["currency"]
    shop = Shop(name=merchant.name, name_local=merchant.name_local or merchant.name, language=merchant.language or "ja",
                time_zone=COUNTRY_TIME_ZONES.get(merchant.country, "UTC"), store_name=store,
                terminal_label=terminal.label)
    items = tuple(ReceiptItem(names=line["names"], quantity=line["quantity"],
                              unit_price=Money(line["unit_amount"], currency)) for line in lines)
    charged = Money(pay["charged"]["amount"], pay["charged"]["currency"])
    return Receipt(
        shop=shop, payment_id=pay["id"], paid_at=_at(pay["created_at"]), total=Money(pay["amount"], currency),
        items=items, charged=charged if pay["charged"]["amount"] else None,
        rate=rate if charged.currency != currency else None,
        miles_used=pay["miles_used"], miles_value=Money(pay["miles_used"], currency) if pay["miles_used"] else None,
        miles_earned=pay["miles_earned"],
        refunds=tuple(RefundEntry(refund_id=r["id"], amount=Money(r["amount"], currency), at=_at(r["created_at"]),
                                  cash_back=Money(r["cash_back"]["amount"], r["cash_back"]["currency"]),
                                  miles_back=r["miles_back"]) for r in refunds),
        reference=request.reference, url=url,
    )
