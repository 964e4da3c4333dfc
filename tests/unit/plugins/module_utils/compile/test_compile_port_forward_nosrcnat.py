# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""port_forward_nosrcnat: the worked example's file 5 (forwards keep the client's address)."""

from multiwan_samples import edge

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.port_forward_nosrcnat import compile_port_forward_nosrcnat
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.ranks import rank
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import edge_intent


def test_port_forwards_are_dst_nat_on_the_internet_interface():
    desired = compile_port_forward_nosrcnat(edge_intent(edge()))
    dstnat = [e for e in desired["/ip/firewall/nat"] if e["chain"] == "dstnat"]
    assert dstnat[0] == {
        "chain": "dstnat", "in-interface": "ether1", "protocol": "tcp", "dst-port": "2222",
        "src-address-list": "PF_SRC_server-ssh", "action": "dst-nat", "to-addresses": "10.11.101.206", "to-ports": "22",
        "comment": "Port forward server-ssh: tcp/2222 to 10.11.101.206:22", "_key": "forward-server-ssh",
        "_rank": rank("port_forward"),
    }
    assert dstnat[1]["dst-address"] == "198.51.100.10" and "to-ports" not in dstnat[1]
    assert dstnat[2]["dst-port"] == "10000-10100" and dstnat[2]["protocol"] == "udp"
    lists = [(e["list"], e["address"]) for e in desired["/ip/firewall/address-list"]]
    assert lists == [("PF_SRC_server-ssh", "203.0.113.0/24")]


def test_internal_networks_route_back_via_the_core():
    routes = compile_port_forward_nosrcnat(edge_intent(edge()))["/ip/route"]
    assert [(e["dst-address"], e["gateway"]) for e in routes] == [("10.11.0.0/16", "10.10.2.2")]


def test_masquerade_only_toward_the_internet():
    nat = compile_port_forward_nosrcnat(edge_intent(edge()))["/ip/firewall/nat"]
    srcnat = [e for e in nat if e["chain"] == "srcnat"]
    assert len(srcnat) == 1
    assert srcnat[0]["action"] == "masquerade" and srcnat[0]["out-interface"] == "ether1"
    assert not any(e.get("out-interface") == "sfp-sfpplus1" for e in nat)


def test_no_forwards_still_routes_and_masquerades():
    desired = compile_port_forward_nosrcnat(edge_intent(edge(multiwan_port_forwards=None)))
    assert [e["chain"] for e in desired["/ip/firewall/nat"]] == ["srcnat"]
    assert "/ip/firewall/address-list" not in desired
