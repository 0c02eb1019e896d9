"""A report as CSV (one figure per row, for spreadsheets) and as short lines of text (for a terminal).

Amounts are written in major units with the currency's own decimals (``12.50`` USD, ``1200`` JPY),
never through floats; miles are a count. The till's CSV download and ``qrpos report daily --csv``
are this same function, so the two cannot drift apart.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from pos.core.money import amount_text, exponent
from pos.core.shapes import View

MILES = "MILES"
HEADER = ("section", "figure", "currency", "count", "amount")


def _major(amount: int, currency: str) -> str:
    return str(amount) if currency == MILES else amount_text(amount, exponent(currency))


def figures(view: View) -> list[tuple[str, str, str, int | str, str]]:
    """(section, figure, currency, count, amount) rows: totals, funding, payer currencies, miles, hours, tills."""
    report: dict[str, Any] = view
    cur = str(report["currency"])
    pays, refs, miles = report["payments"], report["refunds"], report["miles"]

    def money(section: str, name: str, amount: int, count: int | str = "",
              currency: str = cur) -> tuple[str, str, str, int | str, str]:
        return section, name, currency, count, _major(amount, currency)

    rows = [
        money("totals", "gross", pays["gross"], pays["count"]),
        money("totals", "refunds", refs["amount"], refs["count"]),
        money("totals", "fees", int(report["fees"])),
        money("totals", "net", int(report["net"])),
        money("funding", "cash", pays["cash"]),
        money("funding", "miles", pays["miles"]),
        money("funding", "refunded_cash", refs["cash"]),
        money("funding", "refunded_miles", refs["miles"]),
    ]
    for payer in report["by_currency"]:
        rows.append(money("payer_currency", "charged", payer["charged"], payer["payments"], payer["currency"]))
        rows.append(money("payer_currency", "refunded", payer["refunded"], "", payer["currency"]))
    for name in ("used", "returned", "earned", "clawed_back", "issued"):
        rows.append(money("miles", name, miles[name], "", MILES))
    for hour in report["hours"]:
        if hour["count"]:
            rows.append(money("hour", f"{hour['hour']:02d}:00", hour["gross"], hour["count"]))
    for till in report["tills"]:
        rows.append(money("till", f"{till['label']} ({till['terminal_id']})", till["gross"], till["payments"]))
    return rows


def to_csv(report: View) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(figures(report))
    return out.getvalue()


def to_text(view: View, title: str) -> str:
    """A few readable lines: the title, then totals, funding, payer currencies and miles."""
    report: dict[str, Any] = view
    cur = str(report["currency"])
    pays, refs, miles = report["payments"], report["refunds"], report["miles"]
    charged = ", ".join(f"{_major(p['charged'], p['currency'])} {p['currency']} ({p['payments']})"
                        for p in report["by_currency"]) or "-"
    return "\n".join([
        title,
        f"payments {pays['count']}  gross {_major(pays['gross'], cur)} {cur}  refunds {refs['count']} "
        f"{_major(refs['amount'], cur)} {cur}  fees {_major(int(report['fees']), cur)} {cur}  "
        f"net {_major(int(report['net']), cur)} {cur}",
        f"funding: cash {_major(pays['cash'], cur)} {cur}, miles {pays['miles']}",
        f"charged to wallets: {charged}",
        f"miles: earned {miles['earned']}, clawed back {miles['clawed_back']}, issued {miles['issued']}",
    ])
