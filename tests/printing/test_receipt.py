"""Receipts print what was sold, paid, converted, earned and refunded, in en/ja/zh, and read back exactly."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pypdf
import pytest

from pos import qrimage
from pos.core.money import Money
from pos.printing import (
    InvalidDocument,
    MissingGlyphError,
    PrintingError,
    Receipt,
    ReceiptItem,
    RefundEntry,
    Shop,
    UnsupportedLanguage,
    render_receipt,
)

from .pages import page_image, page_size_mm

RAMEN = Shop("Shibuya Ramen", "渋谷ラーメン", language="ja", time_zone="Asia/Tokyo", store_name="Dogenzaka",
             terminal_label="Till 1")
PAID_AT = datetime(2026, 1, 5, 3, 34, tzinfo=UTC)  # 12:34 in Tokyo
SHOYU = ReceiptItem({"en": "Shoyu ramen", "ja": "醤油ラーメン", "zh": "酱油拉面"}, 2, Money(980, "JPY"))
GYOZA = ReceiptItem({"en": "Gyoza (6)", "ja": "餃子（6個）", "zh": "煎饺（6个）"}, 1, Money(450, "JPY"))
URL = "http://127.0.0.1:8000/receipts/pay_7QK2xw9F3mZ"
# Li Wei pays ¥2,410 from a CNY wallet: 100 miles cover ¥100, the other ¥2,310 cost CN¥113.03 at the
# customer rate (mid 0.0482 plus a 1.5 % spread); ¥450 of gyoza are refunded later.
TOURIST = Receipt(
    RAMEN, "pay_7QK2xw9F3mZ", PAID_AT, Money(2410, "JPY"), (SHOYU, GYOZA), charged=Money(11303, "CNY"),
    rate=Fraction("0.0482") * Fraction("1.015"), miles_used=100, miles_value=Money(100, "JPY"), miles_earned=11,
    refunds=(RefundEntry("rf_1", Money(450, "JPY"), PAID_AT + timedelta(minutes=26), Money(2196, "CNY"), 2),),
    reference="TABLE-7", url=URL,
)


def text_of(pdf: bytes) -> list[str]:
    [page] = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return page.extract_text().splitlines()


@pytest.fixture(scope="module")
def receipts() -> dict[str, bytes]:
    return {lang: render_receipt(TOURIST, lang) for lang in ("en", "ja", "zh")}


def test_a_japanese_receipt_reads_back_word_for_word(receipts):
    assert text_of(receipts["ja"]) == [
        "Shibuya Ramen", "渋谷ラーメン", "Dogenzaka · Till 1", "領収書", "2026/01/05 12:34:00 日本標準時",
        "醤油ラーメン ￥1,960", "  2 × ￥980", "餃子（6個） ￥450",
        "合計 ￥2,410", "マイルでのお支払い (100 マイル) -￥100", "ウォレットへのご請求 元113.03",
        "換算レート：1 JPY = 0.048923 CNY", "獲得マイル 11 マイル",
        "返金 2026/01/05 13:00 -￥450", "  → 元21.96 + 2 マイル", "返金合計 -￥450", "返金後の合計 ￥1,960",
        "決済番号：pay_7QK2xw9F3mZ", "参照番号：TABLE-7", "この領収書をオンラインで表示", "ありがとうございました",
    ]


def test_a_chinese_receipt_reads_back_word_for_word_with_the_japanese_names_beneath(receipts):
    assert text_of(receipts["zh"]) == [
        "Shibuya Ramen", "渋谷ラーメン", "Dogenzaka · Till 1", "收据", "2026年1月5日 12:34:00 日本标准时间",
        "酱油拉面 JP¥1,960", "  2 × JP¥980", "  醤油ラーメン", "煎饺（6个） JP¥450", "  餃子（6個）",
        "合计 JP¥2,410", "里程抵扣 (100 里程) -JP¥100", "钱包扣款 ¥113.03", "汇率：1 JPY = 0.048923 CNY",
        "获得里程 11 里程", "退款 2026/1/5 13:00 -JP¥450", "  → ¥21.96 + 2 里程", "已退款合计 -JP¥450",
        "退款后合计 JP¥1,960", "支付编号：pay_7QK2xw9F3mZ", "参考号：TABLE-7", "扫码查看电子收据", "谢谢惠顾",
    ]


def test_an_english_receipt_tells_yen_from_yuan_and_shows_the_shops_clock(receipts):
    lines = text_of(receipts["en"])
    assert "Jan 5, 2026, 12:34:00 PM Japan Standard Time" in lines
    assert "Charged to your wallet CN¥113.03" in lines
    assert "Total ¥2,410" in lines
    assert "Rate: 1 JPY = 0.048923 CNY" in lines


def test_the_receipt_qr_code_scans_to_the_receipts_address(receipts):
    for lang in ("en", "zh"):
        assert qrimage.decode(page_image(receipts[lang])) == [URL]


def test_the_paper_is_80_mm_wide_and_grows_with_the_sale(receipts):
    width, height = page_size_mm(receipts["en"])
    assert width == pytest.approx(80, abs=0.01)
    plain = render_receipt(Receipt(RAMEN, "pay_plain", PAID_AT, Money(1280, "JPY")), "en")
    plain_width, plain_height = page_size_mm(plain)
    assert plain_width == pytest.approx(80, abs=0.01)
    assert 60 < plain_height < height
    assert "Amount ¥1,280" in text_of(plain)


def test_a_local_payer_sees_no_conversion_and_no_refund_section():
    local = Receipt(RAMEN, "pay_local", PAID_AT, Money(980, "JPY"), (replace(SHOYU, quantity=1),),
                    charged=Money(980, "JPY"), miles_earned=4)
    lines = text_of(render_receipt(local, "ja"))
    assert "ウォレットへのご請求 ￥980" in lines
    assert not any(line.startswith(("換算レート", "返金")) for line in lines)


def test_a_long_item_name_wraps_inside_the_paper():
    long = ReceiptItem({"ja": "特製醤油ラーメン 味玉 チャーシュー増し 大盛り 海苔トッピング", "en": "Special"}, 1,
                       Money(1580, "JPY"))
    lines = text_of(render_receipt(Receipt(RAMEN, "pay_long", PAID_AT, Money(1580, "JPY"), (long,)), "ja"))
    assert lines[5:7] == ["特製醤油ラーメン 味玉 チャーシュー増し ￥1,580", "大盛り 海苔トッピング"]


def test_a_character_no_font_has_is_refused_before_printing_with_its_name():
    emoji = replace(TOURIST, shop=replace(RAMEN, name_local="渋谷ラーメン🍜"))
    with pytest.raises(MissingGlyphError, match=r"U\+1F35C") as caught:
        render_receipt(emoji, "en")
    assert caught.value.characters == ["🍜"] and caught.value.code == "MISSING_GLYPH"
    hangul = replace(TOURIST, items=(ReceiptItem({"en": "비빔밥"}, 1, Money(2410, "JPY")),))
    with pytest.raises(MissingGlyphError, match="비"):
        render_receipt(hangul, "ja")


@pytest.mark.parametrize(("change", "message"), [
    ({"total": Money(2000, "JPY")}, "do not add up"),
    ({"total": Money(0, "JPY"), "items": ()}, "must be positive"),
    ({"refunds": (RefundEntry("rf", Money(3000, "JPY"), PAID_AT),)}, "exceed the total"),
    ({"miles_value": Money(5000, "JPY")}, "more than the total"),
    ({"charged": None}, "needs the charged amount"),
])
def test_contradictory_receipt_data_is_refused(change, message):
    with pytest.raises(InvalidDocument, match=message):
        replace(TOURIST, **change)


def test_only_english_japanese_and_chinese_are_printed_and_times_must_be_aware():
    assert render_receipt(TOURIST, "zh_Hans_CN")[:5] == b"%PDF-"
    with pytest.raises(UnsupportedLanguage, match="not 'ko'"):
        render_receipt(TOURIST, "ko")
    with pytest.raises(PrintingError, match="aware datetime"):
        render_receipt(replace(TOURIST, paid_at=datetime(2026, 1, 5, 12, 34), refunds=()), "en")
    with pytest.raises(PrintingError, match="unknown time zone"):
        render_receipt(replace(TOURIST, shop=replace(RAMEN, time_zone="Mars/Olympus")), "en")


def embedded_fonts(pdf: bytes) -> set[str]:
    [page] = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return {str(font["/BaseFont"]).split("+")[-1] for font in page["/Resources"]["/Font"].values()}


def test_a_receipt_embeds_only_the_fonts_its_text_needs(receipts):
    assert embedded_fonts(receipts["ja"]) == {"QrposGothicJP"}  # kana, kanji and Latin in one face
    assert embedded_fonts(receipts["zh"]) == {"QrposGothicJP", "NotoSansSC"}  # 渋 is Japanese
