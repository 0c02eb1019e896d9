"""Refunds at the till, each authorised by a manager's PIN typed on the till.

Whoever is signed in opens the refund form from the receipt; a manager types their name and PIN
(checked by the core with the same lock-out as sign-in) and the refund is recorded with who approved
it. The form carries an idempotency key made when it was drawn, so a double tap or a reload after
posting cannot refund twice. Refusals (above what is left, a wrong PIN, not a manager, locked out)
redraw the form with a message in the UI's language and change nothing.
"""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from pos.core import payments
from pos.core.errors import InvalidInput, QrposError, StaffLocked, Unauthorized
from pos.core.money import exponent
from pos.core.parties import staff as staff_rules
from pos.core.reports.transactions import refund_approvals
from pos.web import i18n
from pos.web.auth import core
from pos.web.page_errors import MESSAGES
from pos.web.terminal.views import bp

MAX_AMOUNT_TEXT = 20


class Refused(Exception):
    """A refusal to show on the form: the translated text and the page's status."""

    def __init__(self, message: str, status: int, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.message, self.status, self.headers = message, status, headers or {}


def parse_amount(text: str, currency: str) -> int:
    """Typed major units ("450", "12.50") as minor units; refuses fractions the currency cannot hold."""
    text = text.strip().replace(",", "")
    try:
        value = Decimal(text) if 0 < len(text) <= MAX_AMOUNT_TEXT else None
    except InvalidOperation:
        value = None
    minor = value.scaleb(exponent(currency)) if value is not None and value.is_finite() else None
    if minor is None or minor != minor.to_integral_value() or minor <= 0:
        raise Refused(_("Enter an amount above zero, like %(example)s.", example=i18n.money(450, currency)), 422)
    return int(minor)


def manager_approval(form) -> staff_rules.StaffMember:
    """The manager whose name and PIN were typed on the form, or a Refused with the reason."""
    try:
        return staff_rules.sign_in(core(), terminal_id=session["terminal_id"], who=form.get("manager", ""),
                                   pin=form.get("manager_pin", ""), role="manager")
    except StaffLocked as locked:
        message = _("Too many wrong PINs for this name. Try again in %(seconds)s seconds.", seconds=locked.retry_after)
        raise Refused(message, 429, {"Retry-After": str(locked.retry_after)}) from None
    except (Unauthorized, InvalidInput) as refused:
        if refused.code == "NOT_A_MANAGER":
            raise Refused(str(MESSAGES["NOT_A_MANAGER"]), 403) from None
        raise Refused(_("The manager's name or PIN is wrong."), 403) from None


def refund_rows(payment_id: str) -> list[dict]:
    """The payment's refunds with who approved each (for the receipt page and the refund form)."""
    with core().db.read() as conn:
        return refund_approvals(conn, [payment_id]).get(payment_id, [])


def _form(payment_id: str, status: int = 200, headers: dict[str, str] | None = None, **extra: Any):
    pay: dict[str, Any] = payments.get_payment(core(), payment_id, merchant_id=session["merchant_id"])
    left = pay["amount"] - pay["refunded"]["amount"]
    extra.setdefault("key", secrets.token_urlsafe(18))
    page = render_template("terminal/refund.html", pay=pay, left=left, refunds=refund_rows(payment_id), **extra)
    return page, status, headers or {}


@bp.get("/payments/<id:payment_id>/refund")
def refund_form(payment_id: str):
    return _form(payment_id)


@bp.post("/payments/<id:payment_id>/refund")
def refund(payment_id: str):
    pay: dict[str, Any] = payments.get_payment(core(), payment_id, merchant_id=session["merchant_id"])
    form = request.form
    kept: dict[str, Any] = {"key": form.get("idempotency_key", "")[:100] or secrets.token_urlsafe(18),
            "amount": form.get("amount", "")[:MAX_AMOUNT_TEXT], "manager": form.get("manager", "")[:50]}
    try:
        amount = parse_amount(kept["amount"], pay["currency"])
        manager = manager_approval(form)
        payments.refund(core(), merchant_id=session["merchant_id"], payment_id=payment_id, amount=amount,
                               idempotency_key=kept["key"], approved_by=manager.id)
    except Refused as refused:
        return _form(payment_id, refused.status, error=refused.message, headers=refused.headers, **kept)
    except QrposError as error:
        if error.code not in MESSAGES:
            raise
        if error.code == "IDEMPOTENCY_KEY_REUSED":  # this form was already used for another refund: a new one
            kept["key"] = secrets.token_urlsafe(18)
        return _form(payment_id, 422, error=str(MESSAGES[error.code]), **kept)
    flash(_("Refunded %(amount)s, approved by %(manager)s.", amount=i18n.money(amount, pay["currency"]),
            manager=manager.name))
    return redirect(url_for(".receipt", payment_id=payment_id), 303)
