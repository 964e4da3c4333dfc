# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.plan import build_plan
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.references import (
    existing_names,
    find_missing,
    missing_references,
    referenced_name,
    referenced_paths,
)

MANGLE = "/ip/firewall/mangle"
TABLE = "/routing/table"
LISTS = "/interface/list"


def mark_routing(key, table, rank=100, **fields):
    entry = {"_key": key, "_rank": rank, "chain": "prerouting", "action": "mark-routing", "new-routing-mark": table,
             "passthrough": False}
    for k, v in fields.items():
        entry[k.replace("_", "-")] = v
    return entry


def plan_ops(desired, actual=None, state="merged"):
    return build_plan(desired, actual or {}, "pbr", state).ops


@pytest.mark.parametrize("value, name", [("T", "T"), ("!WAN", "WAN"), (" ! WAN ", "WAN"), ("", None), (None, None), ("!", None)])
def test_referenced_name_strips_the_negation(value, name):
    assert referenced_name(value) == name


def test_every_reference_names_a_known_path_its_writer_requires_first():
    for path in schema.PATHS:
        spec = schema.get(path)
        for field, (target, key_field) in spec.references.items():
            assert field in spec.fields, (path, field)
            assert schema.is_known(target)
            assert schema.get(target).key == (key_field,)
            # dependency order writes the referenced objects before the entries naming them
            assert target in spec.requires, (path, field)


def test_the_listed_hard_references():
    assert schema.get(MANGLE).references == {
        "new-routing-mark": (TABLE, "name"), "in-interface-list": (LISTS, "name"), "out-interface-list": (LISTS, "name")}
    for path in ("/ip/firewall/filter", "/ip/firewall/nat", "/ip/firewall/raw"):
        assert set(schema.get(path).references) == {"in-interface-list", "out-interface-list"}
    assert schema.get("/ip/route").references == {"routing-table": (TABLE, "name")}
    assert schema.get("/routing/rule").references["table"] == (TABLE, "name")
    assert schema.get("/interface/list/member").references == {"list": (LISTS, "name")}
    assert schema.get("/ip/address").references == {}
    assert schema.get(TABLE).builtin == ("main",)
    assert schema.get(LISTS).builtin == ("all", "none", "dynamic", "static")


def test_missing_table_is_reported_with_path_key_field_and_hint():
    ops = plan_ops({MANGLE: [mark_routing("route-1012", "T")]})
    assert referenced_paths(ops) == [TABLE]
    assert find_missing(ops, {TABLE: []}) == [{"path": MANGLE, "key": "route-1012", "field": "new-routing-mark", "value": "T",
                                               "target": TABLE, "key_field": "name", "name": "T"}]
    problems = missing_references(ops, {TABLE: []})
    assert problems == [
        "missing referenced objects (not on the router and not created by this run): /routing/table name=T; they are created by "
        "another role or phase (or by hand): run that first",
        "/ip/firewall/mangle route-1012: new-routing-mark=T names missing /routing/table name=T",
    ]


def test_every_offending_entry_and_field_is_listed():
    ops = plan_ops({
        MANGLE: [mark_routing("a", "T1", in_interface_list="!WAN"), mark_routing("b", "T2", rank=110)],
        "/ip/route": [{"_key": "r", "gateway": "10.0.0.1", "routing-table": "T1"}],
        "/routing/rule": [{"_key": "rule", "_rank": 10, "dst-address": "10.0.0.0/8", "table": "T3"}],
        "/interface/list/member": [{"list": "LAN", "interface": "ether2"}],
    })
    problems = missing_references(ops, {})
    assert problems[0].startswith("missing referenced objects (not on the router and not created by this run): "
                                  "/interface/list name=LAN, WAN; /routing/table name=T1, T2, T3; ")
    assert sorted(problems[1:]) == sorted([
        "/ip/firewall/mangle a: in-interface-list=!WAN names missing /interface/list name=WAN",
        "/ip/firewall/mangle a: new-routing-mark=T1 names missing /routing/table name=T1",
        "/ip/firewall/mangle b: new-routing-mark=T2 names missing /routing/table name=T2",
        "/ip/route r: routing-table=T1 names missing /routing/table name=T1",
        "/routing/rule rule: table=T3 names missing /routing/table name=T3",
        "/interface/list/member LAN:ether2: list=LAN names missing /interface/list name=LAN",
    ])


def test_objects_on_the_router_builtin_or_added_by_the_same_run_pass():
    desired = {
        TABLE: [{"name": "T1", "fib": True}],
        MANGLE: [mark_routing("a", "T1", in_interface_list="!all", out_interface_list="WAN"),
                 mark_routing("b", "main", rank=110)],
        "/ip/route": [{"_key": "r", "gateway": "10.0.0.1"}],  # default routing-table main
    }
    actual = {LISTS: [{".id": "*7", "name": "WAN"}]}
    ops = plan_ops(desired, actual)
    assert missing_references(ops, actual) == []


def test_dynamic_rows_count_as_existing():
    actual = {TABLE: [{".id": "*0", "name": "main", "dynamic": "true"}, {".id": "*401", "name": "vrf1", "dynamic": "true"}]}
    ops = plan_ops({"/ip/route": [{"_key": "r", "gateway": "10.0.0.1", "routing-table": "vrf1"}]}, actual)
    assert missing_references(ops, actual) == []


def test_a_table_removed_by_the_same_run_is_missing():
    actual = {TABLE: [{".id": "*400", "name": "Old", "comment": "[mwan:pbr:Old]"}]}
    desired = {TABLE: [], MANGLE: [mark_routing("a", "Old")]}
    ops = plan_ops(desired, actual, state="overridden")
    assert [op.verb for op in ops] == ["add", "remove"]
    assert existing_names(TABLE, "name", actual[TABLE], ops) == {"main"}
    assert [item["name"] for item in find_missing(ops, actual)] == ["Old"]


def test_a_set_is_checked_on_its_resulting_entry():
    row = {".id": "*5", "chain": "prerouting", "action": "mark-routing", "new-routing-mark": "A", "passthrough": "false",
           "comment": "[mwan:pbr:a@100]"}
    actual = {MANGLE: [row], TABLE: [{".id": "*400", "name": "A"}]}
    ops = plan_ops({MANGLE: [mark_routing("a", "B")]}, actual)
    assert [op.verb for op in ops] == ["set"]
    assert [item["value"] for item in find_missing(ops, actual)] == ["B"]
    # a set that leaves the reference alone is fine while the object exists
    ops = plan_ops({MANGLE: [mark_routing("a", "A", log=True)]}, actual)
    assert [op.verb for op in ops] == ["set"] and missing_references(ops, actual) == []


def test_removals_and_unreferenced_writes_need_no_read():
    actual = {MANGLE: [{".id": "*5", "chain": "prerouting", "action": "mark-routing", "new-routing-mark": "A",
                        "comment": "[mwan:pbr:a@100]"}]}
    ops = plan_ops({MANGLE: []}, actual, state="overridden")
    assert [op.verb for op in ops] == ["remove"]
    assert referenced_paths(ops) == [] and missing_references(ops, actual) == []
    ops = plan_ops({"/ip/firewall/address-list": [{"list": "L", "address": "10.0.0.1"}]})
    assert referenced_paths(ops) == []
