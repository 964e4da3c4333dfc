"""Converge benchmark: multiwan.routeros.config vs community.routeros.api_modify, side by side.

Run from the repository root::

    .venv/bin/python benchmarks/converge.py                    # full run (several minutes)
    .venv/bin/python benchmarks/converge.py --sizes 10,1000     # quicker

For each injected latency (0 and 50 ms per reply) and each size (address-list entries, plus 50
mangle rules) it runs, against a fresh lab router, three steps with each tool: converge from an
empty router, change the comment of 1% of the entries (median of 3 runs), and a no-op run
(median of 3 runs). Each step is one module
invocation per tool as Ansible runs it (a fresh Python process, its own login): one
``multiwan.routeros.config`` call for both paths; two ``api_modify`` calls (one per path, the
only way it works). Printed per step: wall time, the reads and writes the lab router counted,
round trips estimated from the latency (extra wall time at 50 ms / 50 ms) and the peak resident
memory of the module process. Figures are printed, never asserted.
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

from routeros_lab.pytest_plugin import LabFactory  # noqa: E402

OUR_MODULE = os.path.join(REPO, "plugins", "modules", "config.py")
MANGLE_RULES = 50
REPEAT = 3


def median(runs):
    return sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]


_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:])\n"
    "sys.stderr.write('MAXRSS %d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(code)\n"
)


def api_modify_path():
    import ansible_collections.community.routeros.plugins.modules.api_modify as mod
    return mod.__file__


def address_entries(count, changed=0, variant=0):
    out = []
    for i in range(count):
        comment = "site %d%s" % (i, " (moved %d)" % variant if i < changed else "")
        out.append({"list": "SITES_%d" % (i % 10), "address": "10.%d.%d.0/24" % (i // 256 % 256, i % 256),
                    "comment": comment})
    return out


def mangle_entries():
    out = []
    for i in range(MANGLE_RULES):
        out.append({"_key": "rule-%d" % i, "_rank": 100 + i, "chain": "prerouting", "action": "mark-connection",
                    "new-connection-mark": "CONN_%d" % i, "src-address": "172.16.%d.0/24" % i,
                    "connection-mark": "no-mark", "passthrough": True, "comment": "policy %d" % i})
    return out


def run_module(path, args):
    """Run one module invocation; returns (result, wall seconds, peak RSS in MiB)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"ANSIBLE_MODULE_ARGS": args}, handle)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    start = time.perf_counter()
    # A small wrapper process starts the module, so the module's peak RSS is its own (a child forked
    # straight from this process, which holds the lab router, would start with its memory counted).
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, sys.executable, path, handle.name],
                          capture_output=True, env=env, timeout=3600, check=False)
    wall = time.perf_counter() - start
    out, err = proc.stdout, proc.stderr
    os.unlink(handle.name)
    rss_kib = 0
    for line in err.decode("utf-8", "replace").splitlines():
        if line.startswith("MAXRSS "):
            rss_kib = int(line.split()[1])
    try:
        result = json.loads(out)
    except ValueError:
        result = {"failed": True, "msg": (out + err).decode("utf-8", "replace")[-500:]}
    return result, wall, rss_kib / 1024.0


def ours(lab, n_entries, changed, variant):
    # The lab router of a benchmark serves the plain API only (no API-SSL, whose handshake is not what is measured).
    args = {"hostname": lab.host, "port": lab.api_port, "username": lab.username, "password": lab.password,
            "tls": False, "owner": "bench", "state": "overridden", "timeout": 120,
            "desired": {"/ip/firewall/address-list": address_entries(n_entries, changed, variant),
                        "/ip/firewall/mangle": mangle_entries()}}
    result, wall, rss = run_module(OUR_MODULE, args)
    return [result], wall, rss


def theirs(lab, n_entries, changed, variant):
    conn = {"hostname": lab.host, "port": lab.api_port, "username": lab.username, "password": lab.password,
            "timeout": 120}
    rules = []
    for entry in mangle_entries():
        rules.append(dict((k, v) for k, v in entry.items() if not k.startswith("_")))
    calls = [
        dict(conn, path="ip firewall address-list", data=address_entries(n_entries, changed, variant),
             handle_absent_entries="remove"),
        dict(conn, path="ip firewall mangle", data=rules, handle_absent_entries="remove",
             handle_entries_content="remove_as_much_as_possible", ensure_order=True),
    ]
    results, wall, rss = [], 0.0, 0.0
    for args in calls:
        result, w, r = run_module(api_modify_path(), args)
        results.append(result)
        wall += w
        rss = max(rss, r)
    return results, wall, rss


def step(lab, tool, n_entries, changed, variant=0):
    lab.control.reset_counters()
    results, wall, rss = tool(lab, n_entries, changed, variant)
    counters = lab.control.counters()
    failed = [r.get("msg", "")[:200] for r in results if r.get("failed")]
    if tool is ours:
        trips = sum(r.get("stats", {}).get("round_trips", 0) for r in results)
    else:
        # api_modify waits for every call: one login per invocation, then one reply per read and write
        trips = len(results) + sum(counters["reads"].values()) + sum(counters["writes"].values())
    return {
        "trips": trips,
        "wall": wall, "rss": rss, "reads": sum(counters["reads"].values()),
        "writes": sum(counters["writes"].values()), "changed": any(r.get("changed") for r in results),
        "failed": failed,
    }


def bench(sizes, latencies, api_modify_max):
    factory = LabFactory()
    rows = []
    try:
        for latency in latencies:
            for size in sizes:
                for name, tool in (("multiwan.config", ours), ("api_modify", theirs)):
                    limit = api_modify_max.get(latency)
                    if name == "api_modify" and limit is not None and size > limit:
                        rows.append((latency, size, name, None, "skipped: above --api-modify-max for %d ms" % latency))
                        continue
                    lab = factory(api_ssl=False, ssh=False)
                    lab.control.set_faults(latency_ms=latency)
                    changed = max(1, size // 100)
                    rows.append((latency, size, name, "converge from empty", step(lab, tool, size, 0)))
                    print_row(rows[-1])
                    # change and no-op steps are short: repeat them and keep the median run
                    runs = [step(lab, tool, size, changed, variant) for variant in range(1, REPEAT + 1)]
                    rows.append((latency, size, name, "change 1%", median(runs)))
                    print_row(rows[-1])
                    runs = [step(lab, tool, size, changed, REPEAT) for _i in range(REPEAT)]
                    rows.append((latency, size, name, "no-op", median(runs)))
                    print_row(rows[-1])
                    factory.close()
    finally:
        factory.close()
    return rows


def print_row(row):
    latency, size, name, label, res = row
    if label is None:
        print("%4d ms %6d entries  %-16s %s" % (latency, size, name, res), flush=True)
        return
    flag = ("  FAILED: %s" % res["failed"]) if res["failed"] else ""
    print("%4d ms %6d entries  %-16s %-20s wall %8.2f s  round trips %6d  reads %3d  writes %6d  changed %-5s  "
          "peak RSS %6.1f MiB%s"
          % (latency, size, name, label, res["wall"], res["trips"], res["reads"], res["writes"], res["changed"],
             res["rss"], flag), flush=True)


def summary(rows):
    by = {}
    for latency, size, name, label, res in rows:
        if label is not None:
            by[(latency, size, name, label)] = res
    print("\nSpeed-up of multiwan.routeros.config over api_modify (wall time ratio, same work, same router):")
    for latency in sorted(set(k[0] for k in by)):
        for size in sorted(set(k[1] for k in by)):
            for label in ("converge from empty", "change 1%", "no-op"):
                mine, theirs_ = by.get((latency, size, "multiwan.config", label)), by.get((latency, size, "api_modify", label))
                if mine and theirs_ and mine["wall"] > 0:
                    print("%4d ms %6d entries %-20s %6.1fx  (round trips %d vs %d)"
                          % (latency, size, label, theirs_["wall"] / mine["wall"], mine["trips"], theirs_["trips"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--sizes", default="10,1000,10000")
    parser.add_argument("--latencies", default="0,50")
    parser.add_argument("--api-modify-max", default="0:10000,50:1000",
                        help="largest size api_modify runs at each latency (latency:size,...); 10,000 entries at "
                             "50 ms is one sequential call per entry, about 10 minutes per step")
    opts = parser.parse_args()
    sizes = [int(s) for s in opts.sizes.split(",") if s]
    latencies = [int(s) for s in opts.latencies.split(",") if s]
    limits = dict((int(a), int(b)) for a, b in (p.split(":") for p in opts.api_modify_max.split(",") if p))
    print("multiwan.routeros.config vs community.routeros.api_modify against the lab router "
          "(%d mangle rules + N address-list entries)" % MANGLE_RULES)
    for latency, limit in sorted(limits.items()):
        print("api_modify runs up to %d entries at %d ms (above that it would take too long)" % (limit, latency))
    rows = bench(sizes, latencies, limits)
    summary(rows)


if __name__ == "__main__":
    main()
