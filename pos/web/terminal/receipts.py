"""The receipt of a payment at the till: a page, and the same receipt as a PDF (CJK fonts embedded)."""

from __future__ import annotations

from flask import render_template, session, url_for

from pos.receipts import receipt_for
from pos.web import receipt_views
from pos.web.auth import core
from pos.web.terminal.refunds import refund_rows
from pos.web.terminal.views import bp


def _receipt(payment_id: str):
    url = url_for("terminal.receipt", payment_id=payment_id, _external=True)
    return receipt_for(core(), payment_id, merchant_id=session["merchant_id"], url=url)


@bp.get("/payments/<id:payment_id>")
def receipt(payment_id: str):
    r = _receipt(payment_id)
    rate = receipt_views.rate_text(r)
    return render_template("terminal/receipt.html", r=r, rate=rate, approvals=refund_rows(payment_id))


@bp.get("/payments/<id:payment_id>/receipt.pdf")
def receipt_pdf(payment_id: str):
    return receipt_views.pdf_response(_receipt(payment_id))
