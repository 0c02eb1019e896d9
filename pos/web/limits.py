"""Rate limits (Flask-Limiter): per client address on every /api call, per credential (API key or
session token) on the authenticated areas, and a tight one on wallet sign-in against PIN guessing.

Storage is ``QRPOS_RATELIMIT_STORAGE_URI`` when set (``memory://``, ``redis://...``); unset, the counters
live in the shop's PostgreSQL database (:mod:`pos.web.limit_storage`), so that a limit holds across
every ``qrpos serve`` process on it, and in memory (per process) on SQLite.
A refusal is 429 RATE_LIMITED with ``Retry-After``: whole seconds
until the window ends, rounded up, never 0 (Flask-Limiter truncates, and says 0 in a window's last second).
"""

from __future__ import annotations

import hashlib
import math
import time

from flask import current_app, request
from flask_limiter import Limiter

from pos.web.auth import bearer_token


def address_key() -> str:
    return "addr:" + (request.remote_addr or "unknown")


def credential_key() -> str:
    token = bearer_token()
    if token is None:
        return address_key()
    return "cred:" + hashlib.sha256(token.encode()).hexdigest()[:32]  # never keep the secret itself


def wallet_key() -> str:
    body = request.get_json(silent=True)
    wallet = body.get("wallet") if isinstance(body, dict) else None
    return f"wallet:{wallet}" if isinstance(wallet, str) else address_key()


def retry_after_seconds(*, reset_at: float, now: float) -> int:
    """Seconds to wait until ``reset_at``, rounded up and at least 1: an answer of 0 invites a retry at once."""
    return max(1, math.ceil(reset_at - now))


def _whole_retry_after(response):
    """Runs after Flask-Limiter's header hook (registered before it, and Flask runs them in reverse).

    It sets ``Retry-After`` on every answer, truncated; keep it on refusals only: rounded up for a
    breached limit, and the view's own value for any other 429 or 503 (streams, the database).
    """
    if response.status_code not in (429, 503):
        response.headers.pop("Retry-After", None)
        return response
    limit = current_app.extensions["qrpos.limiter"].current_limit if response.status_code == 429 else None
    own = getattr(response, "qrpos_retry_after", None)
    if limit is not None and limit.breached:
        response.headers["Retry-After"] = str(retry_after_seconds(reset_at=limit.window.reset_time, now=time.time()))
    elif own is not None:
        response.headers["Retry-After"] = own
    return response


def _remember_own_retry_after(response):
    """Runs before Flask-Limiter's header hook (registered after it): the view's own ``Retry-After``."""
    response.qrpos_retry_after = response.headers.get("Retry-After")
    return response


def _config(name: str):
    return lambda: current_app.config[name]


def _choose_storage(app) -> None:
    if app.config.get("RATELIMIT_STORAGE_URI"):
        return
    engine = app.extensions["qrpos.core"].db.engine
    if engine.dialect.name == "postgresql" and app.config.get("RATELIMIT_ENABLED", True):
        from pos.web import limit_storage  # registers the storage's scheme with `limits`

        app.config["RATELIMIT_STORAGE_URI"] = limit_storage.SCHEME + "://"
        app.config["RATELIMIT_STORAGE_OPTIONS"] = {**app.config.get("RATELIMIT_STORAGE_OPTIONS", {}), "engine": engine}
    else:
        app.config["RATELIMIT_STORAGE_URI"] = "memory://"


def init_app(app, *, credential_blueprints, sign_in_blueprint) -> Limiter:
    _choose_storage(app)
    app.after_request(_whole_retry_after)
    limiter = Limiter(
        key_func=address_key,
        app=app,
        application_limits=[_config("RATELIMIT_PER_ADDRESS")],  # one counter per address for the whole API
        application_limits_exempt_when=lambda: not request.path.startswith("/api/"),
        headers_enabled=True,
    )
    for blueprint in credential_blueprints:  # one counter per credential across every area
        limiter.shared_limit(_config("RATELIMIT_PER_KEY"), scope="credential", key_func=credential_key)(blueprint)
    limiter.shared_limit(_config("RATELIMIT_SIGN_IN"), scope="sign-in", key_func=address_key,
                         methods=["POST"])(sign_in_blueprint)
    limiter.shared_limit(_config("RATELIMIT_SIGN_IN_PER_WALLET"), scope="sign-in-wallet", key_func=wallet_key,
                         methods=["POST"])(sign_in_blueprint)
    app.after_request(_remember_own_retry_after)
    app.extensions["qrpos.limiter"] = limiter
    return limiter


def limit_page_sign_in(app, endpoint: str) -> None:
    """A sign-in page gets the same per-address limit as wallet sign-in (against key guessing)."""
    limit = app.extensions["qrpos.limiter"].limit(_config("RATELIMIT_SIGN_IN"), key_func=address_key,
                                                  methods=["POST"])
    app.view_functions[endpoint] = limit(app.view_functions[endpoint])
