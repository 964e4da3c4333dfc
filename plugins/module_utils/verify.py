# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""On-router verification: does the router forward as the intent says, through its own tools?

A core router gets one row per WAN table (every WAN that has a table of its own):

- ``/ping`` of the WAN's gateway and of its probe host (``multiwan_monitoring.probe_hosts``), each with
  ``routing-table=`` the WAN's table;
- the first hop of ``/tool/traceroute`` toward the probe host in that table, against the table's default route
  the compiled intent makes active: the route of lowest distance whose gateway answers (the WAN's own, or its
  failover backup while it is down);
- the number of connections carrying the WAN's connection mark (``/ip/firewall/connection``).

An edge router gets one row for its WAN, through its main table, and the check that its forwarded (dstnat)
connections toward the core keep the client's source address (no srcnat on them).

Tables, gateways, marks and routes come from the compiled intent (``compile.dispatch.desired_state``, what the
roles write), never rebuilt here; a gateway that only the router knows (``gateway_from: dhcp``) is read from the
default route its DHCP client installed, a PPPoE WAN's gateway is its interface. Everything but ``verify`` (the
I/O, through the collection's transports) is pure: it parses what the router printed and judges it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.compile import dispatch
from ansible_collections.multiwan.routeros.plugins.module_utils.compile import routing_tables as routing_tables_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.intent import schema
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.model import GATEWAY_FROM_DHCP, GATEWAY_FROM_PPPOE
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import core_intent, edge_intent

DEFAULT = routing_tables_mod.DEFAULT
MAIN = "main"
# Fields read from /ip/route and /ip/firewall/connection, in the order the SSH script prints them.
ROUTE_FIELDS = ("dst-address", "routing-table", "gateway", "immediate-gw", "distance", "active", "disabled")
CONNECTION_FIELDS = ("connection-mark", "protocol", "src-address", "dst-address", "reply-src-address",
                     "reply-dst-address", "srcnat", "dstnat")
# What the SSH scripts print before each row, so that the rows are told apart from anything else the console says.
ROW_MARK = "#mwan-row "
TRUE = ("true", "yes")


# What to check, from the compiled intent -----------------------------------------------------------------------

@dataclass(frozen=True)
class Route:
    """A default route the compiled intent puts in a table: whose WAN it leaves through, and at which distance."""
    wan: str
    distance: int


@dataclass(frozen=True)
class Uplink:
    """A WAN as the checks need it: where its gateway comes from."""
    name: str
    interface: str
    # The static next hop (an address or, for a point-to-point link, an interface); "" when the router knows it.
    gateway: str
    gateway_from: Optional[str] = None


@dataclass(frozen=True)
class WanCheck:
    """One row to verify: a WAN and its table."""
    wan: str
    table: str
    probe_host: str
    # The connection mark of the connections this table routes ("" when none: an edge).
    connection_mark: str = ""
    # The table's default routes by distance; empty on an edge (its main table is the router's own business).
    routes: Tuple[Route, ...] = ()


@dataclass(frozen=True)
class Plan:
    kind: str
    uplinks: Tuple[Uplink, ...]
    checks: Tuple[WanCheck, ...]
    # Edge: the networks behind the core, where forwarded connections go.
    internal_networks: Tuple[str, ...] = ()


def _dhcp_tables(text: str) -> List[Tuple[str, int]]:
    """``default-route-tables`` as the compiler wrote it (``main:2,InternetViaA:1``) -> (table, distance)."""
    out = []
    for part in text.split(","):
        table, _sep, distance = part.strip().partition(":")
        if table:
            out.append((table, int(distance or 1)))
    return out


def core_plan(intent_vars: Mapping[str, Any]) -> Plan:
    """The rows of a core router: every WAN table the roles write, with its routes and connection mark."""
    intent = core_intent(intent_vars)
    routes_desired = dispatch.desired_state(intent_vars, "routing_tables")
    marks_desired = dispatch.desired_state(intent_vars, "connection_marks")
    uplinks = tuple(Uplink(wan.name, wan.interface, wan.gateway, wan.gateway_from) for wan in intent.wans)
    by_gateway = dict((u.gateway, u.name) for u in uplinks if u.gateway_from != GATEWAY_FROM_DHCP)
    by_interface = dict((u.interface, u.name) for u in uplinks)
    routes: Dict[str, List[Route]] = {}
    for entry in routes_desired.get("/ip/route", []):
        if entry.get("dst-address") == DEFAULT and entry.get("gateway") in by_gateway:
            routes.setdefault(entry["routing-table"], []).append(Route(by_gateway[entry["gateway"]], int(entry["distance"])))
    for entry in routes_desired.get("/ip/dhcp-client", []):
        for table, distance in _dhcp_tables(str(entry.get("default-route-tables", ""))):
            routes.setdefault(table, []).append(Route(by_interface[entry["interface"]], distance))
    marks = dict((entry["new-routing-mark"], entry["connection-mark"]) for entry in marks_desired.get("/ip/firewall/mangle", [])
                 if entry.get("action") == "mark-routing" and entry.get("chain") == "prerouting")
    checks = []
    for owner, table, _description in routing_tables_mod.tables(intent):
        if owner not in by_gateway.values() and owner not in by_interface.values():
            continue  # the ECMP table has no WAN of its own; its routes are the WANs' own gateways
        checks.append(WanCheck(owner, table, intent.monitoring.probe_host(owner), marks.get(table, ""),
                               tuple(sorted(routes.get(table, []), key=lambda route: route.distance))))
    return Plan("core", uplinks, tuple(checks))


def edge_plan(intent_vars: Mapping[str, Any]) -> Plan:
    """The row of an edge router: its WAN through its main table, and the networks its forwards go to."""
    intent = edge_intent(intent_vars)
    check = WanCheck(intent.edge.wan, MAIN, schema.DEFAULT_PROBE_HOST)
    return Plan("edge", (), (check,), tuple(intent.edge.internal_networks))


def plan_for(kind: str, intent_vars: Mapping[str, Any]) -> Plan:
    return core_plan(intent_vars) if kind == "core" else edge_plan(intent_vars)


# Parsing what the router printed ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Ping:
    sent: int
    received: int
    # Why the lost ones were lost, as RouterOS says it (``timeout``, ``no route to host``); "" when all answered.
    status: str = ""
    avg_rtt: str = ""

    @property
    def ok(self) -> bool:
        return self.received > 0

    def text(self) -> str:
        shown = "%d/%d" % (self.received, self.sent)
        return "%s %s" % (shown, self.status) if self.status and self.received < self.sent else shown

    def as_dict(self) -> Dict[str, Any]:
        return {"sent": self.sent, "received": self.received, "status": self.status, "avg_rtt": self.avg_rtt, "ok": self.ok}


def _int(text: Any) -> int:
    match = re.match(r"\s*(\d+)", str(text or ""))
    return int(match.group(1)) if match else 0


def _statuses(statuses: Iterable[str]) -> str:
    seen: List[str] = []
    for status in statuses:
        if status and status not in seen:
            seen.append(status)
    return ", ".join(seen)


def parse_ping_rows(rows: Sequence[Mapping[str, str]]) -> Ping:
    """``/ping`` over the API: one row per probe, each carrying the running ``sent``/``received`` totals."""
    if not rows:
        return Ping(0, 0, "no reply from the router")
    last = rows[-1]
    sent = max(_int(row.get("sent")) for row in rows) or len(rows)
    received = max(_int(row.get("received")) for row in rows)
    return Ping(sent, received, _statuses(row.get("status", "") for row in rows), last.get("avg-rtt", ""))


_SUMMARY_RE = re.compile(r"([a-z-]+)=(\S+)")


def parse_ping_text(text: str) -> Ping:
    """``/ping`` on the console: RouterOS's table (``SEQ HOST SIZE TTL TIME STATUS``), then the totals line."""
    statuses = []
    totals: Dict[str, str] = {}
    for line in text.replace("\r", "").split("\n"):
        words = line.split()
        if "sent=" in line and "received=" in line:
            totals.update(_SUMMARY_RE.findall(line))
        elif len(words) >= 3 and words[0].isdigit() and not words[2].isdigit():
            # seq host <status>: a probe without a reply (an answered one has size, ttl and time there)
            statuses.append(" ".join(words[2:]))
    if not totals:
        first = text.strip().splitlines()[0] if text.strip() else "no output"
        return Ping(0, 0, first.strip())
    return Ping(_int(totals.get("sent")), _int(totals.get("received")), _statuses(statuses), totals.get("avg-rtt", ""))


def _address(text: Any) -> str:
    """The address of a hop (``198.51.100.1``), "" for a hop that did not answer."""
    word = str(text or "").strip().split("%")[0]
    try:
        return str(ipaddress.ip_address(word))
    except ValueError:
        return ""


def parse_traceroute_rows(rows: Sequence[Mapping[str, str]]) -> List[str]:
    """``/tool/traceroute`` over the API -> the hop addresses in order ("" for a silent hop). RouterOS sends the
    table again after every round (``.section``); the last section holds the final one."""
    if rows and any(".section" in row for row in rows):
        last = rows[-1].get(".section")
        rows = [row for row in rows if row.get(".section") == last]
    return [_address(row.get("address")) for row in rows]


def parse_traceroute_text(text: str) -> List[str]:
    """``/tool/traceroute`` on the console: ``#  ADDRESS  LOSS  SENT ...`` -> the hop addresses in order (the
    rows of the last table printed)."""
    hops: Dict[int, str] = {}
    for line in text.replace("\r", "").split("\n"):
        words = line.split()
        if words and words[0].isdigit():
            hop = int(words[0])
            if hop == 1:
                hops = {}
            hops[hop] = _address(words[1]) if len(words) > 1 else ""
    return [hops[hop] for hop in sorted(hops)]


def parse_row_lines(text: str, fields: Sequence[str]) -> List[Dict[str, str]]:
    """The rows an SSH script printed as ``#mwan-row v1|v2|...``, one value per field."""
    rows = []
    for line in text.replace("\r", "").split("\n"):
        if line.startswith(ROW_MARK):
            values = line[len(ROW_MARK):].split("|")
            rows.append(dict((name, value) for name, value in zip(fields, values) if value != ""))
    return rows


def _flag(row: Mapping[str, Any], name: str) -> bool:
    return str(row.get(name, "")).lower() in TRUE


def default_routes(rows: Iterable[Mapping[str, str]]) -> List[Dict[str, str]]:
    """The default routes of ``/ip/route`` (every table), enabled ones only."""
    return [dict(row) for row in rows if row.get("dst-address") == DEFAULT and not _flag(row, "disabled")]


def active_gateway(routes: Sequence[Mapping[str, str]], table: str) -> str:
    """The gateway of the active default route of ``table``, "" when it has none."""
    for row in routes:
        if row.get("routing-table", MAIN) == table and _flag(row, "active"):
            return row.get("gateway", "")
    return ""


def uplink_gateway(uplink: Uplink, routes: Sequence[Mapping[str, str]]) -> str:
    """The gateway of a WAN as the router has it: the intent's, or the one its DHCP client installed (the default
    route whose immediate gateway is on the WAN's interface), "" when there is none (no lease)."""
    if uplink.gateway_from != GATEWAY_FROM_DHCP:
        return uplink.gateway
    for row in routes:
        if str(row.get("immediate-gw", "")).endswith("%" + uplink.interface) and _address(row.get("gateway")):
            return _address(row.get("gateway"))
    return ""


def mark_counts(connections: Iterable[Mapping[str, str]]) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    for row in connections:
        mark = row.get("connection-mark") or ""
        if mark:
            counts[mark] = counts.get(mark, 0) + 1
    return counts


def _host(address: Any) -> str:
    """``203.0.113.5:40000`` -> ``203.0.113.5``."""
    text = str(address or "")
    return text.rsplit(":", 1)[0] if text.count(":") == 1 else text


def _inside(address: str, networks: Sequence[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in networks)


def forwards_toward(connections: Iterable[Mapping[str, str]], networks: Sequence[str]) -> Tuple[int, List[str]]:
    """(forwarded connections toward ``networks``, those whose client address is lost): a dstnat connection whose
    server (``reply-src-address``) is inside, and which is also source-NATed (the server answers a NAT address,
    ``reply-dst-address``, instead of the client)."""
    count = 0
    masqueraded = []
    for row in connections:
        server = _host(row.get("reply-src-address"))
        if not _flag(row, "dstnat") or not _inside(server, networks):
            continue
        count += 1
        client = _host(row.get("src-address"))
        seen_as = _host(row.get("reply-dst-address"))
        if _flag(row, "srcnat") or (seen_as and seen_as != client):
            masqueraded.append("%s %s -> %s reaches %s from %s" % (row.get("protocol", "?"), row.get("src-address", "?"),
                                                                  row.get("dst-address", "?"), row.get("reply-src-address", "?"),
                                                                  seen_as or "?"))
    return count, masqueraded


# Judging -----------------------------------------------------------------------------------------------------------

@dataclass
class Observed:
    """What the router said for one row."""
    gateway: str
    gateway_ping: Optional[Ping]
    probe_ping: Ping
    hops: List[str]
    active_gateway: str
    connections: Optional[int]
    masqueraded: List[str] = field(default_factory=list)


def is_interface(gateway: str) -> bool:
    return bool(gateway) and not _address(gateway)


def gateway_up(gateway: str, ping: Optional[Ping], routes: Sequence[Mapping[str, str]]) -> bool:
    """An address gateway is up when it answers; an interface gateway (PPPoE) while a route through it is active."""
    if is_interface(gateway):
        return any(row.get("gateway") == gateway and _flag(row, "active") for row in routes)
    return ping is not None and ping.ok


def expected_first_hop(check: WanCheck, gateways: Mapping[str, str], up: Mapping[str, bool]) -> str:
    """The gateway of the table's route that should be active: the lowest distance whose gateway is up. An edge
    (no routes from the intent) expects whatever its active default route says; "" when every gateway is down."""
    for route in check.routes:
        if up.get(route.wan) and gateways.get(route.wan):
            return gateways[route.wan]
    return ""


def actual_first_hop(expected: str, observed: Observed) -> str:
    """The first hop the router took: the traceroute's, or the active route's gateway when the hop did not answer or
    the gateway is an interface (a point-to-point link has no address to compare)."""
    if is_interface(expected) or not (observed.hops and observed.hops[0]):
        return observed.active_gateway
    return observed.hops[0]


def judge(check: WanCheck, observed: Observed, expected: str, has_routes: bool) -> Dict[str, Any]:
    """One row of the result: what was seen, ``ok``, and the ``problems`` in words."""
    problems = []
    gateway = observed.gateway
    if not gateway:
        problems.append("no gateway: its DHCP client installed no default route (no lease?)"
                        if has_routes else "no active default route in %s" % check.table)
    elif observed.gateway_ping is not None and not observed.gateway_ping.ok:
        problems.append("gateway %s does not answer in %s (%s)" % (gateway, check.table, observed.gateway_ping.text()))
    if not observed.probe_ping.ok:
        problems.append("probe host %s does not answer through %s (%s)" % (check.probe_host, check.table, observed.probe_ping.text()))
    if not has_routes:
        expected = observed.active_gateway
    actual = actual_first_hop(expected, observed)
    if has_routes and not expected:
        problems.append("no gateway of %s's routes is up" % check.table)
    elif expected and actual != expected:
        problems.append("first hop in %s is %s, the intent says %s" % (check.table, actual or "none", expected))
    for text in observed.masqueraded:
        problems.append("forwarded connection source-NATed (client address lost): %s" % text)
    return {
        "wan": check.wan,
        "table": check.table,
        "gateway": gateway,
        "gateway_ping": observed.gateway_ping.as_dict() if observed.gateway_ping is not None else None,
        "probe_host": check.probe_host,
        "probe_ping": observed.probe_ping.as_dict(),
        "first_hop": {"expected": expected, "actual": actual},
        "connection_mark": check.connection_mark,
        "connections": observed.connections,
        "ok": not problems,
        "problems": problems,
    }


COLUMNS = (("WAN", "wan"), ("TABLE", "table"), ("GATEWAY", "gateway"), ("GW PING", "gateway_ping"),
           ("PROBE", "probe_host"), ("PROBE PING", "probe_ping"), ("1ST HOP WANTED", "expected"),
           ("1ST HOP SEEN", "actual"), ("CONNS", "connections"), ("OK", "ok"), ("PROBLEMS", "problems"))


def _cell(row: Mapping[str, Any], key: str) -> str:
    if key in ("expected", "actual"):
        return row["first_hop"][key] or "-"
    value = row.get(key)
    if key.endswith("_ping"):
        return "-" if value is None else Ping(value["sent"], value["received"], value["status"]).text()
    if key == "ok":
        return "ok" if value else "FAIL"
    if key == "problems":
        return "; ".join(value) or "-"
    if key == "connections":
        return "-" if value is None else str(value)
    return str(value) if value else "-"


def render_table(rows: Sequence[Mapping[str, Any]], title: str = "") -> str:
    """The rows as a text table, one line per WAN (``CONNS``: connections carrying the WAN's mark on a core,
    forwarded connections toward the core on an edge)."""
    cells = [[name for name, _key in COLUMNS]] + [[_cell(row, key) for _name, key in COLUMNS] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS) - 1)]
    lines = [title] if title else []
    for line in cells:
        lines.append("  ".join(value.ljust(width) for value, width in zip(line, widths)) + "  " + line[-1])
    return "\n".join(lines)


# Talking to the router --------------------------------------------------------------------------------------------

def _cli_value(value: Any) -> str:
    text = str(value)
    return text if re.match(r"^[A-Za-z0-9_.:/@%-]+\Z", text) else '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


class Probe(object):
    """The router's tools over one open transport: the API's sentences or the console's commands."""

    def __init__(self, transport: Any, count: int, interval: str, max_hops: int) -> None:
        self.transport = transport
        self.count = count
        self.interval = interval
        self.max_hops = max_hops

    def _command(self, path: str, args: Sequence[Tuple[str, Any]]) -> Any:
        """API rows, or the console's text."""
        if self.transport.name == "api":
            return self.transport.call(path, *["=%s=%s" % (name, value) for name, value in args])["rows"]
        words = ["/" + " ".join(path.strip("/").split("/"))] + ["%s=%s" % (name, _cli_value(value)) for name, value in args]
        return self.transport.run(" ".join(words) + "\n")

    def ping(self, address: str, table: str) -> Ping:
        out = self._command("/ping", [("address", address), ("count", self.count), ("interval", self.interval),
                                      ("routing-table", table)])
        return parse_ping_text(out) if isinstance(out, str) else parse_ping_rows(out)

    def traceroute(self, address: str, table: str) -> List[str]:
        out = self._command("/tool/traceroute", [("address", address), ("count", 1), ("max-hops", self.max_hops),
                                                 ("routing-table", table)])
        return parse_traceroute_text(out) if isinstance(out, str) else parse_traceroute_rows(out)

    def rows(self, path: str, fields: Sequence[str], where: str = "") -> List[Dict[str, str]]:
        """``fields`` of every row of ``path`` (dynamic ones too; the API's ``print``, or a console script that prints
        each row on a line of its own, since the console's own print wraps and pads)."""
        if self.transport.name == "api":
            return self.transport.call(path + "/print", "=.proplist=%s" % ",".join(fields))["rows"]
        menu = path.replace("/", " ").strip()
        values = ' . "|" . '.join("[:tostr [/%s get $i %s]]" % (menu, name) for name in fields)
        script = ':foreach i in=[/%s find%s] do={:put ("%s" . %s)}\n' % (menu, " where " + where if where else "", ROW_MARK, values)
        return parse_row_lines(self.transport.run(script), fields)


def verify(transport: Any, plan: Plan, count: int = 3, interval: str = "200ms", max_hops: int = 1) -> List[Dict[str, Any]]:
    """Probe every row of ``plan`` on the router and judge it."""
    probe = Probe(transport, count, interval, max_hops)
    routes = default_routes(probe.rows("/ip/route", ROUTE_FIELDS, 'dst-address="%s"' % DEFAULT))
    connections = probe.rows("/ip/firewall/connection", CONNECTION_FIELDS)
    gateways = dict((u.name, uplink_gateway(u, routes)) for u in plan.uplinks)
    pings: Dict[str, Optional[Ping]] = {}
    for uplink in plan.uplinks:
        gateway = gateways[uplink.name]
        # Each gateway once, in the table of its own WAN when it has one (a gateway is on-link from every table).
        table = next((c.table for c in plan.checks if c.wan == uplink.name), MAIN)
        pings[uplink.name] = probe.ping(gateway, table) if gateway and not is_interface(gateway) else None
    up = dict((name, gateway_up(gateways[name], pings[name], routes)) for name in gateways)
    counts = mark_counts(connections)
    rows = []
    for check in plan.checks:
        if plan.kind == "core":
            gateway, gateway_ping = gateways.get(check.wan, ""), pings.get(check.wan)
            connections_seen: Optional[int] = counts.get(check.connection_mark, 0) if check.connection_mark else None
            masqueraded: List[str] = []
        else:
            gateway = active_gateway(routes, MAIN)
            gateway_ping = probe.ping(_address(gateway), MAIN) if _address(gateway) else None
            connections_seen, masqueraded = forwards_toward(connections, plan.internal_networks)
        observed = Observed(gateway, gateway_ping, probe.ping(check.probe_host, check.table),
                            probe.traceroute(check.probe_host, check.table), active_gateway(routes, check.table),
                            connections_seen, masqueraded)
        rows.append(judge(check, observed, expected_first_hop(check, gateways, up), bool(check.routes)))
    return rows


def summary(rows: Sequence[Mapping[str, Any]]) -> List[str]:
    """Every problem of every row, prefixed with its WAN and table."""
    return ["WAN %s (%s): %s" % (row["wan"], row["table"], problem) for row in rows for problem in row["problems"]]
