"""The phase playbooks through the real ansible-playbook against lab routers with the example network."""

import glob
import os

import pytest

from rollout_lab import assert_rerun_changes_nothing, reads, recap, rows, run_playbook, start_routers, write_inventory, writes

pytestmark = pytest.mark.slow


def _prerouting(router):
    return [row for row in rows(router, "/ip/firewall/mangle") if row.get("chain") == "prerouting" and row.get("dynamic") != "true"]


def test_core_check_mode_then_apply_then_no_change(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["core"])
    core = routers["core"]
    inventory = write_inventory(str(tmp_path / "inv"), routers)
    extra = {"backup_dir": str(tmp_path / "backups"), "multiwan_summary_dir": str(tmp_path / "summary")}
    mangle_before = rows(core, "/ip/firewall/mangle")

    core.control.reset_counters(core.name)
    code, out = run_playbook("playbooks/core.yml", inventory, "--check", "--diff", extra_vars=extra)
    assert code == 0, out
    assert writes(core) == 0, out
    assert reads(core) > 0
    assert rows(core, "/ip/firewall/mangle") == mangle_before
    assert "Check mode: phase 30_connection_marks plans" in out
    backups = glob.glob(str(tmp_path / "backups" / "core" / "core-*.rsc"))
    assert len(backups) == 1
    with open(backups[0], encoding="utf-8") as handle:
        assert "/interface vlan" in handle.read()
    assert os.path.exists(str(tmp_path / "summary" / "core.json"))

    code, out = run_playbook("playbooks/core.yml", inventory, extra_vars=extra)
    assert code == 0, out
    assert writes(core) > 0
    assert "Phase 20_routing_tables converged" in out
    # The phases wrote after phase 60's probe: phase 80's verification gate probed the router again.
    assert "Verification gate | core" in out and "no phase has changed the router since" not in out
    assert "Phase 30_connection_marks converged" in out
    tables = sorted(row["name"] for row in rows(core, "/routing/table") if row.get("name") != "main")
    assert tables == ["InternetVia1000", "InternetVia1005", "InternetVia1012", "InternetViaVVG"]
    actions = [row["action"] for row in _prerouting(core)]
    assert "mark-connection" in actions and "mark-routing" in actions
    assert max(i for i, a in enumerate(actions) if a == "mark-connection") < actions.index("mark-routing")
    # Hand-made rules of the brownfield router are still there.
    comments = [row.get("comment", "") for row in rows(core, "/ip/firewall/filter")]
    assert "allow ping" in comments and "drop invalid" in comments

    assert_rerun_changes_nothing(core, "playbooks/core.yml", inventory, extra)


def test_edge_check_mode_then_apply_then_no_change(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["edge-1012"])
    edge = routers["edge-1012"]
    inventory = write_inventory(str(tmp_path / "inv"), routers)
    extra = {"backup_dir": str(tmp_path / "backups")}

    edge.control.reset_counters(edge.name)
    code, out = run_playbook("playbooks/edge.yml", inventory, "--check", "--diff", extra_vars=extra)
    assert code == 0, out
    assert writes(edge) == 0, out
    # The brownfield masquerade toward the core is reported (not fixed: fix_transit_srcnat is false).
    assert "NOT fixed" in out

    code, out = run_playbook("playbooks/edge.yml", inventory, extra_vars=extra)
    assert code == 0, out
    nat = rows(edge, "/ip/firewall/nat")
    ssh = [row for row in nat if row.get("action") == "dst-nat" and row.get("dst-port") == "2222"]
    assert len(ssh) == 1
    assert ssh[0]["to-addresses"] == "10.11.101.206" and ssh[0]["to-ports"] == "22"
    managed_masquerade = [row for row in nat if row.get("action") == "masquerade" and "[mwan:" in row.get("comment", "")]
    assert [row.get("out-interface") for row in managed_masquerade] == ["ether1"]

    assert_rerun_changes_nothing(edge, "playbooks/edge.yml", inventory, extra)


def test_edge_fix_transit_srcnat_disables_the_foreign_rule(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["edge-1012"])
    edge = routers["edge-1012"]
    overrides = {"edge-1012": {"multiwan_edge": {
        "wan": "1012", "internet_interface": "ether1", "transit_interface": "sfp-sfpplus1", "core_address": "10.10.2.2",
        "internal_networks": ["10.11.0.0/16", "172.16.0.0/12", "192.168.0.0/17"], "fix_transit_srcnat": True}}}
    inventory = write_inventory(str(tmp_path / "inv"), routers, overrides=overrides)
    code, out = run_playbook("playbooks/40_edge_port_forwards.yml", inventory)
    assert code == 0, out
    toward_core = [row for row in rows(edge, "/ip/firewall/nat") if row.get("out-interface") == "sfp-sfpplus1"]
    assert len(toward_core) == 1
    assert toward_core[0].get("disabled") == "true"
    code, out = run_playbook("playbooks/40_edge_port_forwards.yml", inventory)
    assert code == 0, out
    assert recap(out)["edge-1012"]["changed"] == 0, out
    # A standalone validation keeps the disabled rule as part of the design (no drift, no offender left).
    code, out = run_playbook("playbooks/validate.yml", inventory)
    assert code == 0, out
    assert "edge-1012 matches the intent" in out
    assert "0 foreign source-NAT rule(s) toward the core" in out


def test_bad_intent_fails_before_any_connection(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["core"])
    core = routers["core"]
    overrides = {"core": {"multiwan_sites": [
        {"name": "a", "networks": ["10.11.0.0/24"], "wan": "nope"},
        {"name": "b", "networks": ["10.11.300.0/24"], "wan": "1012"},
    ]}}
    inventory = write_inventory(str(tmp_path / "inv"), routers, overrides=overrides)
    core.control.reset_counters(core.name)
    code, out = run_playbook("playbooks/core.yml", inventory, "--check", extra_vars={"backup_dir": str(tmp_path / "b")})
    assert code != 0
    assert "multiwan_sites[0].wan" in out and "multiwan_sites[1]" in out, out
    assert core.control.counters(core.name) == {"reads": {}, "writes": {}}
    assert not os.path.exists(str(tmp_path / "b"))


def test_render_without_any_router(tmp_path):
    inventory = write_inventory(str(tmp_path / "inv"), {}, closed_port=1)
    out_dir = tmp_path / "rendered"
    code, out = run_playbook("playbooks/render.yml", inventory, extra_vars={"multiwan_render_dir": str(out_dir)})
    assert code == 0, out
    core = sorted(os.listdir(str(out_dir / "core")))
    assert core == ["10_wan_setup.rsc", "20_routing_tables.rsc", "30_connection_marks.rsc", "50_site_policy.rsc", "70_performance.rsc"]
    for edge in ("edge-1000", "edge-1012", "edge-1005"):
        assert os.listdir(str(out_dir / edge)) == ["40_edge_port_forwards.rsc"]
    with open(str(out_dir / "core" / "30_connection_marks.rsc"), encoding="utf-8") as handle:
        text = handle.read()
    assert "mark-connection" in text and "mark-routing" in text and "[mwan:connection_marks:" in text
    with open(str(out_dir / "edge-1012" / "40_edge_port_forwards.rsc"), encoding="utf-8") as handle:
        text = handle.read()
    assert "dst-port=2222" in text and "to-addresses=10.11.101.206" in text


def test_backup_and_a_phase_over_the_ssh_transport(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["core"])
    core = routers["core"]
    assert core.ssh_port, "the lab serves SSH"
    # The lab generates its host key at start, so the test cannot know it beforehand.
    overrides = {"core": {"multiwan_transport": "ssh", "multiwan_host_key_checking": False}}
    inventory = write_inventory(str(tmp_path / "inv"), routers, overrides=overrides)
    extra = {"backup_dir": str(tmp_path / "backups")}
    core.control.reset_counters(core.name)
    code, out = run_playbook("playbooks/00_backup.yml", inventory, "--check", extra_vars=extra)
    assert code == 0, out
    assert len(glob.glob(str(tmp_path / "backups" / "core" / "core-*.rsc"))) == 1
    code, out = run_playbook("playbooks/20_routing_tables.yml", inventory, "--check", extra_vars=extra)
    assert code == 0, out
    assert writes(core) == 0, out
    code, out = run_playbook("playbooks/20_routing_tables.yml", inventory, extra_vars=extra)
    assert code == 0, out
    assert "Phase 20_routing_tables converged" in out
    assert sorted(row["name"] for row in rows(core, "/routing/table") if row.get("name") != "main") == [
        "InternetVia1000", "InternetVia1005", "InternetVia1012", "InternetViaVVG"]
    assert_rerun_changes_nothing(core, "playbooks/20_routing_tables.yml", inventory, extra)


def test_a_failed_phase_stops_the_rollout_and_leaves_the_router_as_it_was(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["core"])
    core = routers["core"]
    inventory = write_inventory(str(tmp_path / "inv"), routers)
    before = {path: rows(core, path) for path in ("/interface/list", "/interface/vlan", "/ip/address", "/routing/table")}
    # The router refuses the 6th write of the run (after the run lock, the commit-confirm revert's script and scheduler
    # entry, and the backup's temporary export file): phase 10 fails mid-plan.
    core.control.set_faults(fail_write_after=5, router=core.name)
    code, out = run_playbook("playbooks/core.yml", inventory, extra_vars={"backup_dir": str(tmp_path / "backups")})
    assert code != 0
    assert "undone" in out, out
    # The later phases never ran and what phase 10 had written was undone.
    assert "TASK [multiwan.routeros.routing_tables : " not in out
    for path, rows_before in before.items():
        assert rows(core, path) == rows_before, path
