"""A PostgreSQL shop is backed up with pg_dump and brought back with pg_restore (docs/reliability.md):
a dump taken while payments go on restores into a new database whose ledger verifies."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from pos.core import parties, payments
from pos.core.ledger.verify import audit

from ..conftest import _pg_admin, _pg_url
from .worlds import ramen_shop

QRPOS = str(Path(sys.executable).with_name("qrpos"))


def libpq(url: str) -> str:
    """The SQLAlchemy URL as pg_dump and pg_restore take it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def test_a_dump_taken_under_load_restores_into_a_new_database_that_verifies(core, db_url, tmp_path):
    if core.db.is_sqlite:
        pytest.skip("pg_dump is for PostgreSQL; SQLite shops use `qrpos backup`")
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore are not installed")
    shop = ramen_shop(core)
    wallet = parties.create_wallet(core, owner="Hanako", currency="JPY", pin="1234", balance=100_000)["wallet_id"]
    stop, errors, paid = threading.Event(), [], []

    def keep_paying():
        try:
            while not stop.is_set():
                req = payments.create_request(core, merchant_id=shop["merchant_id"],
                                              terminal_id=shop["terminal_id"], amount=1000, currency="JPY")
                paid.append(payments.pay(core, wallet_id=wallet, payload=req["payload"])["id"])
                payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid[-1], amount=1000)
        except Exception as error:
            errors.append(error)

    payer = threading.Thread(target=keep_paying)
    payer.start()
    dump = tmp_path / "shop.dump"
    try:
        while len(paid) < 3 and not errors:  # some payments first, then dump while more go on
            threading.Event().wait(0.01)
        dumped = subprocess.run(["pg_dump", "--format=custom", "--file", str(dump), libpq(db_url)],
                                capture_output=True, text=True, timeout=120)
    finally:
        stop.set()
        payer.join()
    assert not errors, errors
    assert dumped.returncode == 0, dumped.stderr

    name = f"qrpos_restored_{uuid.uuid4().hex[:8]}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        restored_url = _pg_url(name)
        restored = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", libpq(restored_url),
                                   str(dump)], capture_output=True, text=True, timeout=120)
        assert restored.returncode == 0, restored.stderr
        verified = subprocess.run([QRPOS, "--db", restored_url, "ledger", "verify"], capture_output=True, text=True,
                                  timeout=120)
        assert verified.returncode == 0, verified.stderr
        assert verified.stdout.startswith("ledger OK:")
        transactions = int(verified.stdout.split(": ", 1)[1].split(" ", 1)[0])
        assert 0 < transactions <= audit(core)["transactions"]  # a snapshot from during the load
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
