"""Menu knowledge as data: one dict per RouterOS menu.

Field keys:
  kind      str | bool | int | enum | set | switch | duration | address | prefix | ifaddress |
            listaddress | ref | computed
  default   value RouterOS uses when the field was never written (``None``: no default)
  show      "always" (printed with its default) | "set" (printed only once written)
  choices   allowed values for enum/set
  ref       ("/menu/path", label) hard reference that must name an existing object
  range     (low, high) for int
  neg       accepts a leading ``!`` (firewall matchers)
  ro        read-only (computed at print; writing it is an unknown parameter)
  flag      computed boolean printed only when true

Menu keys:
  kind      list | singleton
  ordered   entries keep a user-controlled order (move, place-before)
  verbs     API verbs the menu accepts
  mandatory fields that add requires
  name      field usable as ``.id`` and as a reference target
  unique    tuple of fields that must be unique together, with the error text
  ids       "seq" (``*1``...) or "route" (``*80000001``...)
  derive    name of the function in ``model`` that computes read-only fields
  hooks     name of the add hook in ``model`` (auto names, timestamps)
"""

from __future__ import annotations

from typing import Any

LIST_VERBS = ("print", "add", "set", "remove", "unset", "enable", "disable", "getall")
ORDERED_VERBS = LIST_VERBS + ("move",)
SINGLETON_VERBS = ("print", "set", "getall")


def f(kind: str = "str", **kw: Any) -> dict[str, Any]:
    spec = {"kind": kind, "default": None, "show": "set"}
    spec.update(kw)
    return spec


def ro(default: Any = None) -> dict[str, Any]:
    return f("computed", ro=True, default=default, show="always")


def flag() -> dict[str, Any]:
    return f("computed", ro=True, flag=True)


BOOL_SET = f("bool")
COMMENT = f("str")
DISABLED_ALWAYS = f("bool", default="false", show="always")

FILTER_ACTIONS = ("accept", "add-dst-to-address-list", "add-src-to-address-list", "drop", "fasttrack-connection", "jump",
                  "log", "passthrough", "reject", "return", "tarpit")
MANGLE_ACTIONS = ("accept", "add-dst-to-address-list", "add-src-to-address-list", "change-dscp", "change-mss", "change-ttl",
                  "clear-df", "fasttrack-connection", "jump", "log", "mark-connection", "mark-packet", "mark-routing",
                  "passthrough", "return", "route", "set-priority", "sniff-pc", "sniff-tzsp", "strip-ipv4-options")
NAT_ACTIONS = ("accept", "add-dst-to-address-list", "add-src-to-address-list", "dst-nat", "endpoint-independent-nat", "jump",
               "log", "masquerade", "netmap", "passthrough", "redirect", "return", "same", "src-nat")
RAW_ACTIONS = ("accept", "add-dst-to-address-list", "add-src-to-address-list", "drop", "jump", "log", "notrack",
               "passthrough", "return")
# Mangle actions that carry a passthrough property (printed with its default).
PASSTHROUGH_ACTIONS = ("mark-connection", "mark-packet", "mark-routing", "change-dscp", "change-mss", "change-ttl",
                       "clear-df", "set-priority", "strip-ipv4-options", "sniff-pc", "sniff-tzsp", "route")
CONNECTION_STATES = ("established", "invalid", "new", "related", "untracked")
ADDRESS_TYPES = ("unicast", "local", "broadcast", "multicast", "blackhole", "prohibit", "unreachable")
NAT_STATES = ("srcnat", "dstnat")
PCC_INPUTS = ("both-addresses", "both-addresses-and-ports", "both-ports", "dst-address", "dst-address-and-port",
              "dst-port", "src-address", "src-address-and-port", "src-port")

IFACE_REF = ("/interface", "interface")
IFLIST_REF = ("/interface/list", "interface-list")
TABLE_REF = ("/routing/table", "routing-table")


def _matchers() -> dict[str, dict[str, Any]]:
    """Matchers shared by filter, nat, mangle and raw (printed only when set)."""
    return {
        "src-address": f("address", neg=True),
        "dst-address": f("address", neg=True),
        "src-address-list": f("str", neg=True),
        "dst-address-list": f("str", neg=True),
        "src-address-type": f("set", choices=ADDRESS_TYPES, neg=True),
        "dst-address-type": f("set", choices=ADDRESS_TYPES, neg=True),
        "protocol": f("str", neg=True),
        "src-port": f("str", neg=True),
        "dst-port": f("str", neg=True),
        "port": f("str", neg=True),
        "in-interface": f("ref", ref=IFACE_REF, neg=True),
        "out-interface": f("ref", ref=IFACE_REF, neg=True),
        "in-interface-list": f("ref", ref=IFLIST_REF, neg=True),
        "out-interface-list": f("ref", ref=IFLIST_REF, neg=True),
        "in-bridge-port": f("str", neg=True),
        "out-bridge-port": f("str", neg=True),
        "connection-state": f("set", choices=CONNECTION_STATES, neg=True),
        "connection-nat-state": f("set", choices=NAT_STATES, neg=True),
        "connection-mark": f("str", neg=True),
        "packet-mark": f("str", neg=True),
        "routing-mark": f("str", neg=True),
        "connection-type": f("str", neg=True),
        "connection-limit": f("str"),
        "connection-rate": f("str", neg=True),
        "connection-bytes": f("str", neg=True),
        "per-connection-classifier": f("str", neg=True),
        "nth": f("str"),
        "random": f("int", range=(1, 99)),
        "limit": f("str"),
        "dst-limit": f("str"),
        "packet-size": f("str", neg=True),
        "tcp-flags": f("str"),
        "tcp-mss": f("str", neg=True),
        "icmp-options": f("str", neg=True),
        "content": f("str", neg=True),
        "layer7-protocol": f("str", neg=True),
        "dscp": f("str", neg=True),
        "ttl": f("str"),
        "priority": f("str", neg=True),
        "ingress-priority": f("str", neg=True),
        "ipsec-policy": f("str"),
        "ipv4-options": f("str"),
        "fragment": f("bool"),
        "hotspot": f("str"),
        "p2p": f("str"),
        "psd": f("str"),
        "src-mac-address": f("str", neg=True),
        "time": f("str"),
        "tls-host": f("str"),
        "address-list": f("str"),
        "address-list-timeout": f("duration", specials=("none-dynamic", "none-static")),
        "jump-target": f("str"),
        "log": f("bool"),
        "log-prefix": f("str"),
        "comment": COMMENT,
        "disabled": f("bool"),
    }


def _firewall(actions: tuple[str, ...], extra: dict[str, dict[str, Any]], derive: str = "firewall") -> dict[str, Any]:
    fields: dict[str, dict[str, Any]] = {
        "chain": f("str"),
        "action": f("enum", choices=actions, default="accept", show="always"),
    }
    fields.update(extra)
    fields.update(_matchers())
    fields["bytes"] = ro("0")
    fields["packets"] = ro("0")
    fields["dynamic"] = ro("false")
    fields["invalid"] = ro("false")
    return {
        "kind": "list", "ordered": True, "verbs": ORDERED_VERBS + ("reset-counters", "reset-counters-all"),
        "fields": fields, "mandatory": ("chain",), "ids": "seq", "derive": derive, "firewall": True,
    }


MANGLE_EXTRA = {
    "new-connection-mark": f("str"),
    "new-packet-mark": f("str"),
    "new-routing-mark": f("ref", ref=("/routing/table", "new-routing-mark")),
    "new-mss": f("str"),
    "new-dscp": f("str"),
    "new-ttl": f("str"),
    "new-priority": f("str"),
    "route-dst": f("str"),
    "sniff-id": f("str"),
    "sniff-target": f("str"),
    "sniff-target-port": f("str"),
    "passthrough": f("bool", default="true"),
}
FILTER_EXTRA = {
    "reject-with": f("str"),
    "hw-offload": f("bool"),
}
NAT_EXTRA = {
    "to-addresses": f("str"),
    "to-ports": f("str"),
    "randomise-ports": f("bool"),
}

ETHERNET_FIELDS = {
    "name": f("str"), "default-name": ro(), "mtu": f("int", default="1500", show="always", range=(0, 65535)),
    "l2mtu": ro("1514"), "mac-address": ro(), "orig-mac-address": ro(),
    "arp": f("enum", default="enabled", show="always", choices=("disabled", "enabled", "local-proxy-arp", "proxy-arp", "reply-only")),
    "arp-timeout": f("str", default="auto", show="always"), "loop-protect": f("str", default="default", show="always"),
    "auto-negotiation": f("bool", default="true", show="always"), "speed": ro("1G-baseT-full"),
    "running": ro("true"), "slave": ro("false"), "comment": COMMENT, "disabled": DISABLED_ALWAYS,
}

MENUS: dict[str, dict[str, Any]] = {
    "/routing/table": {
        # user tables are numbered from *400 (seen on real routers: *400, *401, ...); main is *0
        "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq", "id_start": 0x400, "name": "name",
        "mandatory": ("name",), "unique": (("name",), "failure: item with this name already exists"),
        "fields": {
            "name": f("str"), "fib": f("switch"), "comment": COMMENT,
            "dynamic": ro("false"), "invalid": ro("false"), "disabled": DISABLED_ALWAYS,
        },
    },
    "/routing/rule": {
        "kind": "list", "ordered": True, "verbs": ORDERED_VERBS, "ids": "seq",
        "fields": {
            "src-address": f("address"), "dst-address": f("address"),
            "routing-mark": f("ref", ref=("/routing/table", "routing-mark")),
            "interface": f("ref", ref=IFACE_REF), "action": f("enum", choices=("lookup", "lookup-only-in-table", "drop", "unreachable")),
            "table": f("ref", ref=("/routing/table", "table")), "min-prefix": f("int", range=(0, 32)),
            "comment": COMMENT, "disabled": DISABLED_ALWAYS, "inactive": ro("false"),
        },
    },
    "/ip/route": {
        "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "route", "derive": "route", "hooks": "route",
        "fields": {
            "dst-address": f("prefix", default="0.0.0.0/0", show="always"),
            "gateway": f("str"),
            "immediate-gw": ro(),
            "check-gateway": f("enum", choices=("none", "arp", "ping", "bfd", "bfd-multihop")),
            "distance": f("int", default="1", show="always", range=(1, 255)),
            "scope": f("int", default="30", show="always", range=(0, 255)),
            "target-scope": f("int", default="10", show="always", range=(0, 255)),
            "routing-table": f("ref", ref=TABLE_REF, default="main", show="always"),
            "pref-src": f("address"),
            "blackhole": f("switch"),
            "vrf-interface": f("ref", ref=IFACE_REF),
            "suppress-hw-offload": f("bool"),
            "route-tag": f("int", range=(0, 4294967295)),
            "comment": COMMENT,
            "disabled": f("bool"),
            "local-address": ro(),
            "dynamic": ro("false"),
            "connect": flag(), "dhcp": flag(), "static": flag(), "ecmp": flag(),
            "active": flag(),
            "inactive": ro("false"),
        },
        # print shape of a disabled route
        "disabled_shape": (".id", "dst-address", "gateway", "disabled", "inactive", "static", "comment"),
    },
    "/ip/firewall/mangle": _firewall(MANGLE_ACTIONS, MANGLE_EXTRA),
    "/ip/firewall/filter": _firewall(FILTER_ACTIONS, FILTER_EXTRA),
    "/ip/firewall/nat": _firewall(NAT_ACTIONS, NAT_EXTRA),
    "/ip/firewall/raw": _firewall(RAW_ACTIONS, {}),
    "/ip/firewall/address-list": {
        "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq", "derive": "address_list", "hooks": "address_list",
        "mandatory": ("list", "address"), "unique": (("list", "address"), "failure: already have such entry"),
        "fields": {
            "list": f("str"), "address": f("listaddress"), "creation-time": ro(), "timeout": f("duration"),
            "dynamic": ro("false"), "comment": COMMENT, "disabled": DISABLED_ALWAYS,
        },
    },
    "/interface": {
        "kind": "list", "ordered": False, "verbs": ("print", "set", "enable", "disable", "getall"), "ids": "seq",
        "name": "name", "derive": "interface", "view": True,
        "fields": {
            "name": f("str"), "default-name": ro(), "type": ro(), "mtu": f("str", default="1500", show="always"),
            "actual-mtu": ro(), "l2mtu": ro(), "mac-address": ro(), "last-link-up-time": ro(), "link-downs": ro("0"),
            "running": ro("true"), "slave": ro("false"), "dynamic": ro("false"), "comment": COMMENT,
            "disabled": DISABLED_ALWAYS,
        },
    },
    "/interface/ethernet": {
        "kind": "list", "ordered": False, "verbs": ("print", "set", "enable", "disable", "getall", "reset-counters"),
        "ids": "seq", "name": "name", "derive": "ethernet", "fields": ETHERNET_FIELDS,
    },
    "/interface/vlan": {
        "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "iface", "name": "name", "derive": "vlan", "hooks": "vlan",
        "mandatory": ("interface", "vlan-id"),
        "unique": (("name",), "failure: already have interface with such name"),
        "fields": {
            "name": f("str"), "mtu": f("int", default="1500", show="always", range=(0, 65535)),
            "actual-mtu": ro("1500"), "l2mtu": ro(), "mac-address": ro(),
            "arp": f("enum", default="enabled", show="always", choices=("disabled", "enabled", "local-proxy-arp", "proxy-arp", "reply-only")),
            "arp-timeout": f("str", default="auto", show="always"), "loop-protect": f("str", default="default", show="always"),
            "vlan-id": f("int", range=(1, 4095)), "interface": f("ref", ref=IFACE_REF),
            "use-service-tag": f("bool", default="false", show="always"), "mvrp": f("bool", default="false", show="always"),
            "running": ro("true"), "comment": COMMENT, "disabled": DISABLED_ALWAYS,
        },
    },
    "/interface/list": {
        # user lists are numbered from *2000010 (seen on real routers: defconf WAN *2000010, LAN *2000011)
        "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq", "id_start": 0x2000010, "name": "name",
        "mandatory": ("name",), "unique": (("name",), "failure: item with this name already exists"),
        "fields": {
            "name": f("str"), "include": f("str", default="", show="always"), "exclude": f("str", default="", show="always"),
            "builtin": ro("false"), "dynamic": ro("false"), "comment": COMMENT,
        },
    },
    "/interface/list/member": {
        "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq",
        "mandatory": ("list", "interface"), "unique": (("list", "interface"), "failure: already have such entry"),
        "fields": {
            "list": f("ref", ref=("/interface/list", "list")), "interface": f("ref", ref=IFACE_REF),
            "dynamic": ro("false"), "comment": COMMENT, "disabled": DISABLED_ALWAYS,
        },
    },
    "/ip/address": {
        "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq", "derive": "ip_address",
        "mandatory": ("address", "interface"),
        "fields": {
            "address": f("ifaddress"), "network": f("str"), "interface": f("ref", ref=IFACE_REF),
            "actual-interface": ro(), "invalid": ro("false"), "dynamic": ro("false"), "comment": COMMENT,
            "disabled": DISABLED_ALWAYS,
        },
    },
    "/tool/netwatch": {
        "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq", "derive": "netwatch", "hooks": "netwatch",
        "mandatory": ("host",),
        "fields": {
            "name": f("str"), "host": f("str"), "type": f("enum", default="simple", show="always", choices=("simple", "icmp", "tcp-conn", "http-get", "dns")),
            "interval": f("duration", default="10s", show="always"), "timeout": f("duration", default="3s", show="always"),
            "up-script": f("str", default="", show="always"), "down-script": f("str", default="", show="always"),
            "test-script": f("str"), "status": ro("unknown"), "since": ro(), "comment": COMMENT, "disabled": DISABLED_ALWAYS,
        },
    },
    # The connection table: always empty, the lab forwards no traffic.
    "/ip/firewall/connection": {
        "kind": "list", "ordered": False, "verbs": ("print", "getall", "remove"), "ids": "seq",
        "fields": {k: ro() for k in ("protocol", "src-address", "dst-address", "reply-src-address", "reply-dst-address",
                                     "tcp-state", "timeout", "connection-mark", "connection-type", "orig-bytes",
                                     "repl-bytes", "orig-packets", "repl-packets", "assured", "seen-reply", "fasttrack",
                                     "hw-offload", "srcnat", "dstnat", "confirmed", "dying", "expected")},
    },
    "/ip/firewall/connection/tracking": {
        "kind": "singleton", "verbs": SINGLETON_VERBS,
        "fields": {
            "enabled": f("enum", default="auto", show="always", choices=("auto", "yes", "no")),
            "tcp-syn-sent-timeout": f("duration", default="5s", show="always"),
            "tcp-syn-received-timeout": f("duration", default="5s", show="always"),
            "tcp-established-timeout": f("duration", default="1d", show="always"),
            "tcp-fin-wait-timeout": f("duration", default="10s", show="always"),
            "tcp-close-wait-timeout": f("duration", default="10s", show="always"),
            "tcp-last-ack-timeout": f("duration", default="10s", show="always"),
            "tcp-time-wait-timeout": f("duration", default="10s", show="always"),
            "tcp-close-timeout": f("duration", default="10s", show="always"),
            "tcp-max-retrans-timeout": f("duration", default="5m", show="always"),
            "tcp-unacked-timeout": f("duration", default="5m", show="always"),
            "loose-tcp-tracking": f("bool", default="true", show="always"),
            "udp-timeout": f("duration", default="10s", show="always"),
            "udp-stream-timeout": f("duration", default="3m", show="always"),
            "icmp-timeout": f("duration", default="10s", show="always"),
            "generic-timeout": f("duration", default="10m", show="always"),
            "max-entries": ro("1048576"), "total-entries": ro("0"),
        },
    },
    "/ip/settings": {
        "kind": "singleton", "verbs": SINGLETON_VERBS,
        "fields": {
            "ip-forward": f("bool", default="true", show="always"),
            "send-redirects": f("bool", default="true", show="always"),
            "accept-source-route": f("bool", default="false", show="always"),
            "accept-redirects": f("bool", default="false", show="always"),
            "secure-redirects": f("bool", default="true", show="always"),
            "rp-filter": f("enum", default="no", show="always", choices=("loose", "no", "strict")),
            "tcp-syncookies": f("bool", default="false", show="always"),
            "max-neighbor-entries": ro("8192"),
            "arp-timeout": f("duration", default="30s", show="always"),
            "icmp-rate-limit": f("int", default="10", show="always", range=(0, 4294967295)),
            "icmp-rate-mask": f("str", default="0x1818", show="always"),
            "route-cache": f("bool", default="true", show="always"),
            "allow-fast-path": f("bool", default="true", show="always"),
            "ipv4-route-cache-size": ro("0"),
            "ipv4-fast-path-active": ro("true"),
            "ipv4-fast-path-packets": ro("0"),
            "ipv4-fast-path-bytes": ro("0"),
            "ipv4-fasttrack-active": ro("false"),
            "ipv4-fasttrack-packets": ro("0"),
            "ipv4-fasttrack-bytes": ro("0"),
            "tcp-timestamps": f("enum", default="random-offset", show="always", choices=("disabled", "enabled", "random-offset")),
        },
    },
    "/system/identity": {
        "kind": "singleton", "verbs": SINGLETON_VERBS,
        "fields": {"name": f("str", default="MikroTik", show="always")},
    },
    "/system/resource": {
        "kind": "singleton", "verbs": ("print", "getall"), "derive": "resource",
        "fields": {k: ro() for k in ("uptime", "version", "build-time", "factory-software", "free-memory", "total-memory",
                                     "cpu", "cpu-count", "cpu-frequency", "cpu-load", "free-hdd-space", "total-hdd-space",
                                     "write-sect-since-reboot", "write-sect-total", "architecture-name", "board-name",
                                     "platform")},
    },
    "/system/scheduler": {
        "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq", "name": "name", "hooks": "scheduler",
        "derive": "scheduler", "unique": (("name",), "failure: item with this name already exists"),
        "fields": {
            "name": f("str"), "start-date": f("str"), "start-time": f("str", default="startup", show="always"),
            "interval": f("duration", default="0s", show="always"), "on-event": f("str", default="", show="always"),
            "owner": ro("admin"),
            "policy": f("str", default="ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon", show="always"),
            "run-count": ro("0"), "next-run": ro(), "comment": COMMENT, "disabled": DISABLED_ALWAYS,
        },
    },
    "/system/script": {
        "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq", "name": "name", "hooks": "script",
        "derive": "script", "unique": (("name",), "failure: item with this name already exists"),
        "fields": {
            "name": f("str"), "owner": ro("admin"),
            "policy": f("str", default="ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon", show="always"),
            "dont-require-permissions": f("bool", default="false", show="always"),
            "last-started": ro(), "run-count": ro("0"), "source": f("str", default="", show="always"),
            "invalid": ro("false"), "comment": COMMENT,
        },
    },
    "/file": {
        "kind": "list", "ordered": False, "verbs": ("print", "add", "set", "remove", "getall"), "ids": "seq", "name": "name",
        "derive": "file", "hooks": "file", "mandatory": ("name",), "unique": (("name",), "failure: file already exists"),
        "fields": {
            "name": f("str"), "type": ro("file"), "size": ro("0"), "creation-time": ro(), "last-modified": ro(),
            "contents": f("str", default="", show="always"),
        },
    },
}

# Menu directories that exist on RouterOS but hold no modelled menu of their own
# ("no such command" rather than "no such command prefix" below them).
DIRECTORIES = ("/ip", "/ip/firewall", "/ip/firewall/connection", "/routing", "/system", "/tool", "/interface", "/")

# Builtin interface lists and their ids (unverified: isolated here; user lists start at *2000010).
BUILTIN_INTERFACE_LISTS = (("all", 0x2000000), ("none", 0x2000001), ("dynamic", 0x2000002), ("static", 0x2000003))

# FastTrack counter dummies (dynamic passthrough rules shown at the top of their chains).
FASTTRACK_DUMMY_COMMENT = "special dummy rule to show fasttrack counters"
FASTTRACK_DUMMIES = {
    "/ip/firewall/filter": (("forward", 0xFFFFFFFE),),
    "/ip/firewall/mangle": (("prerouting", 0xFFFFFFFE), ("forward", 0xFFFFFFFD), ("postrouting", 0xFFFFFFFC)),
    "/ip/firewall/raw": (("prerouting", 0xFFFFFFFE),),
}

ROUTE_ID_BASE = 0x80000000
CONNECTED_ID_BASE = 0x20180000
