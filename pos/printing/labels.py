"""What the PDFs say, in English, Japanese and Simplified Chinese, and how they write amounts and times.

The label table lives here (not in the web's gettext catalogues) because PDFs are also made by the CLI,
without Flask. Amounts go through :meth:`pos.core.money.Money.format` (Babel); times are shown in the
shop's time zone with the zone's localized name.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime
from babel.numbers import format_decimal

from pos.core.money import Money
from pos.printing.errors import PrintingError, UnsupportedLanguage

LANGUAGES = ("en", "ja", "zh")

#: Babel locale per language; en_US tells ¥ (JPY) from CN¥ (CNY), zh is Simplified Chinese.
LOCALES = {"en": "en_US", "ja": "ja_JP", "zh": "zh_Hans_CN"}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "receipt": "Receipt", "amount": "Amount", "total": "Total", "charged": "Charged to your wallet",
        "rate": "Rate", "miles_used": "Paid with miles", "miles_earned": "Miles earned", "miles": "miles",
        "refund": "Refund", "refunded": "Refunded in total", "net": "Total after refunds",
        "payment_id": "Payment", "reference": "Reference", "view_online": "This receipt online",
        "thanks": "Thank you!", "colon": ": ",
        "scan_to_pay": "Scan to pay", "enter_amount": "Enter the amount in your wallet",
    },
    "ja": {
        "receipt": "領収書", "amount": "お買上げ金額", "total": "合計", "charged": "ウォレットへのご請求",
        "rate": "換算レート", "miles_used": "マイルでのお支払い", "miles_earned": "獲得マイル", "miles": "マイル",
        "refund": "返金", "refunded": "返金合計", "net": "返金後の合計",
        "payment_id": "決済番号", "reference": "参照番号", "view_online": "この領収書をオンラインで表示",
        "thanks": "ありがとうございました", "colon": "：",
        "scan_to_pay": "スキャンしてお支払い", "enter_amount": "金額はウォレットで入力してください",
    },
    "zh": {
        "receipt": "收据", "amount": "金额", "total": "合计", "charged": "钱包扣款",
        "rate": "汇率", "miles_used": "里程抵扣", "miles_earned": "获得里程", "miles": "里程",
        "refund": "退款", "refunded": "已退款合计", "net": "退款后合计",
        "payment_id": "支付编号", "reference": "参考号", "view_online": "扫码查看电子收据",
        "thanks": "谢谢惠顾", "colon": "：",
        "scan_to_pay": "扫码支付", "enter_amount": "请在钱包中输入金额",
    },
}


def language(lang: str) -> str:
    """``en``, ``ja`` or ``zh`` from a language tag such as ``ja_JP``, ``zh-Hans`` or ``zh_Hans_CN``.

    :raises UnsupportedLanguage: for any other language.
    """
    base = str(lang).replace("-", "_").split("_")[0].lower()
    if base not in LANGUAGES:
        raise UnsupportedLanguage(f"PDFs are printed in en, ja or zh, not {lang!r}")
    return base


def label(lang: str, key: str) -> str:
    """One label in ``lang`` (see :data:`LABELS`)."""
    return LABELS[language(lang)][key]


def money(amount: Money, lang: str) -> str:
    """An amount as people in ``lang`` write it: ¥1,280 / ￥1,280 / JP¥1,280."""
    return amount.format(LOCALES[language(lang)])


def rate(value: Fraction | Decimal | str, base: str, quote: str, lang: str) -> str:
    """A conversion rate for people: ``1 JPY = 0.048923 CNY`` (six significant digits, the locale's digits)."""
    exact = Fraction(value) if not isinstance(value, Fraction) else value
    shown = (Decimal(exact.numerator) / Decimal(exact.denominator)).normalize()
    shown = Decimal(f"{shown:.6g}")
    return f"1 {base} = {format_decimal(shown, locale=LOCALES[language(lang)], decimal_quantization=False)} {quote}"


def when(moment: datetime, time_zone: str, lang: str, *, short: bool = False) -> str:
    """A moment in the shop's time zone: ``Jan 5, 2026, 12:34:00 PM Japan Standard Time``, or with
    ``short`` only ``1/5/26, 12:34 PM``.

    :raises PrintingError: for a naive datetime or an unknown time zone.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise PrintingError("a receipt's time must carry its time zone (an aware datetime)")
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise PrintingError(f"unknown time zone {time_zone!r}") from None
    locale = LOCALES[language(lang)]
    if short:
        return format_datetime(moment, "short", tzinfo=zone, locale=locale)
    return f"{format_datetime(moment, 'medium', tzinfo=zone, locale=locale)} " \
           f"{format_datetime(moment, 'zzzz', tzinfo=zone, locale=locale)}"


def count(number: int, lang: str) -> str:
    """A whole number with the locale's grouping: 12,000."""
    return format_decimal(number, locale=LOCALES[language(lang)])
