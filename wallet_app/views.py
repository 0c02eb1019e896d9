"""What the wallet prints: scans, quotes, payments, balance, history, in the chosen locale (Babel)."""

from __future__ import annotations

from pos.core.money import Money

LOCALES = {"en": "en_US", "ja": "ja_JP", "zh": "zh_CN"}  # en_US tells ¥ (JPY) from CN¥ (CNY)


def money(amount: dict, locale: str) -> str:
    """An API money object ``{"amount", "currency"}`` for people."""
    return Money(amount["amount"], amount["currency"]).format(locale)


def both_scripts(latin: str, local: str | None) -> str:
    return f"{latin} / {local}" if local and local != latin else latin


def payee_line(payee: dict) -> str:
    place = both_scripts(payee["city"], payee.get("city_local"))
    return f"{both_scripts(payee['name'], payee.get('name_local'))}, {place} ({payee['country']})"


def scan_lines(scan: dict, locale: str) -> list[str]:
    """The payee in both scripts, the price in the merchant's currency and the quote in the wallet's."""
    lines = [payee_line(scan["payee"])]
    if scan["amount"] is None:
        lines.append(f"Amount: you enter it in {scan['currency']} (a static code: pass --amount)")
        return lines
    price = money({"amount": scan["amount"], "currency": scan["currency"]}, locale)
    lines.append(f"Amount: {price}  (request {scan['id']}, {scan['status']}, expires {scan['expires_at']})")
    quote = scan.get("quote")
    if quote:
        pay, base = quote["pay"]["currency"], quote["price"]["currency"]
        lines.append(f"You pay: {money(quote['pay'], locale)} at {quote['rate']} {pay}/{base} "
                     f"incl. {quote['spread_bp'] / 100:.2f}% spread, quote valid until {quote['expires_at']}")
    return lines


def payment_line(payment: dict, locale: str) -> str:
    paid = money(payment["charged"], locale)
    if payment["miles_used"]:
        paid += f" and {payment['miles_used']} miles"
    price = money({"amount": payment["amount"], "currency": payment["currency"]}, locale)
    return f"Paid {payment['id']}: {paid} for {price}; {payment['miles_earned']} miles earned."


def wallet_line(wallet: dict, locale: str) -> str:
    return f"{wallet['owner']} ({wallet['id']}): {money(wallet['balance'], locale)}, {wallet['miles']} miles"


def history_lines(page: dict, locale: str) -> list[str]:
    if not page["data"]:
        return ["No payments yet."]
    return [
        f"{p['created_at']}  {p['id']}  {both_scripts(p['payee']['name'], p['payee'].get('name_local'))}  "
        f"{money({'amount': p['amount'], 'currency': p['currency']}, locale)}  "
        f"charged {money(p['charged'], locale)}  {p['status']}"
        for p in page["data"]
    ]
