"""`qrpos inspect`: text in three languages, JSON, batch, images, and one-line errors."""

import json

import pytest
from click.testing import CliRunner

from pos.cli.inspect import inspect_command
from pos.core.codec import build_signed_request, inspect_payload

from .test_signed_request import RAMEN
from .vectors import EMVCO_SPEC_EXAMPLE, MALFORMED, NON_EMV, REAL_WORLD

SIGNED = build_signed_request(RAMEN, key_id="demo", secret=b"demo-secret")


def run(*args, input=None):
    return CliRunner().invoke(inspect_command, list(args), input=input)


@pytest.mark.parametrize("lang,words", [
    ("en", ["Scheme", "Merchant name", "matches the checksum", "dynamic"]),
    ("ja", ["規格", "加盟店名", "一致", "動的"]),
    ("zh", ["规范", "商户名称", "一致", "动态"]),
])
def test_every_object_is_explained_in_the_chosen_language(lang, words):
    result = run("--lang", lang, EMVCO_SPEC_EXAMPLE)
    assert result.exit_code == 0, result.output
    for word in words:
        assert word in result.output
    for tag in ("00", "01", "29", "31", "52", "58", "59", "60", "64", "54", "53", "55", "62", "91", "63"):
        assert any(line.startswith(tag + "  ") for line in result.output.splitlines())


def test_our_request_shows_the_signature_and_checks_it_with_a_key():
    unchecked = run(SIGNED)
    assert "not checked" in unchecked.output and "Payment request id" in unchecked.output
    checked = run("--key", "demo=" + b"demo-secret".hex(), SIGNED)
    assert checked.exit_code == 0 and "signature verified with key demo" in checked.output
    wrong = run("--key", "demo=00", SIGNED)
    assert wrong.exit_code == 1 and "PAYLOAD_SIGNATURE_INVALID" in wrong.stderr


def test_json_prints_one_object():
    result = run("--json", REAL_WORLD[4][1])
    assert result.exit_code == 0
    assert json.loads(result.output) == inspect_payload(REAL_WORLD[4][1])
    assert json.loads(result.output)["scheme"] == "jpqr"


def test_bad_input_is_one_readable_line_on_stderr_and_a_non_zero_exit():
    for _, payload, _ in MALFORMED[:12]:
        result = run(payload)
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert result.stderr.startswith("qrpos inspect: PAYLOAD_")
    as_json = run("--json", MALFORMED[0][1])
    assert as_json.exit_code == 1 and json.loads(as_json.stdout)["ok"] is False
    assert run().exit_code == 2 and run().stderr.count("\n") == 1
    assert run("--key", "nonsense", SIGNED).exit_code == 2


def test_batch_answers_each_line_in_order():
    inputs = [EMVCO_SPEC_EXAMPLE, MALFORMED[0][1], NON_EMV[0][1], SIGNED, "hello"]
    lines = "".join(json.dumps(p) + "\n" for p in inputs) + "not json\n"
    result = run("--batch", input=lines)
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.output.splitlines()]
    assert out[:5] == [inspect_payload(p) for p in inputs]
    assert out[5]["error"]["code"] == "BATCH_BAD_LINE"


def _qr_png(payload, path):
    import qrcode

    image = qrcode.make(payload.encode("utf-8"), box_size=8, border=4)
    image.save(path)
    return str(path)


def test_image_reads_the_code_first(tmp_path):
    payload = REAL_WORLD[20][1]  # ASCII: both zxing-cpp and OpenCV read it
    result = run("--json", "--image", _qr_png(payload, tmp_path / "code.png"))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.output) == inspect_payload(payload)


def test_image_with_japanese_names_is_read_correctly(tmp_path):
    pytest.importorskip("zxingcpp")
    result = run("--json", "--image", _qr_png(SIGNED, tmp_path / "ramen.png"))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.output)["fields"]["merchant_info_language"]["01"] == "渋谷ラーメン"


def test_an_image_without_a_code_or_a_missing_file_is_one_line(tmp_path):
    from PIL import Image

    blank, dot, text = tmp_path / "blank.png", tmp_path / "dot.png", tmp_path / "notes.png"
    Image.new("RGB", (200, 200), "white").save(blank)
    Image.new("RGB", (1, 1), "black").save(dot)
    text.write_text("not a picture")
    for path in (blank, dot, text, tmp_path / "missing.png", tmp_path):
        result = run("--image", str(path))
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
