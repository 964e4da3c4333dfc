# -*- coding: utf-8 -*-
"""The gate the config action judges after a phase's reconcile: its verdict, its messages, the facts it hands on.

Runs through ansible-playbook against the lab router are in tests/functional/test_playbooks_rollout.py.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from ansible_collections.multiwan.routeros.plugins.plugin_utils import gate

PLAN = [
    {"op": "add", "path": "/routing/table", "key": "InternetVia1012", "fields": {"name": "InternetVia1012"}},
    {"op": "add", "path": "/ip/route", "key": "default-1012"},
    {"op": "set", "path": "/ip/route", "key": "default-1000", "id": "*3"},
    {"op": "remove", "path": "/ip/route", "key": "old", "id": "*4", "copied_tag": True},
]
RESULT = {"changed": True, "converged": True, "still_to_do": [], "plan": PLAN, "deferred": [{"op": "remove"}],
          "commands": ["/routing table add name=InternetVia1012"]}


def test_the_summary_line_counts_the_plan_per_operation():
    assert gate.summary_entry("20_routing_tables", "routing_tables", RESULT) == {
        "phase": "20_routing_tables", "role": "routing_tables", "changed": True, "add": 2, "set": 1, "remove": 1,
        "move": 0, "deferred": 1, "copied_tags": 1, "commands": ["/routing table add name=InternetVia1012"]}


def test_check_mode_hands_the_plan_to_the_next_phases():
    earlier = [{"phase": "10_wan_setup"}]
    facts = gate.gate_facts("20_routing_tables", "routing_tables", RESULT, True, earlier, [{"op": "add", "key": "x"}])
    assert [entry["phase"] for entry in facts[gate.SUMMARY]] == ["10_wan_setup", "20_routing_tables"]
    # As JSON text (every later task copies the facts), on the earlier plans given as text or as data.
    assert json.loads(facts[gate.PENDING]) == [{"op": "add", "key": "x"}] + gate.pending_ops(PLAN)
    again = gate.gate_facts("30_connection_marks", "connection_marks", RESULT, True, facts[gate.SUMMARY], facts[gate.PENDING])
    assert json.loads(again[gate.PENDING]) == json.loads(facts[gate.PENDING]) + gate.pending_ops(PLAN)
    # The earlier facts are not modified in place.
    assert earlier == [{"phase": "10_wan_setup"}]


def test_the_pending_plan_keeps_what_a_later_plan_predicts_from():
    plan = [
        {"op": "add", "path": "/ip/route", "key": "a", "handle": "*new1", "fields": {"gateway": "1.1.1.1"},
         "after": {"gateway": "1.1.1.1"}, "place_before": "*2", "before": None, "adopted": False},
        {"op": "set", "path": "/ip/route", "key": "b", "id": "*3", "fields": {"distance": "2"},
         "before": {"distance": "1"}, "after": {"distance": "2"}},
        {"op": "move", "path": "/ip/firewall/mangle", "key": "c", "id": "*5", "destination": "*1", "before": {}},
        {"op": "remove", "path": "/ip/route", "key": "d", "id": "*4", "before": {"gateway": "2.2.2.2"}, "copied_tag": True},
    ]
    assert gate.pending_ops(plan) == [
        {"op": "add", "path": "/ip/route", "key": "a", "handle": "*new1", "after": {"gateway": "1.1.1.1"}, "place_before": "*2"},
        {"op": "set", "path": "/ip/route", "key": "b", "id": "*3", "fields": {"distance": "2"}, "after": {"distance": "2"}},
        {"op": "move", "path": "/ip/firewall/mangle", "key": "c", "id": "*5", "destination": "*1"},
        {"op": "remove", "path": "/ip/route", "key": "d", "id": "*4"},
    ]


def test_an_apply_run_hands_no_plan_on():
    facts = gate.gate_facts("20_routing_tables", "routing_tables", RESULT, False, None, None)
    assert gate.PENDING not in facts
    assert len(facts[gate.SUMMARY]) == 1


def test_the_verdict_then_the_commands():
    assert gate.verdict_lines("20_routing_tables", RESULT, False) == [
        "Phase 20_routing_tables converged: the read-back matches the intent; 1 removal(s) wait until nothing uses them"
        " (phase 75)", "/routing table add name=InternetVia1012"]
    assert gate.verdict_lines("20_routing_tables", {"plan": PLAN}, True)[0] == (
        "Check mode: phase 20_routing_tables plans 4 operations, and the router as they would leave it matches the intent")


def test_the_stop_message_names_what_is_left():
    left = {"converged": False, "still_to_do": ["/ip route add gateway=192.0.2.1"]}
    assert gate.stop_message("20_routing_tables", left, True) == (
        "STOP: the plan of phase 20_routing_tables would not converge (1 operations left): "
        "['/ip route add gateway=192.0.2.1']. Roll back with the export saved by phase 00 if needed.")
    assert gate.stop_message("20_routing_tables", {"msg": "gathered"}, False) == (
        "STOP: after phase 20_routing_tables the router still differs from the intent (0 operations left): gathered. "
        "Roll back with the export saved by phase 00 if needed.")
    assert "no verdict from the role" in gate.stop_message("20_routing_tables", {}, False)


def test_a_probe_stands_while_no_phase_changed_the_router_since():
    verified = {"phase": "60_failover", "phases": 2, "result": {"ok": True}}
    summary = [{"changed": True}, {"changed": True}, {"changed": False}]
    assert gate.unchanged_since(verified, summary, check_mode=False)
    assert not gate.unchanged_since(verified, summary + [{"changed": True}], check_mode=False)
    # A check run writes nothing: what it planned to change is not on the router.
    assert gate.unchanged_since(verified, summary + [{"changed": True}], check_mode=True)
    assert not gate.unchanged_since(None, summary, check_mode=True)


def test_the_verification_gate_stops_an_apply_run_and_reports_in_a_check_run():
    failed = {"ok": False, "table_lines": ["WAN  TABLE"], "problems": ["WAN 1005: gateway does not answer"], "notes": ["n"]}
    stop = gate.verification_lines(failed, False, "core")
    assert stop[0].startswith("STOP: core does not forward as the intent says") and stop[1:] == ["WAN  TABLE", "WAN 1005: gateway does not answer"]
    report = gate.verification_lines(failed, True, "core")
    assert report[1] == "check run: the router as it is now, before the planned changes; problems are reported, not stopping"
    assert gate.verification_lines({"ok": True, "table_lines": ["t"], "notes": ["n"]}, False, "core") == ["t", "n"]


def test_the_run_summary_is_published_without_the_commands_and_written_for_scripts(tmp_path, monkeypatch):
    phases = [gate.summary_entry("20_routing_tables", "routing_tables", RESULT)]
    stats = gate.summary_stats("core", True, phases)
    assert stats["per_host"] is False and stats["aggregate"] is True
    published = stats["data"]["multiwan_summary"]["core"]
    assert published["check_mode"] is True and "commands" not in published["phases"][0] and published["phases"][0]["add"] == 2
    # A relative folder is taken from the directory ansible-playbook was started from.
    monkeypatch.chdir(tmp_path)
    path = gate.write_summary("reports/run", "core", True, phases)
    assert os.path.samefile(path, str(tmp_path / "reports" / "run" / "core.json"))
    assert os.listdir(str(tmp_path / "reports" / "run")) == ["core.json"]
    with open(path, encoding="utf-8") as handle:
        assert json.load(handle) == {"host": "core", "check_mode": True, "phases": phases}


COMPILED = {"kind": "core", "design": {"routing_marks": ["InternetVia1012"], "fasttrack_marks": ["no-mark"], "problems": []}}


def test_phase_80_of_a_rollout_names_each_role_no_gate_verified_and_the_design_problems():
    phases = [{"role": "wan_interfaces"}, {"role": "routing_tables"}]
    assert gate.run_problems(["wan_interfaces", "routing_tables"], phases, COMPILED) == []
    problems = gate.run_problems(["wan_interfaces", "site_policy"], phases,
                                 dict(COMPILED, design=dict(COMPILED["design"], problems=["routing mark X has no routing table"])))
    assert problems == ["site_policy was not verified by a gate in this run (run playbooks/80_validation.yml)",
                        "routing mark X has no routing table"]
    assert gate.run_problems([], [], None) == ["the intent was not compiled in this run (tasks/intent.yml runs first)"]


def test_phase_80_of_a_rollout_reports_the_design_and_an_edges_nat():
    lines = gate.run_lines("core", ["wan_interfaces"], COMPILED, True)
    assert lines == ["core (as the planned phases would leave it) matches the intent for wan_interfaces (each read back by "
                     "its gate in this run)",
                     "routing marks InternetVia1012 all have a table; 1 FastTrack rule(s), all limited to connection-mark=no-mark"]
    edge = gate.run_lines("edge-1012", ["port_forward_nosrcnat"], dict(COMPILED, kind="edge"), False,
                          {"internet_interface": "ether1", "offenders": ["rule *3: masquerade toward the core"]})
    assert edge[0].startswith("edge-1012 matches the intent for port_forward_nosrcnat")
    assert edge[1] == ("managed masquerade only out of ether1; 1 foreign source-NAT rule(s) toward the core left enabled: "
                       "rule *3: masquerade toward the core")


def test_the_run_summary_for_the_operator_is_one_line_per_phase():
    entry = gate.summary_entry("20_routing_tables", "routing_tables", RESULT)
    assert gate.summary_lines([entry], True) == [
        "What would change per phase (check mode: nothing was written):",
        "20_routing_tables: 2 add, 1 set, 1 remove, 0 move, 1 removal(s) waiting, 1 removed for a copied owner tag "
        "(see the warnings)"]
    assert gate.summary_lines([dict(entry, add=0, set=0, remove=0, deferred=0, copied_tags=0)], False) == [
        "What changed per phase:", "20_routing_tables: 0 add, 0 set, 0 remove, 0 move"]


def test_phase_75_runs_again_the_roles_whose_removals_waited_the_latest_first():
    phases = [{"role": "routing_tables", "deferred": 1}, {"role": "connection_marks", "deferred": 0},
              {"role": "site_policy", "deferred": 2}, {"role": "routing_tables", "deferred": 1}]
    assert gate.deferred_roles(phases) == ["routing_tables", "site_policy"]
    facts = gate.gate_facts("70_performance", "fasttrack_tuning", RESULT, False, phases, None)
    assert facts["multiwan_cleanup_roles"] == ["fasttrack_tuning", "routing_tables", "site_policy"]


def test_the_foreign_source_nat_an_edge_disables_is_reported_with_the_verdict():
    found = [{"id": "*2", "reason": "srcnat masquerade rule *2: it has no out-interface"}]
    result = dict(RESULT, transit_srcnat=found, transit_srcnat_fixed=True)
    line = "disabling the foreign source-NAT rule(s) toward the core: srcnat masquerade rule *2: it has no out-interface"
    assert gate.transit_srcnat_fixed(result) == line
    assert gate.verdict_lines("40_edge_port_forwards", result, False)[0].endswith("; " + line)
    assert gate.transit_srcnat_fixed(dict(result, transit_srcnat_fixed=False)) == ""
    # Left enabled (no fix): the summary says so, for phase 80.
    assert gate.summary_entry("40_edge_port_forwards", "port_forward_nosrcnat", dict(result, transit_srcnat_fixed=False))[
        "transit_srcnat_left"] == [found[0]["reason"]]
