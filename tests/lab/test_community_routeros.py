"""community.routeros's api modules against the lab router, through a real ansible-playbook run."""

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

PLAYBOOK = textwrap.dedent("""\
    ---
    - name: Multi-WAN objects through community.routeros
      hosts: localhost
      gather_facts: false
      module_defaults:
        group/community.routeros.api:
          hostname: 127.0.0.1
          port: "{{ lab_port }}"
          username: admin
          password: "{{ lab_password }}"
          tls: false
      tasks:
        - name: Routing tables
          community.routeros.api_modify:
            path: routing table
            data:
              - name: InternetVia1012
                fib: ""
              - name: InternetVia1000
                fib: ""
            handle_absent_entries: remove
            handle_entries_content: remove
        - name: Address lists
          community.routeros.api_modify:
            path: ip firewall address-list
            data:
              - list: INTERNAL
                address: 10.11.0.0/16
              - list: INTERNAL
                address: 192.168.10.0/24
              # RouterOS prints a /32 as a bare address; community.routeros compares strings, so a
              # playbook must write the printed form to stay idempotent (same on a real router)
              - list: SITES_USE_1012
                address: 192.168.10.7
                comment: school
        - name: Routes
          community.routeros.api_modify:
            path: ip route
            data:
              - dst-address: 0.0.0.0/0
                gateway: 10.10.2.1
                routing-table: InternetVia1012
                check-gateway: ping
                comment: via 1012
              - dst-address: 0.0.0.0/0
                gateway: 10.10.0.1
                routing-table: InternetVia1012
                distance: 2
                comment: failover 1000
              - dst-address: 0.0.0.0/0
                gateway: 10.10.0.1
                routing-table: InternetVia1000
                comment: via 1000
        - name: Filter with fasttrack (creates dynamic dummy rules)
          community.routeros.api_modify:
            path: ip firewall filter
            data:
              - chain: forward
                action: fasttrack-connection
                connection-state: established,related
                connection-mark: no-mark
                hw-offload: true
              - chain: forward
                action: accept
                connection-state: established,related
            handle_absent_entries: remove
            handle_entries_content: remove
            ensure_order: true
        - name: Mangle
          community.routeros.api_modify:
            path: ip firewall mangle
            data:
              - chain: prerouting
                action: mark-connection
                new-connection-mark: CONN_VIA_1012
                in-interface: ether1
                connection-mark: no-mark
                comment: inbound 1012
              - chain: prerouting
                action: mark-routing
                new-routing-mark: InternetVia1012
                connection-mark: CONN_VIA_1012
                dst-address-type: "!local"
                passthrough: false
                comment: return 1012
              - chain: prerouting
                action: mark-routing
                new-routing-mark: InternetVia1012
                src-address-list: SITES_USE_1012
                dst-address-type: "!local"
                comment: site 1012
            handle_absent_entries: remove
            handle_entries_content: remove
            ensure_order: true
        - name: Connection tracking (a single-value menu)
          community.routeros.api_modify:
            path: ip firewall connection tracking
            data:
              - tcp-established-timeout: 1d
                udp-timeout: 30s
        - name: Check the failover route's gateway too
          community.routeros.api_find_and_modify:
            path: ip route
            find:
              comment: failover 1000
            values:
              check-gateway: ping
        - name: Read routes back
          community.routeros.api_info:
            path: ip route
          register: lab_routes
        - name: Query one address list
          community.routeros.api:
            path: ip firewall address-list
            extended_query:
              attributes: [address, list]
              where:
                - attribute: list
                  is: "=="
                  value: INTERNAL
          register: lab_internal
        - name: Save what was read
          ansible.builtin.copy:
            content: "{{ {'routes': lab_routes.result, 'internal': lab_internal.msg} | to_json }}"
            dest: "{{ lab_out }}"
            mode: "0600"
    """)


def run_playbook(tmp_path, lab):
    play = tmp_path / "play.yml"
    play.write_text(PLAYBOOK)
    out = tmp_path / "out.json"
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_RETRY_FILES_ENABLED="0",
               ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0")
    bindir = os.path.dirname(sys.executable)
    cmd = [os.path.join(bindir, "ansible-playbook"), "-i", "localhost,", "-c", "local", str(play),
           "-e", "ansible_python_interpreter=%s" % sys.executable, "-e", "lab_port=%d" % lab.api_port,
           "-e", "lab_password=%s" % lab.password, "-e", "lab_out=%s" % out]
    proc = subprocess.run(cmd, cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    recap = re.search(r"localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", proc.stdout)
    assert recap, proc.stdout[-2000:]
    return int(recap.group(2)), json.loads(out.read_text()), proc.stdout


@pytest.mark.slow
def test_api_modify_playbook_and_idempotence(tmp_path, lab_router):
    lab_router.router.execute("/ip/address/add", {"address": "10.10.2.2/30", "interface": "ether1"})
    lab_router.router.execute("/ip/address/add", {"address": "10.10.0.2/30", "interface": "ether2"})
    changed, data, dummy = run_playbook(tmp_path, lab_router)
    # six api_modify/find_and_modify tasks change, plus the copy of the read-back
    assert changed >= 7
    api = lab_router.api()
    tables = sorted(r["name"] for r in api.path("/routing/table"))
    assert tables == ["InternetVia1000", "InternetVia1012", "main"]
    mangle = [r for r in api.path("/ip/firewall/mangle") if not r["dynamic"]]
    assert [r["comment"] for r in mangle] == ["inbound 1012", "return 1012", "site 1012"]
    assert mangle[1]["passthrough"] is False and mangle[2]["dst-address-type"] == "!local"
    dynamic = [r["chain"] for r in api.path("/ip/firewall/mangle") if r["dynamic"]]
    assert dynamic == ["prerouting", "forward", "postrouting"]
    tracking = list(api.path("/ip/firewall/connection/tracking"))[0]
    assert tracking["udp-timeout"] == "30s" and tracking["tcp-established-timeout"] == "1d"
    lists = sorted((r["list"], r["address"]) for r in api.path("/ip/firewall/address-list"))
    assert lists == [("INTERNAL", "10.11.0.0/16"), ("INTERNAL", "192.168.10.0/24"), ("SITES_USE_1012", "192.168.10.7")]
    read_back = {r["comment"]: r for r in data["routes"] if "comment" in r}
    assert read_back["via 1012"]["routing-table"] == "InternetVia1012" and read_back["failover 1000"]["distance"] == 2
    assert read_back["failover 1000"]["check-gateway"] == "ping"
    routes = {r.get("comment"): r for r in api.path("/ip/route")}
    assert routes["via 1012"]["active"] is True and "active" not in routes["failover 1000"]
    assert sorted(r["address"] for r in data["internal"]) == ["10.11.0.0/16", "192.168.10.0/24"]

    lab_router.control.reset_counters()
    changed, dummy, stdout = run_playbook(tmp_path, lab_router)
    # second run: only the read-back file may differ (route state is identical, so not even that)
    assert changed == 0, stdout[-3000:]
    assert lab_router.control.counters()["writes"] == {}


@pytest.mark.slow
def test_failover_observed_through_api_info(tmp_path, lab_router):
    lab_router.router.execute("/ip/address/add", {"address": "10.10.2.2/30", "interface": "ether1"})
    lab_router.router.execute("/ip/address/add", {"address": "10.10.0.2/30", "interface": "ether2"})
    run_playbook(tmp_path, lab_router)
    lab_router.control.set_reachable("10.10.2.1", False)
    routes = {r.get("comment"): r for r in lab_router.api().path("/ip/route")}
    assert routes["via 1012"]["inactive"] is True
    assert routes["failover 1000"]["active"] is True


TLS_PLAYBOOK = textwrap.dedent("""\
    ---
    - name: API-SSL with certificate validation
      hosts: localhost
      gather_facts: false
      tasks:
        - name: Add a routing table over TLS
          community.routeros.api_modify:
            hostname: 127.0.0.1
            port: "{{ lab_port }}"
            username: admin
            password: "{{ lab_password }}"
            tls: true
            validate_certs: true
            validate_cert_hostname: false
            ca_path: "{{ lab_ca }}"
            path: routing table
            data:
              - name: OverTLS
                fib: ""
    """)


@pytest.mark.slow
def test_api_ssl_with_ca_path(tmp_path, lab_router):
    play = tmp_path / "tls.yml"
    play.write_text(TLS_PLAYBOOK)
    bindir = os.path.dirname(sys.executable)
    cmd = [os.path.join(bindir, "ansible-playbook"), "-i", "localhost,", "-c", "local", str(play),
           "-e", "ansible_python_interpreter=%s" % sys.executable, "-e", "lab_port=%d" % lab_router.api_ssl_port,
           "-e", "lab_password=%s" % lab_router.password, "-e", "lab_ca=%s" % lab_router.certfile]
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0")
    proc = subprocess.run(cmd, cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "OverTLS" in [r["name"] for r in lab_router.api().path("/routing/table")]
