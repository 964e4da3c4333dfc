"""Helpers for the engine and config module tests against the lab router (real clients only)."""

import json
import os
import subprocess
import sys
import tempfile

from ansible_collections.multiwan.routeros.plugins.module_utils.transport.api import ApiTransport
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.ssh import SshTransport

TRANSPORTS = ["api", "ssh"]


def lab_host_key(lab):
    """The lab router's SSH host key as a known_hosts line."""
    for listener in getattr(lab.server, "_listeners", []):
        if hasattr(listener, "known_hosts_line"):
            return listener.known_hosts_line()
    raise RuntimeError("the lab router has no SSH listener")


def connection_params(lab, kind):
    """Module/connection options for ``kind`` against ``lab`` (host-key checking stays on)."""
    params = {"hostname": lab.host, "username": lab.username, "password": lab.password, "transport": kind,
              "timeout": 20}
    if kind == "api":
        # the plain API on purpose (these tests are about the engine, tests/functional/test_transport_security.py about TLS)
        params["port"] = lab.api_port
        params["tls"] = False
    else:
        params["ssh_port"] = lab.ssh_port
        params["host_key"] = lab_host_key(lab)
        params["known_hosts"] = "/nonexistent"
    return params


def open_lab(lab, kind):
    if kind == "api":
        return ApiTransport(lab.host, lab.username, lab.password, port=lab.api_port, tls=False, timeout=20)
    return SshTransport(lab.host, lab.username, lab.password, port=lab.ssh_port, host_key=lab_host_key(lab),
                        known_hosts="/nonexistent", timeout=20)


def writes(lab):
    return sum(lab.control.counters()["writes"].values())


def reads(lab):
    return lab.control.counters()["reads"]


def rows(lab, path):
    """Rows as the lab holds them (through its control API, not through the collection)."""
    return lab.control.dump()["rows"].get(path, [])


def export_body(text):
    """An /export without its timestamp header lines."""
    return "\n".join(line for line in text.replace("\r\n", "\n").split("\n") if not line.startswith("# 20"))


def run_module_file(module_file, args):
    """A module as Ansible runs it: a new Python process reading its arguments from a file; its JSON result."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"ANSIBLE_MODULE_ARGS": args}, handle)
    try:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        proc = subprocess.run([sys.executable, module_file, handle.name], capture_output=True, text=True, env=env,
                              timeout=120, check=False)
    finally:
        os.unlink(handle.name)
    return json.loads(proc.stdout)
