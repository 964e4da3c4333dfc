"""The firewall: filter, nat, mangle and raw rules, address lists, the connection table and tracking."""

from __future__ import annotations

from typing import Any, Iterable

from ..storage import Item, Table, time_text
from ..values import duration_seconds, format_duration
from .base import (COMMENT, DISABLED_ALWAYS, IFACE_REF, IFLIST_REF, LIST_VERBS, ORDERED_VERBS, SINGLETON_VERBS,
                   Export, LabRouter, c, declare, f, ro)

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

# FastTrack counter dummies (dynamic passthrough rules shown at the top of their chains while a
# fasttrack-connection rule is enabled), per menu: (chain, id).
FASTTRACK_DUMMY_COMMENT = "special dummy rule to show fasttrack counters"
FASTTRACK_DUMMIES = {
    "/ip/firewall/filter": (("forward", 0xFFFFFFFE),),
    "/ip/firewall/mangle": (("prerouting", 0xFFFFFFFE), ("forward", 0xFFFFFFFD), ("postrouting", 0xFFFFFFFC)),
    "/ip/firewall/raw": (("prerouting", 0xFFFFFFFE),),
}
BUILTIN_CHAINS = ("prerouting", "input", "forward", "output", "postrouting", "srcnat", "dstnat")


def _matchers() -> dict[str, dict[str, Any]]:
    """Matchers of filter, nat, mangle and raw (printed only when set; ``disabled``/``log`` read as
    ``false`` in queries until written). Each menu keeps those its RouterOS tree has (``menus.reconcile``): raw
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


def _firewall(actions: tuple[str, ...], extra: dict[str, dict[str, Any]], export_order: int) -> dict[str, Any]:
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
        "fields": fields, "mandatory": ("chain",), "ids": "seq", "export": Export(order=export_order, always=("action",)),
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


RULE_MENUS = [
    declare("/ip/firewall/mangle", _firewall(MANGLE_ACTIONS, MANGLE_EXTRA, 140)),
    declare("/ip/firewall/filter", _firewall(FILTER_ACTIONS, FILTER_EXTRA, 130)),
    declare("/ip/firewall/nat", _firewall(NAT_ACTIONS, NAT_EXTRA, 150)),
    declare("/ip/firewall/raw", _firewall(RAW_ACTIONS, {}, 160)),
]


def _fasttrack_active(router: LabRouter) -> bool:
    for item in router.tables["/ip/firewall/filter"].items.values():
        if item.values.get("action") == "fasttrack-connection" and item.values.get("disabled") != "true":
            return True
    return False


def _dummy_ids(router: LabRouter, path: str) -> dict[int, str]:
    if path not in FASTTRACK_DUMMIES or not _fasttrack_active(router):
        return {}
    return {dummy_id: chain for chain, dummy_id in FASTTRACK_DUMMIES[path]}


def _chains(router: LabRouter, path: str) -> dict[str, Any]:
    return {"chains": {item.values.get("chain") for item in router.tables[path].items.values()}}


def _rules(router: LabRouter, path: str) -> Iterable[Item]:
    for dummy_id, chain in _dummy_ids(router, path).items():
        yield Item(dummy_id, {"chain": chain, "action": "passthrough", "comment": FASTTRACK_DUMMY_COMMENT},
                   dynamic=True, builtin=True)
    yield from list(router.tables[path].items.values())


def _derive_rule(router: LabRouter, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    action = item.values.get("action", "accept")
    if action == "jump":
        target = item.values.get("jump-target")
        if not target or (target not in ctx["chains"] and target not in BUILTIN_CHAINS):
            out["invalid"] = "true"
    if path == "/ip/firewall/mangle":
        if action in PASSTHROUGH_ACTIONS:
            out["passthrough"] = item.values.get("passthrough", "true")
        else:
            out["passthrough"] = None
    return out


for _menu in RULE_MENUS:
    _menu.context(_chains)
    _menu.items(_rules)
    _menu.fixed_ids(_dummy_ids)
    _menu.derive(_derive_rule)


ADDRESS_LIST = declare("/ip/firewall/address-list", {
    "export": Export(order=120),
    "kind": "list", "ordered": False, "verbs": LIST_VERBS, "ids": "seq",
    "mandatory": ("list", "address"), "unique": (("list", "address"), "failure: already have such entry"),
    "fields": {
        "list": f("str"), "address": f("listaddress"), "creation-time": ro(), "timeout": c("duration"),
        # writable on add: a dynamic entry is neither saved nor exported
        "dynamic": f("bool", default="false", show="always"), "comment": COMMENT, "disabled": DISABLED_ALWAYS,
    },
})


@ADDRESS_LIST.hook
def _timeout(router: LabRouter, table: Table, item: Item) -> None:
    """A ``timeout`` makes the entry dynamic until it expires; ``dynamic`` is kept in the item's meta."""
    now = router.clock()
    meta = dict(item.meta or {})
    meta.setdefault("created", now)
    timeout = item.values.get("timeout")
    written = item.values.pop("dynamic", None)
    if written is not None:
        meta["dynamic"] = written == "true"
    if timeout:
        meta["expires"] = now + duration_seconds(timeout)
        item.dynamic = True
    else:
        meta.pop("expires", None)
        item.dynamic = bool(meta.get("dynamic"))
    item.meta = meta


@ADDRESS_LIST.on_set
def _timeout_changed(router: LabRouter, table: Table, item: Item, values: dict[str, str], unset: list[str]) -> None:
    if "timeout" in values or "timeout" in unset or "dynamic" in values:
        _timeout(router, table, item)
        router.schedule_expiry(table, item)


@ADDRESS_LIST.derive
def _derive_entry(router: LabRouter, path: str, item: Item, ctx: dict[str, Any]) -> dict[str, str | None]:
    meta = item.meta or {}
    out: dict[str, str | None] = {"creation-time": time_text(meta.get("created", router.boot_time))}
    if "expires" in meta:
        out["timeout"] = format_duration(max(0.0, int(meta["expires"] - ctx["now"])))
    else:
        out["timeout"] = None
    return out


# The connection table: the connections tests inject through the control port (``tools.inject_flow``); the
# columns RouterOS 7 prints (the ``proplist`` values of ``print`` in the 7.22.3 tree), read-only.
CONNECTION = declare("/ip/firewall/connection", {
    "kind": "list", "ordered": False, "verbs": ("print", "getall", "remove"), "ids": "seq",
    "fields": {k: ro() for k in ("protocol", "src-address", "dst-address", "reply-src-address", "reply-dst-address",
                                 "src-port", "dst-port", "reply-src-port", "reply-dst-port", "tcp-state", "timeout",
                                 "connection-mark", "connection-type", "orig-packets", "orig-bytes",
                                 "orig-fasttrack-packets", "orig-fasttrack-bytes", "repl-packets", "repl-bytes",
                                 "repl-fasttrack-packets", "repl-fasttrack-bytes", "orig-rate", "repl-rate",
                                 "expected", "seen-reply", "assured", "confirmed", "dying", "fasttrack", "hw-offload",
                                 "srcnat", "dstnat")},
})

TRACKING = declare("/ip/firewall/connection/tracking", {
    "export": Export(order=70),
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
})
