"""The operator commands set up a shop without the UI, print JSON for scripts, and fail in one line."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pos.core.store.migrate import head_revision

QRPOS = str(Path(sys.executable).with_name("qrpos"))


def run(db_url, *args, ok=True):
    result = subprocess.run([QRPOS, "--db", db_url, *args], capture_output=True, text=True, timeout=120)
    if ok:
        assert result.returncode == 0, result.stderr
    return result


def run_json(db_url, *args):
    return json.loads(run(db_url, *args, "--json").stdout)


def test_an_operator_sets_up_a_shop_and_a_tourist_from_the_command_line(db_url):
    assert run_json(db_url, "migrate")["revision"] == head_revision()  # the newest migration
    shop = run_json(db_url, "merchant", "create", "--name", "Shibuya Ramen", "--name-local", "渋谷ラーメン",
                    "--language", "ja", "--mcc", "5812", "--country", "JP", "--city", "Tokyo", "--postal-code",
                    "1500002", "--currency", "JPY", "--miles-earn-per", "200", "--fee-rate-bp", "100")
    assert shop["api_key"].startswith("sk_test_")
    wallet = run_json(db_url, "wallet", "create", "--owner", "Li Wei", "--currency", "CNY", "--pin", "8888",
                      "--balance", "1000.00", "--miles", "50")
    assert wallet["balance"] == 100_000
    topped = run_json(db_url, "wallet", "topup", wallet["wallet_id"], "20.50", "--idempotency-key", "t1")
    again = run_json(db_url, "wallet", "topup", wallet["wallet_id"], "20.50", "--idempotency-key", "t1")
    assert topped == again and topped["balance"] == {"amount": 102_050, "currency": "CNY"}
    rate = run_json(db_url, "fx", "set", "JPY", "CNY", "0.0482", "--spread-bp", "150")
    assert rate == {"base": "JPY", "quote": "CNY", "rate": "0.0482", "spread_bp": 150}
    shown = run_json(db_url, "wallet", "show", wallet["wallet_id"])
    assert shown["miles"] == 50
    verified = run_json(db_url, "ledger", "verify")
    assert verified["ok"] and verified["transactions"] == 3
    assert "ledger OK" in run(db_url, "ledger", "verify").stdout


@pytest.mark.parametrize(
    "args,message",
    [
        (["wallet", "create", "--owner", "X", "--currency", "XXX", "--pin", "1234"], "UNSUPPORTED_CURRENCY"),
        (["wallet", "create", "--owner", "X", "--currency", "JPY", "--pin", "12"], "INVALID_PIN"),
        (["wallet", "create", "--owner", "X", "--currency", "JPY", "--pin", "1234", "--balance", "1.5"],
         "INVALID_AMOUNT"),
        (["wallet", "topup", "w_NOPE", "10"], "WALLET_NOT_FOUND"),
        (["fx", "set", "JPY", "CNY", "0"], "INVALID_RATE"),
        (["merchant", "create", "--name", "A", "--mcc", "58", "--country", "JP", "--city", "T", "--currency", "JPY"],
         "merchant category code"),
    ],
)
def test_bad_input_is_one_readable_line_and_a_non_zero_exit(db_url, args, message):
    result = run(db_url, *args, ok=False)
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_an_unreachable_database_is_one_line_too(tmp_path):
    result = run("postgresql+psycopg://nobody@127.0.0.1:1/none", "ledger", "verify", ok=False)
    assert result.returncode == 1 and "DATABASE_ERROR" in result.stderr and "Traceback" not in result.stderr


def test_verify_exits_non_zero_and_names_the_problem_after_tampering(db_url):
    from sqlalchemy import create_engine, text

    run_json(db_url, "migrate")
    wallet = run_json(db_url, "wallet", "create", "--owner", "X", "--currency", "JPY", "--pin", "1234",
                      "--balance", "500")
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE accounts SET balance = 999999 WHERE id = :id"),
                     {"id": f"wallet:{wallet['wallet_id']}:cash"})
    engine.dispose()
    result = run(db_url, "ledger", "verify", ok=False)
    assert result.returncode == 1
    assert f"account wallet:{wallet['wallet_id']}:cash: stored balance 999999 but entries sum to 500" in result.stderr


def test_inspect_checks_our_signature_with_the_databases_keys(db_url):
    from pos.core import payments
    from pos.core.bootstrap import open_core

    from .worlds import ramen_shop

    core = open_core(db_url)
    shop = ramen_shop(core)
    req = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                  amount=1280, currency="JPY")
    core.db.dispose()
    checked = run(db_url, "inspect", req["payload"]).stdout
    assert "signature verified with key" in checked
    forged = req["payload"].replace("5404128058", "5404128158")
    result = run(db_url, "inspect", forged, ok=False)
    assert result.returncode == 1 and "PAYLOAD_CRC_MISMATCH" in result.stderr


def test_a_second_till_gets_its_own_key_and_lifetime_and_staff_can_be_added(db_url):
    shop = run_json(db_url, "merchant", "create", "--name", "Shibuya Ramen", "--mcc", "5812", "--country", "JP",
                    "--city", "Tokyo", "--currency", "JPY")
    till = run_json(db_url, "terminal", "create", "--merchant", shop["merchant_id"], "--label", "Till 2",
                    "--request-ttl", "120")
    assert till["store_id"] == shop["store_id"] and till["request_ttl_seconds"] == 120
    assert till["api_key"] != shop["api_key"] and till["terminal_id"] != shop["terminal_id"]
    manager = run_json(db_url, "staff", "add", "--merchant", shop["merchant_id"], "--name", "Sato", "--role",
                       "manager")
    assert manager["role"] == "manager"
    missing = run(db_url, "terminal", "create", "--merchant", "m_NOPE", "--label", "X", ok=False)
    assert missing.returncode == 1 and "MERCHANT_NOT_FOUND" in missing.stderr


def test_rotate_key_prints_a_new_key_and_revokes_the_old(db_url):
    shop = run_json(db_url, "merchant", "create", "--name", "Shibuya Ramen", "--mcc", "5812", "--country", "JP",
                    "--city", "Tokyo", "--currency", "JPY")
    rotated = run_json(db_url, "terminal", "rotate-key", shop["terminal_id"])
    assert rotated["revoked_keys"] == 1 and rotated["api_key"] != shop["api_key"]
    unknown = run(db_url, "terminal", "rotate-key", "t_NOPE", ok=False)
    assert unknown.returncode == 1 and "TERMINAL_NOT_FOUND" in unknown.stderr


def test_keys_rotate_makes_a_new_signing_key(db_url):
    run_json(db_url, "migrate")
    first = run_json(db_url, "keys", "rotate")
    second = run_json(db_url, "keys", "rotate")
    assert first["retired"] == 1 and second["retired"] == 1 and first["key_id"] != second["key_id"]
    assert run_json(db_url, "ledger", "verify")["ok"]


def test_sweep_expires_overdue_requests(db_url):
    from pos.core import payments
    from pos.core.bootstrap import open_core
    from pos.core.platform.clock import FixedClock

    from .worlds import ramen_shop

    long_ago = FixedClock()  # 2026-01-01: every request made then is long overdue by the real clock
    core = open_core(db_url, clock=long_ago)
    shop = ramen_shop(core)
    req = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                          amount=500, currency="JPY")
    core.db.dispose()
    assert run_json(db_url, "sweep") == {"expired": 1}
    assert run_json(db_url, "sweep") == {"expired": 0}
    reopened = open_core(db_url, prepare_db=False)
    assert payments.get_request(reopened, req["id"])["status"] == "expired"
    reopened.db.dispose()


def test_staff_get_a_till_pin_from_the_command_line(db_url):
    shop = run_json(db_url, "merchant", "create", "--name", "Uji Tea House", "--mcc", "5499", "--country", "JP",
                    "--city", "Kyoto", "--currency", "JPY")
    bad = run(db_url, "staff", "add", "--merchant", shop["merchant_id"], "--name", "Mei", "--pin", "12", ok=False)
    assert bad.returncode == 1 and bad.stderr.strip() == "qrpos: INVALID_PIN: a PIN is 4-8 digits"
    mei = run_json(db_url, "staff", "add", "--merchant", shop["merchant_id"], "--name", "Mei", "--role", "manager",
                   "--pin", "8888")
    done = run(db_url, "staff", "set-pin", mei["staff_id"], "--pin", "4321")
    assert done.returncode == 0 and "new PIN set" in done.stdout
