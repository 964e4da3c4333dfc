"""What Ansible's secret scan of a large ``config`` result costs: full plan against summarised plan.

Run from the repository root::

    .venv/bin/python benchmarks/result_size.py                # 10,000 entries
    .venv/bin/python benchmarks/result_size.py --entries 100000

Ansible scans every value of a module's result for the values of its ``no_log`` options (the password) before it
leaves the module (``exit_json``) or the collection's action plugin (``remove_values``). The result here is the one a
converge from empty of N address-list entries returns: N operations and N RouterOS command lines. Printed: the
time of that scan with the plan in full (check mode, diff mode, ``detail: true``) and summarised (an apply run's
default), median of 3. Figures are printed, never asserted.
"""

import argparse
import os
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "playbooks", "collections"))

from ansible.module_utils.common.parameters import remove_values  # noqa: E402

from ansible_collections.multiwan.routeros.plugins.module_utils.runs import summarised  # noqa: E402

PATH = "/ip/firewall/address-list"
REPEAT = 3


def converge_result(entries, detail):
    """The result of a converge from empty of ``entries`` address-list entries, as the config module returns it."""
    plan = []
    commands = []
    for i in range(entries):
        after = {"list": "SITES_%d" % (i % 10), "address": "10.%d.%d.0/24" % (i // 256 % 256, i % 256),
                 "comment": "site %d [mwan:bench:%d]" % (i, i)}
        plan.append({"op": "add", "path": PATH, "key": str(i), "id": None, "fields": dict(after), "after": after,
                     "handle": "new:bench:%d" % i})
        commands.append('/ip firewall address-list add address=%s comment="%s" list=%s'
                        % (after["address"], after["comment"], after["list"]))
    return {"changed": True, "plan": plan if detail else summarised(plan), "deferred": [], "commands": commands,
            "warnings": [], "stats": {"round_trips": 42, "reads": 1, "writes": entries}}


def scan_seconds(result):
    runs = []
    for _i in range(REPEAT):
        start = time.perf_counter()
        remove_values(result, {"lab-secret"})
        runs.append(time.perf_counter() - start)
    return sorted(runs)[len(runs) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--entries", type=int, default=10000, help="address-list entries of the converge (default 10000)")
    args = parser.parse_args()
    for label, detail in (("plan in full", True), ("plan summarised", False)):
        print("%6d entries  %-16s secret scan %6.2f s" % (args.entries, label, scan_seconds(converge_result(args.entries, detail))),
              flush=True)


if __name__ == "__main__":
    main()
