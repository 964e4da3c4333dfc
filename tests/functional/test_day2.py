"""Day 2: changes of the intent on routers that are already configured, through the real ansible-playbook.

Every change runs as an operator runs it: ``--check --diff`` (nothing written, counted by the lab), then the
apply run, whose operations must be exactly those the check run predicted, phase by phase and in order, then a
re-run that changes nothing; after each change the router forwards as the intent says (``flows.py``).
"""

import copy
import json
import os

import pytest
import yaml

from flows import Router, wrong_flows
from rollout_lab import LAB_INVENTORY, NOT_CONFIGURATION, lock_scripts, recap, rows, run_playbook, start_routers, write_inventory

pytestmark = pytest.mark.slow


def _group_intent(group):
    intent = {}
    folder = os.path.join(LAB_INVENTORY, "group_vars", group)
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            intent.update(yaml.safe_load(handle) or {})
    return intent


def _host_intent(host):
    with open(os.path.join(LAB_INVENTORY, "host_vars", "%s.yml" % host), encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


class Day2:
    """One lab router, its inventory in ``tmp_path`` and the intent a test changes step by step."""

    def __init__(self, factory, tmp_path, host, playbook, intent):
        self.router = start_routers(factory, [host])[host]
        self.host = host
        self.playbook = playbook
        self.tmp_path = tmp_path
        self.intent = intent
        self.runs = 0

    def _run(self, *args):
        self.runs += 1
        summary = str(self.tmp_path / ("summary-%d" % self.runs))
        inventory = write_inventory(str(self.tmp_path / "inv"), {self.host: self.router}, {self.host: self.intent})
        extra = {"backup_dir": str(self.tmp_path / "backups"), "multiwan_summary_dir": summary}
        self.router.control.reset_counters(self.router.name)
        code, out = run_playbook(self.playbook, inventory, *args, extra_vars=extra)
        assert code == 0, out
        with open(os.path.join(summary, "%s.json" % self.host), encoding="utf-8") as handle:
            phases = json.load(handle)["phases"]
        counted = self.router.control.counters(self.router.name)["writes"]
        return out, phases, counted

    def converge(self):
        out, _phases, _writes = self._run()
        return out

    def change(self, mutate):
        """Change the intent, then check -> apply -> re-run; returns the check run's phases."""
        mutate(self.intent)
        check_out, planned, check_writes = self._run("--check", "--diff")
        # Check mode writes nothing at all (no /file either: the backup reads the export without a file).
        assert sum(check_writes.values()) == 0, check_out
        apply_out, applied, _writes = self._run()
        assert _operations(applied) == _operations(planned), (check_out, apply_out)
        rerun_out, again, rerun_writes = self._run()
        # The apply run's backup writes a temporary export file and the run takes and releases its lock;
        # configuration is not written.
        assert [path for path in rerun_writes if path not in NOT_CONFIGURATION] == [], rerun_out
        assert lock_scripts(self.router) == [], rerun_out
        assert recap(rerun_out)[self.host]["changed"] == 0, rerun_out
        assert all(not phase["commands"] for phase in again), rerun_out
        return planned


def _operations(phases):
    return [(phase["phase"], phase["role"], phase["commands"]) for phase in phases]


def _commands(phases):
    return [line for phase in phases for line in phase["commands"]]


def _flows_right(day2):
    router = Router(lambda path: rows(day2.router, path))
    assert wrong_flows(router, day2.intent) == []


NEW_WAN = {"name": "2000", "interface": "VLAN3005", "gateway": "192.168.253.1", "address": "192.168.253.2/30",
           "vlan": {"id": 3005, "interface": "sfp-sfpplus1"}, "inbound": False, "check_gateway": "ping",
           "distance": 5, "comment": "Second ISP router"}


def _site(intent, name):
    return next(site for site in intent["multiwan_sites"] if site["name"] == name)


def test_core_wan_and_site_changes(lab_router_factory, tmp_path):
    day2 = Day2(lab_router_factory, tmp_path, "core", "playbooks/core.yml", copy.deepcopy(_group_intent("multiwan_core")))
    day2.converge()
    _flows_right(day2)

    # A WAN is added (its VLAN, address, masquerade-free main route); no site uses it yet, so it has no table.
    planned = day2.change(lambda intent: intent["multiwan_wans"].append(copy.deepcopy(NEW_WAN)))
    assert all("2000" in line or "3005" in line or "VLAN3005" in line for line in _commands(planned)), planned
    _flows_right(day2)

    # A site moves to that WAN, whose table does not exist yet: phase 20 creates it, phases 30/50 use it.
    planned = day2.change(lambda intent: _site(intent, "kbs_8").update(wan="2000"))
    assert any("/routing table add" in line and "InternetVia2000" in line for line in _commands(planned))
    _flows_right(day2)

    # The WAN's gateway (and transit address) change.
    def new_gateway(intent):
        wan = intent["multiwan_wans"][-1]
        wan.update(gateway="192.168.253.5", address="192.168.253.6/30")
    planned = day2.change(new_gateway)
    assert all("2000" in line or "192.168.253" in line for line in _commands(planned)), planned
    _flows_right(day2)

    # The site moves back to an existing WAN: 2000 keeps no table; the table goes after the rules that used it.
    planned = day2.change(lambda intent: _site(intent, "kbs_8").update(wan="1012"))
    phases = [phase["phase"] for phase in planned if any("/routing table remove" in line for line in phase["commands"])]
    assert phases == ["75_cleanup"], planned
    _flows_right(day2)

    # The WAN is removed: only entries of that WAN change.
    planned = day2.change(lambda intent: intent["multiwan_wans"].pop())
    assert _commands(planned)
    assert all("2000" in line or "3005" in line or "192.168.253" in line for line in _commands(planned)), planned
    _flows_right(day2)


def test_core_policy_changes(lab_router_factory, tmp_path):
    day2 = Day2(lab_router_factory, tmp_path, "core", "playbooks/core.yml", copy.deepcopy(_group_intent("multiwan_core")))
    day2.converge()

    day2.change(lambda intent: intent["multiwan_internal_networks"].append("10.99.0.0/16"))
    assert [row for row in rows(day2.router, "/routing/rule") if row.get("dst-address") == "10.99.0.0/16"]
    day2.change(lambda intent: intent["multiwan_internal_networks"].remove("10.99.0.0/16"))
    assert not [row for row in rows(day2.router, "/routing/rule") if row.get("dst-address") == "10.99.0.0/16"]
    _flows_right(day2)

    day2.change(lambda intent: intent.update(multiwan_load_balancing={"method": "pcc", "wans": ["1012", "1000"]}))
    assert [row for row in rows(day2.router, "/ip/firewall/mangle") if row.get("per-connection-classifier")]
    day2.change(lambda intent: intent.update(multiwan_load_balancing={"method": "nth", "wans": ["1012", "1000"]}))
    mangle = rows(day2.router, "/ip/firewall/mangle")
    assert not [row for row in mangle if row.get("per-connection-classifier")]
    assert [row for row in mangle if row.get("nth")]
    _flows_right(day2)

    # Every table is renamed: new tables first, the rules follow, the old tables go last (phase 75).
    planned = day2.change(lambda intent: intent.update(multiwan_names={"table": "ISP_{wan}"}))
    removed = [phase["phase"] for phase in planned if any("/routing table remove" in line for line in phase["commands"])]
    assert removed == ["75_cleanup"], planned
    tables = sorted(row["name"] for row in rows(day2.router, "/routing/table") if row.get("name") != "main")
    assert tables == ["ISP_1000", "ISP_1005", "ISP_1012", "ISP_VVG"]
    _flows_right(day2)


def test_edge_port_forward_changes(lab_router_factory, tmp_path):
    day2 = Day2(lab_router_factory, tmp_path, "edge-1012", "playbooks/edge.yml", copy.deepcopy(_host_intent("edge-1012")))
    day2.converge()

    added = {"name": "rdp", "protocol": "tcp", "port": 3389, "to_address": "10.11.101.20"}
    day2.change(lambda intent: intent["multiwan_port_forwards"].append(added))
    assert [row for row in rows(day2.router, "/ip/firewall/nat") if row.get("dst-port") == "3389"]

    day2.change(lambda intent: intent["multiwan_port_forwards"][-1].update(to_address="10.11.101.21"))
    assert [row["to-addresses"] for row in rows(day2.router, "/ip/firewall/nat") if row.get("dst-port") == "3389"] == ["10.11.101.21"]

    day2.change(lambda intent: intent["multiwan_port_forwards"].pop())
    assert not [row for row in rows(day2.router, "/ip/firewall/nat") if row.get("dst-port") == "3389"]

    day2.change(lambda intent: intent["multiwan_edge"].update(fix_transit_srcnat=True))
    foreign = [row for row in rows(day2.router, "/ip/firewall/nat") if row.get("action") == "masquerade"
               and "[mwan:port_forward_nosrcnat:transit-srcnat-" in row.get("comment", "")]
    assert foreign and all(row.get("disabled") == "true" for row in foreign)
