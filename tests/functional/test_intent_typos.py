"""A misspelt intent variable stops the real ansible-playbook run before any router is contacted."""

import os

import pytest
import yaml

from rollout_lab import run_playbook, start_routers, write_inventory

pytestmark = pytest.mark.slow

NO_TRAFFIC = {"reads": {}, "writes": {}}


def _rename_core_sites(folder, new_name):
    """Move the lab's site policy (group_vars/multiwan_core/sites.yml) under a misspelt variable name."""
    path = os.path.join(folder, "group_vars", "multiwan_core", "sites.yml")
    with open(path, encoding="utf-8") as handle:
        sites = yaml.safe_load(handle)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("---\n" + yaml.safe_dump({new_name: sites["multiwan_sites"]}, sort_keys=False))


def test_misspelt_sites_variable_fails_an_apply_run_before_any_connection(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["core"])
    core = routers["core"]
    folder = str(tmp_path / "inv")
    inventory = write_inventory(folder, routers)
    _rename_core_sites(folder, "multiwan_site")
    core.control.reset_counters(core.name)
    # An apply run: the one that, with the typo ignored, would remove every site rule.
    code, out = run_playbook("playbooks/core.yml", inventory, extra_vars={"backup_dir": str(tmp_path / "b")})
    assert code != 0, out
    assert "multiwan_site: unknown variable; did you mean multiwan_sites?" in out, out
    assert "no router was contacted" in out
    assert core.control.counters(core.name) == NO_TRAFFIC
    assert not os.path.exists(str(tmp_path / "b"))


def test_misspelt_edge_variable_and_unquoted_wan_fail_before_any_connection(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["edge-1012"])
    edge = routers["edge-1012"]
    folder = str(tmp_path / "inv")
    inventory = write_inventory(folder, routers)
    path = os.path.join(folder, "host_vars", "edge-1012.yml")
    with open(path, encoding="utf-8") as handle:
        intent = yaml.safe_load(handle)
    intent["multiwan_port_forward"] = intent.pop("multiwan_port_forwards")
    with open(path, "w", encoding="utf-8") as handle:
        # wan: 1012 unquoted, as a user would type it.
        handle.write("---\n" + yaml.safe_dump(intent, sort_keys=False).replace("wan: '1012'", "wan: 1012"))
    edge.control.reset_counters(edge.name)
    code, out = run_playbook("playbooks/edge.yml", inventory, "--check", extra_vars={"backup_dir": str(tmp_path / "b")})
    assert code != 0, out
    assert "multiwan_port_forward: unknown variable; did you mean multiwan_port_forwards?" in out, out
    assert "multiwan_edge.wan: must be a quoted string, but YAML read it as the number 1012" in out, out
    assert edge.control.counters(edge.name) == NO_TRAFFIC
