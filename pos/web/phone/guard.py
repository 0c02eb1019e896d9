"""Who holds the phone: a wallet signed in with its PIN, in a session that ends.

The wallet's part of the signed, HttpOnly session cookie is one key, ``wallet`` (id, owner, currency,
when signed in, when last used), beside the till's keys, so one browser can be a till and a wallet at
once (the presenter shows both). It ends after ``WALLET_IDLE_SECONDS`` without a page and after
``WALLET_MAX_SECONDS`` in all. Wrong PINs lock the wallet in the core (pos.core.parties.wallet_lock).
"""

from __future__ import annotations

import time

from flask import abort, current_app, g, redirect, request, session, url_for

from pos.core import parties
from pos.core.errors import NotFound
from pos.core.parties import wallet_lock
from pos.web.auth import core

PUBLIC_ENDPOINTS = {"phone.login"}
QUIET_ENDPOINTS = {"phone.code_events"}  # a stream left open is not "using the wallet"


def sign_in(wallet_id: str, pin: str) -> dict:
    """Check the PIN with the core (it counts wrong ones and locks), then remember the wallet."""
    wallet_lock.authenticate(core(), wallet_id, pin)
    summary = parties.wallet_summary(core(), wallet_id)
    now = int(time.time())
    session.permanent = True
    session["wallet"] = {"id": wallet_id, "owner": summary["owner"], "currency": summary["currency"],
                         "since": now, "seen": now}
    return summary


def sign_out() -> None:
    session.pop("wallet", None)


def _load_wallet() -> bool:
    """Put the signed-in wallet on ``g.wallet``; False when none is (still) signed in."""
    wallet = session.get("wallet")
    if not isinstance(wallet, dict) or "id" not in wallet:
        return False
    now, cfg = int(time.time()), current_app.config
    if now - int(wallet.get("seen", 0)) > int(cfg["WALLET_IDLE_SECONDS"]) or \
            now - int(wallet.get("since", 0)) > int(cfg["WALLET_MAX_SECONDS"]):
        sign_out()
        return False
    try:
        with core().db.read() as conn:
            parties.get_wallet_row(conn, wallet["id"])
    except NotFound:  # the database was replaced under an old cookie
        sign_out()
        return False
    g.wallet = wallet
    if request.endpoint not in QUIET_ENDPOINTS:
        session["wallet"] = {**wallet, "seen": now}
    return True


def init_blueprint(bp) -> None:
    @bp.before_request
    def guard():
        if not _load_wallet() and request.endpoint not in PUBLIC_ENDPOINTS:
            if request.method != "GET" or request.accept_mimetypes.best == "application/json" \
                    or request.path.endswith("/events"):
                abort(401)
            return redirect(url_for("phone.login", next=request.path))
        return None

    @bp.after_request
    def no_store(response):
        response.headers["Cache-Control"] = "no-store"  # balances, receipts, one-time codes
        return response
