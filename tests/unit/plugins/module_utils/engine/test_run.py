# -*- coding: utf-8 -*-
"""The reviewer's view of a plan (per-entry diffs), and what a run requires on the router."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.multiwan.routeros.plugins.module_utils.engine.operation import Operation
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.device.run import missing_required
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.report import diff_of
from ansible_collections.multiwan.routeros.plugins.module_utils.runs import require_failure

MANGLE = "/ip/firewall/mangle"


def test_booleans_read_the_same_on_add_and_on_remove():
    add = Operation("add", MANGLE, "a", after={"chain": "prerouting", "action": "mark-connection", "passthrough": "yes"})
    remove = Operation("remove", MANGLE, "a", id="*2",
                       before={"chain": "prerouting", "action": "mark-connection", "passthrough": "true", "disabled": "false"})
    diffs = diff_of([add, remove])
    assert "passthrough=yes\n" in diffs[0]["after"]
    assert "passthrough=yes\n" in diffs[1]["before"] and "disabled=no\n" in diffs[1]["before"]


def test_a_required_entry_matches_any_row_of_its_path_whoever_owns_it():
    actual = {"/interface/pppoe-client": [{".id": "*1", "name": "pppoe-out1", "interface": "VLAN3003"}]}
    assert missing_required(actual, {"/interface/pppoe-client": [{"name": "pppoe-out1", "_why": "x"}]}) == []
    assert missing_required(actual, {"/interface/pppoe-client": [
        {"name": "pppoe-out2", "_why": "multiwan_wans[3].interface: pppoe-out2 is not a PPPoE client"},
        {"name": "pppoe-out1", "interface": "VLAN3000"}]}) == [
        "multiwan_wans[3].interface: pppoe-out2 is not a PPPoE client",
        "/interface/pppoe-client: no entry interface=VLAN3000 name=pppoe-out1 on the router"]
    assert missing_required({}, {"/interface/pppoe-client": [{"name": "a", "_why": "w"}]}) == ["w"]


def test_a_required_entry_compares_as_the_plan_does_and_names_only_fields_every_transport_reads():
    actual = {"/interface/pppoe-client": [{".id": "*1", "name": "pppoe-out1", "disabled": "no"}]}
    assert missing_required(actual, {"/interface/pppoe-client": [{"name": "pppoe-out1", "disabled": False}]}) == []
    assert missing_required(actual, {"/interface/pppoe-client": [{"name": "pppoe-out1", "disabled": True}]}) != []
    refused = require_failure({"/interface/pppoe-client": [{"name": "pppoe-out1", "user": "isp"}]})
    assert refused["failed"] and "require[/interface/pppoe-client]: user is not a field of that menu" in refused["msg"]
    assert require_failure({"/interface/pppoe-client": [{"name": "pppoe-out1", "_why": "w"}]}) is None
    assert require_failure({"/interface/pppoe-client": {"name": "x"}})["failed"]
