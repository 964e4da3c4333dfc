"""Lockout model and a faster clock: what a bad route does to the controller's sessions, and timers in seconds.

A real router whose route back to the controller no longer leaves through its management interface
stops answering the controller: its sessions hang up and new ones never get through. The control
setting ``lockout_when_route_to`` (an address, standing for the controller's, and the management
interface) makes the lab router do the same: while the best active route of table ``main`` toward
that address (longest prefix, connected routes included) leaves through another interface, or no
route leads there, every API and SSH session is dropped at its next command and new ones are closed
at once. The setting is off until a test gives it; ``None`` switches it off again.

``set_clock_rate`` runs the router's clock (scheduler, timestamps) faster than the wall clock, so a
test can see a five-minute RouterOS timer fire within seconds.
"""

from __future__ import annotations

import ipaddress
import time
from typing import Any

_ATTR = "_lockout_route_to"


def set_lockout(router: Any, address: str | None, interface: str | None = None) -> None:
    """Cut the controller off while the route to ``address`` leaves through another interface than ``interface``."""
    with router.lock:
        if not address:
            setattr(router, _ATTR, None)
            return
        if not interface:
            raise ValueError("lockout_when_route_to needs the management interface")
        setattr(router, _ATTR, (ipaddress.IPv4Address(address), interface))


def lockout_setting(router: Any) -> dict[str, str] | None:
    setting = getattr(router, _ATTR, None)
    return None if setting is None else {"address": str(setting[0]), "interface": setting[1]}


def _out_interface(row: dict[str, str]) -> str:
    """``10.10.2.1%VLAN3002`` -> ``VLAN3002``; a connected route's immediate gateway is the interface."""
    return (row.get("immediate-gw") or "").rpartition("%")[2]


def route_interface(router: Any, address: ipaddress.IPv4Address) -> str | None:
    """The interface the best active route of ``main`` toward ``address`` leaves through, or None."""
    best: tuple[int, str] | None = None
    for row in router.rows("/ip/route"):
        if row.get("active") != "true" or row.get("routing-table", "main") not in ("main", ""):
            continue
        try:
            network = ipaddress.IPv4Network(row.get("dst-address", ""), strict=False)
        except ValueError:
            continue
        if address in network and (best is None or network.prefixlen > best[0]):
            best = (network.prefixlen, _out_interface(row))
    return None if best is None else best[1]


def cut_off(router: Any) -> bool:
    """True while the controller cannot reach the router (the setting is on and the route is wrong)."""
    setting = getattr(router, _ATTR, None)
    if setting is None:
        return False
    address, interface = setting
    return route_interface(router, address) != interface


def set_clock_rate(router: Any, rate: float) -> None:
    """From now on the router's clock runs ``rate`` times as fast as the wall clock (1: real time)."""
    if rate <= 0:
        raise ValueError("rate must be positive")
    with router.lock:
        start_wall = time.time()
        start_router = router.clock()
        router.clock = lambda: start_router + (time.time() - start_wall) * rate
