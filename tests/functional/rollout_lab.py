"""Run the collection's playbooks with the real ``ansible-playbook`` against lab routers started by a test.

The routers get the example network's brownfield configuration (``inventory/lab/init/<router>.rsc``) and
the intent of ``inventory/lab`` (copied into the test's folder, with the test's free ports).
"""

import os
import re
import shutil
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAB_INVENTORY = os.path.join(ROOT, "inventory", "lab")
PLAYBOOK_BIN = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
# Bound every ansible-playbook run; a hung run fails the test instead of blocking the suite.
RUN_TIMEOUT = 900


def topology():
    with open(os.path.join(LAB_INVENTORY, "topology.yml"), encoding="utf-8") as handle:
        return {entry["name"]: entry for entry in yaml.safe_load(handle)}


def start_routers(factory, names, users=None):
    """Start the named lab routers with their brownfield configuration; return {name: LabRouter}.

    ``users``: extra accounts, ``{name: (password, group)}`` (group ``read`` refuses every write)."""
    routers = {}
    for name, entry in topology().items():
        if name not in names:
            continue
        with open(os.path.join(LAB_INVENTORY, entry["init"]), encoding="utf-8") as handle:
            init = handle.read()
        routers[name] = factory(identity=entry["identity"], version=str(entry["version"]),
                                interfaces=list(entry["interfaces"]), init=init, name=name, users=users)
    return routers


def write_inventory(folder, routers, overrides=None, closed_port=None):
    """Copy the lab intent into ``folder`` and point its hosts at ``routers`` (or at a closed port)."""
    os.makedirs(folder, exist_ok=True)
    for sub in ("group_vars", "host_vars"):
        target = os.path.join(folder, sub)
        if os.path.exists(target):
            shutil.rmtree(target)
        shutil.copytree(os.path.join(LAB_INVENTORY, sub), target)
    with open(os.path.join(LAB_INVENTORY, "hosts.yml"), encoding="utf-8") as handle:
        hosts = yaml.safe_load(handle)
    for group in hosts["all"]["children"].values():
        for name in list(group["hosts"]):
            if name in routers:
                group["hosts"][name]["multiwan_api_port"] = routers[name].api_port
                group["hosts"][name]["ansible_port"] = routers[name].ssh_port or 1
            elif closed_port is not None:
                group["hosts"][name]["multiwan_api_port"] = closed_port
            else:
                del group["hosts"][name]
    for host, values in (overrides or {}).items():
        path = os.path.join(folder, "host_vars", "%s.yml" % host)
        current = {}
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                current = yaml.safe_load(handle) or {}
        current.update(values)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("---\n" + yaml.safe_dump(current, sort_keys=False))
    path = os.path.join(folder, "hosts.yml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("---\n" + yaml.safe_dump(hosts, sort_keys=False))
    return path


def run_playbook(playbook, inventory, *args, extra_vars=None, cwd=ROOT):
    """Run ansible-playbook from the repository root (its ansible.cfg finds the collection)."""
    command = [PLAYBOOK_BIN, "-i", inventory, playbook]
    command.extend(args)
    for key, value in (extra_vars or {}).items():
        command.extend(["-e", "%s=%s" % (key, value)])
    env = dict(os.environ)
    env["ANSIBLE_CONFIG"] = os.path.join(ROOT, "ansible.cfg")
    env["ANSIBLE_COLLECTIONS_PATH"] = os.path.join(ROOT, "playbooks", "collections")
    env["ANSIBLE_NOCOLOR"] = "1"
    env["ANSIBLE_FORCE_COLOR"] = "0"
    env["ANSIBLE_LOCAL_TEMP"] = os.path.join(os.path.dirname(inventory), ".ansible-tmp")
    env.pop("PWD", None)
    proc = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=RUN_TIMEOUT, check=False)
    return proc.returncode, proc.stdout


def recap(output):
    """The PLAY RECAP counters per host: {host: {"ok": n, "changed": n, "failed": n, ...}}."""
    result = {}
    for line in output.splitlines():
        match = re.match(r"^(\S+)\s+:\s+(ok=.*)$", line.strip())
        if match:
            result[match.group(1)] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", match.group(2))}
    return result


# Not configuration: the backup's ``/export file=`` creates and removes a temporary file, and an apply run takes and
# releases its run lock, a ``/system/script`` entry, and arms and disarms its commit-confirm revert, a script and a
# ``/system/scheduler`` entry (no role writes scripts or scheduler entries).
NOT_CONFIGURATION = ("/file", "/system/script", "/system/scheduler")


def writes(router):
    """Writes to configuration menus (``NOT_CONFIGURATION`` left out)."""
    counted = router.control.counters(router.name)["writes"]
    return sum(count for path, count in counted.items() if path not in NOT_CONFIGURATION)


def lock_scripts(router):
    """The run lock entries on the router: ``/system/script`` rows named like the lock."""
    return [row for row in rows(router, "/system/script") if row.get("name") == "multiwan-lock"]


def all_writes(router):
    """Every write the router counted, ``{path: n}``, ``/file`` included: check mode must write nothing at all."""
    return router.control.counters(router.name)["writes"]


def reads(router):
    return sum(router.control.counters(router.name)["reads"].values())


def rows(router, path):
    """Rows of a menu as the router prints them (through the lab's own model, not the collection's code)."""
    return router.router.rows(path)


def assert_rerun_changes_nothing(router, playbook, inventory, extra_vars):
    """Run ``playbook`` again on a converged ``router``: it succeeds, writes nothing, reports no change."""
    router.control.reset_counters(router.name)
    code, out = run_playbook(playbook, inventory, extra_vars=extra_vars)
    assert code == 0, out
    assert writes(router) == 0, out
    assert recap(out)[router.name]["changed"] == 0, out
    # The run released its lock.
    assert lock_scripts(router) == [], out
