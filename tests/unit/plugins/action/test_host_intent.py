# -*- coding: utf-8 -*-
"""The host's intent as the action plugins read it: templated only where it holds a template, the compiled fact reused
while the intent is unchanged, extra entries added path by path.

Runs through ansible-playbook against the lab router are in tests/functional/test_playbooks_rollout.py.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.multiwan.routeros.plugins.module_utils.compile import dispatch
from ansible_collections.multiwan.routeros.plugins.module_utils.runs import COMPILED_FACT
from ansible_collections.multiwan.routeros.plugins.plugin_utils import host_intent

WANS = [{"name": "1012", "interface": "VLAN3002", "gateway": "10.10.2.1"}]
SITES = [{"name": "school", "networks": ["10.11.2.0/24"], "wan": "1012"}]


class Templar(object):
    """Stands for Ansible's templar: ``{{ x }}`` is a template, rendered as ``rendered``; counts its calls."""

    def __init__(self):
        self.templated = []

    @staticmethod
    def is_template(value):
        return "{{" in value

    def template(self, value):
        self.templated.append(value)
        return "rendered"


def test_only_values_holding_a_template_are_templated():
    templar = Templar()
    task_vars = {"multiwan_wans": WANS, "multiwan_sites": [{"name": "{{ x }}"}], "other": "{{ y }}"}
    got = host_intent.collect(task_vars, templar, ["multiwan_wans", "multiwan_sites", "multiwan_unset"])
    assert got == {"multiwan_wans": WANS, "multiwan_sites": "rendered"}
    assert templar.templated == [[{"name": "{{ x }}"}]]


def test_a_template_is_found_in_keys_and_nested_lists():
    assert host_intent.has_template({"{{ k }}": 1}, Templar.is_template)
    assert host_intent.has_template([[{"a": ("b", "{{ c }}")}]], Templar.is_template)
    assert not host_intent.has_template([{"a": "{ not a template }"}, 3, None], Templar.is_template)


def _task_vars(**extra):
    task_vars = {"group_names": ["multiwan_core"], "multiwan_wans": WANS, "multiwan_internal_networks": ["10.11.0.0/16"],
                 "multiwan_sites": SITES}
    task_vars.update(extra)
    return task_vars


def test_the_fact_is_reused_while_the_intent_has_its_digest():
    task_vars = _task_vars()
    intent = host_intent.host_intent(task_vars, Templar())
    marker = {"/ip/firewall/mangle": [{"_key": "from-the-fact"}]}
    required = {"/interface/pppoe-client": [{"name": "from-the-fact"}]}
    fact = {"kind": "core", "digest": dispatch.digest(intent), "desired": {"site_policy": marker, "wan_interfaces": {}},
            "required": {"wan_interfaces": required}, "adopted": {"wan_interfaces": ["/ip/dhcp-client"]}}
    assert host_intent.desired_for(_task_vars(**{COMPILED_FACT: fact}), Templar(), "site_policy") == (
        marker, {"required": {}, "adopted": []})
    assert host_intent.desired_for(_task_vars(**{COMPILED_FACT: fact}), Templar(), "wan_interfaces") == (
        {}, {"required": required, "adopted": ["/ip/dhcp-client"]})
    # A site changed since the fact was compiled: compiled again, from the intent as it is now.
    moved = [dict(SITES[0], networks=["10.11.3.0/24"])]
    fresh, extras = host_intent.desired_for(_task_vars(multiwan_sites=moved, **{COMPILED_FACT: fact}), Templar(), "site_policy")
    assert fresh == dispatch.desired_state(dispatch.role_intent(dict(intent, multiwan_sites=moved), "site_policy"), "site_policy")
    assert fresh != marker and extras == {"required": {}, "adopted": []}


def test_extra_entries_are_added_path_by_path():
    compiled = {"/ip/firewall/nat": [{"_key": "a"}], "/ip/route": []}
    merged = host_intent.with_entries(compiled, {"/ip/firewall/nat": [{"_key": "b"}], "/ip/address": [{"_key": "c"}]})
    assert merged == {"/ip/firewall/nat": [{"_key": "a"}, {"_key": "b"}], "/ip/route": [], "/ip/address": [{"_key": "c"}]}
    assert compiled == {"/ip/firewall/nat": [{"_key": "a"}], "/ip/route": []}
    assert host_intent.with_entries(compiled, {}) is compiled
