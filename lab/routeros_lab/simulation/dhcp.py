"""DHCP clients: the lease the control port offers on an interface binds the client there; a bound
client adds the address and, with ``add-default-route``, dynamic default routes."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from ..storage import Item

if TYPE_CHECKING:
    from ..menus.base import LabRouter

# Ids of what a client n installs: its k-th default route DHCP_ROUTE_ID_BASE + n * 0x100 + k, its
# address DHCP_ADDRESS_ID_BASE + n (unverified).
DHCP_ROUTE_ID_BASE = 0x30000000
DHCP_ADDRESS_ID_BASE = 0x100000


def set_lease(router: LabRouter, interface: str, address: str, gateway: str) -> None:
    """The DHCP server on ``interface`` offers ``address`` (CIDR) with ``gateway``, or nothing (empty ``address``)."""
    if not address:
        router.dhcp_leases.pop(interface, None)
        return
    ipaddress.IPv4Interface(address)
    ipaddress.IPv4Address(gateway)
    router.dhcp_leases[interface] = {"address": address, "gateway": gateway}


def bound_leases(router: LabRouter) -> list[tuple[Item, dict[str, str]]]:
    """(client, lease) of every enabled DHCP client with a lease on a running interface."""
    out = []
    for item in router.tables["/ip/dhcp-client"].items.values():
        lease = router.dhcp_leases.get(item.values.get("interface", ""))
        if lease and item.values.get("disabled") != "true" and router.interface_running(item.values.get("interface", "")):
            out.append((item, lease))
    return out


def address_items(router: LabRouter) -> list[Item]:
    return [Item(DHCP_ADDRESS_ID_BASE + client.id, {"address": lease["address"], "interface": client.values["interface"]},
                 dynamic=True) for client, lease in bound_leases(router)]


def route_tables(value: str | None, distance: str) -> list[tuple[str, str]]:
    """``default-route-tables`` -> (table, distance): ``table[:distance],...``; a table without a
    distance, and ``default`` (main), take ``default-route-distance``."""
    out = []
    for part in (value or "default").split(","):
        table, dummy, own = part.strip().partition(":")
        if table:
            out.append(("main" if table == "default" else table, own or distance))
    return out


def route_items(router: LabRouter) -> list[Item]:
    """The dynamic default routes of the bound clients with ``add-default-route``."""
    items = []
    for client, lease in bound_leases(router):
        if client.values.get("add-default-route", "yes") == "no":
            continue
        iface = client.values["interface"]
        tables = route_tables(client.values.get("default-route-tables"), client.values.get("default-route-distance", "1"))
        for index, (table, distance) in enumerate(tables):
            items.append(Item(DHCP_ROUTE_ID_BASE + client.id * 0x100 + index, {
                "dst-address": "0.0.0.0/0", "gateway": lease["gateway"], "distance": distance, "scope": "30",
                "target-scope": "10", "routing-table": table}, dynamic=True, builtin=True,
                meta={"uplink": "dhcp", "immediate": "%s%%%s" % (lease["gateway"], iface),
                      "check": client.values.get("check-gateway", "none"), "gateway": lease["gateway"]}))
    return items


def client_state(router: LabRouter, item: Item) -> dict[str, str | None]:
    """The status columns of one client."""
    lease = router.dhcp_leases.get(item.values.get("interface", ""))
    if item.values.get("disabled") == "true":
        return {"status": "stopped"}
    if not lease or not router.interface_running(item.values.get("interface", "")):
        return {"status": "searching..."}
    return {"status": "bound", "address": lease["address"], "gateway": lease["gateway"], "dhcp-server": lease["gateway"],
            "expires-after": "10m"}
