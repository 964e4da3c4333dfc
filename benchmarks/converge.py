"""Converge benchmark: multiwan.routeros.config vs community.routeros.api_modify, side by side.

Run from the repository root::

    .venv/bin/python benchmarks/converge.py                    # full run (about 20 minutes)
    .venv/bin/python benchmarks/converge.py --sizes 10,1000     # quicker
    .venv/bin/python benchmarks/converge.py --sizes 100000 --latencies 0 --tools config --transports api,ssh --repeat 1

For each injected latency (0 and 50 ms per reply) and each size (address-list entries, plus 50 mangle rules) it runs,
against a fresh lab router for each tool, three steps: converge from an empty router, a no-op run (the converged state
again) and a change of the comment of 1% of the entries (no-op and change: median of ``--repeat`` runs). The lab router
runs in a process of its own, as a real router does (``python -m routeros_lab serve``; faults and counters through
its control port), so the benchmark's process only measures. Each step is one module invocation per tool as Ansible
runs it (a fresh Python process, its own login): one ``multiwan.routeros.config`` call for both paths, over the API or
SSH; two ``api_modify`` calls (one per path, the only way it works).

Printed per step: wall time, the reads and writes the lab router counted, round trips (the client's count for
``config``; one per login, read and write for ``api_modify``, which waits for every call), the peak resident memory of
the module process (``ru_maxrss`` of the module's process, reported by a small wrapper process that waits for it), its
CPU time (user + system: on a loaded machine the wall time grows, the CPU time much less) and the 1-minute load
average after the step. At the end: the rows as markdown tables, ready for docs/engine.md, and with
``--plot`` a PNG of wall time against entries. Every step is bounded (``--step-timeout``). Figures are printed, never
asserted.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "playbooks", "collections"))
sys.path.insert(0, os.path.join(REPO, "lab"))

from lab_process import LabProcess  # noqa: E402  (benchmarks/ is the script's own folder, first on sys.path)

OUR_MODULE = os.path.join(REPO, "plugins", "modules", "config.py")
MANGLE_RULES = 50
STEPS = ("converge from empty", "change 1%", "no-op")

_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:])\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "sys.stderr.write('MAXRSS %d CPU %.3f\\n' % (usage.ru_maxrss, usage.ru_utime + usage.ru_stime))\n"
    "sys.exit(code)\n"
)


class StepTimeout(Exception):
    """A module invocation ran longer than ``--step-timeout``."""


def median(runs):
    return sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]


def api_modify_path():
    import ansible_collections.community.routeros.plugins.modules.api_modify as mod
    return mod.__file__


def address_entries(count, changed=0, variant=0):
    out = []
    for i in range(count):
        comment = "site %d%s" % (i, " (moved %d)" % variant if i < changed else "")
        out.append({"list": "SITES_%d" % (i % 10), "address": "10.%d.%d.%d" % (i // 65536, i // 256 % 256, i % 256),
                    "comment": comment})
    return out


def mangle_entries():
    out = []
    for i in range(MANGLE_RULES):
        out.append({"_key": "rule-%d" % i, "_rank": 100 + i, "chain": "prerouting", "action": "mark-connection",
                    "new-connection-mark": "CONN_%d" % i, "src-address": "172.16.%d.0/24" % i,
                    "connection-mark": "no-mark", "passthrough": True, "comment": "policy %d" % i})
    return out


def run_module(path, args, timeout):
    """Run one module invocation; returns (result, wall seconds, peak RSS in MiB, CPU seconds)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"ANSIBLE_MODULE_ARGS": args}, handle)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    start = time.perf_counter()
    # A small wrapper process starts the module and reports the module's own peak RSS (RUSAGE_CHILDREN), which a
    # child forked straight from this process would not give: its maximum would start at this process's size.
    try:
        proc = subprocess.run([sys.executable, "-c", _WRAPPER, sys.executable, path, handle.name],
                              capture_output=True, env=env, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise StepTimeout("timed out after %d s" % timeout) from None
    finally:
        os.unlink(handle.name)
    wall = time.perf_counter() - start
    out, err = proc.stdout, proc.stderr
    rss_kib, cpu = 0, 0.0
    for line in err.decode("utf-8", "replace").splitlines():
        if line.startswith("MAXRSS "):
            words = line.split()
            rss_kib, cpu = int(words[1]), float(words[3])
    try:
        result = json.loads(out)
    except ValueError:
        result = {"failed": True, "msg": (out + err).decode("utf-8", "replace")[-500:]}
    return result, wall, rss_kib / 1024.0, cpu


def ours(transport):
    def tool(lab, n_entries, changed, variant, timeout):
        # The lab router of a benchmark serves the plain API (no API-SSL, whose handshake is not what is measured).
        args = {"hostname": lab.host, "username": lab.username, "password": lab.password, "transport": transport,
                "owner": "bench", "state": "overridden", "timeout": 600,
                "desired": {"/ip/firewall/address-list": address_entries(n_entries, changed, variant),
                            "/ip/firewall/mangle": mangle_entries()}}
        if transport == "ssh":
            args.update(ssh_port=lab.ssh_port, host_key_checking=False)
        else:
            args.update(port=lab.api_port, tls=False)
        result, wall, rss, cpu = run_module(OUR_MODULE, args, timeout)
        return [result], wall, rss, cpu
    return tool


def theirs(lab, n_entries, changed, variant, timeout):
    conn = {"hostname": lab.host, "port": lab.api_port, "username": lab.username, "password": lab.password,
            "timeout": 600}
    rules = []
    for entry in mangle_entries():
        rules.append(dict((k, v) for k, v in entry.items() if not k.startswith("_")))
    calls = [
        dict(conn, path="ip firewall address-list", data=address_entries(n_entries, changed, variant),
             handle_absent_entries="remove"),
        dict(conn, path="ip firewall mangle", data=rules, handle_absent_entries="remove",
             handle_entries_content="remove_as_much_as_possible", ensure_order=True),
    ]
    results, wall, rss, cpu = [], 0.0, 0.0, 0.0
    for args in calls:
        result, w, r, c = run_module(api_modify_path(), args, timeout - wall)
        results.append(result)
        wall += w
        rss = max(rss, r)
        cpu += c
    return results, wall, rss, cpu


def step(lab, name, tool, n_entries, changed, variant, timeout):
    lab.control("reset_counters")
    results, wall, rss, cpu = tool(lab, n_entries, changed, variant, timeout)
    counters = lab.control("counters")
    reads, writes = sum(counters["reads"].values()), sum(counters["writes"].values())
    failed = [r.get("msg", "")[:300] for r in results if r.get("failed")]
    if name == "api_modify":
        # api_modify waits for every call: one login per invocation, then one reply per read and write
        trips = len(results) + reads + writes
    else:
        trips = sum(r.get("stats", {}).get("round_trips", 0) for r in results)
    return {"trips": trips, "wall": wall, "cpu": cpu, "rss": rss, "reads": reads, "writes": writes,
            "changed": any(r.get("changed") for r in results), "failed": failed, "load": os.getloadavg()[0]}


def tools_of(opts):
    out = []
    for name in opts.tools:
        if name == "config":
            out.extend(("config (%s)" % transport, ours(transport)) for transport in opts.transports)
        else:
            out.append(("api_modify", theirs))
    return out


class Records(list):
    """The records so far, written to ``--json`` after each step (a run stopped by hand keeps them)."""

    def __init__(self, path):
        super().__init__()
        self.path = path

    def extend(self, more):
        super().extend(more)
        if self.path:
            with open(self.path, "w", encoding="utf-8") as handle:
                json.dump(list(self), handle, indent=1)

    def append(self, record):
        self.extend([record])


def measure(latency, size, name, tool, opts, records):
    """The three steps of one tool on a fresh lab router, added to ``records`` (a step that fails or times out ends
    the tool's run)."""
    base = {"latency": latency, "entries": size, "tool": name}
    changed = max(1, size // 100)
    # The no-op (the converged state again) runs before the change: a change step that hits the bound leaves the
    # router half changed, and the no-op is the figure that matters most.
    plan = [("converge from empty", [(0, 0)]),
            ("no-op", [(0, 0)] * opts.repeat),
            ("change 1%", [(changed, variant) for variant in range(1, opts.repeat + 1)])]
    with LabProcess(max_lifetime=opts.step_timeout * (1 + 2 * opts.repeat) + 600) as lab:
        lab.control("set_faults", latency_ms=latency)
        for label, runs in plan:
            try:
                done = [step(lab, name, tool, size, n_changed, variant, opts.step_timeout) for n_changed, variant in runs]
            except StepTimeout as exc:
                records.append(dict(base, step=label, skipped=str(exc)))
                print_record(records[-1])
                break
            records.append(dict(base, step=label, **median(done)))
            print_record(records[-1])
            if records[-1]["failed"]:
                break


def bench(opts):
    records = Records(opts.json)
    for latency in opts.latencies:
        for size in opts.sizes:
            for name, tool in tools_of(opts):
                limit = opts.api_modify_max.get(latency)
                if name == "api_modify" and limit is not None and size > limit:
                    records.append({"latency": latency, "entries": size, "tool": name, "step": None,
                                    "skipped": "above --api-modify-max for %d ms" % latency})
                    print_record(records[-1])
                    continue
                measure(latency, size, name, tool, opts, records)
    return list(records)


def print_record(rec):
    head = "%4d ms %6d entries  %-12s" % (rec["latency"], rec["entries"], rec["tool"])
    if "skipped" in rec:
        print("%s %-20s skipped: %s" % (head, rec["step"] or "", rec["skipped"]), flush=True)
        return
    flag = ("  FAILED: %s" % rec["failed"]) if rec["failed"] else ""
    print("%s %-20s wall %8.2f s  module CPU %7.2f s  round trips %6d  reads %3d  writes %6d  changed %-5s  "
          "peak RSS %6.1f MiB  load %.2f%s"
          % (head, rec["step"], rec["wall"], rec.get("cpu", 0.0), rec["trips"], rec["reads"], rec["writes"], rec["changed"], rec["rss"],
             rec["load"], flag), flush=True)


def markdown(records):
    """The results and speed-up tables of docs/engine.md."""
    lines = ["| latency | entries | tool | step | wall (s) | module CPU (s) | round trips | reads | writes | peak RSS (MiB) "
             "| load |",
             "|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for rec in records:
        tool = _tool_cell(rec["tool"])
        if "skipped" in rec:
            if rec["step"]:
                lines.append("| %d ms | %d | %s | %s | %s | | | | | | |"
                             % (rec["latency"], rec["entries"], tool, rec["step"], rec["skipped"]))
            continue
        wall = "%.2f" % rec["wall"] + (" (failed)" if rec["failed"] else "")
        cpu = "%.2f" % rec["cpu"] if "cpu" in rec else ""
        lines.append("| %d ms | %d | %s | %s | %s | %s | %d | %d | %d | %.1f | %.1f |"
                     % (rec["latency"], rec["entries"], tool, rec["step"], wall, cpu, rec["trips"], rec["reads"],
                        rec["writes"], rec["rss"], rec["load"]))
    by = dict(((r["latency"], r["entries"], r["tool"], r["step"]), r) for r in records if "wall" in r)
    speed = ["| latency | entries | step | speed-up | round trips (`config` vs `api_modify`) |",
             "|---:|---:|---|---:|---|"]
    for latency, size in sorted(set((k[0], k[1]) for k in by)):
        for label in STEPS:
            mine, other = by.get((latency, size, "config (api)", label)), by.get((latency, size, "api_modify", label))
            if mine and other and not mine["failed"] and not other["failed"] and mine["wall"] > 0:
                speed.append("| %d ms | %d | %s | %.1fx | %d vs %d |"
                             % (latency, size, label, other["wall"] / mine["wall"], mine["trips"], other["trips"]))
    return "\n".join(lines) + ("\n\nSpeed-up (wall time of `api_modify` / wall time of `config` over the API):\n\n"
                               + "\n".join(speed) if len(speed) > 2 else "")


def _tool_cell(name):
    """``config (api)`` -> ```config` (api)``, ``api_modify`` -> ```api_modify```."""
    tool, _sep, rest = name.partition(" ")
    return ("`%s` %s" % (tool, rest)).strip()


def plot(records, path):
    """Wall time against entries, one panel per step, one line per tool and latency (log-log)."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot, ticker

    figure, axes = pyplot.subplots(1, len(STEPS), figsize=(5 * len(STEPS), 4.2), sharey=True)
    series = sorted(set((r["tool"], r["latency"]) for r in records if "wall" in r))
    for axis, label in zip(axes, STEPS):
        for tool, latency in series:
            points = sorted((r["entries"], r["wall"]) for r in records
                            if "wall" in r and not r["failed"] and r["tool"] == tool and r["latency"] == latency
                            and r["step"] == label)
            if points:
                axis.plot([p[0] for p in points], [p[1] for p in points], marker="o",
                          linestyle="-" if latency == 0 else "--", label="%s, %d ms" % (tool, latency))
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.yaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _pos: "%g" % value))
        axis.yaxis.set_minor_formatter(ticker.NullFormatter())
        axis.set_title(label)
        axis.set_xlabel("address-list entries (+ %d mangle rules)" % MANGLE_RULES)
        axis.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("wall time per step (s)")
    # One legend for every series, also one that only some panels have (a step skipped at some size).
    legend = {}
    for axis in axes:
        for handle, name in zip(*axis.get_legend_handles_labels()):
            legend.setdefault(name, handle)
    figure.legend(list(legend.values()), list(legend.keys()), loc="lower center", ncol=len(legend), fontsize="small")
    figure.suptitle("multiwan.routeros.config vs community.routeros.api_modify, lab router in its own process")
    figure.tight_layout(rect=(0, 0.07, 1, 1))
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    figure.savefig(path, dpi=100)
    print("plot written to %s" % path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--sizes", default="10,1000,10000")
    parser.add_argument("--latencies", default="0,50")
    parser.add_argument("--tools", default="config,api_modify", help="config, api_modify (default both)")
    parser.add_argument("--transports", default="api", help="transports of config: api, ssh (default api)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the change and no-op steps, median kept")
    parser.add_argument("--step-timeout", type=int, default=1200, help="bound of one step, seconds (default 1200)")
    parser.add_argument("--api-modify-max", default="0:10000,50:1000",
                        help="largest size api_modify runs at each latency (latency:size,...); 10,000 entries at "
                             "50 ms is one sequential call per entry, about 10 minutes per step")
    parser.add_argument("--json", help="write the records to this file")
    parser.add_argument("--from-json", help="print the tables (and plot) of the records of these --json files (comma-separated), measure nothing")
    parser.add_argument("--plot", help="write a PNG of wall time against entries here (needs matplotlib)")
    opts = parser.parse_args()
    if opts.from_json:
        records = []
        for path in opts.from_json.split(","):
            with open(path, encoding="utf-8") as handle:
                records.extend(json.load(handle))
    else:
        opts.sizes = [int(s) for s in opts.sizes.split(",") if s]
        opts.latencies = [int(s) for s in opts.latencies.split(",") if s]
        opts.tools = [s for s in opts.tools.split(",") if s]
        opts.transports = [s for s in opts.transports.split(",") if s]
        opts.api_modify_max = dict((int(a), int(b)) for a, b in (p.split(":") for p in opts.api_modify_max.split(",") if p))
        print("multiwan.routeros.config vs community.routeros.api_modify against a lab router in its own process "
              "(%d mangle rules + N address-list entries); load average at start %.2f %.2f %.2f on %d CPUs"
              % ((MANGLE_RULES,) + os.getloadavg() + (os.cpu_count(),)), flush=True)
        records = bench(opts)
        print("load average at the end: %.2f %.2f %.2f" % os.getloadavg())
    print("\n" + markdown(records))
    if opts.plot:
        plot(records, opts.plot)


if __name__ == "__main__":
    main()
