"""A role from the user's own playbook: connection from inventory variables only, no ``connection: local``,
no ``ansible_python_interpreter``, no ``module_defaults`` (the modules' action plugins run them on the controller)."""

import os

import pytest
import yaml

from engine_support import lab_host_key
from rollout_lab import assert_rerun_changes_nothing, reads, recap, rows, run_playbook, start_routers, write_inventory, writes

pytestmark = pytest.mark.slow

ONE_ROLE = """---
- name: My own playbook
  hosts: multiwan_core
  gather_facts: false
  roles:
    - multiwan.routeros.routing_tables
"""

PASSWORD_VARIABLE = "MULTIWAN_USER_PLAYBOOK_PASSWORD"


def user_inventory(folder, routers, closed_port=None, **connection):
    """The lab inventory without the settings a user's inventory does not have; ``connection`` replaces
    variables of group_vars/all.yml."""
    inventory = write_inventory(folder, routers, closed_port=closed_port)
    path = os.path.join(folder, "group_vars", "all.yml")
    with open(path, encoding="utf-8") as handle:
        variables = yaml.safe_load(handle)
    del variables["ansible_connection"]
    del variables["ansible_python_interpreter"]
    variables.update(connection)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("---\n" + yaml.safe_dump(variables, sort_keys=False))
    return inventory


def write_playbook(folder, text):
    path = os.path.join(folder, "site.yml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def routing_tables(router):
    return sorted(row["name"] for row in rows(router, "/routing/table") if row.get("name") != "main")


def test_one_role_check_then_apply_then_no_change(lab_router_factory, tmp_path, monkeypatch):
    core = start_routers(lab_router_factory, ["core"])["core"]
    # The password comes from the environment through a lookup, as a user keeps it out of the inventory.
    monkeypatch.setenv(PASSWORD_VARIABLE, core.password)
    inventory = user_inventory(str(tmp_path / "inv"), {"core": core},
                               ansible_password="{{ lookup('ansible.builtin.env', '%s') }}" % PASSWORD_VARIABLE)
    playbook = write_playbook(str(tmp_path), ONE_ROLE)
    tables_before = routing_tables(core)

    core.control.reset_counters(core.name)
    code, out = run_playbook(playbook, inventory, "--check", "--diff")
    assert code == 0, out
    assert writes(core) == 0, out
    assert reads(core) > 0
    assert routing_tables(core) == tables_before
    assert recap(out)["core"]["changed"] == 1, out
    assert "InternetVia1012" in out

    code, out = run_playbook(playbook, inventory)
    assert code == 0, out
    assert writes(core) > 0
    assert routing_tables(core) == ["InternetVia1000", "InternetVia1005", "InternetVia1012", "InternetViaVVG"]

    assert_rerun_changes_nothing(core, playbook, inventory, {})


def test_password_never_in_verbose_output(lab_router_factory, tmp_path):
    core = start_routers(lab_router_factory, ["core"])["core"]
    inventory = user_inventory(str(tmp_path / "inv"), {"core": core})
    playbook = write_playbook(str(tmp_path), ONE_ROLE)
    code, out = run_playbook(playbook, inventory, "--check", "--diff", "-vvv")
    assert code == 0, out
    # -vvv shows the module arguments the run used, with the password masked.
    assert '"username": "admin"' in out, out
    assert '"password": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"' in out, out
    assert core.password not in out
    # The host's own connection (ssh, the default, aimed at the router's SSH port) is never opened.
    assert "ESTABLISH" not in out


def test_ssh_transport_and_known_hosts_from_inventory(lab_router_factory, tmp_path):
    core = start_routers(lab_router_factory, ["core"])["core"]
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text(lab_host_key(core) + "\n", encoding="utf-8")
    # ansible_port (the SSH port) is set by write_inventory; the API port is closed so only SSH can work.
    inventory = user_inventory(str(tmp_path / "inv"), {"core": core}, multiwan_transport="ssh",
                               multiwan_known_hosts=str(known_hosts))
    playbook = write_playbook(str(tmp_path), """---
- name: Read the router over SSH
  hosts: multiwan_core
  gather_facts: false
  tasks:
    - name: Read identity and version
      multiwan.routeros.facts:
        port: 1
      register: router
    - name: Show them
      ansible.builtin.debug:
        msg: "identity={{ router.identity }} version={{ router.version }}"
""")
    code, out = run_playbook(playbook, inventory)
    assert code == 0, out
    assert "identity=CORE version=7." in out, out


def test_explicit_options_win_over_inventory(lab_router_factory, tmp_path):
    core = start_routers(lab_router_factory, ["core"])["core"]
    inventory = user_inventory(str(tmp_path / "inv"), {"core": core})
    playbook = write_playbook(str(tmp_path), """---
- name: A task that sets its own API port
  hosts: multiwan_core
  gather_facts: false
  tasks:
    - name: Read through a closed port
      multiwan.routeros.facts:
        port: 1
        timeout: 2
""")
    core.control.reset_counters(core.name)
    code, out = run_playbook(playbook, inventory)
    assert code != 0
    assert recap(out)["core"]["failed"] == 1, out
    assert "127.0.0.1: " in out, out
    assert core.control.counters(core.name) == {"reads": {}, "writes": {}}


def test_offline_states_and_bad_input_without_a_router(tmp_path):
    inventory = user_inventory(str(tmp_path / "inv"), {}, closed_port=1)
    playbook = write_playbook(str(tmp_path), """---
- name: Offline runs
  hosts: core
  gather_facts: false
  tasks:
    - name: Render a table
      multiwan.routeros.config:
        owner: tables
        state: rendered
        desired:
          /routing/table:
            - name: InternetVia1012
              fib: true
      register: rendered
    - name: Show the commands
      ansible.builtin.debug:
        msg: "{{ rendered.rendered }}"
    - name: Render a route whose gateway is only known at apply time (a warning)
      multiwan.routeros.config:
        owner: tables
        state: rendered
        desired:
          /ip/route:
            - _key: internal
              _gateway: connected
              dst-address: 10.11.0.0/16
              routing-table: InternetVia1012
    - name: An option the module does not have
      multiwan.routeros.config:
        owner: tables
        state: rendered
        colour: blue
      ignore_errors: true
      register: unsupported
    - name: The same message as the module
      ansible.builtin.assert:
        that:
          - unsupported is failed
          - "'Unsupported parameters for (multiwan.routeros.config) module: colour' in unsupported.msg"
    - name: A bad owner
      multiwan.routeros.config:
        owner: Bad Owner
        state: rendered
      ignore_errors: true
      register: bad_owner
    - name: Fails naming the owner
      ansible.builtin.assert:
        that:
          - bad_owner is failed
          - "'owner' in bad_owner.msg"
""")
    code, out = run_playbook(playbook, inventory)
    assert code == 0, out
    assert 'add comment=\\"[mwan:tables:InternetVia1012]\\" fib name=InternetVia1012' in out, out
    assert recap(out)["core"]["failed"] == 0, out
    assert any(line.startswith("[WARNING]") and "apply time" in line for line in out.splitlines()), out
