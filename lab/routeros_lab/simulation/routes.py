"""Gateway reachability and the routes it makes active: connected routes of the running addresses,
the immediate gateway of each route (``check-gateway`` asks ``host_answers``), the best distance per
table and destination (ECMP on a tie)."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from ..storage import Item
from . import addresses, dhcp, pppoe

if TYPE_CHECKING:
    from ..menus.base import LabRouter

# The connected route of address n is CONNECTED_ID_BASE + n.
CONNECTED_ID_BASE = 0x20180000

Subnets = list[tuple[ipaddress.IPv4Network, str, Item]]


def connected_subnets(router: LabRouter) -> Subnets:
    out = []
    for item in list(router.tables["/ip/address"].items.values()) + dhcp.address_items(router):
        if item.values.get("disabled") == "true":
            continue
        iface = item.values.get("interface", "")
        if not router.interface_running(iface):
            continue
        net = addresses.interface(item.values["address"]).network
        out.append((net, iface, item))
    return out


def connected_ids(router: LabRouter) -> set[int]:
    return {CONNECTED_ID_BASE + item.id for dummy, dummy, item in connected_subnets(router)}


def connected_items(router: LabRouter) -> list[Item]:
    items = []
    for net, iface, addr in connected_subnets(router):
        local = addr.values["address"].split("/")[0]
        items.append(Item(CONNECTED_ID_BASE + addr.id, {
            "dst-address": str(net), "gateway": iface, "distance": "0", "scope": "10", "target-scope": "5",
            "routing-table": "main"}, dynamic=True, builtin=True, meta={"connected": True, "local": "%s%%%s" % (local, iface)}))
    return items


def uplink_route_items(router: LabRouter) -> list[Item]:
    """The dynamic default routes DHCP clients (a lease, ``add-default-route``) and PPPoE clients
    (session up, ``add-default-route=yes``) install."""
    return dhcp.route_items(router) + pppoe.route_items(router)


def gateway_state(router: LabRouter, gateway: str, check: str | None, subnets: Subnets) -> str | None:
    """The immediate gateway when ``gateway`` is usable, else None."""
    for gw in gateway.split(","):
        address, dummy, iface = gw.partition("%")
        address, dummy, _table = address.partition("@")
        try:
            ip = addresses.address(address)
        except ValueError:
            if router.interface_running(address):
                return address
            continue
        if iface:
            if not router.interface_running(iface):
                continue
            if check and check != "none" and not router.host_answers(address):
                continue
            return "%s%%%s" % (address, iface)
        for net, net_iface, dummy in subnets:
            if ip in net:
                if check and check != "none" and not router.host_answers(address):
                    break
                return "%s%%%s" % (address, net_iface)
    return None


def route_state(router: LabRouter) -> dict[int, dict[str, str | None]]:
    """Per route id: ``immediate-gw``, ``usable``, and ``active``/``ecmp`` for the winners."""
    subnets = connected_subnets(router)
    state: dict[int, dict[str, str | None]] = {}
    groups: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for item in connected_items(router):
        state[item.id] = {"immediate-gw": item.values["gateway"], "usable": "yes"}
        groups.setdefault(("main", item.values["dst-address"]), []).append((0, item.id))
    for item in uplink_route_items(router):
        # a DHCP client's check-gateway checks the routes it installs
        if item.meta.get("check", "none") != "none" and not router.host_answers(item.meta["gateway"]):
            state[item.id] = {"immediate-gw": "", "usable": None}
            continue
        state[item.id] = {"immediate-gw": item.meta["immediate"], "usable": "yes"}
        key = (item.values["routing-table"], item.values["dst-address"])
        groups.setdefault(key, []).append((int(item.values["distance"]), item.id))
    for item in router.tables["/ip/route"].items.values():
        values = item.values
        if values.get("disabled") == "true":
            state[item.id] = {}
            continue
        if "blackhole" in values:
            immediate: str | None = ""
            usable = True
        else:
            immediate = gateway_state(router, values.get("gateway", ""), values.get("check-gateway"), subnets)
            usable = immediate is not None
        state[item.id] = {"immediate-gw": immediate if usable else "", "usable": "yes" if usable else None}
        if usable:
            key = (values.get("routing-table", "main"), values.get("dst-address", "0.0.0.0/0"))
            groups.setdefault(key, []).append((int(values.get("distance", "1")), item.id))
    for members in groups.values():
        best = min(distance for distance, dummy in members)
        winners = [item_id for distance, item_id in members if distance == best]
        for item_id in winners:
            state[item_id]["active"] = "true"
            if len(winners) > 1:
                state[item_id]["ecmp"] = "true"
    return state
