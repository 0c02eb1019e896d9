"""Who is signed in, CSRF tokens, and the pages' answers to refusals, for the terminal blueprint."""

from __future__ import annotations

import hmac
import secrets

from flask import g, redirect, render_template, request, session, url_for

from pos.core import parties
from pos.core.errors import NotFound
from pos.web.auth import core

PUBLIC_ENDPOINTS = {"terminal.login"}
CSRF_FIELD = "csrf_token"


def csrf_token() -> str:
    """This session's token for hidden form fields (made on first use)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _csrf_ok() -> bool:
    expected, sent = session.get("csrf"), request.form.get(CSRF_FIELD, "")
    return bool(expected) and hmac.compare_digest(sent.encode(), expected.encode())


def sign_in(api_key: str) -> None:
    """Check the key with the core, then start a fresh session (a new id against fixation)."""
    who = parties.authenticate_api_key(core(), api_key)
    session.clear()
    session.update(merchant_id=who["merchant_id"], terminal_id=who["terminal_id"], key_id=who["key_id"])


def _load_shop() -> bool:
    """Put the signed-in merchant and terminal rows on ``g``; False when nobody (valid) is signed in."""
    if "merchant_id" not in session:
        return False
    if not parties.api_key_is_active(core(), session.get("key_id", "")):  # rotated since sign-in
        session.clear()
        return False
    try:
        with core().db.read() as conn:
            g.merchant_row, g.terminal_row = parties.shop_rows(conn, session["merchant_id"], session["terminal_id"])
    except NotFound:  # the database was replaced under an old cookie
        session.clear()
        return False
    return True


def init_blueprint(bp) -> None:
    @bp.before_request
    def guard():
        if not _load_shop() and request.endpoint not in PUBLIC_ENDPOINTS:
            return redirect(url_for("terminal.login"))
        if request.method == "POST" and not _csrf_ok():
            message = "This form has expired or did not come from this page. Reload the page and try again."
            return render_template("terminal/refused.html", title="Form expired", message=message), 400
        return None

    @bp.errorhandler(429)
    def too_many(error):
        message = "Too many sign-in attempts from this address. Wait a minute, then try again."
        response = render_template("terminal/refused.html", title="Slow down", message=message)
        return response, 429, {"Retry-After": "60"}

    @bp.errorhandler(NotFound)
    def not_found(error):  # another merchant's endpoint or delivery is simply not there
        message = "There is no such webhook endpoint or delivery for this merchant."
        return render_template("terminal/refused.html", title="Not found", message=message), 404

    @bp.context_processor
    def template_globals():
        return {"csrf_token": csrf_token, "csrf_field": CSRF_FIELD}

    @bp.after_request
    def headers(response):
        response.headers["Cache-Control"] = "no-store"  # a page may show a signing secret
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"
        response.headers["Referrer-Policy"] = "same-origin"
        return response
