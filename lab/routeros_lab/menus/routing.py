"""Routing tables, policy routing rules, and RouterOS 7's ``/routing/route`` view of every route."""

from __future__ import annotations

from typing import Iterable

from ..storage import Item, Table, parse_id
from .base import (COMMENT, DISABLED_ALWAYS, IFACE_REF, LIST_VERBS, NAME_EXISTS, ORDERED_VERBS, Export, LabRouter, c,
                   declare, f, flag, ro)

TABLE = declare("/routing/table", {
    "export": Export(order=50, always=("disabled",), written=True),
    # user tables are numbered from *400 (seen on real routers: *400, *401, ...); main is *0
    "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq", "id_start": 0x400, "name": "name",
    "mandatory": ("name",), "unique": (("name",), NAME_EXISTS),
    "fields": {
        "name": f("str"), "fib": c("switch"), "comment": COMMENT,
        "dynamic": ro("false"), "invalid": ro("false"), "disabled": DISABLED_ALWAYS,
    },
})


@TABLE.builtins
def _main_table(router: LabRouter, table: Table) -> None:
    table.insert(Item(0, {"name": "main", "fib": ""}, dynamic=True, builtin=True))


RULE = declare("/routing/rule", {
    "export": Export(order=180, written=True),
    "kind": "list", "ordered": True, "verbs": ORDERED_VERBS, "ids": "seq",
    "fields": {
        "src-address": c("address"), "dst-address": c("address"),
        "routing-mark": c("ref", ref=("/routing/table", "routing-mark")),
        "interface": c("ref", ref=IFACE_REF), "action": c("enum", choices=("lookup", "lookup-only-in-table", "drop", "unreachable")),
        "table": c("ref", ref=("/routing/table", "table")), "min-prefix": c("int", range=(0, 32)),
        "comment": COMMENT, "disabled": DISABLED_ALWAYS, "inactive": ro("false"),
    },
})

# RouterOS 7's routing table view: every route of /ip/route (static, connected, DHCP, PPP), read-only
# here (a static route's comment and disabled are written through it); the tree has no add/remove.
ROUTE_VIEW = declare("/routing/route", {
    "kind": "list", "ordered": False, "verbs": ("print", "getall"), "ids": "route", "view": True, "writes_to": "/ip/route",
    "fields": {
        "dst-address": ro(), "gateway": ro(), "immediate-gw": ro(), "distance": ro(), "scope": ro(),
        "target-scope": ro(), "routing-table": ro(), "afi": ro("ip4"), "belongs-to": ro(), "local-address": ro(),
        "contribution": ro(), "dynamic": ro("false"), "active": flag(), "inactive": ro("false"),
        "static": flag(), "connect": flag(), "dhcp": flag(), "ecmp": flag(), "comment": COMMENT,
        "disabled": DISABLED_ALWAYS,
    },
})


@ROUTE_VIEW.items
def _every_route(router: LabRouter, path: str) -> Iterable[Item]:
    """Every route of ``/ip/route`` with RouterOS 7's extra columns."""
    items = []
    for row in router.render_all("/ip/route"):
        values = {k: v for k, v in row.items() if k != ".id"}
        if values.get("connect") == "true":
            values["belongs-to"] = "connected"
        elif values.get("dhcp") == "true":
            values["belongs-to"] = "DHCP"
        elif values.get("static") == "true":
            values["belongs-to"] = "Static route"
        else:
            values["belongs-to"] = "PPP"
        values["afi"] = "ip4"
        values["contribution"] = "active" if values.get("active") == "true" else "candidate"
        dynamic = values.pop("dynamic", "false") == "true"
        items.append(Item(parse_id(row[".id"]) or 0, values, dynamic=dynamic, builtin=dynamic))
    return items
