"""The backup role: /export saved on the controller before any change, also in check mode."""

import glob
import os
import re

import pytest

from rollout_lab import ROOT, all_writes, recap, rows, run_playbook, start_routers, write_inventory, writes

pytestmark = pytest.mark.slow

READ_ONLY = {"auditor": ("auditor-secret", "read")}
# Folders of the checkout that hold nothing of a run (tools and caches).
NOT_CHECKOUT = {".git", ".venv", ".collections", ".cache", ".pytest_cache", ".hypothesis"}


def configuration(router):
    """Every menu's rows, /system/resource and /system/clock left out (their uptime and time move on)."""
    return {path: found for path, found in router.control.dump()["rows"].items()
            if path not in ("/system/resource", "/system/clock")}


def saved_paths(output):
    """The backup files the run reported, as printed."""
    return re.findall(r"characters, to (\S+\.rsc)", output)


def custom_stats(output):
    """The ``multiwan_backups`` custom statistic the run printed (ANSIBLE_SHOW_CUSTOM_STATS)."""
    block = output.split("CUSTOM STATS:", 1)[1]
    return dict(re.findall(r'"([\w-]+)": "([^"]+\.rsc)"', block))


def files_in_checkout(names):
    """Files of the checkout (tools and caches left out) whose name is one of ``names``."""
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        if folder == ROOT:
            subfolders[:] = [name for name in subfolders if name not in NOT_CHECKOUT]
        found.extend(os.path.join(folder, name) for name in files if name in names)
    return found


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
        assert all_writes(router) == {}
        assert rows(router, "/ip/firewall/nat") == before[name]
    # A new file on the controller is not a change of a router.
    assert all(counts["changed"] == 0 for counts in recap(out).values()), out


@pytest.mark.parametrize("transport", ["api", "ssh"])
def test_check_mode_writes_nothing_on_the_router_even_with_a_read_only_account(lab_router_factory, tmp_path, transport):
    routers = start_routers(lab_router_factory, ["edge-1005"], users=READ_ONLY)
    edge = routers["edge-1005"]
    overrides = {"edge-1005": {"ansible_user": "auditor", "ansible_password": "auditor-secret",
                               "multiwan_transport": transport, "multiwan_host_key_checking": False}}
    inventory = write_inventory(str(tmp_path / "inv"), routers, overrides=overrides)
    backups = tmp_path / "backups"
    before = configuration(edge)
    edge.control.reset_counters(edge.name)
    code, out = run_playbook("playbooks/00_backup.yml", inventory, "--check", extra_vars={"backup_dir": str(backups)})
    assert code == 0, out
    # Not even a temporary file: over the API /export runs through /execute as-string in check mode.
    assert all_writes(edge) == {}, out
    assert configuration(edge) == before
    assert rows(edge, "/file") == []
    files = glob.glob(str(backups / "edge-1005" / "edge-1005-*.rsc"))
    assert len(files) == 1, out
    with open(files[0], encoding="utf-8") as handle:
        export = handle.read()
    assert export.startswith("# ") and "/ip firewall nat" in export and export.endswith("\n")
    assert "auditor-secret" not in out


def test_backup_outside_check_mode_changes_no_configuration_and_leaves_no_file(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["edge-1005"])
    edge = routers["edge-1005"]
    inventory = write_inventory(str(tmp_path / "inv"), routers)
    before = rows(edge, "/ip/firewall/nat")
    for attempt in range(2):
        edge.control.reset_counters(edge.name)
        code, out = run_playbook("playbooks/00_backup.yml", inventory, extra_vars={"backup_dir": str(tmp_path / "b")})
        assert code == 0, "run %d: %s" % (attempt, out)
        # Over the API the export is a temporary /file, written, read back and removed; no configuration write.
        assert writes(edge) == 0, out
        assert rows(edge, "/file") == []
        assert rows(edge, "/ip/firewall/nat") == before
        assert recap(out)["edge-1005"]["changed"] == 0, out
    assert len(glob.glob(str(tmp_path / "b" / "edge-1005" / "edge-1005-*.rsc"))) >= 1


def test_backup_dir_resolves_against_the_run_directory_and_is_published(lab_router_factory, tmp_path, monkeypatch):
    routers = start_routers(lab_router_factory, ["core", "edge-1005"])
    inventory = write_inventory(str(tmp_path / "inv"), routers)
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    playbook = os.path.join(ROOT, "playbooks", "00_backup.yml")
    monkeypatch.setenv("ANSIBLE_SHOW_CUSTOM_STATS", "1")
    elsewhere = tmp_path / "elsewhere"
    cases = [
        ({}, run_dir / "backups"),                                  # the default: backups/ under the run directory
        ({"backup_dir": "saved/../exports"}, run_dir / "exports"),  # relative: against the run directory
        ({"backup_dir": str(elsewhere)}, elsewhere),                # absolute: as given
    ]
    for extra, expected in cases:
        code, out = run_playbook(playbook, inventory, "--check", extra_vars=extra, cwd=str(run_dir))
        assert code == 0, out
        printed = saved_paths(out)
        assert len(printed) == 2, out
        expected_files = {name: glob.glob(str(expected / name / ("%s-*.rsc" % name))) for name in routers}
        assert all(len(found) == 1 for found in expected_files.values()), (extra, expected_files, out)
        # The run prints the absolute path of each backup and publishes it per host with set_stats (AWX).
        assert sorted(printed) == sorted(found[0] for found in expected_files.values()), out
        assert all(os.path.isabs(path) for path in printed)
        assert custom_stats(out) == {name: found[0] for name, found in expected_files.items()}, out
        # Nothing of the run lands in the checkout (the playbook's, the role's or any other of its folders).
        assert files_in_checkout({os.path.basename(path) for path in printed}) == []
        for name in routers:
            os.remove(expected_files[name][0])


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
