# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Path schema: what the engine knows about each RouterOS menu, as data, and ``PathSpec``, its typed form.

Each entry of the table below declares, per path:

- ``key``: natural key fields, or ``None`` when entries are identified by the owner tag.
- ``singleton``: the menu has exactly one item and is written with ``set`` without ``.id``.
- ``ordered``: entry order matters; ``scope`` names the field whose value splits the table into
  independent order scopes (the firewall chain), ``None`` for one scope over the whole table.
- ``fields``: writable fields -> normalizer kind (see ``normalize.py``).
- ``defaults``: the value RouterOS uses when a field is absent (compared as equal to absence).
- ``readonly``: fields RouterOS prints but that are never written or compared.
- ``adopt_ignore``: fields that are not part of the identity used by ``adopt`` (action parameters
  and decorations); every other field present on either side must match.
- ``requires``: paths whose entries must exist before this path's entries are written.
- ``api_query``: API query words that limit a read to the rows the engine can use.
- ``no_reset``: fields whose absent value RouterOS fills in itself (``replaced`` leaves them).
- ``references``: hard references, field -> ``(path, key field)``: RouterOS refuses a write whose
  field names an object of that path that does not exist (a leading ``!`` negates the match and
  names the same object). The engine checks them before any write (``references.py``).
- ``builtin``: key values of rows RouterOS always has (table ``main``, the builtin interface
  lists); an ``export`` does not show them, so they count as existing whatever a read returned.

The declarations become frozen ``PathSpec`` objects when this module is imported; a declaration
that contradicts itself (a key, default or reference naming a field the path does not have, an
unknown kind or path) fails the import, so no run ever plans with an inconsistent schema.
"""

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Optional, Tuple

# Fields printed by many menus that are state, counters or flags, never configuration.
COMMON_READONLY = frozenset([
    ".id", ".nextid", ".about", "dynamic", "builtin", "invalid", "bytes", "packets", "running",
    "default", "creation-time", "static", "active", "inactive", "connect", "dhcp", "ecmp",
    "immediate-gw", "status", "since", "done-tests", "failed-tests", "owner", "next-run",
    "run-count", "last-started", "network", "actual-interface", "mac-address", "l2mtu",
    "slave", "local-address", "ospf", "bgp", "rip", "hw-offloaded", "contribution", "label",
    "total-entries", "max-entries", "ipv4-fast-path-active", "ipv4-fast-path-packets",
    "ipv4-fast-path-bytes", "ipv4-fasttrack-active", "ipv4-fasttrack-packets",
    "ipv4-fasttrack-bytes", "ipv4-multipath-hash-policy-active", "vrf-interface-active",
    "routing-mark-active", "suppress-hw-offload-active", "belongs-to", "afi", "nexthop-id",
    # Status a full print shows (an undo re-adds a removed entry from such a print).
    "loop-protect-status", "rtt-avg", "rtt-min", "rtt-max", "rtt-jitter", "rtt-stdev", "loss-count",
    "loss-percent", "sent-count", "response-count", "http-status-code", "tcp-connect-time",
])

# Kind of every firewall field the engine knows; which table takes which is below.
_FW_MATCHERS = {
    "chain": "str", "action": "str",
    "src-address": "prefix", "dst-address": "prefix", "src-address-list": "str",
    "dst-address-list": "str", "src-address-type": "set", "dst-address-type": "set",
    "protocol": "str", "src-port": "set", "dst-port": "set", "port": "set",
    "in-interface": "str", "out-interface": "str", "in-interface-list": "str",
    "out-interface-list": "str", "in-bridge-port": "str", "out-bridge-port": "str",
    "connection-state": "set", "connection-nat-state": "set", "connection-mark": "str",
    "packet-mark": "str", "routing-mark": "str", "connection-type": "str",
    "per-connection-classifier": "str", "nth": "str", "tcp-flags": "set", "icmp-options": "str",
    "layer7-protocol": "str", "content": "str", "limit": "str", "dst-limit": "str",
    "connection-limit": "str", "connection-rate": "str", "packet-size": "str", "ttl": "str",
    "dscp": "int", "priority": "str", "ipsec-policy": "str", "fragment": "bool",
    "hotspot": "set", "tcp-mss": "str", "random": "int", "src-mac-address": "str",
    "time": "str", "psd": "str", "ingress-priority": "str", "ipv4-options": "str",
    "connection-bytes": "str",
}

# Action parameters and decorations: part of a rule's configuration, not of its identity.
_FW_ACTION_PARAMS = {
    "comment": "str", "disabled": "bool", "log": "bool", "log-prefix": "str",
    "passthrough": "bool", "new-routing-mark": "str", "new-connection-mark": "str",
    "new-packet-mark": "str", "new-mss": "str", "new-dscp": "int", "new-ttl": "str",
    "new-priority": "str", "to-addresses": "str", "to-ports": "set", "jump-target": "str",
    "address-list": "str", "address-list-timeout": "duration", "hw-offload": "bool",
    "reject-with": "str", "route-dst": "str", "sniff-id": "str", "sniff-target": "str",
    "sniff-target-port": "str", "randomise-ports": "bool",
}

# The fields each table takes on RouterOS (its add/set arguments, tests/reference checks them):
# what every table has, then what only some have. Raw runs before connection tracking, so it
# has no connection matcher; nat has no connection-state or tcp-flags.
_FW_EVERY_TABLE = (
    "chain", "action", "src-address", "dst-address", "src-address-list", "dst-address-list",
    "src-address-type", "dst-address-type", "protocol", "src-port", "dst-port", "port",
    "in-interface", "out-interface", "in-interface-list", "out-interface-list", "in-bridge-port",
    "out-bridge-port", "packet-mark", "per-connection-classifier", "nth", "icmp-options",
    "content", "limit", "dst-limit", "packet-size", "ttl", "dscp", "priority", "ipsec-policy",
    "fragment", "hotspot", "tcp-mss", "random", "src-mac-address", "time", "psd",
    "ingress-priority", "ipv4-options",
    "comment", "disabled", "log", "log-prefix", "jump-target", "address-list", "address-list-timeout",
)
_FW_CONNECTION_MATCHERS = (
    "connection-mark", "connection-type", "connection-limit", "connection-rate", "connection-bytes",
    "routing-mark", "layer7-protocol",
)
_FW_TABLE_FIELDS = {
    "raw": ("tcp-flags",),
    "mangle": _FW_CONNECTION_MATCHERS + (
        "connection-state", "connection-nat-state", "tcp-flags", "passthrough", "new-routing-mark",
        "new-connection-mark", "new-packet-mark", "new-mss", "new-dscp", "new-ttl", "new-priority",
        "route-dst", "sniff-id", "sniff-target", "sniff-target-port"),
    # hw-offload (of the fasttrack-connection action) is gone from RouterOS 7.22: docs/engine.md.
    "filter": _FW_CONNECTION_MATCHERS + (
        "connection-state", "connection-nat-state", "tcp-flags", "hw-offload", "reject-with"),
    "nat": _FW_CONNECTION_MATCHERS + ("to-addresses", "to-ports", "randomise-ports"),
}


# Scripts and scheduler entries get every policy unless told otherwise.
ALL_POLICIES = "ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon"


# Interface lists named by firewall matchers must exist (``!`` negates, the list must still exist).
_IFLIST_REFERENCES = {
    "in-interface-list": ("/interface/list", "name"),
    "out-interface-list": ("/interface/list", "name"),
}
_TABLE = ("/routing/table", "name")


def _firewall(table: str, extra_defaults: Optional[Dict[str, str]] = None, requires: Optional[List[str]] = None,
              references: Optional[Dict[str, Tuple[str, str]]] = None) -> Dict[str, Any]:
    kinds = dict(_FW_MATCHERS)
    kinds.update(_FW_ACTION_PARAMS)
    fields = dict((name, kinds[name]) for name in _FW_EVERY_TABLE + _FW_TABLE_FIELDS[table])
    defaults = {"action": "accept", "disabled": "no", "log": "no", "log-prefix": ""}
    defaults.update(extra_defaults or {})
    refs = dict(_IFLIST_REFERENCES)
    refs.update(references or {})
    return {
        "key": None,
        "ordered": True,
        "scope": "chain",
        "fields": fields,
        "defaults": defaults,
        "required": ["chain"],
        "adopt_ignore": sorted(name for name in fields if name in _FW_ACTION_PARAMS),
        "requires": requires or [],
        "references": refs,
    }


_DECLARED: Dict[str, Dict[str, Any]] = {
    "/ip/settings": {
        "singleton": True,
        "fields": {
            "allow-fast-path": "bool", "rp-filter": "str", "ip-forward": "bool",
            "send-redirects": "bool", "accept-redirects": "bool", "accept-source-route": "bool",
            "secure-redirects": "bool", "tcp-syncookies": "bool", "arp-timeout": "duration",
            "icmp-rate-limit": "int", "icmp-rate-mask": "str", "max-neighbor-entries": "int",
            "tcp-timestamps": "str", "ipv4-multipath-hash-policy": "str",
        },
        "defaults": {
            "allow-fast-path": "yes", "rp-filter": "no", "ip-forward": "yes",
            "send-redirects": "yes", "accept-redirects": "no", "accept-source-route": "no",
            "secure-redirects": "yes", "tcp-syncookies": "no", "arp-timeout": "30s",
            "icmp-rate-limit": "10", "icmp-rate-mask": "0x1818",
        },
    },
    "/ip/firewall/connection/tracking": {
        "singleton": True,
        "fields": {
            "enabled": "str", "loose-tcp-tracking": "bool",
            "tcp-syn-sent-timeout": "duration", "tcp-syn-received-timeout": "duration",
            "tcp-established-timeout": "duration", "tcp-fin-wait-timeout": "duration",
            "tcp-close-wait-timeout": "duration", "tcp-last-ack-timeout": "duration",
            "tcp-time-wait-timeout": "duration", "tcp-close-timeout": "duration",
            "tcp-max-retrans-timeout": "duration", "tcp-unacked-timeout": "duration",
            "udp-timeout": "duration", "udp-stream-timeout": "duration",
            "icmp-timeout": "duration", "generic-timeout": "duration",
        },
        "defaults": {
            "enabled": "auto", "loose-tcp-tracking": "yes",
            "tcp-syn-sent-timeout": "5s", "tcp-syn-received-timeout": "5s",
            "tcp-established-timeout": "1d", "tcp-fin-wait-timeout": "10s",
            "tcp-close-wait-timeout": "10s", "tcp-last-ack-timeout": "10s",
            "tcp-time-wait-timeout": "10s", "tcp-close-timeout": "10s",
            "tcp-max-retrans-timeout": "5m", "tcp-unacked-timeout": "5m",
            "udp-timeout": "10s", "udp-stream-timeout": "3m", "icmp-timeout": "10s",
            "generic-timeout": "10m",
        },
    },
    "/interface/vlan": {
        "key": ["name"],
        "fields": {
            "name": "str", "vlan-id": "int", "interface": "str", "mtu": "int", "arp": "str",
            "arp-timeout": "str", "use-service-tag": "bool", "loop-protect": "str", "mvrp": "bool",
            "comment": "str", "disabled": "bool",
        },
        "defaults": {"mtu": "1500", "arp": "enabled", "arp-timeout": "auto", "disabled": "no",
                     "use-service-tag": "no", "loop-protect": "default", "mvrp": "no"},
        "required": ["name", "vlan-id", "interface"],
    },
    "/interface/list": {
        "key": ["name"],
        "fields": {"name": "str", "include": "set", "exclude": "set", "comment": "str"},
        "defaults": {"include": "", "exclude": ""},
        "required": ["name"],
        "builtin": ["all", "none", "dynamic", "static"],
    },
    "/interface/list/member": {
        "key": ["list", "interface"],
        "fields": {"list": "str", "interface": "str", "comment": "str", "disabled": "bool"},
        "defaults": {"disabled": "no"},
        "required": ["list", "interface"],
        "requires": ["/interface/list", "/interface/vlan"],
        "references": {"list": ("/interface/list", "name")},
    },
    "/ip/address": {
        "key": ["address", "interface"],
        "fields": {"address": "ifaddr", "interface": "str", "comment": "str", "disabled": "bool"},
        "defaults": {"disabled": "no"},
        "required": ["address", "interface"],
        "requires": ["/interface/vlan"],
    },
    "/routing/table": {
        "key": ["name"],
        "fields": {"name": "str", "fib": "switch", "comment": "str", "disabled": "bool"},
        "defaults": {"disabled": "no"},
        "required": ["name"],
        "builtin": ["main"],
    },
    "/routing/rule": {
        "key": None,
        "ordered": True,
        "scope": None,
        "fields": {
            "src-address": "prefix", "dst-address": "prefix", "routing-mark": "str",
            "interface": "str", "action": "str", "table": "str", "min-prefix": "int",
            "comment": "str", "disabled": "bool",
        },
        "defaults": {"action": "lookup", "disabled": "no"},
        "adopt_ignore": ["comment", "disabled", "min-prefix"],
        "requires": ["/routing/table", "/interface/vlan"],
        "references": {"table": _TABLE, "routing-mark": _TABLE},
    },
    "/ip/route": {
        "key": None,
        "fields": {
            "dst-address": "prefix", "gateway": "set", "routing-table": "str", "distance": "int",
            "scope": "int", "target-scope": "int", "check-gateway": "str", "pref-src": "str",
            "blackhole": "switch", "vrf-interface": "str", "suppress-hw-offload": "bool",
            "comment": "str", "disabled": "bool",
        },
        "defaults": {
            "dst-address": "0.0.0.0/0", "routing-table": "main", "distance": "1", "scope": "30",
            "target-scope": "10", "suppress-hw-offload": "no", "disabled": "no",
        },
        "adopt_ignore": ["comment", "disabled", "distance", "scope", "target-scope", "check-gateway",
                         "pref-src", "suppress-hw-offload"],
        # A core router may carry a full BGP table: read only static and connected routes.
        "api_query": ["?=static=yes", "?=connect=yes", "?#|"],
        "requires": ["/routing/table", "/ip/address", "/interface/vlan"],
        "references": {"routing-table": _TABLE},
    },
    # The default routes of a WAN whose gateway comes from DHCP: ``default-route-tables`` is
    # ``table[:distance],...`` (the tables must exist: written after them).
    "/ip/dhcp-client": {
        "key": ["interface"],
        "fields": {
            "interface": "str", "add-default-route": "str", "default-route-distance": "int",
            "default-route-tables": "str", "check-gateway": "str", "comment": "str", "disabled": "bool",
        },
        "defaults": {"add-default-route": "yes", "default-route-distance": "1", "disabled": "no"},
        "required": ["interface"],
        "requires": ["/routing/table", "/interface/vlan"],
    },
    # Read only (``gathered``), never written: a PPPoE WAN's client comes from the ISP setup. The
    # password is not a field, so it is never read.
    "/interface/pppoe-client": {
        "key": ["name"],
        "fields": {"name": "str", "interface": "str", "comment": "str", "disabled": "bool"},
        "defaults": {"disabled": "no"},
        "required": ["name", "interface"],
    },
    "/ip/firewall/address-list": {
        "key": ["list", "address"],
        "fields": {"list": "str", "address": "prefix", "comment": "str", "disabled": "bool"},
        "defaults": {"disabled": "no"},
        "required": ["list", "address"],
        # Lists filled by firewall rules (entries with a timeout) can be huge; they are dynamic.
        "api_query": ["?=dynamic=no"],
    },
    "/ip/firewall/raw": _firewall("raw", requires=["/interface/list", "/ip/firewall/address-list"]),
    "/ip/firewall/mangle": _firewall(
        "mangle", {"passthrough": "yes", "address-list-timeout": "none-dynamic"},
        requires=["/routing/table", "/interface/list", "/ip/firewall/address-list"],
        references={"new-routing-mark": _TABLE}),
    "/ip/firewall/filter": _firewall(
        "filter", {"address-list-timeout": "none-dynamic"},
        requires=["/interface/list", "/ip/firewall/address-list"]),
    "/ip/firewall/nat": _firewall(
        "nat", {"address-list-timeout": "none-dynamic"},
        requires=["/interface/list", "/ip/firewall/address-list"]),
    "/system/script": {
        "key": ["name"],
        "fields": {
            "name": "str", "source": "text", "policy": "set", "dont-require-permissions": "bool",
            "comment": "str",
        },
        "defaults": {"dont-require-permissions": "no", "policy": ALL_POLICIES},
        "required": ["name"],
    },
    "/system/scheduler": {
        "key": ["name"],
        "fields": {
            "name": "str", "on-event": "text", "start-date": "str", "start-time": "str",
            "interval": "duration", "policy": "set", "comment": "str", "disabled": "bool",
        },
        "defaults": {"interval": "0s", "disabled": "no", "policy": ALL_POLICIES},
        # RouterOS stamps the time of the add when none is given: not reset by replaced/overridden.
        "no_reset": ["start-date", "start-time"],
        "required": ["name"],
        "requires": ["/system/script"],
    },
    "/tool/netwatch": {
        "key": ["host"],
        "fields": {
            "host": "str", "type": "str", "interval": "duration", "timeout": "duration",
            "up-script": "text", "down-script": "text", "test-script": "text", "name": "str",
            "comment": "str", "disabled": "bool", "src-address": "str",
        },
        "defaults": {"type": "simple", "interval": "10s", "timeout": "3s", "disabled": "no"},
        "required": ["host"],
        "requires": ["/system/script"],
    },
}

# Meta keys an entry may carry besides RouterOS fields.
META_KEYS = frozenset(["_key", "_rank", "_gateway"])

# How a firewall chain gets its block when it has no collection entry yet.
PLACEMENT_BEFORE_FOREIGN = "before-foreign"
PLACEMENT_APPEND = "append"

# The normalizer kinds of normalize.py.
KINDS = frozenset(["str", "bool", "int", "duration", "prefix", "ifaddr", "set", "switch", "text"])


class UnknownPathError(ValueError):
    pass


class SchemaError(ValueError):
    """A path declaration contradicts itself or names what does not exist."""


@dataclass(frozen=True, eq=False)
class PathSpec:
    """Everything the engine knows about one path, with every attribute filled in; checked when built.

    One object per path (``PATHS``), compared by identity.
    """

    path: str
    fields: Mapping[str, str]
    key: Optional[Tuple[str, ...]] = None
    singleton: bool = False
    ordered: bool = False
    scope: Optional[str] = None
    defaults: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    required: Tuple[str, ...] = ()
    adopt_ignore: FrozenSet[str] = frozenset()
    requires: Tuple[str, ...] = ()
    api_query: Tuple[str, ...] = ()
    no_reset: Tuple[str, ...] = ()
    references: Mapping[str, Tuple[str, str]] = field(default_factory=lambda: MappingProxyType({}))
    builtin: Tuple[str, ...] = ()
    readonly: FrozenSet[str] = frozenset()

    def __post_init__(self) -> None:
        problems = self._problems()
        if problems:
            raise SchemaError("schema of %s: %s" % (self.path, "; ".join(problems)))

    def _problems(self) -> List[str]:
        problems = ["field %r has unknown kind %r" % (f, k) for f, k in sorted(self.fields.items()) if k not in KINDS]
        named = [("key", self.key or ()), ("default", self.defaults), ("required field", self.required),
                 ("adopt_ignore field", self.adopt_ignore), ("no_reset field", self.no_reset),
                 ("reference", self.references), ("scope", [self.scope] if self.scope else [])]
        for what, names in named:
            problems.extend("%s %r is not a field" % (what, name) for name in sorted(names) if name not in self.fields)
        if self.singleton and (self.key or self.ordered):
            problems.append("a singleton has no key and no order")
        if self.ordered and self.key:
            problems.append("an ordered path is identified by the owner tag, not by a natural key")
        if self.scope and not self.ordered:
            problems.append("an order scope needs an ordered path")
        if self.builtin and not self.key:
            problems.append("builtin rows are named by a natural key")
        return problems

    @classmethod
    def declared(cls, path: str, raw: Mapping[str, Any]) -> "PathSpec":
        """The spec of one declaration of the table above."""
        fields = dict(raw["fields"])
        key = raw.get("key")
        return cls(
            path=path,
            fields=MappingProxyType(fields),
            key=tuple(key) if key else None,
            singleton=bool(raw.get("singleton", False)),
            ordered=bool(raw.get("ordered", False)),
            scope=raw.get("scope"),
            defaults=MappingProxyType(dict(raw.get("defaults", {}))),
            required=tuple(raw.get("required", ())),
            # By default a rule's decorations are no part of what ``adopt`` matches on.
            adopt_ignore=frozenset(raw.get("adopt_ignore", [f for f in ("comment", "disabled") if f in fields])),
            requires=tuple(raw.get("requires", ())),
            api_query=tuple(raw.get("api_query", ())),
            no_reset=tuple(raw.get("no_reset", ())),
            references=MappingProxyType(dict((f, tuple(t)) for f, t in raw.get("references", {}).items())),
            builtin=tuple(raw.get("builtin", ())),
            readonly=COMMON_READONLY - frozenset(fields),
        )

    @property
    def cli_path(self) -> str:
        return cli_path(self.path)


def _build_table(declared: Mapping[str, Mapping[str, Any]]) -> Mapping[str, PathSpec]:
    """Every declaration as a PathSpec; the paths they require and reference must be declared too."""
    specs = dict((path, PathSpec.declared(path, raw)) for path, raw in declared.items())
    problems = []
    for spec in specs.values():
        problems.extend("%s requires unknown path %s" % (spec.path, dep) for dep in spec.requires if dep not in specs)
        for name, (target, key_field) in sorted(spec.references.items()):
            if target not in specs or key_field not in specs[target].fields:
                problems.append("%s: reference %s names %s %s, which is not a declared field" % (spec.path, name, target, key_field))
    if problems:
        raise SchemaError("; ".join(problems))
    return MappingProxyType(specs)


# Every path the engine writes, in declaration order (which breaks ties of the dependency order).
PATHS: Mapping[str, PathSpec] = _build_table(_DECLARED)
_DECLARATION_ORDER = dict((path, index) for index, path in enumerate(PATHS))


def get(path: str) -> PathSpec:
    """The spec of ``path``; UnknownPathError names the known paths."""
    try:
        return PATHS[path]
    except KeyError:
        raise UnknownPathError("unknown path %r; known paths: %s" % (path, ", ".join(sorted(PATHS)))) from None


def is_known(path: str) -> bool:
    return path in PATHS


def cli_path(path: str) -> str:
    """``/ip/firewall/mangle`` -> ``/ip firewall mangle``."""
    return "/" + " ".join(p for p in path.split("/") if p)


def api_path(cli: str) -> str:
    """``/ip firewall mangle`` -> ``/ip/firewall/mangle``."""
    return "/" + "/".join(p for p in cli.replace("/", " ").split() if p)


def dependency_order(paths: Iterable[str]) -> List[str]:
    """Return ``paths`` sorted so every path comes after the paths it requires (stable)."""
    names = sorted(set(paths), key=_stable_rank)
    done: List[str] = []
    seen = set()

    def visit(p: str, stack: Tuple[str, ...]) -> None:
        if p in seen or p in stack:
            return
        requires = PATHS[p].requires if p in PATHS else ()
        for dep in sorted(requires, key=_stable_rank):
            if dep in names:
                visit(dep, stack + (p,))
        seen.add(p)
        done.append(p)

    for name in names:
        visit(name, ())
    return done


def _stable_rank(path: str) -> Tuple[int, str]:
    return (_DECLARATION_ORDER.get(path, len(_DECLARATION_ORDER)), path)


def is_invisible(row: Mapping[str, Any]) -> bool:
    """Dynamic and builtin rows are never planned on."""
    for flag in ("dynamic", "builtin"):
        value = row.get(flag)
        if value is not None and str(value).lower() in ("true", "yes"):
            return True
    return False
