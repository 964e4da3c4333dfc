# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The intent schema: every inventory variable the collection reads, once.

Each variable and each of its keys has a type, whether it is required, its default, its choices,
a description and the check that reads one value (``read``). From this table:

- the validator (validate.py) takes the allowed keys, the required keys, the choices and the
  per-key checks; the rules that relate several keys or entries stay functions there;
- ``scripts/generate_intent_docs.py`` writes the roles' ``meta/argument_specs.yml``, the variable
  tables of the role READMEs and of ``docs/intent.md`` (``make intent-docs``);
- names.py takes the intent variable names (the unknown-variable table).

A key's ``type`` is its Ansible argument-spec type; a key that accepts values of several YAML types
(a port as a number or a range string, ``check_gateway: false``) is ``raw``, so Ansible's own
role argument validation never refuses what the validator accepts. ``doc`` is Markdown (backticks
for literal values); the generator turns it into Ansible markup for the argument specs.
"""

import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.intent import durations, limits
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.checks import (
    Errors,
    check_keys,
    parse_ipv4,
    read_bool,
    read_duration,
    read_int,
    read_interface_address,
    read_ipv4,
    read_list,
    read_mapping,
    read_name,
    read_network,
    read_port,
    read_str,
    shown,
    type_name,
)

# Reads one value at a path: a clean value, or None after adding what is wrong to the errors.
Reader = Callable[[Any, str, Errors], Any]

# The router kinds: a core router, an edge router, and the settings every router carries.
CORE = "core"
EDGE = "edge"
COMMON = "common"
KINDS = (CORE, EDGE, COMMON)


@dataclass(frozen=True)
class Key:
    """One key of a mapping (or one variable, see Variable)."""
    name: str
    # The Ansible argument-spec type: str, int, bool, list, dict or raw (several YAML types).
    type: str
    # What the key is and the rules it must follow (Markdown, one paragraph).
    doc: str
    read: Optional[Reader] = None
    required: bool = False
    # Appended to "is required" in the validator's message.
    required_hint: str = ""
    # The value the validator fills in when the key is not set: None for no fixed default, () for an
    # empty list or mapping.
    default: Any = None
    # The default in words, when it depends on other values ("1, 2, 3, ... in list order").
    default_doc: str = ""
    choices: Tuple[str, ...] = ()
    # The YAML types in words, where ``type`` is raw or a list holds several ("int or str").
    type_doc: str = ""
    # A list's element type.
    elements: str = ""
    # A mapping's keys, or the keys of a list's mapping entries.
    keys: Tuple["Key", ...] = ()
    # Name templates: the placeholder the template must contain ("" when none is allowed).
    placeholder: str = ""
    # Keys read only when the mapping has them: a key set to null is then a value (refused by its
    # reader), not an absent key.
    null_is_value: bool = False
    # The argument spec lists no keys (any key is accepted there; the validator names the wrong ones).
    free_form: bool = False

    def key(self, name: str) -> "Key":
        for key in self.keys:
            if key.name == name:
                return key
        raise KeyError("%s has no key %s" % (self.name, name))

    def key_names(self) -> Tuple[str, ...]:
        return tuple(key.name for key in self.keys)

    def required_keys(self) -> Tuple[str, ...]:
        return tuple(key.name for key in self.keys if key.required)

    def defaults(self) -> Dict[str, Any]:
        """The defaults of a mapping's keys, for the keys that have one."""
        return dict((key.name, key.default) for key in self.keys if key.default is not None)


@dataclass(frozen=True)
class Variable(Key):
    """An inventory variable, and the router kinds whose intent holds it."""
    kinds: Tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# Per-key checks
# ---------------------------------------------------------------------------------------------

# A gateway made of digits, dots and slashes is meant as an address, never as an interface name.
LOOKS_LIKE_ADDRESS = re.compile(r"^[0-9./]+\Z")
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")


def name_of(what: str) -> Reader:
    """A name (never a YAML number); ``what`` is how the message calls it ("a WAN name")."""
    def read(value: Any, path: str, errors: Errors) -> Optional[str]:
        return read_name(value, path, errors, what)
    return read


def whole_number(low: int, high: int) -> Reader:
    def read(value: Any, path: str, errors: Errors) -> Optional[int]:
        return read_int(value, path, errors, low, high)
    return read


def one_of(choices: Tuple[str, ...], true_means: Optional[str] = None, false_means: Optional[str] = None) -> Reader:
    """One of the choices; YAML true and false stand for ``true_means`` and ``false_means`` when given."""
    def read(value: Any, path: str, errors: Errors) -> Optional[str]:
        text = value
        if value is True and true_means is not None:
            text = true_means
        elif value is False and false_means is not None:
            text = false_means
        if not isinstance(text, str) or text not in choices:
            errors.add(path, "must be one of %s, got %s" % (", ".join(choices), type_name(value)))
            return None
        return text
    return read


def list_of(item: Reader, minimum: int = 0) -> Reader:
    """A list; returns (item path, value) for every item its reader accepts."""
    def read(value: Any, path: str, errors: Errors) -> Optional[List[Tuple[str, Any]]]:
        items = read_list(value, path, errors, minimum=minimum)
        if items is None:
            return None
        result = []
        for i, raw in enumerate(items):
            item_path = "%s[%d]" % (path, i)
            clean = item(raw, item_path, errors)
            if clean is not None:
                result.append((item_path, clean))
        return result
    return read


def _present(entry: Mapping, key: Key) -> bool:
    return key.name in entry if key.null_is_value else entry.get(key.name) is not None


def read_keys(raw: Any, keys: Tuple[Key, ...], path: str, errors: Errors) -> Optional[Dict[str, Any]]:
    """A mapping read by its keys' schema: unknown keys, then missing required keys, then each key that is
    set, by its check. Returns the clean values of the keys that passed (no defaults), or None when
    ``raw`` is not a mapping."""
    entry = read_mapping(raw, path, errors)
    if entry is None:
        return None
    check_keys(entry, [key.name for key in keys], path, errors)
    for key in keys:
        if key.required and not _present(entry, key):
            errors.add("%s.%s" % (path, key.name), "is required" + key.required_hint)
    values: Dict[str, Any] = {}
    for key in keys:
        if key.read is not None and _present(entry, key):
            value = key.read(entry[key.name], "%s.%s" % (path, key.name), errors)
            if value is not None:
                values[key.name] = value
    return values


def mapping_of(keys: Tuple[Key, ...]) -> Reader:
    def read(value: Any, path: str, errors: Errors) -> Optional[Dict[str, Any]]:
        return read_keys(value, keys, path, errors)
    return read


def read_interface(value: Any, path: str, errors: Errors) -> Optional[str]:
    text = read_name(value, path, errors, "an interface name")
    if text is None:
        return None
    problem = limits.interface_name_problem(text)
    if problem:
        errors.add(path, "interface name %s %s" % (shown(text), problem))
        return None
    return text


def string_of(what: str) -> Reader:
    """A non-empty string (a YAML number is taken as its decimal text)."""
    def read(value: Any, path: str, errors: Errors) -> Optional[str]:
        return read_str(value, path, errors, what)
    return read


def read_wan_name(value: Any, path: str, errors: Errors) -> Optional[str]:
    name = read_name(value, path, errors, "a WAN name")
    if name is not None and not limits.WAN_NAME_RE.match(name):
        errors.add(path, "WAN name %s must be 1-32 letters, digits, '_' or '-' (it is used in generated names)" % shown(name))
        return None
    return name


def _wan_gateway(value: Any, path: str, errors: Errors) -> Optional[str]:
    gateway = read_str(value, path, errors, "an IPv4 address or an interface name")
    if gateway is None:
        return None
    gateway_ip = parse_ipv4(gateway)
    if gateway_ip is None and LOOKS_LIKE_ADDRESS.match(gateway.strip()):
        errors.add(path, "%r is not a valid IPv4 address (a gateway is one address, without a prefix)" % gateway)
        return None
    if gateway_ip is None and limits.interface_name_problem(gateway):
        errors.add(path, "must be an IPv4 address or an interface name, got %s" % shown(gateway))
        return None
    return gateway.strip()


def _wan_comment(value: Any, path: str, errors: Errors) -> Optional[str]:
    comment = read_str(value, path, errors, "a string")
    if comment is None:
        return None
    if len(comment) > limits.MAX_USER_COMMENT:
        errors.add(path, "is %d characters long; at most %d fit in generated comments" % (len(comment), limits.MAX_USER_COMMENT))
        return None
    if any(ord(c) < 32 or c in '"\\' for c in comment):
        errors.add(path, "must not contain quotes, backslashes or control characters")
        return None
    return comment


def _site_name(value: Any, path: str, errors: Errors) -> Optional[str]:
    # The name is kept even when refused here, so a second site of the same name is still reported.
    name = read_name(value, path, errors, "a site name")
    if name is not None and (len(name) > 64 or any(ord(c) < 32 or c in '"\\' for c in name)):
        errors.add(path, "site name %s must be at most 64 characters without quotes, backslashes or control characters" % shown(name))
    return name


def _forward_name(value: Any, path: str, errors: Errors) -> Optional[str]:
    name = read_name(value, path, errors, "a name")
    if name is not None and not limits.FORWARD_NAME_RE.match(name):
        errors.add(path, "port forward name %s must be 1-32 letters, digits, '_', '.' or '-' (it is used in generated names)" % shown(name))
        return None
    return name


def template(placeholder: str) -> Reader:
    """A naming template that must contain ``{placeholder}`` (or, with "", no placeholder at all)."""
    def read(value: Any, path: str, errors: Errors) -> Optional[str]:
        text = read_name(value, path, errors, "a name template")
        if text is None:
            return None
        bad = [p for p in _PLACEHOLDER_RE.findall(text) if p != placeholder]
        if bad:
            allowed = "{%s}" % placeholder if placeholder else "no placeholder"
            errors.add(path, "unknown placeholder %s in %r; allowed: %s" % (", ".join("{%s}" % p for p in bad), text, allowed))
            return None
        if placeholder and "{%s}" % placeholder not in text:
            errors.add(path, "%r must contain {%s}, or every %s would get the same name" % (
                text, placeholder, "WAN" if placeholder == "wan" else "port forward"))
            return None
        if not placeholder:
            # A fixed name is the generated name itself; it is kept, so the rules between names still see it.
            problem = limits.generated_name_problem(text)
            if problem:
                errors.add(path, "name %r %s" % (text, problem))
        return text
    return read


# ---------------------------------------------------------------------------------------------
# The variables
# ---------------------------------------------------------------------------------------------

# The check-gateway values RouterOS offers (tests/reference checks them against its command tree).
CHECK_GATEWAY = ("none", "ping", "arp")
# Where a WAN's gateway comes from instead of a static ``gateway``: its DHCP client or its PPPoE client.
GATEWAY_SOURCES = ("dhcp", "pppoe")
STRATEGIES = ("rules", "routes")
LB_METHODS = ("pcc", "nth", "ecmp")
# RouterOS's per-connection-classifier hash inputs.
PCC_CLASSIFIERS = ("both-addresses", "both-addresses-and-ports", "both-ports", "dst-address", "dst-address-and-port",
                   "dst-port", "src-address", "src-address-and-port", "src-port")
PROTOCOLS = ("tcp", "udp")
CONNTRACK_ENABLED = ("yes", "no", "auto")
# Settings of /ip/firewall/connection/tracking that RouterOS shows but does not let anyone set.
CONNTRACK_READ_ONLY = ("total_entries", "max_entries")

_WAN_NAME_RULE = "1-32 letters, digits, `_`, `-`"
_INTERFACE_RULE = "no quotes, backslashes, commas, `=` or control characters, not starting with `*`, at most 63 characters"


def _timeout(name: str) -> Key:
    return Key(name, "str", "a RouterOS time (`1d`, `12h30m`, `00:10:00`; a number is seconds)", type_doc="str or int",
               read=read_duration)


_VLAN_KEYS = (
    Key("id", "int", required=True, null_is_value=True, read=whole_number(1, 4094), doc="the VLAN id, 1-4094"),
    Key("interface", "str", required=True, required_hint=" (the parent interface of the VLAN)", null_is_value=True,
        read=read_interface, doc="the parent interface of the VLAN"),
)

WANS = Variable(
    "multiwan_wans", "list", elements="dict", kinds=(CORE,), required=True,
    required_hint=": a list of at least one WAN (name, interface, gateway)",
    doc="The internet connections of the core, in preference order (at least one). Names, interfaces and gateways must be "
        "unique and well formed; every reference to a WAN name must exist.",
    keys=(
        Key("name", "str", required=True, read=read_wan_name,
            doc="%s; unique. It is used in generated names, so the generated table, mark and list names must also be valid (`multiwan_names`). "
                "Quote names made of digits (`\"1012\"`): a YAML number is refused." % _WAN_NAME_RULE),
        Key("interface", "str", required=True, read=read_interface,
            doc="the core's interface toward this WAN; unique among WANs; %s" % _INTERFACE_RULE),
        Key("gateway", "str", read=_wan_gateway,
            doc="required unless `gateway_from` is given: an IPv4 next hop, or an interface name for point-to-point links. "
                "With `address`, the gateway must be inside that subnet and not the address itself."),
        Key("gateway_from", "str", choices=GATEWAY_SOURCES, read=one_of(GATEWAY_SOURCES),
            doc="`dhcp` or `pppoe`: the WAN's gateway comes from its DHCP client or its PPPoE client instead of a static "
                "`gateway` (give one of the two; see \"Uplinks from DHCP or PPPoE\")"),
        Key("address", "str", read=read_interface_address,
            doc="the core's address on this WAN with its prefix (`10.10.2.2/30`), ensured on `interface`; must be a usable "
                "host address"),
        Key("vlan", "dict", keys=_VLAN_KEYS, read=mapping_of(_VLAN_KEYS),
            doc="`{id: 1-4094, interface: parent}`: `interface` is created as a VLAN on the parent; the parent cannot be the "
                "VLAN itself or another WAN's interface"),
        Key("inbound", "bool", default=True, read=read_bool,
            doc="connections can arrive via this WAN (port forwards) and their replies must leave the same way; `false` = "
                "outbound only (it still gets a table and marks when sites or load balancing use it)"),
        Key("check_gateway", "raw", type_doc="str or `false`", choices=CHECK_GATEWAY, read=one_of(CHECK_GATEWAY, false_means="none"),
            default_doc="`ping` (`none` when the gateway is an interface or comes from `gateway_from`)",
            doc="`none`, `ping`, `arp` (the values RouterOS offers; `false` means `none`); `ping`/`arp` need an IP gateway"),
        Key("distance", "int", read=whole_number(1, 255), default_doc="1, 2, 3, ... in list order",
            doc="1-255; the main-table default route's distance"),
        Key("failover", "list", elements="str", read=list_of(name_of("a WAN name")),
            default_doc="every other WAN, by main-table distance, each at 1 + its `distance` (so adding or removing a WAN "
                        "leaves the others' routes as they are; equal or too large distances give 2, 3, ...)",
            doc="backup WANs for this WAN's table, in order (distance 2, 3, ...); known WAN names, not itself, no repeats"),
        Key("masquerade", "bool", default=False, read=read_bool,
            doc="`true` when the core itself must NAT out of this WAN (no edge router does it)"),
        Key("comment", "str", read=_wan_comment,
            doc="at most 64 characters, no quotes or backslashes; carried into generated comments"),
    ))

INTERNAL_NETWORKS = Variable(
    "multiwan_internal_networks", "list", elements="raw", type_doc="list of str or mapping", kinds=(CORE,), required=True,
    required_hint=": the networks behind the core (CIDR strings or {dst, gateway})",
    doc="Networks behind the core: CIDR strings, or mappings `{dst: CIDR, gateway: IP-or-interface}`.",
    keys=(
        Key("dst", "str", required=True, required_hint=" (the internal network in CIDR form)", null_is_value=True,
            read=read_network, doc="the internal network in CIDR form (a bare address means `/32`); no host bits set"),
        Key("gateway", "str", default="connected",
            read=string_of("an IPv4 address, an interface name or 'connected'"),
            doc="an IPv4 address, an interface name or `connected`; not on the WAN side (a WAN's gateway, inside a WAN "
                "subnet, or a WAN interface)"),
    ))

INTERNAL_STRATEGY = Variable(
    "multiwan_internal_strategy", "str", kinds=(CORE,), default="rules", choices=STRATEGIES, read=one_of(STRATEGIES),
    doc="How WAN tables reach internal networks: `rules`, one `/routing/rule` `lookup-only-in-table main` per internal "
        "network; `routes`, a route per internal network in every WAN table (the worked example's way).")

SITES = Variable(
    "multiwan_sites", "list", elements="dict", kinds=(CORE,), default=(),
    doc="Outbound policy per internal site: its networks use the named WAN.",
    keys=(
        Key("name", "str", required=True, read=_site_name,
            doc="unique; at most 64 characters, no quotes, backslashes or control characters"),
        Key("networks", "list", elements="str", required=True, read=list_of(read_network, minimum=1),
            doc="at least one CIDR; each inside one of `multiwan_internal_networks` (or site-to-site traffic would be sent "
                "to a WAN); not `0.0.0.0/0`; a network may not overlap a network of a site assigned to a *different* WAN"),
        Key("wan", "str", required=True, read=name_of("a WAN name"),
            doc="a known WAN name: the WAN this site's new outbound connections use"),
    ))

LAN_INTERFACES = Variable(
    "multiwan_lan_interfaces", "list", elements="str", kinds=(CORE,), default=(), read=list_of(read_interface),
    doc="Inside interfaces (default: anything that is not a WAN interface); valid interface names, not a WAN interface, "
        "no duplicates.")

LOAD_BALANCING = Variable(
    "multiwan_load_balancing", "dict", kinds=(CORE,),
    doc="Spread new outbound connections over WANs (unset = no load balancing).",
    keys=(
        Key("method", "str", required=True, required_hint=": one of %s" % ", ".join(LB_METHODS), choices=LB_METHODS,
            read=one_of(LB_METHODS),
            doc="`pcc` (per-connection classifier), `nth` (round robin, sticky per source), `ecmp` (equal-distance routes "
                "in a dedicated table)"),
        Key("wans", "list", elements="str", read=list_of(name_of("a WAN name")), default_doc="all WANs without a site assignment",
            doc="at least two known, distinct WAN names"),
        Key("classifier", "str", default="both-addresses-and-ports", choices=PCC_CLASSIFIERS, read=one_of(PCC_CLASSIFIERS),
            doc="`pcc` only: the hash input, %s" % ", ".join("`%s`" % c for c in PCC_CLASSIFIERS)),
        Key("sticky_timeout", "str", type_doc="str or int", default="1d", read=read_duration,
            doc="`nth` only: a RouterOS time; how long a source stays on its WAN"),
    ))

NAMES = Variable(
    "multiwan_names", "dict", kinds=(CORE, EDGE), default_doc="each key's default",
    doc="Naming templates; `{wan}` is replaced by the WAN name.",
    keys=(
        Key("table", "str", default="InternetVia{wan}", placeholder="wan", null_is_value=True, read=template("wan"),
            doc="routing table per WAN; `{wan}` required. On RouterOS 7 the routing mark IS the table name."),
        Key("connection_mark", "str", default="CONN_VIA_{wan}", placeholder="wan", null_is_value=True, read=template("wan"),
            doc="connection mark per WAN; `{wan}` required"),
        Key("site_list", "str", default="SITES_USE_{wan}", placeholder="wan", null_is_value=True, read=template("wan"),
            doc="address list of the sites that use a WAN; `{wan}` required"),
        Key("wan_list", "str", default="WAN", null_is_value=True, read=template(""), doc="interface list of all WAN interfaces; no placeholder"),
        Key("lan_list", "str", default="LAN", null_is_value=True, read=template(""), doc="interface list of the inside interfaces; no placeholder"),
        Key("internal_list", "str", default="INTERNAL", null_is_value=True, read=template(""),
            doc="address list of `multiwan_internal_networks`; no placeholder"),
        Key("sticky_list", "str", default="LB_STICKY_{wan}", placeholder="wan", null_is_value=True, read=template("wan"),
            doc="`{wan}` required. *Addition:* the per-WAN address list of sticky load balancing (method `nth`)."),
        Key("forward_source_list", "str", default="PF_SRC_{forward}", placeholder="forward", null_is_value=True, read=template("forward"),
            doc="`{forward}` required. *Addition:* the allow-list of a port forward with `source` (edge routers)."),
    ))

FASTTRACK = Variable(
    "multiwan_fasttrack", "dict", kinds=(CORE, EDGE, COMMON), default_doc="each key's default",
    doc="FastTrack for unmarked connections (marked connections are never fasttracked).",
    keys=(
        Key("enabled", "bool", default=True, null_is_value=True, read=read_bool,
            doc="FastTrack established/related connections that carry no connection mark"),
        Key("hw_offload", "bool", default=True, null_is_value=True, read=read_bool,
            doc="`hw-offload=yes` on the FastTrack rule; with `false` the argument is left out (RouterOS 7.22 has no "
                "`hw-offload`: set `false` there, see [supported versions](engine.md#supported-routeros-versions))"),
    ))

CONNTRACK = Variable(
    "multiwan_conntrack", "dict", kinds=(CORE, EDGE, COMMON), default=(), free_form=True,
    doc="Any writable `/ip/firewall/connection/tracking` setting, with underscores (`tcp_established_timeout: 1d`).",
    keys=(
        Key("enabled", "str", type_doc="str or bool", choices=CONNTRACK_ENABLED, read=one_of(CONNTRACK_ENABLED, true_means="yes", false_means="no"),
            doc="`yes`, `no` or `auto` (`true` and `false` mean `yes` and `no`)"),
        Key("loose_tcp_tracking", "bool", read=read_bool, doc="a boolean"),
    ) + tuple(_timeout(name) for name in (
        "tcp_syn_sent_timeout", "tcp_syn_received_timeout", "tcp_established_timeout", "tcp_fin_wait_timeout",
        "tcp_close_wait_timeout", "tcp_last_ack_timeout", "tcp_time_wait_timeout", "tcp_close_timeout",
        "tcp_max_retrans_timeout", "tcp_unacked_timeout", "udp_timeout", "udp_stream_timeout", "icmp_timeout",
        "generic_timeout")))


def read_commit_confirm(value: Any, path: str, errors: Errors) -> Optional[int]:
    seconds, problem = durations.read_timeout(value)
    if problem:
        errors.add(path, problem)
    return seconds


COMMIT_CONFIRM = Variable(
    "multiwan_commit_confirm", "raw", kinds=(CORE, EDGE, COMMON), type_doc="str, int or bool", default=durations.DEFAULT,
    read=read_commit_confirm,
    doc="Commit-confirmed apply runs: before its first write an apply run arms a revert on the router (a "
        "`/system/scheduler` entry that runs a `/system/script` named `multiwan-confirm`), and its last gate disarms "
        "it. When the run does not get there (the controller died, the connection dropped, a gate failed), the "
        "router undoes the run by itself when this timer fires. A RouterOS duration such as `5m`, `90s` or "
        "`1h30m` (a number is seconds), at least `1m` and longer than the run; `false` (or `off`) runs without a "
        "revert. Check runs arm nothing (docs/playbooks.md, \"Commit-confirmed runs\").")

# The far host each WAN is probed at when ``multiwan_monitoring.probe_hosts`` names none: a public anycast address.
DEFAULT_PROBE_HOST = "1.1.1.1"


def read_probe_hosts(value: Any, path: str, errors: Errors) -> Optional[Dict[str, str]]:
    """WAN name -> IPv4 address; the WAN names are checked against ``multiwan_wans`` by the validator."""
    raw = read_mapping(value, path, errors)
    if raw is None:
        return None
    hosts: Dict[str, str] = {}
    for wan, host in raw.items():
        item = "%s.%s" % (path, wan)
        address = read_ipv4(host, item, errors)
        if address is not None:
            hosts[str(wan)] = str(address)
    return hosts


_MONITORING_KEYS = (
    Key("probe_hosts", "dict", read=read_probe_hosts, default=(),
        default_doc="`%s` for every WAN" % DEFAULT_PROBE_HOST,
        doc="WAN name -> IPv4 address of a far host that must answer through that WAN's own routing table "
            "(`multiwan.routeros.verify`, the gates of phases 60 and 80); known WAN names only"),
)

MONITORING = Variable(
    "multiwan_monitoring", "dict", kinds=(CORE,), default_doc="each key's default", keys=_MONITORING_KEYS,
    doc="On-router verification: what the verification gate probes through each WAN (docs/playbooks.md, "
        "\"The verification gate\").")

EDGE_SETTINGS = Variable(
    "multiwan_edge", "dict", kinds=(EDGE,), required=True,
    doc="The edge router of one internet connection.",
    keys=(
        Key("wan", "str", required=True, read=read_wan_name,
            doc="which WAN of the core this edge serves: a WAN name (%s), always checked, and also against `multiwan_wans` "
                "when that is set for the host" % _WAN_NAME_RULE),
        Key("internet_interface", "str", required=True, read=read_interface, doc="the public side; an interface name"),
        Key("transit_interface", "str", required=True, read=read_interface,
            doc="toward the core; an interface name, not `internet_interface`"),
        Key("core_address", "str", required=True, read=read_ipv4, doc="the core's IPv4 address on the transit link"),
        Key("internal_networks", "list", elements="str", required=True, read=list_of(read_network, minimum=1),
            doc="at least one CIDR, routed back via `core_address`; no duplicates, not `0.0.0.0/0`, none containing "
                "`core_address`"),
        Key("fix_transit_srcnat", "bool", default=False, read=read_bool,
            doc="`true`: disable foreign srcnat/masquerade rules that would NAT forwarded traffic toward the core (they are "
                "reported either way)"),
    ))

PORT_FORWARDS = Variable(
    "multiwan_port_forwards", "list", elements="dict", kinds=(EDGE,), default=(),
    doc="Port forwards to servers behind the core, without source NAT.",
    keys=(
        Key("name", "str", required=True, read=_forward_name, doc="1-32 letters, digits, `_`, `.`, `-`; unique"),
        Key("protocol", "str", required=True, choices=PROTOCOLS, read=one_of(PROTOCOLS), doc="`tcp` or `udp`"),
        Key("port", "raw", type_doc="int or str", required=True, read=read_port, doc="public port 1-65535 (a number) or a range `low-high`"),
        Key("to_address", "str", required=True, read=read_ipv4,
            doc="IPv4 address of a server behind the core: inside `multiwan_edge.internal_networks`"),
        Key("to_port", "raw", type_doc="int or str", read=read_port, default_doc="the public port (ports are not rewritten)",
            doc="a port, or a range of the same size as `port`"),
        Key("source", "list", elements="str", read=list_of(read_network), default_doc="any client",
            doc="allow-list of client networks (CIDR or address)"),
        Key("dst_address", "str", read=read_ipv4, default_doc="any address on `internet_interface`",
            doc="the public IPv4 address"),
    ))

# In the order docs/intent.md and the argument specs list them.
VARIABLES = (WANS, INTERNAL_NETWORKS, INTERNAL_STRATEGY, SITES, LAN_INTERFACES, NAMES, FASTTRACK, CONNTRACK, LOAD_BALANCING,
             MONITORING, EDGE_SETTINGS, PORT_FORWARDS, COMMIT_CONFIRM)

# Reserved by the intent contract for later additions (destination policies, SNMP);
# IPv6 adds keys inside the variables above, not variables of its own.
RESERVED = ("multiwan_policies", "multiwan_snmp")


def variable(name: str) -> Variable:
    for var in VARIABLES:
        if var.name == name:
            return var
    raise KeyError(name)


def variables_of(kind: str) -> Tuple[Variable, ...]:
    """The variables of a router kind's intent, in schema order."""
    if kind not in KINDS:
        raise ValueError("unknown router kind %r; expected one of %s" % (kind, ", ".join(KINDS)))
    return tuple(var for var in VARIABLES if kind in var.kinds)
