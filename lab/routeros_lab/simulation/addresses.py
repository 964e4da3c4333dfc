"""Addresses as the simulation reads them from the tables' text, parsed once per distinct text.

Every probe walks the routes, the router's addresses and the firewall's matchers again (the tables may have changed
since the last one), and parsing the same texts each time was most of a probe's cost. The parsed objects are
immutable, so a parse is kept for the process's life; an invalid text raises ValueError each time it is asked for.
"""

from __future__ import annotations

import functools
import ipaddress


@functools.lru_cache(maxsize=65536)
def interface(text: str) -> ipaddress.IPv4Interface:
    """``10.10.2.2/30`` (an address with its network)."""
    return ipaddress.IPv4Interface(text)


@functools.lru_cache(maxsize=65536)
def network(text: str) -> ipaddress.IPv4Network:
    """``10.0.0.0/8`` or a host's ``10.0.0.1`` (host bits allowed, as RouterOS takes them)."""
    return ipaddress.IPv4Network(text, strict=False)


@functools.lru_cache(maxsize=65536)
def address(text: str) -> ipaddress.IPv4Address:
    return ipaddress.IPv4Address(text)
