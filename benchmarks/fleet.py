"""Fleet figures: playbooks/edge.yml against N lab edge routers (one lab process serves them all), with
--forks 5, 20 and 50, and as 4 slices run side by side (disjoint --limit, every 4th router, as AWX job slicing
splits an inventory). Each run starts from the brownfield start (a fresh lab) and writes the port forwards.
Prints wall time, cost per router, the controller's peak memory (the summed RSS of ansible-playbook and its
children, sampled) and the 1-minute load average seen during the run (the machine may be shared: the figures
are only comparable with the load next to them); asserts nothing.

    .venv/bin/python benchmarks/fleet.py [--routers 100] [--forks 5,20,50] [--slices 4] [--timeout 1800]
        [--commit-confirm 2h]
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAB_INVENTORY = os.path.join(ROOT, "inventory", "lab")
BIN = os.path.dirname(sys.executable)
# Every router is a copy of edge-1005 of the worked example: same brownfield start, same intent (two forwards).
TEMPLATE = "edge-1005"
RECAP = re.compile(r"^(\S+)\s+: ok=\d+\s+changed=(\d+)", re.M)
READY = re.compile(r"^router (\S+) api=127\.0\.0\.1:(\d+) .*ready$")


def _read_yaml(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


# The login of the lab inventory's group_vars/all.yml, which the copied inventory keeps.
PASSWORD = _read_yaml(os.path.join(LAB_INVENTORY, "group_vars", "all.yml"))["ansible_password"]


def router_names(count):
    return ["edge-%04d" % number for number in range(1, count + 1)]


def write_fleet(workdir, names):
    """The lab topology (free ports) and the inventory folder of ``names``, copies of the template router."""
    topology = _read_yaml(os.path.join(LAB_INVENTORY, "topology.yml"))
    template = next(router for router in topology if router["name"] == TEMPLATE)
    routers = [{"name": name, "identity": name, "version": template["version"], "interfaces": template["interfaces"],
                "api_port": 0, "init": os.path.join(LAB_INVENTORY, template["init"])} for name in names]
    with open(os.path.join(workdir, "topology.yml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump(routers, handle)
    inventory = os.path.join(workdir, "inventory")
    os.makedirs(os.path.join(inventory, "host_vars"))
    shutil.copytree(os.path.join(LAB_INVENTORY, "group_vars"), os.path.join(inventory, "group_vars"))
    for name in names:
        shutil.copy(os.path.join(LAB_INVENTORY, "host_vars", TEMPLATE + ".yml"),
                    os.path.join(inventory, "host_vars", name + ".yml"))
    return inventory


def start_lab(workdir, count, timeout):
    """The lab process serving the topology, and each router's API port from its ready line."""
    log = open(os.path.join(workdir, "lab.log"), "w", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "lab"))
    process = subprocess.Popen(
        [sys.executable, "-m", "routeros_lab", "serve", "--topology", os.path.join(workdir, "topology.yml"),
         "--user", "admin", "--password", PASSWORD, "--max-lifetime", str(int(timeout) + 600)],
        stdout=subprocess.PIPE, stderr=log, text=True, env=env)
    ports = {}
    deadline = time.monotonic() + 120
    timer = threading.Timer(120, process.kill)
    timer.start()
    try:
        for line in process.stdout:
            match = READY.match(line.strip())
            if match:
                ports[match.group(1)] = int(match.group(2))
            if len(ports) == count or time.monotonic() > deadline:
                break
    finally:
        timer.cancel()
    if len(ports) != count:
        process.kill()
        raise SystemExit("the lab started %d of %d routers (see %s/lab.log)" % (len(ports), count, workdir))
    # Keep draining stdout so the lab never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _line in process.stdout], daemon=True).start()
    return process, ports


def stop_lab(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def write_hosts(inventory, ports):
    hosts = {name: {"ansible_host": "127.0.0.1", "multiwan_api_port": port} for name, port in sorted(ports.items())}
    data = {"all": {"children": {"multiwan_core": {"hosts": {}}, "multiwan_edge": {"hosts": hosts}}}}
    with open(os.path.join(inventory, "hosts.yml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump(data, handle)


def _children():
    """pid -> parent pid of every process (one pass over /proc)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry, encoding="ascii", errors="replace") as handle:
                    # The command name may hold spaces: the parent pid is the 2nd field after its closing ')'.
                    parents[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    return parents


def _rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid, encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kib(roots):
    """The summed RSS of ``roots`` and all their descendants, now."""
    parents = _children()
    tree = set(roots)
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sum(_rss_kib(pid) for pid in tree)


def run_playbooks(commands, workdir, timeout):
    """Run ``commands`` side by side; wall time, peak summed RSS, the 1-minute load range, return codes."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, "playbooks", "collections"),
               ANSIBLE_HOST_KEY_CHECKING="False", ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="False")
    logs = [open(os.path.join(workdir, "run-%d.log" % index), "w", encoding="utf-8") for index in range(len(commands))]
    start = time.monotonic()
    processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
                 for command, log in zip(commands, logs)]
    peak = 0
    loads = []
    deadline = start + timeout
    while any(process.poll() is None for process in processes):
        peak = max(peak, tree_rss_kib([process.pid for process in processes]))
        loads.append(os.getloadavg()[0])
        if time.monotonic() > deadline:
            for process in processes:
                process.kill()
            raise SystemExit("timed out after %d s (see %s)" % (timeout, workdir))
        time.sleep(0.25)
    wall = time.monotonic() - start
    for log in logs:
        log.close()
    loads = loads or [os.getloadavg()[0]]
    return wall, peak, (min(loads), max(loads)), [process.returncode for process in processes], _recap_hosts(logs)


def _recap_hosts(logs):
    """Hosts of the PLAY RECAPs with at least one change (each router's port forwards were written)."""
    changed = set()
    for log in logs:
        with open(log.name, encoding="utf-8") as handle:
            for match in RECAP.finditer(handle.read()):
                if int(match.group(2)):
                    changed.add(match.group(1))
    return len(changed)


def playbook_command(inventory, workdir, forks, commit_confirm, limit=None):
    command = [os.path.join(BIN, "ansible-playbook"), "-i", os.path.join(inventory, "hosts.yml"),
               os.path.join(ROOT, "playbooks", "edge.yml"), "--forks", str(forks),
               "-e", "backup_dir=%s" % os.path.join(workdir, "backups"),
               "-e", "multiwan_commit_confirm=%s" % commit_confirm]
    if limit:
        command += ["--limit", ",".join(limit)]
    return command


def measure(label, names, workdir, inventory, forks, slices, timeout, commit_confirm):
    """One configuration against a fresh lab: (label, wall s, s per router, peak MiB, load range)."""
    lab, ports = start_lab(workdir, len(names), timeout)
    try:
        write_hosts(inventory, ports)
        if slices > 1:
            # AWX's slicing: slice i gets every slices-th host, in inventory order.
            commands = [playbook_command(inventory, workdir, forks, commit_confirm, names[index::slices])
                        for index in range(slices)]
        else:
            commands = [playbook_command(inventory, workdir, forks, commit_confirm)]
        wall, peak, loads, codes, changed = run_playbooks(commands, workdir, timeout)
    finally:
        stop_lab(lab)
    if any(codes):
        raise SystemExit("%s: ansible-playbook failed (%s; logs in %s)" % (label, codes, workdir))
    if changed != len(names):
        raise SystemExit("%s: %d of %d routers changed (logs in %s)" % (label, changed, len(names), workdir))
    return label, wall, wall / len(names), peak / 1024.0, "%.1f-%.1f" % loads


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--routers", type=int, default=100, help="lab edge routers (default 100)")
    parser.add_argument("--forks", default="5,20,50", help="forks of the single runs (default 5,20,50)")
    parser.add_argument("--slices", type=int, default=4, help="slices run side by side (default 4; 0: none)")
    parser.add_argument("--slice-forks", type=int, default=5, help="forks of each slice (default 5, AWX's default)")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per configuration before it is killed")
    # Ansible runs each task on every host before the next task, so a router's revert, armed by the first writing
    # task, waits for the whole fleet to pass the last gate: the timer must cover the whole run, not one router's.
    parser.add_argument("--commit-confirm", default="2h",
                        help="multiwan_commit_confirm of the runs (default 2h: longer than a whole run)")
    args = parser.parse_args()
    names = router_names(args.routers)
    workdir = tempfile.mkdtemp(prefix="multiwan-fleet-")
    inventory = write_fleet(workdir, names)
    configurations = [("forks %d" % forks, forks, 1) for forks in map(int, filter(None, args.forks.split(",")))]
    if args.slices > 1:
        configurations.append(("%d slices x forks %d, parallel" % (args.slices, args.slice_forks), args.slice_forks, args.slices))
    print("edge.yml (apply, brownfield start) against %d lab edge routers, %d CPUs" % (args.routers, os.cpu_count()))
    print("%-30s %10s %14s %16s %12s" % ("run", "wall s", "s per router", "peak RSS MiB", "load 1m"))
    for label, forks, slices in configurations:
        row = measure(label, names, workdir, inventory, forks, slices, args.timeout, args.commit_confirm)
        print("%-30s %10.1f %14.2f %16.0f %12s" % row, flush=True)
    # Only a run that succeeded throws its folder away: a failure keeps the logs it names.
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
