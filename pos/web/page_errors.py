"""Errors on pages: a friendly page in the UI's language, never a traceback or a JSON body.

Core errors keep their stable code (shown small, for support); the text says what happened and
what to do next. HTTP errors (404, 405, 429, 500...) get the same page.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l

TITLES = {
    400: _l("That request could not be understood"),
    401: _l("Please sign in"),
    402: _l("Payment declined"),
    403: _l("Not allowed"),
    404: _l("Page not found"),
    405: _l("That action is not available here"),
    409: _l("That cannot be done now"),
    413: _l("That upload is too large"),
    422: _l("Please check what you entered"),
    429: _l("Slow down"),
    500: _l("Something went wrong on our side"),
    503: _l("Back in a moment"),
}

MESSAGES = {
    400: _l("The request was not in a form this page can read. Go back and try again."),
    401: _l("Your session has ended or the credentials were wrong. Sign in again."),
    403: _l("You do not have permission to do that."),
    404: _l("There is nothing at this address. Check the link, or start again from the home page."),
    405: _l("This page does not accept that kind of request."),
    413: _l("The file or form you sent is larger than this page accepts."),
    429: _l("Too many attempts in a short time. Wait a moment, then try again."),
    500: _l("The error has been logged. Nothing was charged twice; try again in a moment."),
    "DATABASE_UNAVAILABLE": _l("The shop's records cannot be reached just now. Try again in a few seconds."),
    "CSRF": _l("This form has expired or did not come from this page. Reload the page and try again."),
    "REQUEST_EXPIRED": _l("This payment request has expired. Ask for a new code."),
    "REQUEST_ALREADY_PAID": _l("This payment request has already been paid."),
    "REQUEST_CANCELLED": _l("This payment request was cancelled at the till."),
    "INSUFFICIENT_FUNDS": _l("There is not enough money in the wallet for this payment."),
    "INSUFFICIENT_MILES": _l("There are not enough miles in the wallet for this payment."),
    "REFUND_EXCEEDS_PAYMENT": _l("That is more than is left to refund on this payment."),
    "QUOTE_EXPIRED": _l("The exchange-rate quote has expired. Scan again for a fresh quote."),
    "PAYMENT_CODE_USED": _l("This payment code has already been used. Show a new one."),
    "PAYMENT_CODE_EXPIRED": _l("This payment code has expired. Show a new one."),
    "BAD_CREDENTIALS": _l("The name or PIN is wrong."),
    "STAFF_LOCKED": _l("Too many wrong PINs. Wait a few minutes, or ask a manager."),
    "NOT_A_MANAGER": _l("Only a manager can approve this."),
    "IDEMPOTENCY_KEY_REUSED": _l("This was already done with different details. Start again."),
}


def page(status: int, *, code: str | None = None, message: str | None = None, headers=None):
    title = TITLES.get(status, TITLES[500] if status >= 500 else TITLES[400])
    # a known code's own text, else the status's (both translated); the core's English message is the
    # last resort only, so that a page never mixes languages
    text = MESSAGES.get(code or "") or MESSAGES.get(status) or message or MESSAGES[400]
    body = render_template("error.html", title=title, message=text, code=code, status=status)
    return body, status, headers or {}
