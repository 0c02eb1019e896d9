"""Merchant side: payments (list, read), refunds, and the daily report."""

from apiflask import APIBlueprint

from pos.core import payments, reports
from pos.core.errors import InvalidInput
from pos.core.platform.clock import US
from pos.web import schemas
from pos.web.api import document
from pos.web.auth import core, idempotency_key, merchant_id, merchant_required
from pos.web.jsonio import render, render_list

bp = APIBlueprint("merchant_payments", __name__, url_prefix="/api/v1", tag="Payments and refunds")
AUTH = "MerchantKey"


def epoch_us(moment):
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise InvalidInput("times need a time zone, e.g. 2026-01-01T00:00:00Z", code="INVALID_TIME")
    return int(moment.timestamp() * US)


def list_query(query: schemas.PaymentListQuery) -> dict:
    return dict(status=query.status, limit=query.limit, starting_after=query.starting_after,
                created_gte=epoch_us(query.created_from), created_lt=epoch_us(query.created_to))


@bp.get("/payments")
@merchant_required
@bp.input(schemas.PaymentListQuery, location="query", arg_name="query")
@bp.output(schemas.PaymentList)
@document(bp, "List the merchant's payments, newest first", auth=AUTH,
          description="Page with `starting_after=<next_cursor>`; filter by `status` and a "
                      "`created_from`/`created_to` window.")
def list_payments(query: schemas.PaymentListQuery):
    return render(reports.list_payments(core(), merchant_id=merchant_id(), **list_query(query)))


@bp.get("/payments/<id:payment_id>")
@merchant_required
@bp.output(schemas.Payment)
@document(bp, "Read a payment", auth=AUTH, errors=[404])
def get_payment(payment_id: str):
    return render(payments.get_payment(core(), payment_id, merchant_id=merchant_id()))


@bp.post("/payments/<id:payment_id>/refunds")
@merchant_required
@bp.input(schemas.CreateRefund, arg_name="body")
@bp.output(schemas.Refund, status_code=201)
@document(bp, "Refund a payment, fully or in part", auth=AUTH, errors=[400, 402, 404, 409], idempotent=True,
          description="Cash and miles go back in proportion to how the price was paid, at the payment's own rate.")
def create_refund(payment_id: str, body: schemas.CreateRefund):
    data = payments.refund(core(), merchant_id=merchant_id(), payment_id=payment_id, amount=body.amount,
                          idempotency_key=idempotency_key())
    return render(data, 201)


@bp.get("/payments/<id:payment_id>/refunds")
@merchant_required
@bp.output(schemas.RefundList)
@document(bp, "List a payment's refunds", auth=AUTH, errors=[404])
def list_refunds(payment_id: str):
    rows = payments.list_refunds(core(), payment_id, merchant_id=merchant_id())
    return render_list(rows)


@bp.get("/reports/daily")
@merchant_required
@bp.input(schemas.DailyReportQuery, location="query", arg_name="query")
@bp.output(schemas.DailyReport)
@document(bp, "The merchant's day: payments, refunds, fees, net, requests by status", auth=AUTH)
def daily_report(query: schemas.DailyReportQuery):
    return render(reports.daily_report(core(), merchant_id=merchant_id(), day=query.date.isoformat(),
                                       tz=query.tz))
