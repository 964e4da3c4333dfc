"""playbooks/rollback.yml against a lab core, through the real ansible-playbook: back to a backup of phase 00."""

import glob
import os

import yaml

from rollout_lab import (
    LAB_INVENTORY,
    ROOT,
    all_writes,
    lock_scripts,
    recap,
    rows,
    run_playbook,
    start_routers,
    write_inventory,
    writes,
)

PLAYBOOKS = os.path.join(ROOT, "playbooks")
ROLLBACK = os.path.join(PLAYBOOKS, "rollback.yml")


def _configuration(text):
    """An export without its header and the bookkeeping sections of a run (scripts, scheduler)."""
    kept = []
    skip = False
    for line in text.replace("\r\n", "\n").splitlines():
        if line.startswith("/"):
            skip = line.startswith(("/system script", "/system scheduler"))
        if not skip and not line.startswith("# "):
            kept.append(line)
    return "\n".join(kept)


def _changed_intent():
    """The lab intent with other WAN comments and another address for VVG: phases 10 and 20 change entries."""
    with open(os.path.join(LAB_INVENTORY, "group_vars", "multiwan_core", "wans.yml"), encoding="utf-8") as handle:
        wans = yaml.safe_load(handle)["multiwan_wans"]
    changed = [dict(wan, comment="changed after the backup") for wan in wans]
    vvg = [wan for wan in changed if wan["name"] == "VVG"][0]
    vvg.update(address="192.168.253.2/30", gateway="192.168.253.1")
    return {"multiwan_wans": changed}


def test_rollback_check_shows_the_plan_and_apply_restores_the_backup(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["core"])
    core = routers["core"]
    backups = str(tmp_path / "backups")
    extra = {"backup_dir": backups, "multiwan_backup_hosts": "multiwan_core"}
    inventory = write_inventory(str(tmp_path / "inv"), routers)
    for phase in ("10_wan_setup.yml", "20_routing_tables.yml", "00_backup.yml"):
        code, out = run_playbook(os.path.join(PLAYBOOKS, phase), inventory, extra_vars=extra)
        assert code == 0, out
    [backup] = glob.glob(os.path.join(backups, "core", "core-*.rsc"))
    with open(backup, encoding="utf-8") as handle:
        backed_up = _configuration(handle.read())
    assert _configuration(core.control.cli("/export")) == backed_up

    changed = write_inventory(str(tmp_path / "changed"), routers, overrides={"core": _changed_intent()})
    for phase in ("10_wan_setup.yml", "20_routing_tables.yml"):
        code, out = run_playbook(os.path.join(PLAYBOOKS, phase), changed)
        assert code == 0, out
    assert _configuration(core.control.cli("/export")) != backed_up

    # --check: the plan back, nothing written.
    core.control.reset_counters(core.name)
    code, out = run_playbook(ROLLBACK, inventory, "--check", "--diff", extra_vars={"backup_dir": backups})
    assert code == 0, out
    assert all_writes(core) == {}, out
    assert "core goes back to %s" % backup in out
    assert "changed after the backup" in out and "192.168.254.2/30" in out, out
    assert recap(out)["core"]["changed"] > 0

    # Applied: the managed and foreign entries are those of the backup again.
    code, out = run_playbook(ROLLBACK, inventory, extra_vars={"multiwan_rollback_backup": backup})
    assert code == 0, out
    assert _configuration(core.control.cli("/export")) == backed_up
    assert lock_scripts(core) == []
    assert rows(core, "/system/scheduler") == []

    # Idempotent: a second rollback writes nothing.
    core.control.reset_counters(core.name)
    code, out = run_playbook(ROLLBACK, inventory, extra_vars={"backup_dir": backups})
    assert code == 0, out
    assert writes(core) == 0, out
    assert recap(out)["core"]["changed"] == 0


def test_a_missing_backup_is_refused_before_connecting(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["core"])
    core = routers["core"]
    inventory = write_inventory(str(tmp_path / "inv"), routers)
    core.control.reset_counters(core.name)
    code, out = run_playbook(ROLLBACK, inventory, extra_vars={"backup_dir": str(tmp_path / "none")})
    assert code != 0
    assert "multiwan_rollback_backup: no backup of core in" in out and "No router was contacted" in out, out
    assert core.control.counters(core.name) == {"reads": {}, "writes": {}}
