"""A counter poster says "scan to pay" in three languages around a big QR code that scans."""

from __future__ import annotations

import io

import pypdf
import pytest

from pos import qrimage
from pos.core.codec import RequestPayload, build_signed_request
from pos.printing import InvalidDocument, MissingGlyphError, Poster, Shop, render_poster

from .pages import page_image, page_size_mm

TEA = Shop("Uji Tea House", "宇治茶房", language="ja", store_name="Byodoin", terminal_label="Counter")
STATIC = build_signed_request(RequestPayload(
    request_id="st_counter1", merchant_id="m_uji_tea", terminal_id="t_02", mcc="5499", currency="JPY",
    amount_minor=None, country="JP", merchant_name="UJI TEA HOUSE", merchant_city="KYOTO", name_local="宇治茶房",
    city_local="京都", language="ja",
), key_id="k1", secret=b"counter secret")


@pytest.fixture(scope="module")
def posters() -> dict[str, bytes]:
    return {paper: render_poster(Poster(TEA, STATIC), paper) for paper in ("A4", "A5")}


def test_the_poster_names_the_shop_in_both_scripts_and_asks_to_scan_in_three_languages(posters):
    [page] = pypdf.PdfReader(io.BytesIO(posters["A4"])).pages
    assert page.extract_text().splitlines() == [
        "宇治茶房", "Uji Tea House", "スキャンしてお支払い", "扫码支付", "Scan to pay",
        "金額はウォレットで入力してください", "请在钱包中输入金额", "Enter the amount in your wallet",
        "Byodoin · Counter",
    ]


def test_the_posters_qr_code_scans_to_the_shops_static_payload(posters):
    assert qrimage.decode(page_image(posters["A4"], dpi=100)) == [STATIC]
    assert qrimage.decode(page_image(posters["A5"], dpi=100)) == [STATIC]


def test_the_poster_is_an_a4_or_a5_portrait_page(posters):
    assert page_size_mm(posters["A4"]) == pytest.approx((210, 297), abs=0.01)
    assert page_size_mm(posters["A5"]) == pytest.approx((148, 210), abs=0.01)


def test_a_poster_refuses_other_paper_unprintable_or_overlong_names_and_an_empty_payload():
    with pytest.raises(InvalidDocument, match="A4 or A5"):
        render_poster(Poster(TEA, STATIC), "Letter")
    with pytest.raises(MissingGlyphError):
        render_poster(Poster(Shop("Seoul Tea", "서울 찻집", language="zh"), STATIC))
    with pytest.raises(InvalidDocument, match="payload"):
        Poster(TEA, "")
    with pytest.raises(InvalidDocument, match="too long for the poster"):
        render_poster(Poster(Shop("Uji Tea House " * 40, "宇治茶房"), STATIC), "A5")
