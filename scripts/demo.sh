#!/usr/bin/env bash
# The demo: start the example network's lab routers (brownfield configuration), show the whole rollout plan
# of the core and the edge routers in check mode with diffs, summarize what would change per router and phase,
# prove from the lab's write counters that nothing was written, and stop the lab.
#   scripts/demo.sh            (make demo)
# Environment: PYTHON (default .venv/bin/python), DEMO_LIFETIME (seconds the lab may live, default 900),
# DEMO_OUT (backups, summaries and the lab log, default out/demo).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
PLAYBOOK=${ANSIBLE_PLAYBOOK:-$(dirname "$PYTHON")/ansible-playbook}
LIFETIME=${DEMO_LIFETIME:-900}
OUT=${DEMO_OUT:-$ROOT/out/demo}
CONTROL_PORT=18700
ROUTERS="core edge-1000 edge-1012 edge-1005"
PASSWORD=lab-secret

mkdir -p "$OUT"
rm -rf "$OUT/summary"
LOG="$OUT/lab.log"
: > "$LOG"

echo "== Starting the lab routers of inventory/lab/topology.yml (lifetime ${LIFETIME}s)"
PYTHONPATH="$ROOT/lab${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON" -m routeros_lab serve \
    --topology inventory/lab/topology.yml --control-port "$CONTROL_PORT" \
    --user admin --password "$PASSWORD" --max-lifetime "$LIFETIME" >"$LOG" 2>&1 &
LAB_PID=$!

stop_lab() {
    if kill -0 "$LAB_PID" 2>/dev/null; then
        kill -TERM "$LAB_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$LAB_PID" 2>/dev/null || break
            sleep 0.1
        done
    fi
    wait "$LAB_PID" 2>/dev/null || true
}
trap stop_lab EXIT

ready=0
for _ in $(seq 1 240); do
    ready=$(grep -c ' ready' "$LOG" || true)
    if [ "$ready" -ge 4 ]; then
        break
    fi
    if ! kill -0 "$LAB_PID" 2>/dev/null; then
        echo "The lab stopped before it was ready:" >&2
        cat "$LOG" >&2
        exit 1
    fi
    sleep 0.25
done
if [ "$ready" -lt 4 ]; then
    echo "The lab did not become ready in 60 s:" >&2
    cat "$LOG" >&2
    exit 1
fi
grep ' ready' "$LOG"

ctl() {
    PYTHONPATH="$ROOT/lab${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON" -m routeros_lab ctl --control-port "$CONTROL_PORT" "$@"
}
for router in $ROUTERS; do
    ctl reset_counters --router "$router" >/dev/null
done

status=0
echo
echo "== ansible-playbook playbooks/core.yml --check --diff"
"$PLAYBOOK" -i inventory/lab/hosts.yml playbooks/core.yml --check --diff \
    -e "multiwan_summary_dir=$OUT/summary" -e "backup_dir=$OUT/backups" || status=$?
echo
echo "== ansible-playbook playbooks/edge.yml --check --diff"
"$PLAYBOOK" -i inventory/lab/hosts.yml playbooks/edge.yml --check --diff \
    -e "multiwan_summary_dir=$OUT/summary" -e "backup_dir=$OUT/backups" || status=$?

echo
echo "== Summary: what the rollout would change (check mode, nothing applied)"
for router in $ROUTERS; do
    ctl counters --router "$router" > "$OUT/counters-$router.json" 2>/dev/null || echo '{}' > "$OUT/counters-$router.json"
done
"$PYTHON" - "$OUT" $ROUTERS <<'PYEOF'
import json
import os
import sys

out, routers = sys.argv[1], sys.argv[2:]
print("%-10s %-24s %5s %5s %7s %5s" % ("router", "phase", "add", "set", "remove", "move"))
for router in routers:
    path = os.path.join(out, "summary", router + ".json")
    if not os.path.exists(path):
        print("%-10s (no summary: the playbook stopped before its end)" % router)
        continue
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    for phase in data["phases"]:
        print("%-10s %-24s %5d %5d %7d %5d" % (router, phase["phase"], phase["add"], phase["set"], phase["remove"], phase["move"]))
print()
for router in routers:
    with open(os.path.join(out, "counters-%s.json" % router), encoding="utf-8") as handle:
        counters = json.load(handle).get("result") or {}
    all_writes = counters.get("writes") or {}
    # /file: the temporary file of `/export file=` that the backup reads and removes; not configuration.
    writes = sum(count for path, count in all_writes.items() if path != "/file")
    reads = sum((counters.get("reads") or {}).values())
    print("%-10s lab counters: %4d reads, %d configuration writes%s" % (
        router, reads, writes, "" if writes == 0 else "  <-- CHANGED IN CHECK MODE: %s" % all_writes))
print("(the backup's temporary /export file on the router is not counted: it is created and removed by /export file=)")
print()
print("Backups of the routers' /export: %s" % os.path.join(out, "backups"))
PYEOF

echo "== Stopping the lab"
exit "$status"
