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


def _uplink_flows_right(day2, gateways):
    """The router forwards as the intent says, each uplink WAN by the gateway it gets on the router."""
    intent = copy.deepcopy(day2.intent)
    for wan in intent["multiwan_wans"]:
        wan.setdefault("gateway", gateways.get(wan["name"]))
    assert wrong_flows(Router(lambda path: rows(day2.router, path)), intent) == []


def _default_routes_via(day2, gateway):
    return sorted((row["routing-table"], int(row["distance"]), "dhcp" in row) for row in rows(day2.router, "/ip/route")
                  if row.get("gateway") == gateway and row.get("dst-address") == "0.0.0.0/0")


def test_core_wans_switch_to_dhcp_and_pppoe_uplinks(lab_router_factory, tmp_path):
    day2 = Day2(lab_router_factory, tmp_path, "core", "playbooks/core.yml", copy.deepcopy(_group_intent("multiwan_core")))
    day2.converge()
    static_routes = [(table, distance) for table, distance, _dhcp in _default_routes_via(day2, "10.10.0.1")]

    # WAN 1000's ISP moves to DHCP (the lab's DHCP server on VLAN3000 offers the address the WAN had): the WAN's
    # static routes give way to its DHCP client, which installs the same routes (same tables and distances).
    day2.router.control.set_dhcp_lease("VLAN3000", "10.10.0.2/30", "10.10.0.1")

    def to_dhcp(intent):
        wan = intent["multiwan_wans"][1]
        del wan["gateway"]
        wan["gateway_from"] = "dhcp"
    planned = day2.change(to_dhcp)
    added = [line for line in _commands(planned) if line.startswith("/ip dhcp-client add")]
    assert len(added) == 1 and "interface=VLAN3000" in added[0] and "check-gateway=ping" in added[0], planned
    assert "default-route-tables=main:2,InternetVia1012:3,InternetVia1000:1,InternetVia1005:3" in added[0], added
    assert all(line.startswith("/ip route remove") for line in _commands(planned) if line.startswith("/ip route")), planned
    assert _default_routes_via(day2, "10.10.0.1") == sorted((table, distance, True) for table, distance in static_routes)
    _uplink_flows_right(day2, {"1000": "10.10.0.1"})

    # WAN 1005 moves to PPPoE: without the ISP's PPPoE client the run fails, naming the variable, and writes nothing.
    def to_pppoe(intent):
        wan = intent["multiwan_wans"][2]
        del wan["gateway"]
        wan.update(interface="pppoe-out1", gateway_from="pppoe", check_gateway="none")
    pppoe_intent = copy.deepcopy(day2.intent)
    to_pppoe(pppoe_intent)
    inventory = write_inventory(str(tmp_path / "inv-pppoe"), {"core": day2.router}, {"core": pppoe_intent})
    day2.router.control.reset_counters(day2.router.name)
    code, out = run_playbook("playbooks/core.yml", inventory, "--check", extra_vars={"backup_dir": str(tmp_path / "b")})
    assert code != 0 and "multiwan_wans[2].interface: pppoe-out1 is not a PPPoE client of this router" in out, out
    assert sum(day2.router.control.counters(day2.router.name)["writes"].values()) == 0, out

    # The ISP setup makes the client (its credentials are not the collection's); then the WAN converges.
    api = day2.router.api()
    api.path("/interface/pppoe-client").add(name="pppoe-out1", interface="VLAN3003", user="isp-1005", password="isp-secret")
    api.close()
    day2.router.control.set_pppoe_session("pppoe-out1", True)
    planned = day2.change(to_pppoe)
    assert not [line for line in _commands(planned) if "pppoe-client" in line or "isp-secret" in line], planned
    assert all("10.10.3.1" not in line for line in _commands(planned)), planned
    assert ("InternetVia1005", 1, False) in _default_routes_via(day2, "pppoe-out1")
    assert not _default_routes_via(day2, "10.10.3.1")
    _uplink_flows_right(day2, {"1000": "10.10.0.1", "1005": "pppoe-out1"})

    # Back to a static gateway: the DHCP client the collection took over goes, the static routes come back.
    def to_static(intent):
        wan = intent["multiwan_wans"][1]
        del wan["gateway_from"]
        wan["gateway"] = "10.10.0.1"
    planned = day2.change(to_static)
    clients = [line for line in _commands(planned) if line.startswith("/ip dhcp-client")]
    assert len(clients) == 1 and clients[0].startswith("/ip dhcp-client remove") and "VLAN3000" in clients[0], planned
    assert rows(day2.router, "/ip/dhcp-client") == []
    assert _default_routes_via(day2, "10.10.0.1") == sorted((table, distance, False) for table, distance in static_routes)
