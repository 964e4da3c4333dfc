"""``python -m routeros_lab serve`` / ``ctl`` as separate processes: ready lines, topology, state, signals."""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import textwrap

import librouteros
import pytest

from routeros_lab.__main__ import build_parser


class Served:
    def __init__(self, args, cwd):
        self.proc = subprocess.Popen([sys.executable, "-m", "routeros_lab", "serve", "--api-port", "0", "--control-port", "0",
                                      "--max-lifetime", "60"] + args, cwd=str(cwd), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.lines = []
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError("server exited: %s" % self.proc.stderr.read())
            self.lines.append(line.strip())
            if line.startswith("control="):
                break
        self.control_port = int(re.search(r"control=127\.0\.0\.1:(\d+)", self.lines[-1]).group(1))

    def port(self, name, kind="api"):
        for line in self.lines:
            if line.startswith("router %s " % name):
                return int(re.search(r" %s=127\.0\.0\.1:(\d+)" % kind, line).group(1))
        raise KeyError(name)

    def ctl(self, *args):
        proc = subprocess.run([sys.executable, "-m", "routeros_lab", "ctl", "--control-port", str(self.control_port)] + list(args),
                              capture_output=True, text=True, timeout=30, check=False)
        return proc.returncode, json.loads(proc.stdout)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=15)
        finally:
            self.proc.stdout.close()
            self.proc.stderr.close()


@pytest.fixture
def served(tmp_path):
    started = []

    def start(*args):
        server = Served(list(args), tmp_path)
        started.append(server)
        return server

    yield start
    for server in started:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait(10)


def test_serve_ready_line_ctl_and_sigterm(served):
    server = served("--password", "pw", "--identity", "core", "--interfaces", "ether1,ether2", "--version", "7.20")
    assert re.fullmatch(r"router core api=127\.0\.0\.1:\d+ ready", server.lines[0])
    api = librouteros.connect(host="127.0.0.1", username="admin", password="pw", port=server.port("core"))
    assert [r["name"] for r in api.path("/interface")] == ["ether1", "ether2"]
    assert list(api.path("/system/resource"))[0]["version"] == "7.20 (stable)"
    api.path("/routing/table").add(name="T", fib="")
    code, reply = server.ctl("counters")
    assert code == 0 and reply["result"]["writes"] == {"/routing/table": 1}
    code, reply = server.ctl("set-reachable", "address=10.0.0.1", "reachable=false")
    assert code == 0 and reply["ok"] is True
    code, reply = server.ctl("set-faults", "fail_write_after=0")
    assert reply["result"]["fail_write_after"] == 0
    with pytest.raises(librouteros.exceptions.TrapError):
        api.path("/routing/table").add(name="U")
    code, reply = server.ctl("dump")
    assert [r["name"] for r in reply["result"]["rows"]["/routing/table"]] == ["main", "T"]
    code, reply = server.ctl("frobnicate")
    assert code == 1 and "unknown op" in reply["error"]
    assert server.stop() == 0


def test_state_survives_restart(served, tmp_path):
    state = tmp_path / "state.json"
    first = served("--state", str(state))
    api = librouteros.connect(host="127.0.0.1", username="admin", password="", port=first.port("MikroTik"))
    api.path("/ip/firewall/address-list").add(list="L", address="10.0.0.1")
    assert first.stop() == 0
    assert state.exists()
    second = served("--state", str(state))
    api = librouteros.connect(host="127.0.0.1", username="admin", password="", port=second.port("MikroTik"))
    assert [r["address"] for r in api.path("/ip/firewall/address-list")] == ["10.0.0.1"]
    assert second.stop() == 0


def test_topology_file(served, tmp_path):
    topo = tmp_path / "topo.yml"
    topo.write_text(textwrap.dedent("""\
        ---
        - name: core
          identity: core
          ports: {api: 0, api-ssl: 0}
          interfaces: [ether1, ether2, sfp-sfpplus1]
        - name: edge1012
          identity: edge-1012
          version: "7.16"
          ports: {api: 0}
        """))
    server = served("--topology", str(topo))
    assert server.lines[0].startswith("router core api=") and " api-ssl=" in server.lines[0]
    assert server.lines[1].startswith("router edge1012 api=")
    edge = librouteros.connect(host="127.0.0.1", username="admin", password="", port=server.port("edge1012"))
    assert list(edge.path("/system/identity")) == [{"name": "edge-1012"}]
    core = librouteros.connect(host="127.0.0.1", username="admin", password="", port=server.port("core"))
    assert [r["name"] for r in core.path("/interface")] == ["ether1", "ether2", "sfp-sfpplus1"]
    code, reply = server.ctl("routers")
    assert reply["result"] == ["core", "edge1012"]
    code, reply = server.ctl("counters", "--router", "edge1012")
    assert reply["result"]["reads"] == {"/system/identity": 1}
    assert server.stop() == 0


def test_max_lifetime_bounds_the_process(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "routeros_lab", "serve", "--api-port", "0", "--max-lifetime", "1"],
                          capture_output=True, text=True, timeout=30, cwd=str(tmp_path), env=dict(os.environ), check=False)
    assert proc.returncode == 0 and proc.stdout.endswith("ready\n")


def _actions(parser):
    """Every argparse action of the parser and of its subcommands, with the parser's name."""
    for action in parser._actions:  # argparse has no public listing of its actions
        yield parser.prog, action
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _actions(sub)


def test_every_option_of_every_subcommand_has_a_help_text():
    actions = list(_actions(build_parser()))
    subcommands = {prog.rsplit(" ", 1)[-1] for prog, dummy in actions}
    assert {"serve", "ctl"} <= subcommands
    missing = ["%s %s" % (prog, "/".join(action.option_strings) or action.dest)
               for prog, action in actions if not (action.help or "").strip()]
    assert missing == []
    helped = subprocess.run([sys.executable, "-m", "routeros_lab", "serve", "--help"], capture_output=True, text=True,
                            timeout=30, check=True).stdout
    assert "every answer (API, API-SSL, SSH)" in " ".join(helped.split())
