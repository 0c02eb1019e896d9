"""Sales: what a cashier rang up (catalogue items with quantities, or a keyed-in amount).

A sale is priced once, in the merchant's currency; its payment requests carry the sale id as their
reference, so a QR that expired can be replaced by a new one for the same cart in one tap, and the
receipt prints the lines of the sale that was paid.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from pos.core.errors import InvalidAmount, InvalidInput, NotFound
from pos.core.parties.merchants import shop_rows
from pos.core.platform.context import Core
from pos.core.platform.unit_of_work import UnitOfWork
from pos.core.shapes import View
from pos.core.store.schema import sale_items, sales

MAX_LINES = 100
MAX_QUANTITY = 999
MAX_TOTAL = 10**12


@dataclass(frozen=True)
class Line:
    names: dict[str, str]  # {"en": "Shoyu ramen", "ja": "醤油ラーメン", "zh": "酱油拉面"}
    quantity: int
    unit_amount: int  # minor units of the merchant's currency
    item_id: str | None = None

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_amount


def _check_line(line: Line) -> None:
    for value, what, top in ((line.quantity, "quantity", MAX_QUANTITY), (line.unit_amount, "price", MAX_TOTAL)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= top:
            raise InvalidAmount(f"a line's {what} must be a whole number from 1 to {top}, got {value!r}")
    if not line.names or not all(isinstance(v, str) and 0 < len(v) <= 80 for v in line.names.values()):
        raise InvalidInput("every line needs a name of 1-80 characters", code="INVALID_LINE")


def create_sale(core: Core, *, merchant_id: str, terminal_id: str, lines: list[Line],
                staff_id: str | None = None) -> View:
    """Record a cart; returns ``{"id", "total", "currency", "lines"}``. Nothing is charged yet."""
    if not lines or len(lines) > MAX_LINES:
        raise InvalidInput(f"a sale has 1-{MAX_LINES} lines", code="EMPTY_SALE")
    for line in lines:
        _check_line(line)
    total = sum(line.amount for line in lines)
    if total > MAX_TOTAL:
        raise InvalidAmount("the sale's total is too large")

    def effect(uow: UnitOfWork) -> View:
        conn = uow.conn
        merchant, _terminal = shop_rows(conn, merchant_id, terminal_id)
        now, sale_id = uow.now, uow.ids.new("sale", 16)
        conn.execute(insert(sales).values(id=sale_id, merchant_id=merchant_id, terminal_id=terminal_id,
                                          staff_id=staff_id, total=total, currency=merchant.currency, created_at=now))
        conn.execute(insert(sale_items), [
            {"sale_id": sale_id, "line": n, "item_id": line.item_id, "quantity": line.quantity,
             "unit_amount": line.unit_amount, "names": json.dumps(line.names, ensure_ascii=False, sort_keys=True)}
            for n, line in enumerate(lines, 1)
        ])
        uow.journal("sale.created", {"sale": sale_id, "total": total, "currency": merchant.currency})
        return sale_view(conn, sale_id)

    return core.transact(effect)


def sale_view(conn: Connection, sale_id: str, merchant_id: str | None = None) -> View:
    row = conn.execute(select(sales).where(sales.c.id == sale_id)).first()
    if row is None or (merchant_id is not None and row.merchant_id != merchant_id):
        raise NotFound(f"sale {sale_id} does not exist", code="SALE_NOT_FOUND")
    items = conn.execute(select(sale_items).where(sale_items.c.sale_id == sale_id).order_by(sale_items.c.line))
    return {
        "id": row.id, "merchant_id": row.merchant_id, "terminal_id": row.terminal_id, "staff_id": row.staff_id,
        "total": row.total, "currency": row.currency, "created_at": row.created_at,
        "lines": [{"item_id": i.item_id, "names": json.loads(i.names), "quantity": i.quantity,
                   "unit_amount": i.unit_amount, "amount": i.quantity * i.unit_amount} for i in items],
    }


def get_sale(core: Core, sale_id: str, *, merchant_id: str | None = None) -> View:
    with core.db.read() as conn:
        return sale_view(conn, sale_id, merchant_id)
