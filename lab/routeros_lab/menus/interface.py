"""Interfaces: ethernet ports, VLANs and PPPoE clients (one namespace of names, one ``/interface``
view), interface lists and their members."""

from __future__ import annotations

from typing import Any, Iterable

from ..simulation import pppoe
from ..storage import Item, Table, time_text
from .base import (COMMENT, DISABLED_ALWAYS, IFACE_REF, INTERFACE_NAME_EXISTS, LIST_VERBS, NAME_EXISTS, Export,
                   LabRouter, auto_name, declare, f, ro)

# Builtin interface lists, their ids (unverified: isolated here; user lists start at *2000010) and the
# comments RouterOS gives them (real 7.x verbose exports: ``set [ find name=all ] comment="contains all
# interfaces" exclude="" include="" name=all``).
BUILTIN_INTERFACE_LISTS = (
    ("all", 0x2000000, "contains all interfaces"),
    ("none", 0x2000001, "contains no interfaces"),
    ("dynamic", 0x2000002, "contains dynamic interfaces"),
    ("static", 0x2000003, "contains static interfaces"),
)
ARP_MODES = ("disabled", "enabled", "local-proxy-arp", "proxy-arp", "reply-only")

INTERFACE = declare("/interface", {
    "kind": "list", "ordered": False, "verbs": ("print", "set", "enable", "disable", "getall"), "ids": "seq",
    "name": "name", "view": True,
    "fields": {
        "name": f("str"), "default-name": ro(), "type": ro(), "mtu": f("str", default="1500", show="always"),
        "actual-mtu": ro(), "l2mtu": ro(), "mac-address": ro(), "last-link-up-time": ro(), "link-downs": ro("0"),
        "running": ro("true"), "slave": ro("false"), "dynamic": ro("false"), "comment": COMMENT,
        "disabled": DISABLED_ALWAYS,
    },
})


@INTERFACE.items
def _every_interface(router: LabRouter, path: str) -> Iterable[Item]:
    merged = [item for owner in router.interface_tables for item in router.tables[owner].items.values()]
    merged.sort(key=lambda it: it.id)
    return merged


def mac_of(router: LabRouter, item: Item) -> str:
    """An interface's MAC address: its own, else its parent's (a VLAN's)."""
    if "mac-address" in item.values:
        return item.values["mac-address"]
    parent = router.interface_item(item.values.get("interface", ""))
    return mac_of(router, parent) if parent is not None and parent is not item else "02:00:00:00:00:00"


@INTERFACE.derive
def _derive_interface(router: LabRouter, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
    is_vlan = "vlan-id" in item.values
    is_pppoe = item.id in router.tables["/interface/pppoe-client"].items
    name = item.values.get("name", "")
    running = router.interface_running(name)
    return {
        "type": "pppoe-out" if is_pppoe else ("vlan" if is_vlan else "ether"),
        "default-name": None if is_vlan or is_pppoe else item.values.get("default-name"),
        "actual-mtu": "1480" if is_pppoe else item.values.get("mtu", "1500"),
        "l2mtu": None if is_pppoe else ("1594" if is_vlan else "1514"),
        "mac-address": None if is_pppoe else mac_of(router, item),
        "running": "true" if running else "false",
        "last-link-up-time": time_text(router.boot_time) if running else None,
    }


ETHERNET = declare("/interface/ethernet", {
    "export": Export(order=10, selector="default-name"),
    "kind": "list", "ordered": False, "verbs": ("print", "set", "enable", "disable", "getall", "reset-counters"),
    "ids": "seq", "name": "name", "interface": True,
    "fields": {
        "name": f("str"), "default-name": ro(), "mtu": f("int", default="1500", show="always", range=(0, 65535)),
        "l2mtu": ro("1514"), "mac-address": ro(), "orig-mac-address": ro(),
        "arp": f("enum", default="enabled", show="always", choices=ARP_MODES),
        "arp-timeout": f("str", default="auto", show="always"), "loop-protect": f("str", default="default", show="always"),
        "auto-negotiation": f("bool", default="true", show="always"), "speed": ro("1G-baseT-full"),
        "running": ro("true"), "slave": ro("false"), "comment": COMMENT, "disabled": DISABLED_ALWAYS,
    },
})


@ETHERNET.derive
def _derive_ethernet(router: LabRouter, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
    return {
        "default-name": item.values.get("default-name"),
        "mac-address": item.values.get("mac-address"), "orig-mac-address": item.values.get("mac-address"),
        "running": "true" if item.values.get("disabled") != "true" else "false",
    }


VLAN = declare("/interface/vlan", {
    "export": Export(order=20),
    "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "iface", "name": "name", "interface": True,
    "mandatory": ("interface", "vlan-id"),
    "unique": (("name",), INTERFACE_NAME_EXISTS),
    "fields": {
        "name": f("str"), "mtu": f("int", default="1500", show="always", range=(0, 65535)),
        "actual-mtu": ro("1500"), "l2mtu": ro(), "mac-address": ro(),
        "arp": f("enum", default="enabled", show="always", choices=("disabled", "enabled", "local-proxy-arp", "proxy-arp", "reply-only")),
        "arp-timeout": f("str", default="auto", show="always"), "loop-protect": f("str", default="default", show="always"),
        "vlan-id": f("int", range=(1, 4095)), "interface": f("ref", ref=IFACE_REF),
        "use-service-tag": f("bool", default="false", show="always"), "mvrp": f("bool", default="false", show="always"),
        "running": ro("true"), "comment": COMMENT, "disabled": DISABLED_ALWAYS,
    },
})


@VLAN.hook
def _vlan_name(router: LabRouter, table: Table, item: Item) -> None:
    auto_name(table, item, "vlan")


@VLAN.derive
def _derive_vlan(router: LabRouter, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
    return {
        "mac-address": mac_of(router, item), "l2mtu": "1594", "actual-mtu": item.values.get("mtu", "1500"),
        "running": "true" if router.interface_running(item.values.get("name", "")) else "false",
    }


# PPPoE clients: interfaces of type pppoe-out (one namespace with ethernet and VLAN names); the
# session is up when the control port says so (``set_pppoe_session``). ``password`` is printed, and
# exported only with ``show-sensitive``.
PPPOE_CLIENT = declare("/interface/pppoe-client", {
    "export": Export(order=30, sensitive=("password",)),
    "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "iface", "name": "name", "interface": True,
    "mandatory": ("interface",), "unique": (("name",), INTERFACE_NAME_EXISTS),
    "fields": {
        "name": f("str"), "interface": f("ref", ref=IFACE_REF), "user": f("str", default="", show="always"),
        "password": f("str", default="", show="always"),
        "add-default-route": f("bool", default="false", show="always"),
        "default-route-distance": f("int", default="1", show="always", range=(0, 255)),
        "use-peer-dns": f("bool", default="false", show="always"),
        "dial-on-demand": f("bool", default="false", show="always"),
        "profile": f("str", default="default", show="always"),
        "max-mtu": f("str", default="auto", show="always"), "max-mru": f("str", default="auto", show="always"),
        "mrru": f("str", default="disabled", show="always"),
        "allow": f("set", default="pap,chap,mschap1,mschap2", show="always"),
        "keepalive-timeout": f("duration", default="10", show="always", specials=("disabled",)),
        "service-name": f("str", default="", show="always"), "ac-name": f("str", default="", show="always"),
        "running": ro("false"), "invalid": ro("false"), "comment": COMMENT, "disabled": DISABLED_ALWAYS,
    },
})


@PPPOE_CLIENT.hook
def _pppoe_name(router: LabRouter, table: Table, item: Item) -> None:
    auto_name(table, item, "pppoe-out")


@PPPOE_CLIENT.running
def _session_up(router: LabRouter, item: Item) -> bool:
    return pppoe.session_running(router, item)


@PPPOE_CLIENT.derive
def _derive_pppoe_client(router: LabRouter, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
    return {"running": "true" if router.interface_running(item.values.get("name", "")) else "false"}


INTERFACE_LIST = declare("/interface/list", {
    "export": Export(order=40),
    # user lists are numbered from *2000010 (seen on real routers: defconf WAN *2000010, LAN *2000011)
    "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq", "id_start": 0x2000010, "name": "name",
    "mandatory": ("name",), "unique": (("name",), NAME_EXISTS),
    "builtin_set": "unchanged",
    "fields": {
        "name": f("str"), "include": f("str", default="", show="always"), "exclude": f("str", default="", show="always"),
        "builtin": ro("false"), "dynamic": ro("false"), "comment": COMMENT,
    },
})


@INTERFACE_LIST.builtins
def _builtin_lists(router: LabRouter, table: Table) -> None:
    for list_name, list_id, comment in BUILTIN_INTERFACE_LISTS:
        table.insert(Item(list_id, {"name": list_name, "comment": comment}, builtin=True))


MEMBER = declare("/interface/list/member", {
    "export": Export(order=90),
    "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq",
    "mandatory": ("list", "interface"), "unique": (("list", "interface"), "failure: already have such entry"),
    "fields": {
        "list": f("ref", ref=("/interface/list", "list")), "interface": f("ref", ref=IFACE_REF),
        "dynamic": ro("false"), "comment": COMMENT, "disabled": DISABLED_ALWAYS,
    },
})
