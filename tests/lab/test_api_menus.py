"""Menu behaviour of the lab router through librouteros: writes, errors, print shapes, queries."""

from librouteros.query import And, Key, Or
from api_helpers import trap


def ids(path):
    return [row[".id"] for row in path]


# ---- ids, add, ret ------------------------------------------------------------------------------
def test_id_shapes(api):
    assert api.path("/ip/firewall/mangle").add(chain="prerouting", action="accept") == "*1"
    assert api.path("/ip/firewall/mangle").add(chain="prerouting", action="accept") == "*2"
    assert api.path("/routing/table").add(name="T1", fib="") == "*400"
    api.path("/ip/address").add(address="10.0.0.2/24", interface="ether1")
    assert api.path("/ip/route").add(gateway="10.0.0.1") == "*80000001"
    routes = {row[".id"]: row for row in api.path("/ip/route")}
    assert routes["*20180001"]["connect"] is True and routes["*20180001"]["dynamic"] is True
    tables = list(api.path("/routing/table"))
    assert tables[0][".id"] == "*0" and tables[0]["name"] == "main" and tables[0]["dynamic"] is True


def test_unknown_parameter_and_missing_mandatory(api):
    mangle = api.path("/ip/firewall/mangle")
    assert trap(lambda: mangle.add(chain="prerouting", bogus="1")) == "unknown parameter bogus"
    assert trap(lambda: mangle.add(action="accept")) == "missing value(s) of argument(s) chain"
    assert trap(lambda: api.path("/ip/firewall/address-list").add(list="L")) == "missing value(s) of argument(s) address"


def test_value_errors(api):
    routes = api.path("/ip/route")
    assert trap(lambda: routes.add(gateway="10.0.0.1", distance="300")) == "value of distance out of range (1..255)"
    assert trap(lambda: routes.add(gateway="10.0.0.1", distance="abc")) == "invalid value for argument distance"
    assert trap(lambda: routes.add(gateway="10.0.0.1", **{"dst-address": "10.0.0.300/8"})) == "invalid value for argument dst-address"
    mangle = api.path("/ip/firewall/mangle")
    assert trap(lambda: mangle.add(chain="prerouting", action="mark")) == \
        "ambiguous value of action, more than one possible value matches input"
    assert trap(lambda: mangle.add(chain="prerouting", action="teleport")) == "input does not match any value of action"
    assert trap(lambda: mangle.add(chain="prerouting", disabled="maybe")) == "invalid value for argument disabled"


def test_set_unset_remove_need_id(api):
    mangle = api.path("/ip/firewall/mangle")
    assert trap(lambda: mangle.update(comment="x")) == "missing =.id="
    assert trap(lambda: mangle.update(**{".id": "*99", "comment": "x"})) == "no such item"
    assert trap(lambda: mangle.remove("*99")) == "no such item"


def test_booleans_print_true_false_and_accept_yes_no(api):
    mangle = api.path("/ip/firewall/mangle")
    rid = mangle.add(chain="forward", action="accept", disabled=True)
    row = [r for r in mangle if r[".id"] == rid][0]
    assert row["disabled"] is True
    with_raw = list(api.rawCmd("/ip/firewall/mangle/print", "=.proplist=disabled"))
    assert with_raw == [{"disabled": True}]
    mangle.update(**{".id": rid, "disabled": "false"})
    assert list(mangle.select(Key("disabled")))[0]["disabled"] is False


def test_set_and_unset(api):
    mangle = api.path("/ip/firewall/mangle")
    fields = {"new-connection-mark": "C", "connection-mark": "no-mark", "comment": "hello"}
    rid = mangle.add(chain="prerouting", action="mark-connection", **fields)
    mangle.update(**{".id": rid, "!connection-mark": ""})
    row = list(mangle)[0]
    assert "connection-mark" not in row and row["comment"] == "hello"
    tuple(mangle("unset", **{".id": rid, "value-name": "comment"}))
    assert "comment" not in list(mangle)[0]
    mangle.update(**{".id": rid, "comment": "again"})
    mangle.update(**{".id": rid, "comment": ""})
    assert "comment" not in list(mangle)[0]


def test_remove_list_of_ids(api):
    lists = api.path("/ip/firewall/address-list")
    made = [lists.add(list="L", address="10.0.0.%d" % i) for i in range(5)]
    lists.remove(made[0], made[2], made[4])
    assert [r["address"] for r in lists] == ["10.0.0.1", "10.0.0.3"]
    assert trap(lambda: lists.remove(made[1], "*77")) == "no such item"
    assert len(list(lists)) == 2


def test_enable_disable(api):
    filt = api.path("/ip/firewall/filter")
    rid = filt.add(chain="input", action="drop")
    assert "disabled" not in list(filt)[0]
    tuple(filt("disable", **{".id": rid}))
    assert list(filt)[0]["disabled"] is True
    tuple(filt("enable", **{".id": rid}))
    assert list(filt)[0]["disabled"] is False


# ---- order ----------------------------------------------------------------------------------------
def test_place_before_and_move(api):
    mangle = api.path("/ip/firewall/mangle")
    a = mangle.add(chain="prerouting", comment="a")
    b = mangle.add(chain="prerouting", comment="b")
    c = mangle.add(chain="prerouting", comment="c", **{"place-before": a})
    assert ids(mangle) == [c, a, b]
    tuple(mangle("move", numbers=b, destination=c))
    assert ids(mangle) == [b, c, a]
    tuple(mangle("move", numbers=",".join([b, c]), destination=""))
    assert ids(mangle) == [a, b, c]
    tuple(mangle("move", numbers=",".join([c, b]), destination=a))
    assert ids(mangle) == [c, b, a]
    tuple(mangle("move", numbers=a, destination="*99"))
    assert ids(mangle) == [c, b, a]
    assert trap(lambda: mangle("move", numbers=a, destination=a)) == "failure: can not move object before itself"
    tuple(mangle("move", numbers=c))
    assert ids(mangle) == [b, a, c]


def test_place_before_only_on_ordered_menus(api):
    lists = api.path("/ip/firewall/address-list")
    first = lists.add(list="L", address="10.0.0.1")
    assert trap(lambda: lists.add(list="L", address="10.0.0.2", **{"place-before": first})) == "unknown parameter place-before"
    assert trap(lambda: lists("move", numbers=first)) == "no such command"


# ---- references -----------------------------------------------------------------------------------
def test_hard_references(api):
    assert trap(lambda: api.path("/ip/route").add(gateway="10.0.0.1", **{"routing-table": "T"})) == \
        "input does not match any value of routing-table"
    mangle = api.path("/ip/firewall/mangle")
    assert trap(lambda: mangle.add(chain="prerouting", action="mark-routing", **{"new-routing-mark": "T"})) == \
        "input does not match any value of new-routing-mark"
    assert trap(lambda: mangle.add(chain="prerouting", **{"in-interface": "nope"})) == "input does not match any value of in-interface"
    assert trap(lambda: mangle.add(chain="prerouting", **{"in-interface-list": "LAN"})) == \
        "input does not match any value of in-interface-list"
    assert trap(lambda: api.path("/ip/route").add(gateway="nothere")) == "invalid or unexpected argument base"
    api.path("/routing/table").add(name="T", fib="")
    api.path("/interface/list").add(name="LAN")
    fields = {"new-routing-mark": "T", "in-interface-list": "!LAN", "in-interface": "ether2"}
    mangle.add(chain="prerouting", action="mark-routing", **fields)
    assert api.path("/ip/route").add(gateway="10.0.0.1", **{"routing-table": "T"}).startswith("*8")


def test_soft_references_and_invalid_jump(api):
    mangle = api.path("/ip/firewall/mangle")
    fields = {"src-address-list": "nolist", "connection-mark": "nomark", "new-connection-mark": "x"}
    mangle.add(chain="prerouting", action="mark-connection", **fields)
    jump = mangle.add(chain="prerouting", action="jump", **{"jump-target": "custom"})
    rows = {r[".id"]: r for r in mangle}
    assert rows["*1"]["invalid"] is False
    assert rows[jump]["invalid"] is True
    mangle.add(chain="custom", action="return")
    assert {r[".id"]: r for r in mangle}[jump]["invalid"] is False


def test_rename_follows_references(api):
    api.path("/interface/list").add(name="WAN")
    api.path("/interface/list/member").add(list="WAN", interface="ether1")
    api.path("/interface/ethernet").update(**{".id": "ether1", "name": "isp1"})
    member = list(api.path("/interface/list/member"))[0]
    assert member["interface"] == "isp1"


# ---- builtin and dynamic --------------------------------------------------------------------------
def test_builtin_interface_lists(api):
    lists = {r["name"]: r for r in api.path("/interface/list")}
    assert all(lists[n]["builtin"] is True for n in ("all", "none", "dynamic", "static"))
    path = api.path("/interface/list")
    assert trap(lambda: path.remove(lists["all"][".id"])) == "failure: cannot remove builtin"
    assert trap(lambda: path.update(**{".id": "all", "comment": "x"})) == "failure: cannot change builtin"


def test_main_table_is_builtin(api):
    path = api.path("/routing/table")
    assert trap(lambda: path.remove("*0")) == "failure: cannot remove builtin"
    assert trap(lambda: path.update(**{".id": "main", "comment": "x"})) == "failure: cannot change builtin"
    assert trap(lambda: path.add(name="main")) == "failure: item with this name already exists"


def test_fasttrack_dummy_rules(api):
    filt = api.path("/ip/firewall/filter")
    mangle = api.path("/ip/firewall/mangle")
    raw = api.path("/ip/firewall/raw")
    mangle.add(chain="forward", action="accept", comment="mine")
    assert not [r for r in mangle if r["dynamic"]]
    ft = filt.add(chain="forward", action="fasttrack-connection", **{"connection-state": "established,related", "hw-offload": "yes"})
    filt.add(chain="forward", action="accept", **{"connection-state": "established,related"})
    dummy = "special dummy rule to show fasttrack counters"
    rows = list(filt)
    assert rows[0]["dynamic"] is True and rows[0]["comment"] == dummy and rows[0]["chain"] == "forward"
    assert rows[0]["action"] == "passthrough"
    mangle_rows = list(mangle)
    assert [(r["chain"], r["dynamic"]) for r in mangle_rows] == [("prerouting", True), ("forward", True), ("postrouting", True),
                                                                 ("forward", False)]
    raw_rows = list(raw)
    assert [(r["chain"], r["comment"]) for r in raw_rows] == [("prerouting", dummy)]
    dummy_id = rows[0][".id"]
    assert trap(lambda: filt.remove(dummy_id)) == "failure: cannot remove builtin"
    assert trap(lambda: filt.update(**{".id": dummy_id, "comment": "x"})) == "failure: cannot change builtin"
    assert trap(lambda: filt("move", numbers=dummy_id, destination=ft)) == "failure: cannot move builtin"
    tuple(filt("disable", **{".id": ft}))
    assert not [r for r in filt if r["dynamic"]]


def test_connected_routes_are_dynamic_and_builtin(api):
    api.path("/ip/address").add(address="192.168.88.1/24", interface="ether2")
    rows = list(api.path("/ip/route"))
    connected = rows[0]
    assert connected["dst-address"] == "192.168.88.0/24" and connected["gateway"] == "ether2"
    assert connected["distance"] == 0 and connected["connect"] is True and connected["active"] is True
    assert trap(lambda: api.path("/ip/route").remove(connected[".id"])) == "failure: cannot remove builtin"


def test_timed_address_list_entries(api, lab_router):
    lists = api.path("/ip/firewall/address-list")
    lists.add(list="L", address="10.1.1.1/32")
    lists.add(list="L", address="10.1.1.2", timeout="1h")
    assert trap(lambda: lists.add(list="L", address="10.1.1.1")) == "failure: already have such entry"
    rows = {r["address"]: r for r in lists}
    assert rows["10.1.1.1"]["dynamic"] is False and "timeout" not in rows["10.1.1.1"]
    assert rows["10.1.1.2"]["dynamic"] is True and rows["10.1.1.2"]["timeout"].startswith("59m")
    assert "creation-time" in rows["10.1.1.1"]
    lab_router.router.tick(lab_router.router.clock() + 3601)
    assert [r["address"] for r in lists] == ["10.1.1.1"]


# ---- print shapes ---------------------------------------------------------------------------------
def test_firewall_print_shape(api):
    mangle = api.path("/ip/firewall/mangle")
    mangle.add(chain="prerouting", action="mark-routing", **{"new-routing-mark": "main", "src-address": "10.0.0.1/32"})
    row = list(mangle)[0]
    assert set(row) == {".id", "chain", "action", "new-routing-mark", "passthrough", "src-address", "bytes", "packets",
                        "dynamic", "invalid"}
    assert row["src-address"] == "10.0.0.1" and row["passthrough"] is True
    filt = api.path("/ip/firewall/filter")
    filt.add(chain="input", action="drop", log="no")
    assert set(list(filt)[0]) == {".id", "chain", "action", "log", "bytes", "packets", "dynamic", "invalid"}


def test_route_print_shapes(api):
    api.path("/ip/address").add(address="10.0.0.2/24", interface="ether1")
    routes = api.path("/ip/route")
    rid = routes.add(gateway="10.0.0.1", comment="up")
    row = [r for r in routes if r[".id"] == rid][0]
    assert set(row) == {".id", "dst-address", "gateway", "immediate-gw", "distance", "scope", "target-scope", "routing-table",
                        "dynamic", "static", "active", "inactive", "comment"}
    assert row["immediate-gw"] == "10.0.0.1%ether1" and row["dst-address"] == "0.0.0.0/0"
    tuple(routes("disable", **{".id": rid}))
    row = [r for r in routes if r[".id"] == rid][0]
    assert row == {".id": rid, "dst-address": "0.0.0.0/0", "gateway": "10.0.0.1", "disabled": True, "inactive": False,
                   "static": True, "comment": "up"}
    routes.add(gateway="10.9.9.9", **{"dst-address": "1.2.3.0/24"})
    row = [r for r in routes if r.get("dst-address") == "1.2.3.0/24"][0]
    assert row["inactive"] is True and "active" not in row and row["immediate-gw"] == ""
    routes.add(blackhole="", **{"dst-address": "5.5.5.0/24"})
    row = [r for r in routes if r.get("dst-address") == "5.5.5.0/24"][0]
    assert row["blackhole"] == "" and row["active"] is True


def test_switch_fields(api):
    tables = api.path("/routing/table")
    tables.add(name="withfib", fib="")
    tables.add(name="nofib")
    rows = {r["name"]: r for r in tables}
    assert rows["withfib"]["fib"] == "" and "fib" not in rows["nofib"]


def test_comment_absent_when_empty(api):
    lists = api.path("/ip/firewall/address-list")
    lists.add(list="L", address="1.1.1.1", comment="")
    assert "comment" not in list(lists)[0]


# ---- queries --------------------------------------------------------------------------------------
def fill_lists(api):
    lists = api.path("/ip/firewall/address-list")
    for i in range(6):
        lists.add(list="A" if i % 2 else "B", address="10.0.0.%d" % i, disabled=(i == 3), **({"comment": "c%d" % i} if i < 2 else {}))
    return lists


def test_query_equal_in_and_not(api):
    lists = fill_lists(api)
    assert [r["address"] for r in lists.select(Key("address")).where(Key("list") == "A")] == ["10.0.0.1", "10.0.0.3", "10.0.0.5"]
    assert [r["address"] for r in lists.select(Key("address")).where(Key("address").In("10.0.0.0", "10.0.0.4"))] == \
        ["10.0.0.0", "10.0.0.4"]
    assert [r["address"] for r in lists.select(Key("address")).where(Key("list") != "A")] == ["10.0.0.0", "10.0.0.2", "10.0.0.4"]
    assert [r["address"] for r in lists.select(Key("address")).where(Key("disabled") == "yes")] == ["10.0.0.3"]
    assert [r["address"] for r in lists.select(Key("address")).where(
        And(Key("list") == "A", Key("disabled") == "no"))] == ["10.0.0.1", "10.0.0.5"]
    assert [r["address"] for r in lists.select(Key("address")).where(
        Or(Key("address") == "10.0.0.0", Key("address") == "10.0.0.5"))] == ["10.0.0.0", "10.0.0.5"]


def test_query_presence_absence_and_compare(api):
    lists = fill_lists(api)
    assert [r["address"] for r in lists.select(Key("address")).where(["?comment"])] == ["10.0.0.0", "10.0.0.1"]
    assert len(list(lists.select(Key("address")).where(["?-comment"]))) == 4
    assert [r["address"] for r in lists.select(Key("address")).where(Key(".id") > "*4")] == ["10.0.0.4", "10.0.0.5"]
    assert [r["address"] for r in lists.select(Key("address")).where(Key(".id") < "*2")] == ["10.0.0.0"]


def test_query_stack_operations(api):
    lists = fill_lists(api)

    def q(*words):
        return [r["address"] for r in api.rawCmd("/ip/firewall/address-list/print", "=.proplist=address", *words)]

    assert q("?list=A", "?disabled=yes", "?#&!") == ["10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.4", "10.0.0.5"]
    assert q("?list=A", "?#.&") == ["10.0.0.1", "10.0.0.3", "10.0.0.5"]
    # "0" at the end of the word replaces the stack with its top: the earlier false entries are dropped
    assert q("?list=B", "?address=10.0.0.1", "?#0") == ["10.0.0.1"]
    assert q("?list=B", "?address=10.0.0.1", "?#1") == ["10.0.0.0", "10.0.0.2", "10.0.0.4"]
    assert q("?=list=A", "?=address=10.0.0.1", "?#|") == ["10.0.0.1", "10.0.0.3", "10.0.0.5"]
    assert q("?=list=", "?#!") == [r["address"] for r in lists]


def test_proplist(api):
    fill_lists(api)
    rows = list(api.rawCmd("/ip/firewall/address-list/print", "=.proplist=.id,address"))
    assert rows[0] == {".id": "*1", "address": "10.0.0.0"}
    assert all(set(r) == {".id", "address"} for r in rows)


def test_count_only(api):
    fill_lists(api)
    assert list(api.rawCmd("/ip/firewall/address-list/print", "=count-only=", "?list=A")) == [{"ret": 3}]


# ---- other menus ----------------------------------------------------------------------------------
def test_singletons_set_without_id(api):
    tracking = api.path("/ip/firewall/connection/tracking")
    tracking.update(**{"tcp-established-timeout": "24h", "udp-timeout": "30s"})
    row = list(tracking)[0]
    assert ".id" not in row and row["tcp-established-timeout"] == "1d" and row["udp-timeout"] == "30s"
    assert row["enabled"] == "auto" and row["generic-timeout"] == "10m"
    settings = api.path("/ip/settings")
    settings.update(**{"rp-filter": "loose"})
    row = list(settings)[0]
    assert row["rp-filter"] == "loose" and row["allow-fast-path"] is True
    api.path("/system/identity").update(name="core")
    assert list(api.path("/system/identity")) == [{"name": "core"}]


def test_system_resource(lab_router_factory):
    lab = lab_router_factory(version="7.16.2")
    row = list(lab.api().path("/system/resource"))[0]
    assert row["version"] == "7.16.2 (stable)" and row["board-name"] == "CHR"


def test_interfaces_and_vlans(api):
    names = [r["name"] for r in api.path("/interface")]
    assert names == ["ether%d" % i for i in range(1, 9)]
    ether = api.path("/interface/ethernet")
    assert trap(lambda: ether.add(name="ether9")) == "no such command"
    vlan = api.path("/interface/vlan")
    vid = vlan.add(name="VLAN3002", interface="ether1", **{"vlan-id": 3002})
    assert trap(lambda: vlan.add(name="VLAN3002", interface="ether1", **{"vlan-id": 3003})) == \
        "failure: already have interface with such name"
    row = list(vlan)[0]
    assert row[".id"] == vid and row["vlan-id"] == 3002 and row["interface"] == "ether1"
    assert [r["type"] for r in api.path("/interface") if r["name"] == "VLAN3002"] == ["vlan"]
    api.path("/ip/address").add(address="10.10.2.2/30", interface="VLAN3002")
    row = list(api.path("/ip/address"))[0]
    assert row["network"] == "10.10.2.0" and row["address"] == "10.10.2.2/30"


def test_interface_list_members(api):
    api.path("/interface/list").add(name="WAN")
    members = api.path("/interface/list/member")
    members.add(list="WAN", interface="ether1")
    assert trap(lambda: members.add(list="WAN", interface="ether1")) == "failure: already have such entry"
    assert trap(lambda: members.add(list="NOPE", interface="ether1")) == "input does not match any value of list"


def test_routing_rules(api):
    api.path("/routing/table").add(name="T", fib="")
    rules = api.path("/routing/rule")
    rules.add(**{"dst-address": "10.11.0.0/16", "action": "lookup-only-in-table", "table": "main"})
    rules.add(**{"src-address": "192.168.10.0/24", "action": "lookup", "table": "T"})
    rows = list(rules)
    assert [r["table"] for r in rows] == ["main", "T"]
    assert trap(lambda: rules.add(table="X")) == "input does not match any value of table"


def test_netwatch(api, lab_router):
    netwatch = api.path("/tool/netwatch")
    netwatch.add(host="10.0.0.1")
    row = list(netwatch)[0]
    assert row["status"] == "unknown" and row["interval"] == "10s" and row["timeout"] == "3s" and row["type"] == "simple"
    router = lab_router.router
    router.tick(router.clock() + 11)
    lab_router.control.set_reachable("10.0.0.1", False)
    assert list(netwatch)[0]["status"] in ("down", "unknown")


def test_scheduler_and_script_menus(api):
    sched = api.path("/system/scheduler")
    sched.add(name="job", interval="1m", **{"on-event": ":log info x"})
    assert trap(lambda: sched.add(name="job")) == "failure: item with this name already exists"
    row = list(sched)[0]
    assert row["interval"] == "1m" and row["on-event"] == ":log info x" and row["run-count"] == 0
    scripts = api.path("/system/script")
    scripts.add(name="s1", source=":put hi")
    assert list(scripts)[0]["source"] == ":put hi"
    # RouterOS refuses a second script of the same name (the collection's run lock relies on it).
    assert trap(lambda: scripts.add(name="s1")) == "failure: item with this name already exists"
    assert len(list(scripts)) == 1
    scripts.update(**{".id": "s1", "comment": "by name"})
    assert list(scripts)[0]["comment"] == "by name"


def test_file_menu(api, lab_router):
    text = "/ip route\nadd gateway=10.0.0.1\n"
    lab_router.router.write_file("backup.rsc", text)
    row = list(api.path("/file"))[0]
    assert row["name"] == "backup.rsc" and row["size"] == len(text) and row["contents"].startswith("/ip route")


def test_permissions(lab_router_factory):
    lab = lab_router_factory(users={"viewer": ("view", "read")})
    import librouteros
    api = librouteros.connect(host=lab.host, username="viewer", password="view", port=lab.api_port)
    assert list(api.path("/system/identity"))
    assert trap(lambda: api.path("/routing/table").add(name="T")) == "not enough permissions (9)"


# ---- versions and v6 leftovers --------------------------------------------------------------------
def test_v6_forms_are_rejected(api):
    assert trap(lambda: api.path("/ip/route").add(gateway="10.0.0.1", **{"routing-mark": "T"})) == "unknown parameter routing-mark"
    assert trap(lambda: api.path("/ip/route/rule").add(table="main")) == "no such command prefix"


def test_missing_id_text_before_7_11(lab_router_factory):
    api = lab_router_factory(version="7.10").api()
    assert trap(lambda: api.path("/ip/firewall/filter").update(comment="x")) == "no such item"


def test_numbers_alias_and_getall(api):
    tables = api.path("/routing/table")
    rid = tables.add(name="T")
    tuple(tables("set", numbers=rid, comment="via numbers"))
    assert [r.get("comment") for r in api.rawCmd("/routing/table/getall")] == [None, "via numbers"]


def test_interface_list_ids(api):
    assert api.path("/interface/list").add(name="WAN") == "*2000010"
    assert api.path("/interface/list").add(name="LAN") == "*2000011"
    assert api.path("/interface/list/member").add(list="WAN", interface="ether1") == "*1"
