"""Merchant side: webhook endpoints and the log of deliveries, with resend."""

from apiflask import APIBlueprint

from pos.core.platform import webhooks
from pos.web import schemas
from pos.web.api import document
from pos.web.auth import core, merchant_id, merchant_required
from pos.web.jsonio import render, render_list

bp = APIBlueprint("webhooks", __name__, url_prefix="/api/v1", tag="Webhooks")
AUTH = "MerchantKey"


@bp.post("/webhook-endpoints")
@merchant_required
@bp.input(schemas.CreateWebhookEndpoint, arg_name="body")
@bp.output(schemas.WebhookEndpoint, status_code=201)
@document(bp, "Register a webhook endpoint (its signing secret is shown only here)", auth=AUTH, errors=[400])
def create_endpoint(body: schemas.CreateWebhookEndpoint):
    return render(webhooks.register_endpoint(core(), merchant_id=merchant_id(), url=body.url), 201)


@bp.get("/webhook-endpoints")
@merchant_required
@bp.output(schemas.WebhookEndpointList)
@document(bp, "List webhook endpoints", auth=AUTH)
def list_endpoints():
    return render_list(webhooks.list_endpoints(core(), merchant_id=merchant_id()))


@bp.post("/webhook-endpoints/<id:endpoint_id>/disable")
@merchant_required
@bp.output(schemas.WebhookEndpoint)
@document(bp, "Stop sending new events to an endpoint", auth=AUTH, errors=[404])
def disable_endpoint(endpoint_id: str):
    return render(webhooks.disable_endpoint(core(), merchant_id=merchant_id(), endpoint_id=endpoint_id))


@bp.get("/webhook-deliveries")
@merchant_required
@bp.input(schemas.DeliveryQuery, location="query", arg_name="query")
@bp.output(schemas.WebhookDeliveryList)
@document(bp, "Recent webhook deliveries with every attempt", auth=AUTH)
def list_deliveries(query: schemas.DeliveryQuery):
    data = webhooks.list_deliveries(core(), merchant_id=merchant_id(), event_id=query.event_id,
                                    status=query.status, limit=query.limit)
    return render_list(data)


@bp.post("/webhook-deliveries/<id:delivery_id>/resend")
@merchant_required
@bp.output(schemas.WebhookDelivery)
@document(bp, "Send a delivery again now (same event id)", auth=AUTH, errors=[404])
def resend(delivery_id: str):
    return render(webhooks.resend(core(), merchant_id=merchant_id(), delivery_id=delivery_id))
