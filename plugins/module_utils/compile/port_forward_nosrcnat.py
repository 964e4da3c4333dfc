# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Role port_forward_nosrcnat (edge routers): port forwards that keep the client's address
(the worked example's file 5).

Each forward is a dst-nat on the internet interface; the internal networks are routed back
to the core's transit address; the only masquerade is out of the internet interface, so
forwarded traffic reaches the core and the servers with the real client address. Foreign
source-NAT rules that would still NAT toward the core are found by transit_srcnat.py.
"""

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.common import Desired, Entry, add, key
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.ranks import rank
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.model import EdgeIntent


def compile_port_forward_nosrcnat(intent: EdgeIntent) -> Desired:
    desired: Desired = {}
    edge = intent.edge
    names = intent.names
    for forward in intent.port_forwards:
        for source in forward.source:
            add(desired, "/ip/firewall/address-list", {
                "list": names.forward_source_list_for(forward.name),
                "address": source,
                "comment": "Allowed clients of port forward %s" % forward.name,
            })
    for forward in intent.port_forwards:
        entry: Entry = {
            "chain": "dstnat",
            "in-interface": edge.internet_interface,
            "protocol": forward.protocol,
            "dst-port": forward.port,
        }
        if forward.dst_address is not None:
            entry["dst-address"] = forward.dst_address
        if forward.source:
            entry["src-address-list"] = names.forward_source_list_for(forward.name)
        entry["action"] = "dst-nat"
        entry["to-addresses"] = forward.to_address
        if forward.to_port is not None:
            entry["to-ports"] = forward.to_port
        entry.update({
            "comment": "Port forward %s: %s/%s to %s:%s" % (forward.name, forward.protocol, forward.port, forward.to_address,
                                                            forward.to_port or forward.port),
            "_key": key("forward", forward.name),
            "_rank": rank("port_forward"),
        })
        add(desired, "/ip/firewall/nat", entry)
    for network in edge.internal_networks:
        add(desired, "/ip/route", {
            "dst-address": network,
            "gateway": edge.core_address,
            "routing-table": "main",
            "distance": 1,
            "comment": "Internal %s via the core (WAN %s)" % (network, edge.wan),
            "_key": key("internal", network),
        })
    add(desired, "/ip/firewall/nat", {
        "chain": "srcnat",
        "action": "masquerade",
        "out-interface": edge.internet_interface,
        "comment": "Masquerade to the internet only, never toward the core",
        "_key": key("masquerade", "internet"),
        "_rank": rank("edge_masquerade"),
    })
    return desired
