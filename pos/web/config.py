"""Defaults; every key can be set from the environment as QRPOS_<KEY> (JSON-parsed by Flask)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pos.web.errors import ERROR_SCHEMA

DEFAULTS = dict(
    SECRET_KEY=None,  # QRPOS_SECRET_KEY; None: a random key kept in the instance folder (ensure_secret_key)
    SESSION_COOKIE_HTTPONLY=True,  # the terminal pages' signed session cookie
    SESSION_COOKIE_SAMESITE="Lax",
    SESSION_COOKIE_SECURE=False,  # True always; otherwise Secure whenever the request came over HTTPS
    PERMANENT_SESSION_LIFETIME=12 * 3600,  # a till session ends after a shift at the latest
    TERMINAL_IDLE_SECONDS=1800,  # ...and after 30 minutes without a page
    MAX_CONTENT_LENGTH=8 * 1024 * 1024,  # photos uploaded by phones; JSON bodies are bounded far lower
    DATABASE_URL=None,  # QRPOS_DATABASE_URL; None means the core's default (sqlite:///qrpos.db)
    CORE=None,  # tests inject a ready pos.core Core (shared clock and ids)
    # Rate limits (Flask-Limiter). Strings use the `limits` notation; ";" separates several.
    RATELIMIT_ENABLED=True,
    # None: the shop's PostgreSQL database, shared by every process (pos.web.limit_storage); memory:// on SQLite
    RATELIMIT_STORAGE_URI=None,
    RATELIMIT_PER_ADDRESS="100/second;3000/minute",
    RATELIMIT_PER_KEY="50/second;1500/minute",
    RATELIMIT_SIGN_IN="10/minute",
    RATELIMIT_SIGN_IN_PER_WALLET="5/minute",
    # Server-sent events
    SSE_POLL_SECONDS=1.0,
    SSE_KEEPALIVE_SECONDS=15.0,
    SSE_MAX_SECONDS=300.0,
    SSE_RETRY_MS=2000,
    SSE_MAX_PER_CREDENTIAL=8,  # open streams per API key, wallet or till in one process (pos.web.stream_quota)
    # Live status (pos.web.live): wake streams on commits of any process; False: each request + polling
    LIVE_WAKEUPS=True,
    LIVE_SQLITE_CHECK_SECONDS=0.05,  # SQLite: how often the watcher asks PRAGMA data_version (a few µs each)
    LIVE_RECONNECT_MAX_SECONDS=5.0,  # PostgreSQL: the longest wait between LISTEN reconnection attempts
    # OpenAPI document and the offline docs page (APIFlask settings)
    VALIDATION_ERROR_STATUS_CODE=422,
    HTTP_ERROR_SCHEMA=ERROR_SCHEMA,
    VALIDATION_ERROR_SCHEMA=ERROR_SCHEMA,
    AUTO_404_RESPONSE=False,
    AUTO_OPERATION_ID=True,
    SECURITY_SCHEMES={
        "MerchantKey": {"type": "http", "scheme": "bearer",
                        "description": "A merchant's (terminal's) API key, `sk_test_...`."},
        "WalletSession": {"type": "http", "scheme": "bearer",
                          "description": "A wallet session token from POST /api/v1/sessions, `ws_...`."},
    },
    DESCRIPTION=(
        "The qrpos payment API. Money is integer minor units beside an ISO 4217 code. Errors are "
        '`{"error": {"code", "message"}}` with a stable code. Mutating calls take an `Idempotency-Key`. '
        "See docs/api.md for webhooks (signatures, retries) and examples."
    ),
    SWAGGER_UI_CSS="/static/swagger-ui/swagger-ui.css",
    SWAGGER_UI_BUNDLE_JS="/static/swagger-ui/swagger-ui-bundle.js",
    SWAGGER_UI_STANDALONE_PRESET_JS="/static/swagger-ui/swagger-ui-standalone-preset.js",
    DOCS_FAVICON="/static/swagger-ui/favicon-32x32.png",
)


def ensure_secret_key(app) -> None:
    """Sign sessions with QRPOS_SECRET_KEY, else a random key made once in ``instance/secret_key``.

    Under TESTING the key is random per app and never written. The file is made with ``os.link``
    so that several processes starting together all end up with the same key.
    """
    if app.config.get("SECRET_KEY"):
        return
    if app.testing:
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        return
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process won the race: use its key
        finally:
            draft.unlink()
    app.config["SECRET_KEY"] = path.read_text().strip()
