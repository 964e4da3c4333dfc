"""``/ip/route``: static routes, with the connected and uplink routes the lab adds, their immediate
gateway and which are active (``simulation.routes``)."""

from __future__ import annotations

import ipaddress
from typing import Any, Iterable

from ..reply import Fault
from ..simulation import routes
from ..storage import Item, Table
from .base import COMMENT, IFACE_REF, LIST_VERBS, TABLE_REF, Export, LabRouter, c, declare, f, flag, ro

ROUTE = declare("/ip/route", {
    "export": Export(order=170, written=True),
    "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "route",
    "fields": {
        "dst-address": f("prefix", default="0.0.0.0/0", show="always"),
        "gateway": f("str"),
        "immediate-gw": ro(),
        "check-gateway": c("enum", choices=("none", "arp", "ping")),
        "distance": f("int", default="1", show="always", range=(1, 255)),
        "scope": f("int", default="30", show="always", range=(0, 255)),
        "target-scope": f("int", default="10", show="always", range=(0, 255)),
        "routing-table": f("ref", ref=TABLE_REF, default="main", show="always"),
        "pref-src": f("address"),
        "blackhole": c("switch"),
        "vrf-interface": c("ref", ref=IFACE_REF),
        "suppress-hw-offload": f("bool"),
        "comment": COMMENT,
        "disabled": f("bool", absent="false"),
        "local-address": ro(),
        "dynamic": ro("false"),
        "connect": flag(), "dhcp": flag(), "static": flag(), "ecmp": flag(),
        "active": flag(),
        "inactive": ro("false"),
    },
    # print shape of a disabled route
    "disabled_shape": (".id", "dst-address", "gateway", "disabled", "inactive", "static", "comment"),
})


@ROUTE.context
def _route_state(router: LabRouter, path: str) -> dict[str, Any]:
    return {"routes": routes.route_state(router)}


@ROUTE.items
def _all_routes(router: LabRouter, path: str) -> Iterable[Item]:
    yield from routes.connected_items(router)
    yield from routes.uplink_route_items(router)
    yield from list(router.tables[path].items.values())


@ROUTE.fixed_ids
def _connected_ids(router: LabRouter, path: str) -> set[int]:
    return routes.connected_ids(router)


@ROUTE.derive
def _derive(router: LabRouter, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
    info = ctx["routes"].get(item.id, {})
    if item.meta and item.meta.get("connected"):
        return {"immediate-gw": info.get("immediate-gw"), "connect": "true", "active": info.get("active"),
                "inactive": "false", "local-address": item.meta["local"], "static": None}
    if item.meta and item.meta.get("uplink"):
        usable = info.get("usable") is not None
        return {"immediate-gw": info.get("immediate-gw"), "dhcp": "true" if item.meta["uplink"] == "dhcp" else None,
                "active": info.get("active"), "ecmp": info.get("ecmp"), "inactive": "false" if usable else "true",
                "static": None}
    if item.values.get("disabled") == "true":
        return {"static": "true", "inactive": "false", "immediate-gw": None}
    usable = info.get("usable") is not None
    return {
        "immediate-gw": info.get("immediate-gw", ""),
        "static": "true",
        "active": info.get("active"),
        "ecmp": info.get("ecmp"),
        "inactive": "false" if usable else "true",
    }


@ROUTE.hook
def _no_empty_gateway(router: LabRouter, table: Table, item: Item) -> None:
    if "gateway" not in item.values and "blackhole" not in item.values:
        item.values.setdefault("gateway", "")
        if not item.values["gateway"]:
            del item.values["gateway"]


@ROUTE.parser("gateway")
def _gateway(router: LabRouter, raw: str) -> str:
    """Addresses (``a.b.c.d``, ``a.b.c.d%iface``, ``a.b.c.d@table``) or interfaces, comma separated."""
    parts = []
    for gw in raw.split(","):
        gw = gw.strip()
        if not gw:
            continue
        address, dummy, rest = gw.partition("%")
        address, dummy, table = address.partition("@")
        if rest:
            if not router.interface_exists(rest):
                raise Fault("invalid or unexpected argument base")
        if table and table not in router.tables["/routing/table"].by_name:
            raise Fault("input does not match any value of routing-table")
        try:
            ipaddress.IPv4Address(address)
        except ValueError:
            if rest or table or not router.interface_exists(address):
                raise Fault("invalid or unexpected argument base") from None
        parts.append(gw)
    return ",".join(parts)
