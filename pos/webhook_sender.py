"""The webhook sender: claims due deliveries from the outbox, POSTs them signed, records each attempt.

Lives outside the core because it speaks HTTP (httpx). Runs as ``qrpos worker`` or as a thread of
``qrpos serve``; several senders may run at once, since each delivery is leased when claimed.
"""

from __future__ import annotations

import logging
import threading
import time

import httpx

from pos.core.platform import webhooks
from pos.core.platform.clock import US
from pos.webhook_transport import PublicOnlyTransport

log = logging.getLogger(__name__)
USER_AGENT = "qrpos-webhooks/1"


class Sender:
    """Send due deliveries with ``client`` (a real one by default; tests pass a MockTransport).

    The default client connects only to public addresses, checked at each connection
    (:mod:`pos.webhook_transport`), unless QRPOS_WEBHOOKS_ALLOW_PRIVATE allows local receivers.
    """

    def __init__(self, core, client: httpx.Client | None = None, *, timeout: float = 10.0):
        self.core = core
        if client is None:
            transport = None if core.settings.webhooks_allow_private else PublicOnlyTransport()
            client = httpx.Client(timeout=timeout, follow_redirects=False, transport=transport,
                                  headers={"User-Agent": USER_AGENT})
        self.client = client

    def deliver_due(self, limit: int = 20) -> int:
        """Send one batch of due deliveries; return how many were attempted."""
        batch = webhooks.claim_due(self.core, limit=limit)
        for delivery in batch:
            self.deliver(delivery)
        return len(batch)

    def deliver(self, delivery: dict) -> dict:
        body = delivery["body"].encode()
        headers = {
            "Content-Type": "application/json",
            webhooks.SIGNATURE_HEADER: webhooks.sign(delivery["secret"], self.core.now() // US, body),
            "Qrpos-Event-Id": delivery["event_id"],
            "Qrpos-Delivery-Id": delivery["delivery_id"],
            "Qrpos-Attempt": str(delivery["attempt"]),
        }
        started = time.perf_counter()
        try:
            response = self.client.post(delivery["url"], content=body, headers=headers)
            status, error = response.status_code, None
            if not 200 <= status < 300:
                error = f"HTTP {status}: {response.text[:200]}"
        except httpx.HTTPError as exc:
            status, error = None, f"{type(exc).__name__}: {exc}"[:500]
        duration_us = int((time.perf_counter() - started) * 1_000_000)
        if error:
            log.info("webhook %s to %s failed: %s", delivery["delivery_id"], delivery["url"], error)
        return webhooks.record_attempt(self.core, delivery_id=delivery["delivery_id"], status_code=status, error=error,
                                       duration_us=duration_us)

    def close(self) -> None:
        self.client.close()


def run(core, stop: threading.Event, *, interval: float = 1.0, sender: Sender | None = None) -> None:
    """Send until ``stop`` is set; sleep ``interval`` only when nothing was due."""
    sender = sender or Sender(core)
    try:
        while not stop.is_set():
            try:
                busy = sender.deliver_due()
            except Exception:  # a database hiccup must not kill the worker; the next round retries
                log.exception("webhook round failed")
                busy = 0
            if not busy:
                stop.wait(interval)
    finally:
        sender.close()
