"""Shop catalogues: what a till can ring up, read from assets/catalogues/<shop>.json and checked on load.

A catalogue belongs to a demo shop (its key in assets/demo-world.json: ``ramen``, ``tea``). Every item
has names in English, Japanese and Simplified Chinese, a price as a positive integer of minor units of
the shop's currency, a category and a small SVG picture under assets/catalogues/pictures/.

    load_catalogue("ramen")   -> Catalogue      (raises CatalogueNotFound, InvalidCatalogue)
    catalogue_keys()          -> ["ramen", "tea"]
    Catalogue.item(id), Catalogue.by_category(), CatalogueItem.name(lang), CatalogueItem.picture_path

An item's ``names`` and ``price`` are what :class:`pos.printing.ReceiptItem` takes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pos.core.errors import InvalidInput, NotFound
from pos.core.money import Money, check_currency

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "assets" / "catalogues"
LANGUAGES = ("en", "ja", "zh")
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


class InvalidCatalogue(InvalidInput):
    code = "INVALID_CATALOGUE"


class CatalogueNotFound(NotFound):
    code = "CATALOGUE_NOT_FOUND"


def _name_in(names: Mapping[str, str], lang: str) -> str:
    return names.get(lang) or names["en"]


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    names: Mapping[str, str]

    def name(self, lang: str) -> str:
        """The category's name in ``lang`` (en, ja, zh; English for any other)."""
        return _name_in(self.names, lang)


@dataclass(frozen=True, slots=True)
class CatalogueItem:
    id: str
    names: Mapping[str, str]
    price: Money
    category: str
    picture: str  # relative to the catalogue directory's pictures/ folder
    picture_path: Path

    def name(self, lang: str) -> str:
        """The item's name in ``lang`` (en, ja, zh; English for any other)."""
        return _name_in(self.names, lang)


@dataclass(frozen=True, slots=True)
class Catalogue:
    shop: str
    currency: str
    categories: tuple[Category, ...]
    items: tuple[CatalogueItem, ...]

    def item(self, item_id: str) -> CatalogueItem:
        """The item with ``item_id``; raises CatalogueNotFound (code ITEM_NOT_FOUND) for an unknown id."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise CatalogueNotFound(f"{self.shop} sells no item {item_id!r}", code="ITEM_NOT_FOUND")

    def by_category(self) -> list[tuple[Category, list[CatalogueItem]]]:
        """Categories in catalogue order, each with its items in catalogue order (empty ones left out)."""
        groups = [(c, [i for i in self.items if i.category == c.id]) for c in self.categories]
        return [(c, items) for c, items in groups if items]


def catalogue_keys(directory: Path = CATALOGUE_DIR) -> list[str]:
    """The shops that have a catalogue, sorted."""
    return sorted(p.stem for p in directory.glob("*.json"))


def load_catalogue(shop: str, directory: Path = CATALOGUE_DIR) -> Catalogue:
    """Read and check the catalogue of ``shop``.

    :raises CatalogueNotFound: when the shop has no catalogue.
    :raises InvalidCatalogue: naming the file, the item and the rule it breaks.
    """
    if not _ID.fullmatch(shop or ""):
        raise CatalogueNotFound(f"no catalogue for shop {shop!r}")
    path = directory / f"{shop}.json"
    if not path.is_file():
        raise CatalogueNotFound(f"no catalogue for shop {shop!r}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidCatalogue(f"{path.name}: not valid JSON ({exc})") from None
    return _Checker(path, directory / "pictures").catalogue(data, shop)


class _Checker:
    """Turns one file's JSON into a Catalogue, or raises InvalidCatalogue saying where and why."""

    def __init__(self, path: Path, pictures: Path):
        self.path, self.pictures = path, pictures

    def fail(self, where: str, problem: str) -> InvalidCatalogue:
        return InvalidCatalogue(f"{self.path.name}: {where}: {problem}")

    def fields(self, where: str, data, required: set[str], optional: frozenset[str] = frozenset()) -> dict:
        if not isinstance(data, dict):
            raise self.fail(where, "must be an object")
        if missing := required - data.keys():
            raise self.fail(where, f"missing {', '.join(sorted(missing))}")
        if unknown := data.keys() - required - optional:
            raise self.fail(where, f"unknown field {', '.join(sorted(unknown))}")
        return data

    def names(self, where: str, names) -> dict[str, str]:
        names = self.fields(f"{where} names", names, set(LANGUAGES))
        for lang in LANGUAGES:
            if not isinstance(names[lang], str) or not names[lang].strip() or len(names[lang]) > 60:
                raise self.fail(where, f"the {lang} name must be 1 to 60 characters")
        return {lang: names[lang].strip() for lang in LANGUAGES}

    def ident(self, where: str, value, seen: set[str]) -> str:
        if not isinstance(value, str) or not _ID.fullmatch(value):
            raise self.fail(where, f"id {value!r} must be lowercase letters, digits and hyphens")
        if value in seen:
            raise self.fail(where, f"id {value!r} is used twice")
        seen.add(value)
        return value

    def picture(self, where: str, value) -> Path:
        path = (self.pictures / value).resolve() if isinstance(value, str) else None
        if path is None or not value.endswith(".svg") or not path.is_relative_to(self.pictures.resolve()):
            raise self.fail(where, f"picture {value!r} must be an .svg file under pictures/")
        if not path.is_file():
            raise self.fail(where, f"picture {value!r} does not exist")
        return path

    def catalogue(self, data, shop: str) -> Catalogue:
        data = self.fields("catalogue", data, {"shop", "currency", "categories", "items"}, frozenset({"comment"}))
        if data["shop"] != shop:
            raise self.fail("catalogue", f"says it is for {data['shop']!r}, not {shop!r}")
        try:
            currency = check_currency(data["currency"])
        except InvalidInput as exc:
            raise self.fail("catalogue", exc.message) from None
        seen: set[str] = set()
        if not isinstance(data["categories"], list) or not isinstance(data["items"], list) or not data["items"]:
            raise self.fail("catalogue", "categories and items must be lists, with at least one item")
        categories = tuple(self.category(c, seen) for c in data["categories"])
        seen = set()
        items = tuple(self.item(i, currency, {c.id for c in categories}, seen) for i in data["items"])
        return Catalogue(shop, currency, categories, items)

    def category(self, data, seen: set[str]) -> Category:
        data = self.fields("category", data, {"id", "names"})
        where = f"category {data['id']!r}"
        return Category(self.ident(where, data["id"], seen), self.names(where, data["names"]))

    def item(self, data, currency: str, categories: set[str], seen: set[str]) -> CatalogueItem:
        data = self.fields("item", data, {"id", "names", "price", "category", "picture"})
        where = f"item {data['id']!r}"
        item_id = self.ident(where, data["id"], seen)
        price = data["price"]
        if isinstance(price, bool) or not isinstance(price, int) or price <= 0:
            raise self.fail(where, f"price must be a positive integer of minor units of {currency}, not {price!r}")
        if data["category"] not in categories:
            raise self.fail(where, f"category {data['category']!r} is not one of the catalogue's categories")
        return CatalogueItem(item_id, self.names(where, data["names"]), Money(price, currency), data["category"],
                             data["picture"], self.picture(where, data["picture"]))
