"""Menu knowledge as data: one dict per RouterOS menu.

Field keys:
  kind      str | bool | int | enum | set | switch | duration | address | prefix | ifaddress |
            listaddress | ref | routetables | computed
  default   value RouterOS uses when the field was never written (``None``: no default)
  show      "always" (printed with its default) | "set" (printed only once written)
  choices   allowed values for enum/set
  ref       ("/menu/path", label) hard reference that must name an existing object (the error names the field)
  range     (low, high) for int
  neg       accepts a leading ``!`` (firewall matchers)
  ro        read-only (computed at print; writing it is an unknown parameter)
  flag      computed boolean printed only when true
  absent    value a query (API ``?=name=v``, console ``find where``) sees while the field was never
            written; print and export still leave it out (``disabled``/``log`` on firewall rules and routes)
  clear     ``!name`` (API ``=!name=``, console ``set ... !name``) and ``unset value-name=name`` may
            remove the value; other fields answer ``UNSET_REFUSED``
  stored    a RouterOS property the lab stores and prints without modelling its effect (``STORED_ONLY``)
  specials  values a ref or duration field takes besides references and durations

Menu keys:
  kind      list | singleton
  ordered   entries keep a user-controlled order (move, place-before)
  verbs     API verbs the menu accepts (set at import from the RouterOS tree, see ``_reconcile``)
  mandatory fields that add requires
  name      field usable as ``.id`` and as a reference target
  unique    tuple of fields that must be unique together, with the error text
  ids       "seq" (``*1``...) or "route" (``*80000001``...)
  derive    name of the function in ``model`` that computes read-only fields
  hooks     name of the add hook in ``model`` (auto names, timestamps)
  since     {verb: version}: verbs that exist only from that RouterOS version
  builtin_set "unchanged": a ``set`` on a builtin entry that changes nothing succeeds (otherwise any
            ``set`` on a builtin is ``failure: cannot change builtin``)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

LIST_VERBS = ("print", "add", "set", "remove", "unset", "enable", "disable", "getall")
ORDERED_VERBS = LIST_VERBS + ("move",)
SINGLETON_VERBS = ("print", "set", "getall")


def f(kind: str = "str", **kw: Any) -> dict[str, Any]:
    spec = {"kind": kind, "default": None, "show": "set", "clear": False}
    spec.update(kw)
    return spec


def ro(default: Any = None) -> dict[str, Any]:
    return f("computed", ro=True, default=default, show="always")


def flag() -> dict[str, Any]:
    return f("computed", ro=True, flag=True)


def c(kind: str = "str", **kw: Any) -> dict[str, Any]:
    """A field RouterOS can unset (``!name``)."""
    return f(kind, clear=True, **kw)


# Answer to ``unset value-name=X`` (and ``set =!X=``) for a property RouterOS cannot unset. First-hand
# for ``unset`` of a firewall rule's ``disabled``/``log`` on 7.23 (REST ``/unset``, same parser); the
# answer to the API's ``=!X=`` word is not verified (the console says ``syntax error``).
UNSET_REFUSED = "input does not match any value of value-name"

# Files bigger than this print without ``contents`` ("It is possible to retrieve content and edit files
# up to 60KB in size", Files manual); ``/file/read`` (7.13+) reads them. The exact boundary is unverified.
FILE_CONTENTS_LIMIT = 60 * 1024

# Unverified texts, isolated here: a second identical /ip address on one interface, and an interface
# name already used by another interface (ethernet and vlan names share one namespace).
ADDRESS_EXISTS = "failure: already have such address"
INTERFACE_NAME_EXISTS = "failure: already have interface with such name"
# A second DHCP client on one interface (unverified text).
DHCP_CLIENT_EXISTS = "failure: dhcp-client already exists on this interface"

BOOL_SET = f("bool")
COMMENT = c("str")
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
ADDRESS_TYPES = ("unicast", "local", "broadcast", "multicast", "blackhole")
NAT_STATES = ("srcnat", "dstnat")
PCC_INPUTS = ("both-addresses", "both-addresses-and-ports", "both-ports", "dst-address", "dst-address-and-port",
              "dst-port", "src-address", "src-address-and-port", "src-port")

# /certificate add key-size (7.22.3 completion: RSA bits or an EC curve)
CERT_KEY_SIZES = ("1024", "1536", "2048", "4096", "8192", "prime256v1", "secp384r1", "secp521r1")

IFACE_REF = ("/interface", "interface")
IFLIST_REF = ("/interface/list", "interface-list")
TABLE_REF = ("/routing/table", "routing-table")


def _matchers() -> dict[str, dict[str, Any]]:
    """Matchers of filter, nat, mangle and raw (printed only when set; ``disabled``/``log`` read as
    ``false`` in queries until written). Each menu keeps those its RouterOS tree has (``_derive``): raw
    has no connection-tracking matchers, nat no ``connection-state``, ``tcp-flags``, ``p2p``..."""
    return {
        "src-address": c("address", neg=True),
        "dst-address": c("address", neg=True),
        "src-address-list": c("str", neg=True),
        "dst-address-list": c("str", neg=True),
        "src-address-type": c("set", choices=ADDRESS_TYPES, neg=True),
        "dst-address-type": c("set", choices=ADDRESS_TYPES, neg=True),
        "protocol": c("protocol", neg=True),
        "src-port": c("str", neg=True),
        "dst-port": c("str", neg=True),
        "port": c("str", neg=True),
        "in-interface": c("ref", ref=IFACE_REF, neg=True),
        "out-interface": c("ref", ref=IFACE_REF, neg=True),
        "in-interface-list": c("ref", ref=IFLIST_REF, neg=True),
        "out-interface-list": c("ref", ref=IFLIST_REF, neg=True),
        "in-bridge-port": c("str", neg=True),
        "out-bridge-port": c("str", neg=True),
        "connection-state": c("set", choices=CONNECTION_STATES, neg=True),
        "connection-nat-state": c("set", choices=NAT_STATES, neg=True),
        "connection-mark": c("str", neg=True),
        "packet-mark": c("str", neg=True),
        "routing-mark": c("str", neg=True),
        "connection-type": c("str", neg=True),
        "connection-limit": c("str"),
        "connection-rate": c("str", neg=True),
        "connection-bytes": c("str", neg=True),
        "per-connection-classifier": c("str", neg=True),
        "nth": c("str"),
        "random": c("int", range=(1, 99)),
        "limit": c("str"),
        "dst-limit": c("str"),
        "packet-size": c("str", neg=True),
        # each flag may be negated: ``tcp-flags=syn,!ack``
        "tcp-flags": c("set", neg_items=True),
        "tcp-mss": c("str", neg=True),
        "icmp-options": c("str", neg=True),
        "content": c("str", neg=True),
        "layer7-protocol": c("str", neg=True),
        "dscp": c("str", neg=True),
        "ttl": c("str"),
        "priority": c("str", neg=True),
        "ingress-priority": c("str", neg=True),
        "ipsec-policy": c("str"),
        "ipv4-options": c("str"),
        "fragment": c("bool"),
        "hotspot": c("str"),
        "p2p": c("str"),
        "psd": c("str"),
        "src-mac-address": c("str", neg=True),
        "time": c("str"),
        "tls-host": c("str"),
        "address-list": c("str"),
        "address-list-timeout": c("duration", specials=("none-dynamic", "none-static")),
        "jump-target": c("str"),
        "log": f("bool", absent="false"),
        "log-prefix": f("str"),
        "comment": COMMENT,
        "disabled": f("bool", absent="false"),
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
    "new-connection-mark": c("str"),
    "new-packet-mark": c("str"),
    "new-routing-mark": c("ref", ref=("/routing/table", "new-routing-mark")),
    "new-mss": c("str"),
    "new-dscp": c("str"),
    "new-ttl": c("str"),
    "new-priority": c("str"),
    "route-dst": c("str"),
    "sniff-id": c("str"),
    "sniff-target": c("str"),
    "sniff-target-port": c("str"),
    "passthrough": f("bool", default="true"),
}
FILTER_EXTRA = {
    "reject-with": c("str"),
    "hw-offload": c("bool"),
}
NAT_EXTRA = {
    "to-addresses": c("str"),
    "to-ports": c("str"),
    "randomise-ports": c("bool"),
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
            "name": f("str"), "fib": c("switch"), "comment": COMMENT,
            "dynamic": ro("false"), "invalid": ro("false"), "disabled": DISABLED_ALWAYS,
        },
    },
    "/routing/rule": {
        "kind": "list", "ordered": True, "verbs": ORDERED_VERBS, "ids": "seq",
        "fields": {
            "src-address": c("address"), "dst-address": c("address"),
            "routing-mark": c("ref", ref=("/routing/table", "routing-mark")),
            "interface": c("ref", ref=IFACE_REF), "action": c("enum", choices=("lookup", "lookup-only-in-table", "drop", "unreachable")),
            "table": c("ref", ref=("/routing/table", "table")), "min-prefix": c("int", range=(0, 32)),
            "comment": COMMENT, "disabled": DISABLED_ALWAYS, "inactive": ro("false"),
        },
    },
    "/ip/route": {
        "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "route", "derive": "route", "hooks": "route",
        "fields": {
            "dst-address": f("prefix", default="0.0.0.0/0", show="always"),
            "gateway": f("str"),
            "immediate-gw": ro(),
            "check-gateway": c("enum", choices=("none", "arp", "ping")),
            "distance": f("int", default="1", show="always", range=(1, 255)),
            "scope": f("int", default="30", show="always", range=(0, 255)),
            "target-scope": f("int", default="10", show="always", range=(0, 255)),
            "routing-table": f("ref", ref=TABLE_REF, default="main", show="always"),
            "pref-src": f("address"),
            "blackhole": c("switch"),
            "vrf-interface": c("ref", ref=IFACE_REF),
            "suppress-hw-offload": f("bool"),
            "comment": COMMENT,
            "disabled": f("bool", absent="false"),
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
            "list": f("str"), "address": f("listaddress"), "creation-time": ro(), "timeout": c("duration"),
            # writable on add: a dynamic entry is neither saved nor exported
            "dynamic": f("bool", default="false", show="always"), "comment": COMMENT, "disabled": DISABLED_ALWAYS,
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
        "unique": (("name",), INTERFACE_NAME_EXISTS),
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
        "builtin_set": "unchanged",
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
        "mandatory": ("address", "interface"), "unique": (("address", "interface"), ADDRESS_EXISTS),
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
            "test-script": f("str"), "src-address": f("address"), "start-delay": f("duration"),
            "startup-delay": f("duration"), "status": ro("unknown"), "since": ro(), "comment": COMMENT, "disabled": DISABLED_ALWAYS,
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
            "allow-fast-path": f("bool", default="true", show="always"),
            "ipv4-route-cache-size": ro("0"),
            "ipv4-fast-path-active": ro("true"),
            "ipv4-fast-path-packets": ro("0"),
            "ipv4-fast-path-bytes": ro("0"),
            "ipv4-fasttrack-active": ro("false"),
            "ipv4-fasttrack-packets": ro("0"),
            "ipv4-fasttrack-bytes": ro("0"),
            "tcp-timestamps": f("enum", default="random-offset", show="always", choices=("disabled", "enabled", "random-offset")),
            "ipv4-multipath-hash-policy": f("enum", default="l3", show="always", choices=("l3", "l3-inner", "l4")),
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
            "name": f("str"), "start-date": f("str"), "start-time": f("str"),
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
            "name": f("str"), "owner": f("str", default="admin", show="always"),
            "policy": f("str", default="ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon", show="always"),
            "dont-require-permissions": f("bool", default="false", show="always"),
            "last-started": ro(), "run-count": ro("0"), "source": f("str", default="", show="always"),
            "invalid": ro("false"), "comment": COMMENT,
        },
    },
    "/file": {
        "kind": "list", "ordered": False, "verbs": ("print", "add", "set", "remove", "getall"), "ids": "seq", "name": "name",
        "derive": "file", "hooks": "file", "mandatory": ("name",), "unique": (("name",), "failure: file already exists"),
        "since": {"add": "7.9"},
        "fields": {
            "name": f("str"), "type": ro("file"), "size": ro("0"), "creation-time": ro(), "last-modified": ro(),
            "contents": f("str", default="", show="always"),
        },
    },
    # Certificates: add writes the request, ``sign`` (certs.py) makes the key and the certificate and fills
    # the read-only fields (fingerprint: SHA-256 of the DER certificate, as RouterOS prints it).
    "/certificate": {
        "kind": "list", "ordered": False, "verbs": ("print", "add", "set", "remove", "getall"), "ids": "seq",
        "name": "name", "mandatory": ("name",), "unique": (("name",), "failure: item with this name already exists"),
        "fields": {
            "name": f("str"), "common-name": f("str"), "subject-alt-name": f("str"),
            "key-size": f("enum", default="2048", show="always", choices=CERT_KEY_SIZES),
            "days-valid": f("int", default="365", show="always", range=(1, 36500)),
            "digest-algorithm": f("enum", default="sha256", show="always", choices=("md5", "sha1", "sha256", "sha384", "sha512")),
            "key-usage": f("str"), "country": f("str"), "state": f("str"), "locality": f("str"),
            "organization": f("str"), "unit": f("str"), "trusted": f("bool", default="false", show="always"),
            "fingerprint": ro(), "private-key": ro("false"), "serial-number": ro(), "issuer": ro(),
            "invalid-before": ro(), "invalid-after": ro(), "ca": ro(),
        },
    },
    # The services, by name (the set arguments of 7.19's inspect tree); the lab's listeners keep their
    # ports, api-ssl serves the certificate named here once one is set (certs.py).
    "/ip/service": {
        "kind": "list", "ordered": False, "verbs": ("print", "set", "enable", "disable", "getall"), "ids": "seq",
        "name": "name",
        "fields": {
            "name": ro(), "port": f("int", range=(1, 65535), show="always"), "address": f("str", default="", show="always"),
            "certificate": f("ref", ref=("/certificate", "certificate"), default="none", show="always", specials=("none",)),
            "tls-version": f("enum", choices=("any", "only-1.2"), default="any", show="always"),
            "max-sessions": f("int", default="20", show="always", range=(1, 1000)),
            "vrf": f("str", default="main", show="always"), "invalid": ro("false"), "disabled": DISABLED_ALWAYS,
        },
    },
    # DHCP clients (uplinks): the lease comes from the control port (``set_dhcp_lease``); with
    # ``add-default-route`` the lab installs the dynamic default routes RouterOS does (``model._dhcp_routes``).
    "/ip/dhcp-client": {
        "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq", "derive": "dhcp_client",
        "mandatory": ("interface",), "unique": (("interface",), DHCP_CLIENT_EXISTS),
        "fields": {
            "interface": f("ref", ref=IFACE_REF),
            "add-default-route": f("enum", choices=("no", "special-classless", "yes"), default="yes", show="always"),
            "default-route-distance": f("int", default="1", show="always", range=(0, 255)),
            # ``table[:distance],...`` (``default``: main); each table must exist
            "default-route-tables": c("routetables"),
            # checks the gateway of the routes the client installs (``set_reachable``)
            "check-gateway": c("enum", choices=("arp", "bfd", "none", "ping")),
            "use-peer-dns": f("bool", default="true", show="always"),
            "use-peer-ntp": f("bool", default="true", show="always"),
            "dhcp-options": f("str", default="hostname,clientid", show="always"),
            "status": ro("searching..."), "address": ro(), "gateway": ro(), "dhcp-server": ro(),
            "expires-after": ro(), "invalid": ro("false"), "dynamic": ro("false"), "comment": COMMENT,
            "disabled": DISABLED_ALWAYS,
        },
    },
    # PPPoE clients: interfaces of type pppoe-out (one namespace with ethernet and VLAN names); the
    # session is up when the control port says so (``set_pppoe_session``). ``password`` is printed, and
    # exported only with ``show-sensitive``.
    "/interface/pppoe-client": {
        "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "iface", "name": "name", "derive": "pppoe_client",
        "hooks": "pppoe_client", "mandatory": ("interface",), "unique": (("name",), INTERFACE_NAME_EXISTS),
        "fields": {
            "name": f("str"), "interface": f("ref", ref=IFACE_REF), "user": f("str", default="", show="always"),
            "password": f("str", default="", show="always"),
            "add-default-route": f("bool", default="false", show="always"),
            "default-route-distance": f("int", default="1", show="always", range=(0, 255)),
            "use-peer-dns": f("bool", default="false", show="always"),
            "dial-on-demand": f("bool", default="false", show="always"),
            "profile": f("str", default="default", show="always"),
            "max-mtu": f("str", default="auto", show="always"), "max-mru": f("str", default="auto", show="always"),
            "mrru": f("str", default="disabled", show="always"),
            "allow": f("set", default="pap,chap,mschap1,mschap2", show="always"),
            "keepalive-timeout": f("duration", default="10", show="always", specials=("disabled",)),
            "service-name": f("str", default="", show="always"), "ac-name": f("str", default="", show="always"),
            "running": ro("false"), "invalid": ro("false"), "comment": COMMENT, "disabled": DISABLED_ALWAYS,
        },
    },
    # VRFs: the builtin ``main`` (``*0``, all interfaces) and user VRFs, stored without routing effect.
    "/ip/vrf": {
        "kind": "list", "ordered": True, "verbs": ORDERED_VERBS, "ids": "seq", "name": "name",
        "mandatory": ("name", "interfaces"), "unique": (("name",), "failure: item with this name already exists"),
        "fields": {
            "name": f("str"), "interfaces": f("str"), "builtin": ro("false"), "dynamic": ro("false"),
            "comment": COMMENT, "disabled": DISABLED_ALWAYS,
        },
    },
    # RouterOS 7's routing table view: every route of /ip/route (static, connected, DHCP, PPP), read-only
    # here (``model._routing_route_rows``); the tree has no add/remove.
    "/routing/route": {
        "kind": "list", "ordered": False, "verbs": ("print", "getall"), "ids": "route", "view": True,
        "fields": {
            "dst-address": ro(), "gateway": ro(), "immediate-gw": ro(), "distance": ro(), "scope": ro(),
            "target-scope": ro(), "routing-table": ro(), "afi": ro("ip4"), "belongs-to": ro(), "local-address": ro(),
            "contribution": ro(), "dynamic": ro("false"), "active": flag(), "inactive": ro("false"),
            "static": flag(), "connect": flag(), "dhcp": flag(), "ecmp": flag(), "comment": COMMENT,
            "disabled": DISABLED_ALWAYS,
        },
    },
    # Users: the lab's accounts (seeded from the server's users) and added ones, stored; logins use the
    # server's accounts only. ``password`` is written, never printed nor exported.
    "/user": {
        "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq", "name": "name", "hooks": "user",
        "mandatory": ("name", "group"), "unique": (("name",), "failure: user with the same name already exists"),
        "fields": {
            "name": f("str"), "group": f("enum", choices=("full", "read", "write")),
            "address": f("str", default="", show="always"), "password": f("str", hidden=True),
            "inactivity-policy": f("enum", choices=("lockscreen", "logout", "none"), default="none", show="always"),
            "inactivity-timeout": f("duration", default="10m", show="always"),
            "last-logged-in": ro(), "expired": ro("false"), "comment": COMMENT, "disabled": DISABLED_ALWAYS,
        },
    },
    # The clock: ``time``/``date`` follow the lab's clock until written (then stored as written).
    "/system/clock": {
        "kind": "singleton", "verbs": SINGLETON_VERBS, "derive": "clock",
        "fields": {
            "time": f("str"), "date": f("str"),
            "time-zone-autodetect": f("bool", default="true", show="always"),
            "time-zone-name": f("str", default="manual", show="always"),
            "gmt-offset": ro("+00:00"), "dst-active": ro("false"),
        },
    },
}

# RouterOS 7's services and ports; ``certificate`` only on www-ssl and api-ssl.
IP_SERVICES = (("telnet", 23), ("ftp", 21), ("www", 80), ("ssh", 22), ("www-ssl", 443), ("api", 8728),
               ("winbox", 8291), ("api-ssl", 8729))

# Menu directories that exist on RouterOS but hold no modelled menu of their own
# ("no such command" rather than "no such command prefix" below them).
DIRECTORIES = ("/ip", "/ip/firewall", "/ip/firewall/connection", "/routing", "/system", "/tool", "/interface", "/")

# The tables whose items are interfaces (one namespace of names, one id counter, one ``/interface`` view).
INTERFACE_TABLES = ("/interface/ethernet", "/interface/vlan", "/interface/pppoe-client")

# Ids of dynamic routes, per client: DHCP client n -> DHCP_ROUTE_ID_BASE + n * 0x100 + k (the k-th table),
# PPPoE client n -> PPP_ROUTE_ID_BASE + n; the address a lease adds: DHCP_ADDRESS_ID_BASE + n (unverified).
DHCP_ROUTE_ID_BASE = 0x30000000
PPP_ROUTE_ID_BASE = 0x31000000
DHCP_ADDRESS_ID_BASE = 0x100000

# Builtin interface lists, their ids (unverified: isolated here; user lists start at *2000010) and the
# comments RouterOS gives them (real 7.x verbose exports: ``set [ find name=all ] comment="contains all
# interfaces" exclude="" include="" name=all``).
BUILTIN_INTERFACE_LISTS = (
    ("all", 0x2000000, "contains all interfaces"),
    ("none", 0x2000001, "contains no interfaces"),
    ("dynamic", 0x2000002, "contains dynamic interfaces"),
    ("static", 0x2000003, "contains static interfaces"),
)

# FastTrack counter dummies (dynamic passthrough rules shown at the top of their chains).
FASTTRACK_DUMMY_COMMENT = "special dummy rule to show fasttrack counters"
FASTTRACK_DUMMIES = {
    "/ip/firewall/filter": (("forward", 0xFFFFFFFE),),
    "/ip/firewall/mangle": (("prerouting", 0xFFFFFFFE), ("forward", 0xFFFFFFFD), ("postrouting", 0xFFFFFFFC)),
    "/ip/firewall/raw": (("prerouting", 0xFFFFFFFE),),
}

ROUTE_ID_BASE = 0x80000000
CONNECTED_ID_BASE = 0x20180000


# ---- the RouterOS command tree ------------------------------------------------------------------
# ``routeros_tree.json`` (generated by ``scripts/extract_routeros_tree.py`` from the real trees): per
# modelled menu, the commands of RouterOS 7.19 with their arguments, and the values RouterOS offers for
# the add/set arguments. The menus above are reconciled with it at import, so the lab refuses every
# command and argument 7.19 lacks and takes every argument it has.
TREE: dict[str, dict[str, Any]] = json.loads(
    (Path(__file__).with_name("routeros_tree.json")).read_text(encoding="utf-8"))["menus"]

# API verbs the model runs on any menu whose tree has them (``getall`` is the API's old name of print).
GENERIC_VERBS = ("print", "add", "set", "remove", "unset", "enable", "disable", "move", "reset-counters",
                 "reset-counters-all", "get", "find", "comment", "reset")
# Arguments of add/set that are not properties of the item.
NON_PROPERTIES = frozenset(("numbers", "copy-from", "place-before"))

# Offered values that are examples, not the whole list: the property also takes other values (user
# chains and lists, marks, ``equal:64``, ``both-addresses:2/0``, ``in,ipsec``, names, numbers). The
# values RouterOS offers for any other property are the whole list, and the lab enforces them.
OPEN_VALUES = frozenset((
    "chain", "jump-target", "connection-mark", "packet-mark", "new-connection-mark", "new-packet-mark", "new-mss",
    "new-dscp", "new-priority", "new-ttl", "ttl", "per-connection-classifier", "ipsec-policy", "in-bridge-port",
    "out-bridge-port", "in-bridge-port-list", "out-bridge-port-list", "include", "exclude", "arp-timeout",
    "start-time", "subject-alt-name", "certificate", "interfaces",
))

# Properties RouterOS has that the lab stores and prints without modelling what they do, per menu.
STORED_ONLY: dict[str, tuple[str, ...]] = {}


def _offered(path: str, name: str) -> tuple[str, ...]:
    return tuple(TREE[path]["values"].get(name, ()))


def _reconcile(path: str, spec: dict[str, Any]) -> None:
    """Align one menu with its RouterOS tree: commands, properties and their values."""
    tree = TREE[path]
    commands = tree["commands"]
    spec["verbs"] = tuple(v for v in GENERIC_VERBS if v in commands) + (("getall",) if "print" in commands else ())
    settable = (set(commands.get("add", ())) | set(commands.get("set", ()))) - NON_PROPERTIES
    fields: dict[str, dict[str, Any]] = spec["fields"]
    for name in [k for k, v in fields.items() if not v.get("ro") and k not in settable]:
        del fields[name]
    stored = []
    for name in sorted(settable):
        fspec = fields.get(name)
        offered = _offered(path, name)
        closed = bool(offered) and name not in OPEN_VALUES
        kind = "bool" if name in tree["booleans"] else ("set" if closed else "str")
        if fspec is None:
            fields[name] = c(kind, choices=offered if closed else None, neg=name in tree["negatable"], stored=True)
            stored.append(name)
        elif fspec.get("ro"):
            # printed by the lab, settable on RouterOS: stored as written
            fields[name] = dict(fspec, ro=False, flag=False, kind=kind, choices=offered if closed else None, stored=True)
            stored.append(name)
        elif fspec["kind"] in ("enum", "set", "protocol") and offered:
            fields[name] = dict(fspec, choices=offered)
        elif fspec["kind"] == "str" and closed:
            fields[name] = dict(fspec, kind="set", choices=offered, neg=name in tree["negatable"])
        elif fspec["kind"] == "ref" and fspec["ref"] == IFACE_REF and offered:
            # all-ethernet, all-vlan, ... : interface classes RouterOS takes wherever it offers them
            fields[name] = dict(fspec, specials=tuple(fspec.get("specials", ())) + offered)
    if stored:
        STORED_ONLY[path] = tuple(stored)


for _path, _spec in MENUS.items():
    _reconcile(_path, _spec)
