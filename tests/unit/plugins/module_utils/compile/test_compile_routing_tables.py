# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""routing_tables: the worked example's file 3 (tables with failover, internal networks) on RouterOS 7."""

from multiwan_samples import core

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.ranks import rank
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.routing_tables import compile_routing_tables
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import core_intent


def routes_in(desired, table):
    return [e for e in desired["/ip/route"] if e["routing-table"] == table]


def test_a_fib_table_per_routed_wan():
    desired = compile_routing_tables(core_intent(core()))
    assert [(e["name"], e["fib"]) for e in desired["/routing/table"]] == [
        ("InternetVia1012", True), ("InternetVia1000", True), ("InternetVia1005", True)]


def test_outbound_only_wan_gets_a_table_once_a_site_uses_it():
    data = core()
    data["multiwan_sites"].append({"name": "guests", "networks": ["192.168.40.0/24"], "wan": "VVG"})
    names = [e["name"] for e in compile_routing_tables(core_intent(data))["/routing/table"]]
    assert names == ["InternetVia1012", "InternetVia1000", "InternetVia1005", "InternetViaVVG"]


def test_each_table_has_its_default_then_failover_by_distance():
    desired = compile_routing_tables(core_intent(core()))
    table = [(e["dst-address"], e["gateway"], e["distance"], e["check-gateway"]) for e in routes_in(desired, "InternetVia1012")]
    # Backups at 1 + their main-table distance (2, 3, 4 here), in that order.
    assert table == [("0.0.0.0/0", "10.10.2.1", 1, "ping"), ("0.0.0.0/0", "10.10.0.1", 3, "ping"),
                     ("0.0.0.0/0", "10.10.3.1", 4, "ping"), ("0.0.0.0/0", "192.168.254.1", 5, "ping")]


def test_removing_a_wan_leaves_the_other_tables_routes_as_they_are():
    data = core()
    for wan in data["multiwan_wans"]:
        wan["distance"] = data["multiwan_wans"].index(wan) + 1
    before = compile_routing_tables(core_intent(data))["/ip/route"]
    data["multiwan_wans"] = [wan for wan in data["multiwan_wans"] if wan["name"] != "1000"]
    data["multiwan_sites"] = [dict(site, wan="1012") if site.get("wan") == "1000" else site
                              for site in data.get("multiwan_sites") or []]
    after = compile_routing_tables(core_intent(data))["/ip/route"]
    changed = [e["_key"] for e in before if e not in after] + [e["_key"] for e in after if e not in before]
    assert changed and all("1000" in name for name in changed), changed


def test_an_explicit_failover_list_sets_the_order():
    data = core()
    data["multiwan_wans"][0]["failover"] = ["VVG", "1000"]
    desired = compile_routing_tables(core_intent(data))
    table = [(e["gateway"], e["distance"]) for e in routes_in(desired, "InternetVia1012")]
    assert table == [("10.10.2.1", 1), ("192.168.254.1", 2), ("10.10.0.1", 3)]


def test_explicit_failover_order_and_check_gateway_none():
    data = core()
    data["multiwan_wans"][2]["failover"] = ["VVG"]
    data["multiwan_wans"][3]["check_gateway"] = "none"
    desired = compile_routing_tables(core_intent(data))
    table = routes_in(desired, "InternetVia1005")
    assert [(e["gateway"], e["distance"]) for e in table] == [("10.10.3.1", 1), ("192.168.254.1", 2)]
    assert "check-gateway" not in table[1]


def test_main_table_defaults_use_the_intent_distances():
    data = core()
    data["multiwan_wans"][1]["distance"] = 5
    main = routes_in(compile_routing_tables(core_intent(data)), "main")
    expected = [("10.10.2.1", 1), ("10.10.0.1", 5), ("10.10.3.1", 3), ("192.168.254.1", 4)]
    assert [(e["gateway"], e["distance"]) for e in main] == expected
    assert all(e["dst-address"] == "0.0.0.0/0" for e in main)


def test_rules_strategy_keeps_internal_networks_in_main():
    desired = compile_routing_tables(core_intent(core()))
    rules = desired["/routing/rule"]
    assert [(e["dst-address"], e["action"], e["table"], e["_rank"]) for e in rules] == [
        ("10.11.0.0/16", "lookup-only-in-table", "main", rank("internal_rule")),
        ("192.168.0.0/17", "lookup-only-in-table", "main", rank("internal_rule"))]
    assert all(e["dst-address"] == "0.0.0.0/0" for e in desired["/ip/route"])


def test_routes_strategy_copies_internal_networks_into_every_table():
    data = core(multiwan_internal_strategy="routes",
                multiwan_internal_networks=[{"dst": "10.11.0.0/16", "gateway": "10.11.255.1"}, "192.168.0.0/17"])
    desired = compile_routing_tables(core_intent(data))
    assert "/routing/rule" not in desired
    for table in ("InternetVia1012", "InternetVia1000", "InternetVia1005"):
        internal = [e for e in routes_in(desired, table) if e["dst-address"] != "0.0.0.0/0"]
        assert internal[0]["gateway"] == "10.11.255.1" and "_gateway" not in internal[0]
        assert internal[1]["_gateway"] == "connected" and "gateway" not in internal[1]
        assert internal[1]["dst-address"] == "192.168.0.0/17"
    assert not [e for e in routes_in(desired, "main") if e["dst-address"] != "0.0.0.0/0"]


def test_ecmp_gets_a_dedicated_table_with_equal_distances():
    data = core(multiwan_load_balancing={"method": "ecmp", "wans": ["1012", "VVG"]})
    desired = compile_routing_tables(core_intent(data))
    assert "InternetViaECMP" in [e["name"] for e in desired["/routing/table"]]
    ecmp = routes_in(desired, "InternetViaECMP")
    assert [(e["gateway"], e["distance"]) for e in ecmp] == [("10.10.2.1", 1), ("192.168.254.1", 1)]


def test_route_keys_are_unique_and_stable():
    desired = compile_routing_tables(core_intent(core()))
    keys = [e["_key"] for e in desired["/ip/route"]]
    assert len(keys) == len(set(keys))
    assert "table-1012-default" in keys and "table-1012-failover-1000" in keys and "main-default-VVG" in keys


def test_an_explicit_failover_list_equal_to_the_default_keeps_its_order():
    data = core()
    data["multiwan_wans"][1]["distance"] = 9
    data["multiwan_wans"][0]["failover"] = ["1000", "1005", "VVG"]
    table = [(e["gateway"], e["distance"]) for e in routes_in(compile_routing_tables(core_intent(data)), "InternetVia1012")]
    assert table == [("10.10.2.1", 1), ("10.10.0.1", 2), ("10.10.3.1", 3), ("192.168.254.1", 4)]


def test_default_backups_take_over_one_after_the_other_and_stay_in_range():
    for distances in ([1, 1, 1, 1], [1, 2, 3, 255]):
        data = core()
        for wan, distance in zip(data["multiwan_wans"], distances):
            wan["distance"] = distance
        for wan in data["multiwan_wans"]:
            routes = [e for e in routes_in(compile_routing_tables(core_intent(data)), "InternetVia" + wan["name"])
                      if e["_key"].endswith(tuple(w["name"] for w in data["multiwan_wans"]))]
            backups = [e["distance"] for e in routes if "failover" in e["_key"]]
            assert backups == sorted(set(backups)) and all(d <= 255 for d in backups), (distances, wan["name"], backups)


def _uplinks(**lb):
    """The worked example with WAN 1000 on DHCP and WAN 1005 on PPPoE."""
    data = core(**lb)
    data["multiwan_wans"][1].update(gateway=None, gateway_from="dhcp", address=None)
    data["multiwan_wans"][2].update(gateway=None, gateway_from="pppoe", address=None, vlan=None, interface="pppoe-out1",
                                    check_gateway="none")
    return data


def test_dhcp_wan_routes_come_from_its_dhcp_client_with_the_static_distances():
    static = compile_routing_tables(core_intent(core()))
    desired = compile_routing_tables(core_intent(_uplinks()))
    assert not [e for e in desired["/ip/route"] if e["gateway"] == "10.10.0.1"]
    # the DHCP client installs exactly the routes the static gateway had, table by table
    expected = sorted((e["routing-table"], e["distance"]) for e in static["/ip/route"] if e["gateway"] == "10.10.0.1")
    [client] = desired["/ip/dhcp-client"]
    tables = [item.split(":") for item in client["default-route-tables"].split(",")]
    assert sorted((table, int(distance)) for table, distance in tables) == expected
    assert tables[0] == ["main", "2"] and client["default-route-distance"] == 2
    assert (client["interface"], client["add-default-route"], "check-gateway" in client) == ("VLAN3000", "yes", False)
    assert client["comment"] == "Default routes of WAN 1000 (CCR2004 500Mbps) from its DHCP lease"


def test_pppoe_wan_routes_use_its_interface_as_gateway():
    desired = compile_routing_tables(core_intent(_uplinks()))
    pppoe = [(e["routing-table"], e["distance"]) for e in desired["/ip/route"] if e["gateway"] == "pppoe-out1"]
    assert ("InternetVia1005", 1) in pppoe and ("main", 3) in pppoe
    assert all("check-gateway" not in e for e in desired["/ip/route"] if e["gateway"] == "pppoe-out1")


def test_dhcp_wan_in_ecmp_shares_the_ecmp_table_through_its_client():
    desired = compile_routing_tables(core_intent(_uplinks(multiwan_load_balancing={"method": "ecmp", "wans": ["1012", "1000"]})))
    [client] = desired["/ip/dhcp-client"]
    assert client["default-route-tables"].endswith(",InternetViaECMP:1")
    assert [e["gateway"] for e in desired["/ip/route"] if e["routing-table"] == "InternetViaECMP"] == ["10.10.2.1"]


def test_static_gateways_compile_as_before():
    desired = compile_routing_tables(core_intent(core()))
    assert "/ip/dhcp-client" not in desired
