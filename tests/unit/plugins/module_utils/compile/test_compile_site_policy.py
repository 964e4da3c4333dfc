# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""site_policy: the worked example's file 4 (sites per WAN) and load balancing (the PCC and sticky-NTH examples, ECMP)."""

from multiwan_samples import core

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.ranks import rank
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.site_policy import compile_site_policy
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import core_intent


def test_site_networks_go_into_per_wan_address_lists():
    desired = compile_site_policy(core_intent(core()))
    entries = [(e["list"], e["address"]) for e in desired["/ip/firewall/address-list"]]
    assert entries == [("SITES_USE_1012", "192.168.10.0/24"), ("SITES_USE_1000", "192.168.20.0/24"),
                       ("SITES_USE_1000", "192.168.21.0/24"), ("SITES_USE_1005", "192.168.30.0/24")]
    assert desired["/ip/firewall/address-list"][1]["comment"] == "Site vcid_office uses 1000"


def test_duplicate_site_networks_on_one_wan_are_listed_once():
    data = core()
    data["multiwan_sites"].append({"name": "school_annex", "networks": ["192.168.10.0/24"], "wan": "1012"})
    lists = [(e["list"], e["address"]) for e in compile_site_policy(core_intent(data))["/ip/firewall/address-list"]]
    assert lists.count(("SITES_USE_1012", "192.168.10.0/24")) == 1


def test_site_rules_mark_new_outbound_connections():
    rules = compile_site_policy(core_intent(core()))["/ip/firewall/mangle"]
    assert rules[0] == {
        "chain": "prerouting",
        "src-address-list": "SITES_USE_1012",
        "in-interface-list": "!WAN",
        "connection-state": "new",
        "connection-mark": "no-mark",
        "dst-address-type": "!local",
        "dst-address-list": "!INTERNAL",
        "action": "mark-connection",
        "new-connection-mark": "CONN_VIA_1012",
        "passthrough": True,
        "comment": "Sites assigned to 1012 (CCR2004 1Gbps) go out via it",
        "_key": "site-1012",
        "_rank": rank("site_mark_connection"),
    }
    assert [e["new-connection-mark"] for e in rules] == ["CONN_VIA_1012", "CONN_VIA_1000", "CONN_VIA_1005"]
    assert rank("inbound_mark_connection") < rules[0]["_rank"] < rank("mark_routing")


def test_pcc_splits_unmarked_connections():
    data = core(multiwan_sites=None, multiwan_load_balancing={"method": "pcc", "wans": ["1012", "1000", "1005"],
                                                              "classifier": "both-addresses"})
    rules = compile_site_policy(core_intent(data))["/ip/firewall/mangle"]
    assert [(e["per-connection-classifier"], e["new-connection-mark"]) for e in rules] == [
        ("both-addresses:3/0", "CONN_VIA_1012"), ("both-addresses:3/1", "CONN_VIA_1000"), ("both-addresses:3/2", "CONN_VIA_1005")]
    assert all(e["connection-mark"] == "no-mark" and e["dst-address-type"] == "!local" for e in rules)
    assert all(rank("site_mark_connection") < e["_rank"] < rank("mark_routing") for e in rules)


def test_nth_sticky_with_two_wans_has_the_sticky_nth_example_remedy():
    data = core(multiwan_sites=None, multiwan_load_balancing={"method": "nth", "wans": ["1012", "1000"], "sticky_timeout": "12h"})
    rules = compile_site_policy(core_intent(data))["/ip/firewall/mangle"]
    sticky = [e for e in rules if e["_key"].startswith("lb-sticky-")]
    nth = [e for e in rules if e["_key"].startswith("lb-nth-")]
    remember = [e for e in rules if e["_key"].startswith("lb-remember-")]
    assert [(e["src-address-list"], e["new-connection-mark"]) for e in sticky] == [
        ("LB_STICKY_1012", "CONN_VIA_1012"), ("LB_STICKY_1000", "CONN_VIA_1000")]
    assert [(e.get("nth"), e["src-address-list"], e["connection-state"]) for e in nth] == [
        ("2,1", "!LB_STICKY_1000", "new"), (None, "!LB_STICKY_1012", "new")]
    assert [(e["action"], e["address-list"], e["address-list-timeout"], e["connection-mark"]) for e in remember] == [
        ("add-src-to-address-list", "LB_STICKY_1012", "12h", "CONN_VIA_1012"),
        ("add-src-to-address-list", "LB_STICKY_1000", "12h", "CONN_VIA_1000")]
    assert max(e["_rank"] for e in sticky) < min(e["_rank"] for e in nth) == max(e["_rank"] for e in nth) < min(
        e["_rank"] for e in remember)


def test_nth_with_three_wans_splits_evenly():
    data = core(multiwan_sites=None, multiwan_load_balancing={"method": "nth", "wans": ["1012", "1000", "1005"]})
    nth = [e for e in compile_site_policy(core_intent(data))["/ip/firewall/mangle"] if e["_key"].startswith("lb-nth-")]
    assert [e.get("nth") for e in nth] == ["3,1", "2,1", None]
    assert all("src-address-list" not in e for e in nth)


def test_nth_keeps_site_sources_out_of_sticky_lists():
    data = core(multiwan_load_balancing={"method": "nth", "wans": ["1012", "VVG"]})
    remember = [e for e in compile_site_policy(core_intent(data))["/ip/firewall/mangle"] if e["_key"].startswith("lb-remember-")]
    assert remember[0]["src-address-list"] == "!SITES_USE_1012"
    assert "src-address-list" not in remember[1]


def test_ecmp_marks_unmarked_connections_for_the_ecmp_table():
    data = core(multiwan_load_balancing={"method": "ecmp", "wans": ["1012", "VVG"]})
    rules = [e for e in compile_site_policy(core_intent(data))["/ip/firewall/mangle"] if e["_key"] == "lb-ecmp"]
    assert rules[0]["new-connection-mark"] == "CONN_VIA_ECMP"
    assert rules[0]["connection-mark"] == "no-mark"


def test_no_sites_and_no_balancing_compile_to_nothing():
    assert compile_site_policy(core_intent(core(multiwan_sites=None))) == {}
