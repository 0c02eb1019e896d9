"""Shop catalogues from ``assets/catalogues/*.json``: items with names in English, Japanese and
Simplified Chinese, integer prices in minor units of the shop's currency, and a picture each."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CATALOGUES = Path(__file__).resolve().parent.parent / "assets" / "catalogues"


@dataclass(frozen=True)
class Item:
    id: str
    names: dict[str, str]
    price: int
    picture: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class Catalogue:
    shop: str
    currency: str
    items: tuple[Item, ...]


@cache
def load_all(folder: Path = CATALOGUES) -> dict[str, Catalogue]:
    found = {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        items = tuple(Item(str(i["id"]), dict(i["names"]), int(i["price"]), i.get("picture"), i.get("category"))
                      for i in data["items"])
        found[data["shop"]] = Catalogue(data["shop"], data["currency"], items)
    return found


def for_shop(name: str) -> Catalogue | None:
    return load_all().get(name)
