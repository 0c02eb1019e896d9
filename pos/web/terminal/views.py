"""Terminal pages: staff sign-in and sign-out, and the manager's till settings (webhooks)."""

from __future__ import annotations

from apiflask import APIBlueprint
from flask import flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from pydantic import ValidationError
from sqlalchemy import select

from pos.core.errors import InvalidInput, StaffLocked, Unauthorized
from pos.core.platform import webhooks
from pos.core.store.schema import merchants, terminals
from pos.web.auth import core
from pos.web.schemas import CreateWebhookEndpoint
from pos.web.terminal import guard

# an APIBlueprint only so that APIFlask leaves it out of the OpenAPI document (pages, not API)
bp = APIBlueprint("terminal", __name__, url_prefix="/terminal", enable_openapi=False)
guard.init_blueprint(bp)
RECENT_DELIVERIES = 20


def _tills() -> list[dict]:
    with core().db.read() as conn:
        rows = conn.execute(
            select(terminals.c.id, terminals.c.label, merchants.c.name, merchants.c.name_local)
            .join(merchants, merchants.c.id == terminals.c.merchant_id).order_by(merchants.c.created_at, terminals.c.id)
        ).all()
    return [{"id": r.id, "label": r.label, "shop": r.name, "shop_local": r.name_local} for r in rows]


@bp.get("/")
def index():
    return redirect(url_for(".checkout"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        if "merchant_row" in g:
            return redirect(url_for(".checkout"))
        return render_template("terminal/login.html", tills=_tills(), chosen=session.get("last_terminal"))
    till, who, pin = (request.form.get(k, "").strip() for k in ("terminal", "staff", "pin"))
    try:
        guard.sign_in(till, who, pin)
    except StaffLocked as locked:
        error = _("Too many wrong PINs for this name. Try again in %(seconds)s seconds, or ask a manager.",
                  seconds=locked.retry_after)
        page = render_template("terminal/login.html", tills=_tills(), chosen=till, staff=who, error=error)
        return page, 429, {"Retry-After": str(locked.retry_after)}
    except (Unauthorized, InvalidInput, LookupError):
        error = _("That name or PIN is not right for this till.")
        return render_template("terminal/login.html", tills=_tills(), chosen=till, staff=who, error=error), 401
    session["last_terminal"] = till
    target = request.args.get("next", "")
    return redirect(target if target.startswith("/terminal/") else url_for(".checkout"), 303)


@bp.post("/logout")
def logout():
    till = session.get("terminal_id")
    guard.sign_out()
    session["last_terminal"] = till
    flash(_("Signed out."))
    return redirect(url_for(".login"), 303)


def _see_settings():
    """After a POST: 303, so that reloading the page shows it again rather than posting twice."""
    return redirect(url_for(".webhook_settings"), 303)


def _settings_page(status: int = 200, **extra):
    guard.require_manager()
    merchant_id = session["merchant_id"]
    extra.setdefault("created", session.pop("new_endpoint", None))
    endpoints = webhooks.list_endpoints(core(), merchant_id=merchant_id)
    deliveries = webhooks.list_deliveries(core(), merchant_id=merchant_id, limit=RECENT_DELIVERIES)
    urls = {e["id"]: e["url"] for e in endpoints}
    from pos.web.terminal.shop_day import shop_tz  # shop_day registers on this module's blueprint

    page = render_template("terminal/webhooks.html", endpoints=endpoints, deliveries=deliveries, urls=urls,
                           shop_tz=shop_tz(), **extra)
    return page, status


@bp.get("/settings/webhooks")
def webhook_settings():
    return _settings_page()


@bp.post("/settings/webhooks")
def add_endpoint():
    guard.require_manager()
    url = request.form.get("url", "").strip()
    try:
        CreateWebhookEndpoint(url=url)  # the API's own checks, then the core's
        created = webhooks.register_endpoint(core(), merchant_id=session["merchant_id"], url=url)
    except (ValidationError, InvalidInput):
        error = _("Enter an absolute http:// or https:// URL of at most 500 characters, without spaces.")
        return _settings_page(422, error=error, url=url)
    # the secret rides the signed, HttpOnly cookie to the very next page, which drops it: shown once
    session["new_endpoint"] = {key: created[key] for key in ("id", "url", "secret")}
    return _see_settings()


@bp.post("/settings/webhooks/<id:endpoint_id>/disable")
def disable_endpoint(endpoint_id: str):
    guard.require_manager()
    endpoint = webhooks.disable_endpoint(core(), merchant_id=session["merchant_id"], endpoint_id=endpoint_id)
    flash(_("Disabled %(url)s: no new events will be sent to it.", url=endpoint["url"]))
    return _see_settings()


@bp.post("/settings/webhooks/deliveries/<id:delivery_id>/resend")
def resend_delivery(delivery_id: str):
    guard.require_manager()
    delivery = webhooks.resend(core(), merchant_id=session["merchant_id"], delivery_id=delivery_id)
    flash(_("Delivery %(id)s is queued to be sent again now.", id=delivery["id"]))
    return _see_settings()
