# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unknown multiwan_* variables are refused with a suggestion, and the table of known names cannot drift."""

import os
import re

import pytest

from multiwan_samples import core, edge

from ansible_collections.multiwan.routeros.plugins.module_utils.intent import names
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import IntentError, core_intent, intent_errors

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", ".."))
# Inventory group names share the prefix, but no play reads them as variables; multiwan_site is the
# misspelling the documentation shows.
NOT_VARIABLES = {"multiwan_core", "multiwan_edge", "multiwan_site"}


def test_a_misspelt_intent_variable_is_refused_with_a_suggestion():
    data = core()
    data["multiwan_site"] = data.pop("multiwan_sites")
    assert intent_errors(data, "core") == ["multiwan_site: unknown variable; did you mean multiwan_sites?"]
    with pytest.raises(IntentError):
        core_intent(data)


@pytest.mark.parametrize("kind,sample,typo,suggestion", [
    ("core", core, "multiwan_wan", "multiwan_wans"),
    ("core", core, "multiwan_fastrack", "multiwan_fasttrack"),
    ("core", core, "multiwan_loadbalancing", "multiwan_load_balancing"),
    ("core", core, "multiwan_api_prot", "multiwan_api_port"),
    ("edge", edge, "multiwan_port_forward", "multiwan_port_forwards"),
    ("edge", edge, "multiwan_edges", "multiwan_edge"),
    ("edge", edge, "multiwan_validate_cert", "multiwan_validate_certs"),
])
def test_every_variable_name_of_the_host_is_checked(kind, sample, typo, suggestion):
    variables = sorted(sample()) + [typo, "multiwan_transport", "multiwan_api_port", "ansible_host"]
    assert intent_errors(sample(), kind, variables=variables) == ["%s: unknown variable; did you mean %s?" % (typo, suggestion)]


def test_an_unknown_variable_without_a_close_name_points_at_the_reference():
    errors = intent_errors(core(), "core", variables=["multiwan_zzz_qqq"])
    assert errors == ["multiwan_zzz_qqq: unknown variable; the collection's variables are listed in docs/intent.md"]


def test_unknown_variables_come_first_and_with_every_other_violation():
    data = core(multiwan_internal_networks=["10.11.1.0/16"])
    errors = intent_errors(data, "core", variables=["multiwan_sitez", "multiwan_interal_networks"])
    assert errors[:2] == ["multiwan_interal_networks: unknown variable; did you mean multiwan_internal_networks?",
                          "multiwan_sitez: unknown variable; did you mean multiwan_sites?"]
    assert any(e.startswith("multiwan_internal_networks[0]: ") for e in errors[2:]), errors


def test_settings_run_control_and_reserved_intent_names_are_known():
    variables = ["multiwan_transport", "multiwan_api_port", "multiwan_api_tls", "multiwan_validate_certs", "multiwan_ca_path",
                 "multiwan_host_key_checking", "multiwan_known_hosts", "multiwan_summary_dir", "multiwan_backup_hosts",
                 "multiwan_validation_hosts", "multiwan_phase_summary",
                 "multiwan_policies", "multiwan_monitoring", "multiwan_snmp", "multiwan_commit_confirm"]
    assert intent_errors(core(), "core", variables=variables) == []
    assert intent_errors(edge(), "edge", variables=variables + ["multiwan_wans"]) == []


def test_internal_names_are_never_suggested():
    assert names.closest("multiwan_intent_kinds") is None
    assert names.closest("multiwan_pending_plans") is None


def _names_in(folder):
    found = {}
    for base, _dirs, files in os.walk(os.path.join(ROOT, folder)):
        for filename in files:
            if not filename.endswith((".yml", ".yaml", ".md", ".j2", ".py")):
                continue
            path = os.path.join(base, filename)
            with open(path, encoding="utf-8") as handle:
                for name in re.findall(r"\bmultiwan_\w+", handle.read()):
                    found.setdefault(name, os.path.relpath(path, ROOT))
    return found


@pytest.mark.parametrize("folder", ["playbooks", "roles", "inventory", "extensions", "docs", "plugins", "awx"])
def test_every_multiwan_name_the_repository_uses_is_in_the_table(folder):
    """Set_fact, register and task-vars names of the playbooks, settings of the inventories and names in
    the documentation: a name missing from the table would be refused as a typo on the next run."""
    unknown = dict((name, where) for name, where in _names_in(folder).items() if name not in NOT_VARIABLES and not names.is_known(name))
    assert unknown == {}


def test_the_drift_check_sees_the_playbooks_internal_names():
    found = _names_in("playbooks")
    for name in ("multiwan_validate_problems", "multiwan_cleanup_roles", "multiwan_phase_summary", "multiwan_failover_read"):
        assert name in found
