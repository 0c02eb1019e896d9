"""How a price is funded and posted: cash (maybe through FX), miles, fee, miles earned.

Pure arithmetic in :func:`plan`, ledger postings in :func:`post_payment`; both used by payments and
tested on their own. The merchant is always credited exactly the price (less any fee).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from pos.core import ledger
from pos.core.errors import InvalidInput, MilesLimitExceeded, MilesNotAccepted
from pos.core.ledger import Leg
from pos.core.limits import int_between
from pos.core.money import Money
from pos.core.parties.merchants import MerchantRow
from pos.core.parties.wallets import WalletRow
from pos.core.payments import fx
from pos.core.payments import miles as miles_rules
from pos.core.platform.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Plan:
    price: Money  # merchant currency
    miles_used: int  # miles spent, 1 mile = 1 minor unit of JPY
    cash_price: Money  # price - miles, merchant currency
    charged: Money  # taken from the wallet's cash, wallet currency
    rate: Fraction | None  # wallet units per merchant unit (with spread), None when same currency
    fee: int  # merchant currency, to the platform's fee account
    miles_earned: int


def plan(
    price: Money,
    wallet_currency: str,
    *,
    miles_used: int,
    miles_limit: int,
    rate: Fraction | None,
    fee_rate_bp: int,
    earn_per: int | None,
) -> Plan:
    if not int_between(miles_used, 0):
        raise InvalidInput("miles must be a non-negative integer", code="INVALID_MILES")
    if miles_used:
        if price.currency != miles_rules.MILES_CURRENCY:
            raise MilesNotAccepted(f"miles pay only {miles_rules.MILES_CURRENCY} prices, this one is {price.currency}")
        if miles_used > miles_limit:
            raise MilesLimitExceeded(f"one payment may use at most {miles_limit} miles, asked for {miles_used}")
        if miles_used > price.minor:
            raise InvalidInput(f"{miles_used} miles is more than the price {price}", code="INVALID_MILES")
    cash_price = Money(price.minor - miles_used, price.currency)
    if wallet_currency == price.currency:
        charged, rate = Money(cash_price.minor, wallet_currency), None
    else:
        if rate is None:
            raise InvalidInput("a cross-currency payment needs a rate", code="QUOTE_REQUIRED")
        charged = fx.convert_up(cash_price, wallet_currency, rate) if cash_price.minor else Money(0, wallet_currency)
    return Plan(
        price=price,
        miles_used=miles_used,
        cash_price=cash_price,
        charged=charged,
        rate=rate,
        fee=price.minor * fee_rate_bp // 10_000,
        miles_earned=miles_rules.earned(cash_price.minor, earn_per),
    )


def post_payment(
    uow: UnitOfWork, p: Plan, *, payment_id: str, wallet: WalletRow, merchant: MerchantRow
) -> list[ledger.PostedTransaction]:
    """Post a planned payment; return the ledger transactions for the journal."""
    conn, now, ids, m_cur, w_cur = uow.conn, uow.now, uow.ids, p.price.currency, p.charged.currency
    link = ids.new("lnk") if p.rate is not None and p.charged.minor else None
    txs: list[ledger.PostedTransaction] = []
    batch = ledger.Batch()
    merchant_legs = [Leg(merchant.account_id, p.price.minor - p.fee)]
    if p.fee:
        merchant_legs.append(Leg(ledger.platform_account_id(ledger.PLATFORM_FEES, m_cur), p.fee))
    if p.rate is None:
        merchant_legs.append(Leg(wallet.cash_account_id, -p.cash_price.minor))
    elif p.cash_price.minor:
        fx_w = ledger.platform_account_id(ledger.PLATFORM_FX, w_cur)
        fx_m = ledger.platform_account_id(ledger.PLATFORM_FX, m_cur)
        txs.append(
            ledger.post(
                conn, tx_id=ids.new("tx"), kind="fx_in", currency=w_cur, now_us=now, payment_id=payment_id,
                link_id=link, legs=[Leg(wallet.cash_account_id, -p.charged.minor), Leg(fx_w, p.charged.minor)],
                batch=batch,
            )
        )
        merchant_legs.append(Leg(fx_m, -p.cash_price.minor))
    if p.miles_used:
        funding = ledger.platform_account_id(ledger.PLATFORM_MILES_FUNDING, m_cur)
        merchant_legs.append(Leg(funding, -p.miles_used))
        issuance = ledger.platform_account_id(ledger.PLATFORM_MILES, ledger.MILES)
        txs.append(
            ledger.post(
                conn, tx_id=ids.new("tx"), kind="miles_redeem", currency=ledger.MILES, now_us=now,
                payment_id=payment_id, legs=[Leg(wallet.miles_account_id, -p.miles_used), Leg(issuance, p.miles_used)],
                batch=batch,
            )
        )
    txs.append(
        ledger.post(
            conn, tx_id=ids.new("tx"), kind="payment", currency=m_cur, now_us=now, payment_id=payment_id,
            link_id=link, legs=merchant_legs, batch=batch,
        )
    )
    if p.miles_earned:
        issuance = ledger.platform_account_id(ledger.PLATFORM_MILES, ledger.MILES)
        txs.append(
            ledger.post(
                conn, tx_id=ids.new("tx"), kind="miles_earn", currency=ledger.MILES, now_us=now,
                payment_id=payment_id,
                legs=[Leg(issuance, -p.miles_earned), Leg(wallet.miles_account_id, p.miles_earned)], batch=batch,
            )
        )
    batch.flush(conn)
    return [t for t in txs if t]
