"""A new connection through the router, the way RouterOS's packet flow handles it, and its reply.

``inject_flow`` (the control port) calls ``new_connection``: the first packet runs mangle prerouting,
nat dstnat, the routing decision (``forwarding.decide``), mangle forward and postrouting (or input,
for the router's own addresses), filter forward/input and nat srcnat; the reply then arrives on the
interface the request left through (or is sent by the router, mangle output) with
``connection-state=established`` and the connection's mark, runs mangle prerouting again and is
routed back to the original source by its own routing mark. The result is what a connection-table
row holds plus where each direction left, so tests can check the marks the configuration gives.

Matchers the lab evaluates are listed in ``MATCHERS``; a rule with any other matcher does not match
and is named in the result's ``unevaluated`` list, so a configuration the lab cannot judge is visible.
The filter chains can drop the flow (``dropped``, no connection is recorded); ``fasttrack-connection``
sets the connection's ``fasttrack`` flag. Packet counters, ``log``, address-list actions and ``jump``
targets beyond 16 levels are not modelled.
"""

from __future__ import annotations

import ipaddress
import zlib
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import addresses, forwarding

if TYPE_CHECKING:
    from ..menus.base import LabRouter

Address = ipaddress.IPv4Address

PROTOCOL_NUMBERS = {"icmp": 1, "igmp": 2, "tcp": 6, "udp": 17, "gre": 47, "ipsec-esp": 50, "ipsec-ah": 51, "ospf": 89,
                    "sctp": 132, "udp-lite": 136, "vrrp": 112, "l2tp": 115}
# Properties of a rule that are not matchers.
NOT_MATCHERS = frozenset((
    ".id", "chain", "action", "comment", "disabled", "dynamic", "invalid", "log", "log-prefix", "bytes", "packets",
    "passthrough", "new-connection-mark", "new-routing-mark", "new-packet-mark", "jump-target", "to-addresses",
    "to-ports", "address-list", "address-list-timeout", "reject-with", "hw-offload", "randomise-ports", "new-mss",
    "new-dscp", "new-ttl", "new-priority", "route-dst", "sniff-id", "sniff-target", "sniff-target-port",
))
MATCHERS = frozenset((
    "src-address", "dst-address", "src-address-list", "dst-address-list", "src-address-type", "dst-address-type",
    "protocol", "src-port", "dst-port", "port", "in-interface", "out-interface", "in-interface-list",
    "out-interface-list", "connection-state", "connection-nat-state", "connection-mark", "routing-mark",
    "packet-mark", "per-connection-classifier", "nth",
))
MAX_JUMPS = 16
STOPPING_NAT = ("dst-nat", "src-nat", "masquerade", "redirect", "netmap", "accept", "same")
DROPPING = ("drop", "reject", "tarpit")


@dataclass(frozen=True)
class Packet:
    src: Address
    dst: Address
    protocol: str
    src_port: int | None
    dst_port: int | None
    in_interface: str | None
    out_interface: str | None = None
    state: str = "new"
    connection_mark: str | None = None
    routing_mark: str | None = None
    packet_mark: str | None = None
    nat_state: tuple[str, ...] = ()


@dataclass
class Outcome:
    """What one chain did to a packet."""

    packet: Packet
    hits: list[str] = field(default_factory=list)
    unevaluated: list[str] = field(default_factory=list)
    nat: tuple[str, Address, int | None] | None = None
    dropped: bool = False
    fasttrack: bool = False


def _negated(value: str) -> tuple[bool, str]:
    return (True, value[1:]) if value.startswith("!") else (False, value)


def address_in(address: Address, spec: str) -> bool:
    """``10.0.0.0/8``, ``10.0.0.1`` or ``10.0.0.1-10.0.0.9``."""
    try:
        if "-" in spec:
            low, dummy, high = spec.partition("-")
            return Address(low) <= address <= Address(high)
        return address in addresses.network(spec)
    except ValueError:
        return False


def port_in(port: int | None, spec: str) -> bool:
    """``80``, ``80,443`` or ``1024-65535``."""
    if port is None:
        return False
    for part in spec.split(","):
        low, dummy, high = part.partition("-")
        try:
            if int(low) <= port <= int(high or low):
                return True
        except ValueError:
            continue
    return False


def _protocol(name: str) -> int | None:
    if name.isdigit():
        return int(name)
    return PROTOCOL_NUMBERS.get(name)


class Firewall:
    """The router's rules, address lists and interface lists, read once per flow."""

    def __init__(self, router: LabRouter) -> None:
        self.router = router
        self.rules = {path: router.rows(path) for path in
                      ("/ip/firewall/mangle", "/ip/firewall/nat", "/ip/firewall/filter")}
        self.address_lists: dict[str, list[str]] = {}
        for row in router.rows("/ip/firewall/address-list"):
            if row.get("disabled") != "true":
                self.address_lists.setdefault(row.get("list", ""), []).append(row.get("address", ""))
        self.interface_lists: dict[str, set[str]] = {}
        for row in router.rows("/interface/list/member"):
            if row.get("disabled") != "true":
                self.interface_lists.setdefault(row.get("list", ""), set()).add(row.get("interface", ""))
        self.local = forwarding.local_addresses(router)

    def in_list(self, interface: str | None, name: str) -> bool:
        if interface is None or name == "none":
            return False
        return name == "all" or interface in self.interface_lists.get(name, set())

    def address_type(self, address: Address, kind: str) -> bool:
        if kind == "local":
            return address in self.local
        if kind == "broadcast":
            return address == Address("255.255.255.255")
        if kind == "multicast":
            return address.is_multicast
        return kind == "unicast" and not address.is_multicast and address != Address("255.255.255.255")

    # ---- matching ------------------------------------------------------------------------------
    def matches(self, rule: dict[str, str], packet: Packet, unevaluated: list[str]) -> bool:
        for name, raw in rule.items():
            if name in NOT_MATCHERS:
                continue
            if name not in MATCHERS:
                unevaluated.append("%s %s %s=%s" % (rule.get(".id", ""), rule.get("chain", ""), name, raw))
                return False
            negate, value = _negated(raw)
            if self._match(rule, name, value, packet) == negate:
                return False
        return True

    def _match(self, rule: dict[str, str], name: str, value: str, packet: Packet) -> bool:
        if name in ("src-address", "dst-address"):
            return address_in(packet.src if name == "src-address" else packet.dst, value)
        if name in ("src-address-list", "dst-address-list"):
            address = packet.src if name == "src-address-list" else packet.dst
            return any(address_in(address, entry) for entry in self.address_lists.get(value, ()))
        if name in ("src-address-type", "dst-address-type"):
            address = packet.src if name == "src-address-type" else packet.dst
            return any(self.address_type(address, kind) for kind in value.split(","))
        if name == "protocol":
            return _protocol(value) == _protocol(packet.protocol)
        if name in ("src-port", "dst-port", "port"):
            ports = {"src-port": (packet.src_port,), "dst-port": (packet.dst_port,),
                     "port": (packet.src_port, packet.dst_port)}[name]
            return any(port_in(port, value) for port in ports)
        if name in ("in-interface", "out-interface"):
            return (packet.in_interface if name == "in-interface" else packet.out_interface) == value
        if name in ("in-interface-list", "out-interface-list"):
            return self.in_list(packet.in_interface if name == "in-interface-list" else packet.out_interface, value)
        if name == "connection-state":
            return packet.state in value.split(",")
        if name == "connection-nat-state":
            return any(state in packet.nat_state for state in value.split(","))
        if name in ("connection-mark", "routing-mark", "packet-mark"):
            mark = {"connection-mark": packet.connection_mark, "routing-mark": packet.routing_mark,
                    "packet-mark": packet.packet_mark}[name]
            return (mark or "no-mark") == value
        if name == "per-connection-classifier":
            return _classifier(value, packet)
        return self._nth(rule, value)

    def _nth(self, rule: dict[str, str], value: str) -> bool:
        """``every,packet``: the rule's counter of the packets that reached it decides."""
        counters: dict[str, int] = self.router.__dict__.setdefault("_nth_counters", {})
        key = rule.get(".id", "")
        counters[key] = counters.get(key, 0) + 1
        every, dummy, nth = value.partition(",")
        try:
            return (counters[key] - 1) % int(every) + 1 == int(nth or "1")
        except (ValueError, ZeroDivisionError):
            return False

    # ---- chains --------------------------------------------------------------------------------
    def run(self, path: str, chain: str, packet: Packet, depth: int = 0) -> Outcome:
        """Run ``chain`` of ``path`` on ``packet``; the packet comes back with its new marks and NAT."""
        outcome = Outcome(packet)
        self._run(path, chain, outcome, depth)
        return outcome

    def _run(self, path: str, chain: str, outcome: Outcome, depth: int) -> bool:
        """True when a rule ended the packet's way through the table (accept, NAT, drop, passthrough=no)."""
        for rule in self.rules[path]:
            if rule.get("chain") != chain or rule.get("disabled") == "true" or rule.get("dynamic") == "true":
                continue
            if not self.matches(rule, outcome.packet, outcome.unevaluated):
                continue
            outcome.hits.append("%s %s" % (path.rsplit("/", 1)[1], rule.get(".id", "")))
            action = rule.get("action", "accept")
            if action == "return":
                return False
            if action == "jump":
                if depth < MAX_JUMPS and self._run(path, rule.get("jump-target", ""), outcome, depth + 1):
                    return True
                continue
            if self._act(path, rule, action, outcome):
                return True
        return False

    def _act(self, path: str, rule: dict[str, str], action: str, outcome: Outcome) -> bool:
        packet = outcome.packet
        if action == "mark-connection":
            outcome.packet = replace(packet, connection_mark=rule.get("new-connection-mark"))
        elif action == "mark-routing":
            outcome.packet = replace(packet, routing_mark=rule.get("new-routing-mark"))
        elif action == "mark-packet":
            outcome.packet = replace(packet, packet_mark=rule.get("new-packet-mark"))
        elif action == "fasttrack-connection":
            outcome.fasttrack = True
            return False
        elif action in DROPPING:
            outcome.dropped = True
            return True
        elif path.endswith("/nat") and action in STOPPING_NAT:
            outcome.nat = self._nat(rule, action, packet)
            return True
        elif action == "accept":
            return True
        else:
            return False
        # mangle marking actions go on unless passthrough=no
        return rule.get("passthrough", "true") == "false"

    def _nat(self, rule: dict[str, str], action: str, packet: Packet) -> tuple[str, Address, int | None] | None:
        """``(direction, address, port)``: the new destination (dstnat) or source (srcnat)."""
        to_address = rule.get("to-addresses", "").split("-")[0]
        to_port = int(rule["to-ports"].split("-")[0]) if rule.get("to-ports", "").split("-")[0].isdigit() else None
        if action == "dst-nat" and to_address:
            return ("dstnat", Address(to_address), to_port or packet.dst_port)
        if action == "redirect":
            local = forwarding.interface_address(self.router, packet.in_interface or "", packet.src)
            return ("dstnat", local or packet.dst, to_port or packet.dst_port)
        if action == "masquerade":
            local = forwarding.interface_address(self.router, packet.out_interface or "")
            return ("srcnat", local, to_port or packet.src_port) if local else None
        if action in ("src-nat", "same") and to_address:
            return ("srcnat", Address(to_address), to_port or packet.src_port)
        if action == "netmap" and to_address:
            network = ipaddress.IPv4Network(rule["to-addresses"], strict=False)
            moved = packet.dst if rule.get("chain") == "dstnat" else packet.src
            mapped = Address(int(network.network_address) | (int(moved) & int(network.hostmask)))
            return ("dstnat" if rule.get("chain") == "dstnat" else "srcnat", mapped, to_port)
        return None


def _classifier(value: str, packet: Packet) -> bool:
    """``both-addresses:2/0``: the lab's own stable hash of the named fields, modulo 2, equals 0."""
    kind, dummy, fraction = value.partition(":")
    every, dummy, remainder = fraction.partition("/")
    parts = {
        "src-address": (packet.src,), "dst-address": (packet.dst,), "both-addresses": (packet.src, packet.dst),
        "src-port": (packet.src_port,), "dst-port": (packet.dst_port,), "both-ports": (packet.src_port, packet.dst_port),
        "src-address-and-port": (packet.src, packet.src_port), "dst-address-and-port": (packet.dst, packet.dst_port),
        "both-addresses-and-ports": (packet.src, packet.dst, packet.src_port, packet.dst_port),
    }.get(kind)
    try:
        return parts is not None and zlib.crc32(repr(parts).encode()) % int(every) == int(remainder)
    except (ValueError, ZeroDivisionError):
        return False


def _route_result(decision: forwarding.Decision) -> dict[str, Any]:
    hop = decision.hop
    return {"table": decision.table, "out_interface": hop.interface if hop else None,
            "gateway": str(hop.gateway) if hop and hop.gateway else None, "route": hop.route_id if hop else None}


def _endpoint(address: Address, port: int | None) -> str:
    return str(address) if port is None else "%s:%d" % (address, port)


def new_connection(router: LabRouter, in_interface: str, src: Address, dst: Address, protocol: str = "tcp",
                   src_port: int | None = None, dst_port: int | None = None, reply: bool = True) -> dict[str, Any]:
    """The first packet of a connection arriving on ``in_interface`` and, with ``reply``, its answer."""
    if not router.interface_exists(in_interface):
        raise ValueError("no interface %s" % in_interface)
    firewall = Firewall(router)
    packet = Packet(src=src, dst=dst, protocol=protocol, src_port=src_port, dst_port=dst_port, in_interface=in_interface)
    unevaluated: list[str] = []
    hits: list[str] = []

    def run(path: str, chain: str) -> Outcome:
        nonlocal packet
        outcome = firewall.run(path, chain, packet)
        packet = outcome.packet
        unevaluated.extend(outcome.unevaluated)
        hits.extend(outcome.hits)
        return outcome

    run("/ip/firewall/mangle", "prerouting")
    dstnat = run("/ip/firewall/nat", "dstnat").nat
    if dstnat is not None:
        packet = replace(packet, dst=dstnat[1], dst_port=dstnat[2], nat_state=packet.nat_state + ("dstnat",))
    decision = forwarding.decide(router, packet.dst, packet.src, packet.routing_mark, in_interface)
    dropped = False
    fasttrack = False
    srcnat = None
    if decision.local:
        run("/ip/firewall/mangle", "input")
        dropped = run("/ip/firewall/filter", "input").dropped
    elif decision.hop is None:
        dropped = True
    else:
        packet = replace(packet, out_interface=decision.hop.interface)
        run("/ip/firewall/mangle", "forward")
        outcome = run("/ip/firewall/filter", "forward")
        dropped, fasttrack = outcome.dropped, outcome.fasttrack
        run("/ip/firewall/mangle", "postrouting")
        if not dropped:
            srcnat = run("/ip/firewall/nat", "srcnat").nat
    result: dict[str, Any] = {
        "connection_mark": packet.connection_mark, "routing_mark": packet.routing_mark,
        "dstnat": None if dstnat is None else _endpoint(dstnat[1], dstnat[2]),
        "srcnat": None if srcnat is None else _endpoint(srcnat[1], srcnat[2]),
        "local": decision.local, "dropped": dropped, "fasttrack": fasttrack,
        "rules": hits, "unevaluated": sorted(set(unevaluated)),
    }
    result.update(_route_result(decision))
    if dropped:
        result["reason"] = decision.reason or "dropped by the filter"
        return result
    reply_src = _endpoint(packet.dst, packet.dst_port)
    reply_dst_address = srcnat[1] if srcnat else src
    reply_dst_port = srcnat[2] if srcnat else src_port
    row = {"protocol": protocol, "src-address": _endpoint(src, src_port), "dst-address": _endpoint(dst, dst_port),
           "reply-src-address": reply_src, "reply-dst-address": _endpoint(reply_dst_address, reply_dst_port),
           "connection-mark": packet.connection_mark, "srcnat": srcnat is not None, "dstnat": dstnat is not None,
           "fasttrack": fasttrack, "seen-reply": reply, "src-port": src_port, "dst-port": dst_port,
           "reply-src-port": packet.dst_port, "reply-dst-port": reply_dst_port}
    if reply:
        result.update(_reply(router, firewall, packet, decision, src, reply_dst_address, unevaluated, hits))
        result["unevaluated"] = sorted(set(unevaluated))
    result["row"] = row
    return result


def _reply(router: LabRouter, firewall: Firewall, request: Packet, decision: forwarding.Decision, client: Address,
           reply_dst: Address, unevaluated: list[str], hits: list[str]) -> dict[str, Any]:
    """The answer: from the (dst-NATed) destination back to the (src-NATed) source, routed by its own mark
    toward the original client once the NAT is undone."""
    answer = Packet(src=request.dst, dst=reply_dst, protocol=request.protocol, src_port=request.dst_port,
                    dst_port=request.src_port, in_interface=None if decision.local else request.out_interface,
                    state="established", connection_mark=request.connection_mark, nat_state=request.nat_state)
    chain = "output" if decision.local else "prerouting"
    outcome = firewall.run("/ip/firewall/mangle", chain, answer)
    unevaluated.extend(outcome.unevaluated)
    hits.extend(outcome.hits)
    answer = outcome.packet
    back = forwarding.decide(router, client, answer.src, answer.routing_mark, answer.in_interface)
    route = _route_result(back)
    return {"reply_routing_mark": answer.routing_mark, "reply_table": route["table"],
            "reply_out_interface": route["out_interface"], "reply_gateway": route["gateway"]}
