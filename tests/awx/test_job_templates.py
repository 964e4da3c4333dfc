"""Every job template of awx/controller.yml, run through ansible-runner as AWX runs it (tests/awx/awx_job.py),
against lab routers.

The templates run one after the other on one lab (ROLLOUT_ROUTERS, brownfield start), in the order
``rollout_steps`` derives from the definitions alone, so a template added to awx/controller.yml is run here
with nothing to add: the workflow's phases in order, then its failure node (the rollback to the backup the
first phase saved, which brings the edge routers back to their brownfield start), then every other template in file
order; each run template right after its check twin, which must write nothing. Last, the rollouts run again
on the lab they converged and change nothing.

The inventory is the lab's without any login: the router credential brings user, password and the CA of the
core's API-SSL certificate, as AWX injects them."""

import difflib
import os
import re
import sys
from dataclasses import dataclass

import pytest
import yaml

from awx_job import SurveyError, controller, job_template, run_job
from test_project import checkout

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "functional"))
from rollout_lab import all_writes, lock_scripts, rows, start_routers, write_inventory, writes  # noqa: E402

pytestmark = pytest.mark.slow

# The core and two edge routers: each slice of the sliced edge templates gets one.
ROLLOUT_ROUTERS = ["core", "edge-1012", "edge-1005"]
EDGES = sorted(name for name in ROLLOUT_ROUTERS if name.startswith("edge-"))
CORE_TABLES = ["InternetVia1000", "InternetVia1005", "InternetVia1012", "InternetViaVVG"]
# Run again at the end, on the lab they converged (after every other template), they must change nothing: the
# two rollouts, which run every phase again. (The rollback runs again right after itself.)
RERUN = ["multiwan core (run)", "multiwan edge (run)"]
# Launch limits (AWX prompts for one on every template). The rollback runs on the edge routers only: rolling the
# fully converged core back to its brownfield backup makes the lab core stop answering its API in the routing_tables
# pass; tests/functional/test_rollback.py rolls a core back from a partial rollout.
LIMITS = {"playbooks/rollback.yml": ",".join(EDGES)}


@dataclass(frozen=True)
class Step:
    """One launch of the rollout: ``template`` launched as a ``kind`` step (check, run or rerun)."""

    template: str
    kind: str

    @property
    def id(self):
        return "%s [%s]" % (self.template, self.kind)


def rollout_steps(data):
    """Every job template of ``data`` once (its run template again where it must be idempotent), in the order
    they run on one lab."""
    templates = data["multiwan_awx_job_templates"]
    workflow = data["multiwan_awx_workflow"]
    twins = {}
    for template in templates:
        twins.setdefault(template["playbook"], {})[template["job_type"]] = template["name"]
    nodes = workflow["phases"] + [workflow["on_failure"]]
    runs = nodes + [template["name"] for template in templates if template["job_type"] == "run" and template["name"] not in nodes]
    steps = []
    for name in runs:
        check = twins[job_template(name)["playbook"]].get("check")
        steps += ([Step(check, "check")] if check else []) + [Step(name, "run")]
        if name == workflow["on_failure"]:
            # Rolled back to the same backup again: nothing left to change.
            steps.append(Step(name, "rerun"))
    # A check template without a run twin still runs, at the end.
    ran = {step.template for step in steps}
    steps += [Step(template["name"], "check") for template in templates if template["name"] not in ran]
    return steps + [Step(name, "rerun") for name in RERUN]


STEPS = rollout_steps(controller())


def awx_inventory(folder, routers, tls):
    """The lab inventory as AWX would sync it from a project like inventory/example: no login in it; with
    ``tls``, the core reached over API-SSL with certificate checks (its CA comes from the credential)."""
    overrides = {"core": {"multiwan_api_port": routers["core"].api_ssl_port, "multiwan_api_tls": True,
                          "multiwan_validate_certs": True}} if tls and "core" in routers else {}
    write_inventory(folder, routers, overrides=overrides)
    path = os.path.join(folder, "group_vars", "all.yml")
    with open(path, encoding="utf-8") as handle:
        group_vars = yaml.safe_load(handle)
    group_vars.pop("ansible_user")
    group_vars.pop("ansible_password")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("---\n" + yaml.safe_dump(group_vars, sort_keys=False))
    return folder


def credential_inputs(router):
    with open(router.certfile, encoding="utf-8") as handle:
        return {"username": router.username, "password": router.password, "ca": handle.read()}


class Site:
    """A private data dir root, a project checkout and lab routers with their AWX inventory."""

    def __init__(self, folder, routers, tls=False):
        self.folder = folder
        self.routers = routers
        self.project = checkout(os.path.join(folder, "project"))
        self.inventory = awx_inventory(os.path.join(folder, "inventory"), routers, tls)
        self.credential_type = controller()["multiwan_awx_credential_type"]
        self.runs = 0

    def run(self, name, answers=None, limit=None):
        """The jobs of one launch of template ``name`` (one per slice); every router's counters start at 0."""
        for router in self.routers.values():
            router.control.reset_counters(router.name)
        self.runs += 1
        return run_job(job_template(name), os.path.join(self.folder, "pdd-%d" % self.runs), self.project, self.inventory,
                       self.credential_type, credential_inputs(next(iter(self.routers.values()))), answers, limit)


def _assert_successful(jobs):
    assert jobs, "no job ran"
    for job in jobs:
        failures = [(event["event_data"].get("host"), event["event_data"].get("task"), event["event_data"].get("res", {}).get("msg"))
                    for event in job.failed_tasks()]
        assert job.status == "successful" and job.rc == 0, (failures, job.stdout[-3000:])
        assert not job.failed_tasks(), job.stdout[-6000:]
        # Nothing injected leaks into what AWX stores of the job.
        assert "lab-secret" not in job.stdout


def _changed(jobs):
    return sum(job.changed(host) for job in jobs for host in job.stats.get("ok", {}))


def _summaries(jobs):
    summaries = {}
    for job in jobs:
        summaries.update(job.artifacts.get("multiwan_summary", {}))
    return summaries


def _configuration(site):
    """Every router's configuration as ``/export`` prints it, without the header line's clock."""
    from routeros_lab import export
    return {name: re.sub(r"\A# \S+ \S+ by ", "# by ", export.export(router.router)) for name, router in site.routers.items()}


def _assert_same_configuration(now, before):
    for name in before:
        assert now[name] == before[name], "%s differs from its brownfield start:\n%s" % (name, "\n".join(
            difflib.unified_diff(before[name].splitlines(), now[name].splitlines(), "brownfield", "now", lineterm="")))


class Rollout:
    """The lab the steps run on, and how far along STEPS it is. A test asks for its step; the steps before it
    run first where they have not (a worker of pytest-xdist that gets a later step alone still runs them all)."""

    def __init__(self, site):
        self.site = site
        self.done = 0
        self.failed = None
        self.brownfield = _configuration(site)

    def reach(self, index):
        """Run the steps up to ``index``, each checked by its kind's expectations."""
        while self.done <= index:
            step = STEPS[self.done]
            if self.failed is not None:
                pytest.fail("an earlier step failed: %s" % self.failed.id)
            self.failed = step
            jobs = self.site.run(step.template, limit=LIMITS.get(job_template(step.template)["playbook"]))
            EXPECT[step.kind](self, step, jobs)
            self.failed = None
            self.done += 1


def _expect_check(rollout, step, jobs):
    """A check job: successful, with --check and --diff, no write of any kind on any router."""
    _assert_successful(jobs)
    for job in jobs:
        assert "--check" in job.command and "--diff" in job.command, job.command
    for router in rollout.site.routers.values():
        assert sum(all_writes(router).values()) == 0, (router.name, all_writes(router))
    assert all(summary["check_mode"] is True for summary in _summaries(jobs).values())
    if step.template == "multiwan core (check)":
        backup = jobs[0].artifacts["multiwan_backups"]["core"]
        # backup_dir is relative to the job's working directory: the project checkout, as on AWX.
        assert os.path.isabs(backup) and os.path.exists(backup) and backup.startswith(rollout.site.project)


def _expect_run(rollout, step, jobs):
    """A run job: successful, no --check, the run lock released; what the template's playbook is for."""
    _assert_successful(jobs)
    site = rollout.site
    for job in jobs:
        assert "--check" not in job.command and "--diff" in job.command, job.command
    assert all(summary["check_mode"] is False for summary in _summaries(jobs).values())
    for router in site.routers.values():
        assert lock_scripts(router) == [], router.name
    template = job_template(step.template)
    if template["playbook"] == "playbooks/rollback.yml":
        # Back at the backup the workflow's first phase saved: the brownfield start, to the last line.
        assert _changed(jobs) > 0
        limit = LIMITS[template["playbook"]].split(",")
        _assert_same_configuration({name: text for name, text in _configuration(site).items() if name in limit},
                                   {name: text for name, text in rollout.brownfield.items() if name in limit})
    elif template["playbook"] == "playbooks/edge.yml":
        # From the brownfield start (after the rollback): the whole rollout applied.
        assert _changed(jobs) > 0 and sum(writes(site.routers[name]) for name in EDGES) > 0
    if step.template == "multiwan 80_validation (run)" or template["playbook"] == "playbooks/core.yml":
        tables = sorted(row["name"] for row in rows(site.routers["core"], "/routing/table") if row.get("name") != "main")
        assert tables == CORE_TABLES
    if step.template == "multiwan 80_validation (run)" or template["playbook"] == "playbooks/edge.yml":
        for name in EDGES:
            assert [row for row in rows(site.routers[name], "/ip/firewall/nat") if row.get("action") == "dst-nat"], name
    if template.get("job_slice_count", 1) > 1:
        # One job per slice, each on its own share of the inventory; together on every router, each once.
        assert len(jobs) == template["job_slice_count"]
        limits = [job.command[job.command.index("--limit") + 1].split(",") for job in jobs]
        assert sorted(host for limit in limits for host in limit) == sorted(ROLLOUT_ROUTERS)


def _expect_rerun(rollout, step, jobs):
    """The same run template again on the lab it converged: no change reported, no configuration written."""
    _assert_successful(jobs)
    assert _changed(jobs) == 0, [job.stdout[-4000:] for job in jobs]
    for router in rollout.site.routers.values():
        assert writes(router) == 0, (router.name, all_writes(router))
    for summary in _summaries(jobs).values():
        assert all(entry["add"] + entry["set"] + entry["remove"] + entry["move"] == 0 for entry in summary["phases"])


EXPECT = {"check": _expect_check, "run": _expect_run, "rerun": _expect_rerun}


@pytest.fixture(scope="module")
def rollout(tmp_path_factory):
    from routeros_lab.pytest_plugin import LabFactory
    factory = LabFactory()
    try:
        # The core over the plain API here: the lab's API-SSL stops answering during the rollback's reconcile of
        # routing_tables (the plain API does not); test_the_credential_s_ca_reaches_the_core_over_api_ssl keeps
        # the injected CA covered.
        yield Rollout(Site(str(tmp_path_factory.mktemp("awx-rollout")), start_routers(factory, ROLLOUT_ROUTERS)))
    finally:
        factory.close()


# One group: pytest-xdist with --dist loadgroup (make pytest) keeps the steps on one worker, on one lab.
@pytest.mark.xdist_group("awx-rollout")
@pytest.mark.parametrize("index", range(len(STEPS)), ids=[step.id for step in STEPS])
def test_every_job_template_runs_as_awx_runs_it(rollout, index):
    rollout.reach(index)


def test_the_credential_s_ca_reaches_the_core_over_api_ssl(lab_router_factory, tmp_path):
    """The credential's CA file, injected as AWX injects it, is what the core's API-SSL certificate is checked
    against (multiwan_validate_certs): a check job on the brownfield core."""
    site = Site(str(tmp_path), start_routers(lab_router_factory, ["core"]), tls=True)
    jobs = site.run("multiwan core (check)")
    _assert_successful(jobs)
    assert sum(all_writes(site.routers["core"]).values()) == 0
    summary = jobs[0].artifacts["multiwan_summary"]["core"]
    assert summary["check_mode"] is True
    assert {entry["phase"]: entry for entry in summary["phases"]}["10_wan_setup"]["add"] > 0
    with open(os.path.join(site.inventory, "host_vars", "core.yml"), encoding="utf-8") as handle:
        assert yaml.safe_load(handle)["multiwan_api_port"] == site.routers["core"].api_ssl_port


def test_every_template_is_a_step():
    names = {template["name"] for template in controller()["multiwan_awx_job_templates"]}
    assert {step.template for step in STEPS} == names
    runs = [step.template for step in STEPS if step.kind == "run"]
    workflow = controller()["multiwan_awx_workflow"]
    assert runs[:len(workflow["phases"]) + 1] == workflow["phases"] + [workflow["on_failure"]]


def test_a_survey_answer_out_of_range_is_refused_before_any_job(tmp_path):
    site_free = str(tmp_path)
    with pytest.raises(SurveyError, match="survey variable backup_keep: -1 is outside 0..1000"):
        run_job(job_template("multiwan core (run)"), site_free, site_free, site_free, {}, {}, {"backup_keep": -1})
    with pytest.raises(SurveyError, match="survey variable multiwan_validation_hosts"):
        run_job(job_template("multiwan 80_validation (check)"), site_free, site_free, site_free, {}, {},
                {"multiwan_validation_hosts": "all"})
    with pytest.raises(SurveyError, match="survey variable multiwan_rollback_backup: 1025 characters"):
        run_job(job_template("multiwan rollback (run)"), site_free, site_free, site_free, {}, {},
                {"multiwan_rollback_backup": "x" * 1025})


def test_a_limit_on_a_sliced_template_runs_only_the_slices_it_leaves_hosts_in(lab_router_factory, tmp_path):
    site = Site(str(tmp_path), start_routers(lab_router_factory, EDGES))
    jobs = site.run("multiwan edge (check)", limit="edge-1012")
    assert len(jobs) == 1
    _assert_successful(jobs)
    assert jobs[0].command[jobs[0].command.index("--limit") + 1] == "edge-1012"
    assert sorted(_summaries(jobs)) == ["edge-1012"]
    assert sum(all_writes(site.routers["edge-1005"]).values()) == 0
