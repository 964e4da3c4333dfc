"""multiwan.routeros.verify against lab routers (API and SSH), and the verification gate of core.yml.

The core is configured the way its roles do it (each compiled role reconciled by the config module's function), then
probed through the lab's /ping, /tool/traceroute, /ip/route and /ip/firewall/connection; faults come from the lab's
control port (a gateway that stops answering, injected flows).
"""

import os

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from rollout_lab import LAB_INVENTORY, recap, run_playbook, start_routers, write_inventory

from ansible_collections.multiwan.routeros.plugins.module_utils import registry
from ansible_collections.multiwan.routeros.plugins.module_utils.compile import dispatch
from ansible_collections.multiwan.routeros.plugins.module_utils.runs import config_spec, run_config, run_verify, verify_spec

TRANSPORTS = ("api", "ssh")


def _intent(*files):
    intent = {}
    for name in files:
        with open(os.path.join(LAB_INVENTORY, name), encoding="utf-8") as handle:
            intent.update(yaml.safe_load(handle))
    return dict((key, value) for key, value in intent.items() if key.startswith("multiwan_") and key in
                registry.intent_variables("edge" if "host_vars" in files[0] else "core"))


CORE_INTENT = _intent("group_vars/multiwan_core/wans.yml", "group_vars/multiwan_core/sites.yml")
EDGE_INTENT = _intent("host_vars/edge-1012.yml")


def _params(spec, router, transport, **options):
    args = dict(hostname=router.host, username=router.username, password=router.password, tls=False,
                port=router.api_port, transport=transport, ssh_port=router.ssh_port, host_key_checking=False)
    args.update(options)
    result = ArgumentSpecValidator(spec()[0]).validate(args)
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


def _apply(router, intent, kind):
    """Reconcile every compiled role of the router kind's rollout, in phase order, as the playbooks do."""
    for phase in registry.reconciling_phases(kind):
        desired = dispatch.desired_state(intent, phase.role)
        result = run_config(_params(config_spec, router, "api", desired=desired, owner=phase.role, state="overridden"),
                            False, False)
        assert not result.get("failed"), result


def _verify(router, transport, intent=None, check_mode=False, **options):
    return run_verify(_params(verify_spec, router, transport, intent=intent or CORE_INTENT, **options), check_mode)


@pytest.fixture
def core(lab_router_factory):
    router = start_routers(lab_router_factory, ["core"])["core"]
    _apply(router, CORE_INTENT, registry.CORE)
    return router


def _rows(result):
    return dict((row["wan"], row) for row in result["rows"])


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_configured_core_passes_over_both_transports_and_check_mode_is_the_same(core, transport):
    before = core.control.counters(core.name)["writes"]
    result = _verify(core, transport)
    assert not result.get("failed") and result["ok"], result["msg"]
    rows = _rows(result)
    assert list(rows) == ["1012", "1000", "1005", "VVG"]
    for wan, gateway in (("1012", "10.10.2.1"), ("1000", "10.10.0.1"), ("1005", "10.10.3.1"), ("VVG", "192.168.254.1")):
        assert rows[wan]["table"] == "InternetVia%s" % wan
        assert rows[wan]["gateway_ping"]["received"] == 3
        assert rows[wan]["first_hop"] == {"expected": gateway, "actual": gateway}
        assert rows[wan]["connections"] == 0
    # The router sends its own packets from 1012's address by main, whose default route is 1012's: through the table.
    assert rows["1012"]["probe_through_table"] is True and rows["1012"]["probe_ping"]["ok"]
    # From 1000's address they leave by main too (no /routing/rule for it): said, not judged.
    assert rows["1000"]["probe_through_table"] is False and "not through InternetVia1000" in rows["1000"]["notes"][0]
    assert result["table_lines"][1].split()[:4] == ["WAN", "TABLE", "GATEWAY", "GW"]
    assert "FAIL" not in result["table"]
    check = _verify(core, transport, check_mode=True)
    assert [dict(row, gateway_ping=None, probe_ping=None) for row in check["rows"]] == \
        [dict(row, gateway_ping=None, probe_ping=None) for row in result["rows"]]
    assert core.control.counters(core.name)["writes"] == before


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_wan_whose_gateway_stops_answering_fails_with_its_row_saying_why(core, transport):
    core.control.set_reachable("10.10.0.1", False, router=core.name)
    result = _verify(core, transport)
    assert result["failed"] and not result["ok"]
    rows = _rows(result)
    assert rows["1000"]["problems"] == ["gateway 10.10.0.1 does not answer (0/3 timeout)"]
    # check-gateway took 1000's route out: its table follows the intent's failover order, to 1012.
    assert rows["1000"]["first_hop"] == {"expected": "10.10.2.1", "actual": "10.10.2.1"}
    assert rows["1012"]["ok"] and rows["1005"]["ok"] and rows["VVG"]["ok"]
    assert result["problems"] == ["WAN 1000 (InternetVia1000): gateway 10.10.0.1 does not answer (0/3 timeout)"]
    assert "FAIL" in result["msg"] and "gateway 10.10.0.1 does not answer" in result["msg"]
    reported = _verify(core, transport, report_only=True)
    assert not reported.get("failed") and not reported["ok"] and reported["problems"] == result["problems"]


def test_injected_flows_are_counted_per_connection_mark(core):
    for port in (40001, 40002):
        decided = core.control.inject_flow("VLAN3000", "198.51.100.7", "10.11.101.206", src_port=port, dst_port=22,
                                           router=core.name)
        assert decided["connection_mark"] == "CONN_VIA_1000"
    core.control.inject_flow("VLAN3003", "198.51.100.8", "10.11.101.206", src_port=40003, dst_port=22, router=core.name)
    for transport in TRANSPORTS:
        rows = _rows(_verify(core, transport))
        assert (rows["1012"]["connections"], rows["1000"]["connections"], rows["1005"]["connections"]) == (0, 2, 1)


def test_invalid_intent_fails_before_any_connection(core):
    bad = dict(CORE_INTENT, multiwan_monitoring={"probe_hosts": {"isp9": "9.9.9.9"}})
    before = core.control.counters(core.name)
    result = _verify(core, "api", intent=bad)
    assert result["failed"] and "multiwan_monitoring.probe_hosts.isp9: unknown WAN" in result["msg"]
    assert core.control.counters(core.name) == before


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_an_edge_whose_forward_is_masqueraded_is_flagged(lab_router_factory, transport):
    edge = start_routers(lab_router_factory, ["edge-1012"])["edge-1012"]
    _apply(edge, EDGE_INTENT, registry.EDGE)
    result = _verify(edge, transport, intent=EDGE_INTENT, kind="edge")
    assert result["ok"], result["msg"]
    assert result["rows"][0]["first_hop"] == {"expected": "203.0.113.9", "actual": "203.0.113.9"}
    assert result["rows"][0]["connections"] == 0
    flow = "198.51.100.77:40000 -> 203.0.113.10:443 reaches 10.11.101.10:443 from 10.10.2.1"

    def forward(port):
        return edge.control.inject_flow("ether1", "198.51.100.77", "203.0.113.10", src_port=port, dst_port=443, router=edge.name)

    # The brownfield "to core" masquerade hits the forward; fix_transit_srcnat is false, so the intent keeps it: a note.
    decided = forward(40000)
    assert decided["dstnat"] and decided["srcnat"]
    result = _verify(edge, transport, intent=EDGE_INTENT, kind="edge")
    assert result["ok"] and result["rows"][0]["connections"] == 1
    assert result["notes"][-1] == ("WAN 1012 (main): forwarded connection source-NATed (client address lost; kept, since "
                                   "multiwan_edge.fix_transit_srcnat is false): tcp " + flow)

    # With the rule disabled (what the edge role does with fix_transit_srcnat: true), the connection opened before keeps
    # its NAT until it closes: a note, not a failure (it would revert the run that fixed the router).
    fixed = dict(EDGE_INTENT, multiwan_edge=dict(EDGE_INTENT["multiwan_edge"], fix_transit_srcnat=True))
    edge.control.cli('/ip firewall nat disable [find where comment="to core"]', router=edge.name)
    assert not forward(40001)["srcnat"]
    result = _verify(edge, transport, intent=fixed, kind="edge")
    assert result["ok"] and result["rows"][0]["connections"] == 2, result["msg"]
    assert result["notes"][-1].startswith("WAN 1012 (main): forwarded connection source-NATed before the transit source NAT")

    # A masquerade toward the core added by hand after the fix hides the client again: the gate fails, naming the rule.
    edge.control.cli('/ip firewall nat add chain=srcnat action=masquerade out-interface=sfp-sfpplus1 comment="by hand"',
                     router=edge.name)
    forward(40002)
    result = _verify(edge, transport, intent=fixed, kind="edge")
    assert result["failed"] and result["rows"][0]["connections"] == 3
    assert len(result["problems"]) == 2
    assert all("client address lost) by srcnat masquerade rule (by hand): " in text for text in result["problems"])


def _gate_inventory(routers, tmp_path):
    return write_inventory(str(tmp_path / "inventory"), routers)


def test_core_yml_stops_at_the_gate_in_apply_mode_and_reports_in_check_mode(lab_router_factory, tmp_path):
    routers = start_routers(lab_router_factory, ["core"])
    core = routers["core"]
    inventory = _gate_inventory(routers, tmp_path)
    core.control.set_reachable("10.10.3.1", False, router=core.name)
    extra = {"backup_dir": str(tmp_path / "backups")}
    code, out = run_playbook("playbooks/core.yml", inventory, "--check", extra_vars=extra)
    assert code == 0, out
    assert "gateway 10.10.3.1 does not answer" in out and "problems are reported, not stopping" in out
    assert "Phase 80" in out and recap(out)["core"]["failed"] == 0
    # A check run writes nothing: phase 80's gate takes phase 60's probe again.
    assert "probed after phase 60_failover: no phase has changed the router since, so that result stands" in out
    code, out = run_playbook("playbooks/core.yml", inventory, extra_vars=extra)
    assert code != 0
    assert "STOP: core does not forward as the intent says" in out
    assert "WAN 1005 (InternetVia1005): gateway 10.10.3.1 does not answer (0/3 timeout)" in out
    # It stopped at phase 60's gate: phase 70 never ran.
    assert "Phase 60" in out and "Phase 70" not in out
