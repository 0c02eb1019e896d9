import iso4217
import pytest

from pos.core.errors import CurrencyMismatch, InvalidAmount, UnsupportedCurrency
from pos.core.money import CURRENCIES, Money


@pytest.mark.parametrize("code", sorted(CURRENCIES))
def test_pinned_exponents_and_numeric_codes_match_iso_4217(code):
    iso = getattr(iso4217.Currency, code.lower())
    numeric, exp = CURRENCIES[code]
    assert exp == iso.exponent
    assert int(numeric) == iso.number


def test_adding_two_currencies_raises():
    with pytest.raises(CurrencyMismatch):
        Money(100, "JPY") + Money(100, "CNY")


def test_comparing_two_currencies_raises():
    with pytest.raises(CurrencyMismatch):
        assert Money(100, "JPY") < Money(100, "CNY")


def test_floats_are_refused():
    with pytest.raises(InvalidAmount):
        Money(1.5, "JPY")


def test_unknown_currency_is_refused():
    with pytest.raises(UnsupportedCurrency):
        Money(1, "XYZ")


@pytest.mark.parametrize(
    "text,currency,minor",
    [("1200", "JPY", 1200), ("12.50", "CNY", 1250), ("0.01", "USD", 1), ("3", "CNY", 300)],
)
def test_parse_is_exact(text, currency, minor):
    assert Money.parse(text, currency) == Money(minor, currency)


@pytest.mark.parametrize("text,currency", [("0.5", "JPY"), ("1.001", "CNY"), ("abc", "USD"), ("nan", "USD")])
def test_parse_refuses_what_the_currency_cannot_hold(text, currency):
    with pytest.raises(InvalidAmount):
        Money.parse(text, currency)


def test_emv_amount_writes_the_currency_decimals():
    assert Money(1200, "JPY").emv_amount() == "1200"
    assert Money(8880, "CNY").emv_amount() == "88.80"
    assert Money(5, "USD").emv_amount() == "0.05"


def test_format_goes_through_babel_in_the_viewers_locale():
    assert Money(1200, "JPY").format("en_US") == "¥1,200"
    assert Money(8880, "CNY").format("zh_Hans_CN") == "¥88.80"
    assert Money(1250, "USD").format("en_US") == "$12.50"
