"""A shop's catalogue for the till: items with names in three languages, prices and pictures.

Catalogues live in ``assets/catalogues/<shop>.json`` (:mod:`pos.catalogue`, which checks them); the
demo world names which shop key belongs to which merchant. The till prices every sale from here, on
the server: a page never sets a price.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import url_for

from pos import catalogue

DEMO_WORLD = Path(__file__).resolve().parents[3] / "assets" / "demo-world.json"


@dataclass(frozen=True)
class TillItem:
    id: str
    names: dict[str, str]
    price: int
    picture: str | None


@cache
def _keys_by_name() -> dict[str, str]:
    try:
        world = json.loads(DEMO_WORLD.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {m["name"]: m["key"] for m in world.get("merchants", [])}


@cache
def _catalogue(key: str) -> catalogue.Catalogue | None:
    try:
        return catalogue.load_catalogue(key)
    except catalogue.CatalogueNotFound:
        return None


def for_merchant(merchant) -> dict[str, TillItem]:
    key = _keys_by_name().get(merchant.name) or re.sub(r"[^a-z0-9]+", "-", merchant.name.lower()).strip("-")
    found = _catalogue(key)
    if found is None or found.currency != merchant.currency:
        return {}
    return {
        item.id: TillItem(item.id, dict(item.names), item.price.minor,
                          url_for("terminal.catalogue_picture", name=item.picture))
        for item in found.items
    }
