"""A shop's catalogue for the till: items with names in three languages, prices and pictures.

Catalogues live in ``assets/catalogues/`` (see :mod:`pos.catalogue`); a shop finds its own by its
merchant name. The till prices every sale from here, on the server: a page never sets a price.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from pos import catalogue


@dataclass(frozen=True)
class TillItem:
    id: str
    names: dict[str, str]
    price: int
    picture: str | None


def for_merchant(merchant) -> dict[str, TillItem]:
    found = catalogue.for_shop(merchant.name)
    if found is None or found.currency != merchant.currency:
        return {}
    return {
        item.id: TillItem(item.id, dict(item.names), item.price,
                          url_for("terminal.catalogue_picture", name=item.picture) if item.picture else None)
        for item in found.items
    }
