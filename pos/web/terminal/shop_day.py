"""The signed-in shop's time zone and business day: reports and lists speak in the shop's local time."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import g

from pos.receipts import COUNTRY_TIME_ZONES
from pos.web.auth import core
from pos.web.terminal.views import bp


def shop_tz() -> str:
    return COUNTRY_TIME_ZONES.get(g.merchant_row.country, "UTC")


def today() -> str:
    """The shop's date now, YYYY-MM-DD (the core's clock, so tests can set it)."""
    now = datetime.fromtimestamp(core().now() / 1_000_000, UTC)
    return now.astimezone(ZoneInfo(shop_tz())).date().isoformat()


@bp.context_processor
def shop_time_zone() -> dict[str, str]:
    return {"shop_tz": shop_tz() if "merchant_row" in g else "UTC"}
