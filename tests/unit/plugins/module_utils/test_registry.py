# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The registry agrees with the files Ansible needs by name: the phase playbooks, core.yml/edge.yml, the roles,
the compiler modules, the filter's documented choices and the table of known variable names."""

import os

import pytest
import yaml

from ansible_collections.multiwan.routeros.plugins.module_utils import registry
from ansible_collections.multiwan.routeros.plugins.module_utils.compile import dispatch
from ansible_collections.multiwan.routeros.plugins.module_utils.intent import names

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", ".."))
PLAYBOOKS = os.path.join(ROOT, "playbooks")
# compile/ modules that are not a role's compiler.
COMPILE_HELPERS = {"__init__", "common", "dispatch", "ranks", "transit_srcnat"}


def _yaml(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.mark.parametrize("phase", registry.PHASES, ids=lambda phase: phase.name)
def test_every_phase_playbook_is_a_thin_wrapper_of_phase_yml(phase):
    plays = _yaml("playbooks", phase.file)
    assert plays == [{"name": "Phase %02d | %s" % (phase.number, phase.title),
                      "ansible.builtin.import_playbook": "phase.yml",
                      "vars": {"multiwan_phase": phase.name}}]


def test_every_numbered_playbook_is_a_phase_of_the_registry():
    numbered = sorted(name for name in os.listdir(PLAYBOOKS) if name[:1].isdigit())
    assert numbered == sorted(phase.file for phase in registry.PHASES)


def rollout_task(phase):
    """How core.yml and edge.yml run ``phase``: its role (its reconcile also its gate when the registry says so), or
    its rollout tasks file, else its tasks file, named as its playbook."""
    task = {"name": "Phase %02d | %s" % (phase.number, phase.title)}
    if phase.role is not None:
        task["ansible.builtin.import_role"] = {"name": "multiwan.routeros.%s" % phase.role, "rolespec_validate": False}
        task["vars"] = {"multiwan_phase": phase.name}
        if phase.gate:
            task["module_defaults"] = {"multiwan.routeros.config": {"gate": phase.name}}
    else:
        task["ansible.builtin.import_tasks"] = "tasks/%s.yml" % (phase.rollout_tasks or phase.tasks)
        task["vars"] = {"multiwan_phase": phase.name}
    return task


@pytest.mark.parametrize("kind,playbook", [(registry.CORE, "core.yml"), (registry.EDGE, "edge.yml")])
def test_the_rollouts_run_their_kinds_phases_in_registry_order(kind, playbook):
    """One play runs every phase of the kind, as the registry says (tasks/phase.yml does it by lookup for a phase run
    alone; the rollouts name each phase's role or tasks file)."""
    plays = [play for play in _yaml("playbooks", playbook) if any(
        str(task.get("name", "")).startswith("Phase ") for task in play.get("tasks", []))]
    assert len(plays) == 1
    assert plays[0]["tasks"] == [rollout_task(phase) for phase in registry.phases(kind)]


def test_phases_are_ordered_and_each_runs_a_known_role_or_an_existing_tasks_file():
    numbers = [phase.number for phase in registry.PHASES]
    assert numbers == sorted(set(numbers))
    for phase in registry.PHASES:
        assert (phase.role is None) != (phase.tasks is None), phase.name
        if phase.role is not None:
            assert registry.role(phase.role).name == phase.role and phase.rollout_tasks is None
        else:
            assert os.path.isfile(os.path.join(PLAYBOOKS, "tasks", phase.tasks + ".yml")), phase.name
        if phase.rollout_tasks is not None:
            assert os.path.isfile(os.path.join(PLAYBOOKS, "tasks", phase.rollout_tasks + ".yml")), phase.name
        # A gate reads back what the phase's role reconciled: only a compiled role has something to read back.
        assert not phase.gate or (phase.role is not None and registry.role(phase.role).compiled and phase.lock), phase.name
        assert set(phase.kinds) <= set(registry.ROUTER_KINDS)
        assert set(phase.hosts.split(":")) <= set(registry.GROUPS.values())


def test_every_role_of_the_registry_exists_and_every_role_is_in_it():
    assert sorted(os.listdir(os.path.join(ROOT, "roles"))) == sorted(role.name for role in registry.ROLES)
    for role in registry.ROLES:
        assert os.path.isfile(os.path.join(ROOT, "roles", role.name, "tasks", "main.yml")), role.name
        assert role.kind in registry.INTENT_VARIABLES
        assert bool(role.paths) == role.compiled, role.name


def test_every_compiled_role_has_its_compiler_module_and_every_compiler_module_a_role():
    folder = os.path.join(ROOT, "plugins", "module_utils", "compile")
    modules = set(name[:-3] for name in os.listdir(folder) if name.endswith(".py")) - COMPILE_HELPERS
    compiled = [role.name for role in registry.compiled_roles()]
    assert sorted(modules) == sorted(compiled)
    assert list(dispatch.ROLES) == compiled
    assert all(dispatch.ROLES[name][1].__name__ == "compile_" + name for name in compiled)


def test_the_rollouts_keep_their_role_order():
    reconciled = dict((kind, [phase.role for phase in registry.reconciling_phases(kind)]) for kind in registry.ROUTER_KINDS)
    assert reconciled == {"core": ["wan_interfaces", "routing_tables", "connection_marks", "site_policy", "fasttrack_tuning"],
                          "edge": ["port_forward_nosrcnat"]}
    assert dispatch.CORE_ROLES == ("wan_interfaces", "routing_tables", "connection_marks", "site_policy", "fasttrack_tuning")
    assert dispatch.EDGE_ROLES == ("port_forward_nosrcnat", "fasttrack_tuning")


def test_the_table_of_known_names_covers_the_registry_variables():
    """Intent variables are offered as "did you mean"; the hosts variables of the phases are run control users set."""
    intent = set(name for kind in registry.INTENT_VARIABLES for name in registry.intent_variables(kind, cross_checked=True))
    assert sorted(name for name in intent if names.KNOWN_VARIABLES.get(name) != names.SUGGEST) == []
    hosts_variables = set(phase.hosts_variable for phase in registry.PHASES if phase.hosts_variable)
    assert sorted(name for name in hosts_variables if names.KNOWN_VARIABLES.get(name) != names.SUGGEST) == []


def test_intent_variables_per_kind():
    # The intent schema's variables of each kind, in the schema's order.
    assert registry.intent_variables(registry.EDGE) == ("multiwan_names", "multiwan_fasttrack", "multiwan_conntrack",
                                                        "multiwan_edge", "multiwan_port_forwards", "multiwan_commit_confirm")
    assert registry.intent_variables(registry.EDGE, cross_checked=True)[-1] == "multiwan_wans"
    assert registry.intent_variables(registry.CORE, cross_checked=True) == registry.intent_variables(registry.CORE)
    # The common settings are part of every router kind's intent.
    assert all(set(registry.INTENT_VARIABLES[registry.COMMON]) <= set(registry.INTENT_VARIABLES[kind]) for kind in registry.ROUTER_KINDS)
    with pytest.raises(ValueError, match="unknown router kind 'switch'"):
        registry.intent_variables("switch")


def test_host_kind_follows_the_edge_group():
    assert registry.host_kind(["multiwan_edge", "site_a"]) == registry.EDGE
    assert registry.host_kind(["multiwan_core"]) == registry.CORE
    assert registry.host_kind([]) == registry.CORE


def test_lookups_of_unknown_names_fail_naming_the_known_ones():
    with pytest.raises(ValueError, match="unknown phase '25_x'; expected one of 00_backup, 10_wan_setup"):
        registry.phase("25_x")
    with pytest.raises(ValueError, match="unknown role 'nope'"):
        registry.role("nope")
    with pytest.raises(ValueError, match="unknown router kind"):
        registry.phases("common")


def test_a_phase_as_the_playbooks_see_it():
    assert registry.phase("00_backup").as_dict() == {
        "number": "00", "name": "00_backup", "file": "00_backup.yml", "title": "Back up the routers before any change",
        "kinds": ["core", "edge"], "hosts": "multiwan_core:multiwan_edge", "hosts_variable": "multiwan_backup_hosts",
        "role": "backup", "tasks": None, "lock": False, "gate": False, "rollout_tasks": None}
    assert registry.phase("80_validation").as_dict()["rollout_tasks"] == "validated"
