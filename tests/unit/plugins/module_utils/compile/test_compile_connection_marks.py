# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""connection_marks: the worked example's file 2 (return-path routing) with the RouterOS 7 matchers."""

from multiwan_samples import core

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.connection_marks import compile_connection_marks
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.ranks import rank
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import core_intent


def mangle(data, chain, action):
    return [e for e in compile_connection_marks(core_intent(data))["/ip/firewall/mangle"]
            if e["chain"] == chain and e["action"] == action]


def test_connections_arriving_on_inbound_wans_are_marked():
    rules = mangle(core(), "prerouting", "mark-connection")
    assert [(e["in-interface"], e["connection-mark"], e["new-connection-mark"], e["passthrough"]) for e in rules] == [
        ("VLAN3002", "no-mark", "CONN_VIA_1012", True), ("VLAN3000", "no-mark", "CONN_VIA_1000", True),
        ("VLAN3003", "no-mark", "CONN_VIA_1005", True)]
    assert rules[0]["comment"] == "Connections arriving via 1012 (CCR2004 1Gbps)"
    # Only connections that start on the WAN: replies of unmarked outbound connections stay
    # unmarked (and fasttracked).
    assert all(e["connection-state"] == "new" for e in rules)


def test_mark_routing_uses_the_table_name_and_v7_matchers():
    rules = mangle(core(), "prerouting", "mark-routing")
    assert rules[0] == {
        "chain": "prerouting",
        "connection-mark": "CONN_VIA_1012",
        "in-interface-list": "!WAN",
        "dst-address-type": "!local",
        "dst-address-list": "!INTERNAL",
        "action": "mark-routing",
        "new-routing-mark": "InternetVia1012",
        "passthrough": False,
        "comment": "Return path via 1012 (CCR2004 1Gbps)",
        "_key": "route-1012",
        "_rank": rank("mark_routing"),
    }
    assert [e["new-routing-mark"] for e in rules] == ["InternetVia1012", "InternetVia1000", "InternetVia1005"]


def test_mark_routing_ranks_after_every_mark_connection_rule():
    data = core(multiwan_load_balancing={"method": "nth", "wans": ["1012", "VVG"]})
    marks = mangle(data, "prerouting", "mark-connection")
    routes = mangle(data, "prerouting", "mark-routing")
    assert max(e["_rank"] for e in marks) < min(e["_rank"] for e in routes)
    assert max(rank("site_mark_connection"), rank("lb_mark_connection"), rank("lb_sticky_add_source")) < rank("mark_routing")


def test_router_replies_are_marked_in_the_output_chain():
    rules = mangle(core(), "output", "mark-routing")
    assert [(e["connection-mark"], e["new-routing-mark"], e["dst-address-list"]) for e in rules] == [
        ("CONN_VIA_1012", "InternetVia1012", "!INTERNAL"), ("CONN_VIA_1000", "InternetVia1000", "!INTERNAL"),
        ("CONN_VIA_1005", "InternetVia1005", "!INTERNAL")]


def test_lan_list_replaces_not_wan_when_given():
    rules = mangle(core(multiwan_lan_interfaces=["bridge"]), "prerouting", "mark-routing")
    assert all(e["in-interface-list"] == "LAN" for e in rules)


def test_outbound_only_wan_used_by_a_site_is_routed_but_not_marked_inbound():
    data = core()
    data["multiwan_sites"].append({"name": "guests", "networks": ["192.168.40.0/24"], "wan": "VVG"})
    assert "VLAN3004" not in [e["in-interface"] for e in mangle(data, "prerouting", "mark-connection")]
    vvg = [e for e in mangle(data, "prerouting", "mark-routing") if e["connection-mark"] == "CONN_VIA_VVG"]
    assert vvg[0]["new-routing-mark"] == "InternetViaVVG"
    assert vvg[0]["comment"] == "Route marked connections via VVG (ISP router 100Mbps)"
    assert "CONN_VIA_VVG" not in [e["connection-mark"] for e in mangle(data, "output", "mark-routing")]


def test_ecmp_mark_routes_to_the_ecmp_table():
    data = core(multiwan_load_balancing={"method": "ecmp", "wans": ["1012", "1000"]})
    ecmp = [e for e in mangle(data, "prerouting", "mark-routing") if e["connection-mark"] == "CONN_VIA_ECMP"]
    assert ecmp[0]["new-routing-mark"] == "InternetViaECMP"
