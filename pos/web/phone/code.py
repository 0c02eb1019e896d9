""""Show code": a one-time code for the till to scan (consumer-presented), turning to paid live.

The page asks for a code (the core's :func:`~pos.core.payments.create_payment_code`), shows it as a QR
and as 20 digits, and asks for a new one shortly before it lapses. It follows the code over an event
stream of its own: the database is the truth (a till in another process charges it), read again each
time this process commits a change and every ``SSE_POLL_SECONDS`` otherwise. The stream's URL names the
code by a hash prefix, never the code itself: a code is a bearer credential for a minute.
"""

from __future__ import annotations

import hashlib

from flask import current_app, g, jsonify, render_template, request, url_for
from sqlalchemy import select

from pos import qrimage
from pos.core import payments
from pos.core.errors import NotFound
from pos.core.store.schema import payment_codes
from pos.core.store.schema import payments as payments_table
from pos.web import i18n, sse
from pos.web.auth import core
from pos.web.phone.views import bp

REFRESH_BEFORE_SECONDS = 10  # a new code this long before the old one lapses: time for the till to charge it
REF_LENGTH = 24


def code_ref(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()[:REF_LENGTH]


@bp.get("/code")
def code_page():
    return render_template("phone/code.html")


@bp.post("/code")
def new_code():
    issued = payments.create_payment_code(core(), wallet_id=g.wallet["id"])
    lifetime = core().settings.payment_code_ttl_seconds
    code = issued["code"]
    return jsonify({
        "ref": code_ref(code), "digits": " ".join(code[i:i + 4] for i in range(0, len(code), 4)),
        "qr_svg": qrimage.render_svg(code, scale=8, border=4), "expires_at": issued["expires_at"],
        "refresh_in": max(5, lifetime - REFRESH_BEFORE_SECONDS), "lifetime": lifetime,
    }), 201


def _find(conn, wallet_id: str, ref: str):
    """This wallet's code with that reference, among its codes of the last hour."""
    since = core().now() - 3600 * 1_000_000
    rows = conn.execute(select(payment_codes).where(payment_codes.c.wallet_id == wallet_id,
                                                    payment_codes.c.created_at >= since)).all()
    for row in rows:
        if code_ref(row.code) == ref:
            return row
    raise NotFound("no such payment code in this wallet", code="PAYMENT_CODE_INVALID")


def _paid_event(conn, request_id: str, wallet_id: str) -> dict | None:
    paid = conn.execute(select(payments_table).where(payments_table.c.request_id == request_id,
                                                     payments_table.c.wallet_id == wallet_id)).first()
    if paid is None:
        return None
    data = payments.payment_view(paid)
    data["amount_text"] = i18n.money(paid.amount, paid.currency)
    data["charged_text"] = i18n.money(paid.charged_amount, paid.charged_currency)
    data["receipt_url"] = url_for(".receipt", payment_id=paid.id)
    return {"type": "payment_code.paid", "data": data}


@bp.get("/code/<ref>/events")
def code_events(ref: str):
    """``payment_code.paid`` (with the payment) or ``payment_code.expired``, then the stream ends."""
    wallet_id = g.wallet["id"]
    after = sse.last_event_id(request.headers.get("Last-Event-ID"), request.args.get("after"))
    with core().db.read() as conn:
        code = _find(conn, wallet_id, ref).code

    def fetch(cursor: int) -> tuple[list, bool]:
        with core().db.read() as conn:
            row = conn.execute(select(payment_codes).where(payment_codes.c.code == code)).one()
            event = _paid_event(conn, row.used_by_request, wallet_id) if row.used_by_request else None
        if event is None and row.expires_at <= core().now() and not row.used_by_request:
            event = {"type": "payment_code.expired", "data": {"ref": ref}}
        if event is None:
            return [], False
        return ([(1, event)] if cursor < 1 else []), True

    return sse.stream_feed(current_app._get_current_object(), fetch, after=after)  # type: ignore[attr-defined]
