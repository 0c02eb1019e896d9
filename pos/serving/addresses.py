"""This machine's names and LAN addresses, found without sending a packet.

Phones on the shop's Wi-Fi reach the server by one of its LAN IPv4 addresses, so the server
certificate must name them. Two cheap tricks find them offline: connecting a UDP socket only asks
the kernel for a route (nothing is sent), and its local address is then the interface that route
leaves by; the host name's own resolution adds the rest. Loopback, link-local, unspecified and
multicast addresses are left out: a phone cannot reach them.
"""

from __future__ import annotations

import ipaddress
import socket

# Non-routable targets (private, TEST-NET): a route to them exists on any LAN host with a default
# route, and connecting a UDP socket sends nothing.
_ROUTE_PROBES = ("10.255.255.255", "192.168.255.255", "172.31.255.255")


def hostname() -> str:
    """The machine's short host name, lower case, as a DNS name for the certificate (may be '')."""
    name = socket.gethostname().strip().lower().rstrip(".")
    return name if _is_dns_name(name) else ""


def lan_ipv4_addresses() -> list[str]:
    """This machine's IPv4 addresses that another device on the LAN could reach, sorted."""
    found: set[str] = set()
    for probe in _ROUTE_PROBES:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            try:
                udp.connect((probe, 9))
                found.add(udp.getsockname()[0])
            except OSError:
                continue  # no route there (no network at all, or no default route)
    name = socket.gethostname()
    try:
        for *_, sockaddr in socket.getaddrinfo(name, None, socket.AF_INET, socket.SOCK_STREAM):
            found.add(str(sockaddr[0]))
    except (OSError, UnicodeError):
        pass  # the host name does not resolve: the route probes are all we have
    return sorted((a for a in found if reachable_from_lan(a)), key=lambda a: ipaddress.ip_address(a).packed)


def reachable_from_lan(address: str) -> bool:
    """False for addresses that never lead to this machine from another one."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast)


def _is_dns_name(name: str) -> bool:
    labels = name.split(".")
    return 0 < len(name) <= 253 and all(
        0 < len(label) <= 63 and label.replace("-", "").isalnum() and label.isascii()
        and not label.startswith("-") and not label.endswith("-")
        for label in labels
    )
