"""Hard references (routing tables, interface lists) are checked before any write, through both transports."""

import pytest

from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import PlanError
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.device.run import reconcile

from engine_support import TRANSPORTS, open_lab, reads, rows, writes

MANGLE = "/ip/firewall/mangle"
TABLE = "/routing/table"


def mark_routing(key, table, rank=100, **fields):
    entry = {"_key": key, "_rank": rank, "chain": "prerouting", "action": "mark-routing", "new-routing-mark": table,
             "passthrough": False, "connection-mark": "CONN_%s" % table}
    for k, v in fields.items():
        entry[k.replace("_", "-")] = v
    return entry


@pytest.fixture(params=TRANSPORTS)
def kind(request):
    return request.param


def converge(lab, kind, desired, owner="pbr", state="merged", **kwargs):
    transport = open_lab(lab, kind)
    try:
        return reconcile(transport, desired, owner, state, **kwargs)
    finally:
        transport.close()


def run_stats(lab, kind, desired, **kwargs):
    """Run, returning (result or error, the client's stats)."""
    transport = open_lab(lab, kind)
    try:
        try:
            return reconcile(transport, desired, "pbr", "merged", **kwargs), dict(transport.stats)
        except PlanError as exc:
            return exc, dict(transport.stats)
    finally:
        transport.close()


def test_missing_table_fails_before_any_write(lab_router, kind):
    desired = {MANGLE: [mark_routing("route-1012", "InternetVia1012"),
                        mark_routing("route-1013", "InternetVia1013", rank=110, in_interface_list="!WAN")]}
    lab_router.control.reset_counters()
    error, stats = run_stats(lab_router, kind, desired)
    assert isinstance(error, PlanError)
    assert writes(lab_router) == 0 and stats["writes"] == 0
    assert rows(lab_router, MANGLE) == []
    assert error.problems == [
        "missing referenced objects (not on the router and not created by this run): /interface/list name=WAN; "
        "/routing/table name=InternetVia1012, InternetVia1013; they are created by another role or phase (or by hand): "
        "run that first",
        "/ip/firewall/mangle route-1012: new-routing-mark=InternetVia1012 names missing /routing/table name=InternetVia1012",
        "/ip/firewall/mangle route-1013: in-interface-list=!WAN names missing /interface/list name=WAN",
        "/ip/firewall/mangle route-1013: new-routing-mark=InternetVia1013 names missing /routing/table name=InternetVia1013",
    ]
    # the desired path, then one batched read of the two referenced paths
    assert stats["reads"] == 3
    if kind == "api":
        assert reads(lab_router) == {MANGLE: 1, TABLE: 1, "/interface/list": 1}


def test_check_mode_warns_and_still_shows_the_plan(lab_router, kind):
    desired = {MANGLE: [mark_routing("route-1012", "InternetVia1012")]}
    lab_router.control.reset_counters()
    result = converge(lab_router, kind, desired, check_mode=True)
    assert writes(lab_router) == 0
    assert result["changed"] and [op["op"] for op in result["plan"]] == ["add"]
    assert len(result["commands"]) == 1 and "new-routing-mark=InternetVia1012" in result["commands"][0]
    warned = [w for w in result["warnings"] if w.startswith("check mode: a real run fails before any write")]
    assert len(warned) == 1
    assert "/routing/table name=InternetVia1012" in warned[0]
    # One short line: the missing objects and how many entries name them, not one line per entry.
    assert "(entries naming them: 1)" in warned[0] and len(warned[0]) < 300


def test_table_in_the_same_run_is_written_first(lab_router, kind):
    desired = {
        TABLE: [{"name": "InternetVia1012", "fib": True}],
        "/interface/list": [{"name": "WAN"}],
        MANGLE: [mark_routing("route-1012", "InternetVia1012", in_interface_list="!WAN")],
        "/ip/route": [{"_key": "default-1012", "gateway": "10.10.2.1", "routing-table": "InternetVia1012"}],
    }
    lab_router.control.reset_counters()
    result, stats = run_stats(lab_router, kind, desired)
    assert not isinstance(result, PlanError), result
    assert result["warnings"] == []
    # every referenced path was already read for the plan: no extra read before the writes
    # (and one more read of every path to verify)
    assert stats["reads"] == 2 * len(desired)
    assert [r["new-routing-mark"] for r in rows(lab_router, MANGLE)] == ["InternetVia1012"]
    assert [r["routing-table"] for r in rows(lab_router, "/ip/route") if r.get("gateway") == "10.10.2.1"] == ["InternetVia1012"]

    lab_router.control.reset_counters()
    again, stats = run_stats(lab_router, kind, desired)
    assert again["changed"] is False and again["commands"] == []
    assert writes(lab_router) == 0
    assert stats == {"round_trips": 2, "reads": len(desired), "writes": 0}
    if kind == "api":
        assert reads(lab_router) == dict((path, 1) for path in desired)


def test_no_op_run_reads_one_print_per_desired_path(lab_router, kind):
    cli = lab_router.control.cli
    cli("/routing table add name=T1 fib")
    desired = {MANGLE: [mark_routing("route-t1", "T1")]}
    converge(lab_router, kind, desired)
    lab_router.control.reset_counters()
    result, stats = run_stats(lab_router, kind, desired)
    assert result["changed"] is False
    assert stats == {"round_trips": 2, "reads": 1, "writes": 0}
    assert writes(lab_router) == 0
    if kind == "api":
        assert reads(lab_router) == {MANGLE: 1}


def test_an_existing_table_on_the_router_passes(lab_router, kind):
    lab_router.control.cli("/routing table add name=T1 fib")
    lab_router.control.cli("/interface list add name=WAN")
    desired = {MANGLE: [mark_routing("route-t1", "T1", out_interface_list="WAN")]}
    result = converge(lab_router, kind, desired)
    assert result["changed"] and result["warnings"] == []
    assert [r["new-routing-mark"] for r in rows(lab_router, MANGLE)] == ["T1"]


def test_builtin_table_and_list_pass(lab_router, kind):
    desired = {
        MANGLE: [mark_routing("to-main", "main", in_interface_list="all", out_interface_list="!none")],
        "/routing/rule": [{"_key": "internal", "_rank": 10, "dst-address": "10.11.0.0/16", "action": "lookup-only-in-table",
                           "table": "main"}],
        "/ip/route": [{"_key": "blackhole", "dst-address": "192.0.2.0/24", "blackhole": True, "routing-table": "main"}],
    }
    lab_router.control.reset_counters()
    result = converge(lab_router, kind, desired)
    assert result["changed"] and result["warnings"] == []
    assert writes(lab_router) > 0
    assert [r["new-routing-mark"] for r in rows(lab_router, MANGLE)] == ["main"]
    # check mode against the builtin objects warns about nothing either
    checked = converge(lab_router, kind, {MANGLE: [mark_routing("to-main-2", "main", rank=110, in_interface_list="!dynamic")]},
                       check_mode=True)
    assert checked["changed"] and checked["warnings"] == []


def test_check_mode_inside_a_rollout_fails_on_a_missing_object_as_the_apply_run_will(lab_router, kind):
    # With `pending` (the earlier phases' plans, here none), nothing will create the table before this phase.
    desired = {MANGLE: [mark_routing("route-1012", "InternetVia1012")]}
    lab_router.control.reset_counters()
    with pytest.raises(PlanError) as err:
        converge(lab_router, kind, desired, check_mode=True, pending=[])
    assert "/routing/table name=InternetVia1012" in str(err.value)
    assert writes(lab_router) == 0
    # An earlier phase's plan that adds the table makes the same check pass.
    table = converge(lab_router, kind, {TABLE: [{"name": "InternetVia1012", "fib": True}]}, check_mode=True)
    result = converge(lab_router, kind, desired, check_mode=True, pending=table["plan"])
    assert [op["op"] for op in result["plan"]] == ["add"] and not result["warnings"]
    assert writes(lab_router) == 0
