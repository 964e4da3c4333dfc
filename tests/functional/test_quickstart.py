"""docs/quickstart.md for real: the quickstart inventory through ``playbooks/core.yml`` against its lab router.

The router starts from ``inventory/quickstart/init/core.rsc`` like ``topology.yml`` describes it; the inventory
is copied into the test's folder with the connection ports replaced by the test router's free ports.
"""

import os
import shutil

import pytest
import yaml

from rollout_lab import ROOT, assert_rerun_changes_nothing, reads, recap, rows, run_playbook, writes

QUICKSTART = os.path.join(ROOT, "inventory", "quickstart")

pytestmark = pytest.mark.slow


def _load(name):
    with open(os.path.join(QUICKSTART, name), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _core_hosts(hosts):
    return hosts["all"]["children"]["multiwan_core"]["hosts"]


def _start_router(factory):
    """The lab router of topology.yml, with the login the inventory uses."""
    (entry,) = _load("topology.yml")
    with open(os.path.join(QUICKSTART, entry["init"]), encoding="utf-8") as handle:
        init = handle.read()
    host = _core_hosts(_load("hosts.yml"))[entry["name"]]
    return factory(identity=entry["identity"], version=str(entry["version"]), interfaces=list(entry["interfaces"]),
                   init=init, name=entry["name"], username=host["ansible_user"], password=host["ansible_password"])


def _connection_port(host, router):
    """The test router's port for the port variable the inventory sets (API-SSL when the host asks for TLS)."""
    if host.get("multiwan_transport", "api") == "ssh":
        return "ansible_port", router.ssh_port
    return "multiwan_api_port", router.api_ssl_port if host.get("multiwan_api_tls") else router.api_port


def _write_inventory(folder, router):
    shutil.copytree(os.path.join(QUICKSTART, "group_vars"), os.path.join(folder, "group_vars"))
    hosts = _load("hosts.yml")
    host = _core_hosts(hosts)[router.name]
    variable, port = _connection_port(host, router)
    host[variable] = port
    path = os.path.join(folder, "hosts.yml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("---\n" + yaml.safe_dump(hosts, sort_keys=False))
    return path


def test_topology_and_inventory_agree_on_the_router_and_its_port():
    """The one-line `serve` of the quickstart and `-i inventory/quickstart/hosts.yml` reach the same router."""
    (entry,) = _load("topology.yml")
    hosts = _core_hosts(_load("hosts.yml"))
    assert list(hosts) == [entry["name"]]
    host = hosts[entry["name"]]
    assert host["ansible_host"] == "127.0.0.1"
    wanted = "api-ssl" if host.get("multiwan_api_tls") else "api"
    assert host["multiwan_api_port"] == entry["ports"][wanted]


def test_quickstart_check_then_apply_then_rerun_changes_nothing(lab_router_factory, tmp_path):
    core = _start_router(lab_router_factory)
    inventory = _write_inventory(str(tmp_path / "inv"), core)
    extra = {"backup_dir": str(tmp_path / "backups")}
    addresses_before = rows(core, "/ip/address")

    core.control.reset_counters(core.name)
    code, out = run_playbook("playbooks/core.yml", inventory, "--check", "--diff", extra_vars=extra)
    assert code == 0, out
    assert writes(core) == 0, out
    assert reads(core) > 0
    assert rows(core, "/ip/address") == addresses_before
    assert "+++ after: /routing/table InternetViaISP1 (add)" in out

    code, out = run_playbook("playbooks/core.yml", inventory, extra_vars=extra)
    assert code == 0, out
    assert recap(out)["core"]["failed"] == 0
    assert "core matches the intent" in out
    tables = sorted(row["name"] for row in rows(core, "/routing/table") if row.get("name") != "main")
    assert tables == ["InternetViaISP1", "InternetViaISP2"]
    masquerade = [row["out-interface"] for row in rows(core, "/ip/firewall/nat") if row.get("action") == "masquerade"]
    assert masquerade == ["ether1", "ether2"]
    sites = {(row["list"], row["address"]) for row in rows(core, "/ip/firewall/address-list") if row["list"].startswith("SITES_USE_")}
    assert sites == {("SITES_USE_ISP1", "10.20.10.0/24"), ("SITES_USE_ISP2", "10.20.20.0/24")}
    # The router's own configuration (VLAN gateways, the hand-made filter rule) is left as it was.
    assert {row["address"] for row in addresses_before} <= {row["address"] for row in rows(core, "/ip/address")}
    assert "allow ping" in [row.get("comment", "") for row in rows(core, "/ip/firewall/filter")]

    assert_rerun_changes_nothing(core, "playbooks/core.yml", inventory, extra)


def _yaml_blocks(path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    return [yaml.safe_load(block.split("\n```", 1)[0]) for block in text.split("```yaml\n")[1:]]


def test_the_page_shows_the_inventory_as_it_is():
    """The intent and the connection printed in docs/quickstart.md are those of inventory/quickstart."""
    intent, connection = _yaml_blocks(os.path.join(ROOT, "docs", "quickstart.md"))
    assert intent == _load(os.path.join("group_vars", "multiwan_core.yml"))
    assert connection == {"core": _core_hosts(_load("hosts.yml"))["core"]}
