"""``ledger verify`` names every kind of tampering: each test edits the database behind the core's back,
the way someone with a SQL prompt could, and checks that the audit names exactly what was changed."""

import json

import pytest
from sqlalchemy import delete, func, select, text, update

from pos.core import payments
from pos.core.ledger.verify import audit
from pos.core.platform.journal import record_hash
from pos.core.store.schema import accounts, entries, journal, journal_head
from pos.core.store.schema import payments as payments_table

from .worlds import ramen_shop, yen_wallet


@pytest.fixture
def book(core):
    """A shop, a wallet, a 1,280 JPY payment (1 % fee) and a 500 JPY refund of it."""
    shop = ramen_shop(core, fee_rate_bp=100)
    wallet = yen_wallet(core, balance=5000)
    req = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                  amount=1280, currency="JPY")
    paid = payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"])
    payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid["id"], amount=500)
    report = audit(core)
    assert report["ok"] and report["problems"] == [], report["problems"]
    return {"shop": shop, "wallet": wallet, "payment": paid, "cash": f"wallet:{wallet['wallet_id']}:cash",
            "merchant": f"merchant:{shop['merchant_id']}"}


def _tamper(core, *statements):
    with core.db.write() as conn:
        for statement in statements:
            conn.execute(statement)


def _settled_record(core, kind="payment.settled"):
    """The journal record of the payment (or of ``kind``): its seq and the ledger transactions it names."""
    with core.db.read() as conn:
        row = conn.execute(select(journal).where(journal.c.kind == kind)).one()
    return row.seq, [tx["id"] for tx in json.loads(row.body)["transactions"]]


def _broken(core) -> list[str]:
    report = audit(core)
    assert not report["ok"] and report["summary"] == f"ledger BROKEN: {len(report['problems'])} problem(s)"
    return report["problems"]


def test_a_clean_book_passes_with_its_counts(core, book):
    report = audit(core)
    counts = f"{report['transactions']} transactions, {report['entries']} entries, {report['journal_records']}"
    assert report["summary"] == (f"ledger OK: {counts} journal records; every currency sums to zero, balances match "
                                 "their entries, the journal chain is intact")
    assert report["transactions"] >= 3 and report["entries"] >= 2 * report["transactions"]


def test_a_payments_refunded_total_reset_in_the_table_is_named(core, book):
    pay_id = book["payment"]["id"]
    _tamper(core, update(payments_table).where(payments_table.c.id == pay_id).values(refunded_amount=0))
    assert _broken(core) == [f"payment {pay_id}: refunded_amount 0 but refunds sum to 500"]


def test_a_refunded_total_on_a_payment_without_refunds_is_named(core, book):
    pay_id = book["payment"]["id"]
    _tamper(core, text("DELETE FROM refunds"))
    assert _broken(core) == [f"payment {pay_id}: refunded_amount 500 but refunds sum to None"]


def test_a_journal_records_timestamp_edited_is_named(core, book):
    seq, _ = _settled_record(core)
    _tamper(core, update(journal).where(journal.c.seq == seq).values(created_at=journal.c.created_at + 1))
    assert _broken(core) == [f"journal: record {seq} (payment.settled) was altered"]


def test_a_journal_records_kind_edited_is_named(core, book):
    seq, _ = _settled_record(core)
    _tamper(core, update(journal).where(journal.c.seq == seq).values(kind="payment.voided"))
    assert _broken(core) == [f"journal: record {seq} (payment.voided) was altered"]


def test_a_journal_record_rewritten_with_a_fresh_hash_breaks_the_link_to_the_next(core, book):
    seq, _ = _settled_record(core)
    with core.db.write() as conn:
        row = conn.execute(select(journal).where(journal.c.seq == seq)).one()
        body = row.body.replace('"transactions"', '"transactions_"')
        new_hash = record_hash(row.prev_hash, row.seq, row.kind, body, row.created_at)
        conn.execute(update(journal).where(journal.c.seq == seq).values(body=body, hash=new_hash))
    problems = _broken(core)
    assert f"journal: record {seq + 1} does not link to the record before it" in problems
    assert not any("altered" in p for p in problems)  # the rewritten record itself hashes right


def test_an_entry_amount_changed_alone_is_named_by_every_check_it_breaks(core, book):
    _, (tx_id, *_) = _settled_record(core)
    cash = book["cash"]
    _tamper(core, update(entries).where(entries.c.transaction_id == tx_id, entries.c.account_id == cash)
            .values(amount=entries.c.amount - 1))
    assert sorted(_broken(core)) == sorted([
        "currency JPY: entries sum to -1, not 0",
        f"account {cash}: stored balance 4220 but entries sum to 4219",
        f"transaction {tx_id}: unbalanced or mixed-currency entries",
        f"transaction {tx_id}: entries differ from the journal",
    ])


def test_an_entry_moved_to_another_currency_is_named(core, book):
    _, (tx_id, *_) = _settled_record(core)
    with core.db.write() as conn:
        conn.execute(text("UPDATE entries SET currency = 'CNY' WHERE id = "
                          "(SELECT MIN(id) FROM entries WHERE transaction_id = :tx)"), {"tx": tx_id})
    problems = _broken(core)
    assert f"transaction {tx_id}: unbalanced or mixed-currency entries" in problems
    assert any(p.startswith("currency CNY: entries sum to") for p in problems)


def test_a_balance_changed_alone_is_named(core, book):
    merchant = book["merchant"]
    _tamper(core, update(accounts).where(accounts.c.id == merchant).values(balance=accounts.c.balance + 1000))
    assert _broken(core) == [f"account {merchant}: stored balance 1772 but entries sum to 772"]


def test_a_wallet_forced_below_zero_is_named(core, book):
    cash = book["cash"]
    with core.db.write() as conn:  # the table's CHECK would refuse it: the tamperer switches it off first
        if core.db.is_sqlite:
            conn.execute(text("PRAGMA ignore_check_constraints = ON"))
        else:
            conn.execute(text("ALTER TABLE accounts DROP CONSTRAINT ck_accounts_no_negative_balance"))
        conn.execute(update(accounts).where(accounts.c.id == cash).values(balance=-7))
    assert sorted(_broken(core)) == sorted([
        f"account {cash}: stored balance -7 but entries sum to 4220",
        f"account {cash}: negative balance -7",
    ])


def test_a_journal_record_deleted_from_the_middle_is_named(core, book):
    seq, tx_ids = _settled_record(core)
    _tamper(core, delete(journal).where(journal.c.seq == seq))
    problems = _broken(core)
    assert f"journal: record {seq} is missing (next is {seq + 1})" in problems
    assert f"journal: record {seq + 1} does not link to the record before it" in problems
    assert {f"transaction {tx}: entries differ from the journal" for tx in tx_ids} <= set(problems)
    assert len(problems) == 2 + len(tx_ids)


def test_the_last_journal_record_deleted_is_named(core, book):
    with core.db.read() as conn:
        last = conn.execute(select(func.max(journal.c.seq))).scalar_one()
        body = json.loads(conn.execute(select(journal.c.body).where(journal.c.seq == last)).scalar_one())
    _tamper(core, delete(journal).where(journal.c.seq == last))
    problems = _broken(core)
    assert "journal: the head does not match the last record (records were removed)" in problems
    gone = [tx["id"] for tx in body["transactions"]]  # the refund's record carries its transactions
    assert sorted(problems) == sorted(["journal: the head does not match the last record (records were removed)"]
                                      + [f"transaction {tx}: entries differ from the journal" for tx in gone])


def test_a_head_moved_back_over_the_last_record_is_named(core, book):
    _tamper(core, update(journal_head).values(seq=journal_head.c.seq - 1))
    assert _broken(core) == ["journal: the head does not match the last record (records were removed)"]


def test_a_transactions_entries_deleted_with_their_balances_are_named_from_the_journal(core, book):
    _, (tx_id, *_) = _settled_record(core, "refund.created")
    with core.db.write() as conn:  # the refund undone with its balances, as if it never happened
        legs = conn.execute(select(entries.c.account_id, entries.c.amount).where(entries.c.transaction_id == tx_id))
        for account_id, amount in legs.all():
            conn.execute(update(accounts).where(accounts.c.id == account_id)
                         .values(balance=accounts.c.balance - amount))
        conn.execute(delete(entries).where(entries.c.transaction_id == tx_id))
    assert _broken(core) == [f"transaction {tx_id}: in the journal but its entries are gone"]


def test_opening_the_platform_accounts_again_opens_only_the_missing_ones(core):
    from pos.core import ledger

    with core.db.write() as conn:
        assert ledger.open_platform_accounts(conn, ["JPY", "CNY"], core.now()) == 0
        assert ledger.open_platform_accounts(conn, ["JPY", "XTS"], core.now()) == 4  # fx, fees, top-up, miles funding
        assert ledger.open_platform_accounts(conn, ["XTS"], core.now()) == 0
    assert audit(core)["ok"]


def test_refund_totals_are_checked_per_payment(core):
    shop = ramen_shop(core)
    paid = []
    for amount, refunds in ((1280, (500,)), (300, (100, 50)), (700, ())):
        req = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                      amount=amount, currency="JPY")
        paid.append(payments.pay(core, wallet_id=yen_wallet(core)["wallet_id"], payload=req["payload"])["id"])
        for part in refunds:
            payments.refund(core, merchant_id=shop["merchant_id"], payment_id=paid[-1], amount=part)
    assert audit(core)["problems"] == []
    _tamper(core, update(payments_table).where(payments_table.c.id == paid[1]).values(refunded_amount=100))
    assert _broken(core) == [f"payment {paid[1]}: refunded_amount 100 but refunds sum to 150"]


def test_a_balance_given_to_an_account_that_never_had_an_entry_is_named(core, book):
    unused = "platform:fx:EUR"
    _tamper(core, update(accounts).where(accounts.c.id == unused).values(balance=5))
    assert _broken(core) == [f"account {unused}: stored balance 5 but entries sum to 0"]
