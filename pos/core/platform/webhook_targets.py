"""Where webhooks may be sent: public addresses only, so an endpoint cannot aim the server at itself
or at its private network (server-side request forgery).

A URL is http(s) and its host is, or resolves only to, public addresses: not loopback, link-local,
private, multicast, unspecified, reserved or otherwise not globally routable, also when written as an
IPv4-mapped IPv6 address or in a numeric form that the resolver expands (``2130706433``). It is checked
when an endpoint is registered (a name that does not resolve yet is accepted) and again at every
delivery, on the addresses the sender then connects to (``pos.webhook_sender``), since DNS may change.

``QRPOS_WEBHOOKS_ALLOW_PRIVATE=1`` lifts the rule for local development (a receiver on 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
import os
import socket
from urllib.parse import urlsplit

from pos.core.errors import InvalidInput

ALLOW_PRIVATE_ENV = "QRPOS_WEBHOOKS_ALLOW_PRIVATE"
_KINDS = ("unspecified", "loopback", "link_local", "multicast", "reserved", "private")  # most specific first


class TargetRefused(InvalidInput):
    """A webhook target that is not a public address (or cannot be resolved at delivery)."""

    code = "WEBHOOK_URL_NOT_PUBLIC"


def allow_private_from_env() -> bool:
    return os.environ.get(ALLOW_PRIVATE_ENV, "0").lower() in ("1", "true", "yes", "on")


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (tests replace this function to play DNS)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def why_not_public(address: str) -> str | None:
    """None for a public address, else what it is ("loopback", "private", ...)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone ("fe80::1%eth0") is not part of it
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and (reason := why_not_public(str(embedded))):
            return reason
    for kind in _KINDS:
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if ip.is_global else "not globally routable"


def _refuse_non_public(host: str, addresses: list[str]) -> None:
    for address in addresses:
        if reason := why_not_public(address):
            raise TargetRefused(f"{host} is {address}, a {reason} address: webhooks go to public addresses only")


def public_addresses(host: str, port: int) -> list[str]:
    """The addresses to connect to for ``host``; every one must be public.

    :raises TargetRefused: when the host does not resolve, or any of its addresses is not public.
    """
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as error:
        raise TargetRefused(f"cannot resolve {host}: {error}") from None
    _refuse_non_public(host, addresses)
    return addresses


def check_registration(url: str, *, allow_private: bool) -> None:
    """Refuse a URL whose host is (or resolves to) a non-public address; accept a name that does not
    resolve yet (delivery checks again).

    :raises TargetRefused: WEBHOOK_URL_NOT_PUBLIC.
    """
    if allow_private:
        return
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise InvalidInput("a webhook URL's port must be 1-65535", code="INVALID_URL") from None
    try:
        addresses = [str(ipaddress.ip_address(host.split("%", 1)[0]))]
    except ValueError:
        try:
            addresses = resolve(host, port)
        except (OSError, UnicodeError):
            return  # not resolvable now: accepted, and refused at delivery if it still is not public
    _refuse_non_public(host, addresses)
