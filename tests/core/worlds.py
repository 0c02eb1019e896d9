"""Small worlds for core tests: a ramen shop in Tokyo, a Japanese and a Chinese wallet."""

from __future__ import annotations

from pos.core import parties, payments


def ramen_shop(core, **overrides):
    options = dict(
        name="Shibuya Ramen", name_local="渋谷ラーメン", language="ja", mcc="5812", country="JP", city="Tokyo",
        city_local="東京", postal_code="1500002", currency="JPY", miles_earn_per=200,
    )
    options.update(overrides)
    return parties.create_merchant(core, **options)


def yen_wallet(core, balance=10_000, miles=0):
    return parties.create_wallet(core, owner="Hanako", currency="JPY", pin="1234", balance=balance, miles=miles)


def yuan_wallet(core, balance=100_000, miles=0):
    """A tourist from China: 1,000.00 CNY."""
    return parties.create_wallet(core, owner="Li Wei", currency="CNY", pin="8888", balance=balance, miles=miles)


def jpy_cny_rate(core, rate="0.0482", spread_bp=150):
    return payments.set_rate(core, base="JPY", quote="CNY", rate=rate, spread_bp=spread_bp)


def rich_broke_and_requests(core, requests=3):
    """For nesting tests: a JPY wallet that can pay, one that cannot (100 JPY), ``requests`` open 1,000 JPY
    requests at the ramen shop: ``(rich, broke, [request, ...])``."""
    shop = ramen_shop(core)
    rich = parties.create_wallet(core, owner="Rich", currency="JPY", pin="1234", balance=10_000)["wallet_id"]
    broke = parties.create_wallet(core, owner="Broke", currency="JPY", pin="1234", balance=100)["wallet_id"]
    reqs = [payments.create_request(core, merchant_id=shop["merchant_id"], terminal_id=shop["terminal_id"],
                                    amount=1000, currency="JPY") for _ in range(requests)]
    return rich, broke, reqs


def balance(core, wallet):
    """A wallet's balance in minor units."""
    return parties.wallet_summary(core, wallet)["balance"]["amount"]
