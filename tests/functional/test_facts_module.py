"""multiwan.routeros.facts against the lab router, over both transports and through ansible-playbook."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace

import pytest

from ansible_collections.multiwan.routeros.plugins.module_utils.runs import gather_facts

from engine_support import TRANSPORTS, connection_params, export_body, open_lab

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.parametrize("kind", TRANSPORTS)
def test_gather_identity_version_and_export(lab_router, kind):
    lab_router.control.cli('/system identity set name=core-lab')
    lab_router.control.cli('/routing table add name=InternetVia1012 fib comment="via 1012"')
    lab_router.control.reset_counters()
    with open_lab(lab_router, kind) as transport:
        result = gather_facts(transport, ["identity", "version", "export"], export_terse=True)
    assert result["identity"] == "core-lab"
    assert result["version"].startswith("7.")
    table_lines = [line for line in result["export"].splitlines() if line.startswith("/routing table add ")]
    assert len(table_lines) == 1
    assert 'comment="via 1012"' in table_lines[0] and " fib " in table_lines[0] and "name=InternetVia1012" in table_lines[0]
    assert result["ansible_facts"] == {"ansible_net_hostname": "core-lab", "ansible_net_version": result["version"]}
    # Over the API, /export can only write a file, which the module reads back and removes.
    counters = lab_router.control.counters()["writes"]
    config_writes = {path: n for path, n in counters.items() if path not in ("/export", "/file")}
    assert config_writes == {}
    assert lab_router.control.dump()["rows"].get("/file", []) == []


@pytest.mark.parametrize("kind", TRANSPORTS)
def test_check_mode_reads_the_same_export_and_writes_nothing(lab_router_factory, kind):
    # A read-only account: over the API the usual /export file= and /file/remove would be refused.
    lab = lab_router_factory(users={"auditor": ("auditor-secret", "read")})
    lab.control.cli('/routing table add name=InternetVia1012 fib comment="via 1012"')
    lab.control.cli('/ip firewall address-list add list=SITES address=10.1.2.0/24 comment="a \\"quoted\\" site"')
    with open_lab(lab, kind) as transport:
        usual = gather_facts(transport, ["export"], export_terse=False)["export"]
    lab.control.reset_counters()
    with open_lab(replace(lab, username="auditor", password="auditor-secret"), kind) as transport:
        checked = gather_facts(transport, ["export"], export_terse=False, check_mode=True)["export"]
    # Every write counted, /file included: nothing at all, not even a temporary file.
    assert lab.control.counters()["writes"] == {}
    assert lab.control.dump()["rows"].get("/file", []) == []
    assert export_body(checked) == export_body(usual)
    assert checked.endswith("\n")
    assert "add comment=\"via 1012\" disabled=no fib name=InternetVia1012" in checked


def test_check_mode_export_over_the_api_is_not_truncated(lab_router):
    script = "\n".join(
        '/ip firewall address-list add list=SITES address=10.%d.%d.0/24 comment="site %d"' % (i // 250, i % 250, i)
        for i in range(1500)
    )
    lab_router.control.cli(script)
    lab_router.control.reset_counters()
    with open_lab(lab_router, "api") as transport:
        export = gather_facts(transport, ["export"], export_terse=True, check_mode=True)["export"]
    assert len(export.encode()) > 64 * 1024
    assert len([line for line in export.splitlines() if line.startswith("/ip firewall address-list add ")]) == 1500
    assert lab_router.control.counters()["writes"] == {}


def test_module_runs_in_a_playbook_without_leaking_the_password(lab_router, tmp_path):
    params = connection_params(lab_router, "api")
    playbook = tmp_path / "facts.yml"
    playbook.write_text(
        "---\n"
        "- hosts: localhost\n"
        "  gather_facts: false\n"
        "  tasks:\n"
        "    - name: Read the router\n"
        "      multiwan.routeros.facts:\n"
        "        hostname: %(hostname)s\n"
        "        port: %(port)d\n"
        "        tls: false\n"
        "        username: %(username)s\n"
        "        password: %(password)s\n"
        "      register: router\n"
        "    - name: Show it\n"
        "      ansible.builtin.debug:\n"
        "        var: router\n" % params
    )
    env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="ansible.builtin.json",
               ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"))
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", "-c", "local",
               "-e", "ansible_python_interpreter=" + sys.executable, str(playbook)]
    proc = subprocess.run(
        command,
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    output = json.loads(proc.stdout)
    task = output["plays"][0]["tasks"][0]["hosts"]["localhost"]
    assert task["identity"] == "MikroTik"
    assert task["changed"] is False
    assert lab_router.password not in proc.stdout


@pytest.mark.parametrize("kind", TRANSPORTS)
def test_export_larger_than_the_file_contents_limit(lab_router, kind):
    # RouterOS prints /file `contents` only for small files; a real core's export is far larger.
    script = "\n".join(
        '/ip firewall address-list add list=SITES address=10.%d.%d.0/24 comment="site %d"' % (i // 250, i % 250, i)
        for i in range(1500)
    )
    lab_router.control.cli(script)
    with open_lab(lab_router, kind) as transport:
        export = transport.export(terse=True)
    assert len(export.encode()) > 64 * 1024
    lines = [line for line in export.splitlines() if line.startswith("/ip firewall address-list add ")]
    assert len(lines) == 1500
    assert 'address=10.5.249.0/24' in export and 'comment="site 1499"' in export
    assert lab_router.control.dump()["rows"].get("/file", []) == []
