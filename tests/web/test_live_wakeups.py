"""What wakes a stream in this process, on SQLite and PostgreSQL, with polling made too slow to help."""

import queue
import threading

import psycopg
import pytest

from pos import create_app
from pos.core import payments
from pos.web.live.pg_listener import CHANNEL, conninfo
from tests.web.conftest import TEST_CONFIG, create_request
from tests.web.test_events_stream import frames

DEADLINE = 20.0
NO_POLLING = 3600.0  # a stream's own poll never comes during a test: only a wake-up can deliver


def follow(client, path, headers):
    """Event types of a stream, as they arrive, from a thread (the stream runs where it is read)."""
    got = queue.Queue()

    def listen():
        response = client.get(path, headers=headers)
        for fields in frames(response):
            if "event" in fields:
                got.put(fields["event"])
        response.close()

    threading.Thread(target=listen, daemon=True).start()
    return got


@pytest.fixture
def slow_poll(app):
    app.config["SSE_POLL_SECONDS"] = NO_POLLING
    app.config["SSE_MAX_SECONDS"] = DEADLINE
    return app


def test_a_commit_made_outside_any_request_wakes_the_stream(slow_poll, world, core):
    request = create_request(world.merchant)
    auth = {"Authorization": f"Bearer {world.shop['api_key']}"}
    events = follow(world.merchant.client, f"/api/v1/payment-requests/{request['id']}/events", auth)
    assert events.get(timeout=DEADLINE) == "payment_request.created"
    payments.cancel_request(core, merchant_id=world.shop["merchant_id"], request_id=request["id"])  # as the sweeper
    assert events.get(timeout=DEADLINE) == "payment_request.cancelled"


def test_a_payment_through_the_api_wakes_the_stream_of_its_request(slow_poll, world):
    request = create_request(world.merchant)
    auth = {"Authorization": f"Bearer {world.shop['api_key']}"}
    events = follow(world.merchant.client, f"/api/v1/payment-requests/{request['id']}/events", auth)
    assert events.get(timeout=DEADLINE) == "payment_request.created"
    assert world.wallet.post("/api/v1/payments", json={"payload": request["payload"]}).status_code == 201
    assert [events.get(timeout=DEADLINE) for _ in range(2)] == ["payment_request.paid", "payment.succeeded"]


def test_without_live_wakeups_a_request_of_this_process_still_wakes_every_stream(core, world):
    app = create_app({**TEST_CONFIG, "CORE": core, "LIVE_WAKEUPS": False, "SSE_POLL_SECONDS": NO_POLLING,
                      "SSE_MAX_SECONDS": DEADLINE})
    try:
        assert app.extensions["qrpos.live"] is None
        client = app.test_client()
        auth = {"Authorization": f"Bearer {world.shop['api_key']}"}
        request = client.post("/api/v1/payment-requests", json={"amount": 500, "currency": "JPY"}, headers=auth).json
        events = follow(client, f"/api/v1/payment-requests/{request['id']}/events", auth)
        assert events.get(timeout=DEADLINE) == "payment_request.created"
        assert client.post(f"/api/v1/payment-requests/{request['id']}/cancel", headers=auth).status_code == 200
        assert events.get(timeout=DEADLINE) == "payment_request.cancelled"
    finally:
        app.extensions["qrpos.notifier"].close()


@pytest.mark.postgres
def test_the_outbox_notifies_the_merchant_and_request_ids_at_commit(core, world, db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("NOTIFY is PostgreSQL's")
    with psycopg.connect(conninfo(db_url), autocommit=True) as listener:
        listener.execute(f"LISTEN {CHANNEL}")
        request = payments.create_request(core, merchant_id=world.shop["merchant_id"],
                                          terminal_id=world.shop["terminal_id"], amount=800, currency="JPY")
        notes = list(listener.notifies(timeout=DEADLINE, stop_after=1))
    assert [n.payload for n in notes] == [f"{world.shop['merchant_id']} {request['id']}"]

