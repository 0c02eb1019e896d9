"""Webhooks go to public addresses only (issue 12, item 6): a loopback, private, link-local,
multicast, unspecified or reserved target is refused when the endpoint is registered, and again at
every delivery, on the address the sender is about to connect to (DNS may change in between).

DNS is played by replacing ``webhook_targets.resolve`` for a few names under ``.test``; the receiver
is a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import dataclasses
import socket
import threading

import httpx
import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from pos.core.platform import webhook_targets
from pos.webhook_sender import Sender
from pos.webhook_transport import PublicOnlyTransport
from tests.web.conftest import create_request, error_code

NOT_PUBLIC = [
    "http://127.0.0.1:8000/hooks", "http://localhost/hooks", "http://[::1]/hooks", "http://10.1.2.3/hooks",
    "http://172.16.0.1/hooks", "http://192.168.1.20/hooks", "http://169.254.169.254/latest/meta-data",
    "http://0.0.0.0/hooks", "http://224.0.0.1/hooks", "http://240.0.0.1/hooks", "http://100.64.0.1/hooks",
    "http://[::ffff:127.0.0.1]/hooks", "http://[fe80::1]/hooks", "http://2130706433/hooks",
    "https://metadata.test/hooks", "https://mixed.test/hooks",
]
DNS = {"metadata.test": ["169.254.169.254"], "mixed.test": ["93.184.216.34", "10.0.0.7"],
       "shop.test": ["93.184.216.34", "2606:4700::6810:1"]}


@pytest.fixture
def dns(monkeypatch):
    """A copy of DNS that the test may change; other names resolve for real."""
    answers = {name: list(addresses) for name, addresses in DNS.items()}
    real = webhook_targets.resolve

    def resolve(host, port):
        if host not in answers:
            return real(host, port)
        if answers[host] is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return list(answers[host])

    monkeypatch.setattr(webhook_targets, "resolve", resolve)
    return answers


@pytest.fixture
def strict(core, monkeypatch):
    """The core as deployed: local receivers not allowed, whatever the environment says."""
    monkeypatch.setattr(core, "settings", dataclasses.replace(core.settings, webhooks_allow_private=False))
    return core


class Receiver:
    """A real HTTP receiver on 127.0.0.1 that records what reached it."""

    def __init__(self):
        self.seen: list[dict] = []
        self.server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.port = self.server.port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wsgi(self, environ, start_response):
        request = Request(environ)
        self.seen.append({"host": request.host, "path": request.path, "body": request.get_data()})
        return Response(status=204)(environ, start_response)


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()


@pytest.mark.parametrize("url", NOT_PUBLIC)
def test_an_endpoint_on_a_non_public_address_is_refused_and_nothing_is_added(world, strict, dns, url):
    response = world.merchant.post("/api/v1/webhook-endpoints", json={"url": url})
    assert response.status_code == 422 and error_code(response) == "WEBHOOK_URL_NOT_PUBLIC", response.get_json()
    assert world.merchant.get("/api/v1/webhook-endpoints").get_json()["data"] == []


def test_an_endpoint_on_public_addresses_or_a_name_not_resolvable_yet_is_accepted(world, strict, dns):
    for url in ("https://shop.test/hooks", "https://93.184.216.34/hooks", "https://not-yet.invalid/hooks"):
        response = world.merchant.post("/api/v1/webhook-endpoints", json={"url": url})
        assert response.status_code == 201, (url, response.get_json())


def test_the_local_development_setting_allows_a_receiver_on_loopback(world, core, monkeypatch):
    monkeypatch.setattr(core, "settings", dataclasses.replace(core.settings, webhooks_allow_private=True))
    response = world.merchant.post("/api/v1/webhook-endpoints", json={"url": "http://127.0.0.1:8000/hooks"})
    assert response.status_code == 201


def test_a_name_that_turns_loopback_after_registration_is_refused_at_delivery(world, strict, dns, receiver):
    url = f"http://shop.test:{receiver.port}/hooks"
    assert world.merchant.post("/api/v1/webhook-endpoints", json={"url": url}).status_code == 201
    dns["shop.test"] = ["127.0.0.1"]  # rebinding: the name now points at the server's own machine
    create_request(world.merchant)
    sender = Sender(strict)  # the real client the server and `qrpos worker` use
    try:
        assert sender.deliver_due() == 1
    finally:
        sender.close()
    assert receiver.seen == []
    delivery = world.merchant.get("/api/v1/webhook-deliveries").get_json()["data"][0]
    assert delivery["status"] == "pending" and delivery["last_status_code"] is None
    reason = "refused to connect: shop.test is 127.0.0.1, a loopback address"
    assert reason in delivery["last_error"] and reason in delivery["attempt_log"][0]["error"]


def test_a_name_that_no_longer_resolves_is_a_failed_attempt_with_the_reason(world, strict, dns):
    assert world.merchant.post("/api/v1/webhook-endpoints", json={"url": "https://shop.test/h"}).status_code == 201
    dns["shop.test"] = None  # the name is gone
    create_request(world.merchant)
    sender = Sender(strict)
    try:
        assert sender.deliver_due() == 1
    finally:
        sender.close()
    delivery = world.merchant.get("/api/v1/webhook-deliveries").get_json()["data"][0]
    assert "refused to connect: cannot resolve shop.test" in delivery["last_error"]


def test_the_guard_connects_to_the_address_it_checked_and_keeps_the_name_in_the_host_header(receiver):
    checked = []

    def addresses(host, port):
        checked.append((host, port))
        return ["127.0.0.1"]  # as if this were the public address the check passed

    with httpx.Client(transport=PublicOnlyTransport(addresses)) as client:
        response = client.post(f"http://hooks.shop.test:{receiver.port}/hooks", content=b'{"id":"evt_1"}')
    assert response.status_code == 204 and checked == [("hooks.shop.test", receiver.port)]
    assert receiver.seen == [{"host": f"hooks.shop.test:{receiver.port}", "path": "/hooks", "body": b'{"id":"evt_1"}'}]


def test_the_real_resolver_expands_numeric_hosts_and_the_check_sees_through_them():
    assert webhook_targets.resolve("2130706433", 80) == ["127.0.0.1"]
    with pytest.raises(webhook_targets.TargetRefused):
        webhook_targets.public_addresses("localhost", 80)


@pytest.mark.parametrize(("address", "reason"), [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.0.0.1", "private"), ("192.168.0.1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1%eth0", "link-local"), ("224.0.0.251", "multicast"),
    ("ff02::1", "multicast"), ("0.0.0.0", "unspecified"), ("::", "unspecified"), ("240.0.0.1", "reserved"),
    ("::ffff:10.0.0.1", "private"), ("2002:7f00:1::1", "loopback"), ("100.64.0.1", "not globally routable"),
    ("93.184.216.34", None), ("2606:4700::6810:1", None), ("8.8.8.8", None),
])
def test_each_kind_of_address_is_named(address, reason):
    assert webhook_targets.why_not_public(address) == reason


def test_the_setting_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(webhook_targets.ALLOW_PRIVATE_ENV, "1")
    assert webhook_targets.allow_private_from_env()
    monkeypatch.setenv(webhook_targets.ALLOW_PRIVATE_ENV, "0")
    assert not webhook_targets.allow_private_from_env()
