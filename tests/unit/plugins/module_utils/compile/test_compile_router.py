# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A router's intent compiled once (the compile module's fact): every role as desired_state gives it, the digest that
tells whether the fact is still the intent's, and the design summary phases 60 and 80 judge."""

import copy
import json

import pytest

from multiwan_samples import core, edge

from ansible_collections.multiwan.routeros.plugins.module_utils.compile import dispatch
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import IntentError
from ansible_collections.multiwan.routeros.plugins.module_utils import verify
from ansible_collections.multiwan.routeros.plugins.module_utils.runs import COMPILED_FACT, run_compile


@pytest.mark.parametrize("kind,intent,roles", [("core", core(), dispatch.CORE_ROLES), ("edge", edge(), dispatch.EDGE_ROLES)])
def test_every_role_is_compiled_as_the_filter_compiles_it(kind, intent, roles):
    compiled = dispatch.compile_router(intent, kind)
    assert compiled["kind"] == kind and sorted(compiled["desired"]) == sorted(roles)
    for role in roles:
        assert compiled["desired"][role] == dispatch.desired_state(dispatch.role_intent(intent, role), role)


def test_the_digest_follows_the_values_not_the_order():
    intent = core()
    reordered = dict(reversed(list(copy.deepcopy(intent).items())))
    assert dispatch.digest(intent) == dispatch.digest(reordered)
    changed = core()
    changed["multiwan_sites"][0]["wan"] = "1000"
    assert dispatch.digest(intent) != dispatch.digest(changed)


def test_invalid_intent_compiles_nothing():
    bad = core()
    bad["multiwan_sites"][0]["wan"] = "9999"
    with pytest.raises(IntentError):
        dispatch.compile_router(bad, "core")


def test_the_design_of_the_core():
    design = dispatch.compile_router(core(), "core")["design"]
    assert design["routing_marks"] == ["InternetVia1000", "InternetVia1005", "InternetVia1012"]
    assert set(design["routing_marks"]) <= set(design["tables"]) and design["tables"][0] == "main"
    assert design["fasttrack_marks"] == ["no-mark"] and design["problems"] == []
    chains = [(route["routing-table"], route["gateway"]) for route in design["failover"]]
    assert ("InternetVia1012", "10.10.2.1") in chains and all(table != "main" for table, _gw in chains)
    assert all(set(route) <= {"_key", "routing-table", "gateway", "distance", "check-gateway"} for route in design["failover"])


def test_the_design_of_an_edge_names_its_masquerade_out_interfaces():
    design = dispatch.compile_router(edge(), "edge")["design"]
    assert design["masquerade_out"] and set(design["masquerade_out"]) == {edge()["multiwan_edge"]["internet_interface"]}
    assert design["routing_marks"] == [] and design["failover"] == []


def test_the_compile_module_sets_the_fact_or_names_every_problem():
    result = run_compile({"intent": core(), "kind": "core", "variables": ["multiwan_wans", "multiwan_sites"]})
    assert not result.get("failed") and result["ansible_facts"][COMPILED_FACT]["digest"] == dispatch.digest(core())
    assert result["entries"]["site_policy"] > 0 and "The core intent is valid" in result["msg"]
    # Compiled once with the validation's own intent: the same desired states and probes as compiled from scratch.
    # Phase 75 run alone (no gate said which roles left removals waiting) runs every role again, the latest first.
    assert result["ansible_facts"]["multiwan_cleanup_roles"] == [
        "fasttrack_tuning", "site_policy", "connection_marks", "routing_tables", "wan_interfaces"]
    fact = result["ansible_facts"][COMPILED_FACT]
    # Each role's desired state as JSON text (module_utils/packed.py).
    assert dict((role, json.loads(text)) for role, text in fact["desired"].items()) == dispatch.compile_router(core(), "core")["desired"]
    assert verify.plan_from_dict(fact["probes"]) == verify.core_plan(core())
    edge_fact = run_compile({"intent": edge(), "kind": "edge", "variables": []})["ansible_facts"][COMPILED_FACT]
    assert verify.plan_from_dict(edge_fact["probes"]) == verify.edge_plan(edge())
    bad = core()
    bad["multiwan_sites"][0]["wan"] = "9999"
    result = run_compile({"intent": bad, "kind": "core", "variables": ["multiwan_site"]})
    assert result["failed"] and "no router was contacted" in result["msg"]
    assert any(problem.startswith("multiwan_sites[0].wan") for problem in result["problems"])
    assert any("multiwan_site" in problem for problem in result["problems"])
    assert run_compile({"intent": None, "kind": None, "variables": None})["failed"]


def test_what_is_wrong_with_a_design_is_named():
    core_design = {"routing_marks": ["A", "B"], "tables": ["main", "A"], "fasttrack_marks": ["no-mark", "", "X"],
                   "masquerade_out": ["ether9"]}
    assert dispatch.design_problems(core_design, "core") == [
        "routing mark B has no routing table",
        "a FastTrack rule is limited to connection-mark=(none) instead of connection-mark=no-mark",
        "a FastTrack rule is limited to connection-mark=X instead of connection-mark=no-mark"]
    edge_design = dict(core_design, masquerade_out=["ether1", "", "sfp1"])
    assert dispatch.design_problems(edge_design, "edge", "ether1") == [
        "a managed masquerade rule goes out of (any interface), not only ether1",
        "a managed masquerade rule goes out of sfp1, not only ether1"]
    assert dispatch.compile_router(edge(), "edge")["design"]["problems"] == []


def test_a_pppoe_wan_requires_its_client_on_the_router_named_with_its_variable():
    assert dispatch.compile_router(core(), "core")["required"] == {}
    data = core()
    data["multiwan_wans"][2] = {"name": "1005", "interface": "pppoe-out1", "gateway_from": "pppoe"}
    required = dispatch.compile_router(data, "core")["required"]
    assert list(required) == ["wan_interfaces"]
    (client,) = required["wan_interfaces"]["/interface/pppoe-client"]
    assert client["name"] == "pppoe-out1"
    assert client["_why"].startswith("multiwan_wans[2].interface: pppoe-out1 is not a PPPoE client of this router")
    validated = dispatch.validated(dispatch.role_intent(data, "wan_interfaces"), "wan_interfaces")
    assert dispatch.extras_of(validated, "wan_interfaces") == {"required": required["wan_interfaces"], "adopted": []}
    assert dispatch.extras_of(validated, "site_policy") == {"required": {}, "adopted": []}


def test_a_dhcp_wan_has_its_client_taken_over():
    assert dispatch.compile_router(core(), "core")["adopted"] == {}
    data = core()
    data["multiwan_wans"][1] = {"name": "1000", "interface": "VLAN3000", "gateway_from": "dhcp"}
    assert dispatch.compile_router(data, "core")["adopted"] == {"routing_tables": ["/ip/dhcp-client"]}
