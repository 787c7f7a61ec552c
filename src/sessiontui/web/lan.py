"""The address phones in the room can reach this machine on, for the URLs `serve` prints.

A server listening on every address (0.0.0.0) has no address of its own to print, and the
machine's name rarely resolves on a phone: the address of the interface that has the default
route is the one a phone on the same network (Wi-Fi, a hotspot) reaches.
"""

from __future__ import annotations

import ipaddress
import socket

WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})
"""Hosts meaning "every address of this machine"."""

# Any routable address will do: connecting a UDP socket sends nothing, it only asks the kernel
# which interface (and so which source address) the default route would use.
_PROBE_ADDRESS = ("192.0.2.1", 9)  # TEST-NET-1 (RFC 5737), never a real host


def lan_address() -> str | None:
    """This machine's IPv4 address on the network with the default route; None without one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_PROBE_ADDRESS)
            address: str = probe.getsockname()[0]
    except OSError:
        return None  # no network, or no default route
    if address in WILDCARD_HOSTS or ipaddress.ip_address(address).is_loopback:
        return None
    return address


def reachable_host(host: str) -> str:
    """The host to put in the printed URLs for a server listening on `host`.

    Every address: the LAN address (loopback when there is no network, which still works on
    this machine). A given address or name: itself, IPv6 in brackets.
    """
    if host in WILDCARD_HOSTS:
        return lan_address() or "127.0.0.1"
    bare = host.strip("[]")
    if ":" in bare:
        return f"[{bare}]"
    return host
