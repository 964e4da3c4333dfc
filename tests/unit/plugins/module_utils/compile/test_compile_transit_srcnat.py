# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""transit_srcnat_offenders: foreign srcnat rules that would hide client addresses from the core."""

import pytest

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.ranks import rank
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.transit_srcnat import TransitSrcnat, transit_srcnat_offenders

EDGE = {"wan": "1012", "internet_interface": "ether1", "transit_interface": "sfp-sfpplus1", "core_address": "10.10.2.2",
        "internal_networks": ["10.11.0.0/16"]}


def row(**fields):
    base = {".id": "*1", "chain": "srcnat", "action": "masquerade", "bytes": "0", "packets": "0", "dynamic": "false",
            "invalid": "false"}
    base.update(fields)
    return base


@pytest.mark.parametrize("fields,reason", [
    ({}, "it has no out-interface"),
    ({"out-interface": "sfp-sfpplus1"}, "out-interface=sfp-sfpplus1 is the transit interface"),
    ({"out-interface": "!ether1"}, "out-interface=!ether1 also matches the transit interface"),
    ({"out-interface-list": "all"}, "out-interface-list=all contains the transit interface"),
    ({"out-interface": "sfp-sfpplus1", "out-interface-list": "all"}, "is the transit interface toward the core; out-interface-list=all"),
    ({"action": "src-nat", "to-addresses": "10.10.2.1", "out-interface": "sfp-sfpplus1"}, "is the transit interface"),
    ({"dst-address": "10.11.101.0/24"}, "it has no out-interface"),
    ({"src-address": "!10.10.2.0/30"}, "it has no out-interface"),
    ({"src-address": "0.0.0.0/0", "protocol": "tcp"}, "it has no out-interface"),
    ({"in-interface": "ether1"}, "it has no out-interface"),
    ({"dst-address": "!192.168.88.0/24"}, "it has no out-interface"),
])
def test_offenders(fields, reason):
    found = transit_srcnat_offenders([row(**fields)], EDGE)
    assert len(found) == 1, found
    assert reason in found[0]["reason"]
    assert found[0]["id"] == "*1"


@pytest.mark.parametrize("fields", [
    {"out-interface": "ether1"},
    {"out-interface": "ether1", "out-interface-list": "all"},
    {"out-interface-list": "all", "out-interface": "!sfp-sfpplus1"},
    {"out-interface": "!sfp-sfpplus1"},
    {"out-interface-list": "WAN"},
    {"src-address": "10.10.2.0/30"},
    {"src-address-list": "LOCAL_NETS"},
    {"dst-address": "8.8.8.0/24"},
    {"dst-address": "!0.0.0.0/0"},
    {"dst-address-list": "VPN"},
    {"in-interface": "bridge"},
    {"in-interface": "!ether1"},
    {"disabled": "true"},
    {"dynamic": "true"},
    {"chain": "dstnat", "action": "dst-nat"},
    {"action": "accept"},
    {"comment": "managed [mwan:port_forward_nosrcnat:masquerade-internet@20000]"},
])
def test_not_offenders(fields):
    assert transit_srcnat_offenders([row(**fields)], EDGE) == []


def test_interface_list_members_resolve_lists():
    members = [{"list": "WAN", "interface": "ether1"}, {"list": "ALL_UP", "interface": "ether1"},
               {"list": "ALL_UP", "interface": "sfp-sfpplus1"}]
    rules = [row(**{".id": "*1", "out-interface-list": "WAN"}), row(**{".id": "*2", "out-interface-list": "ALL_UP"}),
             row(**{".id": "*3", "out-interface-list": "!WAN"}), row(**{".id": "*4", "in-interface-list": "WAN"})]
    found = transit_srcnat_offenders(rules, EDGE, members)
    assert [f["id"] for f in found] == ["*2", "*3", "*4"]
    assert "out-interface-list=ALL_UP contains" in found[0]["reason"]
    assert "out-interface-list=!WAN admits" in found[1]["reason"]
    assert transit_srcnat_offenders([row(**{"in-interface-list": "LAN"})], EDGE, {"LAN": ["bridge"]}) == []


def test_adoption_entry_disables_the_rule_with_a_stable_key():
    original = row(**{".id": "*7", "out-interface": "sfp-sfpplus1", "comment": "old masquerade", "log": "false"})
    found = transit_srcnat_offenders([original], EDGE)
    entry = found[0]["entry"]
    assert entry["disabled"] is True
    assert entry["chain"] == "srcnat" and entry["action"] == "masquerade" and entry["out-interface"] == "sfp-sfpplus1"
    assert not any(k in entry for k in (".id", "bytes", "packets", "dynamic", "invalid"))
    assert entry["_key"].startswith("transit-srcnat-")
    assert entry["_rank"] == rank("transit_srcnat_disabled")
    assert entry["comment"].startswith("old masquerade (disabled:")
    assert "old masquerade" in found[0]["reason"]
    # Same rule, other id and counters: same key.
    again = transit_srcnat_offenders([dict(original, **{".id": "*9", "bytes": "123"})], EDGE)
    assert again[0]["entry"]["_key"] == entry["_key"]
    # Once adopted (tagged, disabled) it is still returned so the role keeps it disabled.
    adopted = dict(original, disabled="true", comment="old masquerade [mwan:port_forward_nosrcnat:%s@%d]" % (
        entry["_key"], entry["_rank"]))
    kept = transit_srcnat_offenders([adopted], EDGE)
    assert kept[0]["entry"]["_key"] == entry["_key"]
    assert kept[0]["entry"]["comment"] == "old masquerade"
    assert "disabled earlier" in kept[0]["reason"]


def test_the_config_modules_read_keeps_what_was_adopted_and_adopts_the_offenders_only_with_the_fix():
    """TransitSrcnat, the engine's from_router for the edge role: one read of NAT rules and interface list members."""
    offender = row(**{".id": "*7", "out-interface-list": "TOCORE"})
    found = transit_srcnat_offenders([offender], EDGE, {"TOCORE": ["sfp-sfpplus1"]})[0]
    adopted = dict(offender, **{".id": "*8", "out-interface": "sfp-sfpplus1", "disabled": "true",
                                "comment": "[mwan:port_forward_nosrcnat:transit-srcnat-0123456789ab@%d]" % rank("transit_srcnat_disabled")})
    actual = {"/ip/firewall/nat": [offender, adopted, row(**{".id": "*9", "out-interface": "ether1"})],
              "/interface/list/member": [{".id": "*1", "list": "TOCORE", "interface": "sfp-sfpplus1"}]}
    assert TransitSrcnat.paths == ("/ip/firewall/nat", "/interface/list/member")
    extra, adopt, report = TransitSrcnat(EDGE).extend(actual, "port_forward_nosrcnat")
    assert [entry["_key"] for entry in extra["/ip/firewall/nat"]] == ["transit-srcnat-0123456789ab"] and adopt == []
    assert report == {"transit_srcnat": [{"id": "*7", "reason": found["reason"]}], "transit_srcnat_fixed": False}
    extra, adopt, report = TransitSrcnat(dict(EDGE, fix_transit_srcnat=True)).extend(actual, "port_forward_nosrcnat")
    assert extra["/ip/firewall/nat"][1] == found["entry"] and adopt == ["/ip/firewall/nat"]
    assert report["transit_srcnat_fixed"] is True
    assert TransitSrcnat(EDGE).extend({"/ip/firewall/nat": [], "/interface/list/member": []}, "port_forward_nosrcnat") == (
        {}, [], {"transit_srcnat": [], "transit_srcnat_fixed": False})
