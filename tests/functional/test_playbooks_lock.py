"""The run lock through the real ansible-playbook: a second apply run fails fast, a check run takes no lock."""

import os
import subprocess

import pytest

from rollout_lab import (
    PLAYBOOK_BIN,
    ROOT,
    RUN_TIMEOUT,
    all_writes,
    assert_rerun_changes_nothing,
    lock_scripts,
    recap,
    rows,
    run_playbook,
    start_routers,
    write_inventory,
)

pytestmark = pytest.mark.slow

HELD = ("multiwan run lock: holder=bob@ctl2 run_id=other-run started=2020-01-01T00:00:00Z "
        "expires=2999-01-01T00:00:00Z")
PHASE = "playbooks/20_routing_tables.yml"


def _tables(router):
    return sorted(row["name"] for row in rows(router, "/routing/table") if row.get("name") != "main")


def test_a_second_apply_run_fails_fast_and_a_check_run_takes_no_lock(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["core"])
    core = routers["core"]
    inventory = write_inventory(str(tmp_path / "inv"), routers)
    core.control.cli('/system script add name=multiwan-lock comment="%s"' % HELD)
    tables_before = _tables(core)

    core.control.reset_counters(core.name)
    code, out = run_playbook(PHASE, inventory)
    assert code != 0
    assert "held by bob@ctl2 (run other-run, started 2020-01-01T00:00:00Z, stale from 2999-01-01T00:00:00Z)" in out, out
    # Failed at the lock, before the role: not a single write, the other run's lock untouched.
    assert all_writes(core) == {}, out
    assert [row.get("comment") for row in lock_scripts(core)] == [HELD]
    assert _tables(core) == tables_before

    # A check run neither takes nor needs the lock: it writes nothing at all.
    code, out = run_playbook(PHASE, inventory, "--check")
    assert code == 0, out
    assert all_writes(core) == {}, out
    assert "TASK [Run lock | take the router's run lock]" in out and "held by" not in out, out

    # The operator continues as the run that holds the lock (it failed): the phase applies and releases it.
    code, out = run_playbook(PHASE, inventory, extra_vars={"multiwan_lock_run_id": "other-run"})
    assert code == 0, out
    assert len(_tables(core)) == 4
    assert lock_scripts(core) == []


def test_an_apply_run_takes_the_lock_and_leaves_none_behind(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["core"])
    core = routers["core"]
    inventory = write_inventory(str(tmp_path / "inv"), routers)
    core.control.reset_counters(core.name)
    code, out = run_playbook(PHASE, inventory, extra_vars={"multiwan_lock_timeout": 600})
    assert code == 0, out
    assert "TASK [Run lock | take the router's run lock]" in out and "TASK [Run lock | release the router's run lock]" in out
    # Taken (one add) and released (one remove), with the commit-confirm revert armed (a script and a scheduler entry)
    # and disarmed next to it; the lock tasks report no change of the configuration.
    assert all_writes(core)["/system/script"] == 4, out
    assert all_writes(core)["/system/scheduler"] == 2, out
    assert lock_scripts(core) == []
    assert recap(out)["core"]["failed"] == 0
    assert_rerun_changes_nothing(core, PHASE, inventory, {})


def test_an_operator_clears_a_left_lock_with_the_documented_ad_hoc_command(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["core"])
    core = routers["core"]
    inventory = write_inventory(str(tmp_path / "inv"), routers)
    core.control.cli('/system script add name=multiwan-lock comment="%s"' % HELD)
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, "playbooks", "collections"), ANSIBLE_NOCOLOR="1")
    command = [os.path.join(os.path.dirname(PLAYBOOK_BIN), "ansible"), "-i", inventory, "multiwan_core",
               "-m", "multiwan.routeros.lock", "-a", "state=released run_id=operator force=true"]
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "force released the lock of bob@ctl2 (run other-run" in proc.stdout + proc.stderr
    assert lock_scripts(core) == []
