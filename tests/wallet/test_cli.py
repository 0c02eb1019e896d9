"""`qrpos-wallet` end to end: real QR images, the real API in-process, a CNY tourist paying JPY."""

from __future__ import annotations

import json

import cv2
import pytest
from click.testing import CliRunner

from tests.core.worlds import yen_wallet
from tests.wallet.conftest import new_request
from tests.wallet.images import blank_frame, mjpeg_stream, on_canvas, qr_image
from tests.wallet.test_client import LosesPaymentAnswers
from wallet_app import scanner
from wallet_app.cli import cli


@pytest.fixture
def run(transport):
    """Runs ``qrpos-wallet ARGS`` against the app in-process; stdout and stderr apart."""

    def run(*args, transport_=None, input=None, env=None):
        runner = CliRunner()
        return runner.invoke(cli, list(args), obj={"transport": transport_ or transport}, input=input,
                             env=env, catch_exceptions=False)

    return run


def as_wallet(wallet, pin):
    return ["--server", "http://qrpos.test", "--wallet", wallet["wallet_id"], "--pin", pin]


def png_of(tmp_path, payload, name="request.png"):
    path = tmp_path / name
    cv2.imwrite(str(path), qr_image(payload))
    return str(path)


def assert_one_line_failure(result, *fragments):
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in result.output


def test_a_tourist_scans_a_yen_request_sees_the_yuan_quote_and_pays_it(core, world, run, tmp_path):
    request = new_request(core, world["shop"], 1280)
    image = png_of(tmp_path, request["payload"])
    shown = run(*as_wallet(world["li"], "8888"), "scan", image, "--json")
    quote = json.loads(shown.stdout)["scan"]["quote"]
    result = run(*as_wallet(world["li"], "8888"), "scan", image, "--pay", "--yes")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Shibuya Ramen / 渋谷ラーメン, Tokyo / 東京 (JP)" in out
    assert "Amount: ¥1,280" in out
    assert f"You pay: CN¥62.63 at {quote['rate']} CNY/JPY incl. 1.50% spread, quote valid until" in out
    assert "Paid pay_" in out and "CN¥62.63 for ¥1,280; 6 miles earned." in out
    balance = json.loads(run(*as_wallet(world["li"], "8888"), "balance", "--json").stdout)
    assert balance["balance"] == {"amount": 100_000 - 6263, "currency": "CNY"}
    assert quote["pay"] == {"amount": 6263, "currency": "CNY"}


def test_the_wallet_asks_before_paying_and_no_means_no(core, world, run, tmp_path):
    request = new_request(core, world["shop"], 1280)
    declined = run(*as_wallet(world["li"], "8888"), "scan", png_of(tmp_path, request["payload"]), "--pay",
                   input="n\n")
    assert declined.exit_code == 0 and "Pay? [y/N]" in declined.stdout and "Not paid." in declined.stdout
    assert json.loads(run(*as_wallet(world["li"], "8888"), "balance", "--json").stdout)["balance"]["amount"] == 100_000
    accepted = run(*as_wallet(world["li"], "8888"), "pay", request["payload"], input="y\n")
    assert accepted.exit_code == 0 and "Paid pay_" in accepted.stdout


def test_amounts_follow_the_language(core, world, run):
    request = new_request(core, world["shop"], 1280)
    result = run(*as_wallet(world["li"], "8888"), "--lang", "ja", "pay", request["payload"], "--yes")
    assert "Amount: ￥1,280" in result.stdout and "元62.63" in result.stdout
    result = run(*as_wallet(world["li"], "8888"), "--lang", "zh", "balance")
    assert "¥937.37" in result.stdout


def test_a_lost_payment_answer_is_retried_once_and_charges_once(core, world, run, transport):
    request = new_request(core, world["shop"], 1280)
    lossy = LosesPaymentAnswers(transport, lose=1)
    result = run(*as_wallet(world["li"], "8888"), "pay", request["payload"], "--yes", "--json",
                 transport_=lossy)
    assert result.exit_code == 0, result.output
    assert len(lossy.payment_keys) == 2 and len(set(lossy.payment_keys)) == 1
    payment = json.loads(result.stdout)["payment"]
    history = json.loads(run(*as_wallet(world["li"], "8888"), "history", "--json").stdout)["data"]
    assert [p["id"] for p in history] == [payment["id"]]
    balance = json.loads(run(*as_wallet(world["li"], "8888"), "balance", "--json").stdout)["balance"]
    assert balance["amount"] == 100_000 - payment["charged"]["amount"]


def test_miles_pay_part_of_a_yen_price(core, world, run):
    request = new_request(core, world["shop"], 1280)
    rich = yen_wallet(core, miles=500)
    result = run(*as_wallet(rich, "1234"), "pay", request["payload"], "--miles", "280", "--yes", "--json")
    payment = json.loads(result.stdout)["payment"]
    assert payment["miles_used"] == 280 and payment["charged"] == {"amount": 1000, "currency": "JPY"}


@pytest.fixture
def static_payload(world, app):
    response = app.test_client().get("/api/v1/static-code",
                                     headers={"Authorization": f"Bearer {world['shop']['api_key']}"})
    return response.get_json()["payload"]


def test_a_static_code_is_paid_with_the_amount_in_major_units(world, run, static_payload):
    payload = static_payload
    missing = run(*as_wallet(world["hanako"], "1234"), "pay", payload, "--yes")
    assert_one_line_failure(missing, "static code", "--amount in JPY")
    result = run(*as_wallet(world["hanako"], "1234"), "pay", payload, "--yes", "--amount", "450")
    assert result.exit_code == 0, result.output
    assert "you enter it in JPY" in result.stdout and "for ¥450" in result.stdout
    too_precise = run(*as_wallet(world["hanako"], "1234"), "pay", payload, "--yes", "--amount", "4.5")
    assert_one_line_failure(too_precise, "INVALID_AMOUNT")


def test_history_lists_payments_with_both_scripts(core, world, run):
    for amount in (300, 500):
        run(*as_wallet(world["hanako"], "1234"), "pay", new_request(core, world["shop"], amount)["payload"], "--yes")
    lines = run(*as_wallet(world["hanako"], "1234"), "history").stdout.splitlines()
    assert len(lines) == 2 and all("Shibuya Ramen / 渋谷ラーメン" in line for line in lines)
    assert {"¥300", "¥500"} <= {word for line in lines for word in line.split()}
    empty = run(*as_wallet(world["li"], "8888"), "history")
    assert empty.stdout == "No payments yet.\n"


def test_a_payment_code_is_printed_and_written_as_a_qr_image_that_scans_back(world, run, tmp_path):
    png = tmp_path / "code.png"
    result = run(*as_wallet(world["hanako"], "1234"), "code", "--png", str(png), "--json")
    code = json.loads(result.stdout)["code"]
    assert len(code) == 20 and scanner.scan(str(png)) == code
    text = run(*as_wallet(world["hanako"], "1234"), "code")
    assert text.stdout.startswith("Payment code: 99")


def test_the_environment_names_the_wallet(world, run):
    env = {"QRPOS_WALLET_ID": world["hanako"]["wallet_id"], "QRPOS_WALLET_PIN": "1234",
           "QRPOS_WALLET_SERVER": "http://qrpos.test"}
    result = run("balance", env=env)
    assert result.stdout == f"Hanako ({world['hanako']['wallet_id']}): ¥10,000, 0 miles\n"


def test_an_image_without_a_code_is_one_line_and_exit_1(world, run, tmp_path):
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), blank_frame())
    assert_one_line_failure(run(*as_wallet(world["li"], "8888"), "scan", str(blank)), "NO_CODE_FOUND")


def test_a_missing_file_and_a_missing_camera_are_one_line(world, run, tmp_path):
    missing = run(*as_wallet(world["li"], "8888"), "scan", str(tmp_path / "nope.png"))
    assert_one_line_failure(missing, "SOURCE_UNAVAILABLE", "no such file")
    camera = run(*as_wallet(world["li"], "8888"), "scan", "97", "--timeout", "1")
    assert_one_line_failure(camera, "SOURCE_UNAVAILABLE", "camera 97 cannot be opened")


def test_a_wrong_pin_is_one_line_with_the_api_code(core, world, run):
    request = new_request(core, world["shop"])
    result = run(*as_wallet(world["li"], "0000"), "pay", request["payload"], "--yes")
    assert_one_line_failure(result, "BAD_CREDENTIALS")


def test_a_paid_request_is_refused_in_one_line(core, world, run, tmp_path):
    request = new_request(core, world["shop"])
    image = png_of(tmp_path, request["payload"])
    assert run(*as_wallet(world["hanako"], "1234"), "scan", image, "--pay", "--yes").exit_code == 0
    again = run(*as_wallet(world["li"], "8888"), "scan", image, "--pay", "--yes")
    assert_one_line_failure(again, "REQUEST_ALREADY_PAID")


def test_an_unreachable_server_is_one_line(world, run):
    result = CliRunner().invoke(cli, ["--server", "http://127.0.0.1:1", "--wallet", "w_X", "--pin", "1", "balance"])
    assert_one_line_failure(result, "SERVER_UNREACHABLE", "http://127.0.0.1:1")


def test_no_wallet_or_pin_is_one_line(run):
    assert_one_line_failure(run("balance", env={"QRPOS_WALLET_ID": "", "QRPOS_WALLET_PIN": ""}), "--wallet")
    assert_one_line_failure(run("--wallet", "w_X", "balance", env={"QRPOS_WALLET_PIN": ""}), "--pin")


def test_a_tourist_pays_from_an_mjpeg_webcam_stream(core, world, run):
    request = new_request(core, world["shop"], 1280)
    frames = [blank_frame()] * 3 + [on_canvas(qr_image(request["payload"], box_size=4))]
    with mjpeg_stream(frames, loop=True) as url:
        result = run(*as_wallet(world["li"], "8888"), "scan", url, "--pay", "--yes", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scan"]["payee"]["name_local"] == "渋谷ラーメン"
    assert data["payment"]["charged"] == data["scan"]["quote"]["pay"]
