"""The reconcile engine against the lab router, through both transports (API and SSH)."""

import copy

import pytest

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import ApplyError, PlanError
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.device.run import reconcile
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.ssh import TableChangedError

from engine_support import TRANSPORTS, export_body, open_lab, reads, rows, writes

MANGLE = "/ip/firewall/mangle"

DESIRED = {
    "/interface/vlan": [{"name": "VLAN3002", "vlan-id": 3002, "interface": "ether1", "comment": "transit 1012"}],
    "/interface/list": [{"name": "WAN"}, {"name": "LAN"}],
    "/interface/list/member": [{"list": "WAN", "interface": "VLAN3002"}, {"list": "LAN", "interface": "ether2"}],
    "/ip/address": [{"address": "10.10.2.2/30", "interface": "VLAN3002"}],
    "/routing/table": [{"name": "InternetVia1012", "fib": True}],
    "/ip/route": [{"_key": "default-1012", "gateway": "10.10.2.1", "routing-table": "InternetVia1012",
                   "comment": "default via 1012"}],
    "/routing/rule": [{"_key": "internal", "_rank": 10, "dst-address": "10.11.0.0/16", "action": "lookup-only-in-table",
                       "table": "main"}],
    "/ip/firewall/address-list": [{"list": "INTERNAL", "address": "10.11.0.0/16"},
                                  {"list": "SITES_USE_1012", "address": "192.168.10.0/24"}],
    MANGLE: [
        {"_key": "return-1012", "_rank": 100, "chain": "prerouting", "in-interface": "VLAN3002",
         "connection-mark": "no-mark", "action": "mark-connection", "new-connection-mark": "CONN_VIA_1012",
         "passthrough": True, "comment": "Return path via 1012"},
        {"_key": "route-1012", "_rank": 110, "chain": "prerouting", "connection-mark": "CONN_VIA_1012",
         "dst-address-type": "!local", "in-interface-list": "LAN", "action": "mark-routing",
         "new-routing-mark": "InternetVia1012", "passthrough": False},
    ],
    "/ip/firewall/connection/tracking": [{"tcp-established-timeout": "1h"}],
}


@pytest.fixture(params=TRANSPORTS)
def kind(request):
    return request.param


def converge(lab, kind, desired, owner="pbr", state="overridden", **kwargs):
    transport = open_lab(lab, kind)
    try:
        return reconcile(transport, desired, owner, state, **kwargs)
    finally:
        transport.close()


def test_converge_then_second_run_is_a_no_op(lab_router, kind):
    first = converge(lab_router, kind, DESIRED)
    assert first["changed"]
    lab_router.control.reset_counters()
    second = converge(lab_router, kind, DESIRED)
    assert second["changed"] is False and second["commands"] == []
    assert writes(lab_router) == 0
    # one login and one batched read of every path, as the client saw it
    assert second["stats"] == {"round_trips": 2, "reads": len(DESIRED), "writes": 0}
    if kind == "api":
        # the lab counts API prints per path (its CLI reads are not counted)
        assert reads(lab_router) == dict((path, 1) for path in DESIRED)


def test_check_mode_sends_no_write_and_predicts_the_run(lab_router, kind):
    lab_router.control.reset_counters()
    predicted = converge(lab_router, kind, DESIRED, check_mode=True)
    assert writes(lab_router) == 0
    assert predicted["changed"]
    real = converge(lab_router, kind, DESIRED)
    assert real["commands"] == predicted["commands"]
    assert real["plan"] == predicted["plan"]


def test_foreign_rules_are_never_touched_or_reordered(lab_router, kind):
    cli = lab_router.control.cli
    cli("/ip firewall filter add chain=forward action=fasttrack-connection connection-state=established,related")
    cli("/ip firewall mangle add chain=prerouting action=accept comment=hand-1")
    cli("/ip firewall mangle add chain=prerouting action=mark-packet new-packet-mark=P1 comment=hand-2")
    cli("/ip firewall mangle add chain=forward action=accept")
    before = [r for r in rows(lab_router, MANGLE) if "[mwan:" not in r.get("comment", "")]
    converge(lab_router, kind, DESIRED)
    # move our block around and change a field: foreign rules stay as they were
    desired = copy.deepcopy(DESIRED)
    desired[MANGLE][0]["_rank"] = 200
    desired[MANGLE][1]["passthrough"] = True
    converge(lab_router, kind, desired)
    after = [r for r in rows(lab_router, MANGLE) if "[mwan:" not in r.get("comment", "")]
    assert after == before
    chain = [r.get("comment", "") for r in rows(lab_router, MANGLE) if r.get("chain") == "prerouting"]
    # dummy first, our block (rank order), then the hand-made rules
    ours = [c for c in chain if "[mwan:" in c]
    assert ours == ["[mwan:pbr:route-1012@110]", "Return path via 1012 [mwan:pbr:return-1012@200]"]
    assert chain.index("hand-1") > chain.index(ours[-1])


def test_changing_one_field_is_exactly_one_set(lab_router, kind):
    converge(lab_router, kind, DESIRED)
    count = len(rows(lab_router, MANGLE))
    desired = copy.deepcopy(DESIRED)
    desired[MANGLE][1]["new-routing-mark"] = "main"
    lab_router.control.reset_counters()
    result = converge(lab_router, kind, desired)
    assert [op["op"] for op in result["plan"]] == ["set"]
    assert lab_router.control.counters()["writes"] == {MANGLE: 1}
    assert len(rows(lab_router, MANGLE)) == count


def test_reordering_costs_the_minimal_number_of_moves(lab_router, kind):
    entries = [{"_key": "r%d" % i, "_rank": i * 10, "chain": "forward", "action": "accept",
                "dst-address": "10.0.%d.0/24" % i} for i in range(8)]
    converge(lab_router, kind, {MANGLE: entries})
    # reverse two disjoint pairs: the longest increasing subsequence keeps 6 of 8, so 2 moves
    ranks = [10, 0, 20, 30, 40, 50, 70, 60]
    for entry, rank in zip(entries, ranks):
        entry["_rank"] = rank
    lab_router.control.reset_counters()
    result = converge(lab_router, kind, {MANGLE: entries})
    moves = [op for op in result["plan"] if op["op"] == "move"]
    assert len(moves) == 2
    order = [r["comment"].split(":")[2].split("@")[0] for r in rows(lab_router, MANGLE) if "[mwan:" in r.get("comment", "")]
    assert order == ["r1", "r0", "r2", "r3", "r4", "r5", "r7", "r6"]
    assert converge(lab_router, kind, {MANGLE: entries})["changed"] is False


def test_failed_write_is_undone(lab_router, kind):
    lab_router.control.cli("/ip firewall mangle add chain=prerouting action=accept comment=hand-1")
    converge(lab_router, kind, DESIRED)
    before = lab_router.control.dump()["rows"]
    desired = copy.deepcopy(DESIRED)
    desired[MANGLE][0]["_rank"] = 300
    desired[MANGLE].append({"_key": "new", "_rank": 50, "chain": "prerouting", "action": "accept"})
    desired["/ip/firewall/address-list"] = [{"list": "INTERNAL", "address": "10.12.0.0/16"}]
    desired["/ip/firewall/connection/tracking"] = [{"tcp-established-timeout": "2h"}]
    lab_router.control.set_faults(fail_write_after=4)
    with pytest.raises(ApplyError) as info:
        converge(lab_router, kind, desired)
    assert info.value.undone is True
    assert "lab fault injected" in str(info.value)
    after = lab_router.control.dump()["rows"]
    for path in DESIRED:
        assert comparable(path, after) == comparable(path, before), path


def comparable(path, dump):
    """Rows without ids and timestamps; order matters only on ordered paths."""
    out = [dict((k, v) for k, v in r.items() if k not in (".id", "creation-time")) for r in dump.get(path, [])]
    if schema.get(path).ordered:
        return out
    return sorted(out, key=lambda r: sorted(r.items()))


def test_dropped_connection_then_rerun_converges(lab_router, kind):
    lab_router.control.set_faults(drop_after_writes=3)
    with pytest.raises(ApplyError, match="re-run"):
        converge(lab_router, kind, DESIRED)
    converge(lab_router, kind, DESIRED)
    lab_router.control.reset_counters()
    assert converge(lab_router, kind, DESIRED)["changed"] is False
    assert writes(lab_router) == 0


@pytest.mark.parametrize("desired", [
    {"/ip/not-a-menu": [{"name": "x"}]},
    {MANGLE: [{"_key": "x", "chain": "forward"}]},
    {"/routing/table": [{"name": "T"}], MANGLE: [{"_rank": 1, "chain": "forward"}]},
])
def test_bad_input_fails_before_any_write(lab_router, kind, desired):
    lab_router.control.reset_counters()
    with pytest.raises(PlanError):
        converge(lab_router, kind, desired)
    assert writes(lab_router) == 0


def test_unresolvable_connected_gateway_fails_before_any_write(lab_router, kind):
    lab_router.control.cli("/ip address add address=10.11.5.1/24 interface=ether2")
    desired = {"/routing/table": [{"name": "T"}],
               "/ip/route": [{"_key": "ok", "_gateway": "connected", "dst-address": "10.11.5.0/24", "routing-table": "T"},
                             {"_key": "bad", "_gateway": "connected", "dst-address": "10.99.0.0/24", "routing-table": "T"}]}
    lab_router.control.reset_counters()
    with pytest.raises(PlanError, match="bad"):
        converge(lab_router, kind, desired)
    assert writes(lab_router) == 0
    desired["/ip/route"].pop()
    result = converge(lab_router, kind, desired)
    assert any("ether2" in w for w in result["warnings"])
    route = [r for r in rows(lab_router, "/ip/route") if "[mwan:" in r.get("comment", "")]
    assert route[0]["gateway"] == "ether2"


def test_both_transports_converge_to_identical_exports(lab_router_factory):
    exports = []
    for kind in TRANSPORTS:
        lab = lab_router_factory()
        lab.control.cli("/ip firewall mangle add chain=prerouting action=accept comment=hand-1")
        converge(lab, kind, DESIRED)
        desired = copy.deepcopy(DESIRED)
        desired[MANGLE].reverse()
        desired[MANGLE][0]["_rank"] = 1
        desired[MANGLE].append({"_key": "x", "_rank": 150, "chain": "forward", "action": "accept", "comment": 'say "hi" $x'})
        converge(lab, kind, desired)
        transport = open_lab(lab, "api")
        try:
            exports.append(export_body(transport.export(terse=True)))
        finally:
            transport.close()
    assert exports[0] == exports[1]
    assert 'say \\"hi\\" \\$x' in exports[0]


@pytest.fixture
def move_after_export(monkeypatch):
    """A lab hook: right after ``/ip firewall mangle export`` printed, another writer moves the table's
    last rule to the top, between the export and the next command of the same script. ``["left"]``:
    how many exports in a row it follows (none until a test sets it)."""
    from routeros_lab import export as lab_export

    original = lab_export.export
    hook = {"left": 0}

    def export_then_move(router, path=None, **options):
        text = original(router, path=path, **options)
        if path == MANGLE and hook["left"] > 0:
            hook["left"] -= 1
            ids = [r[".id"] for r in router.rows(MANGLE)]
            router.execute(MANGLE + "/move", {"numbers": ids[-1], "destination": ids[0]})
        return text

    monkeypatch.setattr(lab_export, "export", export_then_move)
    return hook


def _read_exported(transport, paths):
    """The export-based read: what the SSH transport plans from, what the API transport's undo re-adds."""
    return transport.read(paths) if transport.name == "ssh" else transport.read_exported(paths)


def _hand_rules(lab):
    for n in range(4):
        lab.control.cli("/ip firewall mangle add chain=prerouting action=accept comment=hand-%d" % n)


def test_a_table_changed_between_the_reads_commands_is_read_again(lab_router, kind, move_after_export):
    _hand_rules(lab_router)
    move_after_export["left"] = 1
    transport = open_lab(lab_router, kind)
    try:
        read = _read_exported(transport, [MANGLE])[MANGLE]
    finally:
        transport.close()
    assert move_after_export["left"] == 0
    # every row carries its own id: the read after the change, not the export before it with the ids after it
    lab = [(r[".id"], r.get("comment")) for r in rows(lab_router, MANGLE)]
    assert [c for _i, c in lab] == ["hand-3", "hand-0", "hand-1", "hand-2"]
    assert [(r[".id"], r.get("comment")) for r in read] == lab


def test_a_table_that_keeps_changing_fails_the_read_clearly(lab_router, kind, move_after_export):
    _hand_rules(lab_router)
    move_after_export["left"] = 100
    transport = open_lab(lab_router, kind)
    try:
        with pytest.raises(TableChangedError, match="reading /ip/firewall/mangle: .*changed while it was read.*stop other writers and re-run"):
            _read_exported(transport, [MANGLE])
    finally:
        transport.close()


def test_gathered_returns_owner_entries_and_foreign_rows(lab_router, kind):
    lab_router.control.cli("/ip firewall nat add chain=srcnat action=masquerade out-interface=ether1")
    lab_router.control.cli("/ip firewall address-list add list=SEEN address=192.0.2.1 timeout=1h")
    lab_router.control.cli("/ip firewall address-list add list=HAND address=192.0.2.2")
    lab_router.control.cli("/ip route add dst-address=172.16.0.0/12 gateway=10.10.2.1 disabled=yes comment=spare")
    converge(lab_router, kind, DESIRED)
    result = converge(lab_router, kind, {}, state="gathered", paths=list(DESIRED) + ["/ip/firewall/nat"])
    assert result["foreign"]["/ip/firewall/nat"][0]["action"] == "masquerade"
    assert ".id" in result["foreign"]["/ip/firewall/nat"][0]
    # static routes are read (disabled ones too), connected routes are invisible
    assert [r["comment"] for r in result["foreign"]["/ip/route"]] == ["spare"]
    # timed (dynamic) address-list entries are invisible
    assert [r["list"] for r in result["foreign"]["/ip/firewall/address-list"]] == ["HAND"]
    lab_router.control.reset_counters()
    again = converge(lab_router, kind, result["gathered"])
    assert again["changed"] is False and writes(lab_router) == 0


def test_adopt_and_purge_foreign_rules(lab_router, kind):
    cli = lab_router.control.cli
    cli("/ip firewall nat add chain=srcnat action=masquerade out-interface=ether2 comment=transit")
    cli("/ip firewall nat add chain=srcnat action=masquerade out-interface=ether3")
    cli("/ip firewall nat add chain=dstnat action=dst-nat protocol=tcp dst-port=2222 to-addresses=10.0.0.5 to-ports=22")
    desired = {"/ip/firewall/nat": [{"_key": "transit", "_rank": 900, "chain": "srcnat", "action": "masquerade",
                                     "out-interface": "ether2", "disabled": True}]}
    lab_router.control.reset_counters()
    result = converge(lab_router, kind, desired, state="merged", adopt=["/ip/firewall/nat"],
                      purge={"/ip/firewall/nat": {"out-interface": "ether3"}})
    assert sorted(op["op"] for op in result["plan"]) == ["remove", "set"]
    nat = rows(lab_router, "/ip/firewall/nat")
    assert len(nat) == 2
    assert nat[0]["comment"] == "transit [mwan:pbr:transit@900]" and nat[0]["disabled"] == "true"
    assert nat[1]["chain"] == "dstnat"


OTHER_MENUS = {
    "/system/script": [{"name": "wan-up", "source": ':log info "wan up"\n:put "ok"', "policy": "read,write,test"}],
    "/system/scheduler": [{"name": "check-wan", "on-event": "/system script run wan-up", "interval": "1m",
                           "comment": "every minute"}],
    "/tool/netwatch": [{"host": "10.10.2.1", "interval": "10s", "up-script": "/system script run wan-up"}],
    "/ip/settings": [{"rp-filter": "loose", "allow-fast-path": True}],
    "/routing/table": [{"name": "T2", "fib": True}],
    "/routing/rule": [{"_key": "site", "_rank": 20, "src-address": "192.168.10.0/24", "action": "lookup", "table": "T2"},
                      {"_key": "int", "_rank": 10, "dst-address": "10.11.0.0/16", "action": "lookup-only-in-table",
                       "table": "main"}],
    "/ip/route": [{"_key": "bh", "dst-address": "10.99.0.0/16", "blackhole": True, "routing-table": "T2"},
                  {"_key": "gw", "dst-address": "0.0.0.0/0", "gateway": "10.10.2.1", "distance": 2,
                   "check-gateway": "ping", "routing-table": "T2"}],
}


def test_every_other_menu_converges_and_stays_converged(lab_router, kind):
    first = converge(lab_router, kind, OTHER_MENUS)
    assert first["changed"]
    lab_router.control.reset_counters()
    for state in ("overridden", "replaced", "merged"):
        again = converge(lab_router, kind, OTHER_MENUS, state=state)
        assert again["commands"] == [], (state, again["commands"])
    assert writes(lab_router) == 0
    rules = [r.get("comment") for r in rows(lab_router, "/routing/rule")]
    assert rules == ["[mwan:pbr:int@10]", "[mwan:pbr:site@20]"]
    removed = converge(lab_router, kind, {}, state="deleted", paths=list(OTHER_MENUS))
    assert all(op["op"] == "remove" for op in removed["plan"])
    assert rows(lab_router, "/system/script") == []


def test_parsed_export_brings_a_hand_made_config_under_management(lab_router, kind):
    from ansible_collections.multiwan.routeros.plugins.module_utils.engine.offline import parse_offline

    cli = lab_router.control.cli
    cli("/routing table add name=ViaB fib")
    cli("/ip firewall address-list add list=LAN address=10.0.0.0/8")
    cli("/ip firewall mangle add chain=prerouting action=mark-connection new-connection-mark=B connection-mark=no-mark "
        "in-interface=ether2 comment=\"mark B\"")
    cli("/ip firewall mangle add chain=prerouting action=mark-routing new-routing-mark=ViaB connection-mark=B")
    before = export_body(cli("/export terse"))
    paths = ["/routing/table", "/ip/firewall/address-list", MANGLE]
    parsed = parse_offline(cli("/export"), "pbr", paths)["parsed"]
    lab_router.control.reset_counters()
    result = converge(lab_router, kind, parsed, state="merged", adopt=paths)
    # every entry adopted in place: one set per entry (the tag), nothing added, removed or moved
    assert sorted(op["op"] for op in result["plan"]) == ["set"] * 4
    assert all(op["fields"].keys() == {"comment"} for op in result["plan"])
    after = cli("/export terse")
    assert export_body(after).count("[mwan:pbr:") == 4
    assert len(export_body(after).splitlines()) == len(before.splitlines())
    assert converge(lab_router, kind, parsed, state="overridden")["changed"] is False
