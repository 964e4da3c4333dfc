"""PPPoE clients: a session is up when the control port says so; a client with ``add-default-route``
and its session up adds a dynamic default route."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..storage import Item

if TYPE_CHECKING:
    from ..menus.base import LabRouter

# PPPoE client n -> its default route's id PPP_ROUTE_ID_BASE + n (unverified).
PPP_ROUTE_ID_BASE = 0x31000000


def set_session(router: LabRouter, name: str, up: bool) -> None:
    """Bring the session of the PPPoE client ``name`` up or down."""
    item_id = router.tables["/interface/pppoe-client"].by_name.get(name)
    if item_id is None:
        raise ValueError("no PPPoE client named %r" % name)
    if up:
        router.pppoe_up.add(item_id)
    else:
        router.pppoe_up.discard(item_id)


def session_running(router: LabRouter, item: Item) -> bool:
    """A client runs while its session is up over a running interface."""
    return item.id in router.pppoe_up and router.interface_running(item.values.get("interface", ""))


def route_items(router: LabRouter) -> list[Item]:
    items = []
    for client in router.tables["/interface/pppoe-client"].items.values():
        name = client.values.get("name", "")
        if client.values.get("add-default-route") != "true" or not router.interface_running(name):
            continue
        items.append(Item(PPP_ROUTE_ID_BASE + client.id, {
            "dst-address": "0.0.0.0/0", "gateway": name, "distance": client.values.get("default-route-distance", "1"),
            "scope": "30", "target-scope": "10", "routing-table": "main"}, dynamic=True, builtin=True,
            meta={"uplink": "pppoe", "immediate": name}))
    return items
