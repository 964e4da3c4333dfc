"""The failover drill (playbooks/failover_drill.yml, multiwan.routeros.drill) on a lab core that runs the worked
example's routing tables, over the API and SSH, through the real ansible-playbook and the module's own function.

The core is prepared once per module: the brownfield core of the worked example, phases 10 and 20 applied, and its
hand-made main default route (``default via 1012``, no check-gateway) removed: left in place, it keeps ``main`` on
1012 whatever the drill disables, which the drill reports as a failed failover (tested below). Every test starts a
fresh lab router from that state.
"""

import json
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
    lock_scripts,
    rows,
    run_playbook,
    start_routers,
    write_inventory,
)
from routeros_lab.pytest_plugin import DEFAULT_PASSWORD, LabFactory

from ansible_collections.multiwan.routeros.plugins.module_utils.drill import run_drill

DRILL = os.path.join(ROOT, "playbooks", "failover_drill.yml")
FOREIGN_DEFAULT = 'comment="default via 1012"'
# 1012 is the primary WAN: its table and main fail over to 1000; the other tables keep their primary.
EXPECTED_1012 = {
    "InternetVia1012": (["10.10.2.1"], ["10.10.0.1"]),
    "InternetVia1000": (["10.10.0.1"], ["10.10.0.1"]),
    "InternetVia1005": (["10.10.3.1"], ["10.10.3.1"]),
    "InternetViaVVG": (["192.168.254.1"], ["192.168.254.1"]),
    "main": (["10.10.2.1"], ["10.10.0.1"]),
}
WAIT = 60


@pytest.fixture(scope="module")
def drilled_core_state(tmp_path_factory):
    """The lab core's state once phases 10 and 20 ran on the worked example (and its hand-made default is gone)."""
    factory = LabFactory()
    try:
        core = start_routers(factory, ["core"])["core"]
        inventory = write_inventory(str(tmp_path_factory.mktemp("prepare") / "inv"), {"core": core})
        for phase in ("10_wan_setup", "20_routing_tables"):
            code, out = run_playbook(os.path.join(ROOT, "playbooks", phase + ".yml"), inventory)
            assert code == 0, out
        core.control.cli("/ip route remove [find where %s]" % FOREIGN_DEFAULT)
        return core.router.to_json()
    finally:
        factory.close()


def _core(lab_router_factory, state, tmp_path, transport, **overrides):
    core = lab_router_factory(state=json.loads(json.dumps(state)))
    host = {"multiwan_transport": transport, "multiwan_host_key_checking": False}
    host.update(overrides)
    inventory = write_inventory(str(tmp_path / "inv"), {"core": core}, overrides={"core": host})
    core.control.reset_counters(core.name)
    return core, inventory


def _export(core):
    """The router's whole export but its first line (the time it was made)."""
    return core.control.cli("/export").split("\n", 1)[1]


def _outside_routes(core):
    """The export without its ``/ip route`` section (and the date line)."""
    kept = []
    skip = False
    for line in _export(core).splitlines():
        if line.startswith("/"):
            skip = line == "/ip route"
        if not skip:
            kept.append(line)
    return "\n".join(kept)


def _routes(core):
    """``/ip route`` as the lab prints it (ids included), without ``disabled=false``: RouterOS exports a route that was
    disabled and enabled again with ``disabled=no`` (a routing menu exports every property written, even a default;
    ``disabled`` cannot be unset), which is the one trace the first drill of a route leaves."""
    return [dict((k, v) for k, v in row.items() if (k, v) != ("disabled", "false")) for row in rows(core, "/ip/route")]


def _snapshot(core):
    return _outside_routes(core), _routes(core)


def _configuration(core):
    """The export without the sections a run's bookkeeping writes (scripts, scheduler) and the date line."""
    kept = []
    skip = False
    for line in _export(core).splitlines():
        if line.startswith("/"):
            skip = line.startswith(("/system script", "/system scheduler"))
        if not skip:
            kept.append(line)
    return "\n".join(kept)


def _intent():
    intent = {}
    for name in ("wans.yml", "sites.yml"):
        with open(os.path.join(LAB_INVENTORY, "group_vars", "multiwan_core", name), encoding="utf-8") as handle:
            intent.update(yaml.safe_load(handle))
    return intent


def _params(core, transport, **options):
    params = dict(hostname=core.host, username=core.username, password=DEFAULT_PASSWORD, transport=transport,
                  port=core.api_port, tls=False, ssh_port=core.ssh_port, host_key_checking=False, validate_certs=False,
                  timeout=10, wans=["1012"], intent=_intent(), converge_timeout=30)
    params.update(options)
    return params


def _route_cli(core, key, command):
    core.control.cli('/ip route %s [find where comment~"routing_tables:%s]"]' % (command, key))


@pytest.mark.parametrize("transport", ["api", "ssh"])
def test_a_check_run_predicts_and_writes_nothing(lab_router_factory, drilled_core_state, tmp_path, transport):
    core, inventory = _core(lab_router_factory, drilled_core_state, tmp_path, transport)
    code, out = run_playbook(DRILL, inventory, "--check", extra_vars={"multiwan_drill_wans": "1012"})
    assert code == 0, out
    assert all_writes(core) == {}, out
    assert "InternetVia1012          10.10.2.1 -> 10.10.0.1" in out, out
    assert "main                     10.10.2.1 -> 10.10.0.1" in out, out
    assert "InternetVia1000          10.10.0.1, stays (1012 is one of its backups)" in out, out
    assert "check mode" in out
    assert "Commit-confirm armed" not in out

    result = run_drill(_params(core, transport), check_mode=True)
    assert not result.get("failed"), result
    assert all_writes(core) == {}
    [drill] = result["drills"]
    assert len(drill["disabled"]) == 5
    assert all(line.endswith("disabled=yes") for line in drill["commands"][:5]), drill["commands"]
    assert dict((t["table"], (t["primary"], t["during"])) for t in drill["tables"]) == EXPECTED_1012


@pytest.mark.parametrize("transport", ["api", "ssh"])
def test_the_drill_fails_over_restores_and_leaves_the_router_as_it_was(lab_router_factory, drilled_core_state,
                                                                       tmp_path, transport):
    core, inventory = _core(lab_router_factory, drilled_core_state, tmp_path, transport)
    before = _snapshot(core)
    code, out = run_playbook(DRILL, inventory, extra_vars={"multiwan_drill_wans": "1012"})
    assert code == 0, out
    assert "Commit-confirm armed on core" in out and "Commit-confirm disarmed on core" in out, out
    assert "WAN          disabled  take out  converge   restore   recover  result" in out
    assert "InternetVia1012          10.10.2.1 -> 10.10.0.1; saw 10.10.0.1, then 10.10.2.1" in out, out
    assert "main                     10.10.2.1 -> 10.10.0.1; saw 10.10.0.1, then 10.10.2.1" in out, out
    # Five routes disabled, then the same five enabled, nothing else written to the configuration.
    written = all_writes(core)
    assert written["/ip/route"] == 10, written
    assert set(written) <= {"/ip/route", "/system/script", "/system/scheduler"}, written
    assert _snapshot(core) == before
    assert lock_scripts(core) == []

    # The module's own result, on one session; from now on a drill leaves the export exactly as it found it.
    before = _export(core)
    for _attempt in range(2):
        result = run_drill(_params(core, transport))
        assert not result.get("failed"), result
        [drill] = result["drills"]
        assert drill["result"] == "ok"
        assert dict((t["table"], (t["primary"], t["during"])) for t in drill["tables"]) == EXPECTED_1012
        assert dict((t["table"], (t["seen_after"], t["seen_during"])) for t in drill["tables"]) == EXPECTED_1012
        assert sorted(drill["timings"]) == ["converge", "recover", "restore", "take_out"]
        assert all(seconds is not None and 0 <= seconds < 30 for seconds in drill["timings"].values()), drill["timings"]
        assert sorted(d["key"] for d in drill["disabled"]) == [
            "main-default-1012", "table-1000-failover-1012", "table-1005-failover-1012", "table-1012-default",
            "table-VVG-failover-1012"]
        assert _export(core) == before


def test_every_wan_in_turn(lab_router_factory, drilled_core_state, tmp_path):
    core, _inventory = _core(lab_router_factory, drilled_core_state, tmp_path, "api")
    before = _snapshot(core)
    result = run_drill(_params(core, "api", wans=["1012", "1000", "1005", "VVG"]))
    assert not result.get("failed"), result
    assert [(d["wan"], d["result"]) for d in result["drills"]] == [("1012", "ok"), ("1000", "ok"), ("1005", "ok"), ("VVG", "ok")]
    vvg = dict((t["table"], (t["primary"], t["during"])) for t in result["drills"][3]["tables"])
    assert vvg["InternetViaVVG"] == (["192.168.254.1"], ["10.10.2.1"])
    assert _snapshot(core) == before


@pytest.mark.parametrize("transport", ["api", "ssh"])
def test_a_wrong_backup_fails_the_drill_after_restoring(lab_router_factory, drilled_core_state, tmp_path, transport):
    core, inventory = _core(lab_router_factory, drilled_core_state, tmp_path, transport)
    # Somebody disabled 1012's first backup by hand: its table would fall to 1005, not to 1000.
    _route_cli(core, "table-1012-failover-1000", "disable")
    before = _snapshot(core)
    core.control.reset_counters(core.name)
    code, out = run_playbook(DRILL, inventory, extra_vars={"multiwan_drill_wans": "1012", "multiwan_drill_timeout": 2})
    assert code != 0, out
    assert "InternetVia1012: expected 10.10.0.1, saw 10.10.3.1" in out, out
    assert "its routes are enabled again" in out and "every table recovered" in out, out
    assert all_writes(core)["/ip/route"] == 10
    assert _snapshot(core) == before
    # The drill restored the router itself: its revert is disarmed and the run lock released.
    assert lock_scripts(core) == []
    assert rows(core, "/system/scheduler") == []


@pytest.mark.parametrize("transport", ["api", "ssh"])
def test_a_table_left_without_a_backup_fails_the_drill_after_restoring(lab_router_factory, drilled_core_state, tmp_path,
                                                                       transport):
    core, _inventory = _core(lab_router_factory, drilled_core_state, tmp_path, transport)
    for backup in ("1000", "1005", "VVG"):
        _route_cli(core, "table-1012-failover-%s" % backup, "remove")
    before = _snapshot(core)
    result = run_drill(_params(core, transport, converge_timeout=1))
    assert result["failed"], result
    assert "InternetVia1012: expected 10.10.0.1, saw no active default route" in result["msg"], result["msg"]
    assert result["restored"] is True
    assert result["drills"][0]["result"] == "FAILED over wrongly"
    assert _snapshot(core) == before


def test_an_intent_without_a_backup_fails_the_drill(lab_router_factory, drilled_core_state, tmp_path):
    core, _inventory = _core(lab_router_factory, drilled_core_state, tmp_path, "api")
    intent = _intent()
    for wan in intent["multiwan_wans"]:
        if wan["name"] == "1012":
            wan["failover"] = []
    before = _snapshot(core)
    check = run_drill(_params(core, "api", intent=intent), check_mode=True)
    assert any("InternetVia1012: the intent gives it no backup" in w for w in check["warnings"]), check
    result = run_drill(_params(core, "api", intent=intent))
    assert result["failed"] and result["restored"], result
    assert "InternetVia1012: the intent gives it no backup, so while 1012 is out it has no default route" in result["msg"]
    assert _snapshot(core) == before


def test_a_backup_that_is_down_stops_the_drill_before_any_write(lab_router_factory, drilled_core_state, tmp_path):
    core, inventory = _core(lab_router_factory, drilled_core_state, tmp_path, "api")
    # 1000's gateway stops answering: its table already runs on its backup, 1012, which the drill must not take away.
    core.control.set_reachable("10.10.0.1", False)
    before = _export(core)
    code, out = run_playbook(DRILL, inventory, extra_vars={"multiwan_drill_wans": "1012"})
    assert code != 0, out
    assert "drill of WAN 1012 not started, nothing was written" in out, out
    assert "InternetVia1000: expected 10.10.0.1, saw 10.10.2.1" in out, out
    assert "/ip/route" not in all_writes(core)
    assert _export(core) == before
    # Nothing was drilled: the revert is disarmed and the run lock released.
    assert lock_scripts(core) == [] and rows(core, "/system/scheduler") == []


def test_a_hand_made_default_route_that_keeps_main_on_the_wan_is_reported(lab_router_factory, drilled_core_state, tmp_path):
    core, _inventory = _core(lab_router_factory, drilled_core_state, tmp_path, "api")
    core.control.cli('/ip route add dst-address=0.0.0.0/0 gateway=10.10.2.1 %s' % FOREIGN_DEFAULT)
    before = _snapshot(core)
    result = run_drill(_params(core, "api", converge_timeout=1))
    assert result["failed"] and result["restored"], result
    assert "main: expected 10.10.0.1, saw 10.10.2.1" in result["msg"], result["msg"]
    assert _snapshot(core) == before


@pytest.mark.parametrize("wans, message", [
    (None, "multiwan_drill_wans is not set: the drill is opt-in"),
    ("NOPE", "wans: 'NOPE' is not a WAN of multiwan_wans (1012, 1000, 1005, VVG)"),
])
def test_bad_wans_are_refused_before_any_router_is_contacted(lab_router_factory, drilled_core_state, tmp_path, wans, message):
    core, inventory = _core(lab_router_factory, drilled_core_state, tmp_path, "api")
    code, out = run_playbook(DRILL, inventory, extra_vars={"multiwan_drill_wans": wans} if wans else None)
    assert code != 0
    assert message in out, out
    assert core.control.counters(core.name) == {"reads": {}, "writes": {}}


@pytest.mark.parametrize("transport", ["api", "ssh"])
def test_a_controller_killed_mid_drill_leaves_a_router_that_reverts_the_drill(lab_router_factory, drilled_core_state, tmp_path,
                                                                              transport):
    core, inventory = _core(lab_router_factory, drilled_core_state, tmp_path, transport, multiwan_commit_confirm="1m")
    # 1012's table cannot fail over (its backups are disabled by hand), so the drill waits with 1012's routes disabled.
    for backup in ("1000", "1005", "VVG"):
        _route_cli(core, "table-1012-failover-%s" % backup, "disable")
    before = _configuration(core)
    core.control.reset_counters(core.name)
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, "playbooks", "collections"), ANSIBLE_NOCOLOR="1")
    command = [PLAYBOOK_BIN, "-i", inventory, DRILL, "-e", "multiwan_drill_wans=1012", "-e", "multiwan_drill_timeout=120"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline and proc.poll() is None:
            if core.control.counters(core.name)["writes"].get("/ip/route", 0) >= 5:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the drill ended before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    # Killed while it waited for a failover that cannot come: 1012's five routes are disabled, none enabled again.
    assert core.control.counters(core.name)["writes"]["/ip/route"] == 5
    assert _configuration(core) != before
    assert lock_scripts(core) != []

    core.control.set_clock_rate(30)
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline and rows(core, "/system/scheduler"):
        time.sleep(0.2)
    core.control.set_clock_rate(1)
    [marker] = [row for row in rows(core, "/system/script") if row.get("name") == "multiwan-confirm"]
    assert "reverted" in marker["comment"] and "errors=0" in marker["comment"], marker
    assert _configuration(core) == before
    assert lock_scripts(core) == []
