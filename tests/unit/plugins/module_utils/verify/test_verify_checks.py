# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verification's pure parts: what to check from the compiled intent, parsing RouterOS's output, judging a row."""

import pytest

from multiwan_samples import core, edge

from ansible_collections.multiwan.routeros.plugins.module_utils import verify
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import IntentError

# RouterOS's /ping on the console (7.19): the table, then the totals.
PING_TEXT = """  SEQ HOST                                     SIZE TTL TIME       STATUS
    0 10.10.2.1                                  56  64 512us
    1 10.10.2.1                                                     timeout
    2 10.10.2.1                                  56  64 498us
    sent=3 received=2 packet-loss=33% min-rtt=498us avg-rtt=505us max-rtt=512us
"""
PING_LOST_TEXT = """  SEQ HOST                                     SIZE TTL TIME       STATUS
    0 1.1.1.1                                                       no route to host
    1 1.1.1.1                                                       no route to host
    sent=2 received=0 packet-loss=100%
"""
TRACE_TEXT = """Columns: ADDRESS, LOSS, SENT, LAST, AVG, BEST, WORST, STD-DEV
#  ADDRESS      LOSS  SENT  LAST   AVG  BEST  WORST  STD-DEV
1  10.10.2.1    0%       1  0.4ms  0.4  0.4   0.4          0
2               100%     1  timeout
3  1.1.1.1      0%       1  9ms    9    9     9            0
"""


def test_a_core_row_per_wan_table_with_the_compiled_routes_and_marks():
    plan = verify.core_plan(core())
    assert [(c.wan, c.table, c.connection_mark, c.probe_host) for c in plan.checks] == [
        ("1012", "InternetVia1012", "CONN_VIA_1012", "1.1.1.1"),
        ("1000", "InternetVia1000", "CONN_VIA_1000", "1.1.1.1"),
        ("1005", "InternetVia1005", "CONN_VIA_1005", "1.1.1.1"),
    ]
    # The failover order of the compiled routes (1 + the backup's main-table distance); VVG has no table of its own
    # but backs the others up, so its gateway is probed too.
    assert [(r.wan, r.distance) for r in plan.checks[0].routes] == [("1012", 1), ("1000", 3), ("1005", 4), ("VVG", 5)]
    assert [u.name for u in plan.uplinks] == ["1012", "1000", "1005", "VVG"]


def test_names_and_probe_hosts_come_from_the_intent():
    data = core(multiwan_names={"table": "to_{wan}", "connection_mark": "c_{wan}"},
                multiwan_monitoring={"probe_hosts": {"1000": "9.9.9.9"}})
    checks = verify.core_plan(data).checks
    assert [(c.table, c.connection_mark, c.probe_host) for c in checks][:2] == [
        ("to_1012", "c_1012", "1.1.1.1"), ("to_1000", "c_1000", "9.9.9.9")]


def test_a_dhcp_wan_keeps_its_place_in_every_table_without_a_gateway_from_the_intent():
    data = core()
    data["multiwan_wans"][1] = {"name": "1000", "interface": "VLAN3000", "gateway_from": "dhcp"}
    plan = verify.core_plan(data)
    assert plan.uplinks[1] == verify.Uplink("1000", "VLAN3000", "", "dhcp")
    assert [(r.wan, r.distance) for r in plan.checks[1].routes][:2] == [("1000", 1), ("1012", 2)]


def test_invalid_intent_fails_before_anything_is_probed():
    with pytest.raises(IntentError, match=r"multiwan_monitoring.probe_hosts.isp9: unknown WAN"):
        verify.core_plan(core(multiwan_monitoring={"probe_hosts": {"isp9": "9.9.9.9"}}))


def test_an_edge_row_goes_through_its_main_table():
    plan = verify.edge_plan(edge())
    assert plan.kind == "edge" and plan.internal_networks == ("10.11.0.0/16",)
    assert plan.checks == (verify.WanCheck("1012", "main", "1.1.1.1"),)


def test_ping_over_the_api_and_on_the_console():
    rows = [{"seq": "0", "host": "10.10.2.1", "time": "512us", "sent": "1", "received": "1", "packet-loss": "0"},
            {"seq": "1", "host": "10.10.2.1", "status": "timeout", "sent": "2", "received": "1", "packet-loss": "50"},
            {"seq": "2", "host": "10.10.2.1", "time": "498us", "sent": "3", "received": "2", "packet-loss": "33",
             "avg-rtt": "505us"}]
    assert verify.parse_ping_rows(rows) == verify.Ping(3, 2, "timeout", "505us")
    assert verify.parse_ping_text(PING_TEXT) == verify.Ping(3, 2, "timeout", "505us")
    lost = verify.parse_ping_text(PING_LOST_TEXT)
    assert (lost.ok, lost.text()) == (False, "0/2 no route to host")
    assert verify.parse_ping_rows([]).ok is False
    # An error instead of a table: the router's message is the status.
    assert verify.parse_ping_text("expected end of command (line 1 column 20)\n").status.startswith("expected end")


def test_traceroute_over_the_api_and_on_the_console():
    rows = [{".section": "0", "address": "10.10.2.1", "loss": "0"}, {".section": "0", "address": "", "loss": "100"},
            {".section": "1", "address": "10.10.2.1", "loss": "0"}, {".section": "1", "address": "", "loss": "100"},
            {".section": "1", "address": "1.1.1.1", "loss": "0"}]
    assert verify.parse_traceroute_rows(rows) == ["10.10.2.1", "", "1.1.1.1"]
    assert verify.parse_traceroute_text(TRACE_TEXT) == ["10.10.2.1", "", "1.1.1.1"]
    assert verify.parse_traceroute_text(TRACE_TEXT + TRACE_TEXT.split("\n", 2)[2]) == ["10.10.2.1", "", "1.1.1.1"]


def test_routes_gateways_and_script_rows():
    text = "junk\n#mwan-row InternetVia1012|10.10.2.1|10.10.2.1%VLAN3002|true\n" \
           "#mwan-row main|10.10.0.1|10.10.0.1%VLAN3000|\n"
    rows = verify.default_routes(dict(row, **{"dst-address": "0.0.0.0/0"})
                                 for row in verify.parse_row_lines(text, verify.ROUTE_FIELDS))
    assert verify.active_gateway(rows, "InternetVia1012") == "10.10.2.1"
    assert verify.active_gateway(rows, "main") == ""
    dhcp = verify.Uplink("1000", "VLAN3000", "", "dhcp")
    assert verify.uplink_gateway(dhcp, rows) == "10.10.0.1"
    assert verify.uplink_gateway(verify.Uplink("1000", "VLAN9", "", "dhcp"), rows) == ""
    assert verify.uplink_gateway(verify.Uplink("1012", "VLAN3002", "10.10.2.1"), []) == "10.10.2.1"
    assert verify.gateway_up("pppoe-out1", None, [{"gateway": "pppoe-out1", "active": "true"}])
    assert not verify.gateway_up("pppoe-out1", None, [{"gateway": "pppoe-out1", "active": "false"}])


def test_masqueraded_forwards_are_found():
    kept = {"protocol": "tcp", "src-address": "203.0.113.5:40000", "dst-address": "198.51.100.10:2222",
            "reply-src-address": "10.11.101.206:22", "reply-dst-address": "203.0.113.5:40000", "dstnat": "true"}
    lost = dict(kept, **{"reply-dst-address": "10.10.2.1:40000", "srcnat": "true"})
    outbound = dict(kept, **{"reply-src-address": "1.1.1.1:443", "dstnat": "false"})
    count, masqueraded = verify.forwards_toward([kept, lost, outbound], ["10.11.0.0/16"])
    assert count == 2
    assert masqueraded == ["tcp 203.0.113.5:40000 -> 198.51.100.10:2222 reaches 10.11.101.206:22 from 10.10.2.1"]


def _observed(gw_received=3, probe_received=3, hop="10.10.2.1", table_gateway="10.10.2.1"):
    return verify.Observed("10.10.2.1", verify.Ping(3, gw_received, "" if gw_received else "timeout"), table_gateway,
                           "10.10.2.2", verify.Ping(3, probe_received, "" if probe_received else "timeout"), [hop, "1.1.1.1"], 7)


CHECK = verify.WanCheck("1012", "InternetVia1012", "1.1.1.1", "CONN_VIA_1012",
                        (verify.Route("1012", 1), verify.Route("1000", 3)))


def test_expected_first_hop_follows_the_failover_order():
    gateways = {"1012": "10.10.2.1", "1000": "10.10.0.1"}
    assert verify.expected_first_hop(CHECK, gateways, {"1012": True, "1000": True}) == "10.10.2.1"
    assert verify.expected_first_hop(CHECK, gateways, {"1012": False, "1000": True}) == "10.10.0.1"
    assert verify.expected_first_hop(CHECK, gateways, {}) == ""


def test_a_healthy_row_and_its_table():
    row = verify.judge(CHECK, _observed(), "10.10.2.1")
    assert row["ok"] and row["problems"] == [] and row["notes"] == [] and row["connections"] == 7
    assert row["first_hop"] == {"expected": "10.10.2.1", "actual": "10.10.2.1"}
    assert (row["probe_source"], row["probe_first_hop"], row["probe_through_table"]) == ("10.10.2.2", "10.10.2.1", True)
    text = verify.render_table([row], "core")
    assert text.splitlines()[0] == "core"
    assert text.splitlines()[1].split()[:3] == ["WAN", "TABLE", "GATEWAY"]
    assert text.splitlines()[2].split() == ["1012", "InternetVia1012", "10.10.2.1", "3/3", "10.10.2.1", "10.10.2.1", "1.1.1.1",
                                            "3/3", "7", "ok", "-"]


def test_a_dead_gateway_says_why_and_the_table_follows_its_backup():
    row = verify.judge(CHECK, _observed(gw_received=0, probe_received=0, hop="", table_gateway="10.10.0.1"), "10.10.0.1")
    assert not row["ok"]
    assert row["problems"] == ["gateway 10.10.2.1 does not answer (0/3 timeout)",
                               "probe host 1.1.1.1 does not answer from 10.10.2.2 (0/3 timeout)"]
    assert row["first_hop"] == {"expected": "10.10.0.1", "actual": "10.10.0.1"}
    assert verify.summary([row])[0] == "WAN 1012 (InternetVia1012): gateway 10.10.2.1 does not answer (0/3 timeout)"
    assert "FAIL" in verify.render_table([row])


def test_a_probe_the_router_refuses_is_a_problem_of_its_row():
    refused = verify.parse_ping_text("input does not match any value of interface\n")
    observed = verify.Observed("192.168.254.1", refused, "", "", verify.Ping(3, 3), [], 0)
    row = verify.judge(CHECK, observed, "")
    assert row["problems"][0] == "gateway 192.168.254.1 does not answer (0/0 input does not match any value of interface)"
    assert verify.render_table([row]).splitlines()[1].split()[3:5] == ["not", "sent"]


def test_a_table_routed_elsewhere_than_the_intent_says_is_named():
    row = verify.judge(CHECK, _observed(hop="10.10.3.1", table_gateway="10.10.3.1"), "10.10.2.1")
    assert row["problems"] == ["InternetVia1012 routes via 10.10.3.1, the intent says 10.10.2.1"]
    row = verify.judge(CHECK, _observed(table_gateway=""), "10.10.2.1")
    assert row["problems"] == ["InternetVia1012 routes via nothing (no active default route), the intent says 10.10.2.1"]
    row = verify.judge(CHECK, _observed(gw_received=0), "")
    assert "no gateway of the routes of InternetVia1012 is up" in row["problems"]


def test_a_probe_the_router_sends_another_way_is_a_note_not_a_failure():
    row = verify.judge(CHECK, _observed(probe_received=0, hop="10.10.0.1"), "10.10.2.1")
    assert row["ok"] and row["probe_through_table"] is False
    assert row["notes"][0].startswith("the router sends its own packets from 10.10.2.2 via 10.10.0.1, not through InternetVia1012")
    assert "not via table" in verify.render_table([row])


def _edge_row(**observed):
    check = verify.WanCheck("1012", "main", "1.1.1.1")
    return verify.judge(check, verify.Observed("198.51.100.1", verify.Ping(3, 3), "198.51.100.1", "", verify.Ping(3, 3),
                                               ["198.51.100.1"], 1, ["tcp a -> b reaches c from d"], **observed), None)


def test_an_edge_row_fails_on_a_masquerade_its_enabled_rule_still_does():
    row = _edge_row(nat_offenders=["srcnat masquerade rule (to core): out-interface=sfp1 is the transit interface"])
    assert row["first_hop"] == {"expected": "198.51.100.1", "actual": "198.51.100.1"}
    assert row["problems"] == ["forwarded connection source-NATed (client address lost) by srcnat masquerade rule (to core): "
                               "out-interface=sfp1 is the transit interface: tcp a -> b reaches c from d"]


def test_an_edge_row_notes_a_masquerade_the_intent_keeps_or_no_rule_does_any_more():
    kept = _edge_row(nat_offenders=["srcnat masquerade rule: ..."], srcnat_kept=True)
    assert kept["ok"] and "kept, since multiwan_edge.fix_transit_srcnat is false" in kept["notes"][0]
    # Opened before the fix disabled the rule: the connection keeps its NAT until it closes, the router is right.
    stale = _edge_row()
    assert stale["ok"] and stale["notes"][0].startswith("forwarded connection source-NATed before the transit source NAT")


def test_interface_addresses_and_cli_values():
    rows = [{"address": "10.10.2.2/30", "interface": "VLAN3002"}, {"address": "10.10.2.3/30", "interface": "VLAN3002"},
            {"address": "10.10.0.2/30", "interface": "VLAN3000", "disabled": "true"}]
    assert verify.interface_addresses(rows) == {"VLAN3002": "10.10.2.2"}
    assert verify._cli_value("1.1.1.1") == "1.1.1.1"
    assert verify._cli_value('a b"') == '"a b\\""'


def test_the_plan_made_plain_for_the_compile_fact_comes_back_the_same():
    data = core()
    data["multiwan_wans"][1] = {"name": "1000", "interface": "VLAN3000", "gateway_from": "dhcp"}
    for plan in (verify.core_plan(data), verify.edge_plan(edge())):
        assert verify.plan_from_dict(verify.plan_as_dict(plan)) == plan
