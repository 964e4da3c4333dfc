"""``/ping``, ``/tool/traceroute`` and the connection table's entries, answered from the lab's own model.

A probe leaves the router the way its own packets do (``simulation.forwarding.decide``): a routing mark
from mangle ``output``, the router's addresses, ``/routing/rule``, ``main``; ``vrf=`` names the table
instead (a VRF's table has its name); ``interface=`` sends it out of that interface to the address as
to a neighbour. The route found decides the path: the destination itself when it is on a connected
network, else the route's gateway then the destination. Every host on the path must answer
(``set_reachable``; everything answers by default). RouterOS 7.19 has no ``routing-table`` argument on
either tool (both real trees): a probe per table is a probe whose source address a ``/routing/rule``
sends to that table, or ``vrf=``.

Replies are computed, not sent: they come back at once (``interval`` is not waited for), with a round
trip of 1 ms per hop. Without ``count`` RouterOS pings until the command is cancelled; the lab sends
``UNBOUNDED_COUNT`` probes.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .reply import Fault, Reply
from .simulation import forwarding, packet_flow
from .storage import Item, format_id

if TYPE_CHECKING:
    from .menus.base import LabRouter

Address = ipaddress.IPv4Address

UNBOUNDED_COUNT = 4
DEFAULT_SIZE = 56
DEFAULT_TTL = 64
DEFAULT_MAX_HOPS = 30
HOP_RTT_MS = 1
NO_ROUTE = "no route to host"
CONNECTION = "/ip/firewall/connection"


@dataclass(frozen=True)
class Path:
    """The hosts a probe crosses (the last one is the destination), or why it cannot leave."""

    hops: tuple[Address, ...]
    source: Address | None
    error: str = ""


def _address(attrs: dict[str, str], name: str, mandatory: bool) -> Address | None:
    text = attrs.get(name, "")
    if not text:
        if mandatory:
            raise Fault("missing value(s) of argument(s) %s" % name)
        return None
    try:
        return Address(text)
    except ValueError:
        raise Fault("invalid value for argument %s" % name) from None


def _number(attrs: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    text = attrs.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise Fault("invalid value for argument %s" % name) from None
    if not low <= value <= high:
        raise Fault("value of %s out of range (%d..%d)" % (name, low, high))
    return value


def _table_of_vrf(router: LabRouter, vrf: str) -> str:
    if vrf == "main" or any(row.get("name") == vrf for row in router.rows("/ip/vrf")):
        return vrf
    raise Fault("input does not match any value of vrf")


def probe_path(router: LabRouter, attrs: dict[str, str]) -> Path:
    """Where the router's probe toward ``address`` goes, given the tool's arguments."""
    dst = _address(attrs, "address", True)
    src = _address(attrs, "src-address", False)
    assert dst is not None
    interface = attrs.get("interface") or None
    if interface is not None and not router.interface_exists(interface):
        raise Fault("input does not match any value of interface")
    if interface is not None:
        # sent out of the interface to the address as to a neighbour: only a connected one answers
        own = forwarding.interface_address(router, interface, dst)
        if not router.interface_running(interface) or own is None:
            return Path((), None, NO_ROUTE)
        return Path((dst,), src or own)
    if dst in forwarding.local_addresses(router):
        return Path((dst,), src or dst)
    if attrs.get("vrf"):
        table = _table_of_vrf(router, attrs["vrf"])
        hop = forwarding.lookup(router, table, dst)
    else:
        mark = _output_routing_mark(router, dst, src)
        hop = forwarding.decide(router, dst, src, mark).hop
    if hop is None:
        return Path((), src, NO_ROUTE)
    source = src or forwarding.source_for(router, hop)
    if hop.gateway is None or hop.gateway == dst:
        return Path((dst,), source)
    return Path((hop.gateway, dst), source)


def _output_routing_mark(router: LabRouter, dst: Address, src: Address | None) -> str | None:
    """The routing mark mangle ``output`` gives the router's own new ICMP packet."""
    firewall = packet_flow.Firewall(router)
    packet = packet_flow.Packet(src=src or Address("0.0.0.0"), dst=dst, protocol="icmp", src_port=None, dst_port=None,
                                in_interface=None)
    return firewall.run("/ip/firewall/mangle", "output", packet).packet.routing_mark


def _answered(router: LabRouter, path: Path) -> int:
    """How many hosts of the path answer, from the first: the probe dies at the first silent one."""
    for index, host in enumerate(path.hops):
        if not router.host_answers(str(host)):
            return index
    return len(path.hops)


def _ms(value: float) -> str:
    whole = int(value)
    micro = int(round((value - whole) * 1000))
    if whole and micro:
        return "%dms%dus" % (whole, micro)
    if micro and not whole:
        return "%dus" % micro
    return "%dms" % whole


def ping(router: LabRouter, attrs: dict[str, str], user: str) -> Reply:
    """``/ping``: one row per probe, the running totals in each (as RouterOS's API answers)."""
    count = _number(attrs, "count", UNBOUNDED_COUNT, 1, 4294967295)
    size = _number(attrs, "size", DEFAULT_SIZE, 14, 65535)
    _number(attrs, "ttl", DEFAULT_TTL, 1, 255)
    path = probe_path(router, attrs)
    host = attrs["address"]
    reached = bool(path.hops) and _answered(router, path) == len(path.hops)
    rtt = HOP_RTT_MS * len(path.hops)
    rows = []
    received = 0
    for seq in range(count):
        row = {"seq": str(seq), "host": host}
        if reached:
            received += 1
            row.update({"size": str(size), "ttl": str(DEFAULT_TTL - len(path.hops) + 1), "time": _ms(rtt)})
        else:
            row["status"] = path.error or "timeout"
        sent = seq + 1
        row.update({"sent": str(sent), "received": str(received), "packet-loss": str(100 * (sent - received) // sent)})
        if received:
            row.update({"min-rtt": _ms(rtt), "avg-rtt": _ms(rtt), "max-rtt": _ms(rtt)})
        rows.append(row)
    return Reply(rows=rows)


def traceroute(router: LabRouter, attrs: dict[str, str], user: str) -> Reply:
    """``/tool/traceroute``: per round (``count``, default 1 here), one row per hop with ``.section``."""
    count = _number(attrs, "count", 1, 1, 4294967295)
    max_hops = _number(attrs, "max-hops", DEFAULT_MAX_HOPS, 1, 255)
    path = probe_path(router, attrs)
    if not path.hops:
        rows = [{".section": str(section), "address": "", "loss": "100%", "sent": str(section + 1), "last": "timeout",
                 "avg": "", "best": "", "worst": "", "std-dev": "", "status": path.error}
                for section in range(count)]
        return Reply(rows=rows)
    answered = _answered(router, path)
    hops = list(path.hops) if answered == len(path.hops) else list(path.hops[:answered]) + [None] * (max_hops - answered)
    rows = []
    for section in range(count):
        for index, host in enumerate(hops[:max_hops]):
            if host is None:
                rows.append({".section": str(section), "address": "", "loss": "100%", "sent": str(section + 1),
                             "last": "timeout", "avg": "", "best": "", "worst": "", "std-dev": "", "status": ""})
                continue
            rtt = HOP_RTT_MS * (index + 1)
            rows.append({".section": str(section), "address": str(host), "loss": "0%", "sent": str(section + 1),
                         "last": _ms(rtt), "avg": str(rtt), "best": str(rtt), "worst": str(rtt), "std-dev": "0",
                         "status": ""})
    return Reply(rows=rows)


# ---- the connection table ---------------------------------------------------------------------------
def _timeout(router: LabRouter, protocol: str, replied: bool) -> str:
    tracking = router.rows("/ip/firewall/connection/tracking")[0]
    if protocol == "tcp":
        return tracking.get("tcp-established-timeout" if replied else "tcp-syn-sent-timeout", "1d")
    if protocol == "udp":
        return tracking.get("udp-stream-timeout" if replied else "udp-timeout", "10s")
    if protocol == "icmp":
        return tracking.get("icmp-timeout", "10s")
    return tracking.get("generic-timeout", "10m")


def _flag(value: bool) -> str:
    return "true" if value else "false"


def record_connection(router: LabRouter, row: dict[str, Any]) -> str:
    """Add a connection-table entry for ``row`` (``packet_flow.new_connection``'s); returns its id."""
    replied = bool(row["seen-reply"])
    values = {
        "protocol": row["protocol"], "src-address": row["src-address"], "dst-address": row["dst-address"],
        "reply-src-address": row["reply-src-address"], "reply-dst-address": row["reply-dst-address"],
        "timeout": _timeout(router, row["protocol"], replied),
        "orig-packets": "1", "orig-bytes": "60", "orig-fasttrack-packets": "0", "orig-fasttrack-bytes": "0",
        "repl-packets": "1" if replied else "0", "repl-bytes": "60" if replied else "0",
        "repl-fasttrack-packets": "0", "repl-fasttrack-bytes": "0", "orig-rate": "0", "repl-rate": "0",
        "expected": "false", "seen-reply": _flag(replied), "assured": _flag(replied), "confirmed": "true",
        "dying": "false", "fasttrack": _flag(row["fasttrack"]), "hw-offload": "false",
        "srcnat": _flag(row["srcnat"]), "dstnat": _flag(row["dstnat"]),
    }
    if row["protocol"] == "tcp":
        values["tcp-state"] = "established" if replied else "syn-sent"
    for name in ("src-port", "dst-port", "reply-src-port", "reply-dst-port"):
        if row.get(name) is not None:
            values[name] = str(row[name])
    if row.get("connection-mark"):
        values["connection-mark"] = row["connection-mark"]
    table = router.tables[CONNECTION]
    item = Item(table.next_id, values, dynamic=True)
    table.next_id += 1
    table.insert(item)
    return format_id(item.id)


def inject_flow(router: LabRouter, in_interface: str, src_address: str, dst_address: str, protocol: str = "tcp",
                src_port: int | None = None, dst_port: int | None = None, reply: bool = True) -> dict[str, Any]:
    """A new connection arriving on ``in_interface``: evaluated (``packet_flow``), then recorded in the
    connection table unless it was dropped. Returns the decision and the entry's ``id``."""
    if protocol not in ("tcp", "udp") and (src_port is not None or dst_port is not None):
        raise ValueError("ports are for tcp and udp flows")
    if protocol in ("tcp", "udp"):
        src_port = 40000 if src_port is None else int(src_port)
        dst_port = 80 if dst_port is None else int(dst_port)
    with router.lock:
        result = packet_flow.new_connection(router, in_interface, Address(src_address), Address(dst_address), protocol,
                                            src_port, dst_port, bool(reply))
        row = result.pop("row", None)
        result["id"] = record_connection(router, row) if row is not None else None
    return result


def clear_connections(router: LabRouter) -> int:
    """Forget every connection (the table empties, as after a reboot); returns how many there were."""
    with router.lock:
        table = router.tables[CONNECTION]
        count = len(table.items)
        for item in list(table.items.values()):
            table.unindex(item)
            del table.items[item.id]
        return count


def register(router: Any) -> None:
    """Called by the model when a Router is built."""
    router.register_command("/ping", ping)
    router.register_command("/tool/traceroute", traceroute)
