# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import PlanError
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.desired import prepare_desired
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.gather import gather
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.plan import build_plan, predict

MANGLE = "/ip/firewall/mangle"
DUMMY = {".id": "*1", "chain": "prerouting", "action": "passthrough", "dynamic": "true",
         "comment": "special dummy rule to show fasttrack counters"}


def rule(rid, chain="prerouting", comment=None, **fields):
    row = {".id": rid, "chain": chain, "action": fields.pop("action", "accept"), "dynamic": "false",
           "invalid": "false", "bytes": "0", "packets": "0"}
    if comment:
        row["comment"] = comment
    for k, v in fields.items():
        row[k.replace("_", "-")] = v
    return row


def want(key, rank, chain="prerouting", **fields):
    entry = {"_key": key, "_rank": rank, "chain": chain, "action": fields.pop("action", "accept")}
    for k, v in fields.items():
        entry[k.replace("_", "-")] = v
    return entry


def ops_of(plan):
    return [(op.verb, op.path, op.key) for op in plan.ops]


def test_add_to_empty_router_in_dependency_order():
    desired = {
        MANGLE: [want("m", 10, action="mark-routing", new_routing_mark="T1")],
        "/routing/table": [{"name": "T1", "fib": True}],
        "/ip/route": [{"_key": "default-T1", "gateway": "10.0.0.1", "routing-table": "T1"}],
    }
    plan = build_plan(desired, {}, "pbr", "merged")
    assert [op[1] for op in ops_of(plan)] == ["/routing/table", "/ip/route", MANGLE]
    assert plan.ops[0].fields["comment"] == "[mwan:pbr:T1]"
    assert plan.ops[2].fields["comment"] == "[mwan:pbr:m@10]"


def test_second_run_is_a_no_op():
    actual = {MANGLE: [DUMMY, rule("*2", comment="[mwan:pbr:m@10]", action="mark-routing", new_routing_mark="T1",
                                   passthrough="true", disabled="false", log="false", log_prefix="")]}
    desired = {MANGLE: [want("m", 10, action="mark-routing", new_routing_mark="T1", passthrough=True)]}
    for state in ("merged", "replaced", "overridden"):
        assert build_plan(desired, actual, "pbr", state).ops == []


def test_changing_one_field_is_one_set_not_a_duplicate():
    actual = {MANGLE: [rule("*2", comment="[mwan:pbr:m@10]", action="mark-routing", new_routing_mark="T1")]}
    desired = {MANGLE: [want("m", 10, action="mark-routing", new_routing_mark="T2")]}
    plan = build_plan(desired, actual, "pbr", "overridden")
    assert ops_of(plan) == [("set", MANGLE, "m")]
    assert plan.ops[0].fields == {"new-routing-mark": "T2"}
    assert plan.ops[0].id == "*2"


def test_foreign_rules_are_never_touched():
    actual = {MANGLE: [DUMMY, rule("*2", comment="hand-made"), rule("*3"), rule("*4", comment="[mwan:pbr:old@5]")]}
    plan = build_plan({MANGLE: []}, actual, "pbr", "overridden")
    assert ops_of(plan) == [("remove", MANGLE, "old")]
    assert plan.ops[0].id == "*4"


def test_other_owner_is_never_removed():
    actual = {MANGLE: [rule("*2", comment="[mwan:other:x@5]")]}
    assert build_plan({MANGLE: []}, actual, "pbr", "overridden").ops == []


def test_merged_compares_only_given_fields_replaced_resets_others():
    actual = {MANGLE: [rule("*2", comment="[mwan:pbr:m@10]", action="accept", src_address="10.0.0.0/8", log="true")]}
    desired = {MANGLE: [want("m", 10)]}
    assert build_plan(desired, actual, "pbr", "merged").ops == []
    plan = build_plan(desired, actual, "pbr", "replaced")
    assert plan.ops[0].fields == {"src-address": None, "log": "no"}


def test_merged_keeps_unlisted_entries_overridden_removes_them():
    actual = {"/ip/firewall/address-list": [
        {".id": "*1", "list": "L", "address": "10.0.0.1", "comment": "[mwan:lists:L:10.0.0.1]", "dynamic": "false"},
        {".id": "*2", "list": "L", "address": "10.0.0.2", "comment": "[mwan:lists:L:10.0.0.2]", "dynamic": "false"},
        {".id": "*3", "list": "L", "address": "10.0.0.3", "dynamic": "false"},
        {".id": "*4", "list": "L", "address": "10.0.0.4", "dynamic": "true", "timeout": "1h"},
    ]}
    desired = {"/ip/firewall/address-list": [{"list": "L", "address": "10.0.0.1/32"}]}
    assert build_plan(desired, actual, "lists", "merged").ops == []
    assert build_plan(desired, actual, "lists", "replaced").ops == []
    plan = build_plan(desired, actual, "lists", "overridden")
    assert [(op.verb, op.id) for op in plan.ops] == [("remove", "*2")]


def test_deleted_removes_listed_or_all_own_entries():
    actual = {"/routing/table": [
        {".id": "*0", "name": "main", "dynamic": "true", "fib": ""},
        {".id": "*1", "name": "A", "fib": "", "comment": "[mwan:t:A]"},
        {".id": "*2", "name": "B", "fib": "", "comment": "[mwan:t:B]"},
        {".id": "*3", "name": "C", "fib": ""},
    ]}
    plan = build_plan({"/routing/table": [{"name": "A"}, {"name": "C"}]}, actual, "t", "deleted")
    assert [op.id for op in plan.ops] == ["*1"]
    assert any("not managed" in w for w in plan.warnings)
    plan = build_plan({}, actual, "t", "deleted", paths=["/routing/table"])
    assert sorted(op.id for op in plan.ops) == ["*1", "*2"]


def test_removals_run_after_adds_in_reverse_dependency_order():
    actual = {
        "/routing/table": [{".id": "*1", "name": "OLD", "fib": "", "comment": "[mwan:t:OLD]"}],
        "/ip/route": [{".id": "*80000001", "dst-address": "0.0.0.0/0", "gateway": "10.0.0.1", "routing-table": "OLD",
                       "comment": "[mwan:t:r-old]", "static": "true"}],
    }
    desired = {"/routing/table": [{"name": "NEW", "fib": True}],
               "/ip/route": [{"_key": "r-new", "gateway": "10.0.0.1", "routing-table": "NEW"}]}
    plan = build_plan(desired, actual, "t", "overridden")
    assert [(op.verb, op.path) for op in plan.ops] == [
        ("add", "/routing/table"), ("add", "/ip/route"), ("remove", "/ip/route"), ("remove", "/routing/table")]


def test_natural_key_conflict_with_foreign_entry():
    actual = {"/routing/table": [{".id": "*1", "name": "T1"}]}
    plan = build_plan({"/routing/table": [{"name": "T1"}]}, actual, "t", "merged")
    assert plan.ops == [] and "adopt" in plan.warnings[0]
    with pytest.raises(PlanError, match="adopt"):
        build_plan({"/routing/table": [{"name": "T1", "fib": True}]}, actual, "t", "merged")
    plan = build_plan({"/routing/table": [{"name": "T1", "fib": True}]}, actual, "t", "merged", adopt=["/routing/table"])
    assert plan.ops[0].verb == "set"
    assert plan.ops[0].fields == {"fib": "yes", "comment": "[mwan:t:T1]"}


def test_adopt_firewall_rule_by_chain_action_and_matchers():
    actual = {"/ip/firewall/nat": [
        rule("*1", chain="srcnat", action="masquerade", out_interface="ether1"),
        rule("*2", chain="srcnat", action="masquerade", out_interface="sfp1", comment="hand"),
    ]}
    desired = {"/ip/firewall/nat": [want("transit", 900, chain="srcnat", action="masquerade", out_interface="sfp1",
                                         disabled=True)]}
    plan = build_plan(desired, actual, "edge", "merged", adopt=["/ip/firewall/nat"])
    sets = [op for op in plan.ops if op.verb == "set"]
    assert len(sets) == 1 and sets[0].id == "*2" and sets[0].adopted
    assert sets[0].fields == {"disabled": "yes", "comment": "hand [mwan:edge:transit@900]"} or \
        sets[0].fields["comment"].endswith("[mwan:edge:transit@900]")
    # without adopt a new rule would be added instead
    plan = build_plan(desired, actual, "edge", "merged")
    assert [op.verb for op in plan.ops] == ["add"]


def test_purge_removes_matching_untagged_entries_only():
    actual = {"/ip/firewall/nat": [
        rule("*1", chain="srcnat", action="masquerade"),
        rule("*2", chain="dstnat", action="dst-nat"),
        rule("*3", chain="srcnat", action="masquerade", comment="[mwan:x:y@1]"),
    ]}
    plan = build_plan({}, actual, "edge", "merged", purge={"/ip/firewall/nat": {"chain": "srcnat"}})
    assert [(op.verb, op.id, op.purged) for op in plan.ops] == [("remove", "*1", True)]


def test_reorder_costs_minimal_moves_and_keeps_foreign_order():
    actual = {MANGLE: [DUMMY, rule("*2", comment="[mwan:p:c@30]"), rule("*3", comment="hand"),
                       rule("*4", comment="[mwan:p:a@10]"), rule("*5", comment="[mwan:p:b@20]")]}
    desired = {MANGLE: [want("a", 10), want("b", 20), want("c", 30)]}
    plan = build_plan(desired, actual, "p", "overridden")
    assert [(op.verb, op.id) for op in plan.ops] == [("move", "*2")]
    assert plan.ops[0].destination is None  # c goes right after b, at the end of the table
    after = predict(actual, plan.ops)[MANGLE]
    assert [r[".id"] for r in after] == ["*1", "*3", "*4", "*5", "*2"]


def test_rank_change_rewrites_tag_and_moves():
    actual = {MANGLE: [rule("*2", comment="[mwan:p:a@10]"), rule("*3", comment="[mwan:p:b@20]")]}
    desired = {MANGLE: [want("a", 30), want("b", 20)]}
    plan = build_plan(desired, actual, "p", "merged")
    kinds = [op.verb for op in plan.ops]
    assert kinds == ["set", "move"]
    assert plan.ops[0].fields == {"comment": "[mwan:p:a@30]"}


def test_new_rule_in_chain_with_foreign_rules_is_placed_before_them():
    actual = {MANGLE: [DUMMY, rule("*2", comment="hand")]}
    plan = build_plan({MANGLE: [want("a", 10)]}, actual, "p", "merged")
    assert plan.ops[0].place_before == "*2"
    plan = build_plan({MANGLE: [want("a", 10)]}, actual, "p", "merged", placement={MANGLE: "append"})
    assert plan.ops[0].place_before is None


def test_blocks_of_two_owners_interleave_by_rank():
    actual = {MANGLE: [rule("*2", comment="[mwan:one:a@10]"), rule("*3", comment="[mwan:one:c@30]"), rule("*4", comment="hand")]}
    plan = build_plan({MANGLE: [want("b", 20)]}, actual, "two", "overridden")
    assert [(op.verb, op.place_before) for op in plan.ops] == [("add", "*3")]


def test_singleton_set_without_id_and_semantic_compare():
    actual = {"/ip/firewall/connection/tracking": [{"tcp-established-timeout": "1d", "udp-timeout": "10s", "enabled": "auto"}]}
    desired = {"/ip/firewall/connection/tracking": [{"tcp-established-timeout": "24h"}]}
    assert build_plan(desired, actual, "ct", "overridden").ops == []
    plan = build_plan({"/ip/firewall/connection/tracking": [{"udp-timeout": "30s"}]}, actual, "ct", "merged")
    assert plan.ops[0].id is None and plan.ops[0].fields == {"udp-timeout": "30s"}


def test_connected_gateway_resolution():
    routes = [
        {".id": "*20180001", "dst-address": "10.11.0.0/16", "gateway": "bridge1", "connect": "true", "dynamic": "true"},
        {".id": "*20180002", "dst-address": "10.11.5.0/24", "gateway": "VLAN105", "connect": "true", "dynamic": "true"},
    ]
    desired = {"/ip/route": [{"_key": "int-1", "_gateway": "connected", "dst-address": "10.11.5.0/24", "routing-table": "T"}]}
    plan = build_plan(desired, {"/ip/route": routes}, "r", "merged")
    assert plan.ops[0].fields["gateway"] == "VLAN105"
    assert any("VLAN105" in w for w in plan.warnings)
    desired["/ip/route"][0]["dst-address"] = "192.168.9.0/24"
    with pytest.raises(PlanError, match="int-1"):
        build_plan(desired, {"/ip/route": routes}, "r", "merged")


@pytest.mark.parametrize("desired,message", [
    ({"/ip/nonsense": []}, "unknown path"),
    ({MANGLE: [{"chain": "forward", "_rank": 1}]}, "_key"),
    ({MANGLE: [{"chain": "forward", "_key": "a"}]}, "_rank"),
    ({MANGLE: ["not a mapping"]}, "mapping"),
    ({MANGLE: [want("a", 1), want("a", 2)]}, "duplicate"),
    ({"/routing/table": [{"fib": True}]}, "name"),
    ({MANGLE: [dict(want("a", 1), comment="x [mwan:p:a@1]")]}, "owner tag"),
    ({MANGLE: [dict(want("a", 1), bytes="3")]}, "read-only"),
    ({MANGLE: [dict(want("a", 1), **{"_bogus": 1})]}, "meta key"),
    ({MANGLE: [dict(want("a", 1), chain={"x": 1})]}, "value of"),
    ({"/ip/route": [{"_key": "a", "_gateway": "somewhere"}]}, "_gateway"),
])
def test_bad_input_fails_before_planning(desired, message):
    with pytest.raises(PlanError, match=message):
        build_plan(desired, {}, "p", "merged")


def test_unknown_field_passes_with_warning():
    entries, warnings = prepare_desired({MANGLE: [dict(want("a", 1), **{"new-future-field": "x"})]}, "p")
    assert entries[MANGLE][0].fields["new-future-field"] == "x"
    assert "new-future-field" in warnings[0]


def test_gathered_output_round_trips_as_desired():
    actual = {MANGLE: [DUMMY, rule("*2", comment="Mark it [mwan:p:m@10]", action="mark-routing", new_routing_mark="T",
                                   passthrough="true", disabled="false", log="false", log_prefix=""),
                       rule("*3", comment="hand")],
              "/routing/table": [{".id": "*1", "name": "T", "fib": "", "comment": "[mwan:p:T]"}]}
    gathered, foreign = gather(actual, "p", [MANGLE, "/routing/table"])
    assert gathered[MANGLE] == [{"_key": "m", "_rank": 10, "action": "mark-routing", "chain": "prerouting",
                                 "comment": "Mark it", "new-routing-mark": "T"}]
    assert gathered["/routing/table"] == [{"fib": True, "name": "T"}]
    assert [r[".id"] for r in foreign[MANGLE]] == ["*3"]
    assert build_plan(gathered, actual, "p", "overridden").ops == []
    # Fed to another router, the gathered switch is set there too.
    adds = build_plan({"/routing/table": gathered["/routing/table"]}, {}, "p", "overridden").ops
    assert [(op.verb, op.after.get("fib")) for op in adds] == [("add", "yes")]


def test_duplicate_own_tags_are_cleaned():
    actual = {MANGLE: [rule("*2", comment="[mwan:p:a@10]"), rule("*3", comment="[mwan:p:a@10]")]}
    plan = build_plan({MANGLE: [want("a", 10)]}, actual, "p", "overridden")
    assert [(op.verb, op.id) for op in plan.ops] == [("remove", "*3")]
    plan = build_plan({MANGLE: [want("a", 10)]}, actual, "p", "merged")
    assert [(op.verb, op.id) for op in plan.ops] == [("remove", "*3")] and plan.warnings


def test_undo_positions_are_recorded():
    actual = {MANGLE: [rule("*2", comment="[mwan:p:a@10]"), rule("*3", comment="hand"), rule("*4", comment="[mwan:p:z@99]")]}
    plan = build_plan({MANGLE: [want("a", 10)]}, actual, "p", "overridden")
    assert plan.ops[0].verb == "remove" and plan.ops[0].undo_before is None


ALIST = "/ip/firewall/address-list"
SITE = {"list": "SITES", "address": "10.11.2.0/24"}


def test_a_disabled_hand_made_entry_is_not_already_present():
    actual = {ALIST: [{".id": "*5", "list": "SITES", "address": "10.11.2.0/24", "disabled": "true", "dynamic": "false"}]}
    with pytest.raises(PlanError) as err:
        build_plan({ALIST: [dict(SITE)]}, actual, "p", "overridden")
    assert "disabled=yes (wanted no)" in str(err.value)
    # Adopted, it is enabled.
    plan = build_plan({ALIST: [dict(SITE)]}, actual, "p", "overridden", adopt=[ALIST])
    assert [(op.verb, op.fields.get("disabled")) for op in plan.ops] == [("set", "no")]


def test_an_enabled_hand_made_entry_is_left_as_it_is():
    actual = {ALIST: [{".id": "*5", "list": "SITES", "address": "10.11.2.0/24", "disabled": "false"}]}
    plan = build_plan({ALIST: [dict(SITE)]}, actual, "p", "overridden")
    assert plan.ops == [] and "already present" in plan.warnings[0]


def test_an_own_entry_disabled_by_hand_is_enabled_again_even_when_merged():
    actual = {ALIST: [{".id": "*5", "list": "SITES", "address": "10.11.2.0/24", "disabled": "true",
                       "comment": "[mwan:p:SITES:10.11.2.0/24]"}]}
    plan = build_plan({ALIST: [dict(SITE)]}, actual, "p", "merged")
    assert [(op.verb, op.fields) for op in plan.ops] == [("set", {"disabled": "no"})]


def test_a_copied_owner_tag_is_removed_with_a_warning():
    tag = "Site [mwan:p:SITES:10.11.2.0/24]"
    actual = {ALIST: [{".id": "*5", "list": "SITES", "address": "10.11.2.0/24", "comment": tag},
                      {".id": "*6", "list": "OTHER", "address": "10.9.9.0/24", "comment": tag}]}
    plan = build_plan({ALIST: [dict(SITE, comment="Site")]}, actual, "p", "overridden")
    assert [(op.verb, op.id, op.copied_tag) for op in plan.ops] == [("remove", "*6", True)]
    assert any("copied or forged" in w and "*6" in w and "*5" in w for w in plan.warnings)


def test_a_copied_rule_tag_is_removed_with_a_warning():
    actual = {MANGLE: [rule("*2", comment="[mwan:p:a@10]"), rule("*3", comment="[mwan:p:a@10]", action="drop")]}
    plan = build_plan({MANGLE: [want("a", 10)]}, actual, "p", "overridden")
    assert [(op.verb, op.id, op.copied_tag) for op in plan.ops] == [("remove", "*3", True)]
    assert any("copied or forged" in w for w in plan.warnings)


def test_removing_one_entry_of_a_kind_touches_no_other_entry():
    desired = {MANGLE: [want(k, 10000, action="mark-connection", new_connection_mark=k.upper()) for k in "abcd"]}
    actual = predict({MANGLE: [DUMMY]}, build_plan(desired, {MANGLE: [DUMMY]}, "p", "overridden").ops)
    assert build_plan(desired, actual, "p", "overridden").ops == []
    smaller = {MANGLE: [e for e in desired[MANGLE] if e["_key"] != "b"]}
    assert ops_of(build_plan(smaller, actual, "p", "overridden")) == [("remove", MANGLE, "b")]


def test_entries_of_one_rank_keep_the_order_of_desired():
    desired = {MANGLE: [want(k, 10000, action="mark-connection", new_connection_mark=k.upper()) for k in "bca"]}
    actual = predict({MANGLE: [DUMMY]}, build_plan(desired, {MANGLE: [DUMMY]}, "p", "overridden").ops)
    assert [r.get("new-connection-mark") for r in actual[MANGLE][1:]] == ["B", "C", "A"]
    reordered = {MANGLE: [desired[MANGLE][i] for i in (2, 0, 1)]}
    moves = build_plan(reordered, actual, "p", "overridden").ops
    assert [op.verb for op in moves] == ["move"]


def test_merging_part_of_a_rank_moves_nothing():
    desired = {MANGLE: [want(k, 10000, action="mark-connection", new_connection_mark=k.upper()) for k in ("k1", "k2", "k3")]}
    actual = predict({MANGLE: [DUMMY]}, build_plan(desired, {MANGLE: [DUMMY]}, "p", "overridden").ops)
    for state in ("merged", "replaced"):
        assert build_plan({MANGLE: [desired[MANGLE][2]]}, actual, "p", state).ops == []
    # A new entry of that rank joins after the ones already there.
    new = want("k0", 10000, action="mark-connection", new_connection_mark="K0")
    ops = build_plan({MANGLE: [new, desired[MANGLE][1]]}, actual, "p", "merged").ops
    assert [(op.verb, op.key) for op in ops] == [("add", "k0")]
    after = predict(actual, ops)
    assert [r.get("new-connection-mark") for r in after[MANGLE][1:]] == ["K1", "K2", "K3", "K0"]
