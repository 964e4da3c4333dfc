"""multiwan.routeros.config run as Ansible runs it, against the lab router; every mutating test has a
check-mode twin that must predict the same plan and send no write."""

import json
import os
import subprocess
import sys

import pytest

from engine_support import TRANSPORTS, connection_params, rows, run_module_file, writes

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULE = os.path.join(REPO, "plugins", "modules", "config.py")
MANGLE = "/ip/firewall/mangle"

DESIRED = {
    "/routing/table": [{"name": "InternetVia1012", "fib": True}],
    "/ip/firewall/address-list": [{"list": "INTERNAL", "address": "10.11.0.0/16"}],
    MANGLE: [
        {"_key": "return-1012", "_rank": 100, "chain": "prerouting", "in-interface": "ether1",
         "connection-mark": "no-mark", "action": "mark-connection", "new-connection-mark": "CONN_VIA_1012",
         "comment": "Return path via 1012"},
        {"_key": "route-1012", "_rank": 110, "chain": "prerouting", "connection-mark": "CONN_VIA_1012",
         "dst-address-type": "!local", "action": "mark-routing", "new-routing-mark": "InternetVia1012",
         "passthrough": False},
    ],
}


def run_module(args, check_mode=False, diff=False):
    return run_module_file(MODULE, dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff))


@pytest.fixture(params=TRANSPORTS)
def kind(request):
    return request.param


def args_for(lab, kind, **kwargs):
    args = connection_params(lab, kind)
    args.update({"owner": "pbr", "state": "overridden", "desired": DESIRED})
    args.update(kwargs)
    return args


def test_converge_with_check_mode_twin(lab_router, kind):
    args = args_for(lab_router, kind)
    lab_router.control.reset_counters()
    predicted = run_module(args, check_mode=True, diff=True)
    assert predicted["changed"] and not predicted.get("failed"), predicted
    assert writes(lab_router) == 0
    assert len(predicted["diff"]) == 4
    real = run_module(args, diff=True)
    assert real["changed"] and not real.get("failed"), real
    assert real["commands"] == predicted["commands"]
    assert real["plan"] == predicted["plan"]
    assert writes(lab_router) == 4
    # second run and its check-mode twin: nothing to do, nothing sent
    lab_router.control.reset_counters()
    for check in (True, False):
        again = run_module(args, check_mode=check)
        assert again["changed"] is False and again["commands"] == []
    assert writes(lab_router) == 0


def test_one_field_change_with_check_mode_twin(lab_router, kind):
    run_module(args_for(lab_router, kind))
    desired = json.loads(json.dumps(DESIRED))
    desired[MANGLE][0]["comment"] = "Return path via 1012 (renamed)"
    args = args_for(lab_router, kind, desired=desired)
    lab_router.control.reset_counters()
    predicted = run_module(args, check_mode=True)
    assert writes(lab_router) == 0
    real = run_module(args)
    assert predicted["commands"] == real["commands"] == [
        '/ip firewall mangle set [find where comment="Return path via 1012 [mwan:pbr:return-1012@100]"] '
        'comment="Return path via 1012 (renamed) [mwan:pbr:return-1012@100]"']
    assert lab_router.control.counters()["writes"] == {MANGLE: 1}


def test_failed_write_with_check_mode_twin(lab_router, kind):
    lab_router.control.cli("/ip firewall mangle add chain=prerouting action=accept comment=hand")
    before = rows(lab_router, MANGLE)
    args = args_for(lab_router, kind)
    lab_router.control.set_faults(fail_write_after=2)
    lab_router.control.reset_counters()
    twin = run_module(args, check_mode=True)
    assert twin["changed"] and not twin.get("failed")
    assert writes(lab_router) == 0
    result = run_module(args)
    assert result["failed"] and result["undone"] is True
    # the API pipelines the batch, so the write after the failed one ran too; SSH stops at the failure
    applied = 3 if kind == "api" else 2
    assert "lab fault injected" in result["msg"]
    assert "the %d applied operation(s) were undone" % applied in result["msg"]
    assert rows(lab_router, MANGLE) == before
    assert [r for r in rows(lab_router, "/routing/table") if "[mwan:" in r.get("comment", "")] == []


def test_gathered_output_is_usable_as_desired(lab_router, kind):
    run_module(args_for(lab_router, kind))
    gathered = run_module(args_for(lab_router, kind, state="gathered", desired={}, paths=list(DESIRED)))
    lab_router.control.reset_counters()
    for check in (True, False):
        again = run_module(args_for(lab_router, kind, desired=gathered["gathered"]), check_mode=check)
        assert again["changed"] is False, again
    assert writes(lab_router) == 0


def test_tls_validates_the_certificate(lab_router):
    args = args_for(lab_router, "api", port=lab_router.api_ssl_port, tls=True, state="gathered", desired={},
                    paths=["/routing/table"])
    refused = run_module(args)
    assert refused["failed"] and "TLS" in refused["msg"]
    trusted = run_module(dict(args, ca_path=lab_router.certfile))
    assert not trusted.get("failed"), trusted
    assert trusted["gathered"] == {"/routing/table": []}


def test_ssh_refuses_an_unknown_host_key(lab_router):
    args = args_for(lab_router, "ssh", state="gathered", desired={}, paths=["/routing/table"])
    args.pop("host_key")
    result = run_module(args)
    assert result["failed"] and "SSH" in result["msg"]


PLAYBOOK = """---
- name: Reconcile through ansible-playbook
  hosts: lab
  gather_facts: false
  connection: local
  tasks:
    - name: Converge the policy routing entries
      multiwan.routeros.config:
        hostname: "{{ ansible_host }}"
        port: "{{ lab_api_port }}"
        tls: false
        username: "{{ lab_user }}"
        password: "{{ lab_password }}"
        owner: pbr
        state: overridden
        desired: "{{ lab_desired }}"
      register: first

    - name: Run again, must not change anything
      multiwan.routeros.config:
        hostname: "{{ ansible_host }}"
        port: "{{ lab_api_port }}"
        tls: false
        username: "{{ lab_user }}"
        password: "{{ lab_password }}"
        owner: pbr
        state: overridden
        desired: "{{ lab_desired }}"
      register: second

    - name: Check the results
      ansible.builtin.assert:
        that:
          - first is changed
          - second is not changed
          - first.commands | length == 4
"""


def test_real_module_run_through_ansible_playbook(lab_router, tmp_path):
    inventory = {"all": {"hosts": {"lab": {
        "ansible_host": lab_router.host, "lab_api_port": lab_router.api_port, "lab_user": lab_router.username,
        "lab_password": lab_router.password, "lab_desired": DESIRED, "ansible_python_interpreter": sys.executable}}}}
    (tmp_path / "inventory.json").write_text(json.dumps(inventory))
    (tmp_path / "play.yml").write_text(PLAYBOOK)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, "playbooks", "collections"), ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"),
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_HOME=str(tmp_path / "home"), ANSIBLE_NOCOLOR="1")
    playbook = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    proc = subprocess.run([playbook, "-i", str(tmp_path / "inventory.json"), str(tmp_path / "play.yml")],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok=3" in proc.stdout and "changed=1" in proc.stdout


def test_the_run_judges_itself_and_an_apply_run_returns_a_summarised_plan(lab_router, kind):
    args = args_for(lab_router, kind)
    lab_router.control.reset_counters()
    # Check mode: the plan in full (later phases take it as pending) and the verdict on the router it would leave.
    predicted = run_module(args, check_mode=True)
    assert predicted["converged"] is True and predicted["still_to_do"] == []
    assert all("after" in op for op in predicted["plan"] if op["op"] == "add")
    assert writes(lab_router) == 0
    # Apply mode without diff: each operation summarised, the commands complete, the read-back verdict.
    real = run_module(args)
    assert real["converged"] is True, real
    assert all(set(op) <= {"op", "path", "key", "id"} for op in real["plan"]), real["plan"]
    assert [(op["op"], op["path"], op["key"]) for op in real["plan"]] == [
        (op["op"], op["path"], op["key"]) for op in predicted["plan"]]
    assert real["commands"] == predicted["commands"]
    # Asked for, the detail comes back in an apply run too; a re-run has nothing to do and stays converged.
    desired = json.loads(json.dumps(DESIRED))
    desired[MANGLE][0]["comment"] = "Return path via 1012 (renamed)"
    detailed = run_module(args_for(lab_router, kind, desired=desired, detail=True))
    assert detailed["plan"][0]["fields"] == {"comment": "Return path via 1012 (renamed) [mwan:pbr:return-1012@100]"}
    again = run_module(args_for(lab_router, kind, desired=desired))
    assert not again["changed"] and again["converged"] is True and again["plan"] == []
