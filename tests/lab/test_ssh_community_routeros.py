"""community.routeros's SSH modules (``command``, ``facts``) against the lab router's SSH console,
through a real ansible-playbook run over ``ansible.netcommon.network_cli`` with host-key checking."""

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

from cli_helpers import ssh_listener

PLAYBOOK = textwrap.dedent("""\
    ---
    - name: RouterOS console through community.routeros
      hosts: lab
      gather_facts: false
      tasks:
        - name: Change and read back over the console
          community.routeros.command:
            commands:
              - /routing table add name=InternetVia1012 fib comment="via network_cli"
              - /ip firewall address-list add list=INTERNAL address=10.11.0.0/16
              - /export terse
          register: lab_commands
        - name: RouterOS 7 rejects a v6 parameter (the module only fails on some error texts)
          community.routeros.command:
            commands:
              - /ip route add gateway=10.10.2.1 routing-mark=odd
          register: lab_v6
        - name: A bad command name fails the task
          community.routeros.command:
            commands:
              - /ip route frobnicate
          register: lab_failed
          ignore_errors: true
        - name: Facts
          community.routeros.facts:
            gather_subset: default
          register: lab_facts
        - name: Save what was read
          ansible.builtin.copy:
            content: "{{ {'commands': lab_commands.stdout_lines, 'v6': lab_v6.stdout, 'failed': lab_failed,
                          'facts': lab_facts.ansible_facts} | to_json }}"
            dest: "{{ lab_out }}"
            mode: "0600"
          delegate_to: localhost
    """)


@pytest.mark.slow
def test_command_and_facts_over_network_cli(tmp_path, lab_router):
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "known_hosts").write_text(ssh_listener(lab_router).known_hosts_line() + "\n")
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(textwrap.dedent("""\
        ---
        all:
          hosts:
            lab:
              ansible_host: 127.0.0.1
              ansible_port: %d
              ansible_connection: ansible.netcommon.network_cli
              ansible_network_os: community.routeros.routeros
              ansible_user: admin+cet1024w
              ansible_password: %s
        """ % (lab_router.ssh_port, lab_router.password)))
    play = tmp_path / "play.yml"
    play.write_text(PLAYBOOK)
    out = tmp_path / "out.json"
    env = dict(os.environ, HOME=str(home), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
               ANSIBLE_RETRY_FILES_ENABLED="0", ANSIBLE_HOST_KEY_CHECKING="1", ANSIBLE_DEPRECATION_WARNINGS="0",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", str(inventory), str(play),
           "-e", "lab_out=%s" % out]
    proc = subprocess.run(cmd, cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert re.search(r"lab\s*:\s*ok=5\s+changed=\d+\s+unreachable=0\s+failed=0\s+skipped=0\s+rescued=0\s+ignored=1",
                     proc.stdout), proc.stdout[-3000:]
    data = json.loads(out.read_text())
    terse = data["commands"][2]
    assert '/routing table add comment="via network_cli" disabled=no fib name=InternetVia1012' in terse
    assert "/ip firewall address-list add address=10.11.0.0/16 list=INTERNAL" in terse
    assert data["v6"] == ["expected end of command (line 1 column 33)"]
    assert data["failed"]["failed"] is True and "bad command name frobnicate" in data["failed"]["msg"]
    assert data["facts"]["ansible_net_hostname"] == "MikroTik"
    assert data["facts"]["ansible_net_version"] == "7.19 (stable)"
    assert [r["name"] for r in lab_router.router.rows("/routing/table")] == ["main", "InternetVia1012"]
