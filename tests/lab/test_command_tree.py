"""The lab's command tree against real RouterOS 7.19: what it lacks is refused, what it has is taken."""

import importlib.util
import json
import os
import sys

import pytest
from librouteros.exceptions import TrapError

from routeros_lab import Router, menus
from routeros_lab.cli.interpreter import run_script

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REFERENCE = os.path.join(os.path.dirname(ROOT), "shared", "reference", "routeros-inspect")


def _script(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, "scripts", name + ".py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _trap(api, command, **attrs):
    with pytest.raises(TrapError) as caught:
        tuple(api.rawCmd(command, *("=%s=%s" % item for item in attrs.items())))
    return caught.value.message


def _run(api, command, **attrs):
    return tuple(api.rawCmd(command, *("=%s=%s" % item for item in attrs.items())))


def test_shipped_tree_is_the_extract_of_the_reference_trees():
    extractor = _script("extract_routeros_tree")
    with open(extractor.OUTPUT, encoding="utf-8") as handle:
        shipped = handle.read()
    assert shipped == extractor.render(extractor.extract(REFERENCE)), \
        "lab/routeros_lab/routeros_tree.json is stale: run scripts/extract_routeros_tree.py"
    assert sorted(extractor.MENUS) == sorted(menus.MENUS)


def test_the_console_and_the_api_share_one_list_of_directories(lab_router):
    api = lab_router.api()
    router = Router(interfaces=["ether1"])
    # a RouterOS 7.19 directory the lab does not model: a path for both
    assert "/ipv6/firewall" in menus.DIRECTORIES
    assert _trap(api, "/ipv6/firewall/print") == "no such command"
    assert run_script(router, "/ipv6 firewall\n") == ""
    # a word RouterOS lacks: neither
    assert "/ip/route/rule" not in menus.DIRECTORIES
    assert _trap(api, "/ip/route/rule/print") == "no such command prefix"
    assert run_script(router, "/ip route rule print") == "bad command name rule (line 1 column 11)\n"
    # every directory above a modelled menu is one
    assert all("/" + "/".join(path.strip("/").split("/")[:depth]) in menus.DIRECTORIES
               for path in menus.MENUS for depth in range(path.count("/")))


def test_every_writable_property_is_a_7_19_argument_and_back():
    for path, spec in menus.MENUS.items():
        commands = menus.TREE[path]["commands"]
        settable = (set(commands.get("add", ())) | set(commands.get("set", ()))) - menus.NON_PROPERTIES
        writable = {name for name, field in spec["fields"].items() if not field.get("ro")}
        assert writable == settable, path
        assert set(spec["verbs"]) - {"getall"} <= set(commands), path


@pytest.mark.parametrize("command, attrs, message", [
    ("/ip/firewall/nat/add", {"chain": "srcnat", "connection-state": "new"}, "unknown parameter connection-state"),
    ("/ip/firewall/nat/add", {"chain": "srcnat", "tcp-flags": "syn"}, "unknown parameter tcp-flags"),
    ("/ip/route/add", {"gateway": "10.0.0.1", "route-tag": "5"}, "unknown parameter route-tag"),
    ("/ip/settings/set", {"route-cache": "no"}, "unknown parameter route-cache"),
    ("/ip/firewall/filter/print", {"bogus": "1"}, "unknown parameter bogus"),
    ("/ip/firewall/filter/remove", {".id": "*1", "bogus": "1"}, "unknown parameter bogus"),
    ("/ip/firewall/filter/move", {"numbers": "*1", "bogus": "1"}, "unknown parameter bogus"),
    ("/ip/firewall/filter/reset-counters", {".id": "*99"}, "no such item"),
    ("/ip/firewall/address-list/unset", {".id": "*1", "value-name": "comment"}, "no such command"),
    ("/interface/list/enable", {".id": "all"}, "no such command"),
    ("/system/script/disable", {".id": "*1"}, "no such command"),
    ("/ip/route/add", {"gateway": "10.0.0.1", "check-gateway": "bfd"}, "input does not match any value of check-gateway"),
    ("/ip/firewall/filter/add", {"chain": "input", "src-address-type": "prohibit"},
     "input does not match any value of src-address-type"),
    ("/ip/firewall/filter/add", {"chain": "input", "protocol": "notaproto"}, "input does not match any value of protocol"),
])
def test_what_routeros_7_19_lacks_is_refused_over_the_api(lab_router, command, attrs, message):
    api = lab_router.api()
    _run(api, "/ip/firewall/filter/add", chain="forward")
    assert _trap(api, command, **attrs) == message


def test_what_routeros_7_19_has_is_taken_over_the_api(lab_router):
    api = lab_router.api()
    matchers = {"in-interface": "all-ethernet", "tcp-flags": "syn,!ack"}
    rule = _run(api, "/ip/firewall/filter/add", chain="forward", protocol="tcp", **matchers)[0]["ret"]
    _run(api, "/ip/firewall/filter/comment", numbers=rule, comment="web")
    assert _run(api, "/ip/firewall/filter/get", number=rule, **{"value-name": "comment"})[0]["ret"] == "web"
    copy = _run(api, "/ip/firewall/filter/add", chain="input", **{"copy-from": rule})[0]["ret"]
    row = [r for r in _run(api, "/ip/firewall/filter/print") if r[".id"] == copy][0]
    assert (row["chain"], row["protocol"], row["in-interface"], row["comment"]) == ("input", "tcp", "all-ethernet", "web")
    assert _run(api, "/ip/firewall/filter/find")[0]["ret"] == "%s;%s" % (rule, copy)
    _run(api, "/ip/firewall/filter/reset", numbers=copy, comment="")
    assert "comment" not in [r for r in _run(api, "/ip/firewall/filter/print") if r[".id"] == copy][0]
    _run(api, "/ip/firewall/filter/reset-counters", numbers=rule)
    _run(api, "/tool/netwatch/add", host="10.0.0.9", type="icmp", **{"thr-avg": "100ms", "packet-count": "5"})
    _run(api, "/interface/ethernet/set", numbers="ether1", **{"rx-flow-control": "on", "mdix-enable": "no"})
    _run(api, "/ip/address/add", address="127.0.0.2/8", interface="lo")
    assert _run(api, "/system/identity/get", **{"value-name": "name"})[0]["ret"] == lab_router.router.identity()


def test_the_console_refuses_unknown_arguments_on_every_command():
    router = Router(interfaces=["ether1"])
    assert run_script(router, "/ip firewall filter add chain=forward\n/ip firewall filter remove 0 bogus=1") == \
        "expected end of command (line 2 column 30)\n"
    assert run_script(router, "/ip firewall filter print bogus") == "expected end of command (line 1 column 27)\n"
    assert run_script(router, "/ip firewall nat add chain=srcnat connection-state=new") == \
        "expected end of command (line 1 column 35)\n"
    assert run_script(router, "/interface list enable all") == "bad command name enable (line 1 column 17)\n"
    assert run_script(router, "/ip firewall filter reset-counters 5") == "no such item\n"
    # refused before anything ran, as a script with a syntax error is
    assert router.rows("/ip/firewall/filter") == []


def test_console_export_where_selects_entries():
    router = Router(interfaces=["ether1"])
    out = run_script(router, "/ip firewall nat add chain=srcnat action=masquerade\n"
                             "/ip firewall nat add chain=dstnat action=accept\n"
                             "/ip firewall nat export terse where chain=srcnat")
    assert out.splitlines()[-1] == "/ip firewall nat add action=masquerade chain=srcnat"


def test_fidelity_report_meets_its_goals(capsys):
    assert _script("fidelity").main(["--reference", REFERENCE]) == 0
    out = capsys.readouterr().out
    assert "invented: 0 arguments, 0 values, 0 commands; commands taking unknown arguments: 0" in out


def test_values_come_from_the_7_22_3_tree_for_7_19_arguments():
    with open(os.path.join(REFERENCE, "deep-inspect-7.22.3.json"), encoding="utf-8") as handle:
        deep = json.load(handle)
    offered = deep["ip"]["route"]["add"]["check-gateway"]["_completion"]
    assert menus.MENUS["/ip/route"]["fields"]["check-gateway"]["choices"] == tuple(offered)
