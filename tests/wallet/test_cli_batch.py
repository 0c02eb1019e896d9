"""`qrpos-wallet scan --batch`: image paths on stdin, one JSON line per image on stdout, in order."""

from __future__ import annotations

import json
import subprocess
import sys

import cv2
import numpy as np
import pytest
from click.testing import CliRunner

from tests.processes import stop
from tests.wallet.camera import Camera, photograph
from tests.wallet.images import blank_frame, qr_image
from wallet_app.cli import cli


@pytest.fixture
def images(tmp_path, signed_payload):
    """A folder of pictures with known answers, and files that are no pictures."""
    rng = np.random.default_rng(4)
    two = photograph([signed_payload, "SECOND CODE 二维码"], Camera.handheld(rng, module_px=3.0), rng).image
    files = {
        "request.png": qr_image(signed_payload),
        "photo of two codes.jpg": two,
        "inverted.png": 255 - qr_image("light on dark"),
        "mirrored.png": qr_image("mirrored 鏡")[:, ::-1],
        "blank.jpg": blank_frame(),
    }
    for name, image in files.items():
        assert cv2.imwrite(str(tmp_path / name), image)
    (tmp_path / "notes.png").write_text("not a picture")
    (tmp_path / "folder").mkdir()
    return tmp_path


def batch(stdin: str):
    result = CliRunner().invoke(cli, ["scan", "--batch"], input=stdin, catch_exceptions=False)
    return result, [json.loads(line) for line in result.stdout.splitlines()]


def test_every_path_gets_one_line_in_order_with_every_code_read(images, signed_payload):
    names = ["request.png", "photo of two codes.jpg", "inverted.png", "mirrored.png", "blank.jpg"]
    result, lines = batch("".join(f"{images / name}\n" for name in names))
    assert result.exit_code == 0, result.output
    assert [line["file"] for line in lines] == [str(images / name) for name in names]
    assert [line["codes"] for line in lines[:1] + lines[2:]] == [[signed_payload], ["light on dark"], ["mirrored 鏡"],
                                                                  []]
    assert sorted(lines[1]["codes"]) == sorted([signed_payload, "SECOND CODE 二维码"])
    assert all(isinstance(line["ms"], float) and line["ms"] >= 0 for line in lines)
    assert all(set(line) == {"file", "codes", "ms"} for line in lines)


def test_unreadable_paths_are_error_lines_and_the_batch_goes_on(images, signed_payload):
    paths = [images / "missing.png", images / "notes.png", images / "folder", images / "request.png"]
    result, lines = batch("\n".join(str(path) for path in paths) + "\n\n")
    assert result.exit_code == 0
    assert [line["file"] for line in lines] == [str(path) for path in paths]  # the blank line is no path
    assert [line["error"]["code"] for line in lines[:3]] == ["SOURCE_UNAVAILABLE"] * 3
    assert "no such file" in lines[0]["error"]["message"]
    assert "not a readable image" in lines[1]["error"]["message"]
    assert lines[3]["codes"] == [signed_payload]


def test_a_batch_takes_no_source_and_does_not_pay(images):
    runner = CliRunner()
    for args in (["scan", "--batch", str(images / "request.png")], ["scan", "--batch", "--pay"]):
        result = runner.invoke(cli, args, input="")
        assert result.exit_code == 2 and "--batch reads image paths on stdin" in result.output
    result = runner.invoke(cli, ["scan"])
    assert result.exit_code == 2 and "Missing argument 'SOURCE'" in result.output


def test_one_process_answers_line_by_line_as_paths_arrive(images, signed_payload):
    # The real console script, fed one path at a time: each answer comes before the next path is sent.
    process = subprocess.Popen([sys.executable, "-c", "from wallet_app.cli import main; main()", "scan", "--batch"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        for name, codes in (("request.png", [signed_payload]), ("blank.jpg", [])):
            process.stdin.write(f"{images / name}\n")
            process.stdin.flush()
            assert json.loads(process.stdout.readline())["codes"] == codes
        process.stdin.close()
        status = process.wait(timeout=30)
    finally:
        stop(process)
    assert status == 0
