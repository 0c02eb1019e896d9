"""Webhooks: registration, signed deliveries, retries on the published schedule, attempt log, resend.

The receiver here verifies every signature, fails on purpose at first, and deduplicates by event id.
"""

import json

import httpx
import pytest

from pos.core.platform import webhooks
from pos.core.platform.clock import US
from pos.webhook_sender import Sender
from tests.web.conftest import create_request, error_code


class Receiver:
    """A merchant's endpoint: checks the signature, fails the first ``fail_first`` calls, dedupes."""

    def __init__(self, clock, secret=None, fail_first=0):
        self.clock, self.secret, self.fail_first = clock, secret, fail_first
        self.calls, self.events, self.duplicates = 0, {}, 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        body = request.content
        assert webhooks.verify(self.secret, request.headers[webhooks.SIGNATURE_HEADER], body,
                               now=self.clock.now_us() // US)
        if self.calls <= self.fail_first:
            return httpx.Response(503, text="busy")
        event = json.loads(body)
        assert request.headers["Qrpos-Event-Id"] == event["id"]
        if event["id"] in self.events:
            self.duplicates += 1
        self.events.setdefault(event["id"], event)
        return httpx.Response(204)


@pytest.fixture
def hook(world, clock, core):
    response = world.merchant.post("/api/v1/webhook-endpoints", json={"url": "https://shop.example/hooks"})
    assert response.status_code == 201
    endpoint = response.get_json()
    receiver = Receiver(clock, secret=endpoint["secret"])
    sender = Sender(core, httpx.Client(transport=httpx.MockTransport(receiver)))
    yield endpoint, receiver, sender
    sender.close()


def pay_flow(world):
    request = create_request(world.merchant, 1200)
    world.wallet.post("/api/v1/scans", json={"payload": request["payload"]})
    payment = world.wallet.post("/api/v1/payments", json={"payload": request["payload"]}).get_json()
    return request, payment


def test_every_event_arrives_signed_once_after_retries(world, hook, clock):
    _endpoint, receiver, sender = hook
    receiver.fail_first = 3
    request, payment = pay_flow(world)
    assert sender.deliver_due() == 4  # created, customer_confirming, paid, payment.succeeded
    assert len(receiver.events) == 1 and sender.deliver_due() == 0  # three wait for their retry
    clock.advance(webhooks.RETRY_SCHEDULE[0])
    assert sender.deliver_due() == 3
    types = sorted(e["type"] for e in receiver.events.values())
    assert types == ["payment.succeeded", "payment_request.created", "payment_request.customer_confirming",
                     "payment_request.paid"]
    paid = next(e for e in receiver.events.values() if e["type"] == "payment.succeeded")
    assert paid["data"]["id"] == payment["id"] and paid["request_id"] == request["id"]
    log = world.merchant.get("/api/v1/webhook-deliveries").get_json()["data"]
    assert {d["status"] for d in log} == {"succeeded"}
    retried = [d for d in log if d["attempts"] == 2]
    assert len(retried) == 3 and all(d["attempt_log"][0]["status_code"] == 503 for d in retried)


def test_a_resend_carries_the_same_event_id_so_the_receiver_dedupes(world, hook):
    _endpoint, receiver, sender = hook
    create_request(world.merchant)
    sender.deliver_due()
    delivery = world.merchant.get("/api/v1/webhook-deliveries").get_json()["data"][0]
    resent = world.merchant.post(f"/api/v1/webhook-deliveries/{delivery['id']}/resend")
    assert resent.status_code == 200 and resent.get_json()["status"] == "pending"
    assert sender.deliver_due() == 1
    assert receiver.duplicates == 1 and len(receiver.events) == 1
    assert world.other_merchant.post(f"/api/v1/webhook-deliveries/{delivery['id']}/resend").status_code == 404


def test_a_dead_endpoint_follows_the_schedule_then_fails(world, hook, clock):
    _endpoint, receiver, sender = hook
    receiver.fail_first = 10**6
    create_request(world.merchant)
    assert sender.deliver_due() == 1
    for wait in webhooks.RETRY_SCHEDULE:
        clock.advance(wait - 1)
        assert sender.deliver_due() == 0  # not a second early
        clock.advance(1)
        assert sender.deliver_due() == 1
    failed = world.merchant.get("/api/v1/webhook-deliveries?status=failed").get_json()["data"]
    assert len(failed) == 1 and failed[0]["attempts"] == webhooks.MAX_ATTEMPTS
    assert len(failed[0]["attempt_log"]) == webhooks.MAX_ATTEMPTS and failed[0]["next_attempt_at"] is None


def test_an_unreachable_endpoint_is_logged_as_an_error(world, core):
    world.merchant.post("/api/v1/webhook-endpoints", json={"url": "https://shop.example/never"})

    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    sender = Sender(core, httpx.Client(transport=httpx.MockTransport(refuse)))
    create_request(world.merchant)
    assert sender.deliver_due() == 1
    delivery = world.merchant.get("/api/v1/webhook-deliveries").get_json()["data"][0]
    assert delivery["last_status_code"] is None and "ConnectError" in delivery["last_error"]


def test_a_claimed_delivery_is_not_sent_twice_by_a_second_sender(world, hook, core):
    create_request(world.merchant)
    assert len(webhooks.claim_due(core)) == 1
    assert webhooks.claim_due(core) == []


def test_signatures_refuse_tampering_other_secrets_and_old_timestamps():
    body = b'{"id":"evt_1"}'
    header = webhooks.sign("whsec_a", 1_767_225_600, body)
    assert webhooks.verify("whsec_a", header, body, now=1_767_225_600)
    assert not webhooks.verify("whsec_a", header, body + b" ", now=1_767_225_600)
    assert not webhooks.verify("whsec_b", header, body, now=1_767_225_600)
    assert not webhooks.verify("whsec_a", header, body, now=1_767_225_600 + 301)
    assert not webhooks.verify("whsec_a", "garbage", body, now=1_767_225_600)


def test_endpoints_are_listed_without_secrets_and_can_be_disabled(world, hook):
    endpoint, _receiver, sender = hook
    listed = world.merchant.get("/api/v1/webhook-endpoints").get_json()["data"]
    assert [e["id"] for e in listed] == [endpoint["id"]] and "secret" not in listed[0]
    assert world.other_merchant.get("/api/v1/webhook-endpoints").get_json()["data"] == []
    disabled = world.merchant.post(f"/api/v1/webhook-endpoints/{endpoint['id']}/disable")
    assert disabled.get_json()["status"] == "disabled"
    create_request(world.merchant)
    assert sender.deliver_due() == 0
    missing = world.other_merchant.post(f"/api/v1/webhook-endpoints/{endpoint['id']}/disable")
    assert missing.status_code == 404 and error_code(missing) == "WEBHOOK_ENDPOINT_NOT_FOUND"


def test_only_http_urls_are_accepted(world):
    for url in ("ftp://shop.example/x", "not-a-url", "https://"):
        response = world.merchant.post("/api/v1/webhook-endpoints", json={"url": url})
        assert response.status_code == 422 and error_code(response) == "INVALID_URL", url
