"""`qrpos backup` and `qrpos restore` on SQLite: a consistent copy of a shop that keeps taking
payments, and a restore that checks what it brings back and never overwrites a database in use."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from pos.core import parties, payments
from pos.core.bootstrap import open_core
from pos.core.ledger.verify import audit
from pos.core.platform.clock import FixedClock
from pos.core.store.schema import payments as payments_table

from ..conftest import TEST_SETTINGS
from .worlds import ramen_shop

QRPOS = str(Path(sys.executable).with_name("qrpos"))


def qrpos(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([QRPOS, "--db", f"sqlite:///{db}", *args], capture_output=True, text=True, timeout=120)


def count_payments(core) -> int:
    with core.db.read() as conn:
        return conn.execute(select(func.count()).select_from(payments_table)).scalar_one()


def journal_mode(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]


@pytest.fixture
def shop_db(tmp_path, sqlite_template):
    path = tmp_path / "shop.db"
    shutil.copyfile(sqlite_template, path)
    core = open_core(f"sqlite:///{path}", clock=FixedClock(), settings=TEST_SETTINGS, prepare_db=False)
    shop = ramen_shop(core)
    wallet = parties.create_wallet(core, owner="Hanako", currency="JPY", pin="1234", balance=100_000)["wallet_id"]

    def pay(amount=1000):
        req = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                      amount=amount, currency="JPY")
        return payments.pay(core, wallet_id=wallet, payload=req["payload"])

    yield SimpleNamespace(path=path, core=core, shop=shop, wallet=wallet, pay=pay)
    core.db.dispose()


def test_a_backup_of_a_shop_taking_payments_is_consistent_and_self_contained(shop_db, tmp_path):
    path, core, shop, pay = shop_db.path, shop_db.core, shop_db.shop, shop_db.pay
    stop, errors = threading.Event(), []

    def keep_paying():
        try:
            while not stop.is_set():
                paid = pay()
                for amount in (400, 600):  # a partial refund, then the rest: the wallet never runs dry
                    payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=amount)
        except Exception as error:
            errors.append(error)

    payer = threading.Thread(target=keep_paying)
    payer.start()
    try:
        copies = []
        for i in range(3):
            before = count_payments(core)
            result = qrpos(path, "backup", str(tmp_path / f"copy{i}.db"))
            assert result.returncode == 0, result.stderr
            assert "ledger OK" in result.stdout
            copies.append((tmp_path / f"copy{i}.db", before, count_payments(core)))
    finally:
        stop.set()
        payer.join()
    assert not errors, errors
    for copy, before, after in copies:
        assert journal_mode(copy) == "delete" and not Path(f"{copy}-wal").exists()
        backed_up = open_core(f"sqlite:///{copy}", settings=TEST_SETTINGS, prepare_db=False)
        assert before <= count_payments(backed_up) <= after
        assert audit(backed_up)["ok"]
        backed_up.db.dispose()
    assert copies[-1][2] > copies[0][1]  # payments really went on during the backups


def test_a_restore_brings_the_shop_back_to_the_backup_and_verifies_the_ledger(shop_db, tmp_path):
    path, core, wallet, pay = shop_db.path, shop_db.core, shop_db.wallet, shop_db.pay
    pay(), pay()
    assert qrpos(path, "backup", str(tmp_path / "monday.db")).returncode == 0
    pay(), pay(), pay()
    core.db.dispose()  # the shop is closed for the restore
    result = qrpos(path, "restore", str(tmp_path / "monday.db"))
    assert result.returncode == 0, result.stderr
    assert "ledger OK" in result.stdout
    assert count_payments(core) == 2
    assert parties.wallet_summary(core, wallet)["balance"]["amount"] == 100_000 - 2000


def test_a_restore_over_a_database_in_use_is_refused_unless_forced(shop_db, tmp_path):
    path, core, pay = shop_db.path, shop_db.core, shop_db.pay
    pay()
    assert qrpos(path, "backup", str(tmp_path / "one.db")).returncode == 0
    pay()
    assert count_payments(core) == 2  # the core keeps its connection open, as a running server does
    refused = qrpos(path, "restore", str(tmp_path / "one.db"))
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.startswith("qrpos: ") and "in use" in refused.stderr and refused.stderr.count("\n") == 1
    assert count_payments(core) == 2
    forced = qrpos(path, "restore", str(tmp_path / "one.db"), "--force")
    assert forced.returncode == 0, forced.stderr
    assert count_payments(core) == 1 and audit(core)["ok"]  # the running core sees the restored shop


def test_a_restore_refuses_what_is_not_a_good_backup_and_changes_nothing(shop_db, tmp_path):
    path, core, pay = shop_db.path, shop_db.core, shop_db.pay
    pay()
    core.db.dispose()
    junk = tmp_path / "junk.db"
    junk.write_text("not a database at all " * 100)
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    assert qrpos(path, "backup", str(tmp_path / "tampered.db")).returncode == 0
    with sqlite3.connect(tmp_path / "tampered.db") as conn:
        conn.execute("UPDATE accounts SET balance = balance + 1 WHERE id LIKE 'wallet:%:cash'")
    for bad, reason in ((junk, "not an SQLite database"), (empty, "not a qrpos database"),
                        (tmp_path / "tampered.db", "does not verify")):
        result = qrpos(path, "restore", str(bad))
        assert result.returncode == 1 and reason in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert count_payments(core) == 1 and audit(core)["ok"]


def test_backup_refuses_to_overwrite_a_file_and_points_postgresql_at_pg_dump(shop_db, tmp_path):
    path = shop_db.path
    existing = tmp_path / "exists.db"
    existing.write_text("keep me")
    result = qrpos(path, "backup", str(existing))
    assert result.returncode == 1 and "exists" in result.stderr and existing.read_text() == "keep me"
    assert qrpos(path, "backup", str(existing), "--force").returncode == 0
    pg = subprocess.run([QRPOS, "--db", "postgresql+psycopg://postgres@127.0.0.1:1/none", "backup", "x.db"],
                        capture_output=True, text=True, timeout=60)
    assert pg.returncode == 1 and "pg_dump" in pg.stderr
