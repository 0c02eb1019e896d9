"""Wallet side: scan a code, pay it, see the wallet and its payments, show a payment code."""

from apiflask import APIBlueprint
from flask import g

from pos.core import parties, payments, reports
from pos.web import schemas
from pos.web.api import document
from pos.web.api.payments import list_query
from pos.web.auth import core, idempotency_key, wallet_required
from pos.web.jsonio import render

bp = APIBlueprint("wallet", __name__, url_prefix="/api/v1", tag="Wallet")
AUTH = "WalletSession"


@bp.post("/scans")
@wallet_required
@bp.input(schemas.CreateScan, arg_name="body")
@bp.output(schemas.Scan)
@document(bp, "Scan a QR code: the authoritative request, the payee and a quote", auth=AUTH,
          errors=[400, 402, 404, 409],
          description="Checks the payload's signature, moves the request to `customer_confirming`, and quotes "
          "the price in the wallet's currency when it differs (`quote` is null otherwise).")
def scan(body: schemas.CreateScan):
    return render(payments.scan(core(), wallet_id=g.wallet_id, payload=body.payload))


@bp.post("/payments")
@wallet_required
@bp.input(schemas.CreatePayment, arg_name="body")
@bp.output(schemas.Payment, status_code=201)
@document(bp, "Pay a scanned code from the wallet", auth=AUTH, errors=[400, 402, 404, 409], idempotent=True,
          description="Exactly once per request whatever the retries: send an Idempotency-Key and retry with it "
          "after a lost response.")
def pay(body: schemas.CreatePayment):
    data = payments.pay(core(), wallet_id=g.wallet_id, payload=body.payload, quote_id=body.quote_id,
                        miles=body.miles, amount=body.amount, idempotency_key=idempotency_key())
    return render(data, 201)


@bp.get("/wallet")
@wallet_required
@bp.output(schemas.Wallet)
@document(bp, "The signed-in wallet: balance and miles", auth=AUTH)
def wallet():
    return render(parties.wallet_summary(core(), g.wallet_id))


@bp.get("/wallet/payments")
@wallet_required
@bp.input(schemas.PaymentListQuery, location="query", arg_name="query")
@bp.output(schemas.PaymentList)
@document(bp, "The wallet's payments, newest first", auth=AUTH)
def wallet_payments(query: schemas.PaymentListQuery):
    return render(reports.list_payments(core(), wallet_id=g.wallet_id, **list_query(query)))


@bp.get("/wallet/payments/<id:payment_id>")
@wallet_required
@bp.output(schemas.Payment)
@document(bp, "One of the wallet's payments", auth=AUTH, errors=[404])
def wallet_payment(payment_id: str):
    return render(payments.get_payment(core(), payment_id, wallet_id=g.wallet_id))


@bp.post("/payment-codes")
@wallet_required
@bp.output(schemas.PaymentCode, status_code=201)
@document(bp, "A one-time payment code for the till to scan (about a minute)", auth=AUTH)
def payment_code():
    return render(payments.create_payment_code(core(), wallet_id=g.wallet_id), 201)
