# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The failover drill: take one WAN's gateway out of service, watch every routing table that used it fail over to
its backup in the intended order, put it back, watch the tables recover, and time each step.

A WAN is taken out by disabling the default routes the ``routing_tables`` role owns for it (its owner tag carries the
route's key), never its interface or address: management traffic that does not use that gateway keeps flowing. The
expectations come from the same compiler the role uses (``compile/routing_tables.py``): a table's active default
route is its lowest-distance route whose WAN is not taken out (several at an equal distance: ECMP).

The expectations are pure functions; ``drill`` talks to one transport, so the timings are measured on one session.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import time
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.common import key
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.routing_tables import (
    DEFAULT,
    compile_routing_tables,
    tables,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.connection import (
    connection_argument_spec,
    connection_warnings,
    missing_connection_params,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import owner as owner_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.device.commands import commands_for
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import EngineError
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.operation import Operation
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.model import ECMP_PSEUDO_WAN, GATEWAY_FROM_DHCP
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import IntentError, core_intent
from ansible_collections.multiwan.routeros.plugins.module_utils.transport.factory import missing_library, open_transport

ROUTE_PATH = "/ip/route"
# The role whose owner tag the drilled routes carry.
OWNER = "routing_tables"
DEFAULT_TIMEOUT = 30
# How often the active routes are read while waiting for the tables to converge (seconds).
POLL_INTERVAL = 0.2
STEPS = ("take_out", "converge", "restore", "recover")
# The active default routes, one ``<table> <gateway>`` line each, for the SSH transport's CLI.
ACTIVE_SCRIPT = (':foreach i in=[/ip route find where dst-address=%s and active] do={'
                 ':put ([/ip route get $i routing-table] . " " . [/ip route get $i gateway])}\n' % DEFAULT)

# One default route of the compiled intent: its owner-tag key, the WAN whose gateway it uses, its table.
Route = collections.namedtuple("Route", ("key", "wan", "table", "gateway", "distance"))
# Per table, the gateways of its active default routes (sorted; several under ECMP, none without a route).
Resolution = Dict[str, Tuple[str, ...]]


class DrillError(EngineError):
    """The drill cannot start, or a table did not fail over or recover as the intent says; ``drill`` is the WAN's
    result row, ``restored`` whether the router is back as it was (its routes enabled, every table on its primary)."""

    def __init__(self, message: str, drill: Optional[Dict[str, Any]] = None, restored: bool = True) -> None:
        super().__init__(message)
        self.drill = drill
        self.restored = restored


# The expectations (pure) -----------------------------------------------------------------------------------------

def _route_wans(intent: Any) -> Dict[str, str]:
    """The WAN of each default-route key the routing_tables compiler builds (the keys of compile/routing_tables.py)."""
    owners = {}
    table_owners = [owner for owner, _table, _description in tables(intent)]
    for wan in intent.wans:
        owners[key("table", wan.name, "default")] = wan.name
        owners[key("main", "default", wan.name)] = wan.name
        for table_owner in table_owners:
            owners[key("table", table_owner, "failover", wan.name)] = wan.name
        owners[key("table", ECMP_PSEUDO_WAN, wan.name)] = wan.name
    return owners


def default_routes(intent: Any) -> List[Route]:
    """Every static default route the routing_tables role writes, in its order, with the WAN it uses."""
    owners = _route_wans(intent)
    routes = []
    for entry in compile_routing_tables(intent).get(ROUTE_PATH, []):
        if entry.get("dst-address") != DEFAULT:
            continue
        routes.append(Route(entry["_key"], owners[entry["_key"]], entry["routing-table"], entry["gateway"],
                            int(entry.get("distance", 1))))
    return routes


def resolution(routes: Sequence[Route], table: str, without: Sequence[str] = ()) -> Tuple[str, ...]:
    """The gateways ``table`` resolves to when the WANs ``without`` are out: its lowest distance's routes."""
    usable = [r for r in routes if r.table == table and r.wan not in without]
    if not usable:
        return ()
    best = min(r.distance for r in usable)
    return tuple(sorted(set(r.gateway for r in usable if r.distance == best)))


def expectations(routes: Sequence[Route], wan: str) -> List[Dict[str, Any]]:
    """Per table that has a default route via ``wan``: its routes in distance order, its intended primary, and what it
    must resolve to while ``wan`` is out (its backup; the primary again when ``wan`` is only one of its backups)."""
    result = []
    for table in sorted(set(r.table for r in routes if r.wan == wan), key=_table_order(routes)):
        ordered = sorted((r for r in routes if r.table == table), key=lambda r: r.distance)
        result.append({
            "table": table,
            "order": ["%s (%s, distance %d)" % (r.gateway, r.wan, r.distance) for r in ordered],
            "primary": list(resolution(routes, table)),
            "during": list(resolution(routes, table, without=[wan])),
        })
    return result


def _table_order(routes: Sequence[Route]) -> Callable[[str], int]:
    first = {}
    for index, route in enumerate(routes):
        first.setdefault(route.table, index)
    return first.__getitem__


def check_wans(value: Any, intent: Any) -> List[str]:
    """The WANs to drill, in the given order, from a list of names or one name; a DrillError names what is wrong."""
    if value is None or value == "" or value == []:
        raise DrillError("wans: no WAN given; the drill is opt-in: name one WAN (or a list, drilled one at a time) "
                         "of multiwan_wans: %s" % ", ".join(w.name for w in intent.wans))
    names = [str(v) for v in (value if isinstance(value, (list, tuple)) else [value])]
    known = dict((w.name, w) for w in intent.wans)
    problems = []
    for name in names:
        if name not in known:
            problems.append("%r is not a WAN of multiwan_wans (%s)" % (name, ", ".join(known)))
        elif known[name].gateway_from == GATEWAY_FROM_DHCP:
            problems.append("%r takes its default routes from its DHCP client, which the drill does not disable" % name)
    duplicates = sorted(set(n for n in names if names.count(n) > 1))
    if duplicates:
        problems.append("%s given more than once" % ", ".join(duplicates))
    if problems:
        raise DrillError("wans: %s" % "; ".join(problems))
    return names


def mismatches(expected: Mapping[str, Sequence[str]], seen: Resolution) -> List[str]:
    """``table: expected ..., saw ...`` for every table whose active default routes differ from ``expected``."""
    wrong = []
    for table, gateways in expected.items():
        got = seen.get(table, ())
        if tuple(gateways) != tuple(got):
            wrong.append("%s: expected %s, saw %s" % (table, _gateways(gateways), _gateways(got)))
    return wrong


def _gateways(gateways: Sequence[str]) -> str:
    if not gateways:
        return "no active default route"
    return " + ".join(gateways)


def parse_active(lines: Sequence[str]) -> Resolution:
    """``<table> <gateway>`` lines (the SSH script's output) -> per table its sorted gateways."""
    found: Dict[str, set] = {}
    for line in lines:
        parts = line.strip().split(" ", 1)
        if len(parts) == 2:
            found.setdefault(parts[0], set()).add(parts[1].strip())
    return dict((table, tuple(sorted(gws))) for table, gws in found.items())


def report_lines(drills: Sequence[Mapping[str, Any]], check_mode: bool) -> List[str]:
    """The per-WAN table the playbook prints: one line per WAN with the time of each step, then its tables."""
    lines = ["%-12s %8s %9s %9s %9s %9s  %s" % ("WAN", "disabled", "take out", "converge", "restore", "recover", "result")]
    for drill in drills:
        timings = drill.get("timings") or {}
        cells = ["%8.3fs" % timings[step] if timings.get(step) is not None else "%9s" % "-" for step in STEPS]
        lines.append("%-12s %8d %s  %s" % (drill["wan"], len(drill["disabled"]), " ".join(cells),
                                           "check mode" if check_mode else drill["result"]))
        for table in drill["tables"]:
            seen = ""
            if table.get("seen_during") is not None:
                seen = "; saw %s, then %s" % (_gateways(table["seen_during"]), _gateways(table.get("seen_after") or ()))
            if table["primary"] == table["during"]:
                change = "%s, stays (%s is one of its backups)" % (_gateways(table["primary"]), drill["wan"])
            else:
                change = "%s -> %s" % (_gateways(table["primary"]), _gateways(table["during"]))
            lines.append("    %-24s %s%s" % (table["table"], change, seen))
    return lines


# The drill on a router -------------------------------------------------------------------------------------------

def read_active(transport: Any) -> Resolution:
    """Per table, the gateways of the router's active default routes (one read)."""
    if transport.name == "ssh":
        return parse_active(transport.run(ACTIVE_SCRIPT).splitlines())
    rows = transport.call("%s/print" % ROUTE_PATH, "=.proplist=routing-table,gateway,active", "?dst-address=%s" % DEFAULT)["rows"]
    return parse_active(["%s %s" % (r.get("routing-table", "main"), r.get("gateway", ""))
                         for r in rows if str(r.get("active", "")).lower() in ("true", "yes")])


def wait_for(transport: Any, expected: Mapping[str, Sequence[str]], timeout: float,
             clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> Tuple[bool, Resolution, float]:
    """Read the active routes until every table of ``expected`` resolves as expected or ``timeout`` passed:
    ``(converged, the last read, seconds waited)``."""
    start = clock()
    while True:
        seen = read_active(transport)
        elapsed = clock() - start
        if not mismatches(expected, seen) or elapsed >= timeout:
            return not mismatches(expected, seen), seen, elapsed
        sleep(min(POLL_INTERVAL, max(0.0, timeout - elapsed)))


def _tagged_rows(transport: Any) -> Dict[str, Dict[str, Any]]:
    """The router's routes of the routing_tables role, by their key."""
    fields = {ROUTE_PATH: [".id", "comment", "disabled", "dst-address", "gateway", "routing-table", "distance"]}
    found = {}
    for row in transport.read([ROUTE_PATH], fields).get(ROUTE_PATH) or []:
        tag = owner_mod.parse(row.get("comment"))
        if tag is not None and tag[0] == OWNER:
            found[tag[1]] = row
    return found


def _is_disabled(row: Mapping[str, Any]) -> bool:
    return str(row.get("disabled", "")).lower() in ("true", "yes")


def _set_disabled(transport: Any, rows: Sequence[Mapping[str, Any]], disabled: bool) -> List[str]:
    ops = [Operation("set", ROUTE_PATH, id=row[".id"], fields={"disabled": "yes" if disabled else "no"}) for row in rows]
    commands, lines = commands_for(ops, {ROUTE_PATH: list(rows)}, prefer_ids=True)
    results = transport.execute(commands)
    failed = [(line, res.message) for line, res in zip(lines, results) if not res.ok]
    if failed or len(results) != len(commands):
        raise DrillError("%s failed: %s" % (failed[0][0] if failed else lines[len(results)],
                                            failed[0][1] if failed else "the router stopped answering"))
    return lines


def _clocked(step: Callable[[], Any], clock: Callable[[], float]) -> Tuple[Any, float]:
    start = clock()
    value = step()
    return value, clock() - start


def drill_wan(transport: Any, routes: Sequence[Route], wan: str, timeout: float, check_mode: bool,
              warnings: List[str], clock: Callable[[], float] = time.monotonic) -> Dict[str, Any]:
    """Drill one WAN; its result row. Raises DrillError before any write when the router cannot be drilled, and after
    restoring when a table did not fail over or recover (the row is the error's ``drill``)."""
    tables_expected = expectations(routes, wan)
    primary = dict((t["table"], t["primary"]) for t in tables_expected)
    # Tables without a backup are not waited for: ``no_backup`` reports them.
    during = dict((t["table"], t["during"]) for t in tables_expected if t["during"])
    rows = _tagged_rows(transport)
    keys = [r.key for r in routes if r.wan == wan]
    missing = [k for k in keys if k not in rows]
    already = [k for k in keys if k in rows and _is_disabled(rows[k])]
    targets = [rows[k] for k in keys if k in rows and not _is_disabled(rows[k])]
    drill = {"wan": wan, "tables": tables_expected, "result": "not run", "timings": dict((s, None) for s in STEPS),
             "disabled": [{"key": k, "id": rows[k][".id"], "table": rows[k].get("routing-table", "main"),
                           "gateway": rows[k].get("gateway")} for k in keys if k in rows and not _is_disabled(rows[k])],
             "commands": []}
    # A table left without any route while the WAN is out is a failover that does not work, whatever the router shows.
    no_backup = ["%s: the intent gives it no backup, so while %s is out it has no default route" % (t["table"], wan)
                 for t in tables_expected if not t["during"]]
    problems = []
    if missing:
        problems.append("the router lacks the routes %s of WAN %s (run phase 20_routing_tables first)" % (", ".join(missing), wan))
    if already:
        problems.append("the routes %s of WAN %s are disabled already" % (", ".join(already), wan))
    wrong = mismatches(primary, read_active(transport))
    if wrong:
        problems.append("before the drill, not every table is on its intended primary: %s" % "; ".join(wrong))
    if check_mode:
        warnings.extend("drill of WAN %s: %s" % (wan, p) for p in problems + no_backup)
        drill["commands"] = commands_for([Operation("set", ROUTE_PATH, id=r[".id"], fields={"disabled": "yes" if d else "no"})
                                          for d in (True, False) for r in targets], {ROUTE_PATH: targets}, prefer_ids=True)[1]
        return drill
    if problems:
        raise DrillError("drill of WAN %s not started, nothing was written: %s" % (wan, "; ".join(problems)), drill)

    timings = drill["timings"]
    lines, timings["take_out"] = _clocked(lambda: _set_disabled(transport, targets, True), clock)
    drill["commands"].extend(lines)
    try:
        failover_ok, seen_during, timings["converge"] = wait_for(transport, during, timeout)
        lines, timings["restore"] = _clocked(lambda: _set_disabled(transport, targets, False), clock)
        drill["commands"].extend(lines)
        recover_ok, seen_after, timings["recover"] = wait_for(transport, primary, timeout)
    except EngineError as exc:
        drill["result"] = "CUT SHORT"
        raise DrillError("drill of WAN %s cut short after its routes were disabled (%s): unless they were enabled again, "
                         "they stay disabled until the run's commit-confirm revert restores them" % (wan, exc), drill,
                         restored=False)
    for table in tables_expected:
        table["seen_during"] = list(seen_during.get(table["table"], ()))
        table["seen_after"] = list(seen_after.get(table["table"], ()))
    wrong = mismatches(during, seen_during) + no_backup
    if not failover_ok or no_backup:
        drill["result"] = "FAILED over wrongly"
        raise DrillError("drill of WAN %s: with its routes disabled, not every table resolved to its intended backup "
                         "within %ss (%s); its routes are enabled again%s"
                         % (wan, timeout, "; ".join(wrong),
                            "" if recover_ok else ", but not every table recovered: %s" % "; ".join(mismatches(primary, seen_after))),
                         drill, restored=recover_ok)
    if not recover_ok:
        drill["result"] = "FAILED to recover"
        raise DrillError("drill of WAN %s: its routes are enabled again, but not every table is back on its intended "
                         "primary within %ss: %s" % (wan, timeout, "; ".join(mismatches(primary, seen_after))), drill,
                         restored=False)
    drill["result"] = "ok"
    return drill


# The module ------------------------------------------------------------------------------------------------------

def drill_spec() -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """``(argument_spec, validator keywords)`` of the drill module."""
    argument_spec = connection_argument_spec()
    argument_spec.update(
        wans=dict(type="raw"),
        intent=dict(type="dict", required=True),
        converge_timeout=dict(type="int", default=DEFAULT_TIMEOUT),
    )
    return argument_spec, {}


def _prepare(params: Mapping[str, Any]) -> Tuple[List[Route], List[str]]:
    """The default routes of the intent and the WANs to drill; DrillError before any connection."""
    if params["converge_timeout"] <= 0:
        raise DrillError("converge_timeout must be a positive number of seconds (got %d)" % params["converge_timeout"])
    try:
        intent = core_intent(params["intent"])
    except IntentError as exc:
        raise DrillError("invalid intent, no router was contacted: %s" % exc)
    return default_routes(intent), check_wans(params["wans"], intent)


def run_drill(params: Mapping[str, Any], check_mode: bool = False) -> Dict[str, Any]:
    """One run of the drill module with validated ``params``: the WANs one at a time, on one connection."""
    try:
        routes, wans = _prepare(params)
    except DrillError as exc:
        return {"failed": True, "msg": str(exc), "changed": False}
    missing = missing_connection_params(params)
    if missing:
        return {"failed": True, "msg": "missing required arguments: %s" % ", ".join(missing), "changed": False}
    lib = missing_library(params["transport"])
    if lib:
        return {"failed": True, "msg": missing_required_lib(lib[0]), "exception": str(lib[1]), "changed": False}
    drills: List[Dict[str, Any]] = []
    warnings = connection_warnings(params)
    result: Dict[str, Any] = {"changed": False, "drills": drills, "restored": True, "warnings": warnings}
    try:
        with open_transport(params) as transport:
            for wan in wans:
                drills.append(drill_wan(transport, routes, wan, params["converge_timeout"], check_mode, warnings))
                result["changed"] = result["changed"] or not check_mode
    except DrillError as exc:
        if exc.drill is not None:
            drills.append(exc.drill)
            result["changed"] = result["changed"] or bool(exc.drill["commands"])
        result.update(failed=True, restored=exc.restored, msg="%s: %s" % (params["hostname"], exc))
    except EngineError as exc:
        # Before the first write of a WAN (a connection that fails, a read refused): the router is as it was.
        result.update(failed=True, msg="%s: %s" % (params["hostname"], exc))
    result["report"] = report_lines(drills, check_mode)
    return result
