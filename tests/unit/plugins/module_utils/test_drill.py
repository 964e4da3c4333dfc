# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The failover drill's expectations: pure functions over the compiled routing_tables intent."""

from __future__ import absolute_import, division, print_function

import copy

import pytest

from ansible_collections.multiwan.routeros.plugins.module_utils import drill
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.routing_tables import compile_routing_tables
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import core_intent

WANS = [
    {"name": "1012", "interface": "VLAN3002", "gateway": "10.10.2.1", "distance": 1},
    {"name": "1000", "interface": "VLAN3000", "gateway": "10.10.0.1", "distance": 2},
    {"name": "1005", "interface": "VLAN3003", "gateway": "10.10.3.1", "distance": 3},
    {"name": "VVG", "interface": "VLAN3004", "gateway": "192.168.254.1", "distance": 4, "inbound": False},
]


def _intent(**changes):
    data = {"multiwan_wans": copy.deepcopy(WANS), "multiwan_internal_networks": ["10.11.0.0/16"]}
    data.update(changes)
    return core_intent(data)


def _tables(intent, wan):
    return dict((t["table"], (t["primary"], t["during"])) for t in drill.expectations(drill.default_routes(intent), wan))


def test_every_default_route_of_the_compiler_belongs_to_one_wan():
    for intent in (_intent(), _intent(multiwan_load_balancing={"method": "ecmp", "wans": ["1012", "1000"]})):
        desired = compile_routing_tables(intent)["/ip/route"]
        routes = drill.default_routes(intent)
        assert [r.key for r in routes] == [e["_key"] for e in desired if e["dst-address"] == "0.0.0.0/0"]
        gateways = dict((w.name, w.gateway) for w in intent.wans)
        assert all(gateways[r.wan] == r.gateway for r in routes)


def test_the_primary_wan_fails_over_to_the_next_by_distance_in_its_table_and_main():
    assert _tables(_intent(), "1012") == {
        "InternetVia1012": (["10.10.2.1"], ["10.10.0.1"]),
        "InternetVia1000": (["10.10.0.1"], ["10.10.0.1"]),
        "InternetVia1005": (["10.10.3.1"], ["10.10.3.1"]),
        "main": (["10.10.2.1"], ["10.10.0.1"]),
    }


def test_an_explicit_failover_list_sets_the_backup_and_an_empty_one_leaves_none():
    wans = copy.deepcopy(WANS)
    wans[0]["failover"] = ["1005", "1000"]
    assert _tables(_intent(multiwan_wans=wans), "1012")["InternetVia1012"] == (["10.10.2.1"], ["10.10.3.1"])
    wans[0]["failover"] = []
    assert _tables(_intent(multiwan_wans=wans), "1012")["InternetVia1012"] == (["10.10.2.1"], [])


def test_an_ecmp_table_keeps_its_other_share():
    intent = _intent(multiwan_load_balancing={"method": "ecmp", "wans": ["1012", "1000"]})
    tables = _tables(intent, "1012")
    [ecmp] = [name for name in tables if name not in ("InternetVia1012", "InternetVia1000", "InternetVia1005", "main")]
    assert tables[ecmp] == (["10.10.0.1", "10.10.2.1"], ["10.10.0.1"])


def test_the_order_lists_every_route_of_the_table_by_distance():
    [table] = [t for t in drill.expectations(drill.default_routes(_intent()), "1012") if t["table"] == "InternetVia1012"]
    assert table["order"] == ["10.10.2.1 (1012, distance 1)", "10.10.0.1 (1000, distance 3)",
                              "10.10.3.1 (1005, distance 4)", "192.168.254.1 (VVG, distance 5)"]


@pytest.mark.parametrize("value, names", [("1012", ["1012"]), (["1000", "1012"], ["1000", "1012"]), (1012, ["1012"])])
def test_one_wan_or_a_list(value, names):
    assert drill.check_wans(value, _intent()) == names


@pytest.mark.parametrize("value, message", [
    (None, "wans: no WAN given; the drill is opt-in: name one WAN (or a list, drilled one at a time) of multiwan_wans: "
           "1012, 1000, 1005, VVG"),
    ([], "wans: no WAN given"),
    (["NOPE", "1012"], "wans: 'NOPE' is not a WAN of multiwan_wans (1012, 1000, 1005, VVG)"),
    (["1012", "1012"], "wans: 1012 given more than once"),
])
def test_bad_wans_are_named(value, message):
    with pytest.raises(drill.DrillError) as info:
        drill.check_wans(value, _intent())
    assert str(info.value).startswith(message)


def test_a_wan_with_a_dhcp_gateway_cannot_be_drilled():
    wans = copy.deepcopy(WANS)
    wans[2] = {"name": "1005", "interface": "VLAN3003", "gateway_from": "dhcp", "distance": 3}
    with pytest.raises(drill.DrillError, match="'1005' takes its default routes from its DHCP client"):
        drill.check_wans(["1005"], _intent(multiwan_wans=wans))


def test_mismatches_name_the_table_what_was_expected_and_what_was_seen():
    expected = {"InternetVia1012": ["10.10.0.1"], "main": ["10.10.0.1"]}
    seen = drill.parse_active(["InternetVia1012 10.10.3.1", "main 10.10.0.1", "other 1.1.1.1", ""])
    assert drill.mismatches(expected, seen) == ["InternetVia1012: expected 10.10.0.1, saw 10.10.3.1"]
    assert drill.mismatches({"t": ["a"]}, {}) == ["t: expected a, saw no active default route"]


def test_the_report_has_a_line_per_wan_with_its_timings_then_its_tables():
    row = {"wan": "1012", "result": "ok", "disabled": [{}] * 5,
           "timings": {"take_out": 0.012, "converge": 0.25, "restore": 0.011, "recover": 0.3},
           "tables": [{"table": "InternetVia1012", "primary": ["10.10.2.1"], "during": ["10.10.0.1"],
                       "seen_during": ["10.10.0.1"], "seen_after": ["10.10.2.1"]},
                      {"table": "InternetVia1000", "primary": ["10.10.0.1"], "during": ["10.10.0.1"]}]}
    assert drill.report_lines([row], check_mode=False) == [
        "WAN          disabled  take out  converge   restore   recover  result",
        "1012                5    0.012s    0.250s    0.011s    0.300s  ok",
        "    InternetVia1012          10.10.2.1 -> 10.10.0.1; saw 10.10.0.1, then 10.10.2.1",
        "    InternetVia1000          10.10.0.1, stays (1012 is one of its backups)",
    ]
    row["timings"] = dict((step, None) for step in drill.STEPS)
    assert drill.report_lines([row], check_mode=True)[1] == "1012                5         -         -         -         -  check mode"
