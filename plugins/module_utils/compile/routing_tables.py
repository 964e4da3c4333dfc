# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Role routing_tables: one routing table per routed WAN with failover, the main-table default
routes, and the internal networks per strategy (the worked example's file 3).

On RouterOS 7 a table must exist (``/routing/table add name=T fib``) before a route or a
``mark-routing`` rule can name it, and the routing mark IS the table name: the worked
example's separate ``RT_VIA_x`` marks do not exist on v7.

A WAN whose gateway comes from its DHCP client (``gateway_from: dhcp``) gets no static default
routes: its ``/ip/dhcp-client`` installs them, in main and in every table that uses the WAN, with the
distances the static routes would have (``default-route-tables=main:2,InternetViaA:1,...``).
"""

from typing import List, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.common import Desired, Entry, add, key
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.ranks import rank
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.model import (
    ECMP_PSEUDO_WAN,
    GATEWAY_CONNECTED,
    GATEWAY_FROM_DHCP,
    CoreIntent,
    Wan,
)

DEFAULT = "0.0.0.0/0"


def _route(dst: str, wan: Wan, table: str, distance: int, comment: str, route_key: str) -> Entry:
    entry: Entry = {
        "dst-address": dst,
        "gateway": wan.gateway,
        "routing-table": table,
        "distance": distance,
    }
    if wan.check_gateway != "none":
        entry["check-gateway"] = wan.check_gateway
    entry["comment"] = comment
    entry["_key"] = route_key
    return entry


def tables(intent: CoreIntent) -> List[Tuple[str, str, str]]:
    """(WAN name or ECMP, table name, description) of every table the intent needs, in a stable order."""
    result = [(wan.name, intent.names.table_for(wan.name), "Traffic marked for WAN %s" % wan.label()) for wan in intent.routed_wans()]
    if intent.has_ecmp():
        result.append((ECMP_PSEUDO_WAN, intent.names.table_for(ECMP_PSEUDO_WAN),
                       "Load balancing (ECMP) over %d WANs" % len(intent.load_balancing.wans)))
    return result


def failover_routes(intent: CoreIntent, wan: Wan) -> List[Tuple[Wan, int]]:
    """The backups of ``wan``'s table with their distances, in the order they take over.

    By default every other WAN backs it up, in the order of the main-table distances, at 1 + its
    main-table distance, so adding or removing a WAN leaves the other WANs' routes as they are. Equal
    or too large main-table distances (RouterOS takes 0..255) fall back to 2, 3, ... in that order,
    since backups must take over one after the other. An explicit ``failover`` list sets the order:
    distances 2, 3, ... in list order.
    """
    backups = [intent.wan(name) for name in wan.failover]
    if wan.failover_given:
        return [(backup, position + 2) for position, backup in enumerate(backups)]
    backups.sort(key=lambda other: other.distance)  # stable: equal distances keep the intent order
    distances = [backup.distance + 1 for backup in backups]
    if any(a >= b for a, b in zip(distances, distances[1:])) or any(d > 255 for d in distances):
        distances = [position + 2 for position in range(len(backups))]
    return list(zip(backups, distances))


def dhcp_route_tables(intent: CoreIntent, wan: Wan) -> List[Tuple[str, int]]:
    """(table, distance) of every default route of ``wan``: main first, then the tables in ``tables`` order."""
    result = [("main", wan.distance)]
    for owner, table, _description in tables(intent):
        if owner == wan.name or (owner == ECMP_PSEUDO_WAN and wan.name in intent.load_balancing.wans):
            result.append((table, 1))
        elif owner != ECMP_PSEUDO_WAN:
            result.extend((table, distance) for backup, distance in failover_routes(intent, intent.wan(owner))
                          if backup.name == wan.name)
    return result


def _dhcp_client(intent: CoreIntent, wan: Wan) -> Entry:
    entry: Entry = {
        "interface": wan.interface,
        "add-default-route": "yes",
        "default-route-distance": wan.distance,
        "default-route-tables": ",".join("%s:%d" % pair for pair in dhcp_route_tables(intent, wan)),
    }
    if wan.check_gateway != "none":
        entry["check-gateway"] = wan.check_gateway
    entry["comment"] = "Default routes of WAN %s from its DHCP lease" % wan.label()
    return entry


def compile_routing_tables(intent: CoreIntent) -> Desired:
    desired: Desired = {}
    names = intent.names
    for _wan, name, description in tables(intent):
        add(desired, "/routing/table", {"name": name, "fib": True, "comment": description})

    for wan in intent.routed_wans():
        table = names.table_for(wan.name)
        if wan.gateway_from != GATEWAY_FROM_DHCP:
            add(desired, "/ip/route", _route(DEFAULT, wan, table, 1, "Default via %s" % wan.label(),
                                             key("table", wan.name, "default")))
        for backup, distance in failover_routes(intent, wan):
            if backup.gateway_from == GATEWAY_FROM_DHCP:
                continue
            add(desired, "/ip/route", _route(DEFAULT, backup, table, distance,
                                             "Failover of %s via %s" % (wan.name, backup.name),
                                             key("table", wan.name, "failover", backup.name)))
    if intent.has_ecmp():
        table = names.table_for(ECMP_PSEUDO_WAN)
        for name in intent.load_balancing.wans:
            wan = intent.wan(name)
            if wan.gateway_from == GATEWAY_FROM_DHCP:
                continue
            add(desired, "/ip/route", _route(DEFAULT, wan, table, 1, "ECMP share via %s" % wan.label(),
                                             key("table", ECMP_PSEUDO_WAN, wan.name)))
    for wan in intent.wans:
        if wan.gateway_from == GATEWAY_FROM_DHCP:
            add(desired, "/ip/dhcp-client", _dhcp_client(intent, wan))
            continue
        add(desired, "/ip/route", _route(DEFAULT, wan, "main", wan.distance,
                                         "Main default via %s (distance %d)" % (wan.label(), wan.distance),
                                         key("main", "default", wan.name)))

    if intent.internal_strategy == "routes":
        for owner, table, _description in tables(intent):
            for network in intent.internal_networks:
                entry: Entry = {"dst-address": network.dst, "routing-table": table}
                if network.gateway == GATEWAY_CONNECTED:
                    # The engine resolves the gateway from the router's connected route for this
                    # network at apply time, and reports that it did.
                    entry["_gateway"] = GATEWAY_CONNECTED
                else:
                    entry["gateway"] = network.gateway
                entry["comment"] = "Internal %s in %s" % (network.dst, table)
                entry["_key"] = key("table", owner, "internal", network.dst)
                add(desired, "/ip/route", entry)
    else:
        for network in intent.internal_networks:
            add(desired, "/routing/rule", {
                "dst-address": network.dst,
                "action": "lookup-only-in-table",
                "table": "main",
                "comment": "Internal %s stays in main" % network.dst,
                "_key": key("internal", network.dst),
                "_rank": rank("internal_rule"),
            })
    return desired


def adopted_routing_tables(intent: CoreIntent) -> List[str]:
    """Paths whose existing untagged entries the role takes over besides ``<role>_adopt``: a WAN's DHCP client when its
    gateway comes from it (the client may be there already; its interface is its identity)."""
    return ["/ip/dhcp-client"] if any(wan.gateway_from == GATEWAY_FROM_DHCP for wan in intent.wans) else []
