"""RouterOS 7 behaviours the lab router reproduces, each checked against the source that shows it.

The sources are named next to each test: the RouterOS manual, real exports, first-hand reports of
what a router answered, and community.routeros' per-field data (``can_disable``).
"""

import subprocess
import sys
import time

import pytest
from librouteros.query import Key

from routeros_lab import menus as M
from routeros_lab.cli import run_script
from routeros_lab.model import Router
from routeros_lab.ssh import SshListener

from cli_helpers import ssh_client, ssh_exec
from api_helpers import trap


# librouteros sends ``?=name=no`` for False
NO = False


def call(api, command, **words):
    return list(api(command, **words))


# ---- F1: /file contents stop at 60 KB; /file/read reads on ---------------------------------------
def test_file_contents_limit(api):
    """Files manual: "It is possible to retrieve content and edit files up to 60KB in size"."""
    big = "x" * (M.FILE_CONTENTS_LIMIT + 1)
    edge = "y" * M.FILE_CONTENTS_LIMIT
    files = api.path("/file")
    files.add(name="big.txt", contents=big)
    files.add(name="edge.txt", contents=edge)
    rows = {row["name"]: row for row in files}
    assert "contents" not in rows["big.txt"] and rows["big.txt"]["size"] == len(big)
    assert rows["edge.txt"]["contents"] == edge
    assert list(files.select("contents").where(Key("name") == "big.txt")) == []
    # /file/read (7.13+) reads a big file in chunks
    data = ""
    while len(data) < len(big):
        chunk = call(api, "/file/read", file="big.txt", offset=str(len(data)), **{"chunk-size": "32768"})[0]["data"]
        assert chunk
        data += chunk
    assert data == big


def test_big_export_file_has_no_contents(lab_router):
    router = lab_router.router
    for number in range(3000):
        router.execute("/ip/firewall/address-list/add", {"list": "BIG", "address": "10.%d.%d.0/24" % (number // 256, number % 256)})
    api = lab_router.api()
    call(api, "/export", file="big")
    row = [r for r in api.path("/file") if r["name"] == "big.rsc"][0]
    assert int(row["size"]) > M.FILE_CONTENTS_LIMIT and "contents" not in row
    first = call(api, "/file/read", file="big.rsc", offset="0", **{"chunk-size": "4096"})[0]["data"]
    assert first.startswith("# ") and "by RouterOS" in first.splitlines()[0]


# ---- F7: only some properties can be unset -------------------------------------------------------
def test_route_unset_refused_for_fields_routeros_cannot_clear(api):
    """7.21.4: ``!routing-table`` is an error, "a v7 route always belongs to a table"; community.routeros
    marks only blackhole/check-gateway/comment/route-tag/vrf-interface(...) ``can_disable`` on /ip/route."""
    api.path("/ip/address").add(address="10.0.0.2/24", interface="ether1")
    api.path("/routing/table").add(name="T", fib="")
    routes = api.path("/ip/route")
    rid = routes.add(gateway="10.0.0.1", comment="c", **{"routing-table": "T", "check-gateway": "ping", "pref-src": "10.0.0.2"})
    for name in ("routing-table", "gateway", "distance", "dst-address", "pref-src", "scope", "target-scope", "disabled"):
        assert trap(lambda name=name: routes.update(**{".id": rid, "!" + name: ""})) == M.UNSET_REFUSED
        assert trap(lambda name=name: call(api, "/ip/route/unset", **{".id": rid, "value-name": name})) == M.UNSET_REFUSED
    row = [r for r in routes if r[".id"] == rid][0]
    assert row["routing-table"] == "T" and row["gateway"] == "10.0.0.1" and row["pref-src"] == "10.0.0.2"
    routes.update(**{".id": rid, "!check-gateway": ""})
    call(api, "/ip/route/unset", **{".id": rid, "value-name": "comment"})
    row = [r for r in routes if r[".id"] == rid][0]
    assert "check-gateway" not in row and "comment" not in row


def test_firewall_unset_refused_for_disabled_log_chain(api):
    """7.23.7 (first-hand, REST ``unset``): a firewall rule's ``disabled`` and ``log`` cannot be unset
    ("input does not match any value of value-name")."""
    mangle = api.path("/ip/firewall/mangle")
    rid = mangle.add(chain="prerouting", action="mark-routing", passthrough="no", log="yes", comment="x",
                     **{"new-routing-mark": "main", "in-interface": "ether1"})
    for name in ("chain", "action", "passthrough", "disabled", "log", "log-prefix"):
        assert trap(lambda name=name: call(api, "/ip/firewall/mangle/unset", **{".id": rid, "value-name": name})) == \
            "input does not match any value of value-name"
        assert trap(lambda name=name: mangle.update(**{".id": rid, "!" + name: ""})) == M.UNSET_REFUSED
    mangle.update(**{".id": rid, "!in-interface": "", "!comment": ""})
    row = [r for r in mangle if r[".id"] == rid][0]
    assert row["chain"] == "prerouting" and row["log"] is True and "in-interface" not in row and "comment" not in row


def test_console_unset_follows_the_model(lab_router):
    router = lab_router.router
    router.execute("/ip/address/add", {"address": "10.0.0.2/24", "interface": "ether1"})
    assert run_script(router, "/ip route add gateway=10.0.0.1 check-gateway=ping") == ""
    out = run_script(router, ":put start\n/ip route set [find static] !routing-table")
    # checked before it runs: the whole script is refused
    assert out.startswith("syntax error (line 2 column") and "start" not in out
    out = run_script(router, "/ip route set [find static] !check-gateway")
    assert out == ""
    out = run_script(router, "/ip route unset [find static] distance")
    assert "input does not match any value of value-name" in out
    assert "check-gateway" not in [r for r in router.rows("/ip/route") if r.get("static")][0]


def test_clear_flags_are_model_data():
    assert M.MENUS["/ip/route"]["fields"]["check-gateway"]["clear"] is True
    assert M.MENUS["/ip/route"]["fields"]["routing-table"]["clear"] is False
    assert all("clear" in spec for menu in M.MENUS.values() for spec in menu["fields"].values())


# ---- F4: the error names the argument -------------------------------------------------------------
def test_reference_errors_name_the_argument(api):
    mangle = api.path("/ip/firewall/mangle")
    assert trap(lambda: mangle.add(chain="prerouting", **{"out-interface": "nope"})) == "input does not match any value of out-interface"
    assert trap(lambda: mangle.add(chain="prerouting", **{"out-interface-list": "nope"})) == \
        "input does not match any value of out-interface-list"
    assert trap(lambda: api.path("/routing/rule").add(interface="nope", action="lookup", table="main")) == \
        "input does not match any value of interface"
    assert trap(lambda: api.path("/ip/route").add(gateway="ether1", **{"vrf-interface": "nope"})) == \
        "input does not match any value of vrf-interface"


# ---- F5: nothing moves before a FastTrack dummy ---------------------------------------------------
def test_move_onto_fasttrack_dummy_fails(api):
    """"cannot move builtin" when the destination is the dynamic dummy at the head of forward."""
    rules = api.path("/ip/firewall/filter")
    first = rules.add(chain="forward", action="fasttrack-connection", **{"connection-state": "established,related"})
    second = rules.add(chain="forward", action="accept")
    dummy = [r[".id"] for r in rules if r.get("dynamic")][0]
    assert trap(lambda: rules.add(chain="forward", action="drop", **{"place-before": dummy})) == "failure: cannot move builtin"
    assert trap(lambda: call(api, "/ip/firewall/filter/move", numbers=second, destination=dummy)) == "failure: cannot move builtin"
    assert [r[".id"] for r in rules if not r.get("dynamic")] == [first, second]
    rules.add(chain="forward", action="drop", **{"place-before": first})
    assert [r["action"] for r in rules if not r.get("dynamic")] == ["drop", "fasttrack-connection", "accept"]


# ---- F8: raw has no connection-tracking matchers --------------------------------------------------
def test_raw_has_no_connection_matchers(api):
    raw = api.path("/ip/firewall/raw")
    for name, value in (("connection-state", "new"), ("connection-mark", "m"), ("connection-nat-state", "dstnat"),
                        ("connection-type", "ftp")):
        assert trap(lambda name=name, value=value: raw.add(chain="prerouting", action="notrack", **{name: value})) == \
            "unknown parameter %s" % name
    raw.add(chain="prerouting", action="notrack", **{"per-connection-classifier": "both-addresses:2/0"})
    api.path("/ip/firewall/filter").add(chain="forward", **{"connection-state": "new"})


# ---- F9: interface names are one namespace; no duplicate address ---------------------------------
def test_interface_names_shared_and_duplicate_address(api):
    vlans = api.path("/interface/vlan")
    assert trap(lambda: vlans.add(name="ether1", interface="ether2", **{"vlan-id": "11"})) == M.INTERFACE_NAME_EXISTS
    vlans.add(name="v11", interface="ether2", **{"vlan-id": "11"})
    ether = [r for r in api.path("/interface/ethernet") if r["name"] == "ether3"][0]
    assert trap(lambda: api.path("/interface/ethernet").update(**{".id": ether[".id"], "name": "v11"})) == M.INTERFACE_NAME_EXISTS
    assert sorted(r["name"] for r in api.path("/interface"))[-2:] == ["ether8", "v11"]
    addresses = api.path("/ip/address")
    addresses.add(address="10.0.0.1/24", interface="ether1")
    assert trap(lambda: addresses.add(address="10.0.0.1/24", interface="ether1")) == M.ADDRESS_EXISTS
    addresses.add(address="10.0.0.1/24", interface="ether2")


# ---- F15: a query sees disabled/log as false until written ----------------------------------------
def test_disabled_query_does_not_depend_on_write_history(lab_router):
    api = lab_router.api()
    mangle = api.path("/ip/firewall/mangle")
    one = mangle.add(chain="prerouting", action="accept")
    two = mangle.add(chain="prerouting", action="accept", disabled="no")
    three = mangle.add(chain="prerouting", action="accept", disabled="yes")
    assert [r[".id"] for r in mangle.select(".id").where(Key("disabled") == NO)] == [one, two]
    assert [r[".id"] for r in mangle.select(".id").where(Key("log") == NO)] == [one, two, three]
    rows = {r[".id"]: r for r in mangle}
    assert "disabled" not in rows[one] and rows[two]["disabled"] is False
    api.path("/ip/address").add(address="10.0.0.2/24", interface="ether1")
    route = api.path("/ip/route").add(gateway="10.0.0.1")
    enabled = [r[".id"] for r in api.path("/ip/route").select(".id").where(Key("disabled") == NO)]
    assert route in enabled
    out = run_script(lab_router.router, ":put [/ip route find where disabled=no static]")
    assert out.strip() == route


# ---- F6: builtin interface lists ------------------------------------------------------------------
def test_builtin_interface_lists_have_comments_and_take_unchanged_set(api, lab_router):
    lists = {r["name"]: r for r in api.path("/interface/list")}
    assert lists["all"]["comment"] == "contains all interfaces"
    assert lists["none"]["comment"] == "contains no interfaces"
    assert lists["dynamic"]["comment"] == "contains dynamic interfaces"
    assert lists["static"]["comment"] == "contains static interfaces"
    # the line a real verbose export carries loads back
    out = run_script(lab_router.router, '/interface list set [ find name=all ] comment="contains all interfaces" exclude="" '
                                        'include="" name=all')
    assert out == ""
    assert trap(lambda: api.path("/interface/list").update(**{".id": lists["all"][".id"], "comment": "x"})) == \
        "failure: cannot change builtin"
    assert trap(lambda: call(api, "/interface/list/remove", **{".id": lists["all"][".id"]})) == "failure: cannot remove builtin"


# ---- F12: address-list input forms ---------------------------------------------------------------
def test_address_list_range_and_dynamic(api, lab_router):
    entries = api.path("/ip/firewall/address-list")
    entries.add(list="R", address="192.168.0.0-192.168.1.255")
    entries.add(list="R", address="10.0.0.1-10.0.0.5")
    entries.add(list="D", address="10.9.9.9", dynamic="yes")
    rows = {(r["list"], r["address"]): r for r in entries}
    assert ("R", "192.168.0.0/23") in rows and ("R", "10.0.0.1-10.0.0.5") in rows
    assert rows[("D", "10.9.9.9")]["dynamic"] is True
    text = run_script(lab_router.router, "/ip firewall address-list export")
    assert "192.168.0.0/23" in text and "10.9.9.9" not in text


# ---- F13 / F14: netwatch properties, /file/add from 7.9 -------------------------------------------
def test_netwatch_properties(api):
    netwatch = api.path("/tool/netwatch")
    nid = netwatch.add(host="8.8.8.8", **{"src-address": "10.0.0.2", "start-delay": "1m", "startup-delay": "5m"})
    row = [r for r in netwatch if r[".id"] == nid][0]
    assert row["src-address"] == "10.0.0.2" and row["start-delay"] == "1m" and row["startup-delay"] == "5m"


def test_file_add_exists_from_7_9():
    assert Router(version="7.8").execute("/file/add", {"name": "a.txt"}).trap.message == "no such command"
    assert Router(version="7.9").execute("/file/add", {"name": "a.txt"}).trap is None


# ---- scripts and scheduler ------------------------------------------------------------------------
def test_script_owner_accepted_on_add(api, lab_router):
    """Real exports carry ``owner=admin`` on ``/system script add``."""
    api.path("/system/script").add(name="s1", owner="admin", source=":put 1")
    out = run_script(lab_router.router, '/system script add dont-require-permissions=no name=s2 owner=admin policy=read,write source=":put 2"')
    assert out == ""
    owners = {r["name"]: r["owner"] for r in api.path("/system/script")}
    assert owners == {"s1": "admin", "s2": "admin"}


def test_scheduler_start_time_defaults_to_now():
    """RouterOS fills in the moment an entry is added (``start-date``, ``start-time``), not ``startup``."""
    now = time.mktime((2026, 1, 21, 13, 14, 15, 0, 0, -1))
    router = Router(version="7.19", clock=lambda: now)
    router.execute("/system/scheduler/add", {"name": "s", "interval": "1h", "on-event": ":put 1"})
    startup = router.execute("/system/scheduler/add", {"name": "boot", "start-time": "startup", "on-event": ":put 1"})
    assert startup.trap is None
    rows = {r["name"]: r for r in router.rows("/system/scheduler")}
    assert rows["s"]["start-time"] == "13:14:15" and rows["s"]["start-date"] == "2026-01-21"
    assert rows["boot"]["start-time"] == "startup" and "start-date" not in rows["boot"]
    old = Router(version="7.9", clock=lambda: now)
    old.execute("/system/scheduler/add", {"name": "s", "on-event": ":put 1"})
    assert old.rows("/system/scheduler")[0]["start-date"] == "jan/21/2026"


# ---- init scripts fail loudly ---------------------------------------------------------------------
def test_serve_exits_when_init_fails(tmp_path):
    script = tmp_path / "bad.rsc"
    script.write_text("/routing table add name=T fib\n/ip route add gateway=10.0.0.1 routing-table=nope\n")
    proc = subprocess.run([sys.executable, "-m", "routeros_lab", "serve", "--api-port", "0", "--init", str(script),
                           "--max-lifetime", "20"], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode != 0
    assert "input does not match any value of routing-table" in proc.stderr
    assert "ready" not in proc.stdout


def test_factory_fails_when_init_fails(lab_router_factory):
    with pytest.raises(pytest.fail.Exception, match="routing-table"):
        lab_router_factory(init="/ip route add gateway=ether1 routing-table=nope")


# ---- SSH ----------------------------------------------------------------------------------------------
def test_ssh_export_counts_reads(lab_router):
    lab_router.control.reset_counters()
    client = ssh_client(lab_router)
    try:
        output, dummy = ssh_exec(client, "/ip firewall mangle export")
    finally:
        client.close()
    assert "by RouterOS" in output
    assert lab_router.control.counters()["reads"].get("/ip/firewall/mangle") == 1


def test_ssh_listener_stop_ends_accept_thread():
    listener = SshListener(Router(), "127.0.0.1", 0, {"admin": ""}).start()
    thread = listener._thread
    listener.stop()
    assert not thread.is_alive()
