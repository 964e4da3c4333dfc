"""A job template of awx/controller.yml run the way AWX runs it: through ansible-runner, from a private data dir.

What AWX does for a job, and this module does the same way:

- ``<pdd>/project``: the project's checkout (tracked files only, ``tests/awx/test_project.checkout``);
- ``<pdd>/inventory``: the synced inventory (here the lab inventory with the test's ports, the login removed);
- ``<pdd>/env/extravars``: the survey answers, after the survey's checks (required, min/max, choices), and
  the credential type's ``extra_vars`` injectors; ``<pdd>/env/envvars``: its ``env`` injectors; its ``file``
  injectors are files in ``<pdd>/env`` named by ``tower.filename.<name>``;
- ``<pdd>/env/cmdline``: ``--check`` for job type check, ``--diff`` for "Show Changes", ``--limit``;
- job slicing: slice ``i`` of ``n`` runs on every n-th host of the inventory (under the limit), as a job of its
  own; a slice the limit leaves without hosts runs no job;
- the collections path AWX sets (the project's installed requirements first), which leaves the collection out,
  so the playbooks must find it in the checkout;
- ``set_stats`` data from the ``playbook_on_stats`` event's ``artifact_data``, as AWX shows it on the job.
"""

import os
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Any

import ansible_runner
import jinja2.sandbox
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONTROLLER_FILE = os.path.join(ROOT, "awx", "controller.yml")
# ansible-runner starts the ansible-playbook found on PATH: the one next to the tests' Python.
BIN = os.path.dirname(sys.executable)
JOB_TIMEOUT = 600


class _Loader(yaml.SafeLoader):
    """YAML with Ansible's ``!unsafe`` tag read as the plain string (the harness renders AWX's templates itself)."""


_Loader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


def controller():
    """The data awx/configure.yml applies."""
    with open(CONTROLLER_FILE, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


def job_template(name):
    return next(template for template in controller()["multiwan_awx_job_templates"] if template["name"] == name)


class SurveyError(ValueError):
    """A launch AWX refuses: the survey answers break the survey's spec."""


def survey_extra_vars(template, answers):
    """The extra vars of a launch with ``answers``, checked the way AWX checks them (defaults filled in)."""
    extra = {}
    for question in template.get("survey", []):
        variable = question["variable"]
        value = answers.get(variable, question.get("default"))
        if value is None or value == "":
            if question.get("required"):
                raise SurveyError("survey variable %s: an answer is required" % variable)
            continue
        if question["type"] == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                raise SurveyError("survey variable %s: %r is not an integer" % (variable, value))
            if not question.get("min", value) <= value <= question.get("max", value):
                raise SurveyError("survey variable %s: %d is outside %s..%s" % (variable, value, question.get("min"), question.get("max")))
        elif question["type"] in ("text", "textarea", "password"):
            if not question.get("min", 0) <= len(str(value)) <= question.get("max", len(str(value))):
                raise SurveyError("survey variable %s: %d characters, outside %s..%s" % (
                    variable, len(str(value)), question.get("min"), question.get("max")))
        elif question["type"] == "multiplechoice":
            if value not in question["choices"]:
                raise SurveyError("survey variable %s: %r is not one of %s" % (variable, value, question["choices"]))
        extra[variable] = value
    unknown = sorted(set(answers) - set(extra))
    if unknown:
        raise SurveyError("not survey variables of %s: %s" % (template["name"], ", ".join(unknown)))
    return extra


def inject_credential(credential_type, inputs, env_dir):
    """``(extra_vars, env)`` of a credential of ``credential_type`` with ``inputs``, as AWX injects them.

    AWX renders the injector templates in a Jinja sandbox with the inputs and ``tower.filename.<name>``, after
    writing each ``file`` injector to a file of its own in the job's ``env`` folder (an input left empty
    renders as an empty string)."""
    environment = jinja2.sandbox.ImmutableSandboxedEnvironment()
    namespace: dict[str, Any] = {entry["id"]: inputs.get(entry["id"], "") for entry in credential_type["inputs"]["fields"]}
    missing = [name for name in credential_type["inputs"].get("required", []) if not namespace.get(name)]
    if missing:
        raise ValueError("credential inputs required: %s" % ", ".join(missing))
    filenames = {}
    for label, template in credential_type["injectors"].get("file", {}).items():
        handle, path = tempfile.mkstemp(dir=env_dir)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(environment.from_string(template).render(**namespace))
        filenames[label.split(".", 1)[1]] = path
    namespace["tower"] = {"filename": filenames}
    extra_vars = {name: environment.from_string(template).render(**namespace)
                  for name, template in credential_type["injectors"].get("extra_vars", {}).items()}
    env = {name: environment.from_string(template).render(**namespace)
           for name, template in credential_type["injectors"].get("env", {}).items()}
    return extra_vars, env


def inventory_hosts(inventory_file):
    with open(inventory_file, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return sorted(host for group in data["all"]["children"].values() for host in group["hosts"])


@dataclass
class Job:
    """One finished job (one slice of a sliced template): what AWX shows of it."""

    status: str
    rc: int
    command: list[str]
    events: list[dict[str, Any]]
    stats: dict[str, Any]
    artifacts: dict[str, Any] = field(default_factory=dict)
    stdout: str = ""

    def changed(self, host):
        return self.stats.get("changed", {}).get(host, 0)

    def failed_tasks(self):
        return [event for event in self.events if event.get("event") == "runner_on_failed" and not event["event_data"].get("ignore_errors")]


def run_job(template, private_data_dir, project_dir, inventory_dir, credential_type, credential_inputs, answers=None,
            limit=None):
    """Run every slice of ``template`` like AWX would; returns one Job per slice."""
    extra_vars = survey_extra_vars(template, answers or {})
    slices = template.get("job_slice_count", 1)
    hosts = inventory_hosts(os.path.join(inventory_dir, "hosts.yml"))
    jobs = []
    for number in range(slices):
        slice_hosts = hosts[number::slices]
        slice_limit = limit if slices == 1 else ",".join(
            host for host in slice_hosts if limit is None or host in limit.split(","))
        if not slice_limit and slices > 1:
            continue
        jobs.append(_run_slice(template, os.path.join(private_data_dir, "job-%d" % number), project_dir, inventory_dir,
                               credential_type, credential_inputs, extra_vars, slice_limit))
    return jobs


def _run_slice(template, pdd, project_dir, inventory_dir, credential_type, credential_inputs, extra_vars, limit):
    env_dir = os.path.join(pdd, "env")
    os.makedirs(env_dir, exist_ok=True)
    credential_vars, credential_env = inject_credential(credential_type, credential_inputs, env_dir)
    with open(os.path.join(env_dir, "extravars"), "w", encoding="utf-8") as handle:
        yaml.safe_dump(dict(extra_vars, **credential_vars), handle)
    cmdline = []
    if template["job_type"] == "check":
        cmdline.append("--check")
    # "Show Changes" is on for every template of awx/configure.yml.
    cmdline.append("--diff")
    if limit:
        cmdline.extend(["--limit", limit])
    with open(os.path.join(env_dir, "cmdline"), "w", encoding="utf-8") as handle:
        handle.write(" ".join(cmdline))
    envvars = dict(credential_env)
    # AWX puts the project's installed requirements (collections/requirements.yml) first on the collections
    # path; the harness installs none, so this collection comes from the checkout only.
    envvars["ANSIBLE_COLLECTIONS_PATH"] = os.pathsep.join([os.path.join(pdd, "requirements_collections"),
                                                           os.path.join(pdd, "home", "collections")])
    envvars["ANSIBLE_LOCAL_TEMP"] = os.path.join(pdd, "tmp")
    envvars["ANSIBLE_HOME"] = os.path.join(pdd, "home")
    envvars["PATH"] = os.pathsep.join([BIN, os.environ.get("PATH", "")])
    result = ansible_runner.run(private_data_dir=pdd, project_dir=project_dir, playbook=template["playbook"],
                                inventory=inventory_dir, envvars=envvars, quiet=True,
                                timeout=JOB_TIMEOUT)
    events = list(result.events)
    stats = next((event["event_data"] for event in events if event.get("event") == "playbook_on_stats"), {})
    with open(result.stdout.name, encoding="utf-8") as handle:
        stdout = handle.read()
    return Job(status=result.status, rc=result.rc, command=list(result.config.command), events=events, stats=stats,
               artifacts=stats.get("artifact_data", {}), stdout=stdout)
