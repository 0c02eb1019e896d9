"""What the till's and the wallet's receipt views share: the rate as people read it, and the PDF answer."""

from __future__ import annotations

from fractions import Fraction

from flask import Response, request

from pos.core.payments import fx
from pos.printing import Receipt, render_receipt
from pos.web import i18n

PDF_LANG = {"en": "en", "ja": "ja", "zh_Hans": "zh"}  # UI language -> receipt language


def rate_text(receipt: Receipt) -> str | None:
    """The quote keeps its rate as exact fraction text ("9787/200000"): people read a decimal."""
    return fx.rate_text(Fraction(str(receipt.rate)), 6) if receipt.rate is not None else None


def pdf_response(receipt: Receipt) -> Response:
    """The receipt as a PDF in ``?lang=`` (en, ja, zh or a UI language), else the page's language."""
    asked = request.args.get("lang") or i18n.current()
    lang = PDF_LANG.get(asked) or (asked if asked in PDF_LANG.values() else "en")
    headers = {"Content-Disposition": f'inline; filename="receipt-{receipt.payment_id}-{lang}.pdf"'}
    return Response(render_receipt(receipt, lang), mimetype="application/pdf", headers=headers)
