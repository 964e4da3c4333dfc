"""Playbook overhead benchmark: core.yml and edge.yml against the floor, side by side, on lab routers.

Run from the repository root::

    .venv/bin/python benchmarks/playbook.py                  # the example's scale and 4x its sites
    .venv/bin/python benchmarks/playbook.py --scales 1 --repeat 3

The floor is one play per router kind that calls ``multiwan.routeros.config`` once per role of the kind's rollout
for the same intent, as the roles call it (``from_intent``): the least Ansible can do for the same reconcile. Against it, the
rollout playbook runs every phase with its check mode and its gate, the backup, the run lock and the validation.

The lab routers (the worked example's brownfield core and edges, ``inventory/lab``) run in a process of their own,
as real routers do, on free ports of 127.0.0.1; the intent is ``inventory/lab``'s, its sites multiplied by the
scale (extra remote sites in 172.20.0.0/14). Per scale:

- check: ``--check`` on the brownfield routers (both tools on the same, unchanged routers);
- converge: apply on the brownfield routers (each tool on routers of its own);
- no-op: apply again on the converged routers.

Printed per run: wall time, the tasks of the first host (ok + skipped in the recap) and the ratio
playbook / floor. Each measurement is the median of ``--repeat`` runs, the two tools alternating. Figures are
printed, never asserted.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "playbooks", "collections"))

from ansible_collections.multiwan.routeros.plugins.module_utils import registry  # noqa: E402
from lab_process import stop  # noqa: E402  (benchmarks/, the folder of this script)

LAB_INVENTORY = os.path.join(REPO, "inventory", "lab")
BIN = os.path.dirname(sys.executable)
# Bounds: a lab that does not come up, a run that hangs.
LAB_START_TIMEOUT = 120
RUN_TIMEOUT = 1800
PLAYBOOKS = {registry.CORE: "playbooks/core.yml", registry.EDGE: "playbooks/edge.yml"}


def floor_playbook(kind):
    """One play: ``multiwan.routeros.config`` once per role of the kind's rollout, the desired state compiled from the
    host's intent as the roles have it compiled (``from_intent``, in the action plugin)."""
    tasks = []
    for phase in registry.reconciling_phases(kind):
        tasks.append({
            "name": "Reconcile %s" % phase.role,
            "multiwan.routeros.config": {"owner": phase.role, "state": "overridden", "from_intent": True},
        })
    return [{"name": "Floor: one config call per role (%s)" % kind, "hosts": registry.GROUPS[kind], "gather_facts": False,
             "tasks": tasks}]


def extra_sites(count):
    """``count`` more remote sites, each one /24 of 172.20.0.0/14 (inside the internal networks), spread on the WANs."""
    wans = ["1012"] * 11 + ["1000"] * 5 + ["1005"] * 2 + ["VVG"] * 2
    return [{"name": "bench_site_%04d" % i, "networks": ["172.%d.%d.0/24" % (20 + i // 256, i % 256)], "wan": wans[i % 20]}
            for i in range(count)]


def write_inventory(folder, scale, endpoints):
    """``inventory/lab`` with its sites times ``scale``, its hosts pointed at the lab process's ports."""
    for sub in ("group_vars", "host_vars"):
        shutil.copytree(os.path.join(LAB_INVENTORY, sub), os.path.join(folder, sub))
    sites_file = os.path.join(folder, "group_vars", "multiwan_core", "sites.yml")
    with open(sites_file, encoding="utf-8") as handle:
        sites = yaml.safe_load(handle)
    sites["multiwan_sites"] += extra_sites(len(sites["multiwan_sites"]) * (scale - 1))
    with open(sites_file, "w", encoding="utf-8") as handle:
        yaml.safe_dump(sites, handle, sort_keys=False)
    with open(os.path.join(LAB_INVENTORY, "hosts.yml"), encoding="utf-8") as handle:
        hosts = yaml.safe_load(handle)
    for group in hosts["all"]["children"].values():
        for name, host in group["hosts"].items():
            host["multiwan_api_port"] = endpoints[name]
            host["ansible_port"] = 1
    path = os.path.join(folder, "hosts.yml")
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(hosts, handle, sort_keys=False)
    return path, len(sites["multiwan_sites"])


class Lab:
    """The example's lab routers (brownfield) in a process of their own, on free ports."""

    def __init__(self, folder):
        with open(os.path.join(LAB_INVENTORY, "topology.yml"), encoding="utf-8") as handle:
            topology = yaml.safe_load(handle)
        for entry in topology:
            entry["init"] = os.path.join(LAB_INVENTORY, entry["init"])
            entry["api_port"] = 0
            entry.pop("ssh_port", None)
        self.topology_file = os.path.join(folder, "topology.yml")
        with open(self.topology_file, "w", encoding="utf-8") as handle:
            yaml.safe_dump(topology, handle)
        self.count = len(topology)
        self.proc = None
        self.endpoints = {}

    def __enter__(self):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "routeros_lab", "serve", "--topology", self.topology_file, "--password", "lab-secret",
             "--max-lifetime", str(4 * RUN_TIMEOUT)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        deadline = time.monotonic() + LAB_START_TIMEOUT
        while len(self.endpoints) < self.count and time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            match = re.match(r"router (\S+) api=127\.0\.0\.1:(\d+).* ready", line)
            if match:
                self.endpoints[match.group(1)] = int(match.group(2))
        if len(self.endpoints) < self.count:
            self.__exit__(None, None, None)
            raise SystemExit("the lab routers did not start")
        return self

    def __exit__(self, *exc):
        stop(self.proc)


def run(playbook, inventory, folder, *args):
    """One ansible-playbook run: (wall seconds, tasks of the first host, output)."""
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, "playbooks", "collections"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCAL_TEMP=os.path.join(folder, ".ansible-tmp"))
    command = [os.path.join(BIN, "ansible-playbook"), "-i", inventory, playbook, "-e",
               "backup_dir=%s" % os.path.join(folder, "backups")] + list(args)
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=RUN_TIMEOUT, check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit("%s failed (%d):\n%s" % (playbook, proc.returncode, proc.stdout[-4000:]))
    tasks = 0
    for line in proc.stdout.splitlines():
        match = re.match(r"^\S+\s+:\s+ok=(\d+).*skipped=(\d+)", line.strip())
        if match:
            tasks = int(match.group(1)) + int(match.group(2))
            break
    return wall, tasks, proc.stdout


def median(values):
    return sorted(values)[len(values) // 2]


def side_by_side(label, kind, runs, repeat):
    """Alternate the playbook and the floor ``repeat`` times; print and return the medians and the ratio."""
    walls = {"playbook": [], "floor": []}
    tasks = {}
    for _i in range(repeat):
        for tool in ("playbook", "floor"):
            wall, count, _out = runs[tool]()
            walls[tool].append(wall)
            tasks[tool] = count
    mine, floor = median(walls["playbook"]), median(walls["floor"])
    row = (label, kind, mine, floor, mine / floor, tasks["playbook"], tasks["floor"])
    print("  %-9s %-5s playbook %7.2f s  floor %7.2f s  ratio %5.2f  tasks %3d vs %d" % row, flush=True)
    return row


def bench_scale(scale, kinds, repeat, modes):
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-playbook-") as top:
        floors = {}
        for kind in kinds:
            floors[kind] = os.path.join(top, "floor_%s.yml" % kind)
            with open(floors[kind], "w", encoding="utf-8") as handle:
                yaml.safe_dump(floor_playbook(kind), handle, sort_keys=False)
        folders = {}
        for name in ("a", "b"):
            folders[name] = os.path.join(top, name)
            os.makedirs(folders[name])
        with Lab(folders["a"]) as lab_a, Lab(folders["b"]) as lab_b:
            inventories = {}
            for name, lab in (("a", lab_a), ("b", lab_b)):
                inventories[name], sites = write_inventory(folders[name], scale, lab.endpoints)
            print("scale %dx: %d sites" % (scale, sites), flush=True)

            def runner(kind, lab_name, floor, *args):
                playbook = floors[kind] if floor else PLAYBOOKS[kind]
                return lambda: run(playbook, inventories[lab_name], folders[lab_name], *args)

            for kind in kinds:
                if "check" in modes:
                    rows.append((scale,) + side_by_side("check", kind, {"playbook": runner(kind, "a", False, "--check"),
                                                                        "floor": runner(kind, "a", True, "--check")}, repeat))
                # Converge: each tool on its own brownfield routers, once (the routers are converged after it).
                mine = runner(kind, "a", False)()
                floor = runner(kind, "b", True)()
                row = ("converge", kind, mine[0], floor[0], mine[0] / floor[0], mine[1], floor[1])
                print("  %-9s %-5s playbook %7.2f s  floor %7.2f s  ratio %5.2f  tasks %3d vs %d" % row, flush=True)
                rows.append((scale,) + row)
                if "noop" in modes:
                    rows.append((scale,) + side_by_side("no-op", kind, {"playbook": runner(kind, "a", False),
                                                                        "floor": runner(kind, "a", True)}, repeat))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scales", default="1,4", help="site multipliers of the worked example (default 1,4)")
    parser.add_argument("--kinds", default="core,edge", help="router kinds: core (core.yml), edge (edge.yml)")
    parser.add_argument("--modes", default="check,noop", help="side-by-side runs besides the converge (check, noop)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side-by-side measurement, median kept (default 3)")
    args = parser.parse_args()
    rows = []
    for scale in [int(s) for s in args.scales.split(",")]:
        rows.extend(bench_scale(scale, args.kinds.split(","), args.repeat, args.modes.split(",")))
    print("\n| scale | run | playbook | floor | ratio | tasks (playbook / floor) |")
    print("|---|---|---|---|---|---|")
    for scale, label, kind, mine, floor, ratio, tasks_mine, tasks_floor in rows:
        print("| %dx | %s %s | %.2f s | %.2f s | %.2f | %d / %d |"
              % (scale, PLAYBOOKS[kind].split("/")[-1], label, mine, floor, ratio, tasks_mine, tasks_floor))


if __name__ == "__main__":
    main()
