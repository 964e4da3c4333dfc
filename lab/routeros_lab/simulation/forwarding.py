"""The routing decision: which table a packet is looked up in and the route it takes there.

RouterOS 7 decides in this order (the collection's connection_marks role relies on it): a routing mark
set by mangle is looked up in its table first (before the router's own addresses, and without falling
back to ``main``: a marked table without a route drops the packet); then a packet to one of the
router's addresses is delivered locally; then ``/routing/rule`` in order (``lookup`` goes on to the next
rule when the table has no route, ``lookup-only-in-table`` does not, ``drop``/``unreachable`` stop);
then ``main``. In a table, the longest prefix among the active routes wins (``routes.route_state``
decides which routes are active: gateway reachability, ``check-gateway``, distance); of an ECMP group
the first route is taken.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import addresses, routes

if TYPE_CHECKING:
    from ..menus.base import LabRouter

Address = ipaddress.IPv4Address


@dataclass(frozen=True)
class Hop:
    """The route a packet takes: its table, the route's id, the interface it leaves through and the
    gateway it is handed to (None when the destination is on a connected network)."""

    table: str
    route_id: str
    interface: str
    gateway: Address | None


@dataclass(frozen=True)
class Decision:
    """Where a packet goes: ``local`` (to the router itself), ``hop`` (forwarded) or neither
    (``reason``: no route, or a rule that drops it)."""

    table: str
    hop: Hop | None = None
    local: bool = False
    rule_id: str | None = None
    reason: str = ""


def local_addresses(router: LabRouter) -> dict[Address, str]:
    """The router's own addresses (on running interfaces) and their interfaces."""
    out: dict[Address, str] = {}
    for dummy, iface, item in routes.connected_subnets(router):
        out[addresses.interface(item.values["address"]).ip] = iface
    return out


def interface_address(router: LabRouter, interface: str, near: Address | None = None) -> Address | None:
    """The router's address on ``interface``: the one whose network holds ``near`` if any, else the first."""
    first: Address | None = None
    for network, iface, item in routes.connected_subnets(router):
        if iface != interface:
            continue
        address = addresses.interface(item.values["address"]).ip
        if near is not None and near in network:
            return address
        first = first or address
    return first


def _network(text: str) -> ipaddress.IPv4Network | None:
    try:
        return addresses.network(text or "0.0.0.0/0")
    except ValueError:
        return None


def _hop(table: str, row: dict[str, str]) -> Hop:
    immediate = row.get("immediate-gw", "")
    gateway_text, dummy, interface = immediate.partition("%")
    try:
        gateway: Address | None = Address(gateway_text)
    except ValueError:
        # a connected route (or an interface gateway): the immediate gateway is the interface itself
        gateway, interface = None, immediate
    return Hop(table=table, route_id=row.get(".id", ""), interface=interface, gateway=gateway)


def lookup(router: LabRouter, table: str, dst: Address) -> Hop | None:
    """The active route of ``table`` toward ``dst`` with the longest prefix; None when there is none."""
    best: tuple[int, dict[str, str]] | None = None
    for row in router.rows("/ip/route"):
        if row.get("active") != "true" or (row.get("routing-table") or "main") != table or "blackhole" in row:
            continue
        network = _network(row.get("dst-address", ""))
        if network is None or dst not in network:
            continue
        if best is None or network.prefixlen > best[0]:
            best = (network.prefixlen, row)
    return None if best is None else _hop(table, best[1])


def _rule_matches(rule: dict[str, str], src: Address | None, dst: Address, routing_mark: str | None,
                  in_interface: str | None) -> bool:
    if rule.get("disabled") == "true":
        return False
    for name, value in (("src-address", src), ("dst-address", dst)):
        if name in rule:
            network = _network(rule[name])
            if value is None or network is None or value not in network:
                return False
    if "routing-mark" in rule and rule["routing-mark"] != (routing_mark or ""):
        return False
    if "interface" in rule and rule["interface"] != (in_interface or ""):
        return False
    return True


def decide(router: LabRouter, dst: Address, src: Address | None = None, routing_mark: str | None = None,
           in_interface: str | None = None) -> Decision:
    """The routing decision for a packet to ``dst`` (from ``src``, carrying ``routing_mark``, arrived on
    ``in_interface``; None for the router's own packets)."""
    if routing_mark and routing_mark != "main":
        hop = lookup(router, routing_mark, dst)
        return Decision(table=routing_mark, hop=hop, reason="" if hop else "no route to host")
    if dst in local_addresses(router):
        return Decision(table="main", local=True)
    for rule in router.rows("/routing/rule"):
        if not _rule_matches(rule, src, dst, routing_mark, in_interface):
            continue
        action = rule.get("action", "lookup")
        table = rule.get("table", "main")
        if action in ("drop", "unreachable"):
            return Decision(table=table, rule_id=rule.get(".id"), reason="no route to host")
        hop = lookup(router, table, dst)
        if hop is not None or action == "lookup-only-in-table":
            return Decision(table=table, hop=hop, rule_id=rule.get(".id"), reason="" if hop else "no route to host")
    hop = lookup(router, "main", dst)
    return Decision(table="main", hop=hop, reason="" if hop else "no route to host")
