"""The published configuration scripts (the PCC and sticky-NTH load-balancing examples, the policy-routing guide)
load through the same interpreter as --init (copied into tests/lab/data)."""

import os
import re

import pytest

from routeros_lab import Router
from routeros_lab.cli import ScriptError, run_script

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def _text(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as handle:
        return handle.read()


def test_pcc_example_in_v7_form_loads_and_gives_the_expected_state():
    router = Router(interfaces=["Wan1", "Wan2", "bridge"])
    assert run_script(router, _text("pcc_example_v7.rsc"), check=True) == ""
    assert [r["address"] for r in router.rows("/ip/address")] == ["192.168.88.1/24", "192.168.30.2/24", "192.168.42.2/24"]
    mangle = router.rows("/ip/firewall/mangle")
    assert len(mangle) == 10
    pcc = [r["per-connection-classifier"] for r in mangle if "per-connection-classifier" in r]
    assert pcc == ["both-addresses-and-ports:2/0", "both-addresses-and-ports:2/1"]
    assert [r["new-routing-mark"] for r in mangle if r["action"] == "mark-routing"] == ["to_Wan1", "to_Wan2"] * 2
    assert [r["out-interface"] for r in router.rows("/ip/firewall/nat")] == ["Wan1", "Wan2"]


def test_pcc_example_without_routing_tables_fails_like_routeros_7():
    text = _text("pcc_example_v7.rsc").replace("/routing table\nadd name=to_Wan1 fib\nadd name=to_Wan2 fib\n", "")
    router = Router(interfaces=["Wan1", "Wan2", "bridge"])
    with pytest.raises(ScriptError) as err:
        run_script(router, text, check=True)
    assert err.value.text == "input does not match any value of new-routing-mark"
    # an import is not transactional: the lines before the failing one stay applied
    assert len(router.rows("/ip/firewall/mangle")) == 6


def test_pcc_example_as_published_stops_at_the_stray_space():
    router = Router(interfaces=["Wan1", "Wan2", "bridge"])
    output = run_script(router, _text("pcc_example.rsc"))
    assert output == "expected end of command (line 5 column 14)\n"
    assert router.rows("/ip/address") == []


def test_nth_example_v6_export_is_rejected_before_any_change():
    router = Router(interfaces=["Local", "wlan1", "wlan2"])
    # /ip address keeps broadcast= in RouterOS 7 (its 7.19 tree); v6 routes carry routing-mark=, which
    # RouterOS 7 replaced with routing-table= and rejects
    assert run_script(router, _text("nth_example_v6.rsc")) == "expected end of command (line 30 column 72)\n"
    assert router.rows("/ip/address") == []
    assert router.rows("/ip/firewall/mangle") == []


def test_nth_example_translated_to_v7_loads():
    text = re.sub(r" broadcast=\S+", "", _text("nth_example_v6.rsc"))
    text = re.sub(r"(target-scope=10) routing-mark=", r"\1 routing-table=", text)
    text = "/routing table add name=odd fib\n/routing table add name=even fib\n" + text
    router = Router(interfaces=["Local", "wlan1", "wlan2"])
    assert run_script(router, text, check=True) == ""
    routes = [r for r in router.rows("/ip/route") if r.get("static") == "true"]
    assert sorted(r["routing-table"] for r in routes) == ["even", "main", "odd"]
    nth = [r["nth"] for r in router.rows("/ip/firewall/mangle") if "nth" in r]
    assert nth == ["2,1", "2,2"]


def test_guide_blocks_load_with_variables_and_loops(lab_router_factory):
    lab = lab_router_factory(init=_text("guide_v7.rsc"))
    router = lab.router
    assert [r["name"] for r in router.rows("/routing/table")] == ["main", "putio-route"]
    lists = {(r["list"], r["address"]) for r in router.rows("/ip/firewall/address-list")}
    assert ("netflix", "198.45.0.0/16") in lists and ("putio", "sketchy-streaming-site.com") in lists
    marks = [r.get("new-connection-mark") for r in router.rows("/ip/firewall/mangle")]
    assert marks == ["putio-conn", None, "netflix-conn"]
    assert [r["action"] for r in router.rows("/ip/firewall/raw")] == ["notrack"]
