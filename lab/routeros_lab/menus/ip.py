"""IP addresses, DHCP clients, services, IP settings and VRFs."""

from __future__ import annotations

import ipaddress
from typing import Any, Iterable

from ..simulation import dhcp
from ..storage import Item, Table
from .base import (COMMENT, DISABLED_ALWAYS, IFACE_REF, LIST_VERBS, NAME_EXISTS, ORDERED_VERBS, SINGLETON_VERBS,
                   Export, LabRouter, c, declare, f, ro)

# Unverified texts, isolated here: a second identical address on one interface, a second DHCP client
# on one interface.
ADDRESS_EXISTS = "failure: already have such address"
DHCP_CLIENT_EXISTS = "failure: dhcp-client already exists on this interface"

# RouterOS 7's services and ports; ``certificate`` only on www-ssl and api-ssl.
IP_SERVICES = (("telnet", 23), ("ftp", 21), ("www", 80), ("ssh", 22), ("www-ssl", 443), ("api", 8728),
               ("winbox", 8291), ("api-ssl", 8729))

ADDRESS = declare("/ip/address", {
    "export": Export(order=100),
    "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq",
    "mandatory": ("address", "interface"), "unique": (("address", "interface"), ADDRESS_EXISTS),
    "fields": {
        "address": f("ifaddress"), "network": f("str"), "interface": f("ref", ref=IFACE_REF),
        "actual-interface": ro(), "invalid": ro("false"), "dynamic": ro("false"), "comment": COMMENT,
        "disabled": DISABLED_ALWAYS,
    },
})


@ADDRESS.items
def _addresses(router: LabRouter, path: str) -> Iterable[Item]:
    yield from dhcp.address_items(router)
    yield from list(router.tables[path].items.values())


@ADDRESS.derive
def _derive_address(router: LabRouter, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
    address = item.values.get("address", "0.0.0.0/32")
    network = item.values.get("network") or str(ipaddress.IPv4Interface(address).network.network_address)
    iface = item.values.get("interface", "")
    return {"network": network, "actual-interface": iface,
            "invalid": "false" if router.interface_exists(iface) else "true"}


# DHCP clients (uplinks): the lease comes from the control port (``set_dhcp_lease``); with
# ``add-default-route`` the lab installs the dynamic default routes RouterOS does (``simulation.dhcp``).
DHCP_CLIENT = declare("/ip/dhcp-client", {
    "export": Export(order=110),
    "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq",
    "mandatory": ("interface",), "unique": (("interface",), DHCP_CLIENT_EXISTS),
    "fields": {
        "interface": f("ref", ref=IFACE_REF),
        "add-default-route": f("enum", choices=("no", "special-classless", "yes"), default="yes", show="always"),
        "default-route-distance": f("int", default="1", show="always", range=(0, 255)),
        # ``table[:distance],...`` (``default``: main); each table must exist
        "default-route-tables": c("routetables"),
        # checks the gateway of the routes the client installs (``set_reachable``)
        "check-gateway": c("enum", choices=("arp", "bfd", "none", "ping")),
        "use-peer-dns": f("bool", default="true", show="always"),
        "use-peer-ntp": f("bool", default="true", show="always"),
        "dhcp-options": f("str", default="hostname,clientid", show="always"),
        "status": ro("searching..."), "address": ro(), "gateway": ro(), "dhcp-server": ro(),
        "expires-after": ro(), "invalid": ro("false"), "dynamic": ro("false"), "comment": COMMENT,
        "disabled": DISABLED_ALWAYS,
    },
})


@DHCP_CLIENT.derive
def _derive_dhcp_client(router: LabRouter, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
    return dhcp.client_state(router, item)


# The services, by name (the set arguments of 7.19's inspect tree); the lab's listeners keep their
# ports, api-ssl serves the certificate named here once one is set (certs.py).
SERVICE = declare("/ip/service", {
    "kind": "list", "ordered": False, "verbs": ("print", "set", "enable", "disable", "getall"), "ids": "seq",
    "name": "name",
    "fields": {
        "name": ro(), "port": f("int", range=(1, 65535), show="always"), "address": f("str", default="", show="always"),
        "certificate": f("ref", ref=("/certificate", "certificate"), default="none", show="always", specials=("none",)),
        "tls-version": f("enum", choices=("any", "only-1.2"), default="any", show="always"),
        "max-sessions": f("int", default="20", show="always", range=(1, 1000)),
        "vrf": f("str", default="main", show="always"), "invalid": ro("false"), "disabled": DISABLED_ALWAYS,
    },
})

SETTINGS = declare("/ip/settings", {
    "export": Export(order=80),
    "kind": "singleton", "verbs": SINGLETON_VERBS,
    "fields": {
        "ip-forward": f("bool", default="true", show="always"),
        "send-redirects": f("bool", default="true", show="always"),
        "accept-source-route": f("bool", default="false", show="always"),
        "accept-redirects": f("bool", default="false", show="always"),
        "secure-redirects": f("bool", default="true", show="always"),
        "rp-filter": f("enum", default="no", show="always", choices=("loose", "no", "strict")),
        "tcp-syncookies": f("bool", default="false", show="always"),
        "max-neighbor-entries": ro("8192"),
        "arp-timeout": f("duration", default="30s", show="always"),
        "icmp-rate-limit": f("int", default="10", show="always", range=(0, 4294967295)),
        "icmp-rate-mask": f("str", default="0x1818", show="always"),
        "allow-fast-path": f("bool", default="true", show="always"),
        "ipv4-route-cache-size": ro("0"),
        "ipv4-fast-path-active": ro("true"),
        "ipv4-fast-path-packets": ro("0"),
        "ipv4-fast-path-bytes": ro("0"),
        "ipv4-fasttrack-active": ro("false"),
        "ipv4-fasttrack-packets": ro("0"),
        "ipv4-fasttrack-bytes": ro("0"),
        "tcp-timestamps": f("enum", default="random-offset", show="always", choices=("disabled", "enabled", "random-offset")),
        "ipv4-multipath-hash-policy": f("enum", default="l3", show="always", choices=("l3", "l3-inner", "l4")),
    },
})

# VRFs: the builtin ``main`` (``*0``, all interfaces) and user VRFs, stored without routing effect.
VRF = declare("/ip/vrf", {
    "export": Export(order=60, skip_builtins=True),
    "kind": "list", "ordered": True, "verbs": ORDERED_VERBS, "ids": "seq", "name": "name",
    "mandatory": ("name", "interfaces"), "unique": (("name",), NAME_EXISTS),
    "fields": {
        "name": f("str"), "interfaces": f("str"), "builtin": ro("false"), "dynamic": ro("false"),
        "comment": COMMENT, "disabled": DISABLED_ALWAYS,
    },
})


@VRF.builtins
def _main_vrf(router: LabRouter, table: Table) -> None:
    table.insert(Item(0, {"name": "main", "interfaces": "all"}, builtin=True))
