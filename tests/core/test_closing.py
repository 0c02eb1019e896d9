"""End of day: the day's report equals the ledger, X reports show what is open, Z reports close it once.

The ledger test runs a seeded random day of sales at two tills (yen and yuan wallets, miles, fees,
partial refunds, some past midnight in Tokyo) and recomputes every figure from ledger entries alone.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from pos.core import ledger, parties, payments
from pos.core.errors import InvalidInput, NotFound, StateConflict
from pos.core.reports import closing, day_bounds
from pos.core.store.schema import accounts, entries, journal, transactions, z_reports
from pos.core.store.schema import payments as payments_table

from .worlds import jpy_cny_rate, ramen_shop, yen_wallet, yuan_wallet

TZ = "Asia/Tokyo"


@pytest.fixture
def shop(core):
    shop = ramen_shop(core, fee_rate_bp=150)
    second = parties.create_terminal(core, merchant_id=shop["merchant_id"], label="Till 2")
    manager = parties.add_staff(core, merchant_id=shop["merchant_id"], name="Ken", role="manager")
    jpy_cny_rate(core)
    return {**shop, "till2": second["terminal_id"], "manager": manager["staff_id"]}


def sell(core, shop, terminal_id, wallet, amount, miles=0):
    req = payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=terminal_id, amount=amount,
                                  currency="JPY")
    scanned = payments.scan(core, wallet_id=wallet["wallet_id"], payload=req["payload"])
    quote = scanned.get("quote")
    return payments.pay(core, wallet_id=wallet["wallet_id"], payload=req["payload"], miles=miles,
                        quote_id=quote["id"] if quote else None)


def random_day(core, clock, shop, seed=2026, sales=60):
    """Sales every few minutes from 09:00 Tokyo until past midnight, a third of them refunded in part."""
    rng = random.Random(seed)
    hanako = yen_wallet(core, balance=500_000, miles=200_000)
    li = yuan_wallet(core, balance=5_000_000)
    paid = []
    for _ in range(sales):
        clock.advance(rng.randint(60, 40 * 60))
        till = rng.choice([shop["terminal_id"], shop["till2"]])
        amount = rng.randint(100, 6000)
        if rng.random() < 0.5:
            miles = rng.choice([0, 0, rng.randint(1, amount)])
            payment = sell(core, shop, till, hanako, amount, miles)
        else:
            payment = sell(core, shop, till, li, amount)
        paid.append(payment)
        if rng.random() < 0.35:
            earlier = rng.choice(paid)
            left = earlier["amount"] - earlier["refunded"]["amount"]
            if left:
                refund = payments.refund(core, merchant_id=shop["merchant_id"], payment_id=earlier["id"],
                                         amount=rng.randint(1, left))
                paid[paid.index(earlier)] = refund["payment"]
    return paid


def ledger_figures(core, merchant_id, start, end):
    """Every report figure, summed from ledger entries of the merchant's payments in [start, end)."""
    with core.db.read() as conn:
        merchant = parties.get_merchant_row(conn, merchant_id)
        rows = conn.execute(
            select(transactions.c.kind, transactions.c.payment_id, entries.c.account_id, entries.c.currency,
                   entries.c.amount, accounts.c.kind.label("account_kind"))
            .join(entries, entries.c.transaction_id == transactions.c.id)
            .join(accounts, accounts.c.id == entries.c.account_id)
            .where(transactions.c.created_at >= start, transactions.c.created_at < end)
        ).all()
        owned = select(payments_table.c.id).where(payments_table.c.merchant_id == merchant_id)
        mine = set(conn.execute(owned).scalars())
    cur = merchant.currency
    fees_acct = ledger.platform_account_id(ledger.PLATFORM_FEES, cur)
    funding = ledger.platform_account_id(ledger.PLATFORM_MILES_FUNDING, cur)
    shop_side = {merchant.account_id, fees_acct}
    f: dict = defaultdict(int)
    charged, refunded = defaultdict(int), defaultdict(int)
    for r in rows:
        if r.payment_id not in mine:
            continue
        if r.kind == "payment":
            f["gross"] += r.amount if r.account_id in shop_side else 0
            f["miles"] -= r.amount if r.account_id == funding else 0
            f["cash"] -= r.amount if r.account_id not in shop_side | {funding} else 0
        if r.kind == "refund":
            f["refunds"] -= r.amount if r.account_id in shop_side else 0
            f["refund_miles"] += r.amount if r.account_id == funding else 0
        f["fees"] += r.amount if r.account_id == fees_acct else 0
        f["net"] += r.amount if r.account_id == merchant.account_id else 0
        if r.account_kind == ledger.WALLET_CASH:
            (charged if r.amount < 0 else refunded)[r.currency] += abs(r.amount)
        if r.account_kind == ledger.WALLET_MILES:
            f[{"miles_redeem": "used", "miles_return": "returned", "miles_earn": "earned",
               "miles_clawback": "clawed"}[r.kind]] += abs(r.amount)
    return f, dict(charged), dict(refunded)


@pytest.mark.parametrize("day", ["2026-01-01", "2026-01-02"])
def test_the_days_report_equals_the_ledger_after_a_seeded_mix_of_sales_refunds_and_miles(core, clock, shop, day):
    random_day(core, clock, shop)
    report = closing.day_report(core, merchant_id=shop["merchant_id"], day=day, tz=TZ)
    f, charged, refunded = ledger_figures(core, shop["merchant_id"], *day_bounds(day, TZ))
    assert report["payments"]["count"] > 3 and report["refunds"]["count"] > 0  # the mix really is a mix
    assert report["payments"]["gross"] == f["gross"]
    assert (report["payments"]["cash"], report["payments"]["miles"]) == (f["cash"], f["miles"])
    assert (report["refunds"]["amount"], report["refunds"]["miles"]) == (f["refunds"], f["refund_miles"])
    assert report["fees"] == f["fees"] and report["net"] == f["net"]
    assert {c["currency"]: c["charged"] for c in report["by_currency"]} == charged
    assert {c["currency"]: c["refunded"] for c in report["by_currency"] if c["refunded"]} == refunded
    miles = report["miles"]
    assert (miles["used"], miles["returned"], miles["earned"], miles["clawed_back"]) == \
        (f["used"], f["returned"], f["earned"], f["clawed"])
    assert sum(h["gross"] for h in report["hours"]) == report["payments"]["gross"]
    assert sum(t["gross"] for t in report["tills"]) == report["payments"]["gross"]


def test_the_two_days_add_up_to_everything_the_shop_took(core, clock, shop):
    paid = random_day(core, clock, shop, seed=7)
    days = [closing.day_report(core, merchant_id=shop["merchant_id"], day=d, tz=TZ)
            for d in ("2026-01-01", "2026-01-02", "2026-01-03")]
    assert sum(d["payments"]["count"] for d in days) == len(paid)
    assert sum(d["payments"]["gross"] for d in days) == sum(p["amount"] for p in paid)


def test_a_z_report_closes_a_till_and_the_next_one_covers_only_what_is_new(core, clock, shop):
    hanako = yen_wallet(core, balance=50_000)
    sell(core, shop, shop["terminal_id"], hanako, 1200)
    sell(core, shop, shop["till2"], hanako, 800)
    x = closing.x_report(core, merchant_id=shop["merchant_id"], scope="terminal", scope_id=shop["terminal_id"], tz=TZ)
    z1 = closing.close(core, merchant_id=shop["merchant_id"], scope="terminal", scope_id=shop["terminal_id"],
                       staff_id=shop["manager"], tz=TZ)
    assert z1["number"] == 1 and z1["payments"] == x["payments"] == {"count": 1, "gross": 1200, "cash": 1200,
                                                                     "miles": 0}
    assert z1["business_date"] == "2026-01-01" and x["since_z"] is None
    after = closing.x_report(core, merchant_id=shop["merchant_id"], scope="terminal", scope_id=shop["terminal_id"],
                             tz=TZ)
    assert after["payments"]["count"] == 0 and after["since_z"] == 1
    clock.advance(60)
    third = sell(core, shop, shop["terminal_id"], hanako, 500)
    payments.refund(core, merchant_id=shop["merchant_id"], payment_id=third["id"], amount=200)
    z2 = closing.close(core, merchant_id=shop["merchant_id"], scope="terminal", scope_id=shop["terminal_id"],
                       staff_id=shop["manager"], tz=TZ)
    assert z2["number"] == 2 and z2["from_seq"] == z1["to_seq"]
    assert z2["payments"]["gross"] == 500 and z2["refunds"]["amount"] == 200 and z2["net"] == 300 - z2["fees"]
    store = closing.close(core, merchant_id=shop["merchant_id"], scope="store", scope_id=shop["store_id"],
                          staff_id=shop["manager"], tz=TZ)
    assert store["number"] == 3 and store["payments"]["gross"] == 1200 + 800 + 500  # its own chain
    assert [t["label"] for t in store["tills"]] == ["Till 1", "Till 2"]


def test_a_z_report_is_stored_as_closed_and_its_hash_is_in_the_journal(core, shop):
    sell(core, shop, shop["terminal_id"], yen_wallet(core), 980)
    z = closing.close(core, merchant_id=shop["merchant_id"], scope="terminal", scope_id=shop["terminal_id"],
                      staff_id=shop["manager"], tz=TZ)
    assert closing.get_z_report(core, merchant_id=shop["merchant_id"], number=1) == z
    [listed] = closing.list_z_reports(core, merchant_id=shop["merchant_id"])
    assert (listed["number"], listed["gross"], listed["net"], listed["closed_by"]) == \
        (1, 980, z["net"], shop["manager"])
    with core.db.read() as conn:
        record = conn.execute(select(journal).where(journal.c.kind == "z_report.closed")).one()
        snapshot = conn.execute(select(z_reports.c.snapshot)).scalar_one()
    assert json.loads(record.body)["snapshot_sha256"] == hashlib.sha256(snapshot.encode()).hexdigest()


def test_z_numbers_are_unique_per_merchant_in_the_database_itself(core, shop):
    z = closing.close(core, merchant_id=shop["merchant_id"], scope="store", scope_id=shop["store_id"],
                      staff_id=shop["manager"], tz=TZ)
    with pytest.raises(IntegrityError), core.db.write() as conn:
        conn.execute(insert(z_reports).values(
            id="z_copy", merchant_id=shop["merchant_id"], number=z["number"], scope="terminal",
            scope_id=shop["terminal_id"], business_date="2026-01-01", from_seq=0, to_seq=0, currency="JPY",
            payments_count=0, gross=0, refunds=0, fees=0, net=0, snapshot="{}", closed_by=shop["manager"],
            created_at=0))


def test_reports_refuse_foreign_tills_unknown_scopes_and_missing_numbers(core, shop):
    other = ramen_shop(core, name="Other Noodles")
    with pytest.raises(NotFound):
        closing.close(core, merchant_id=shop["merchant_id"], scope="terminal", scope_id=other["terminal_id"],
                      staff_id=shop["manager"], tz=TZ)
    with pytest.raises(InvalidInput):
        closing.x_report(core, merchant_id=shop["merchant_id"], scope="merchant", scope_id="", tz=TZ)
    with pytest.raises(NotFound):
        closing.get_z_report(core, merchant_id=other["merchant_id"], number=1)
    with pytest.raises(InvalidInput):
        closing.day_report(core, merchant_id=shop["merchant_id"], day="2026-02-30", tz=TZ)
    assert closing.list_z_reports(core, merchant_id=shop["merchant_id"]) == []


def test_a_z_closed_twice_from_the_same_screen_is_refused_the_second_time(core, shop):
    first = closing.close(core, merchant_id=shop["merchant_id"], scope="terminal", scope_id=shop["terminal_id"],
                          staff_id=shop["manager"], tz=TZ, since_z=0)
    with pytest.raises(StateConflict) as refused:
        closing.close(core, merchant_id=shop["merchant_id"], scope="terminal", scope_id=shop["terminal_id"],
                      staff_id=shop["manager"], tz=TZ, since_z=0)
    assert refused.value.code == "Z_ALREADY_CLOSED" and first["number"] == 1
    assert [z["number"] for z in closing.list_z_reports(core, merchant_id=shop["merchant_id"])] == [1]
