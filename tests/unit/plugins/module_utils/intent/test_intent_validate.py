# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad-input tests for every validation rule, defaults, and all-at-once reporting."""

import pytest

from multiwan_samples import core, edge

from ansible_collections.multiwan.routeros.plugins.module_utils.intent.model import GATEWAY_CONNECTED
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import (
    IntentError,
    check_core,
    check_edge,
    core_intent,
    edge_intent,
    intent_errors,
)


def wan(index, **fields):
    """Core intent with multiwan_wans[index] updated (a None value removes the field)."""
    data = core()
    for name, value in fields.items():
        if value is None:
            data["multiwan_wans"][index].pop(name, None)
        else:
            data["multiwan_wans"][index][name] = value
    return data


def with_names(**names):
    return core(multiwan_names=names)


def lb(**settings):
    return core(multiwan_load_balancing=settings)


def site(index, **fields):
    data = core()
    data["multiwan_sites"][index].update(fields)
    return data


def edge_with(**fields):
    data = edge()
    for name, value in fields.items():
        if value is None:
            data["multiwan_edge"].pop(name, None)
        else:
            data["multiwan_edge"][name] = value
    return data


def forward(index, **fields):
    data = edge()
    for name, value in fields.items():
        if value is None:
            data["multiwan_port_forwards"][index].pop(name, None)
        else:
            data["multiwan_port_forwards"][index][name] = value
    return data


def two_forwards(first, second):
    return edge(multiwan_port_forwards=[dict(first, name="a"), dict(second, name="b")])


FWD = {"protocol": "tcp", "port": 80, "to_address": "10.11.101.1"}

# (intent vars, expected path, expected text in the message)
CORE_CASES = [
    # multiwan_wans
    (core(multiwan_wans=None), "multiwan_wans", "is required"),
    (core(multiwan_wans={"name": "x"}), "multiwan_wans", "must be a list"),
    (core(multiwan_wans=[]), "multiwan_wans", "at least 1"),
    (core(multiwan_wans=["1012"]), "multiwan_wans[0]", "must be a mapping"),
    (wan(0, gatway="10.10.2.1"), "multiwan_wans[0].gatway", "unknown setting; allowed: name, interface"),
    (wan(1, name=None), "multiwan_wans[1].name", "is required"),
    (wan(1, interface=None), "multiwan_wans[1].interface", "is required"),
    (wan(1, gateway=None), "multiwan_wans[1].gateway", "is required"),
    (wan(0, name="10 12"), "multiwan_wans[0].name", "must be 1-32 letters, digits"),
    (wan(0, name="x" * 33), "multiwan_wans[0].name", "must be 1-32 letters"),
    (wan(0, name="1012\n"), "multiwan_wans[0].name", "must be 1-32 letters"),
    (wan(0, interface="VLAN3002\n"), "multiwan_wans[0].interface", "must not contain quotes"),
    (wan(0, name=True), "multiwan_wans[0].name", "must be a WAN name"),
    (wan(0, interface='VLAN"3002'), "multiwan_wans[0].interface", "must not contain quotes"),
    (wan(0, interface="x" * 64), "multiwan_wans[0].interface", "more than the 63 allowed"),
    (wan(0, gateway="10.10.2.300"), "multiwan_wans[0].gateway", "is not a valid IPv4 address"),
    (wan(0, gateway="a,b"), "multiwan_wans[0].gateway", "must be an IPv4 address or an interface name"),
    (wan(0, gateway="10.10.2.1/30"), "multiwan_wans[0].gateway", "without a prefix"),
    (wan(0, address="10.10.2.2"), "multiwan_wans[0].address", "no prefix"),
    (wan(0, address="10.10.2.2/33"), "multiwan_wans[0].address", "must be an IPv4 address with prefix"),
    (wan(0, address="10.10.2.0/30", gateway="10.10.2.1"), "multiwan_wans[0].address", "is the network address"),
    (wan(0, address="10.10.2.3/30", gateway="10.10.2.1"), "multiwan_wans[0].address", "is the broadcast address"),
    (wan(0, gateway="10.10.9.1"), "multiwan_wans[0].gateway", "is outside 10.10.2.0/30"),
    (wan(0, gateway="10.10.2.2"), "multiwan_wans[0].gateway", "core's own address"),
    (wan(0, gateway="10.10.2.0"), "multiwan_wans[0].gateway", "network or broadcast address of 10.10.2.0/30"),
    (wan(0, gateway="10.10.2.3"), "multiwan_wans[0].gateway", "network or broadcast address of 10.10.2.0/30"),
    (wan(0, vlan={"id": 5000, "interface": "sfp-sfpplus1"}), "multiwan_wans[0].vlan.id", "from 1 to 4094"),
    (wan(0, vlan={"id": 3002}), "multiwan_wans[0].vlan.interface", "is required"),
    (wan(0, vlan={"interface": "sfp-sfpplus1"}), "multiwan_wans[0].vlan.id", "is required"),
    (wan(0, vlan={"id": 3002, "interface": "VLAN3002"}), "multiwan_wans[0].vlan.interface", "cannot be the VLAN itself"),
    (wan(0, vlan={"id": 3002, "interface": "VLAN3000"}), "multiwan_wans[0].vlan.interface", "is another WAN's interface"),
    (wan(0, vlan={"id": 3002, "interface": "sfp-sfpplus1", "mtu": 1500}), "multiwan_wans[0].vlan.mtu", "unknown setting"),
    (wan(0, vlan="3002"), "multiwan_wans[0].vlan", "must be a mapping"),
    (wan(0, inbound="sometimes"), "multiwan_wans[0].inbound", "must be true or false"),
    (wan(0, masquerade=3), "multiwan_wans[0].masquerade", "must be true or false"),
    (wan(0, check_gateway="icmp"), "multiwan_wans[0].check_gateway", "must be one of none, ping, arp"),
    (wan(3, gateway="pppoe-out1", address=None, check_gateway="ping"), "multiwan_wans[3].check_gateway", "needs an IP gateway"),
    (wan(0, distance=0), "multiwan_wans[0].distance", "from 1 to 255"),
    (wan(0, distance=256), "multiwan_wans[0].distance", "from 1 to 255"),
    (wan(0, distance="near"), "multiwan_wans[0].distance", "from 1 to 255"),
    (wan(0, distance="\u00b2"), "multiwan_wans[0].distance", "from 1 to 255, got a string ('\u00b2')"),
    (wan(0, distance="\u0663"), "multiwan_wans[0].distance", "from 1 to 255"),
    (wan(0, vlan={"id": "\u00b2", "interface": "sfp-sfpplus1"}), "multiwan_wans[0].vlan.id", "from 1 to 4094"),
    (wan(0, failover=["1013"]), "multiwan_wans[0].failover[0]", "unknown WAN '1013'; known WANs: 1012, 1000, 1005, VVG"),
    (wan(0, failover=["1012"]), "multiwan_wans[0].failover[0]", "cannot be its own failover"),
    (wan(0, failover=["1000", "1000"]), "multiwan_wans[0].failover[1]", "listed twice"),
    (wan(0, failover="1000"), "multiwan_wans[0].failover", "must be a list"),
    (wan(0, comment="x" * 65), "multiwan_wans[0].comment", "at most 64"),
    (wan(0, comment='say "hi"'), "multiwan_wans[0].comment", "must not contain quotes"),
    (wan(1, name="1012"), "multiwan_wans[1].name", "duplicate WAN name '1012' (also multiwan_wans[0].name)"),
    (wan(1, interface="VLAN3002", vlan=None), "multiwan_wans[1].interface", "duplicate WAN interface 'VLAN3002'"),
    (wan(1, gateway="10.10.2.1", address=None), "multiwan_wans[1].gateway", "is also the gateway of multiwan_wans[0]"),
    (wan(1, vlan={"id": 3002, "interface": "sfp-sfpplus1"}), "multiwan_wans[1].vlan.id", "VLAN 3002 on sfp-sfpplus1 is already multiwan_wans[0].vlan"),
    (wan(1, address="10.10.2.5/29", gateway="10.10.2.6"), "multiwan_wans[1].address", "overlaps 10.10.2.2/30 of multiwan_wans[0].address"),
    # generated names
    (with_names(table="Internet_Traffic_That_Is_Routed_Through_The_Connection_Named_{wan}"), "multiwan_wans[0].name",
     "more than the 63 allowed"),
    (core(multiwan_names={"table": "{wan}"}), "multiwan_wans[0].name", "must not be only digits"),
    (dict(wan(0, name="main"), multiwan_names={"table": "{wan}"}), "multiwan_wans[0].name", "is a routing table RouterOS already has"),
    (with_names(connection_mark="CONN VIA {wan}"), "multiwan_wans[0].name", "may only contain letters"),
    # multiwan_names
    (core(multiwan_names=["table"]), "multiwan_names", "must be a mapping"),
    (with_names(tables="T{wan}"), "multiwan_names.tables", "unknown setting"),
    (with_names(table="InternetVia"), "multiwan_names.table", "must contain {wan}"),
    (with_names(site_list="SITES_{site}_{wan}"), "multiwan_names.site_list", "unknown placeholder {site}"),
    (with_names(wan_list="WAN{wan}"), "multiwan_names.wan_list", "unknown placeholder {wan} in 'WAN{wan}'; allowed: no placeholder"),
    (with_names(wan_list="all"), "multiwan_names.wan_list", "builtin RouterOS interface list"),
    (with_names(lan_list="WAN"), "multiwan_names.lan_list", "must differ from wan_list"),
    (with_names(internal_list="INTERNAL NETS"), "multiwan_names.internal_list", "may only contain letters"),
    (with_names(internal_list="SITES_USE_1012"), "multiwan_names.site_list", "generates 'SITES_USE_1012' for WAN 1012"),
    (with_names(table=""), "multiwan_names.table", "got an empty string"),
    # internal networks and strategy
    (core(multiwan_internal_networks=None), "multiwan_internal_networks", "is required"),
    (core(multiwan_internal_networks="10.11.0.0/16"), "multiwan_internal_networks", "must be a list"),
    (core(multiwan_internal_networks=[]), "multiwan_internal_networks", "at least 1"),
    (core(multiwan_internal_networks=["10.11.0.0/33"]), "multiwan_internal_networks[0]", "must be an IPv4 network"),
    (core(multiwan_internal_networks=["10.11.1.0/16"]), "multiwan_internal_networks[0]", "has host bits set; did you mean 10.11.0.0/16?"),
    (core(multiwan_internal_networks=["0.0.0.0/0"]), "multiwan_internal_networks[0]", "is the internet"),
    (core(multiwan_internal_networks=["10.11.0.0/16", "10.11.0.0/16"]), "multiwan_internal_networks[1]", "duplicate internal network"),
    (core(multiwan_internal_networks=["10.10.0.0/16"]), "multiwan_internal_networks[0]", "overlaps the WAN subnet 10.10.2.0/30"),
    (core(multiwan_internal_networks=[{"gateway": "10.11.0.1"}]), "multiwan_internal_networks[0].dst", "is required"),
    (core(multiwan_internal_networks=[{"dst": "10.11.0.0/16", "via": "x"}]), "multiwan_internal_networks[0].via", "unknown setting"),
    (core(multiwan_internal_networks=[{"dst": "10.11.0.0/16", "gateway": "10.11.0.300"}]), "multiwan_internal_networks[0].gateway",
     "must be an IPv4 address, an interface name or 'connected'"),
    (core(multiwan_internal_networks=[{"dst": "10.11.0.0/16", "gateway": "10.11.0.1/24"}]), "multiwan_internal_networks[0].gateway",
     "must be an IPv4 address, an interface name or 'connected'"),
    (core(multiwan_internal_networks=[{"dst": "10.11.0.0/16", "gateway": "10.10.2.1"}]), "multiwan_internal_networks[0].gateway",
     "is on the WAN side"),
    (core(multiwan_internal_networks=[{"dst": "10.11.0.0/16", "gateway": "VLAN3002"}]), "multiwan_internal_networks[0].gateway",
     "is a WAN interface"),
    (core(multiwan_internal_strategy="route"), "multiwan_internal_strategy", "must be one of rules, routes"),
    (core(multiwan_internal_strategy="routes", multiwan_internal_networks=["10.11.0.0/16", "10.11.101.0/24"]),
     "multiwan_internal_networks[0]", "a summary network needs a gateway"),
    # sites
    (core(multiwan_sites={"name": "x"}), "multiwan_sites", "must be a list"),
    (core(multiwan_sites=["vps_school"]), "multiwan_sites[0]", "must be a mapping"),
    (site(0, wan="1013"), "multiwan_sites[0].wan", "unknown WAN '1013'; known WANs: 1012, 1000, 1005, VVG"),
    (site(1, name="vps_school"), "multiwan_sites[1].name", "duplicate site name 'vps_school' (also multiwan_sites[0].name)"),
    (site(0, name='a"b'), "multiwan_sites[0].name", "without quotes"),
    (site(0, networks=[]), "multiwan_sites[0].networks", "at least 1"),
    (site(0, networks=["192.168.10.0/24x"]), "multiwan_sites[0].networks[0]", "must be an IPv4 network"),
    (site(0, networks=["192.168.10.1/24"]), "multiwan_sites[0].networks[0]", "host bits set"),
    (site(0, networks=["0.0.0.0/0"]), "multiwan_sites[0].networks[0]", "is not a site network"),
    (site(2, networks=["192.168.20.128/25"]), "multiwan_sites[2].networks[0]",
     "overlaps 192.168.20.0/24 at multiwan_sites[1].networks[0], which is assigned to WAN '1000' while this site uses '1005'"),
    (site(0, where="x"), "multiwan_sites[0].where", "unknown setting"),
    (site(1, networks=["192.168.20.0/24", "172.16.5.0/24"]), "multiwan_sites[1].networks[1]",
     "is not inside any of multiwan_internal_networks"),
    (core(multiwan_sites=[{"name": "a"}]), "multiwan_sites[0].networks", "is required"),
    (core(multiwan_sites=[{"name": "a", "networks": ["192.168.1.0/24"]}]), "multiwan_sites[0].wan", "is required"),
    # LAN interfaces
    (core(multiwan_lan_interfaces="bridge"), "multiwan_lan_interfaces", "must be a list"),
    (core(multiwan_lan_interfaces=["VLAN3002"]), "multiwan_lan_interfaces[0]", "is the interface of WAN 1012"),
    (core(multiwan_lan_interfaces=["bridge", "bridge"]), "multiwan_lan_interfaces[1]", "duplicate LAN interface"),
    (core(multiwan_lan_interfaces=["a,b"]), "multiwan_lan_interfaces[0]", "must not contain"),
    # load balancing
    (core(multiwan_load_balancing="pcc"), "multiwan_load_balancing", "must be a mapping"),
    (lb(wans=["1012", "1000"]), "multiwan_load_balancing.method", "is required"),
    (lb(method="rr", wans=["1012", "1000"]), "multiwan_load_balancing.method", "must be one of pcc, nth, ecmp"),
    (lb(method="pcc", wans=["1012", "9999"]), "multiwan_load_balancing.wans[1]", "unknown WAN '9999'"),
    (lb(method="pcc", wans=["1012", "1012"]), "multiwan_load_balancing.wans[1]", "listed twice"),
    (lb(method="pcc", wans=["1012"]), "multiwan_load_balancing.wans", "at least two WANs, got 1"),
    (lb(method="pcc"), "multiwan_load_balancing.wans", "only 1 WAN without a site assignment (VVG)"),
    (lb(method="pcc", wans=["1012", "1000"], classifier="random"), "multiwan_load_balancing.classifier", "must be one of both-addresses"),
    (lb(method="nth", wans=["1012", "1000"], classifier="src-address"), "multiwan_load_balancing.classifier", "only applies to method pcc"),
    (lb(method="pcc", wans=["1012", "1000"], sticky_timeout="1d"), "multiwan_load_balancing.sticky_timeout", "only applies to method nth"),
    (lb(method="nth", wans=["1012", "1000"], sticky_timeout="one day"), "multiwan_load_balancing.sticky_timeout", "must be a RouterOS time"),
    (lb(method="pcc", wans=["1012", "1000"], weights=[1, 2]), "multiwan_load_balancing.weights", "unknown setting"),
    # fasttrack and conntrack
    (core(multiwan_fasttrack=True), "multiwan_fasttrack", "must be a mapping"),
    (core(multiwan_fasttrack={"enable": True}), "multiwan_fasttrack.enable", "unknown setting; allowed: enabled, hw_offload"),
    (core(multiwan_fasttrack={"hw_offload": "maybe"}), "multiwan_fasttrack.hw_offload", "must be true or false"),
    (core(multiwan_conntrack=["1d"]), "multiwan_conntrack", "must be a mapping"),
    (core(multiwan_conntrack={"tcp_establish_timeout": "1d"}), "multiwan_conntrack.tcp_establish_timeout", "unknown connection tracking setting"),
    (core(multiwan_conntrack={"max_entries": 1000}), "multiwan_conntrack.max_entries", "is read-only"),
    (core(multiwan_conntrack={"udp_timeout": "10 seconds"}), "multiwan_conntrack.udp_timeout", "must be a RouterOS time"),
    (core(multiwan_conntrack={"udp_timeout": "\u0663\u0660s"}), "multiwan_conntrack.udp_timeout", "must be a RouterOS time"),
    # YAML numbers where a name belongs: 010 arrives as 8, 10:12 (YAML 1.1 sexagesimal) as 612
    (wan(0, name=8), "multiwan_wans[0].name", "YAML read it as the number 8; quote it"),
    (wan(0, name=612), "multiwan_wans[0].name", "the number 612"),
    (wan(0, name=10.12), "multiwan_wans[0].name", "the number 10.12"),
    (wan(1, failover=[1012]), "multiwan_wans[1].failover[0]", "the number 1012"),
    (wan(0, interface=3002), "multiwan_wans[0].interface", "the number 3002"),
    (wan(0, vlan={"id": 3002, "interface": 1}), "multiwan_wans[0].vlan.interface", "the number 1"),
    (site(0, name=1002), "multiwan_sites[0].name", "the number 1002"),
    (site(0, wan=1012), "multiwan_sites[0].wan", "the number 1012"),
    (core(multiwan_lan_interfaces=[10]), "multiwan_lan_interfaces[0]", "the number 10"),
    (lb(method="pcc", wans=[1012, "1000"]), "multiwan_load_balancing.wans[0]", "the number 1012"),
    (with_names(wan_list=1), "multiwan_names.wan_list", "the number 1"),
    # interface names RouterOS would read as an internal id
    (wan(0, interface="*1"), "multiwan_wans[0].interface", "must not start with '*'"),
    (wan(3, gateway="*2", address=None, check_gateway="none"), "multiwan_wans[3].gateway", "must be an IPv4 address or an interface name"),
    (core(multiwan_lan_interfaces=["*A"]), "multiwan_lan_interfaces[0]", "must not start with '*'"),
    (core(multiwan_conntrack={"enabled": "sometimes"}), "multiwan_conntrack.enabled", "must be one of yes, no, auto"),
    (core(multiwan_conntrack={"loose_tcp_tracking": "perhaps"}), "multiwan_conntrack.loose_tcp_tracking", "must be true or false"),
    # gateway_from: dhcp | pppoe instead of gateway
    (wan(1, gateway_from="bootp"), "multiwan_wans[1].gateway_from", "must be one of dhcp, pppoe, got a string ('bootp')"),
    (wan(1, gateway_from=True), "multiwan_wans[1].gateway_from", "must be one of dhcp, pppoe, got a boolean"),
    (wan(1, gateway_from="dhcp"), "multiwan_wans[1].gateway_from", "give either gateway (a static next hop) or gateway_from"),
    (wan(1, gateway=None, address=None, check_gateway=None), "multiwan_wans[1].gateway",
     "is required (an IPv4 next hop or an interface name), unless gateway_from"),
    (wan(1, gateway=None, gateway_from="dhcp"), "multiwan_wans[1].address", "the DHCP client provides this WAN's address"),
    (wan(1, gateway=None, gateway_from="pppoe", address=None), "multiwan_wans[1].vlan",
     "a PPPoE WAN's interface is the PPPoE client ('VLAN3000'), not a VLAN"),
    (wan(1, gateway=None, gateway_from="pppoe", address=None, vlan=None, check_gateway="ping"),
     "multiwan_wans[1].check_gateway", "check_gateway=ping needs an IP gateway; a PPPoE WAN's gateway is its interface"),
]


@pytest.mark.parametrize("intent_vars,path,text", CORE_CASES)
def test_core_rule(intent_vars, path, text):
    errors = intent_errors(intent_vars, "core")
    matching = [e for e in errors if e.startswith(path + ": ")]
    assert matching, "no error for %s in %s" % (path, errors)
    assert any(text in e for e in matching), "%r not in %s" % (text, matching)


def test_ecmp_rejects_a_wan_named_like_the_ecmp_pseudo_wan():
    data = core(multiwan_load_balancing={"method": "ecmp", "wans": ["1012", "1000"]}, multiwan_sites=None)
    data["multiwan_wans"][3]["name"] = "ECMP"
    errors = intent_errors(data, "core")
    assert any(e.startswith("multiwan_load_balancing.method: ecmp uses the name templates") for e in errors), errors


EDGE_CASES = [
    (edge(multiwan_edge=None), "multiwan_edge", "is required on an edge router"),
    (edge(multiwan_edge=["1012"]), "multiwan_edge", "must be a mapping"),
    (edge_with(wan=None), "multiwan_edge.wan", "is required"),
    (edge_with(internet_interface=None), "multiwan_edge.internet_interface", "is required"),
    (edge_with(transit_interface=None), "multiwan_edge.transit_interface", "is required"),
    (edge_with(core_address=None), "multiwan_edge.core_address", "is required"),
    (edge_with(internal_networks=None), "multiwan_edge.internal_networks", "is required"),
    (edge_with(public="x"), "multiwan_edge.public", "unknown setting"),
    (dict(edge(), multiwan_wans=[{"name": "1000"}]), "multiwan_edge.wan", "unknown WAN '1012'; known WANs (multiwan_wans): 1000"),
    (edge_with(transit_interface="ether1"), "multiwan_edge.transit_interface", "must differ from internet_interface"),
    (edge_with(core_address="10.10.2.256"), "multiwan_edge.core_address", "must be an IPv4 address"),
    (edge_with(internal_networks=[]), "multiwan_edge.internal_networks", "at least 1"),
    (edge_with(internal_networks=["10.11.0.0/15"]), "multiwan_edge.internal_networks[0]", "host bits set"),
    (edge_with(internal_networks=["0.0.0.0/0"]), "multiwan_edge.internal_networks[0]", "would send the internet to the core"),
    (edge_with(internal_networks=["10.11.0.0/16", "10.11.0.0/16"]), "multiwan_edge.internal_networks[1]", "duplicate network"),
    (edge_with(internal_networks=["10.10.2.0/24"]), "multiwan_edge.internal_networks[0]", "contains core_address"),
    (edge_with(fix_transit_srcnat="sure"), "multiwan_edge.fix_transit_srcnat", "must be true or false"),
    # multiwan_edge.wan is checked whether or not multiwan_wans is set for the edge host
    (edge_with(wan='10"12'), "multiwan_edge.wan", "must be 1-32 letters, digits"),
    (edge_with(wan="$[/system/reboot]"), "multiwan_edge.wan", "must be 1-32 letters, digits"),
    (edge_with(wan="1012\nx"), "multiwan_edge.wan", "must be 1-32 letters, digits"),
    (edge_with(wan="10\x0012"), "multiwan_edge.wan", "must be 1-32 letters, digits"),
    (edge_with(wan="1" * 10000), "multiwan_edge.wan", "... (10000 characters) must be 1-32 letters, digits"),
    (edge_with(wan="1012\n"), "multiwan_edge.wan", "must be 1-32 letters, digits"),
    (edge_with(wan=1012), "multiwan_edge.wan", "the number 1012"),
    (edge_with(internet_interface=1), "multiwan_edge.internet_interface", "the number 1"),
    (edge_with(transit_interface="*3"), "multiwan_edge.transit_interface", "must not start with '*'"),
    (forward(0, name=22), "multiwan_port_forwards[0].name", "the number 22"),
    (edge(multiwan_port_forwards={"name": "x"}), "multiwan_port_forwards", "must be a list"),
    (edge(multiwan_port_forwards=["ssh"]), "multiwan_port_forwards[0]", "must be a mapping"),
    (forward(0, name=None), "multiwan_port_forwards[0].name", "is required"),
    (forward(0, protocol=None), "multiwan_port_forwards[0].protocol", "is required"),
    (forward(0, port=None), "multiwan_port_forwards[0].port", "is required"),
    (forward(0, to_address=None), "multiwan_port_forwards[0].to_address", "is required"),
    (forward(0, name="server ssh"), "multiwan_port_forwards[0].name", "must be 1-32 letters"),
    (forward(1, name="server-ssh"), "multiwan_port_forwards[1].name", "duplicate port forward name 'server-ssh'"),
    (forward(0, protocol="icmp"), "multiwan_port_forwards[0].protocol", "must be one of tcp, udp"),
    (forward(0, port=0), "multiwan_port_forwards[0].port", "from 1 to 65535"),
    (forward(0, port=70000), "multiwan_port_forwards[0].port", "from 1 to 65535"),
    (forward(0, port="2300-2200"), "multiwan_port_forwards[0].port", "low-high"),
    (forward(0, port="ssh"), "multiwan_port_forwards[0].port", "from 1 to 65535"),
    (forward(0, to_address="10.11.101"), "multiwan_port_forwards[0].to_address", "must be an IPv4 address"),
    (forward(0, to_port=70000), "multiwan_port_forwards[0].to_port", "from 1 to 65535"),
    (forward(2, to_port="20000-20010"), "multiwan_port_forwards[2].to_port", "does not have the same size"),
    (forward(0, source=["203.0.113.0/33"]), "multiwan_port_forwards[0].source[0]", "must be an IPv4 network"),
    (forward(0, source="203.0.113.0/24"), "multiwan_port_forwards[0].source", "must be a list"),
    (forward(0, source=["198.51.100.7", "198.51.100.7/32"]), "multiwan_port_forwards[0].source[1]", "duplicate source 198.51.100.7/32"),
    (forward(0, dst_address="198.51.100.x"), "multiwan_port_forwards[0].dst_address", "must be an IPv4 address"),
    (forward(0, public=True), "multiwan_port_forwards[0].public", "unknown setting"),
    (forward(0, to_address="192.168.88.10"), "multiwan_port_forwards[0].to_address",
     "is not inside multiwan_edge.internal_networks (10.11.0.0/16)"),
    (two_forwards(FWD, FWD), "multiwan_port_forwards[1].port", "public tcp port 80 is already forwarded by multiwan_port_forwards[0]"),
    (two_forwards(dict(FWD, port="8000-8010"), dict(FWD, port=8005)), "multiwan_port_forwards[1].port", "already forwarded"),
    (two_forwards(dict(FWD, dst_address="198.51.100.10"), FWD), "multiwan_port_forwards[1].port", "already forwarded"),
    (dict(edge(), multiwan_names={"forward_source_list": "Allowed_Clients_Of_The_Port_Forward_That_Is_Called_By_Name_{forward}"}),
     "multiwan_port_forwards[0].name", "more than the 63 allowed"),
    (dict(edge(), multiwan_names={"forward_source_list": "PF_SRC"}), "multiwan_names.forward_source_list", "must contain {forward}"),
    (dict(edge(), multiwan_conntrack={"udp_timeout": "soon"}), "multiwan_conntrack.udp_timeout", "must be a RouterOS time"),
]


@pytest.mark.parametrize("intent_vars,path,text", EDGE_CASES)
def test_edge_rule(intent_vars, path, text):
    errors = intent_errors(intent_vars, "edge")
    matching = [e for e in errors if e.startswith(path + ": ")]
    assert matching, "no error for %s in %s" % (path, errors)
    assert any(text in e for e in matching), "%r not in %s" % (text, matching)


def test_worked_example_intents_are_valid():
    assert intent_errors(core(), "core") == []
    assert intent_errors(edge(), "edge") == []


def test_public_ports_may_repeat_on_another_protocol_or_address():
    assert intent_errors(two_forwards(FWD, dict(FWD, protocol="udp")), "edge") == []
    assert intent_errors(two_forwards(dict(FWD, dst_address="198.51.100.10"), dict(FWD, dst_address="198.51.100.11")), "edge") == []


def test_every_violation_is_reported_at_once():
    data = core()
    data["multiwan_wans"][0]["gateway"] = "10.10.9.1"
    data["multiwan_wans"][1]["name"] = "1012"
    data["multiwan_wans"][2]["check_gateway"] = "icmp"
    data["multiwan_sites"][1]["wan"] = "1013"
    data["multiwan_internal_networks"] = ["10.11.1.0/16"]
    data["multiwan_load_balancing"] = {"method": "pcc", "wans": ["1012"]}
    data["multiwan_names"] = {"table": "Via"}
    errors = intent_errors(data, "core")
    paths = [e.split(": ", 1)[0] for e in errors]
    for expected in ("multiwan_wans[0].gateway", "multiwan_wans[1].name", "multiwan_wans[2].check_gateway",
                     "multiwan_sites[1].wan", "multiwan_internal_networks[0]", "multiwan_load_balancing.wans",
                     "multiwan_names.table"):
        assert expected in paths, (expected, errors)
    with pytest.raises(IntentError) as raised:
        core_intent(data)
    assert raised.value.errors == errors
    assert "invalid multiwan intent (%d problems)" % len(errors) in str(raised.value)


def test_core_defaults_are_filled_in():
    data = core()
    data["multiwan_wans"][2]["failover"] = ["1000"]
    data["multiwan_wans"][1]["distance"] = 10
    intent = core_intent(data)
    assert [w.distance for w in intent.wans] == [1, 10, 3, 4]
    assert intent.wans[0].failover == ["1000", "1005", "VVG"]
    assert intent.wans[2].failover == ["1000"]
    assert [w.inbound for w in intent.wans] == [True, True, True, False]
    assert all(w.check_gateway == "ping" for w in intent.wans)
    assert intent.internal_strategy == "rules"
    assert intent.names.table_for("1012") == "InternetVia1012"
    assert intent.names.connection_mark_for("1012") == "CONN_VIA_1012"
    assert intent.names.site_list_for("1012") == "SITES_USE_1012"
    assert (intent.names.wan_list, intent.names.lan_list, intent.names.internal_list) == ("WAN", "LAN", "INTERNAL")
    assert intent.common.conntrack == {"tcp-established-timeout": "1d", "udp-timeout": "30s"}
    assert intent.load_balancing is None
    assert intent.internal_networks[0].gateway == GATEWAY_CONNECTED


def test_a_yaml_number_where_a_name_belongs_is_refused_with_the_value_as_it_arrived():
    data = core()
    data["multiwan_wans"][0]["name"] = 612
    errors = intent_errors(data, "core")
    assert errors[0] == ("multiwan_wans[0].name: must be a quoted string, but YAML read it as the number 612; quote it "
                         "(YAML reads an unquoted 010 as 8 and 10:12 as 612)"), errors


def test_quoted_names_of_digits_are_kept_as_written():
    intent = core_intent(wan(3, name="010"))
    assert intent.wans[3].name == "010"


def test_a_long_value_is_cut_in_its_message():
    errors = intent_errors(edge_with(wan="1" * 10000), "edge")
    assert len(errors) == 1 and len(errors[0]) < 200, errors


def test_edge_wan_is_refused_without_multiwan_wans_and_checked_against_it_when_set():
    assert "multiwan_wans" not in edge()
    assert intent_errors(edge_with(wan="10 12"), "edge") == [
        "multiwan_edge.wan: WAN name '10 12' must be 1-32 letters, digits, '_' or '-' (it is used in generated names)"]
    with_wans = dict(edge_with(wan="1013"), multiwan_wans=[{"name": "1012"}])
    assert intent_errors(with_wans, "edge") == ["multiwan_edge.wan: unknown WAN '1013'; known WANs (multiwan_wans): 1012"]


def test_interface_gateway_defaults_to_no_check():
    data = wan(3, gateway="pppoe-out1", address=None)
    intent = core_intent(data)
    assert intent.wans[3].gateway == "pppoe-out1"
    assert not intent.wans[3].gateway_is_ip
    assert intent.wans[3].check_gateway == "none"


def test_load_balancing_defaults_to_wans_without_sites():
    data = core(multiwan_sites=[{"name": "s", "networks": ["192.168.1.0/24"], "wan": "1012"}],
                multiwan_load_balancing={"method": "nth"})
    intent = core_intent(data)
    assert intent.load_balancing.wans == ["1000", "1005", "VVG"]
    assert intent.load_balancing.sticky_timeout == "1d"


def test_routes_strategy_keeps_given_and_connected_gateways():
    data = core(multiwan_internal_strategy="routes",
                multiwan_internal_networks=[{"dst": "10.11.0.0/16", "gateway": "10.11.255.1"}, "10.11.101.0/24",
                                            {"dst": "192.168.0.0/17", "gateway": "bridge-lan"}])
    intent = core_intent(data)
    assert [(n.dst, n.gateway) for n in intent.internal_networks] == [
        ("10.11.0.0/16", "10.11.255.1"), ("10.11.101.0/24", GATEWAY_CONNECTED), ("192.168.0.0/17", "bridge-lan")]


def test_edge_defaults_and_result():
    intent = edge_intent(edge())
    assert intent.edge.fix_transit_srcnat is False
    assert intent.port_forwards[0].port == "2222"
    assert intent.port_forwards[0].to_port == "22"
    assert intent.port_forwards[2].port == "10000-10100"
    assert intent.port_forwards[1].to_port is None


def test_check_functions_return_no_intent_on_errors():
    assert check_core(core(multiwan_wans=None))[0] is None
    assert check_edge(edge(multiwan_edge=None))[0] is None


def test_intent_errors_rejects_bad_input_and_kind():
    assert intent_errors(["not", "a", "mapping"], "core") == [
        "intent_vars: must be a mapping of inventory variable names to values, got a list"]
    with pytest.raises(ValueError):
        intent_errors(core(), "router")


def test_gateway_from_dhcp_and_pppoe():
    data = wan(1, gateway=None, gateway_from="dhcp", address=None)
    data["multiwan_wans"][2].update(gateway=None, gateway_from="pppoe", address=None, vlan=None, interface="pppoe-out1")
    intent = core_intent(data)
    dhcp, pppoe = intent.wans[1], intent.wans[2]
    assert (dhcp.gateway_from, dhcp.gateway, dhcp.check_gateway, dhcp.vlan is not None) == ("dhcp", "", "none", True)
    assert (pppoe.gateway_from, pppoe.gateway, pppoe.gateway_is_ip, pppoe.check_gateway) == ("pppoe", "pppoe-out1", False, "none")
    assert intent.wans[0].gateway_from is None
    # a DHCP WAN may check its gateway: the DHCP client does
    assert core_intent(wan(1, gateway=None, gateway_from="dhcp", address=None, check_gateway="arp")).wans[1].check_gateway == "arp"
