"""State files: a router's configuration and simulated uplink state as JSON (``--state``, the control port)."""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING, Any

from .menus import MENUS
from .storage import Item, Table

if TYPE_CHECKING:
    from .model import Router

# Not configuration: a router forgets its connections when it restarts.
TRANSIENT = ("/ip/firewall/connection",)


def to_json(router: Router) -> dict[str, Any]:
    tables = {}
    for path, table in router.tables.items():
        if path in TRANSIENT:
            continue
        tables[path] = {
            "next_id": table.next_id,
            "items": [[item.id, item.values, item.dynamic, item.builtin, item.meta] for item in table.items.values()],
        }
    return {"name": router.name, "identity": router.identity(), "version": router.version, "interfaces": router.interfaces,
            "board_name": router.board_name, "iface_next": router.iface_next, "unreachable": sorted(router.unreachable),
            "dhcp_leases": dict(router.dhcp_leases), "pppoe_up": sorted(router.pppoe_up),
            "tables": tables}


def load_state(router: Router, data: dict[str, Any]) -> None:
    for path, saved in data.get("tables", {}).items():
        if path not in router.tables:
            continue
        table = Table(path, MENUS[path])
        table.next_id = saved["next_id"]
        for item_id, values, dynamic, builtin, meta in saved["items"]:
            item = Item(item_id, dict(values), dynamic, builtin, meta)
            table.insert(item)
            if meta and "expires" in meta:
                heapq.heappush(table.expiry, (meta["expires"], item_id))
        router.tables[path] = table
    router.iface_next = data.get("iface_next", router.iface_next)
    router.unreachable = set(data.get("unreachable", ()))
    router.dhcp_leases = dict(data.get("dhcp_leases", {}))
    router.pppoe_up = set(data.get("pppoe_up", ()))
