#!/usr/bin/env bash
# The demo: start the example network's lab routers (brownfield configuration), show the whole rollout plan
# of the core and the edge routers in check mode with diffs, the verification gate's per-WAN tables (phases 60
# and 80: the routers probed through their own /ping, /tool/traceroute, routes and connection table, read-only),
# summarize what would change per router and phase, prove from the lab's write counters that nothing was
# written, then apply the core's routing (phases 10 and 20) and run the failover drill on one WAN (its per-WAN
# table), and stop the lab.
#   scripts/demo.sh                          (make demo)
#   LAB_PORT_OFFSET=1000 scripts/demo.sh     (make demo LAB_PORT_OFFSET=1000: a second demo beside the first)
# Environment:
#   PYTHON           default .venv/bin/python
#   DEMO_LIFETIME    seconds the lab may live, default 900
#   LAB_PORT_OFFSET  added to every lab port (the control port 18700, the API ports 18728-18731 and the SSH ports
#                    18022-18025 of inventory/lab/topology.yml), default 0; not 100 (the Molecule scenario's ports)
#   DEMO_OUT         backups, summaries, counters, the lab log and the topology and inventory overlay with the
#                    moved ports; default out/demo, or out/demo-<offset> with an offset
# Everything it writes goes to DEMO_OUT (out/ is git-ignored): nothing else in the checkout changes.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
PLAYBOOK=${ANSIBLE_PLAYBOOK:-$(dirname "$PYTHON")/ansible-playbook}
LIFETIME=${DEMO_LIFETIME:-900}
PORT_OFFSET=${LAB_PORT_OFFSET:-0}
if ! [[ "$PORT_OFFSET" =~ ^[0-9]+$ ]] || [ "$PORT_OFFSET" -gt 40000 ]; then
    echo "LAB_PORT_OFFSET must be a number from 0 to 40000, got '$PORT_OFFSET'" >&2
    exit 2
fi
if [ "$PORT_OFFSET" -eq 0 ]; then
    OUT=${DEMO_OUT:-$ROOT/out/demo}
else
    OUT=${DEMO_OUT:-$ROOT/out/demo-$PORT_OFFSET}
fi
CONTROL_PORT=$((18700 + PORT_OFFSET))
ROUTERS="core edge-1000 edge-1012 edge-1005"
PASSWORD=lab-secret

mkdir -p "$OUT"
rm -rf "$OUT/summary"
LOG="$OUT/lab.log"
: > "$LOG"

# The lab topology and an inventory overlay with every port moved by the offset (the overlay's host
# variables win over inventory/lab/hosts.yml's, which comes first on the command line).
"$PYTHON" - inventory/lab/topology.yml "$PORT_OFFSET" "$CONTROL_PORT" "$OUT" <<'PYEOF'
import os
import sys

import yaml

source, offset, control, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
with open(source, encoding="utf-8") as handle:
    routers = yaml.safe_load(handle)
base = os.path.dirname(os.path.abspath(source))
hosts = {}
for router in routers:
    router["api_port"] += offset
    router["ssh_port"] += offset
    # the shifted topology lives in the output directory: its init scripts stay where they are
    router["init"] = os.path.join(base, router["init"])
    hosts[router["name"]] = {"multiwan_api_port": router["api_port"], "ansible_port": router["ssh_port"],
                             "multiwan_lab_control_port": control}
with open(os.path.join(out, "topology.yml"), "w", encoding="utf-8") as handle:
    yaml.safe_dump(routers, handle, sort_keys=False)
with open(os.path.join(out, "ports.yml"), "w", encoding="utf-8") as handle:
    yaml.safe_dump({"all": {"hosts": hosts}}, handle, sort_keys=False)
PYEOF
INVENTORY=(-i inventory/lab/hosts.yml -i "$OUT/ports.yml")

echo "== Starting the lab routers of inventory/lab/topology.yml, ports moved by $PORT_OFFSET (lifetime ${LIFETIME}s)"
PYTHONPATH="$ROOT/lab${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON" -m routeros_lab serve \
    --topology "$OUT/topology.yml" --control-port "$CONTROL_PORT" \
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
echo "== ansible-playbook playbooks/core.yml --check --diff (the per-WAN tables: 'Verification gate, per WAN')"
"$PLAYBOOK" "${INVENTORY[@]}" playbooks/core.yml --check --diff \
    -e "multiwan_summary_dir=$OUT/summary" -e "backup_dir=$OUT/backups" || status=$?
echo
echo "== ansible-playbook playbooks/edge.yml --check --diff (the per-WAN tables: 'Verification gate, per WAN')"
"$PLAYBOOK" "${INVENTORY[@]}" playbooks/edge.yml --check --diff \
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
    # Every menu counts, /file too: check mode writes nothing at all, not even the backup's export file.
    writes = sum(all_writes.values())
    reads = sum((counters.get("reads") or {}).values())
    print("%-10s lab counters: %4d reads, %d writes%s" % (
        router, reads, writes, "" if writes == 0 else "  <-- CHANGED IN CHECK MODE: %s" % all_writes))
print()
print("Backups of the routers' /export: %s" % os.path.join(out, "backups"))
PYEOF

# The failover drill needs the collection's routes on the router, so this part writes to the lab core: after the
# check-mode proof above, phases 10 and 20 are applied, then one WAN is drilled and its per-WAN table printed.
echo
echo "== The failover drill on WAN 1012 (playbooks/failover_drill.yml), on the lab core with phases 10 and 20 applied"
echo "   The brownfield's hand-made default route (no check-gateway) is removed first: it would keep main on 1012."
for phase in 10_wan_setup 20_routing_tables; do
    "$PLAYBOOK" "${INVENTORY[@]}" "playbooks/$phase.yml" -l core -e "backup_dir=$OUT/backups" \
        > "$OUT/drill-$phase.log" 2>&1 || { status=$?; echo "phase $phase failed, see $OUT/drill-$phase.log"; }
done
ctl --router core cli 'line=/ip route remove [find where comment="default via 1012"]' >/dev/null || status=$?
"$PLAYBOOK" "${INVENTORY[@]}" playbooks/failover_drill.yml -l core -e multiwan_drill_wans=1012 || status=$?

echo "== Stopping the lab"
exit "$status"
