# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Role wan_interfaces: WAN VLANs and addresses, the WAN/LAN interface lists, the INTERNAL
address list and, where the core itself must NAT, a masquerade per WAN (the worked example's file 1)."""

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.common import Desired, add, key
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.ranks import rank
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.model import GATEWAY_FROM_PPPOE, CoreIntent


def compile_wan_interfaces(intent: CoreIntent) -> Desired:
    desired: Desired = {}
    names = intent.names
    for wan in intent.wans:
        if wan.vlan is not None:
            add(desired, "/interface/vlan", {
                "name": wan.interface,
                "vlan-id": wan.vlan.vlan_id,
                "interface": wan.vlan.interface,
                "comment": "WAN %s VLAN %d on %s" % (wan.label(), wan.vlan.vlan_id, wan.vlan.interface),
            })
    for wan in intent.wans:
        if wan.address is not None:
            add(desired, "/ip/address", {
                "address": wan.address,
                "interface": wan.interface,
                "comment": "WAN %s transit address" % wan.label(),
            })
    add(desired, "/interface/list", {"name": names.wan_list, "comment": "Interfaces toward the internet connections"})
    for wan in intent.wans:
        add(desired, "/interface/list/member", {
            "list": names.wan_list,
            "interface": wan.interface,
            "comment": "WAN %s" % wan.label(),
        })
    if intent.lan_interfaces:
        add(desired, "/interface/list", {"name": names.lan_list, "comment": "Interfaces toward the internal networks"})
        for interface in intent.lan_interfaces:
            add(desired, "/interface/list/member", {
                "list": names.lan_list,
                "interface": interface,
                "comment": "LAN interface %s" % interface,
            })
    for network in intent.internal_networks:
        add(desired, "/ip/firewall/address-list", {
            "list": names.internal_list,
            "address": network.dst,
            "comment": "Internal network %s" % network.dst,
        })
    for wan in intent.wans:
        if wan.masquerade:
            add(desired, "/ip/firewall/nat", {
                "chain": "srcnat",
                "action": "masquerade",
                "out-interface": wan.interface,
                "comment": "Masquerade out of WAN %s" % wan.label(),
                "_key": key("masquerade", wan.name),
                "_rank": rank("wan_masquerade"),
            })
    return desired


def required_wan_interfaces(intent: CoreIntent) -> Desired:
    """What must already be on the router, unmanaged: a PPPoE WAN's interface is the PPPoE client the ISP setup
    created with its credentials (the role never creates one), named with the variable that asks for it."""
    clients = []
    for index, wan in enumerate(intent.wans):
        if wan.gateway_from == GATEWAY_FROM_PPPOE:
            clients.append({"name": wan.interface, "_why": (
                "multiwan_wans[%d].interface: %s is not a PPPoE client of this router (/interface/pppoe-client); a WAN "
                "with gateway_from: pppoe uses the client the ISP setup creates with its credentials: create it (name=%s) "
                "first" % (index, wan.interface, wan.interface))})
    return {"/interface/pppoe-client": clients} if clients else {}
