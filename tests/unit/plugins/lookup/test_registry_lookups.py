# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The intent and phases lookups: what they select from the registry, and both through the real ansible-playbook."""

import json
import os
import subprocess
import sys

import pytest

from ansible_collections.multiwan.routeros.plugins.lookup.intent import intent_names
from ansible_collections.multiwan.routeros.plugins.lookup.phases import select

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))


def test_the_hosts_kind_follows_its_group_and_a_roles_kind_the_registry():
    assert intent_names(group_names=["multiwan_edge"]) == ("multiwan_names", "multiwan_fasttrack", "multiwan_conntrack",
                                                           "multiwan_edge", "multiwan_port_forwards", "multiwan_commit_confirm")
    assert intent_names(group_names=["multiwan_core"])[0] == "multiwan_wans"
    assert intent_names(role="routing_tables", group_names=["multiwan_edge"])[0] == "multiwan_wans"
    assert intent_names(role="fasttrack_tuning") == ("multiwan_fasttrack", "multiwan_conntrack", "multiwan_commit_confirm")
    assert intent_names(kind="edge", cross_checked=True)[-1] == "multiwan_wans"


def test_bad_selections_fail_clearly():
    with pytest.raises(ValueError, match="role or kind, not both"):
        intent_names(kind="core", role="routing_tables")
    with pytest.raises(ValueError, match="unknown role 'nope'"):
        intent_names(role="nope")
    with pytest.raises(ValueError, match="reconciling needs kind"):
        select(reconciling=True)
    with pytest.raises(ValueError, match="phase names or the options"):
        select(["20_routing_tables"], kind="core")
    with pytest.raises(ValueError, match="unknown phase '20_routing'"):
        select(["20_routing"])


def test_phases_by_name_by_kind_and_reconciling():
    assert [phase["name"] for phase in select(["80_validation", "20_routing_tables"])] == ["80_validation", "20_routing_tables"]
    assert [phase["name"] for phase in select(kind="edge")] == ["00_backup", "40_edge_port_forwards", "80_validation"]
    assert [phase["role"] for phase in select(kind="edge", reconciling=True)] == ["port_forward_nosrcnat"]
    assert len(select()) == 10


PLAY = """---
- name: The registry lookups in a play
  hosts: all
  connection: local
  gather_facts: false
  vars:
    edge_settings: {wan: "1012"}
  tasks:
    - name: Print what the lookups return
      ansible.builtin.debug:
        msg: "{{ {'host': lookup('multiwan.routeros.intent'),
                         'checked': lookup('multiwan.routeros.intent', cross_checked=true) | list,
                         'fasttrack': lookup('multiwan.routeros.intent', role='fasttrack_tuning'),
                         'phase': lookup('multiwan.routeros.phases', '20_routing_tables').title,
                         'roles': query('multiwan.routeros.phases', kind='core', reconciling=true) | map(attribute='role') | list} }}"
"""

INVENTORY = """---
all:
  children:
    multiwan_edge:
      hosts:
        edge:
          multiwan_edge: "{{ edge_settings }}"
          multiwan_wans: [{name: "1012"}]
          multiwan_fasttrack: {enabled: true}
          multiwan_sites: []
          multiwan_api_port: 8729
"""


def test_the_lookups_resolve_by_fqcn_and_template_the_inventorys_values(tmp_path):
    (tmp_path / "play.yml").write_text(PLAY)
    (tmp_path / "hosts.yml").write_text(INVENTORY)
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1", ANSIBLE_STDOUT_CALLBACK="ansible.builtin.json",
               ANSIBLE_LOCAL_TEMP=str(tmp_path / ".tmp"))
    result = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", str(tmp_path / "hosts.yml"),
                             str(tmp_path / "play.yml")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    printed = json.loads(result.stdout)["plays"][0]["tasks"][0]["hosts"]["edge"]["msg"]
    assert printed == {
        "host": {"multiwan_edge": {"wan": "1012"}, "multiwan_fasttrack": {"enabled": True}},
        "checked": ["multiwan_fasttrack", "multiwan_edge", "multiwan_wans"],
        "fasttrack": {"multiwan_fasttrack": {"enabled": True}},
        "phase": "Routing tables with failover routes on the core",
        "roles": ["wan_interfaces", "routing_tables", "connection_marks", "site_policy", "fasttrack_tuning"],
    }
