"""Commit-confirmed apply runs against lab routers, through the real ansible-playbook, over the API and SSH.

The router arms a revert before the run's first write and the run disarms it at its end. A run that cuts the
controller off (the lab's lockout model: the route back to the controller's address leaves through another
interface than the management one) or a controller killed mid-run leaves the armed revert, and the router undoes
the run when the timer fires. The lab's clock is sped up once the run is over, so a one-minute timer fires within
seconds; while a run writes, the clock runs at real speed.
"""

import os
import signal
import subprocess
import time

import pytest

import yaml

from rollout_lab import (
    LAB_INVENTORY,
    PLAYBOOK_BIN,
    ROOT,
    all_writes,
    assert_rerun_changes_nothing,
    lock_scripts,
    recap,
    rows,
    run_playbook,
    start_routers,
    write_inventory,
)
from routeros_lab import lockout

PHASE = os.path.join(ROOT, "playbooks", "10_wan_setup.yml")
CONFIRM = "multiwan-confirm"
# The management network: the controller's address stands behind ether1, which no role touches.
MANAGEMENT = {"interface": "ether1", "router": "192.0.2.1/24", "controller": "192.0.2.10"}
# A typo in a WAN's address: its connected route (192.0.2.0/28) now covers the controller's address and
# leaves through the WAN's VLAN, so the router's answers to the controller go out of the wrong interface.
BAD_VVG = {"name": "VVG", "interface": "VLAN3004", "gateway": "192.0.2.1", "address": "192.0.2.2/28",
           "vlan": {"id": 3004, "interface": "sfp-sfpplus1"}, "inbound": False, "check_gateway": "ping", "distance": 4,
           "comment": "ISP router 100Mbps, outbound only"}
WAIT = 60


def _confirm_entries(router):
    return ([row for row in rows(router, "/system/script") if row.get("name") == CONFIRM],
            [row for row in rows(router, "/system/scheduler") if row.get("name") == CONFIRM])


def _configuration(router):
    """The router's export without the sections a run's bookkeeping writes (scripts, scheduler) and the date line."""
    kept = []
    skip = False
    for line in router.control.cli("/export").splitlines():
        if line.startswith("/"):
            skip = line.startswith(("/system script", "/system scheduler"))
        if not skip and not line.startswith("# "):
            kept.append(line)
    return "\n".join(kept)


def _wait_for_revert(router):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        scripts, scheduler = _confirm_entries(router)
        if scripts and "reverted" in scripts[0].get("comment", "") and not scheduler:
            return scripts[0]
        time.sleep(0.2)
    raise AssertionError("the router did not revert within %d s: %s" % (WAIT, _confirm_entries(router)))


def _wans(bad):
    with open(os.path.join(LAB_INVENTORY, "group_vars", "multiwan_core", "wans.yml"), encoding="utf-8") as handle:
        wans = yaml.safe_load(handle)["multiwan_wans"]
    return [BAD_VVG if bad and wan["name"] == "VVG" else wan for wan in wans]


def _core(lab_router_factory, tmp_path, transport, **overrides):
    routers = start_routers(lab_router_factory, ["core"])
    core = routers["core"]
    core.control.cli("/ip address add address=%s interface=%s comment=management" % (MANAGEMENT["router"], MANAGEMENT["interface"]))
    host = {"multiwan_transport": transport, "multiwan_host_key_checking": False}
    host.update(overrides)
    inventory = write_inventory(str(tmp_path / "inv"), routers, overrides={"core": host})
    return core, inventory


@pytest.mark.parametrize("transport", ["api", "ssh"])
def test_a_successful_run_arms_disarms_and_leaves_no_trace(lab_router_factory, tmp_path, transport):
    core, inventory = _core(lab_router_factory, tmp_path, transport)
    # Check mode arms nothing (and writes nothing at all).
    core.control.reset_counters(core.name)
    code, out = run_playbook(PHASE, inventory, "--check")
    assert code == 0, out
    assert all_writes(core) == {}, out
    assert "Commit-confirm armed" not in out

    code, out = run_playbook(PHASE, inventory)
    assert code == 0, out
    assert "Commit-confirm armed on core: unless this run confirms, the router reverts run" in out, out
    assert "5m after" in out
    assert "Commit-confirm disarmed on core" in out
    assert _confirm_entries(core) == ([], [])
    assert lock_scripts(core) == []
    assert rows(core, "/file") == []
    assert recap(out)["core"]["failed"] == 0
    assert_rerun_changes_nothing(core, PHASE, inventory, {})
    assert _confirm_entries(core) == ([], [])


def test_commit_confirm_false_runs_without_a_revert(lab_router_factory, tmp_path):
    core, inventory = _core(lab_router_factory, tmp_path, "api", multiwan_commit_confirm=False)
    core.control.reset_counters(core.name)
    code, out = run_playbook(PHASE, inventory)
    assert code == 0, out
    assert "/system/scheduler" not in all_writes(core)
    assert "Commit-confirm armed" not in out


@pytest.mark.parametrize("value, message", [
    ("30s", "multiwan_commit_confirm: is 30s, shorter than 1m"),
    ("soon", "multiwan_commit_confirm: must be a duration such as 5m"),
])
def test_a_bad_timer_is_refused_before_connecting(lab_router_factory, tmp_path, value, message):
    core, inventory = _core(lab_router_factory, tmp_path, "api", multiwan_commit_confirm=value)
    core.control.reset_counters(core.name)
    code, out = run_playbook(PHASE, inventory)
    assert code != 0
    assert message in out, out
    assert "no router was contacted" in out
    assert core.control.counters(core.name) == {"reads": {}, "writes": {}}


@pytest.mark.parametrize("transport", ["api", "ssh"])
def test_a_change_that_locks_the_controller_out_is_reverted_by_the_router(lab_router_factory, tmp_path, transport):
    core, inventory = _core(lab_router_factory, tmp_path, transport, multiwan_commit_confirm="1m")
    code, out = run_playbook(PHASE, inventory)
    assert code == 0, out
    before = _configuration(core)
    core.control.set_lockout(MANAGEMENT["controller"], MANAGEMENT["interface"])
    assert not lockout.cut_off(core.router)

    # The bad intent: the write cuts the controller off, the gate cannot read the router back.
    inventory = write_inventory(str(tmp_path / "inv"), {"core": core},
                                overrides={"core": {"multiwan_wans": _wans(bad=True)}})
    code, out = run_playbook(PHASE, inventory)
    assert code != 0, out
    assert "Commit-confirm armed on core" in out
    assert "Commit-confirm disarmed" not in out
    assert lockout.cut_off(core.router)
    assert "192.0.2.2/28" in core.control.cli("/ip address print")

    # Nobody confirms: the router reverts by itself when the timer fires, and management comes back.
    core.control.set_clock_rate(30)
    marker = _wait_for_revert(core)
    core.control.set_clock_rate(1)
    assert "errors=0" in marker["comment"], marker
    assert not lockout.cut_off(core.router)
    assert _configuration(core) == before
    assert lock_scripts(core) == []

    # The next run (the intent fixed) reports the revert, removes its marker and converges.
    inventory = write_inventory(str(tmp_path / "inv"), {"core": core}, overrides={"core": {"multiwan_wans": _wans(bad=False)}})
    code, out = run_playbook(PHASE, inventory)
    assert code == 0, out
    assert "The router had reverted run" in out and "the router reverted run" in out, out
    assert _confirm_entries(core) == ([], [])
    assert_rerun_changes_nothing(core, PHASE, inventory, {})


@pytest.mark.parametrize("transport", ["api", "ssh"])
def test_a_controller_killed_mid_run_leaves_a_router_that_reverts(lab_router_factory, tmp_path, transport):
    core, inventory = _core(lab_router_factory, tmp_path, transport, multiwan_commit_confirm="1m")
    before = _configuration(core)
    # Slow answers, so the run is still writing when it is killed.
    core.control.set_faults(latency_ms=150)
    core.control.reset_counters(core.name)
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, "playbooks", "collections"), ANSIBLE_NOCOLOR="1")
    command = [PLAYBOOK_BIN, "-i", inventory, PHASE]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline and proc.poll() is None:
            written = core.control.counters(core.name)["writes"]
            if _confirm_entries(core)[1] and written.get("/interface/vlan", 0) + written.get("/ip/address", 0) > 0:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the run ended before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    core.control.set_faults(latency_ms=0)
    assert _configuration(core) != before
    assert lock_scripts(core) != []

    core.control.set_clock_rate(30)
    marker = _wait_for_revert(core)
    assert "errors=0" in marker["comment"], marker
    assert _configuration(core) == before
    assert lock_scripts(core) == []
