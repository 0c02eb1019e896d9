"""pos.qrimage: the one module that draws QR codes (SVG, PNG) and reads them back (zxing-cpp)."""

from __future__ import annotations

import gc
import io
import re
import warnings
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from pos import qrimage
from pos.core.codec import RequestPayload, build_signed_request, read_signed_request

KEYS = {"k1": b"terminal secret one"}
RAMEN = RequestPayload(
    request_id="pr_7QK2xw9F3mZ", merchant_id="m_shibuya_ramen", terminal_id="t_01", mcc="5812", currency="JPY",
    amount_minor=1280, country="JP", merchant_name="SHIBUYA RAMEN", merchant_city="TOKYO", postal_code="1500002",
    name_local="渋谷ラーメン", city_local="東京", language="ja", reference="TABLE-7", terminal_label="TILL 1",
    expires_at=1767225600,
)
TEA_CN = RequestPayload(
    request_id="st_counter1", merchant_id="m_tea", terminal_id="t_02", mcc="5814", currency="CNY",
    amount_minor=None, country="CN", merchant_name="TEA HOUSE", merchant_city="SHANGHAI", name_local="上海茶馆",
    city_local="上海", language="zh",
)
SIGNED_JA = build_signed_request(RAMEN, key_id="k1", secret=KEYS["k1"])
SIGNED_ZH = build_signed_request(TEA_CN, key_id="k1", secret=KEYS["k1"])


def svg_cells(svg: str) -> set[tuple[int, int]]:
    """The dark modules an SVG from render_svg draws (its path read back), in viewBox units."""
    d = ET.fromstring(svg).find("{http://www.w3.org/2000/svg}path").get("d")
    cells, x, y = set(), 0.0, 0.0
    for command, dx, dy, run in re.findall(r"([Mm])(-?[\d.]+) (-?[\d.]+)h(\d+)", d):
        x, y = (float(dx), float(dy)) if command == "M" else (x + float(dx), y + float(dy))
        cells.update((int(x) + i, int(y - 0.5)) for i in range(int(run)))
        x += int(run)
    return cells


@pytest.mark.parametrize("payload", [SIGNED_JA, SIGNED_ZH], ids=["japanese", "chinese"])
def test_a_signed_request_with_a_cjk_name_reads_back_as_the_exact_text_from_the_png(payload):
    [text] = qrimage.decode(qrimage.render_png(payload))
    assert text == payload
    assert read_signed_request(text, KEYS).name_local in ("渋谷ラーメン", "上海茶馆")


def test_the_payload_is_utf8_in_byte_mode_so_zxings_own_charset_guess_agrees():
    import zxingcpp

    image = qrimage.render_image(SIGNED_JA)
    [barcode] = zxingcpp.read_barcodes(image.convert("L"))
    assert bytes(barcode.bytes) == SIGNED_JA.encode("utf-8")
    assert barcode.text == SIGNED_JA
    assert barcode.ec_level == "M"


def test_the_svg_is_valid_xml_drawn_crisp_at_the_requested_size():
    svg = qrimage.render_svg(SIGNED_JA, scale=5, border=2)
    root = ET.fromstring(svg)
    side = len(qrimage.matrix(SIGNED_JA)) + 4
    assert root.get("shape-rendering") == "crispEdges"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (str(side * 5), str(side * 5),
                                                                              f"0 0 {side} {side}")


def test_the_svg_draws_exactly_the_dark_modules_of_the_code():
    modules = qrimage.matrix(SIGNED_JA)
    expected = {(x + 4, y + 4) for y, row in enumerate(modules) for x, dark in enumerate(row) if dark}
    assert svg_cells(qrimage.render_svg(SIGNED_JA)) == expected


def test_the_svg_scans_once_its_drawing_is_put_on_pixels():
    svg = qrimage.render_svg(SIGNED_ZH, border=4)
    side = int(ET.fromstring(svg).get("viewBox").split()[2])
    image = Image.new("L", (side, side), 255)
    for x, y in svg_cells(svg):
        image.putpixel((x, y), 0)
    assert qrimage.decode(image.resize((side * 6, side * 6), Image.Resampling.NEAREST)) == [SIGNED_ZH]


def test_the_png_is_black_and_white_with_whole_pixel_modules():
    scale, border = 6, 4
    image = Image.open(io.BytesIO(qrimage.render_png(SIGNED_JA, scale=scale, border=border)))
    modules = qrimage.matrix(SIGNED_JA)
    side = (len(modules) + 2 * border) * scale
    assert image.size == (side, side)
    assert set(image.convert("L").tobytes()) == {0, 255}
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            block = image.crop(((x + border) * scale, (y + border) * scale,
                                (x + border + 1) * scale, (y + border + 1) * scale)).convert("L")
            assert set(block.tobytes()) == {0 if dark else 255}


def test_a_signed_request_makes_small_files(capsys):
    svg, png = qrimage.render(SIGNED_JA, fmt="svg"), qrimage.render(SIGNED_JA, fmt="png")
    with capsys.disabled():
        print(f"\n  {len(SIGNED_JA.encode())}-byte request: version {(len(qrimage.matrix(SIGNED_JA)) - 17) // 4}, "
              f"SVG {len(svg)} B, PNG {len(png)} B")
    assert svg.startswith(b"<svg") and len(svg) < 9_000
    assert png.startswith(b"\x89PNG") and len(png) < 3_000


def test_decoding_a_multi_frame_image_file_closes_the_file_at_once(tmp_path):
    # Pillow keeps a GIF (or TIFF, APNG, a phone's MPO JPEG) open after loading it, for its other frames
    path = tmp_path / "code.gif"
    Image.open(io.BytesIO(qrimage.render_png("支付 ¥1,280"))).save(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert qrimage.decode(path) == ["支付 ¥1,280"]
        gc.collect()
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []


def test_error_level_m_is_the_default_and_h_makes_a_bigger_code():
    assert len(qrimage.matrix("qrpos")) == 21
    assert len(qrimage.matrix(SIGNED_JA, error="H")) > len(qrimage.matrix(SIGNED_JA))


def test_decode_reads_a_file_path_a_pillow_image_and_a_transparent_png(tmp_path):
    path = tmp_path / "code.png"
    path.write_bytes(qrimage.render_png("支付 ¥1,280"))
    assert qrimage.decode(path) == ["支付 ¥1,280"]
    assert qrimage.decode(str(path)) == ["支付 ¥1,280"]
    ink = qrimage.render_image("透明").convert("L")
    black = Image.new("L", ink.size, 0)
    transparent = Image.merge("RGBA", (black, black, black, ink.point(lambda v: 255 - v)))  # black on nothing
    assert qrimage.decode(transparent) == ["透明"]


def test_decode_finds_every_code_in_reading_order():
    left, right = qrimage.render_image("左 first", scale=4), qrimage.render_image("右 second", scale=4)
    sheet = Image.new("1", (left.width + right.width + 40, max(left.height, right.height)), 1)
    sheet.paste(left, (0, 0))
    sheet.paste(right, (left.width + 40, 0))
    assert qrimage.decode(sheet) == ["左 first", "右 second"]


def test_an_image_without_a_code_decodes_to_nothing():
    assert qrimage.decode(Image.new("L", (200, 200), 255)) == []


@pytest.mark.parametrize(("call", "message"), [
    (lambda: qrimage.matrix(""), "non-empty"),
    (lambda: qrimage.matrix("渋" * 1200), "too long"),
    (lambda: qrimage.matrix("x", error="X"), "error level"),
    (lambda: qrimage.render("x", fmt="gif"), "'svg' or 'png'"),
    (lambda: qrimage.render_png("x", scale=0), "scale"),
    (lambda: qrimage.render_svg("x", border=-1), "border"),
    (lambda: qrimage.decode(b"not an image"), "cannot read an image"),
    (lambda: qrimage.decode(qrimage.render("x")), "SVG cannot be scanned"),
    (lambda: qrimage.decode("/nonexistent/code.png"), "no such image file"),
])
def test_bad_input_raises_one_clear_error(call, message):
    with pytest.raises(qrimage.QrImageError, match=message):
        call()
