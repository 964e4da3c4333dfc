# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""wan_interfaces: the worked example's file 1 (WAN VLANs, interface lists, INTERNAL address list)."""

from multiwan_samples import core

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.ranks import rank
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.wan_interfaces import compile_wan_interfaces
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import core_intent


def test_worked_example_wans_get_vlans_addresses_and_the_wan_list():
    desired = compile_wan_interfaces(core_intent(core()))
    vlans = [(e["name"], e["vlan-id"], e["interface"]) for e in desired["/interface/vlan"]]
    assert vlans == [("VLAN3002", 3002, "sfp-sfpplus1"), ("VLAN3000", 3000, "sfp-sfpplus1"),
                     ("VLAN3003", 3003, "sfp-sfpplus1"), ("VLAN3004", 3004, "sfp-sfpplus1")]
    assert "1012 (CCR2004 1Gbps)" in desired["/interface/vlan"][0]["comment"]
    addresses = [(e["address"], e["interface"]) for e in desired["/ip/address"]]
    assert addresses == [("10.10.2.2/30", "VLAN3002"), ("10.10.0.2/30", "VLAN3000"), ("10.10.3.2/30", "VLAN3003"),
                         ("192.168.254.2/30", "VLAN3004")]
    assert [e["name"] for e in desired["/interface/list"]] == ["WAN"]
    members = [(e["list"], e["interface"]) for e in desired["/interface/list/member"]]
    assert members == [("WAN", "VLAN3002"), ("WAN", "VLAN3000"), ("WAN", "VLAN3003"), ("WAN", "VLAN3004")]
    internal = [(e["list"], e["address"]) for e in desired["/ip/firewall/address-list"]]
    assert internal == [("INTERNAL", "10.11.0.0/16"), ("INTERNAL", "192.168.0.0/17")]
    # The worked example's WANs are NATed by their edge routers: no masquerade on the core.
    assert "/ip/firewall/nat" not in desired


def test_lan_list_only_when_lan_interfaces_are_given():
    desired = compile_wan_interfaces(core_intent(core(multiwan_lan_interfaces=["bridge-lan", "VLAN1101"])))
    assert [e["name"] for e in desired["/interface/list"]] == ["WAN", "LAN"]
    lan = [e["interface"] for e in desired["/interface/list/member"] if e["list"] == "LAN"]
    assert lan == ["bridge-lan", "VLAN1101"]


def test_wans_without_vlan_or_address_get_neither():
    data = core()
    for wan in data["multiwan_wans"]:
        wan.pop("vlan")
        wan.pop("address")
    desired = compile_wan_interfaces(core_intent(data))
    assert "/interface/vlan" not in desired
    assert "/ip/address" not in desired


def test_masquerade_only_for_wans_that_ask_for_it():
    data = core()
    data["multiwan_wans"][1]["masquerade"] = True
    data["multiwan_wans"][3]["masquerade"] = True
    nat = compile_wan_interfaces(core_intent(data))["/ip/firewall/nat"]
    assert [(e["chain"], e["action"], e["out-interface"], e["_rank"]) for e in nat] == [
        ("srcnat", "masquerade", "VLAN3000", rank("wan_masquerade")),
        ("srcnat", "masquerade", "VLAN3004", rank("wan_masquerade"))]
    assert nat[0]["_key"] == "masquerade-1000"
    assert nat[0]["comment"] == "Masquerade out of WAN 1000 (CCR2004 500Mbps)"


def test_custom_names_are_used():
    desired = compile_wan_interfaces(core_intent(core(multiwan_names={"wan_list": "UPLINKS", "internal_list": "INSIDE"},
                                                      multiwan_lan_interfaces=["bridge"])))
    assert {e["list"] for e in desired["/interface/list/member"]} == {"UPLINKS", "LAN"}
    assert {e["list"] for e in desired["/ip/firewall/address-list"]} == {"INSIDE"}
