"""The ledger: balanced, append-only postings, no negative balances, and tamper-evident history."""

import pytest
from sqlalchemy import delete, select, update

from pos.core import ledger, parties
from pos.core.errors import InsufficientFunds, LedgerInvariantBroken
from pos.core.ledger import Leg
from pos.core.ledger.verify import audit
from pos.core.platform import journal
from pos.core.store.schema import accounts, entries
from pos.core.store.schema import journal as journal_table

from .worlds import ramen_shop, yen_wallet


def _post(core, legs, currency="JPY"):
    def effect(conn):
        tx = ledger.post(conn, tx_id=core.ids.new("tx"), kind="test", currency=currency, legs=legs, now_us=core.now())
        journal.append(conn, "test", {"transactions": [tx]}, core.now())

    core.db.transact(effect)


def test_a_new_wallet_is_funded_by_a_balanced_posting(core):
    w = yen_wallet(core, balance=5000, miles=300)
    assert parties.wallet_summary(core, w["wallet_id"])["balance"] == {"amount": 5000, "currency": "JPY"}
    assert audit(core)["ok"], audit(core)["problems"]


def test_an_unbalanced_posting_is_refused_and_changes_nothing(core):
    w = yen_wallet(core, balance=5000)
    topup = ledger.platform_account_id(ledger.PLATFORM_TOPUP, "JPY")
    with pytest.raises(LedgerInvariantBroken):
        _post(core, [Leg(topup, -100), Leg(f"wallet:{w['wallet_id']}:cash", 99)])
    assert parties.wallet_summary(core, w["wallet_id"])["balance"]["amount"] == 5000


def test_a_single_legged_posting_is_refused(core):
    with pytest.raises(LedgerInvariantBroken):
        _post(core, [Leg(ledger.platform_account_id(ledger.PLATFORM_TOPUP, "JPY"), 0), Leg("x", 0), Leg("y", 5)])


def test_a_wallet_cannot_go_below_zero(core):
    a, b = yen_wallet(core, balance=100), yen_wallet(core, balance=0)
    with pytest.raises(InsufficientFunds):
        _post(core, [Leg(f"wallet:{a['wallet_id']}:cash", -101), Leg(f"wallet:{b['wallet_id']}:cash", 101)])
    assert parties.wallet_summary(core, a["wallet_id"])["balance"]["amount"] == 100
    assert audit(core)["ok"]


def test_a_posting_in_the_wrong_currency_for_an_account_is_refused(core):
    w = yen_wallet(core, balance=100)
    fx_cny = ledger.platform_account_id(ledger.PLATFORM_FX, "CNY")
    with pytest.raises(LedgerInvariantBroken):
        _post(core, [Leg(f"wallet:{w['wallet_id']}:cash", -50), Leg(fx_cny, 50)])


def test_verify_names_a_balance_edited_behind_the_ledgers_back(core):
    w = yen_wallet(core, balance=100)
    with core.db.write() as conn:
        conn.execute(update(accounts).where(accounts.c.id == f"wallet:{w['wallet_id']}:cash").values(balance=1_000_000))
    report = audit(core)
    assert not report["ok"]
    assert any("stored balance 1000000 but entries sum to 100" in p for p in report["problems"])


def test_verify_names_an_entry_edited_consistently_with_its_balance(core):
    w = yen_wallet(core, balance=100)
    cash = f"wallet:{w['wallet_id']}:cash"
    topup = ledger.platform_account_id(ledger.PLATFORM_TOPUP, "JPY")
    with core.db.write() as conn:
        conn.execute(update(entries).where(entries.c.account_id == cash).values(amount=900))
        conn.execute(update(entries).where(entries.c.account_id == topup).values(amount=-900))
        conn.execute(update(accounts).where(accounts.c.id == cash).values(balance=900))
        conn.execute(update(accounts).where(accounts.c.id == topup).values(balance=-900))
    report = audit(core)
    assert not report["ok"]
    assert any("entries differ from the journal" in p for p in report["problems"])


def test_verify_names_an_altered_journal_record(core):
    ramen_shop(core)
    with core.db.write() as conn:
        seq = conn.execute(select(journal_table.c.seq).order_by(journal_table.c.seq.desc())).scalars().first()
        conn.execute(update(journal_table).where(journal_table.c.seq == seq).values(body='{"forged":true}'))
    problems = audit(core)["problems"]
    assert any(f"record {seq}" in p and "altered" in p for p in problems)


def test_verify_notices_a_deleted_journal_record(core):
    ramen_shop(core)
    yen_wallet(core)
    with core.db.write() as conn:
        seq = conn.execute(select(journal_table.c.seq).order_by(journal_table.c.seq.desc())).scalars().first()
        conn.execute(delete(journal_table).where(journal_table.c.seq == seq))
    assert not audit(core)["ok"]


def test_verify_passes_on_a_clean_book(core):
    ramen_shop(core)
    yen_wallet(core, balance=5000, miles=10)
    report = audit(core)
    assert report["ok"], report["problems"]
    assert report["transactions"] == 2
