"""Every job template of awx/controller.yml, run through ansible-runner as AWX runs it (tests/awx/awx_job.py),
against lab routers: every check template, and the core and edge run templates fully (apply, then a re-run
that changes nothing).

The inventory is the lab's without any login: the router credential brings user, password and the CA of the
core's API-SSL certificate, as AWX injects them."""

import os
import sys

import pytest
import yaml

from awx_job import SurveyError, controller, job_template, run_job
from test_project import checkout

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "functional"))
from rollout_lab import all_writes, rows, start_routers, write_inventory, writes  # noqa: E402

pytestmark = pytest.mark.slow

ROUTERS = ["core", "edge-1000", "edge-1012", "edge-1005"]
CHECK_TEMPLATES = [template["name"] for template in controller()["multiwan_awx_job_templates"] if template["job_type"] == "check"]


def awx_inventory(folder, routers):
    """The lab inventory as AWX would sync it from a project like inventory/example: no login in it, the core
    reached over API-SSL with certificate checks (its CA comes from the credential)."""
    overrides = {"core": {"multiwan_api_port": routers["core"].api_ssl_port, "multiwan_api_tls": True,
                          "multiwan_validate_certs": True}} if "core" in routers else {}
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

    def __init__(self, folder, routers):
        self.folder = folder
        self.routers = routers
        self.project = checkout(os.path.join(folder, "project"))
        self.inventory = awx_inventory(os.path.join(folder, "inventory"), routers)
        self.credential_type = controller()["multiwan_awx_credential_type"]
        self.runs = 0

    def run(self, name, answers=None, limit=None):
        self.runs += 1
        return run_job(job_template(name), os.path.join(self.folder, "pdd-%d" % self.runs), self.project, self.inventory,
                       self.credential_type, credential_inputs(next(iter(self.routers.values()))), answers, limit)


@pytest.fixture(scope="module")
def brownfield(tmp_path_factory):
    """The example network's brownfield routers, shared by the check templates (which write nothing)."""
    from routeros_lab.pytest_plugin import LabFactory
    factory = LabFactory()
    try:
        yield Site(str(tmp_path_factory.mktemp("awx-check")), start_routers(factory, ROUTERS))
    finally:
        factory.close()


def _assert_successful(jobs):
    assert jobs, "no job ran"
    for job in jobs:
        assert job.status == "successful" and job.rc == 0, job.stdout[-6000:]
        assert not job.failed_tasks(), job.stdout[-6000:]
        # Nothing injected leaks into what AWX stores of the job.
        assert "lab-secret" not in job.stdout


def _check_job(site, name, answers=None, limit=None):
    """A check template's jobs; they write nothing on any router."""
    for router in site.routers.values():
        router.control.reset_counters(router.name)
    jobs = site.run(name, answers, limit)
    _assert_successful(jobs)
    for job in jobs:
        assert "--check" in job.command and "--diff" in job.command, job.command
    for router in site.routers.values():
        assert sum(all_writes(router).values()) == 0, (router.name, all_writes(router))
    return jobs


def _changed(jobs):
    return sum(job.changed(host) for job in jobs for host in job.stats.get("ok", {}))


# The phases that check what the earlier phases built: their check templates run on converged routers.
AFTER_CONVERGE = ["multiwan 60_failover (check)", "multiwan 75_cleanup (check)", "multiwan 80_validation (check)"]
# Launch answers that keep the run short (AWX prompts for the limit on every template).
LAUNCH = {
    "multiwan 00_backup (check)": ({"multiwan_backup_hosts": "multiwan_core"}, None),
    "multiwan render (check)": ({}, "edge-1012"),
}


@pytest.mark.parametrize("name", [name for name in CHECK_TEMPLATES if name not in AFTER_CONVERGE + ["multiwan edge (check)"]])
def test_every_check_template_runs_as_awx_runs_it_and_writes_nothing(brownfield, name):
    answers, limit = LAUNCH.get(name, ({}, None))
    jobs = _check_job(brownfield, name, answers, limit)
    if name != "multiwan 00_backup (check)":
        # The brownfield routers lack what every phase adds: the check run predicts changes.
        assert _changed(jobs) > 0, jobs[0].stdout[-4000:]
    if name == "multiwan core (check)":
        summary = jobs[0].artifacts["multiwan_summary"]["core"]
        assert summary["check_mode"] is True
        assert {entry["phase"]: entry for entry in summary["phases"]}["10_wan_setup"]["add"] > 0
        backup = jobs[0].artifacts["multiwan_backups"]["core"]
        # backup_dir is relative to the job's working directory: the project checkout, as on AWX.
        assert os.path.isabs(backup) and os.path.exists(backup) and backup.startswith(brownfield.project)


def test_a_survey_answer_out_of_range_is_refused_before_any_job(brownfield):
    with pytest.raises(SurveyError, match="survey variable backup_keep: -1 is outside 0..1000"):
        brownfield.run("multiwan core (run)", answers={"backup_keep": -1})
    with pytest.raises(SurveyError, match="survey variable multiwan_validation_hosts"):
        brownfield.run("multiwan 80_validation (check)", answers={"multiwan_validation_hosts": "all"})


def test_the_core_run_template_applies_then_changes_nothing(lab_router_factory, tmp_path):
    site = Site(str(tmp_path), start_routers(lab_router_factory, ["core"]))
    core = site.routers["core"]
    core.control.reset_counters(core.name)

    jobs = site.run("multiwan core (run)", answers={"backup_keep": 2, "multiwan_lock_timeout": 600})
    _assert_successful(jobs)
    (job,) = jobs
    assert "--check" not in job.command and "--diff" in job.command
    assert job.changed("core") > 0
    assert writes(core) > 0
    tables = sorted(row["name"] for row in rows(core, "/routing/table") if row.get("name") != "main")
    assert tables == ["InternetVia1000", "InternetVia1005", "InternetVia1012", "InternetViaVVG"]
    summary = job.artifacts["multiwan_summary"]["core"]
    assert summary["check_mode"] is False
    assert sum(entry["add"] for entry in summary["phases"]) > 0
    assert not [row for row in rows(core, "/system/script") if row.get("name") == "multiwan-lock"]

    core.control.reset_counters(core.name)
    jobs = site.run("multiwan core (run)")
    _assert_successful(jobs)
    assert jobs[0].changed("core") == 0
    assert writes(core) == 0
    assert all(entry["add"] + entry["set"] + entry["remove"] + entry["move"] == 0
               for entry in jobs[0].artifacts["multiwan_summary"]["core"]["phases"])

    for name in AFTER_CONVERGE:
        answers = {"multiwan_validation_hosts": "multiwan_core"} if "80_validation" in name else {}
        assert _changed(_check_job(site, name, answers)) == 0, name


def test_the_edge_check_template_runs_one_job_per_slice(brownfield):
    edges = sorted(name for name in ROUTERS if name.startswith("edge-"))
    jobs = _check_job(brownfield, "multiwan edge (check)")
    # Each slice on its own share of the inventory; together on every edge router, each once.
    assert len(jobs) == job_template("multiwan edge (check)")["job_slice_count"]
    limits = [job.command[job.command.index("--limit") + 1].split(",") for job in jobs]
    assert sorted(host for limit in limits for host in limit) == sorted(ROUTERS)
    summaries = {}
    for job in jobs:
        summaries.update(job.artifacts.get("multiwan_summary", {}))
    assert sorted(summaries) == edges
    assert all(summary["check_mode"] is True for summary in summaries.values())


def test_the_edge_run_template_on_a_limit_applies_then_changes_nothing(lab_router_factory, tmp_path):
    site = Site(str(tmp_path), start_routers(lab_router_factory, ["edge-1012", "edge-1005"]))
    edge, other = site.routers["edge-1012"], site.routers["edge-1005"]
    for router in (edge, other):
        router.control.reset_counters(router.name)

    # One router under the limit: one slice holds it; the harness runs no job for a slice the limit leaves empty.
    jobs = site.run("multiwan edge (run)", limit="edge-1012")
    assert len(jobs) == 1
    _assert_successful(jobs)
    assert jobs[0].changed("edge-1012") > 0
    assert writes(edge) > 0 and writes(other) == 0
    assert [row for row in rows(edge, "/ip/firewall/nat") if row.get("action") == "dst-nat"]
    assert jobs[0].artifacts["multiwan_summary"]["edge-1012"]["check_mode"] is False

    edge.control.reset_counters(edge.name)
    jobs = site.run("multiwan edge (run)", limit="edge-1012")
    _assert_successful(jobs)
    assert writes(edge) == 0
    assert _changed(jobs) == 0
