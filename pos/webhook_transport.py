"""An httpx transport for webhook deliveries that connects only to public addresses.

The host is resolved once, at connection time, every address checked with
:mod:`pos.core.platform.webhook_targets`, and the TCP connection made to a checked address itself,
so a DNS answer that changes between the check and the connect (rebinding) cannot slip through.
TLS still verifies the certificate against the host name. A refused target raises
``httpx.ConnectError`` with the reason ("hooks.shop.example is 127.0.0.1, a loopback address..."),
which the sender records as the attempt's error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import httpcore
import httpx

from pos.core.errors import QrposError
from pos.core.platform import webhook_targets


class PublicOnlyBackend(httpcore.NetworkBackend):
    """httpcore's own sync backend, behind an address check made on the addresses it connects to."""

    def __init__(self, addresses: Callable[[str, int], list[str]] | None = None):
        self._inner = httpcore.SyncBackend()
        self._addresses = addresses or webhook_targets.public_addresses

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        try:
            addresses = self._addresses(host, port)
        except QrposError as refused:
            raise httpcore.ConnectError(f"refused to connect: {refused.message}") from None
        failure: Exception = httpcore.ConnectError(f"no address for {host}")
        for address in addresses:
            try:
                return self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        raise failure

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("refused to connect: webhooks are not sent to local sockets")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class PublicOnlyTransport(httpx.HTTPTransport):
    """httpx's HTTP transport on a connection pool whose every connection goes through PublicOnlyBackend."""

    def __init__(self, addresses: Callable[[str, int], list[str]] | None = None):
        super().__init__(trust_env=False)  # no proxy from the environment: the check must see the real target
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(trust_env=False),
                                             network_backend=PublicOnlyBackend(addresses))
