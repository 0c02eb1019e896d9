"""The UI's language and formats: English, Japanese, Simplified Chinese.

The language comes from ``?lang=`` (remembered in the session), else the browser's Accept-Language,
else English. Amounts and dates are formatted by Babel for that locale; templates use the ``money``
and ``when`` filters and never format numbers themselves.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import request, session
from flask_babel import get_locale

from pos.core.money import Money

# each language named in its own script, for the switch
LANGUAGES = {"en": "English", "ja": "日本語", "zh_Hans": "简体中文"}
DEFAULT = "en"
_ALIASES = {"zh": "zh_Hans", "zh_CN": "zh_Hans", "zh_Hans_CN": "zh_Hans", "zh-CN": "zh_Hans", "zh-Hans": "zh_Hans",
            "ja_JP": "ja", "ja-JP": "ja", "en_US": "en", "en-US": "en", "en_GB": "en"}
# the receipt, catalogue and name fields use short keys
CONTENT_KEY = {"en": "en", "ja": "ja", "zh_Hans": "zh"}
# Babel locale for money: en_US tells ¥ (JPY) from CN¥ (CNY); zh_Hans_CN shows JP¥ and ¥
MONEY_LOCALE = {"en": "en_US", "ja": "ja_JP", "zh_Hans": "zh_Hans_CN"}


def normalise(code: str | None) -> str | None:
    if not code:
        return None
    code = _ALIASES.get(code, code)
    return code if code in LANGUAGES else None


def select_locale() -> str:
    chosen = normalise(request.args.get("lang"))
    if chosen:
        session["lang"] = chosen
        return chosen
    remembered = normalise(session.get("lang"))
    if remembered:
        return remembered
    best = request.accept_languages.best_match(["en", "ja", "zh", "zh-CN", "zh-Hans"], default=DEFAULT)
    return normalise(best) or DEFAULT


def current() -> str:
    return normalise(str(get_locale())) or DEFAULT


def money(amount: int | None, currency: str | None) -> str:
    if amount is None or currency is None:
        return ""
    if currency == "MILES":
        return f"{amount:,}"
    return Money(int(amount), currency).format(MONEY_LOCALE[current()])


def when(us: int | str | None, tz: str = "UTC", fmt: str = "medium") -> str:
    """A microsecond timestamp (or ISO text) in the shop's time zone, in the UI's language."""
    if us is None:
        return ""
    moment = datetime.fromisoformat(us.replace("Z", "+00:00")) if isinstance(us, str) else \
        datetime.fromtimestamp(us / 1_000_000, UTC)
    return format_datetime(moment.astimezone(ZoneInfo(tz)), fmt, locale=MONEY_LOCALE[current()])


def pick(names: dict | None, fallback: str = "") -> str:
    """The name in the UI's language from a {"en", "ja", "zh"} mapping."""
    if not names:
        return fallback
    return names.get(CONTENT_KEY[current()]) or names.get("en") or next(iter(names.values()), fallback)


def init_app(app) -> None:
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["pick"] = pick

    @app.context_processor
    def language_globals():
        return {"languages": LANGUAGES, "lang": current(), "content_key": CONTENT_KEY[current()]}
