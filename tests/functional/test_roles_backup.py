"""The backup role: /export saved on the controller before any change, also in check mode."""

import glob
import os

import pytest

from rollout_lab import recap, rows, run_playbook, start_routers, write_inventory, writes

pytestmark = pytest.mark.slow


def test_backup_in_check_mode_saves_the_export_and_keeps_the_newest(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["core", "edge-1005"])
    inventory = write_inventory(str(tmp_path / "inv"), routers)
    backups = tmp_path / "backups"
    for router in routers.values():
        router.control.reset_counters(router.name)
    before = {name: rows(router, "/ip/firewall/nat") for name, router in routers.items()}
    for attempt in range(3):
        code, out = run_playbook("playbooks/00_backup.yml", inventory, "--check",
                                 extra_vars={"backup_dir": str(backups), "backup_keep": 2})
        assert "Saved the /export" in out, "run %d: %s" % (attempt, out)
        assert code == 0, out
    for name, router in routers.items():
        files = sorted(glob.glob(str(backups / name / ("%s-*.rsc" % name))))
        assert len(files) == 2, files
        with open(files[-1], encoding="utf-8") as handle:
            export = handle.read()
        # The brownfield configuration is in the export: the backup is restorable, not empty.
        assert "/ip firewall nat" in export
        assert writes(router) == 0
        assert rows(router, "/ip/firewall/nat") == before[name]
    # A new file on the controller is not a change of a router.
    assert all(counts["changed"] == 0 for counts in recap(out).values()), out


def test_backup_fails_before_connecting_on_invalid_intent(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["edge-1005"])
    edge = routers["edge-1005"]
    overrides = {"edge-1005": {"multiwan_port_forwards": [
        {"name": "dup", "protocol": "udp", "port": 5060, "to_address": "10.11.101.30"},
        {"name": "dup", "protocol": "udp", "port": 5060, "to_address": "10.11.101.31"},
    ]}}
    inventory = write_inventory(str(tmp_path / "inv"), routers, overrides=overrides)
    edge.control.reset_counters(edge.name)
    code, out = run_playbook("playbooks/00_backup.yml", inventory, extra_vars={"backup_dir": str(tmp_path / "b")})
    assert code != 0
    assert "multiwan_port_forwards[1]" in out, out
    assert edge.control.counters(edge.name) == {"reads": {}, "writes": {}}
    assert not os.path.exists(str(tmp_path / "b"))
