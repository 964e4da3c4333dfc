"""Scale figures of the lab router: load and print 100,000 address-list entries, stream a 10,000-row
print, and memory per entry. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/lab_scale.py [--entries 100000] [--print-rows 10000]
"""

import argparse
import gc
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc

import librouteros

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lab"))

from routeros_lab import Router  # noqa: E402
from routeros_lab.client import RawApi  # noqa: E402

LAB = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lab")
ENV = dict(os.environ, PYTHONPATH=LAB + os.pathsep + os.environ.get("PYTHONPATH", ""))


def rss_kib():
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def load(router, count, list_name="BIG"):
    start = time.perf_counter()
    for i in range(count):
        reply = router.execute("/ip/firewall/address-list/add", {"list": list_name, "address": "10.%d.%d.%d" % (i >> 16, (i >> 8) & 255, i & 255)})
        if reply.trap is not None:
            raise SystemExit("load failed at %d: %s" % (i, reply.trap.message))
    return time.perf_counter() - start


def memory_per_entry(count):
    gc.collect()
    tracemalloc.start()
    router = Router(load_extensions=False)
    before = tracemalloc.get_traced_memory()[0]
    load(router, count)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after - before) / count


def pipelined_api_adds(port, count):
    with RawApi("127.0.0.1", port) as client:
        client.login("admin", "bench")
        start = time.perf_counter()
        client.send_many([["/ip/firewall/address-list/add", "=list=PIPE", "=address=172.%d.%d.%d" % (16 + (i >> 16), (i >> 8) & 255, i & 255), ".tag=%d" % i]
                          for i in range(count)])
        done = 0
        while done < count:
            if client.read()[0] == "!done":
                done += 1
        return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=100000)
    parser.add_argument("--print-rows", type=int, default=10000)
    parser.add_argument("--api-adds", type=int, default=20000)
    args = parser.parse_args()

    print("memory per address-list entry (tracemalloc):")
    for count in (10000, args.entries):
        print("  %7d entries: %.0f bytes/entry" % (count, memory_per_entry(count)))

    router = Router(load_extensions=False, name="big")
    rss0 = rss_kib()
    seconds = load(router, args.entries)
    print("load %d entries in process: %.2f s (%.0f entries/s), RSS +%d MiB" % (
        args.entries, seconds, args.entries / seconds, (rss_kib() - rss0) // 1024))

    small = Router(load_extensions=False, name="small")
    load(small, args.print_rows, "SMALL")
    with tempfile.TemporaryDirectory() as folder:
        # the server runs in its own process, as in tests and Molecule, so client and server do not share a GIL
        ports = {}
        procs = []
        for name, source in (("big", router), ("small", small)):
            state = os.path.join(folder, name + ".json")
            with open(state, "w", encoding="utf-8") as handle:
                json.dump(source.to_json(), handle)
            proc = subprocess.Popen([sys.executable, "-m", "routeros_lab", "serve", "--api-port", "0", "--password", "bench",
                                     "--state", state, "--max-lifetime", "600"], stdout=subprocess.PIPE, text=True, env=ENV)
            procs.append(proc)
            ports[name] = int(re.search(r"api=127\.0\.0\.1:(\d+)", proc.stdout.readline()).group(1))
        try:
            measure(ports, args)
        finally:
            for proc in procs:
                proc.send_signal(signal.SIGTERM)
                proc.wait(30)
                proc.stdout.close()


def measure(ports, args):
    api = librouteros.connect(host="127.0.0.1", username="admin", password="bench", port=ports["big"])
    start = time.perf_counter()
    rows = sum(1 for dummy in api.path("/ip/firewall/address-list"))
    print("print %d rows over the API (librouteros): %.2f s" % (rows, time.perf_counter() - start))
    with RawApi("127.0.0.1", ports["big"]) as client:
        client.login("admin", "bench")
        start = time.perf_counter()
        client.send("/ip/firewall/address-list/print")
        count = 0
        while client.read()[0] == "!re":
            count += 1
        print("print %d rows over the API (raw socket): %.2f s" % (count, time.perf_counter() - start))

    api_small = librouteros.connect(host="127.0.0.1", username="admin", password="bench", port=ports["small"])
    timings = []
    for dummy in range(5):
        start = time.perf_counter()
        rows = sum(1 for dummy in api_small.path("/ip/firewall/address-list"))
        timings.append(time.perf_counter() - start)
    print("print %d rows over the API (librouteros): best %.3f s, median %.3f s (5 runs)" % (rows, min(timings), sorted(timings)[2]))

    with RawApi("127.0.0.1", ports["small"]) as client:
        client.login("admin", "bench")
        start = time.perf_counter()
        client.send("/ip/firewall/address-list/print")
        client.read()
        first = time.perf_counter() - start
        count = 1
        while client.read()[0] == "!re":
            count += 1
        print("%d-row print (raw socket): first row after %.4f s, all rows after %.3f s" % (count, first, time.perf_counter() - start))

    seconds = pipelined_api_adds(ports["small"], args.api_adds)
    print("%d pipelined tagged adds over one connection: %.2f s (%.0f adds/s)" % (args.api_adds, seconds, args.api_adds / seconds))


if __name__ == "__main__":
    main()
