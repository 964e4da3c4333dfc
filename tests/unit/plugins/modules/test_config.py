# -*- coding: utf-8 -*-
"""Module-level tests of multiwan.routeros.config that need no router (offline states, input checks).

Runs against the lab router (with check-mode twins) live in tests/functional/test_config_module_*.py.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys
import tempfile

import pytest

from ansible_collections.multiwan.routeros.plugins.modules import config

MANGLE = "/ip/firewall/mangle"


def run_module(capsys, args):
    """Run the module in a fresh interpreter, as Ansible does (module warnings depend on process state)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"ANSIBLE_MODULE_ARGS": args}, handle)
    try:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        proc = subprocess.run([sys.executable, config.__file__, handle.name], capture_output=True, text=True,
                              env=env, timeout=60, check=False)
    finally:
        os.unlink(handle.name)
    return json.loads(proc.stdout)


def warnings_of(result):
    """Warning texts (ansible-core 2.19 returns them as structured summaries)."""
    out = []
    for w in result.get("warnings", []):
        out.append(w if isinstance(w, str) else w.get("event", {}).get("msg", str(w)))
    return out


def test_rendered_needs_no_device(capsys):
    result = run_module(capsys, {
        "owner": "tables", "state": "rendered",
        "desired": {"/routing/table": [{"name": "InternetVia1012", "fib": True}],
                    "/ip/route": [{"_key": "default-1012", "gateway": "10.10.2.1", "routing-table": "InternetVia1012"}]},
    })
    assert not result.get("failed"), result
    assert result["changed"] is False
    assert result["rendered"] == [
        '/routing table add comment="[mwan:tables:InternetVia1012]" fib name=InternetVia1012',
        '/ip route add comment="[mwan:tables:default-1012]" gateway=10.10.2.1 routing-table=InternetVia1012',
    ]
    assert result["commands"] == result["rendered"]
    assert [op["op"] for op in result["plan"]] == ["add", "add"]


def test_rendered_connected_gateway_warns(capsys):
    result = run_module(capsys, {
        "owner": "pbr", "state": "rendered",
        "desired": {"/ip/route": [{"_key": "int", "_gateway": "connected", "dst-address": "10.11.0.0/16",
                                   "routing-table": "T"}]},
    })
    assert any("apply time" in w for w in warnings_of(result)), result


def test_parsed_turns_export_into_desired(capsys):
    text = "\n".join([
        "/ip firewall mangle",
        'add action=mark-connection chain=prerouting comment="[mwan:cm:a@10]" new-connection-mark=X',
        "add action=accept chain=forward comment=hand",
        "/ip firewall address-list",
        "add address=10.0.0.1 list=L",
    ])
    result = run_module(capsys, {"owner": "cm", "state": "parsed", "running_config": text})
    assert result["parsed"][MANGLE] == [
        {"_key": "a", "_rank": 10, "action": "mark-connection", "chain": "prerouting", "new-connection-mark": "X"},
        {"_key": "forward-1", "_rank": 20, "chain": "forward", "comment": "hand"},
    ]
    assert result["parsed"]["/ip/firewall/address-list"] == [{"address": "10.0.0.1", "list": "L"}]


@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize("desired,needle", [
    ({"/ip/bogus": []}, "unknown path"),
    ({MANGLE: [{"chain": "forward"}]}, "_key"),
    ({MANGLE: [{"_key": "x", "_rank": "first", "chain": "forward"}]}, "_rank"),
])
def test_bad_input_fails_before_connecting(capsys, desired, needle, check_mode):
    # Port 1 on localhost is closed: reaching the connection step would give a connection error instead.
    result = run_module(capsys, {"owner": "p", "desired": desired, "hostname": "127.0.0.1", "port": 1,
                                 "username": "admin", "password": "x", "_ansible_check_mode": check_mode})
    assert result["failed"]
    assert "nothing was written" in result["msg"] and needle in result["msg"]


def test_bad_owner(capsys):
    result = run_module(capsys, {"owner": "Bad Owner", "state": "rendered", "desired": {}})
    assert result["failed"] and "owner" in result["msg"]


def test_missing_hostname_for_device_state(capsys):
    result = run_module(capsys, {"owner": "p", "desired": {}})
    assert result["failed"] and "hostname" in result["msg"]


def test_connection_error_is_reported(capsys):
    result = run_module(capsys, {"owner": "p", "desired": {}, "hostname": "127.0.0.1", "port": 1,
                                 "username": "admin", "password": "x", "timeout": 2})
    assert result["failed"] and "cannot connect" in result["msg"]


def test_from_intent_without_the_action_plugin_writes_nothing(capsys):
    # Run as a module, it has no host variables: an empty desired state would remove every owned entry.
    result = run_module(capsys, {"owner": "routing_tables", "state": "overridden", "from_intent": True,
                                 "hostname": "127.0.0.1", "port": 1, "username": "admin", "password": "x"})
    assert result["failed"] and "from_intent needs the collection's action plugin" in result["msg"]
    assert "nothing was written" in result["msg"]
