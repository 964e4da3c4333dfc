# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The desired_state, intent_errors and transit_srcnat_offenders filters, through their FilterModule."""

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from multiwan_samples import core, edge

from ansible_collections.multiwan.routeros.plugins.filter import desired_state as desired_state_plugin
from ansible_collections.multiwan.routeros.plugins.filter import intent_errors as intent_errors_plugin
from ansible_collections.multiwan.routeros.plugins.filter import transit_srcnat_offenders as offenders_plugin
from ansible_collections.multiwan.routeros.plugins.module_utils import registry

desired_state = desired_state_plugin.FilterModule().filters()["desired_state"]
intent_errors = intent_errors_plugin.FilterModule().filters()["intent_errors"]
transit_srcnat_offenders = offenders_plugin.FilterModule().filters()["transit_srcnat_offenders"]


@pytest.mark.parametrize("role,paths", [
    ("wan_interfaces", ["/interface/vlan", "/ip/address", "/interface/list", "/interface/list/member", "/ip/firewall/address-list",
                        "/ip/firewall/nat"]),
    ("routing_tables", ["/routing/table", "/ip/route", "/routing/rule", "/ip/dhcp-client"]),
    ("connection_marks", ["/ip/firewall/mangle"]),
    ("site_policy", ["/ip/firewall/address-list", "/ip/firewall/mangle"]),
    ("fasttrack_tuning", ["/ip/firewall/filter", "/ip/firewall/connection/tracking"]),
])
def test_desired_state_per_core_role(role, paths):
    assert sorted(desired_state(core(), role)) == sorted(paths)


def test_desired_state_keeps_every_owned_path_when_the_intent_empties_it():
    # The last site, forward or masquerade removed from the intent must still be reconciled
    # (removed): its path stays in the desired state as an empty list.
    without_sites = desired_state(core(multiwan_sites=[]), "site_policy")
    assert without_sites["/ip/firewall/address-list"] == []
    assert without_sites["/ip/firewall/mangle"] == []
    without_fasttrack = desired_state(core(multiwan_fasttrack={"enabled": False}), "fasttrack_tuning")
    assert without_fasttrack["/ip/firewall/filter"] == []
    assert desired_state(core(), "wan_interfaces")["/ip/firewall/nat"] == []


def test_desired_state_for_the_edge():
    desired = desired_state(edge(), "port_forward_nosrcnat")
    assert sorted(desired) == ["/ip/firewall/address-list", "/ip/firewall/nat", "/ip/route"]
    assert desired_state(edge(), "fasttrack_tuning")["/ip/firewall/filter"][0]["connection-mark"] == "no-mark"


def test_desired_state_lists_every_violation():
    data = core()
    data["multiwan_sites"][0]["wan"] = "1013"
    data["multiwan_wans"][1]["distance"] = 0
    with pytest.raises(AnsibleFilterError) as raised:
        desired_state(data, "routing_tables")
    message = str(raised.value)
    assert "desired_state(routing_tables): invalid multiwan intent (2 problems)" in message
    assert "multiwan_sites[0].wan: unknown WAN '1013'" in message
    assert "multiwan_wans[1].distance: must be a whole number from 1 to 255" in message


def test_desired_state_rejects_unknown_roles_and_bad_input():
    with pytest.raises(AnsibleFilterError, match="unknown role 'backup'"):
        desired_state(core(), "backup")
    with pytest.raises(AnsibleFilterError, match="must be a mapping"):
        desired_state(["multiwan_wans"], "routing_tables")


def test_fasttrack_role_does_not_need_core_variables():
    assert "/ip/firewall/filter" in desired_state({}, "fasttrack_tuning")


def test_intent_errors_filter():
    assert intent_errors(core(), "core") == []
    assert intent_errors(edge(), "edge") == []
    assert intent_errors({}, "edge")[0].startswith("multiwan_edge: is required")
    with pytest.raises(AnsibleFilterError, match="kind must be core or edge"):
        intent_errors(core(), "common")


def test_intent_errors_filter_checks_every_variable_name_of_the_host():
    names = ["multiwan_wans", "multiwan_site", "multiwan_transport"]
    assert intent_errors(core(), "core", variables=names) == ["multiwan_site: unknown variable; did you mean multiwan_sites?"]
    with pytest.raises(AnsibleFilterError, match="variables must be a list of variable names"):
        intent_errors(core(), "core", variables="multiwan_site")


def test_transit_srcnat_offenders_filter():
    rows = [{".id": "*1", "chain": "srcnat", "action": "masquerade"},
            {".id": "*2", "chain": "srcnat", "action": "masquerade", "out-interface": "ether1"}]
    found = transit_srcnat_offenders(rows, edge()["multiwan_edge"])
    assert [f["id"] for f in found] == ["*1"]
    assert found[0]["entry"]["disabled"] is True
    with pytest.raises(AnsibleFilterError, match="transit_interface"):
        transit_srcnat_offenders(rows, {"wan": "1012"})
    with pytest.raises(AnsibleFilterError, match="list of /ip/firewall/nat rows"):
        transit_srcnat_offenders("rows", edge()["multiwan_edge"])


def test_filters_resolve_by_fqcn_in_ansible(tmp_path):
    import json
    import os
    import subprocess
    import sys

    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
    intent = tmp_path / "intent.json"
    intent.write_text(json.dumps(core()))
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(root, "ansible.cfg"), ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
               ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_STDOUT_CALLBACK="default", ANSIBLE_LOAD_CALLBACK_PLUGINS="false")
    expression = ("{{ (lookup('file', '%s') | from_json | multiwan.routeros.desired_state('connection_marks'))"
                  "['/ip/firewall/mangle'] | map(attribute='new-routing-mark') | select('defined') | list }}" % intent)
    result = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible"), "localhost", "-i", "localhost,",
                             "-c", "local", "-m", "ansible.builtin.debug", "-a", "msg=%s" % expression],
                            cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "InternetVia1012" in result.stdout and "InternetVia1005" in result.stdout


def test_the_desired_state_filter_documents_the_registry_roles():
    documented = yaml.safe_load(desired_state_plugin.DOCUMENTATION)["options"]["role"]["choices"]
    assert sorted(documented) == sorted(role.name for role in registry.compiled_roles())
