"""Merchant side: payment requests (create, read, cancel, live events) and consumer-presented charges."""

from apiflask import APIBlueprint
from flask import current_app, request

from pos.core import payments
from pos.web import schemas, sse
from pos.web.api import document
from pos.web.auth import core, idempotency_key, merchant_id, merchant_required, terminal_id
from pos.web.jsonio import render

bp = APIBlueprint("payment_requests", __name__, url_prefix="/api/v1", tag="Payment requests")
AUTH = "MerchantKey"


@bp.post("/payment-requests")
@merchant_required
@bp.input(schemas.CreatePaymentRequest, arg_name="body")
@bp.output(schemas.PaymentRequest, status_code=201)
@document(bp, "Create a payment request (a dynamic QR code)", auth=AUTH, errors=[400, 404], idempotent=True,
          description="The response's `payload` is the EMVCo text to show as a QR code; it expires at `expires_at`.")
def create_request(body: schemas.CreatePaymentRequest):
    data = payments.create_request(
        core(), merchant_id=merchant_id(), terminal_id=terminal_id(), amount=body.amount,
        currency=body.currency, reference=body.reference, expires_in=body.expires_in,
        idempotency_key=idempotency_key(),
    )
    return render(data, 201)


@bp.get("/payment-requests/<id:request_id>")
@merchant_required
@bp.output(schemas.PaymentRequest)
@document(bp, "Read a payment request", auth=AUTH, errors=[404])
def get_request(request_id: str):
    return render(payments.get_request(core(), request_id, merchant_id=merchant_id()))


@bp.post("/payment-requests/<id:request_id>/cancel")
@merchant_required
@bp.output(schemas.PaymentRequest)
@document(bp, "Cancel an open payment request", auth=AUTH, errors=[404, 409], idempotent=True)
def cancel_request(request_id: str):
    data = payments.cancel_request(core(), merchant_id=merchant_id(), request_id=request_id,
                                   idempotency_key=idempotency_key())
    return render(data)


@bp.get("/payment-requests/<id:request_id>/events")
@merchant_required
@document(bp, "Follow a payment request's status changes (server-sent events)", auth=AUTH, errors=[404],
          description=sse.DESCRIPTION,
          responses={200: {"description": "An event stream.",
                           "content": {"text/event-stream": {"schema": {"type": "string"}}}}})
def request_events(request_id: str):
    after = sse.last_event_id(request.headers.get("Last-Event-ID"), request.args.get("after"))
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the app itself, for the stream's thread
    return sse.stream(app, core(), merchant_id=merchant_id(), request_id=request_id, after=after)


@bp.post("/charges")
@merchant_required
@bp.input(schemas.CreateCharge, arg_name="body")
@bp.output(schemas.Payment, status_code=201)
@document(bp, "Charge a consumer-presented payment code", auth=AUTH, errors=[400, 402, 404, 409], idempotent=True,
          description="The till scans the code the wallet shows; the amount is charged at once.")
def create_charge(body: schemas.CreateCharge):
    data = payments.charge(
        core(), merchant_id=merchant_id(), terminal_id=terminal_id(), code=body.code, amount=body.amount,
        currency=body.currency, reference=body.reference, idempotency_key=idempotency_key(),
    )
    return render(data, 201)


@bp.get("/static-code")
@merchant_required
@bp.output(schemas.Out)
@document(bp, "The terminal's static merchant code (the payer enters the amount)", auth=AUTH)
def static_code():
    return render(payments.static_code(core(), merchant_id=merchant_id(), terminal_id=terminal_id()))
