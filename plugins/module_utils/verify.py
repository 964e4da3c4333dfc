# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""On-router verification: does the router forward as the intent says, through its own tools?

A core router gets one row per WAN table (every WAN that has a table of its own):

- ``/ping`` of the WAN's gateway with ``interface=`` the WAN's interface (the gateway as a neighbour on its link);
- the table's first hop: the gateway of its active default route (``/ip/route``), against the route the compiled
  intent makes active, the lowest distance whose gateway answers (the WAN's own, or its failover backups in order
  while it is down);
- ``/ping`` and ``/tool/traceroute`` of the WAN's probe host (``multiwan_monitoring.probe_hosts``) from the WAN's
  own address. RouterOS 7's tools take no ``routing-table=`` (neither 7.19 nor 7.22.3 has it): a probe goes the way
  the router sends its own packets from that address, so the traceroute's first hop tells whether it went through
  the WAN's table; when it did not, the row says so in a note instead of judging the probe host;
- the number of connections carrying the WAN's connection mark (``/ip/firewall/connection``).

An edge router gets one row for its WAN, through its main table, and the check that its forwarded (dstnat)
connections toward the core keep the client's source address (no srcnat on them).

Tables, gateways, marks and routes come from the compiled intent (``compile.dispatch.desired_state``, what the
roles write), never rebuilt here; a gateway that only the router knows (``gateway_from: dhcp``) is read from the
default route its DHCP client installed, a PPPoE WAN's gateway is its interface. Everything but ``Probe`` and
``verify`` (the I/O, through the collection's transports) is pure: it parses what the router printed and judges it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.compile import dispatch
from ansible_collections.multiwan.routeros.plugins.module_utils.compile import routing_tables as routing_tables_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.transit_srcnat import transit_srcnat_offenders
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.errors import CommandError
from ansible_collections.multiwan.routeros.plugins.module_utils.intent import schema
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.model import GATEWAY_FROM_DHCP
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import core_intent, edge_intent

DEFAULT = routing_tables_mod.DEFAULT
MAIN = "main"
# Fields read from /ip/route and /ip/firewall/connection, in the order the SSH script prints them.
# (Over SSH every field is one ``get`` per row: only those the checks read; a disabled route is never active.)
ROUTE_FIELDS = ("routing-table", "gateway", "immediate-gw", "active")
ADDRESS_FIELDS = ("address", "interface", "disabled")
# What transit_srcnat_offenders reads of a NAT rule and of an interface list member.
NAT_FIELDS = ("chain", "action", "disabled", "dynamic", "comment", "out-interface", "out-interface-list", "in-interface",
              "in-interface-list", "src-address", "src-address-list", "dst-address", "dst-address-list")
LIST_MEMBER_FIELDS = ("list", "interface", "disabled")
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
    # Edge: multiwan_edge as the intent gives it (its source-NAT rules toward the core are judged against it).
    edge: Optional[Mapping[str, Any]] = None


def _dhcp_tables(text: str) -> List[Tuple[str, int]]:
    """``default-route-tables`` as the compiler wrote it (``main:2,InternetViaA:1``) -> (table, distance)."""
    out = []
    for part in text.split(","):
        table, _sep, distance = part.strip().partition(":")
        if table:
            out.append((table, int(distance or 1)))
    return out


def core_plan(intent_vars: Mapping[str, Any], intent: Any = None, desired: Optional[Mapping[str, Any]] = None) -> Plan:
    """The rows of a core router: every WAN table the roles write, with its routes and connection mark. ``intent`` and
    ``desired`` (the roles' desired states): the intent already validated and compiled (not done again)."""
    intent = intent if intent is not None else core_intent(intent_vars)
    routes_desired = desired["routing_tables"] if desired else dispatch.compiled(intent, "routing_tables")
    marks_desired = desired["connection_marks"] if desired else dispatch.compiled(intent, "connection_marks")
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


def edge_plan(intent_vars: Mapping[str, Any], intent: Any = None) -> Plan:
    """The row of an edge router: its WAN through its main table, and the networks its forwards go to."""
    intent = intent if intent is not None else edge_intent(intent_vars)
    check = WanCheck(intent.edge.wan, MAIN, schema.DEFAULT_PROBE_HOST)
    edge = dict(intent_vars["multiwan_edge"], fix_transit_srcnat=intent.edge.fix_transit_srcnat)
    return Plan("edge", (), (check,), tuple(intent.edge.internal_networks), edge)


def plan_for(kind: str, intent_vars: Mapping[str, Any], intent: Any = None, desired: Optional[Mapping[str, Any]] = None) -> Plan:
    return core_plan(intent_vars, intent, desired) if kind == "core" else edge_plan(intent_vars, intent)


def _plain(value: Any) -> Any:
    """``value`` with lists for tuples, as JSON has them (a fact cache stores facts as JSON)."""
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return dict((key, _plain(item)) for key, item in value.items())
    return value


def plan_as_dict(plan: Plan) -> Dict[str, Any]:
    """``plan`` as plain values (the compile fact keeps it, so the verification gate plans no probe again)."""
    return _plain(asdict(plan))


def plan_from_dict(data: Mapping[str, Any]) -> Plan:
    """The plan ``plan_as_dict`` made plain."""
    return Plan(data["kind"], tuple(Uplink(**uplink) for uplink in data["uplinks"]),
                tuple(WanCheck(**dict(check, routes=tuple(Route(**route) for route in check["routes"])))
                      for check in data["checks"]),
                tuple(data["internal_networks"]), data["edge"])


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
        return "%s %s" % (shown, self.status) if self.status and (self.received < self.sent or not self.sent) else shown

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
    word = str(text or "").strip().split("%", 1)[0]
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
    """The default routes of ``/ip/route`` (every table)."""
    return [dict(row) for row in rows if row.get("dst-address") == DEFAULT]


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
            masqueraded.append("%s %s -> %s reaches %s from %s" % (
                row.get("protocol", "?"), row.get("src-address", "?"), row.get("dst-address", "?"),
                row.get("reply-src-address", "?"), seen_as or "?"))
    return count, masqueraded


# Judging -----------------------------------------------------------------------------------------------------------

@dataclass
class Observed:
    """What the router said for one row."""
    gateway: str
    # The gateway's /ping on the WAN's interface; None for an interface gateway or none at all.
    gateway_ping: Optional[Ping]
    # The gateway of the table's active default route ("" when the table has none).
    table_gateway: str
    # The address the probe was sent from ("" on an edge: its own choice) and what it got.
    probe_source: str
    probe_ping: Ping
    probe_hops: List[str]
    connections: Optional[int]
    masqueraded: List[str] = field(default_factory=list)
    # Why the edge's enabled source-NAT rules hide client addresses from the core (transit_srcnat_offenders).
    nat_offenders: List[str] = field(default_factory=list)
    # The intent keeps the edge's transit source NAT (multiwan_edge.fix_transit_srcnat is false).
    srcnat_kept: bool = False


def is_interface(gateway: str) -> bool:
    return bool(gateway) and not _address(gateway)


def gateway_up(gateway: str, ping: Optional[Ping], routes: Sequence[Mapping[str, str]]) -> bool:
    """An address gateway is up when it answers; an interface gateway (PPPoE) while a route through it is active."""
    if is_interface(gateway):
        return any(row.get("gateway") == gateway and _flag(row, "active") for row in routes)
    return ping is not None and ping.ok


def expected_first_hop(check: WanCheck, gateways: Mapping[str, str], up: Mapping[str, bool]) -> str:
    """The gateway of the table's route that should be active: the lowest distance whose gateway is up (the WAN's own,
    else its failover backups in order); "" when every gateway is down."""
    for route in check.routes:
        if up.get(route.wan) and gateways.get(route.wan):
            return gateways[route.wan]
    return ""


def probe_through_table(observed: Observed) -> Optional[bool]:
    """Whether the probe left by the table's first hop: True, False, or None when it cannot be told (the first hop did
    not answer the traceroute, or the table's gateway is an interface, whose peer address the table does not name)."""
    first = observed.probe_hops[0] if observed.probe_hops else ""
    if not first or not observed.table_gateway or is_interface(observed.table_gateway):
        return None
    return first == observed.table_gateway


def judge(check: WanCheck, observed: Observed, expected: Optional[str]) -> Dict[str, Any]:
    """One row of the result: what was seen, ``ok``, the ``problems`` and the ``notes`` in words. ``expected`` is the
    first hop the intent wants in the table; None on an edge, whose main table is its own business (its active route
    is then what is probed)."""
    problems = []
    notes = []
    gateway = observed.gateway
    if not gateway:
        problems.append("no gateway: its DHCP client installed no default route (no lease?)"
                        if expected is not None else "no active default route in %s" % check.table)
    elif observed.gateway_ping is not None and not observed.gateway_ping.ok:
        problems.append("gateway %s does not answer (%s)" % (gateway, observed.gateway_ping.text()))
    actual = observed.table_gateway
    if expected is None:
        expected = actual
    elif not expected:
        problems.append("no gateway of the routes of %s is up" % check.table)
    elif actual != expected:
        problems.append("%s routes via %s, the intent says %s" % (check.table, actual or "nothing (no active default route)", expected))
    through = probe_through_table(observed)
    if through is False:
        # RouterOS 7's /ping and /tool/traceroute take no routing-table: the probe goes the way the router sends its
        # own packets from probe_source, through this table only when a /routing/rule says so.
        notes.append("the router sends its own packets from %s via %s, not through %s: the probe host was not checked "
                     "through this WAN (a /routing/rule src-address=%s action=lookup-only-in-table table=%s would)"
                     % (observed.probe_source, observed.probe_hops[0], check.table, observed.probe_source, check.table))
    elif not observed.probe_ping.ok:
        problems.append("probe host %s does not answer%s (%s)" % (check.probe_host, " from %s" % observed.probe_source
                                                                  if observed.probe_source else "", observed.probe_ping.text()))
    for text in observed.masqueraded:
        if observed.srcnat_kept:
            notes.append("forwarded connection source-NATed (client address lost; kept, since "
                         "multiwan_edge.fix_transit_srcnat is false): %s" % text)
        elif observed.nat_offenders:
            problems.append("forwarded connection source-NATed (client address lost) by %s: %s"
                            % ("; ".join(observed.nat_offenders), text))
        else:
            # No enabled rule would NAT it now: the connection was opened before the transit source NAT was disabled
            # and keeps its NAT until it closes. Failing on it would revert a run that fixed the router.
            notes.append("forwarded connection source-NATed before the transit source NAT was disabled (it keeps its "
                         "NAT until it closes; /ip firewall connection remove clears it): %s" % text)
    return {
        "wan": check.wan,
        "table": check.table,
        "gateway": gateway,
        "gateway_ping": observed.gateway_ping.as_dict() if observed.gateway_ping is not None else None,
        "first_hop": {"expected": expected, "actual": actual},
        "probe_host": check.probe_host,
        "probe_source": observed.probe_source,
        "probe_ping": observed.probe_ping.as_dict(),
        "probe_first_hop": observed.probe_hops[0] if observed.probe_hops else "",
        "probe_through_table": through,
        "connection_mark": check.connection_mark,
        "connections": observed.connections,
        "ok": not problems,
        "problems": problems,
        "notes": notes,
    }


COLUMNS = (("WAN", "wan"), ("TABLE", "table"), ("GATEWAY", "gateway"), ("GW PING", "gateway_ping"),
           ("1ST HOP WANTED", "expected"), ("1ST HOP SEEN", "actual"), ("PROBE", "probe_host"), ("PROBE PING", "probe_ping"),
           ("CONNS", "connections"), ("OK", "ok"), ("PROBLEMS", "problems"))


def _cell(row: Mapping[str, Any], key: str) -> str:
    if key in ("expected", "actual"):
        return row["first_hop"][key] or "-"
    value = row.get(key)
    if key == "probe_ping" and row.get("probe_through_table") is False:
        return "not via table"
    if key.endswith("_ping"):
        if value is None:
            return "-"
        # A probe the router refused sent nothing; its words are in the problems column.
        return "not sent" if not value["sent"] else Ping(value["sent"], value["received"], value["status"]).text()
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
        args = [(name, value) for name, value in args if value]
        if self.transport.name == "api":
            try:
                return self.transport.call(path, *["=%s=%s" % (name, value) for name, value in args])["rows"]
            except CommandError as exc:
                # A probe the router refuses (an interface that does not exist yet, in a check run before the phase
                # that creates it) is that row's problem, in the router's words, as the console prints it.
                return str(exc).split(": ", 1)[-1] + "\n"
        words = ["/" + " ".join(path.strip("/").split("/"))] + ["%s=%s" % (name, _cli_value(value)) for name, value in args]
        return self.transport.run(" ".join(words) + "\n")

    def ping(self, address: str, interface: str = "", source: str = "") -> Ping:
        out = self._command("/ping", [("address", address), ("count", self.count), ("interval", self.interval),
                                      ("interface", interface), ("src-address", source)])
        return parse_ping_text(out) if isinstance(out, str) else parse_ping_rows(out)

    def traceroute(self, address: str, source: str = "") -> List[str]:
        out = self._command("/tool/traceroute", [("address", address), ("count", 1), ("max-hops", self.max_hops),
                                                 ("src-address", source)])
        return parse_traceroute_text(out) if isinstance(out, str) else parse_traceroute_rows(out)

    def rows(self, path: str, fields: Sequence[str], where: Tuple[str, str] = ("", "")) -> List[Dict[str, str]]:
        """``fields`` of the rows of ``path`` whose field ``where[0]`` is ``where[1]`` (every row without it; dynamic
        ones too): the API's ``print`` with a query, or a console script that prints each row on a line of its own,
        since the console's own print wraps and pads."""
        name, value = where
        if self.transport.name == "api":
            query = ["?%s=%s" % (name, value)] if name else []
            rows = self.transport.call(path + "/print", "=.proplist=%s" % ",".join(fields), *query)["rows"]
            return [dict(row, **({name: value} if name else {})) for row in rows]
        menu = path.replace("/", " ").strip()
        values = ' . "|" . '.join("[:tostr [/%s get $i %s]]" % (menu, field_name) for field_name in fields)
        condition = " where %s=%s" % (name, _cli_value(value)) if name else ""
        script = ':foreach i in=[/%s find%s] do={:put ("%s" . %s)}\n' % (menu, condition, ROW_MARK, values)
        # The field the rows were selected by has that value in every row: not read again.
        return [dict(row, **({name: value} if name else {})) for row in parse_row_lines(self.transport.run(script), fields)]

    def count_rows(self, path: str, name: str, value: str) -> int:
        """How many rows of ``path`` have ``name`` = ``value``, counted by the router (a core may track far more
        connections than are worth reading)."""
        if self.transport.name == "api":
            return _int(self.transport.call(path + "/print", "=count-only=", "?%s=%s" % (name, value))["ret"])
        menu = path.replace("/", " ").strip()
        text = self.transport.run(':put ("%s" . [/%s print count-only where %s=%s])\n' % (ROW_MARK, menu, name, _cli_value(value)))
        return _int(parse_row_lines(text, ("count",))[0].get("count") if ROW_MARK in text else 0)


def interface_addresses(rows: Iterable[Mapping[str, str]]) -> Dict[str, str]:
    """Interface -> its first enabled address (without the prefix), from ``/ip/address`` (dynamic ones too: a DHCP
    lease's)."""
    out: Dict[str, str] = {}
    for row in rows:
        if not _flag(row, "disabled") and row.get("interface") and row.get("interface") not in out:
            out[row["interface"]] = str(row.get("address", "")).split("/", 1)[0]
    return out


def _gateway_interface(routes: Sequence[Mapping[str, str]], gateway: str) -> str:
    """The interface a gateway is reached on, from a route's immediate gateway (``10.10.2.1%VLAN3002``)."""
    for row in routes:
        immediate = str(row.get("immediate-gw", ""))
        if immediate.startswith(gateway + "%"):
            return immediate.split("%", 1)[1]
    return ""


def verify(transport: Any, plan: Plan, count: int = 3, interval: str = "200ms", max_hops: int = 1) -> List[Dict[str, Any]]:
    """Probe every row of ``plan`` on the router and judge it: reads (routes, addresses, connections), then for each
    WAN the gateway's ``/ping`` on the WAN's interface, the probe host's ``/ping`` and ``/tool/traceroute`` from the
    WAN's address."""
    probe = Probe(transport, count, interval, max_hops)
    routes = default_routes(probe.rows("/ip/route", ROUTE_FIELDS, ("dst-address", DEFAULT)))
    # A core probes from each WAN's address; an edge lets the router choose.
    addresses = interface_addresses(probe.rows("/ip/address", ADDRESS_FIELDS)) if plan.kind == "core" else {}
    gateways = dict((u.name, uplink_gateway(u, routes)) for u in plan.uplinks)
    pings: Dict[str, Optional[Ping]] = {}
    for uplink in plan.uplinks:
        gateway = gateways[uplink.name]
        # The gateway as a neighbour on the WAN's own link, whatever the tables say.
        pings[uplink.name] = probe.ping(gateway, interface=uplink.interface) if gateway and not is_interface(gateway) else None
    up = dict((name, gateway_up(gateways[name], pings[name], routes)) for name in gateways)
    interfaces = dict((u.name, u.interface) for u in plan.uplinks)
    rows = []
    for check in plan.checks:
        table_gateway = active_gateway(routes, check.table)
        offenders: List[str] = []
        if plan.kind == "core":
            gateway, gateway_ping = gateways.get(check.wan, ""), pings.get(check.wan)
            source = addresses.get(interfaces[check.wan], "")
            expected: Optional[str] = expected_first_hop(check, gateways, up)
            connections_seen: Optional[int] = (probe.count_rows("/ip/firewall/connection", "connection-mark", check.connection_mark)
                                               if check.connection_mark else None)
            masqueraded: List[str] = []
        else:
            gateway = table_gateway
            address = _address(gateway)
            gateway_ping = probe.ping(address, interface=_gateway_interface(routes, address)) if address else None
            source, expected = "", None
            forwarded = probe.rows("/ip/firewall/connection", CONNECTION_FIELDS, ("dstnat", "true"))
            connections_seen, masqueraded = forwards_toward(forwarded, plan.internal_networks)
            if masqueraded:
                # The enabled ones only: the rules an earlier run adopted come back disabled.
                offenders = [found["reason"] for found in transit_srcnat_offenders(
                    probe.rows("/ip/firewall/nat", NAT_FIELDS), plan.edge or {}, probe.rows("/interface/list/member", LIST_MEMBER_FIELDS))
                    if not _flag(found["rule"], "disabled")]
        observed = Observed(gateway, gateway_ping, table_gateway, source, probe.ping(check.probe_host, source=source),
                            probe.traceroute(check.probe_host, source=source), connections_seen, masqueraded, offenders,
                            bool(plan.edge) and not plan.edge.get("fix_transit_srcnat"))
        rows.append(judge(check, observed, expected))
    return rows


def summary(rows: Sequence[Mapping[str, Any]], key: str = "problems") -> List[str]:
    """Every problem (or note) of every row, prefixed with its WAN and table."""
    return ["WAN %s (%s): %s" % (row["wan"], row["table"], text) for row in rows for text in row[key]]
