"""Terminal pages: sign in and out, and the webhook settings (endpoints, deliveries, resend)."""

from __future__ import annotations

from apiflask import APIBlueprint
from flask import flash, g, redirect, render_template, request, session, url_for
from pydantic import ValidationError

from pos.core.errors import InvalidInput, Unauthorized
from pos.core.platform import webhooks
from pos.web.auth import core
from pos.web.schemas import CreateWebhookEndpoint
from pos.web.terminal import guard
from pos.web.terminal.guard import sign_in

# an APIBlueprint only so that APIFlask leaves it out of the OpenAPI document (pages, not API)
bp = APIBlueprint("terminal", __name__, url_prefix="/terminal", enable_openapi=False)
guard.init_blueprint(bp)
RECENT_DELIVERIES = 20


@bp.get("/")
def index():
    return redirect(url_for(".webhook_settings"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return redirect(url_for(".webhook_settings")) if "merchant_row" in g else render_template("terminal/login.html")
    try:
        sign_in(request.form.get("api_key", "").strip())
    except Unauthorized:
        error = "That API key is not valid. Paste the merchant's sk_test_... key exactly as it was issued."
        return render_template("terminal/login.html", error=error), 401
    return _see_settings()


@bp.post("/logout")
def logout():
    session.clear()
    flash("Signed out.")
    return redirect(url_for(".login"), 303)


def _see_settings():
    """After a POST: 303, so that reloading the page shows it again rather than posting twice."""
    return redirect(url_for(".webhook_settings"), 303)


def _settings_page(status: int = 200, **extra):
    merchant_id = session["merchant_id"]
    extra.setdefault("created", session.pop("new_endpoint", None))
    endpoints = webhooks.list_endpoints(core(), merchant_id=merchant_id)
    deliveries = webhooks.list_deliveries(core(), merchant_id=merchant_id, limit=RECENT_DELIVERIES)
    urls = {e["id"]: e["url"] for e in endpoints}
    page = render_template("terminal/webhooks.html", endpoints=endpoints, deliveries=deliveries, urls=urls, **extra)
    return page, status


@bp.get("/settings/webhooks")
def webhook_settings():
    return _settings_page()


@bp.post("/settings/webhooks")
def add_endpoint():
    url = request.form.get("url", "").strip()
    try:
        CreateWebhookEndpoint(url=url)  # the API's own checks, then the core's
        created = webhooks.register_endpoint(core(), merchant_id=session["merchant_id"], url=url)
    except (ValidationError, InvalidInput):
        error = "Enter an absolute http:// or https:// URL of at most 500 characters, without spaces."
        return _settings_page(422, error=error, url=url)
    # the secret rides the signed, HttpOnly cookie to the very next page, which drops it: shown once, and
    # a reload of that page cannot post the form again (a second endpoint)
    session["new_endpoint"] = {key: created[key] for key in ("id", "url", "secret")}
    return _see_settings()


@bp.post("/settings/webhooks/<id:endpoint_id>/disable")
def disable_endpoint(endpoint_id: str):
    endpoint = webhooks.disable_endpoint(core(), merchant_id=session["merchant_id"], endpoint_id=endpoint_id)
    flash(f"Disabled {endpoint['url']}: no new events will be sent to it.")
    return _see_settings()


@bp.post("/settings/webhooks/deliveries/<id:delivery_id>/resend")
def resend_delivery(delivery_id: str):
    delivery = webhooks.resend(core(), merchant_id=session["merchant_id"], delivery_id=delivery_id)
    flash(f"Delivery {delivery['id']} of event {delivery['event_id']} is queued to be sent again now.")
    return _see_settings()
