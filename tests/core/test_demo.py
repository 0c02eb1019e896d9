"""The demo walkthrough runs through the real core, and the books prove out afterwards."""

import json
import subprocess
import sys
from pathlib import Path

from pos.core import parties
from pos.demo import seed, walkthrough

QRPOS = str(Path(sys.executable).with_name("qrpos"))


def test_the_tourist_walkthrough_pays_earns_miles_refunds_and_balances(core, tmp_path):
    world = seed(core)
    lines = []
    result = walkthrough(core, world, lines.append, tmp_path)
    assert result["payment"]["charged"] == {"amount": 6263, "currency": "CNY"}
    assert result["split"]["miles_used"] == 1000
    assert result["refund"]["cash_back"] == {"amount": 2446, "currency": "CNY"}
    assert result["audit"]["ok"]
    tourist = parties.wallet_summary(core, world["wallets"]["tourist"]["wallet_id"])
    assert tourist["balance"] == {"amount": 200_000 - 6263 - 9785 + 2446, "currency": "CNY"}
    assert (tmp_path / "demo-request.png").stat().st_size > 0
    assert any("渋谷ラーメン" in line for line in lines)


def test_qrpos_demo_reads_its_own_qr_image_and_ledger_verify_passes_after_it(tmp_path):
    db_file = tmp_path / "demo.db"
    demo = subprocess.run([QRPOS, "demo", "--db-file", str(db_file)], capture_output=True, text=True, timeout=300)
    assert demo.returncode == 0, demo.stderr
    assert "The wallet reads the QR image back" in demo.stdout and "ledger OK" in demo.stdout
    verify = subprocess.run([QRPOS, "--db", f"sqlite:///{db_file}", "ledger", "verify", "--json"],
                            capture_output=True, text=True, timeout=120)
    assert verify.returncode == 0 and json.loads(verify.stdout)["ok"]
