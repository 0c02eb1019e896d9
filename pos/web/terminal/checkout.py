"""Checkout at the till: ring up a sale, charge it with a live dynamic QR, follow it to paid.

The page is one screen driven by static/terminal/checkout.js: it posts the cart here (prices come
from the shop's catalogue on the server, never from the page), shows the QR and a countdown, and
follows the request over a cookie-authenticated event stream. The customer display follows the
whole till the same way.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g, jsonify, render_template, request, session

from pos import qrimage
from pos.core import payments, reports
from pos.core.errors import InvalidInput
from pos.core.payments import sales
from pos.web import sse
from pos.web.auth import core
from pos.web.terminal import shop_catalogue
from pos.web.terminal.views import bp


def _app() -> Flask:
    return current_app._get_current_object()  # type: ignore[attr-defined]  # the real app, for streams


def _shop() -> tuple[str, str]:
    return session["merchant_id"], session["terminal_id"]


def _lines(body: dict) -> list[sales.Line]:
    """The cart as priced lines: catalogue items by id and quantity, or one keyed-in amount."""
    if "amount" in body:
        amount = body["amount"]
        names = {"en": "Amount", "ja": "金額", "zh": "金额"}
        return [sales.Line(names=names, quantity=1, unit_amount=amount)]
    items = shop_catalogue.for_merchant(g.merchant_row)
    lines = []
    for entry in body.get("lines") or []:
        if not isinstance(entry, dict):
            raise InvalidInput("each line is an object with item_id and quantity", code="INVALID_LINE")
        item = items.get(str(entry.get("item_id")))
        if item is None:
            raise InvalidInput(f"no item {entry.get('item_id')!r} in this shop's catalogue", code="UNKNOWN_ITEM")
        lines.append(sales.Line(names=item.names, quantity=entry.get("quantity"),  # type: ignore[arg-type]  # checked by Line
                                unit_amount=item.price,
                                item_id=item.id))
    return lines


def _charge(sale: dict) -> dict:
    merchant_id, terminal_id = _shop()
    req = payments.create_request(core(), merchant_id=merchant_id, terminal_id=terminal_id, amount=sale["total"],
                                  currency=sale["currency"], reference=sale["id"])
    return {"sale": sale, "request": req, "qr_svg": qrimage.render_svg(str(req["payload"]), scale=10, border=4)}


@bp.get("/checkout")
def checkout():
    items = shop_catalogue.for_merchant(g.merchant_row)
    return render_template("terminal/checkout.html", items=list(items.values()), ttl=g.terminal_row.request_ttl_seconds)


@bp.post("/sales")
def new_sale():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput("send the cart as a JSON object", code="INVALID_JSON")
    merchant_id, terminal_id = _shop()
    sale = sales.create_sale(core(), merchant_id=merchant_id, terminal_id=terminal_id, lines=_lines(body),
                             staff_id=g.staff["id"])
    return jsonify(_charge(sale)), 201


@bp.post("/sales/<id:sale_id>/charge")
def charge_again(sale_id: str):
    """A new code for the same cart (the last one expired or was stopped)."""
    sale = sales.get_sale(core(), sale_id, merchant_id=session["merchant_id"])
    return jsonify(_charge(sale)), 201


@bp.post("/requests/<id:request_id>/cancel")
def cancel(request_id: str):
    return jsonify(payments.cancel_request(core(), merchant_id=session["merchant_id"], request_id=request_id))


@bp.get("/requests/<id:request_id>")
def request_status(request_id: str):
    return jsonify(payments.get_request(core(), request_id, merchant_id=session["merchant_id"]))


@bp.get("/requests/<id:request_id>/qr.svg")
def request_qr(request_id: str):
    req = payments.get_request(core(), request_id, merchant_id=session["merchant_id"])
    if not req.get("payload"):
        raise InvalidInput("this request has no QR code", code="NO_QR")
    return Response(qrimage.render_svg(str(req["payload"]), scale=10, border=4), mimetype="image/svg+xml")


@bp.get("/requests/<id:request_id>/events")
def events(request_id: str):
    after = sse.last_event_id(request.headers.get("Last-Event-ID"), request.args.get("after"))
    return sse.stream(_app(), core(), merchant_id=session["merchant_id"],
                      request_id=request_id, after=after)


@bp.post("/customer-code")
def charge_customer_code():
    """Consumer-presented: the wallet's one-time code (scanned or typed) pays the cart at once."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput("send the code and the cart as a JSON object", code="INVALID_JSON")
    code = "".join(str(body.get("code", "")).split())
    merchant_id, terminal_id = _shop()
    sale = sales.create_sale(core(), merchant_id=merchant_id, terminal_id=terminal_id, lines=_lines(body),
                             staff_id=g.staff["id"])
    payment = payments.charge(core(), merchant_id=merchant_id, terminal_id=terminal_id, code=code,
                              amount=sale["total"], currency=sale["currency"], reference=sale["id"],
                              idempotency_key=body.get("idempotency_key"))
    return jsonify({"sale": sale, "payment": payment}), 201


@bp.get("/display")
def display():
    return render_template("terminal/display.html")


@bp.get("/display/state")
def display_state():
    merchant_id, terminal_id = _shop()
    state = reports.terminal_state(core(), merchant_id=merchant_id, terminal_id=terminal_id)
    if state["open_request_id"]:
        req = payments.get_request(core(), state["open_request_id"], merchant_id=merchant_id)
        state["request"] = req
        state["qr_svg"] = qrimage.render_svg(str(req["payload"]), scale=10, border=4) if req.get("payload") else None
    return jsonify(state)


@bp.get("/display/events")
def display_events():
    merchant_id, terminal_id = _shop()
    after = sse.last_event_id(request.headers.get("Last-Event-ID"), request.args.get("after"))

    def fetch(cursor: int) -> tuple[list, bool]:
        return reports.terminal_events(core(), merchant_id=merchant_id, terminal_id=terminal_id,
                                       after_seq=cursor), False

    return sse.stream_feed(_app(), fetch, after=after, topics=[merchant_id])


@bp.get("/catalogue/pictures/<path:name>")
def catalogue_picture(name: str):
    from flask import send_from_directory

    from pos.catalogue import CATALOGUE_DIR

    return send_from_directory(CATALOGUE_DIR / "pictures", name, max_age=86400)
