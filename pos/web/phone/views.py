"""Wallet pages: sign-in and sign-out, home (balance, miles, recent payments), history, receipts."""

from __future__ import annotations

from apiflask import APIBlueprint
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from pos.core import parties, payments, reports
from pos.core.errors import InvalidInput, QrposError, Unauthorized, WalletLocked
from pos.receipts import COUNTRY_TIME_ZONES, receipt_for
from pos.web import home as landing
from pos.web import receipt_views
from pos.web.auth import core
from pos.web.phone import guard, messages

# an APIBlueprint only so that APIFlask leaves it out of the OpenAPI document (pages, not API)
bp = APIBlueprint("phone", __name__, url_prefix="/wallet", enable_openapi=False)
guard.init_blueprint(bp)
messages.init_blueprint(bp)
RECENT = 5
HISTORY_PAGE = 20


@bp.context_processor
def shop_time_zones():
    return {"zones": COUNTRY_TIME_ZONES}  # a payment's time as the shop's clock showed it


def _demo_wallets() -> list[dict]:
    return landing.directory()[1]


def _login_page(status: int = 200, **extra):
    return render_template("phone/login.html", demo=_demo_wallets(), **extra), status


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        if "wallet" in g:
            return redirect(url_for(".home"))
        return _login_page()
    wallet_id = request.form.get("wallet", "").strip() or request.form.get("pick", "").strip()
    pin = request.form.get("pin", "").strip()
    try:
        guard.sign_in(wallet_id, pin)
    except WalletLocked as locked:
        minutes = -(-locked.retry_after // 60)
        error = _("Too many wrong PINs: this wallet is locked. Try again in %(minutes)s min.", minutes=minutes)
        page, status = _login_page(429, error=error, wallet=wallet_id)
        return page, status, {"Retry-After": str(locked.retry_after)}
    except (Unauthorized, InvalidInput):
        return _login_page(401, error=_("That wallet id or PIN is not right."), wallet=wallet_id)
    target = request.args.get("next", "")
    return redirect(target if target.startswith("/wallet/") and "//" not in target else url_for(".home"), 303)


@bp.post("/logout")
def logout():
    guard.sign_out()
    flash(_("Signed out."))
    return redirect(url_for(".login"), 303)


@bp.get("/")
def home():
    summary = parties.wallet_summary(core(), g.wallet["id"])
    recent = reports.list_payments(core(), wallet_id=g.wallet["id"], limit=RECENT)
    return render_template("phone/home.html", w=summary, recent=recent["data"], more=recent["has_more"])


@bp.get("/history")
def history():
    after = request.args.get("after") or None
    try:
        found = reports.list_payments(core(), wallet_id=g.wallet["id"], limit=HISTORY_PAGE, starting_after=after)
    except QrposError:  # a cursor that is not one of this wallet's payments: start at the top
        return redirect(url_for(".history"))
    return render_template("phone/history.html", payments=found["data"], next_cursor=found["next_cursor"])


def _receipt(payment_id: str):
    payments.get_payment(core(), payment_id, wallet_id=g.wallet["id"])  # 404 unless it is this wallet's
    return receipt_for(core(), payment_id, url=url_for("phone.receipt", payment_id=payment_id, _external=True))


@bp.get("/payments/<id:payment_id>")
def receipt(payment_id: str):
    r = _receipt(payment_id)
    rate = receipt_views.rate_text(r)
    return render_template("phone/receipt.html", r=r, rate=rate)


@bp.get("/payments/<id:payment_id>/receipt.pdf")
def receipt_pdf(payment_id: str):
    return receipt_views.pdf_response(_receipt(payment_id))
