"""The reader's address for rate limits, behind reverse proxies or not.

`X-Forwarded-For` is written by whoever sent the request, so a reader can put anything in it.
It is believed only hop by hop: starting from the direct peer (REMOTE_ADDR), each address is
accepted while the one that reported it is a trusted proxy (AKHBAR_TRUSTED_PROXIES), walking
the header from the right; the first address reported by an untrusted hop is the client.
"""

import functools
import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

MAX_HOPS = 30  # a longer header is not a real proxy chain; only its right end is read


def parse_address(text: str) -> Address | None:
    """An IP address from a header value (`1.2.3.4`, `1.2.3.4:5678`, `[::1]:80`), or None."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # IPv4 with a port; bare IPv6 has several colons
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@functools.lru_cache(maxsize=8)
def parse_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """Trusted proxies from IPs and CIDRs; a bad entry is logged and left out, never trusted."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            logger.error("AKHBAR_TRUSTED_PROXIES: %r is not an IP address or network; ignored", entry)
    return tuple(networks)


def is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request) -> str:
    """The client's address as a string: REMOTE_ADDR unless a trusted proxy forwarded the request."""
    remote = request.META.get("REMOTE_ADDR", "")
    peer = parse_address(remote)
    if peer is None:
        return remote or "unknown"
    networks = parse_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks or not is_trusted(peer, networks):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in forwarded.split(",")][-MAX_HOPS:] if forwarded else []
    client = peer
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:  # garbage where an address should be: keep the last one we trust
            break
        client = address
        if not is_trusted(address, networks):
            break
    return str(client)
