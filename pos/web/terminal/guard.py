"""Who is at the till: a member of staff signed in to one terminal, in a session that ends.

The session cookie (signed, HttpOnly, SameSite=Lax, Secure over HTTPS) holds the merchant, terminal
and staff ids, the role, and when the page was last used: it ends after ``TERMINAL_IDLE_SECONDS``
idle and after ``PERMANENT_SESSION_LIFETIME`` at the latest. CSRF is Flask-WTF's (pos.web.extensions).
"""

from __future__ import annotations

import time

from flask import abort, current_app, g, redirect, request, session, url_for

from pos.core import parties
from pos.core.errors import NotFound
from pos.core.parties import staff as staff_rules
from pos.web.auth import core

PUBLIC_ENDPOINTS = {"terminal.login"}


def sign_in(terminal_id: str, who: str, pin: str) -> staff_rules.StaffMember:
    """Check the PIN with the core, then start a fresh session (a new cookie against fixation)."""
    member = staff_rules.sign_in(core(), terminal_id=terminal_id, who=who, pin=pin)
    lang = session.get("lang")
    session.clear()
    session.permanent = True
    session.update(merchant_id=member.merchant_id, terminal_id=terminal_id, staff_id=member.id,
                   staff_name=member.name, role=member.role, seen=int(time.time()))
    if lang:
        session["lang"] = lang
    return member


def sign_out() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def _load_till() -> bool:
    """Put the signed-in merchant, terminal and staff on ``g``; False when nobody (valid) is signed in."""
    if "staff_id" not in session:
        return False
    idle = int(time.time()) - int(session.get("seen", 0))
    if idle > int(current_app.config["TERMINAL_IDLE_SECONDS"]):
        sign_out()
        return False
    try:
        with core().db.read() as conn:
            g.merchant_row, g.terminal_row = parties.shop_rows(conn, session["merchant_id"], session["terminal_id"])
    except NotFound:  # the database was replaced under an old cookie
        sign_out()
        return False
    g.staff = {"id": session["staff_id"], "name": session.get("staff_name"), "role": session.get("role")}
    if request.endpoint not in ("terminal.events", "terminal.display_events"):
        session["seen"] = int(time.time())  # a stream open for hours is not "using the till"
    return True


def require_manager() -> None:
    if g.staff["role"] != "manager":
        abort(403)


def init_blueprint(bp) -> None:
    @bp.before_request
    def guard():
        if not _load_till() and request.endpoint not in PUBLIC_ENDPOINTS:
            if request.accept_mimetypes.best == "application/json" or request.path.endswith("/events"):
                abort(401)
            return redirect(url_for("terminal.login", next=request.path))
        return None

    @bp.after_request
    def no_store(response):
        response.headers["Cache-Control"] = "no-store"  # pages may show a signing secret or a receipt
        return response
