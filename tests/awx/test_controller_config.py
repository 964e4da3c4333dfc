"""awx/controller.yml and awx/configure.yml without a controller: the data is complete and consistent, the
survey specs are ones AWX accepts, and the playbook parses."""

import glob
import json
import os
import re
import subprocess
import sys

import jinja2
import pytest
import yaml

from awx_job import ROOT, controller

PLAYBOOK_BIN = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
# The playbooks that must have templates: every phase, the two rollouts, the offline render and the rollback
# (a playbook added later gets its templates in awx/controller.yml alone).
TEMPLATED = sorted([os.path.relpath(path, ROOT) for path in glob.glob(os.path.join(ROOT, "playbooks", "[0-9][0-9]_*.yml"))]
                   + ["playbooks/core.yml", "playbooks/edge.yml", "playbooks/render.yml", "playbooks/rollback.yml"])
SURVEY_TYPES = {"text", "textarea", "password", "integer", "float", "multiplechoice", "multiselect"}


@pytest.fixture(scope="module")
def data():
    return controller()


def test_every_playbook_has_a_check_and_a_run_template(data):
    templates = data["multiwan_awx_job_templates"]
    names = [template["name"] for template in templates]
    assert len(names) == len(set(names))
    pairs = sorted((template["playbook"], template["job_type"]) for template in templates)
    # One check and one run template per playbook that has templates.
    assert pairs == sorted((playbook, job_type) for playbook in {pair[0] for pair in pairs} for job_type in ("check", "run"))
    assert set(TEMPLATED) <= {pair[0] for pair in pairs}
    for template in templates:
        assert os.path.exists(os.path.join(ROOT, template["playbook"])), template["playbook"]


def test_every_survey_is_one_awx_accepts(data):
    for template in data["multiwan_awx_job_templates"]:
        variables = [question["variable"] for question in template.get("survey", [])]
        assert len(variables) == len(set(variables)), template["name"]
        for question in template.get("survey", []):
            where = "%s: %s" % (template["name"], question["variable"])
            assert question["type"] in SURVEY_TYPES, where
            assert question["question_name"] and re.match(r"^[a-z_][a-z0-9_]*$", question["variable"]), where
            if question["type"] == "integer":
                assert question["min"] <= question["default"] <= question["max"], where
            if question["type"] == "multiplechoice":
                assert question["default"] in question["choices"], where
            # The playbooks read the variable (a survey variable nothing uses would be a silent no-op).
            used = subprocess.run(["git", "grep", "-q", "-w", question["variable"], "--", "playbooks", "roles"],
                                  cwd=ROOT, check=False, timeout=60).returncode == 0
            assert used, where


def test_the_workflow_chains_the_phase_run_templates_in_order(data):
    by_name = {template["name"]: template for template in data["multiwan_awx_job_templates"]}
    workflow = data["multiwan_awx_workflow"]
    playbooks = [by_name[name]["playbook"] for name in workflow["phases"]]
    assert playbooks == sorted(path for path in TEMPLATED if re.search(r"/\d\d_", path))
    assert all(by_name[name]["job_type"] == "run" for name in workflow["phases"])
    # The failure node rolls back to the newest backup: the one the workflow's first phase saved.
    assert by_name[workflow["on_failure"]]["playbook"] == "playbooks/rollback.yml"
    assert by_name[workflow["on_failure"]]["job_type"] == "run"
    assert by_name[workflow["phases"][0]]["playbook"] == "playbooks/00_backup.yml"


def test_the_credential_type_injects_the_login_as_extra_vars(data):
    credential_type = data["multiwan_awx_credential_type"]
    fields = {field["id"]: field for field in credential_type["inputs"]["fields"]}
    assert fields["password"]["secret"] is True
    assert set(credential_type["inputs"]["required"]) == {"username", "password"}
    extra_vars = credential_type["injectors"]["extra_vars"]
    assert {"ansible_user", "ansible_password", "multiwan_ca_path", "multiwan_known_hosts"} <= set(extra_vars)
    for template in list(extra_vars.values()) + list(credential_type["injectors"]["file"].values()):
        jinja2.Environment().parse(template)


def test_configure_playbook_parses(tmp_path):
    env = dict(os.environ, ANSIBLE_LOCAL_TEMP=str(tmp_path), ANSIBLE_NOCOLOR="1")
    proc = subprocess.run([PLAYBOOK_BIN, "awx/configure.yml", "--syntax-check"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_configure_renders_the_workflow_as_a_chain_of_phases(data, tmp_path):
    """The workflow_nodes expression of awx/configure.yml, rendered by Ansible from controller.yml."""
    with open(os.path.join(ROOT, "awx", "configure.yml"), encoding="utf-8") as handle:
        play = yaml.safe_load(handle)[0]
    task = next(task for task in play["tasks"] if "awx.awx.workflow_job_template" in task)
    write_nodes = {"ansible.builtin.copy": {"content": "{{ multiwan_awx_workflow_nodes | to_json }}",
                                            "dest": str(tmp_path / "nodes.json"), "mode": "0600"}}
    probe = [{"hosts": "localhost", "connection": "local", "gather_facts": False,
              "vars_files": [os.path.join(ROOT, "awx", "controller.yml")],
              "vars": dict(task["vars"], ansible_python_interpreter=sys.executable), "tasks": [write_nodes]}]
    (tmp_path / "probe.yml").write_text(yaml.safe_dump(probe))
    env = dict(os.environ, ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_NOCOLOR="1")
    proc = subprocess.run([PLAYBOOK_BIN, "-i", "localhost,", str(tmp_path / "probe.yml")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    nodes = {node["identifier"]: node for node in json.loads((tmp_path / "nodes.json").read_text())}
    phases = data["multiwan_awx_workflow"]["phases"]
    assert len(nodes) == len(phases) + 1
    for index, name in enumerate(phases):
        node = nodes["phase-%d" % index]
        assert node["unified_job_template"] == {"name": name, "type": "job_template",
                                                "organization": {"name": data["multiwan_awx_organization"]}}
        assert node["related"]["failure_nodes"] == [{"identifier": "on-failure"}]
        following = [{"identifier": "phase-%d" % (index + 1)}] if index + 1 < len(phases) else None
        assert node["related"].get("success_nodes") == following
    assert nodes["on-failure"]["unified_job_template"]["name"] == data["multiwan_awx_workflow"]["on_failure"]
