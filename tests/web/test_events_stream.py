"""Server-sent events of a payment request's status changes."""

import json
import queue
import threading

from tests.web.conftest import create_request, error_code


def frames(response):
    """Parse an SSE body into (fields) dicts as chunks arrive; comments and retry lines included."""
    buffer = ""
    for chunk in response.response:
        buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            fields = {}
            for line in block.split("\n"):
                key, _, value = line.partition(": ")
                fields[key] = value
            yield fields


def read_events(response, count):
    got = []
    for fields in frames(response):
        if "data" in fields:
            got.append((int(fields["id"]), fields["event"], json.loads(fields["data"])))
            if len(got) == count:
                break
    response.close()
    return got


def test_the_stream_replays_every_change_in_order(world):
    request = create_request(world.merchant)
    world.wallet.post("/api/v1/scans", json={"payload": request["payload"]})
    world.wallet.post("/api/v1/payments", json={"payload": request["payload"]})
    response = world.merchant.get(f"/api/v1/payment-requests/{request['id']}/events")
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    assert response.headers["Cache-Control"] == "no-cache"
    events = read_events(response, 4)
    assert [e[1] for e in events] == ["payment_request.created", "payment_request.customer_confirming",
                                      "payment_request.paid", "payment.succeeded"]
    assert [e[0] for e in events] == sorted(e[0] for e in events)
    assert events[2][2]["data"]["status"] == "paid" and events[0][2]["request_id"] == request["id"]


def test_the_stream_starts_with_retry_and_ends_when_the_request_is_final(world):
    request = create_request(world.merchant)
    world.merchant.post(f"/api/v1/payment-requests/{request['id']}/cancel")
    response = world.merchant.get(f"/api/v1/payment-requests/{request['id']}/events")
    blocks = list(frames(response))
    assert blocks[0] == {"retry": "2000"}
    assert [b["event"] for b in blocks[1:]] == ["payment_request.created", "payment_request.cancelled"]


def test_last_event_id_resumes_after_what_was_seen(world):
    request = create_request(world.merchant)
    world.wallet.post("/api/v1/scans", json={"payload": request["payload"]})
    world.merchant.post(f"/api/v1/payment-requests/{request['id']}/cancel")
    url = f"/api/v1/payment-requests/{request['id']}/events"
    first = read_events(world.merchant.get(url), 1)[0][0]
    rest = [b["event"] for b in frames(world.merchant.get(url, headers={"Last-Event-ID": str(first)})) if "event" in b]
    assert rest == ["payment_request.customer_confirming", "payment_request.cancelled"]
    bad = world.merchant.get(url, headers={"Last-Event-ID": "abc"})
    assert bad.status_code == 422 and error_code(bad) == "INVALID_EVENT_ID"


def test_a_change_made_while_streaming_is_pushed(world):
    request = create_request(world.merchant)
    got = queue.Queue()

    def listen():  # the whole request in this thread, as a server thread would serve it
        response = world.merchant.get(f"/api/v1/payment-requests/{request['id']}/events")
        for fields in frames(response):
            if "event" in fields:
                got.put(fields["event"])

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    assert got.get(timeout=5) == "payment_request.created"
    world.merchant.post(f"/api/v1/payment-requests/{request['id']}/cancel")
    assert got.get(timeout=5) == "payment_request.cancelled"
    listener.join(timeout=5)
    assert not listener.is_alive()  # the stream ended by itself: cancelled is final


def test_an_unknown_request_has_no_stream(world):
    response = world.merchant.get("/api/v1/payment-requests/pr_NOPE/events")
    assert response.status_code == 404 and error_code(response) == "REQUEST_NOT_FOUND"


def test_the_sweeper_expires_a_request_and_its_stream_says_so(app, world, clock, core):
    from pos.cli.serve import sweep_loop

    request = create_request(world.merchant, expires_in=30)
    stop = threading.Event()
    notifier = app.extensions["qrpos.notifier"]
    sweeper = threading.Thread(target=sweep_loop, args=(core, stop), kwargs=dict(interval=0.01,
                               on_change=notifier.notify), daemon=True)
    sweeper.start()
    try:
        clock.advance(31)
        events = [b["event"] for b in frames(world.merchant.get(f"/api/v1/payment-requests/{request['id']}/events"))
                  if "event" in b]
    finally:
        stop.set()
        sweeper.join(timeout=5)
    assert events == ["payment_request.created", "payment_request.expired"]
