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
