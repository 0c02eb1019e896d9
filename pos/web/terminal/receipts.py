"""The receipt of a payment at the till: a page, and the same receipt as a PDF (CJK fonts embedded)."""

from __future__ import annotations

from fractions import Fraction

from flask import Response, render_template, request, session, url_for

from pos.core.payments import fx
from pos.printing import render_receipt
from pos.receipts import receipt_for
from pos.web import i18n
from pos.web.auth import core
from pos.web.terminal.refunds import refund_rows
from pos.web.terminal.views import bp

PDF_LANG = {"en": "en", "ja": "ja", "zh_Hans": "zh"}


def _receipt(payment_id: str):
    url = url_for("terminal.receipt", payment_id=payment_id, _external=True)
    return receipt_for(core(), payment_id, merchant_id=session["merchant_id"], url=url)


@bp.get("/payments/<id:payment_id>")
def receipt(payment_id: str):
    r = _receipt(payment_id)
    # the quote keeps its rate as exact fraction text ("9787/200000"): people read a decimal
    rate = fx.rate_text(Fraction(str(r.rate)), 6) if r.rate is not None else None
    return render_template("terminal/receipt.html", r=r, rate=rate, approvals=refund_rows(payment_id))


@bp.get("/payments/<id:payment_id>/receipt.pdf")
def receipt_pdf(payment_id: str):
    asked = request.args.get("lang") or i18n.current()
    lang = PDF_LANG.get(asked) or (asked if asked in PDF_LANG.values() else "en")
    pdf = render_receipt(_receipt(payment_id), lang)
    headers = {"Content-Disposition": f'inline; filename="receipt-{payment_id}-{lang}.pdf"'}
    return Response(pdf, mimetype="application/pdf", headers=headers)
