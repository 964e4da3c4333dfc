"""Measure the lab router against real RouterOS command trees (``make fidelity``).

Black box, through librouteros: for every menu the lab models, every ``add``/``set`` argument of
RouterOS 7.19 (``inspect-7.19.json``) is written with a valid sample value; arguments RouterOS lacks
(other menus' arguments, newer ones, the columns the lab prints) are tried and must be refused; every
command of the menu must exist and refuse an unknown argument, commands the menu lacks must not exist;
every value RouterOS offers for an enumerated argument (``deep-inspect-7.22.3.json``, the only tree
with values) must be taken and other values refused; the tools (``/ping``, ``/tool/traceroute``) must take
each of their 7.19 arguments and refuse any other. Prints per path: real arguments, accepted,
missing, invented, and the same for values; exits 1 when a goal fails (100 % of the arguments of the
menus the collection writes, 0 invented, >= 95 % overall).

    .venv/bin/python scripts/fidelity.py [--reference DIR] [--details]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Iterable

import librouteros
from librouteros.exceptions import TrapError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from plugins.module_utils.engine.schema import PATHS  # noqa: E402  (the menus the collection writes)
from routeros_lab import LabServer, Router  # noqa: E402

DEFAULT_REFERENCE = os.path.join(os.path.dirname(ROOT), "shared", "reference", "routeros-inspect")
OVERALL_GOAL = 95.0
SELECTORS = ("numbers",)

# Completion values that are objects of the crawled router, not fixed values.
CRAWLED_OBJECTS = frozenset(("ether1", "main", "skins/"))
# Arguments whose offered values are examples of an open form (chains, marks, ``equal:64``, names).
OPEN_ARGUMENTS = frozenset((
    "chain", "jump-target", "connection-mark", "packet-mark", "new-connection-mark", "new-packet-mark", "new-mss",
    "new-dscp", "new-priority", "new-ttl", "ttl", "start-time", "name", "mtu", "arp-timeout", "address-list-timeout",
    "certificate", "subject-alt-name", "in-bridge-port-list", "out-bridge-port-list", "in-interface-list",
    "out-interface-list", "list", "include", "exclude", "copy-from", "table", "routing-mark", "new-routing-mark",
    "routing-table", "vrf", "ipsec-policy", "per-connection-classifier", "in-bridge-port", "out-bridge-port",
    "dst-address", "src-address", "gateway", "host",
))
# Values the lab was once found to take although RouterOS does not offer them.
EXTRA_PROBES = ("bfd", "bfd-multihop", "prohibit", "unreachable", "notaproto")
PROBE_ARGUMENT = "fidelity-probe"

# A valid value for each argument (RouterOS's forms); per-path entries win.
SAMPLES: dict[str, str] = {
    "address": "10.9.0.1", "address-list": "L1", "blackhole": "yes", "broadcast": "10.9.0.255", "comment": "c",
    "common-name": "cn", "connection-bytes": "0-1000", "connection-limit": "10,32", "connection-rate": "0-1M",
    "content": "abc", "contents": "text", "country": "LV", "days-valid": "30", "distance": "5", "dns-server": "10.0.0.53",
    "down-script": ":log info down", "dscp": "10", "dst-address": "10.8.0.0/16", "dst-address-list": "L2",
    "dst-limit": "10,5,dst-address", "dst-port": "80", "fib": "", "gateway": "10.0.0.1", "generic-timeout": "10m",
    "host": "10.0.0.9", "http-codes": "200", "hw-offload": "yes", "icmp-options": "8:0", "icmp-rate-limit": "20",
    "icmp-rate-mask": "0x1818", "icmp-timeout": "10s", "ingress-priority": "1", "interface": "ether1", "interval": "1m",
    "l2mtu": "1600", "layer7-protocol": "l7", "limit": "10,5:packet", "locality": "Riga", "log-prefix": "p",
    "loop-protect-disable-time": "5m", "loop-protect-send-interval": "5s", "mac-address": "02:00:00:00:AA:01",
    "max-neighbor-entries": "4096", "max-sessions": "10", "min-prefix": "0", "mtu": "1400", "netmask": "255.255.255.0",
    "network": "10.9.0.0", "new-routing-mark": "main", "nth": "2,1", "on-event": ":log info x", "organization": "o",
    "orig-mac-address": "02:00:00:00:AA:02", "owner": "admin", "packet-count": "10", "packet-interval": "50ms",
    "packet-size": "64", "port": "8080", "pref-src": "10.9.0.1", "priority": "1", "psd": "21,3s,3,1", "random": "50",
    "realm": "r1", "route-dst": "10.0.0.1", "routing-mark": "main", "routing-table": "main", "scope": "30",
    "sfp-rate-select": "high", "sfp-shutdown-temperature": "90", "sniff-id": "1", "sniff-target": "10.0.0.5",
    "sniff-target-port": "37008", "source": ":log info s", "src-address": "10.7.0.0/16", "src-address-list": "L3",
    "src-mac-address": "02:00:00:00:00:09", "src-port": "1024-65535", "start-date": "2025-01-01", "start-delay": "5s",
    "startup-delay": "5m", "state": "st", "suppress-hw-offload": "yes", "target-scope": "10",
    "tcp-mss": "1300-1400", "test-script": ":log info t", "thr-avg": "100ms", "thr-http-time": "5s",
    "thr-jitter": "20ms", "thr-loss-count": "5", "thr-loss-percent": "10", "thr-max": "200ms", "thr-stdev": "20ms",
    "thr-tcp-conn-time": "2s", "time": "8h-17h,mon,tue", "timeout": "1h", "tls-host": "*.example.com",
    "to-addresses": "10.0.0.10", "to-ports": "8080", "unit": "u", "up-script": ":log info up", "vlan-id": "77",
    "vrf": "main", "vrf-interface": "ether1", "chain": "forward", "jump-target": "forward", "name": "n1",
    "start-time": "startup", "key-size": "2048", "new-connection-mark": "cm", "new-packet-mark": "pm",
    "new-mss": "1400", "new-dscp": "10", "new-priority": "2", "new-ttl": "set:64", "ttl": "equal:64",
    "connection-mark": "cm", "packet-mark": "pm", "per-connection-classifier": "both-addresses:2/0",
    "address-list-timeout": "1h", "arp-timeout": "30s", "in-interface-list": "all", "out-interface-list": "all",
    "in-bridge-port-list": "all", "out-bridge-port-list": "all", "list": "all", "include": "all", "exclude": "none",
    "table": "main", "certificate": "none", "subject-alt-name": "DNS:example.com", "tcp-close-timeout": "10s",
    "tcp-close-wait-timeout": "10s", "tcp-established-timeout": "1d", "tcp-fin-wait-timeout": "10s",
    "tcp-last-ack-timeout": "10s", "tcp-max-retrans-timeout": "5m", "tcp-syn-received-timeout": "5s",
    "tcp-syn-sent-timeout": "5s", "tcp-time-wait-timeout": "10s", "tcp-unacked-timeout": "5m",
    "udp-stream-timeout": "3m", "udp-timeout": "10s", "speed": "100M-baseT-full", "type": "icmp",
    "default-route-distance": "5", "default-route-tables": "main:5", "user": "isp-user", "password": "isp-secret",
    "interfaces": "ether1", "group": "read", "inactivity-timeout": "5m", "keepalive-timeout": "30",
}
PATH_SAMPLES: dict[tuple[str, str], str] = {
    ("/ip/firewall/address-list", "list"): "L1", ("/ip/firewall/address-list", "address"): "10.66.0.1",
    ("/ip/firewall/address-list", "timeout"): "1h", ("/ip/firewall/nat", "chain"): "srcnat",
    ("/ip/firewall/nat", "jump-target"): "srcnat", ("/ip/firewall/raw", "chain"): "prerouting",
    ("/ip/firewall/raw", "jump-target"): "prerouting", ("/ip/address", "address"): "10.9.0.1/24",
    ("/tool/netwatch", "type"): "icmp", ("/file", "type"): "file", ("/ip/service", "port"): "8080",
    ("/tool/netwatch", "timeout"): "3s", ("/tool/netwatch", "interval"): "10s", ("/routing/rule", "interface"): "ether1",
    ("/routing/rule", "action"): "lookup", ("/ip/service", "address"): "10.0.0.0/8",
}
# What ``add`` needs besides the measured argument; ``{n}`` makes names unique.
BASE: dict[str, dict[str, str]] = {
    "/routing/table": {"name": "T{n}", "fib": ""},
    "/routing/rule": {"table": "main"},
    "/ip/route": {"gateway": "10.0.0.1", "dst-address": "10.{n}.0.0/16"},
    "/ip/firewall/filter": {"chain": "forward"}, "/ip/firewall/mangle": {"chain": "prerouting"},
    "/ip/firewall/nat": {"chain": "srcnat"}, "/ip/firewall/raw": {"chain": "prerouting"},
    "/ip/firewall/address-list": {"list": "L1", "address": "10.77.{n}.1"},
    "/interface/vlan": {"name": "v{n}", "vlan-id": "{n}", "interface": "ether1"},
    "/interface/list": {"name": "IL{n}"},
    "/interface/list/member": {"list": "all", "interface": "ether{m}"},
    "/ip/address": {"address": "10.{n}.0.1/24", "interface": "ether1"},
    "/tool/netwatch": {"host": "10.0.{n}.1"},
    "/system/scheduler": {"name": "S{n}"}, "/system/script": {"name": "SC{n}"},
    "/file": {"name": "f{n}.txt"}, "/certificate": {"name": "C{n}", "common-name": "cn{n}"},
    "/ip/dhcp-client": {"interface": "ether{m}"}, "/interface/pppoe-client": {"interface": "ether1"},
    "/ip/vrf": {"name": "V{n}", "interfaces": "ether{m}"}, "/user": {"name": "U{n}", "group": "read"},
}
# Menus without ``add`` whose ``set`` is measured on an item another menu makes: (command, arguments).
PREPARE: dict[str, tuple[str, dict[str, str]]] = {
    "/routing/route": ("/ip/route/add", {"gateway": "10.0.0.1", "dst-address": "10.5.0.0/16"}),
}
# The kept item of menus with one entry per interface, on an interface the measured adds never use.
KEEP_BASE: dict[str, dict[str, str]] = {"/ip/dhcp-client": {"interface": "lo"}}
# The tools the lab runs (``/ping``, ``/tool/traceroute``) and a valid value for each of their arguments.
TOOLS = ("/ping", "/tool/traceroute")
TOOL_SAMPLES: dict[str, str] = {
    "address": "10.9.0.1", "src-address": "10.9.0.2", "count": "1", "interval": "20ms", "size": "100", "ttl": "10",
    "max-hops": "3", "interface": "ether1", "vrf": "main", "arp-ping": "no", "dscp": "0", "timeout": "1s",
    "duration": "1s", "freeze-frame-interval": "1s", "port": "33434", "protocol": "udp", "use-dns": "no",
    "proplist": "address", "as-value": "", "do-not-fragment": "", "without-paging": "",
}
# Arguments the tools lack that a client may well send: refused like any other unknown one.
TOOL_NON_ARGUMENTS = ("routing-table", "routing-mark", PROBE_ARGUMENT)

# The item ``set`` writes to on menus without ``add``.
SET_TARGET = {"/interface": "ether1", "/interface/ethernet": "ether1", "/ip/service": "www",
              "/ip/firewall/connection": None}


@dataclass
class Figures:
    real: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    invented: list[str] = field(default_factory=list)
    values_real: int = 0
    values_missing: list[str] = field(default_factory=list)
    values_invented: list[str] = field(default_factory=list)
    commands_missing: list[str] = field(default_factory=list)
    commands_invented: list[str] = field(default_factory=list)
    lenient_commands: list[str] = field(default_factory=list)

    def judge_real(self, name: str, trap: str | None) -> None:
        """A real argument the lab was given: accepted, unknown to it (missing) or refused with its message."""
        self.real.append(name)
        if trap is None:
            self.accepted.append(name)
        elif unknown(trap, name):
            self.missing.append(name)
        else:
            self.refused[name] = trap


def node(tree: dict[str, Any], path: str) -> dict[str, Any]:
    current: Any = tree
    for word in path.strip("/").split("/"):
        current = current.get(word, {}) if isinstance(current, dict) else {}
    return current


def kinds(menu: dict[str, Any], kind: str) -> list[str]:
    return sorted(k for k, v in menu.items() if isinstance(v, dict) and v.get("_type") == kind)


class Session:
    """One fresh lab router behind a LabServer, reached with librouteros."""

    def __init__(self) -> None:
        self.server = LabServer(routers=[Router(identity="fidelity", version="7.19",
                                                interfaces=["ether%d" % i for i in range(1, 9)])],
                                api_port=0, users={"admin": "fidelity"}).start()
        self.api = librouteros.connect(host="127.0.0.1", port=self.server.api_port, username="admin",
                                       password="fidelity")
        self.counter = 100

    def close(self) -> None:
        self.api.close()
        self.server.stop()

    def run(self, command: str, attrs: dict[str, str]) -> tuple[str | None, list[dict[str, Any]]]:
        """(trap message or None, reply rows)."""
        words = ["=%s=%s" % (k, v) for k, v in attrs.items()]
        try:
            return None, list(self.api.rawCmd(command, *words))
        except TrapError as exc:
            return exc.message, []

    def base(self, path: str) -> dict[str, str]:
        self.counter += 1
        n = self.counter
        return {k: v.format(n=n % 250 + 2, m=n % 8 + 1) for k, v in BASE.get(path, {}).items()}


def sample(path: str, name: str, offered: list[str], booleans: bool) -> str:
    if (path, name) in PATH_SAMPLES:
        return PATH_SAMPLES[(path, name)]
    if name in SAMPLES:
        return SAMPLES[name]
    if booleans:
        return "yes"
    if offered:
        return offered[0]
    return "x"


def offered_values(argument: dict[str, Any]) -> list[str]:
    completion = argument.get("_completion", {}) if isinstance(argument, dict) else {}
    return [v for v, meta in completion.items() if meta.get("style") == "none" and v not in CRAWLED_OBJECTS]


def is_boolean(argument: dict[str, Any]) -> bool:
    completion = argument.get("_completion", {}) if isinstance(argument, dict) else {}
    return sorted(completion) == ["no", "yes"]


def write(session: Session, path: str, has_add: bool, target: str | None, attrs: dict[str, str]) -> str | None:
    """Add (then remove) or set; the trap message or None."""
    if has_add:
        trap, rows = session.run(path + "/add", dict(session.base(path), **attrs))
        if trap is None:
            ret = next((row.get("ret") for row in rows if "ret" in row), None)
            if ret:
                session.run(path + "/remove", {".id": ret})
        return trap
    ident = {} if target is None else {".id": target}
    return session.run(path + "/set", dict(ident, **attrs))[0]


def unknown(trap: str | None, name: str) -> bool:
    return trap is not None and trap == "unknown parameter %s" % name


def measure_menu(path: str, old: dict[str, Any], new: dict[str, Any], universe: set[str],
                 command_universe: set[str]) -> Figures:
    figures = Figures()
    menu, deep = node(old, path), node(new, path)
    commands = kinds(menu, "cmd")
    has_add = "add" in commands
    session = Session()
    try:
        singleton = "add" not in commands and "numbers" not in menu.get("set", {})
        target = None if singleton else SET_TARGET.get(path)
        if has_add:
            trap, rows = session.run(path + "/add", KEEP_BASE.get(path) or session.base(path))
            if trap is not None:
                raise SystemExit("%s: the base item is refused: %s" % (path, trap))
            keep = next(row["ret"] for row in rows if "ret" in row)
        elif path in PREPARE:
            trap, rows = session.run(*PREPARE[path])
            keep = next(row["ret"] for row in rows if "ret" in row)
        elif target is not None:
            # by id: the measured ``name`` argument renames the item
            dummy, rows = session.run(path + "/print", {})
            keep = next(row[".id"] for row in rows if row.get("name") == target)
        else:
            keep = None
        add_args = list(kinds(menu.get("add", {}), "arg"))
        set_args = [a for a in kinds(menu.get("set", {}), "arg") if a not in SELECTORS and a not in add_args]
        for name in add_args + set_args:
            via_add = name in add_args
            argument = deep.get("add" if via_add else "set", {}).get(name, {})
            value = sample(path, name, offered_values(argument), is_boolean(argument))
            if name in ("copy-from", "place-before"):
                value = keep
            figures.judge_real(name, write(session, path, via_add, keep if not via_add else None, {name: value}))
        printed: set[str] = set()
        trap, rows = session.run(path + "/print", {})
        for row in rows:
            printed.update(row)
        deep_args = set(kinds(deep.get("add", {}), "arg")) | set(kinds(deep.get("set", {}), "arg"))
        for name in sorted((universe | deep_args | printed) - set(add_args) - set(set_args) - {".id"} - set(SELECTORS)):
            if not (has_add or "set" in commands):
                break
            trap = write(session, path, has_add, keep, {name: "1"})
            if not unknown(trap, name):
                figures.invented.append(name)
        measure_values(session, path, menu, deep, has_add, keep, figures)
        for command in sorted(command_universe | set(commands)):
            trap, dummy = session.run("%s/%s" % (path, command), {})
            exists = trap not in ("no such command", "no such command prefix")
            if command in commands and not exists:
                figures.commands_missing.append(command)
            elif command not in commands and exists:
                figures.commands_invented.append(command)
            if command in commands and exists:
                trap, dummy = session.run("%s/%s" % (path, command), {PROBE_ARGUMENT: "1"})
                if not unknown(trap, PROBE_ARGUMENT):
                    figures.lenient_commands.append(command)
    finally:
        session.close()
    return figures


def measure_tool(path: str, old: dict[str, Any], universe: set[str]) -> Figures:
    """Every 7.19 argument of the tool taken (with ``address`` and ``count=1``), any other refused."""
    figures = Figures()
    session = Session()
    try:
        base = {"address": TOOL_SAMPLES["address"], "count": "1"}
        real = kinds(node(old, path), "arg")
        for name in real:
            trap, dummy = session.run(path, dict(base, **{name: TOOL_SAMPLES.get(name, "x")}))
            figures.judge_real(name, trap)
        for name in sorted((universe | set(TOOL_NON_ARGUMENTS)) - set(real)):
            trap, dummy = session.run(path, dict(base, **{name: "1"}))
            if not unknown(trap, name):
                figures.invented.append(name)
    finally:
        session.close()
    return figures


def closed_arguments(path: str, menu: dict[str, Any], deep: dict[str, Any]) -> dict[str, tuple[str, list[str]]]:
    """argument -> (command it is written with, offered values) for the menu's enumerated arguments."""
    out: dict[str, tuple[str, list[str]]] = {}
    for command in ("set", "add"):
        for name in kinds(menu.get(command, {}), "arg"):
            if name in SELECTORS:
                continue
            argument = deep.get(command, {}).get(name, {})
            values = offered_values(argument)
            if not values or name in OPEN_ARGUMENTS or name in out or is_boolean(argument):
                continue
            out[name] = (command, values)
    return out


def measure_values(session: Session, path: str, menu: dict[str, Any], deep: dict[str, Any], has_add: bool,
                   keep: str | None, figures: Figures) -> None:
    probes = set(EXTRA_PROBES)
    for name, (command, values) in closed_arguments(path, menu, deep).items():
        probes.update(values)
    for name, (command, values) in closed_arguments(path, menu, deep).items():
        via_add = command == "add"
        interface_like = "lo" in values or any(v.startswith("all-") for v in values)
        for value in values:
            figures.values_real += 1
            trap = write(session, path, via_add and has_add, keep, {name: value})
            if trap is not None:
                figures.values_missing.append("%s=%s (%s)" % (name, value, trap))
        if interface_like:
            continue
        for value in sorted(probes - set(values)):
            if any(v.startswith(value) for v in values):
                continue  # RouterOS completes a unique prefix
            trap = write(session, path, via_add and has_add, keep, {name: value})
            if trap is None:
                figures.values_invented.append("%s=%s" % (name, value))


def pct(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 100.0


def report(results: dict[str, Figures], written: Iterable[str], details: bool) -> bool:
    head = "%-34s %5s %5s %5s %5s %5s | %6s %5s %5s | %s" % ("path", "args", "ok", "miss", "bad", "inv",
                                                             "values", "miss", "inv", "commands")
    print(head)
    print("-" * len(head))
    total_real = total_ok = 0
    ok_goal = True
    for path, fig in results.items():
        total_real += len(fig.real)
        total_ok += len(fig.accepted)
        mark = "*" if path in written else " "
        commands = []
        if fig.commands_missing:
            commands.append("missing " + ",".join(fig.commands_missing))
        if fig.commands_invented:
            commands.append("invented " + ",".join(fig.commands_invented))
        if fig.lenient_commands:
            commands.append("take unknown args " + ",".join(fig.lenient_commands))
        print("%-34s %5d %5d %5d %5d %5d | %6d %5d %5d | %s" % (
            mark + path, len(fig.real), len(fig.accepted), len(fig.missing), len(fig.refused), len(fig.invented),
            fig.values_real, len(fig.values_missing), len(fig.values_invented), "; ".join(commands) or "ok"))
        if details:
            for label, items in (("missing", fig.missing), ("invented", fig.invented),
                                 ("values missing", fig.values_missing), ("values invented", fig.values_invented)):
                if items:
                    print("    %s: %s" % (label, ", ".join(items)))
            for name, trap in fig.refused.items():
                print("    sample refused: %s (%s)" % (name, trap))
        if path in written and len(fig.accepted) != len(fig.real):
            ok_goal = False
        if fig.invented or fig.values_invented or fig.commands_invented or fig.lenient_commands:
            ok_goal = False
    overall = pct(total_ok, total_real)
    written_real = sum(len(results[p].real) for p in written if p in results)
    written_ok = sum(len(results[p].accepted) for p in written if p in results)
    values_real = sum(f.values_real for f in results.values())
    values_ok = values_real - sum(len(f.values_missing) for f in results.values())
    print()
    print("arguments accepted: %d/%d (%.1f %%); menus the collection writes (*): %d/%d (%.1f %%)" % (
        total_ok, total_real, overall, written_ok, written_real, pct(written_ok, written_real)))
    print("invented: %d arguments, %d values, %d commands; commands taking unknown arguments: %d" % (
        sum(len(f.invented) for f in results.values()), sum(len(f.values_invented) for f in results.values()),
        sum(len(f.commands_invented) for f in results.values()), sum(len(f.lenient_commands) for f in results.values())))
    print("offered values accepted: %d/%d (%.1f %%); commands missing: %d" % (
        values_ok, values_real, pct(values_ok, values_real), sum(len(f.commands_missing) for f in results.values())))
    ok = ok_goal and overall >= OVERALL_GOAL
    print("goals (100 %% of written menus, 0 invented, >= %.0f %% overall): %s" % (OVERALL_GOAL, "met" if ok else "NOT met"))
    return ok


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", default=DEFAULT_REFERENCE, help="folder of inspect-7.19.json and deep-inspect-7.22.3.json")
    parser.add_argument("--details", action="store_true", help="list the missing, invented and refused names per path")
    parser.add_argument("--path", action="append", help="measure only this menu (repeatable)")
    args = parser.parse_args(argv)
    with open(os.path.join(args.reference, "inspect-7.19.json"), encoding="utf-8") as handle:
        old = json.load(handle)
    with open(os.path.join(args.reference, "deep-inspect-7.22.3.json"), encoding="utf-8") as handle:
        new = json.load(handle)
    modelled = args.path or Router(load_extensions=False).menus()
    universe: set[str] = set()
    command_universe: set[str] = set()
    for path in modelled:
        menu = node(old, path)
        command_universe.update(kinds(menu, "cmd"))
        for command in ("add", "set"):
            universe.update(kinds(menu.get(command, {}), "arg"))
    results = {path: measure_menu(path, old, new, universe, command_universe) for path in modelled}
    if not args.path:
        results.update((path, measure_tool(path, old, universe)) for path in TOOLS)
    return 0 if report(results, [p for p in PATHS if p in results], args.details) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
