"""Every demo shop has a catalogue a till can ring up, in three languages, with prices and small pictures."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pos.catalogue import CATALOGUE_DIR, CatalogueNotFound, InvalidCatalogue, catalogue_keys, load_catalogue
from pos.core.money import Money
from pos.demo import WORLD
from pos.printing import ReceiptItem, check_glyphs

SVG = "{http://www.w3.org/2000/svg}"
SHOPS = {m["key"]: m for m in json.loads(WORLD.read_text(encoding="utf-8"))["merchants"]}


def test_every_demo_shop_has_a_catalogue_of_8_to_12_items_in_its_currency():
    assert catalogue_keys() == sorted(SHOPS)
    for key, shop in SHOPS.items():
        catalogue = load_catalogue(key)
        assert catalogue.currency == shop["currency"]
        assert 8 <= len(catalogue.items) <= 12


@pytest.mark.parametrize("shop", sorted(SHOPS))
def test_names_are_japanese_and_simplified_chinese_and_print_in_the_pdf_fonts(shop):
    for item in load_catalogue(shop).items:
        item.names["ja"].encode("euc_jp")  # JIS X 0208: Japanese as written in Japan
        item.names["zh"].encode("gb2312")  # GB 2312: Simplified Chinese
        for lang, name in item.names.items():
            check_glyphs(name, lang)


@pytest.mark.parametrize("shop", sorted(SHOPS))
def test_every_picture_is_a_small_self_contained_svg(shop):
    for item in load_catalogue(shop).items:
        data = item.picture_path.read_bytes()
        assert len(data) < 3_000, item.picture
        root = ET.fromstring(data)
        assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 64 64"
        tags = {element.tag.removeprefix(SVG) for element in root.iter()}
        assert not tags & {"image", "script", "foreignObject", "text", "use"}, item.picture  # drawn, not embedded


def test_the_ramen_shop_sells_shoyu_ramen_for_980_yen_in_three_languages():
    ramen = load_catalogue("ramen")
    shoyu = ramen.item("shoyu-ramen")
    assert shoyu.price == Money(980, "JPY")
    assert [shoyu.name(lang) for lang in ("en", "ja", "zh", "ko")] == ["Shoyu ramen", "醤油ラーメン", "酱油拉面",
                                                                        "Shoyu ramen"]
    assert ReceiptItem(shoyu.names, 2, shoyu.price).total == Money(1960, "JPY")
    assert [(c.name("ja"), len(items)) for c, items in ramen.by_category()] == [
        ("ラーメン", 4), ("サイドメニュー", 3), ("トッピング", 2), ("ドリンク", 2)]


def test_an_unknown_shop_or_item_is_not_found():
    with pytest.raises(CatalogueNotFound):
        load_catalogue("sushi")
    with pytest.raises(CatalogueNotFound):
        load_catalogue("../demo-world")
    with pytest.raises(CatalogueNotFound, match="no item 'pizza'") as caught:
        load_catalogue("tea").item("pizza")
    assert caught.value.code == "ITEM_NOT_FOUND"


@pytest.fixture
def broken(tmp_path) -> tuple[Path, dict]:
    """A copy of the ramen catalogue to break one rule at a time."""
    shutil.copytree(CATALOGUE_DIR / "pictures", tmp_path / "pictures")
    return tmp_path, json.loads((CATALOGUE_DIR / "ramen.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("breakage", "message"), [
    (lambda d: d["items"][0]["names"].pop("zh"), "item 'shoyu-ramen' names: missing zh"),
    (lambda d: d["items"][0]["names"].update(ja="  "), "the ja name must be"),
    (lambda d: d["items"][0].update(price=0), "positive integer of minor units of JPY, not 0"),
    (lambda d: d["items"][0].update(price=9.8), "not 9.8"),
    (lambda d: d["items"][0].update(price=True), "not True"),
    (lambda d: d["items"][0].update(picture="ramen/pizza.svg"), "does not exist"),
    (lambda d: d["items"][0].update(picture="../../demo-world.json"), "must be an .svg file under pictures/"),
    (lambda d: d["items"][0].update(picture="../../../../etc/x.svg"), "must be an .svg file under pictures/"),
    (lambda d: d["items"][0].update(category="desserts"), "category 'desserts' is not one"),
    (lambda d: d["items"][1].update(id="shoyu-ramen"), "'shoyu-ramen' is used twice"),
    (lambda d: d["items"][0].update(colour="red"), "unknown field colour"),
    (lambda d: d.update(currency="XYZ"), "not supported"),
    (lambda d: d.update(shop="tea"), "for 'tea', not 'ramen'"),
    (lambda d: d.update(items=[]), "at least one item"),
])
def test_a_broken_catalogue_is_refused_with_the_file_item_and_rule(broken, breakage, message):
    directory, data = broken
    breakage(data)
    (directory / "ramen.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidCatalogue, match=message) as caught:
        load_catalogue("ramen", directory)
    assert str(caught.value).startswith("ramen.json: ")


def test_a_catalogue_that_is_not_json_is_refused(tmp_path):
    (tmp_path / "ramen.json").write_text("{oops", encoding="utf-8")
    with pytest.raises(InvalidCatalogue, match="not valid JSON"):
        load_catalogue("ramen", tmp_path)
