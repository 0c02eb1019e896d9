"""The scan page and its calls: what a scanned code is, the confirmation, and paying it.

One page, no reloads (iOS asks for the camera again after each): static/phone/scan.js scans with the
camera, or sends a photo, and posts each code it reads here. Only our payment requests go on to the
confirmation; any other code is named ("that is an Alipay code") and the camera keeps looking.
"""

from __future__ import annotations

from datetime import datetime

from flask import g, jsonify, render_template, request, url_for

from pos.core import codec, payments
from pos.core.errors import InvalidInput
from pos.web.auth import core
from pos.web.phone import confirm, messages, photo
from pos.web.phone.views import bp

MAX_TEXT = 2000  # longer than any QR code can hold


def _seconds_between(start: str, end: str) -> float:
    parse = datetime.fromisoformat
    return (parse(end.replace("Z", "+00:00")) - parse(start.replace("Z", "+00:00"))).total_seconds()


def kind_of(text: str) -> str:
    """"qrpos" for one of our payment requests (also a broken one: the core says what is wrong with it),
    else what the code is, in the codec's words ("pix", "alipay_url", "unknown", ...)."""
    if codec.QRPOS_GUID in text:
        return "qrpos"
    if text.isdigit() and len(text) == 20 and text.startswith(payments.codes.CODE_PREFIX):
        return "qrpos_payment_code"
    found = codec.inspect_payload(text)
    if found["ok"] and found["scheme"] != "unknown":
        return str(found["scheme"])
    return "link" if text.lower().startswith(("http://", "https://")) else "unknown"


def scan_text(text: str):
    """The answer to one code read by the camera or in a photo."""
    if not text or len(text) > MAX_TEXT:
        return jsonify({"kind": "other", "message": messages.what_it_is("unknown")})
    kind = kind_of(text)
    if kind != "qrpos":
        return jsonify({"kind": "other", "scheme": kind, "message": messages.what_it_is(kind)})
    scanned = payments.scan(core(), wallet_id=g.wallet["id"], payload=text)
    if scanned.get("object") == "static_code":
        raise InvalidInput("static codes need an amount", code="STATIC_CODE")
    shown = confirm.view(scanned, g.wallet["id"])
    quote = shown["quote"]
    return jsonify({
        "kind": "payment", "payload": text, "request_id": scanned["id"],
        "quote_id": quote["id"] if quote else None,
        "quote_seconds": _seconds_between(quote["created_at"], quote["expires_at"]) if quote else None,
        "html": render_template("phone/_confirm.html", **shown),
    })


@bp.get("/scan")
def scan_page():
    return render_template("phone/scan.html")


@bp.post("/scan")
def scan():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        raise InvalidInput("send the code's text as {\"text\": ...}", code="INVALID_JSON")
    return scan_text(body["text"])


@bp.post("/photo")
def scan_photo():
    """The photo fallback: the first code in the picture that is ours, else what the first one is."""
    upload = request.files.get("photo")
    if upload is None:
        raise InvalidInput("send the picture as the form field 'photo'", code="NOT_AN_IMAGE")
    texts = photo.read_codes(upload.read())
    if not texts:
        raise InvalidInput("no QR code in the picture", code="NO_CODE_IN_PHOTO")
    ours = [t for t in texts if kind_of(t) == "qrpos"]
    return scan_text(ours[0] if ours else texts[0])


@bp.post("/pay")
def pay():
    """Pay with the choice made; the page sends one Idempotency-Key per attempt and reuses it on retry."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput("send the payment as a JSON object", code="INVALID_JSON")
    payment = payments.pay(core(), wallet_id=g.wallet["id"], payload=body.get("payload"),
                           quote_id=body.get("quote_id") or None, miles=body.get("miles", 0),
                           idempotency_key=request.headers.get("Idempotency-Key"))
    url = url_for(".receipt", payment_id=payment["id"])
    return jsonify({"payment": payment, "receipt_url": url,
                    "html": render_template("phone/_paid.html", p=payment, receipt_url=url)}), 201
