# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validate inventory intent and fill in its defaults.

``intent_vars`` is a mapping whose keys are the inventory variable names (``multiwan_wans``,
``multiwan_sites``, ...); a missing key means "not set". Every violation is reported at once,
each prefixed with the exact variable path, so one run shows everything to fix.
"""

import bisect
import ipaddress
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.intent import limits, names as variable_names, schema
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.checks import (
    Errors,
    check_keys,
    parse_ipv4,
    port_bounds,
    read_list,
    read_mapping,
    read_name,
    shown,
    type_name,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.model import (
    ECMP_PSEUDO_WAN,
    GATEWAY_CONNECTED,
    GATEWAY_FROM_DHCP,
    GATEWAY_FROM_PPPOE,
    CommonIntent,
    CoreIntent,
    Edge,
    EdgeIntent,
    FastTrack,
    InternalNetwork,
    LoadBalancing,
    Monitoring,
    Names,
    PortForward,
    Site,
    Vlan,
    Wan,
)
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.schema import LOOKS_LIKE_ADDRESS, read_keys

# The schema's tables under the names the tests and the reference checks use.
KINDS = schema.KINDS
WAN_KEYS = schema.WANS.key_names()
CHECK_GATEWAY = schema.CHECK_GATEWAY
STRATEGIES = schema.STRATEGIES
SITE_KEYS = schema.SITES.key_names()
NAME_KEYS = schema.NAMES.key_names()
PER_WAN_NAMES = tuple(key.name for key in schema.NAMES.keys if key.placeholder == "wan")
FASTTRACK_KEYS = schema.FASTTRACK.key_names()
LB_KEYS = schema.LOAD_BALANCING.key_names()
LB_METHODS = schema.LB_METHODS
PCC_CLASSIFIERS = schema.PCC_CLASSIFIERS
EDGE_KEYS = schema.EDGE_SETTINGS.key_names()
FORWARD_KEYS = schema.PORT_FORWARDS.key_names()
PROTOCOLS = schema.PROTOCOLS
# Writable settings of /ip/firewall/connection/tracking on RouterOS 7 (underscored here):
# name -> ("choice", choices), ("bool", None) or ("time", None).
CONNTRACK_SETTINGS = dict((key.name, ("choice", key.choices) if key.choices else (key.type if key.type == "bool" else "time", None))
                          for key in schema.CONNTRACK.keys)
# Read-only ones (total-entries, max-entries) are refused with a clear message.
CONNTRACK_READ_ONLY = schema.CONNTRACK_READ_ONLY


class IntentError(ValueError):
    """Raised with every violation found; ``errors`` lists them, ``str()`` joins them."""

    def __init__(self, errors: List[str]) -> None:
        self.errors = list(errors)
        super(IntentError, self).__init__(
            "invalid multiwan intent (%d problem%s):\n- %s" % (len(self.errors), "" if len(self.errors) == 1 else "s",
                                                               "\n- ".join(self.errors)))


def _is_set(intent_vars: Mapping, name: str) -> bool:
    return name in intent_vars and intent_vars[name] is not None


def _unknown_variables(names: Iterable[Any], errors: Errors) -> None:
    """Refuse every multiwan_* name the collection does not know: a typo would silently do nothing,
    or (an unset multiwan_sites) remove what the router has."""
    for name in sorted(set(n for n in names if isinstance(n, str) and n.startswith(variable_names.PREFIX))):
        if variable_names.is_known(name):
            continue
        suggestion = variable_names.closest(name)
        if suggestion:
            errors.add(name, "unknown variable; did you mean %s?" % suggestion)
        else:
            errors.add(name, "unknown variable; the collection's variables are listed in docs/intent.md")


# ---------------------------------------------------------------------------------------------
# Common: FastTrack and connection tracking
# ---------------------------------------------------------------------------------------------

def _fasttrack(intent_vars: Mapping, errors: Errors) -> FastTrack:
    var = schema.FASTTRACK
    if not _is_set(intent_vars, var.name):
        return FastTrack()
    values = read_keys(intent_vars[var.name], var.keys, var.name, errors)
    return FastTrack(**dict(var.defaults(), **values)) if values is not None else FastTrack()


def _conntrack(intent_vars: Mapping, errors: Errors) -> Dict[str, Any]:
    var = schema.CONNTRACK
    if not _is_set(intent_vars, var.name):
        return {}
    raw = read_mapping(intent_vars[var.name], var.name, errors)
    if raw is None:
        return {}
    settings: Dict[str, Any] = {}
    for key, value in raw.items():
        item = "%s.%s" % (var.name, key)
        # RouterOS's own dashed names are accepted too.
        norm = str(key).replace("-", "_")
        if norm in CONNTRACK_READ_ONLY:
            errors.add(item, "is read-only on RouterOS and cannot be set")
            continue
        if norm not in CONNTRACK_SETTINGS:
            errors.add(item, "unknown connection tracking setting; allowed: %s" % ", ".join(sorted(CONNTRACK_SETTINGS)))
            continue
        setting = var.key(norm).read(value, item, errors)
        if setting is not None:
            settings[norm.replace("_", "-")] = setting
    return settings


def _commit_confirm(intent_vars: Mapping, errors: Errors) -> None:
    """Checked with the intent, so a bad timer fails before any router is contacted; the playbooks read the value."""
    var = schema.COMMIT_CONFIRM
    if _is_set(intent_vars, var.name):
        var.read(intent_vars[var.name], var.name, errors)


def _common(intent_vars: Mapping, errors: Errors) -> CommonIntent:
    _commit_confirm(intent_vars, errors)
    return CommonIntent(fasttrack=_fasttrack(intent_vars, errors), conntrack=_conntrack(intent_vars, errors))


# ---------------------------------------------------------------------------------------------
# Naming templates
# ---------------------------------------------------------------------------------------------

def _names(intent_vars: Mapping, errors: Errors) -> Names:
    var = schema.NAMES
    if not _is_set(intent_vars, var.name):
        return Names()
    values = read_keys(intent_vars[var.name], var.keys, var.name, errors)
    if values is None:
        return Names()
    names = Names(**dict(var.defaults(), **values))
    for key in ("wan_list", "lan_list"):
        if getattr(names, key).lower() in limits.BUILTIN_INTERFACE_LISTS:
            errors.add("%s.%s" % (var.name, key), "%r is a builtin RouterOS interface list; choose another name" % getattr(names, key))
    if names.wan_list == names.lan_list:
        errors.add("%s.lan_list" % var.name, "must differ from wan_list (both are %r)" % names.wan_list)
    return names


# ---------------------------------------------------------------------------------------------
# Core: WANs
# ---------------------------------------------------------------------------------------------

class _RawWan(object):
    """A WAN entry as read, before cross-entry checks and defaults."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.path = "multiwan_wans[%d]" % index
        self.name: Optional[str] = None
        self.interface: Optional[str] = None
        self.gateway: Optional[str] = None
        self.gateway_ip: Optional[ipaddress.IPv4Address] = None
        self.gateway_from: Optional[str] = None
        self.address: Optional[ipaddress.IPv4Interface] = None
        self.vlan: Optional[Vlan] = None
        self.inbound = True
        self.check_gateway: Optional[str] = None
        self.distance: Optional[int] = None
        self.failover: Optional[List[Tuple[str, str]]] = None
        self.masquerade = False
        self.comment: Optional[str] = None


def _read_wan(raw: Any, index: int, errors: Errors) -> _RawWan:
    wan = _RawWan(index)
    path = wan.path
    values = read_keys(raw, schema.WANS.keys, path, errors)
    if values is None:
        return wan
    values = dict(schema.WANS.defaults(), **values)
    wan.name = values.get("name")
    wan.interface = values.get("interface")
    wan.gateway = values.get("gateway")
    wan.gateway_ip = parse_ipv4(wan.gateway) if wan.gateway is not None else None
    wan.address = values.get("address")
    wan.inbound = values["inbound"]
    wan.masquerade = values["masquerade"]
    wan.check_gateway = values.get("check_gateway")
    wan.distance = values.get("distance")
    wan.failover = values.get("failover")
    wan.comment = values.get("comment")
    _read_gateway_source(wan, raw, values, errors)
    vlan = values.get("vlan") or {}
    parent = vlan.get("interface")
    if parent is not None and parent == wan.interface:
        errors.add(path + ".vlan.interface", "the VLAN's parent interface cannot be the VLAN itself (%r)" % parent)
    elif vlan.get("id") is not None and parent is not None:
        wan.vlan = Vlan(vlan_id=vlan["id"], interface=parent)
    # Cross-field: gateway inside the address's subnet; check_gateway with an interface gateway.
    if wan.address is not None and wan.gateway_ip is not None:
        if wan.gateway_ip not in wan.address.network:
            errors.add(path + ".gateway", "%s is outside %s, the subnet of multiwan_wans[%d].address; the gateway must be on that subnet" % (
                wan.gateway_ip, wan.address.network.with_prefixlen, index))
        elif wan.gateway_ip == wan.address.ip:
            errors.add(path + ".gateway", "%s is the core's own address on this WAN (multiwan_wans[%d].address), not a next hop" % (
                wan.gateway_ip, index))
        elif wan.address.network.prefixlen < 31 and wan.gateway_ip in (wan.address.network.network_address,
                                                                       wan.address.network.broadcast_address):
            errors.add(path + ".gateway", "%s is the network or broadcast address of %s, not a host on it" % (
                wan.gateway_ip, wan.address.network.with_prefixlen))
    if wan.gateway_from == GATEWAY_FROM_PPPOE:
        if wan.vlan is not None:
            errors.add(path + ".vlan", "a PPPoE WAN's interface is the PPPoE client (%s), not a VLAN; its VLAN belongs "
                                       "to the ISP setup" % shown(wan.interface))
        if wan.check_gateway in ("ping", "arp"):
            errors.add(path + ".check_gateway", "check_gateway=%s needs an IP gateway; a PPPoE WAN's gateway is its interface "
                                                "(use none)" % wan.check_gateway)
        # routes via the PPPoE client's interface: an interface gateway
        wan.gateway = wan.interface
    elif wan.gateway is not None and wan.gateway_ip is None and wan.check_gateway in ("ping", "arp"):
        errors.add(path + ".check_gateway", "check_gateway=%s needs an IP gateway; the gateway %r is an interface (use none)" % (
            wan.check_gateway, wan.gateway))
    return wan


def _read_gateway_source(wan: _RawWan, raw: Any, values: Mapping, errors: Errors) -> None:
    """``gateway`` or ``gateway_from``, one of the two; what the DHCP or PPPoE client provides cannot also be given."""
    path = wan.path
    given = isinstance(raw, Mapping) and raw.get("gateway") is not None
    source = values.get("gateway_from")
    if isinstance(raw, Mapping) and raw.get("gateway_from") is None and not given:
        errors.add(path + ".gateway", "is required (an IPv4 next hop or an interface name), unless gateway_from says the "
                                      "WAN's DHCP client or PPPoE client provides it")
    if source is None:
        return
    if given:
        errors.add(path + ".gateway_from", "give either gateway (a static next hop) or gateway_from (%s), not both" % source)
        return
    wan.gateway_from = source
    if wan.address is not None:
        errors.add(path + ".address", "the %s provides this WAN's address; remove address (or gateway_from)" % (
            "DHCP client" if source == GATEWAY_FROM_DHCP else "PPPoE session"))


def _wans(intent_vars: Mapping, errors: Errors, names: Names) -> List[_RawWan]:
    path = schema.WANS.name
    if not _is_set(intent_vars, path):
        errors.add(path, "is required" + schema.WANS.required_hint)
        return []
    items = read_list(intent_vars[path], path, errors, minimum=1)
    if items is None:
        return []
    wans = [_read_wan(raw, i, errors) for i, raw in enumerate(items)]
    seen_names: Dict[str, int] = {}
    seen_ifaces: Dict[str, int] = {}
    for wan in wans:
        if wan.name is not None:
            if wan.name in seen_names:
                errors.add(wan.path + ".name", "duplicate WAN name %r (also multiwan_wans[%d].name)" % (wan.name, seen_names[wan.name]))
            else:
                seen_names[wan.name] = wan.index
        if wan.interface is not None:
            if wan.interface in seen_ifaces:
                errors.add(wan.path + ".interface", "duplicate WAN interface %r (also multiwan_wans[%d].interface)" % (
                    wan.interface, seen_ifaces[wan.interface]))
            else:
                seen_ifaces[wan.interface] = wan.index
    seen_gateways: Dict[str, int] = {}
    seen_vlans: Dict[Tuple[str, int], int] = {}
    for wan in wans:
        if wan.gateway_ip is not None:
            if str(wan.gateway_ip) in seen_gateways:
                errors.add(wan.path + ".gateway", "%s is also the gateway of multiwan_wans[%d]; each WAN needs its own next hop" % (
                    wan.gateway_ip, seen_gateways[str(wan.gateway_ip)]))
            else:
                seen_gateways[str(wan.gateway_ip)] = wan.index
        if wan.vlan is not None:
            vlan_key = (wan.vlan.interface, wan.vlan.vlan_id)
            if vlan_key in seen_vlans:
                errors.add(wan.path + ".vlan.id", "VLAN %d on %s is already multiwan_wans[%d].vlan" % (
                    wan.vlan.vlan_id, wan.vlan.interface, seen_vlans[vlan_key]))
            else:
                seen_vlans[vlan_key] = wan.index
        if wan.address is not None:
            for other in wans[:wan.index]:
                if other.address is not None and wan.address.network.overlaps(other.address.network):
                    errors.add(wan.path + ".address", "%s overlaps %s of multiwan_wans[%d].address; WAN subnets must be distinct" % (
                        wan.address.with_prefixlen, other.address.with_prefixlen, other.index))
                    break
    for wan in wans:
        if wan.vlan is not None and wan.vlan.interface in seen_ifaces:
            errors.add(wan.path + ".vlan.interface", "%r is another WAN's interface (multiwan_wans[%d].interface)" % (
                wan.vlan.interface, seen_ifaces[wan.vlan.interface]))
        if wan.failover is not None:
            listed = set()
            for item_path, name in wan.failover:
                if name not in seen_names:
                    errors.add(item_path, "unknown WAN %s; known WANs: %s" % (shown(name), ", ".join(seen_names) or "none"))
                elif name == wan.name:
                    errors.add(item_path, "a WAN cannot be its own failover (%r)" % name)
                elif name in listed:
                    errors.add(item_path, "WAN %r is listed twice" % name)
                listed.add(name)
        if wan.name is not None:
            for key in PER_WAN_NAMES:
                generated = getattr(names, key).replace("{wan}", wan.name)
                problem = limits.table_name_problem(generated) if key == "table" else limits.generated_name_problem(generated)
                if problem:
                    errors.add(wan.path + ".name", "the %s name %r generated from multiwan_names.%s %s" % (
                        key.replace("_", " "), generated, key, problem))
    return wans


# ---------------------------------------------------------------------------------------------
# Core: internal networks, sites, LAN interfaces, load balancing
# ---------------------------------------------------------------------------------------------

def _strategy(intent_vars: Mapping, errors: Errors) -> str:
    var = schema.INTERNAL_STRATEGY
    if not _is_set(intent_vars, var.name):
        return var.default
    value = var.read(intent_vars[var.name], var.name, errors)
    return value if value is not None else var.default


def _internal_networks(intent_vars: Mapping, errors: Errors, strategy: str,
                       wans: List[_RawWan]) -> List[Tuple[str, InternalNetwork, ipaddress.IPv4Network]]:
    var = schema.INTERNAL_NETWORKS
    path = var.name
    if not _is_set(intent_vars, path):
        errors.add(path, "is required" + var.required_hint)
        return []
    items = read_list(intent_vars[path], path, errors, minimum=1)
    if items is None:
        return []
    result = []
    seen: Dict[ipaddress.IPv4Network, str] = {}
    for i, raw in enumerate(items):
        item = "%s[%d]" % (path, i)
        gateway = GATEWAY_CONNECTED
        dst_raw = raw
        gateway_given = False
        # A CIDR string, or a mapping of the schema's keys (read here key by key: a bad gateway skips the entry).
        if isinstance(raw, Mapping):
            check_keys(raw, var.key_names(), item, errors)
            if "dst" not in raw:
                errors.add(item + ".dst", "is required" + var.key("dst").required_hint)
                continue
            dst_raw = raw["dst"]
            if raw.get("gateway") is not None:
                gateway_given = True
                text = var.key("gateway").read(raw["gateway"], item + ".gateway", errors)
                if text is None:
                    continue
                gateway = text.strip()
        dst_path = item + ".dst" if isinstance(raw, Mapping) else item
        network = var.key("dst").read(dst_raw, dst_path, errors)
        if network is None:
            continue
        if network.prefixlen == 0:
            errors.add(dst_path, "0.0.0.0/0 is the internet, not an internal network")
            continue
        if network in seen:
            errors.add(dst_path, "duplicate internal network %s (also %s)" % (network.with_prefixlen, seen[network]))
            continue
        seen[network] = dst_path
        for wan in wans:
            if wan.address is not None and network.overlaps(wan.address.network):
                errors.add(dst_path, "%s overlaps the WAN subnet %s of %s.address; WAN transit links are not internal" % (
                    network.with_prefixlen, wan.address.network.with_prefixlen, wan.path))
        if gateway_given and gateway != GATEWAY_CONNECTED:
            gateway_ip = parse_ipv4(gateway)
            if gateway_ip is None and (LOOKS_LIKE_ADDRESS.match(gateway) or limits.interface_name_problem(gateway)):
                errors.add(item + ".gateway", "must be an IPv4 address, an interface name or 'connected', got %s" % shown(gateway))
                continue
            if gateway_ip is not None:
                for wan in wans:
                    if wan.gateway_ip == gateway_ip or (wan.address is not None and gateway_ip in wan.address.network):
                        errors.add(item + ".gateway", "%s is on the WAN side (%s); internal networks need a gateway on the inside" % (
                            gateway_ip, wan.path))
                        break
            elif any(wan.interface == gateway for wan in wans):
                errors.add(item + ".gateway", "%r is a WAN interface; internal networks need a gateway on the inside" % gateway)
        result.append((dst_path, InternalNetwork(dst=network.with_prefixlen, gateway=gateway), network))
    if strategy == "routes":
        # The engine resolves a missing gateway from the connected route that contains the
        # network. A network that contains another listed internal network is a summary of
        # several subnets, never inside one connected route, so it can only have a given gateway.
        for dst_path, entry, network in result:
            if entry.gateway != GATEWAY_CONNECTED:
                continue
            inner = [(p, n) for p, _e, n in result if n != network and n.subnet_of(network)]
            if inner:
                errors.add(dst_path, "%s contains %s (%s): with multiwan_internal_strategy=routes a summary network needs "
                                     "a gateway ({dst: %s, gateway: IP-or-interface}), it cannot be resolved from one "
                                     "connected route" % (network.with_prefixlen, inner[0][1].with_prefixlen, inner[0][0],
                                                          network.with_prefixlen))
    return result


class _Networks:
    """IPv4 networks with their path and WAN, and which of them overlap a given network, in the order they were added.

    Two CIDR blocks either nest or are disjoint, so the networks that overlap one are its supernets (one lookup per
    shorter prefix) and the networks inside it (a range of the sorted first addresses): a thousand sites cost no
    pass over every pair."""

    def __init__(self) -> None:
        self._items: List[Tuple[ipaddress.IPv4Network, str, str]] = []
        self._by_block: Dict[Tuple[int, int], List[int]] = {}
        self._firsts: List[Tuple[int, int]] = []

    def add(self, network: ipaddress.IPv4Network, path: str, wan: str) -> None:
        index = len(self._items)
        self._items.append((network, path, wan))
        first = int(network.network_address)
        self._by_block.setdefault((first, network.prefixlen), []).append(index)
        bisect.insort(self._firsts, (first, index))

    def overlapping(self, network: ipaddress.IPv4Network) -> List[Tuple[ipaddress.IPv4Network, str, str]]:
        first, last = int(network.network_address), int(network.broadcast_address)
        found = set()
        for length in range(network.prefixlen + 1):
            found.update(self._by_block.get((first & (0xFFFFFFFF ^ (0xFFFFFFFF >> length)), length), ()))
        start = bisect.bisect_left(self._firsts, (first, -1))
        end = bisect.bisect_right(self._firsts, (last, len(self._items)))
        found.update(index for _first, index in self._firsts[start:end] if self._items[index][0].prefixlen >= network.prefixlen)
        return [self._items[index] for index in sorted(found)]


def _sites(intent_vars: Mapping, errors: Errors, wan_names: List[str]) -> List[Site]:
    var = schema.SITES
    path = var.name
    if not _is_set(intent_vars, path):
        return []
    items = read_list(intent_vars[path], path, errors)
    if items is None:
        return []
    sites = []
    seen_names: Dict[str, str] = {}
    owners = _Networks()
    for i, raw in enumerate(items):
        item = "%s[%d]" % (path, i)
        values = read_keys(raw, var.keys, item, errors)
        if values is None:
            continue
        name = values.get("name")
        if name is not None:
            if name in seen_names:
                errors.add(item + ".name", "duplicate site name %s (also %s)" % (shown(name), seen_names[name]))
            else:
                seen_names[name] = item + ".name"
        wan = values.get("wan")
        if wan is not None and wan not in wan_names:
            errors.add(item + ".wan", "unknown WAN %s; known WANs: %s" % (shown(wan), ", ".join(wan_names) or "none"))
            wan = None
        networks: List[str] = []
        for net_path, network in values.get("networks", []):
            if network.prefixlen == 0:
                errors.add(net_path, "0.0.0.0/0 is not a site network; use multiwan_load_balancing or main-table distances for everyone")
                continue
            if wan is not None:
                for other, other_path, other_wan in owners.overlapping(network):
                    if other_wan != wan:
                        errors.add(net_path, "%s overlaps %s at %s, which is assigned to WAN %r while this site uses %r" % (
                            network.with_prefixlen, other.with_prefixlen, other_path, other_wan, wan))
                owners.add(network, net_path, wan)
            networks.append(network.with_prefixlen)
        if name is not None and wan is not None and networks:
            sites.append(Site(name=name, networks=networks, wan=wan))
    return sites


def _sites_inside_internal(intent_vars: Mapping, internal: List[ipaddress.IPv4Network], errors: Errors) -> None:
    """Site networks must be internal: the site rules exclude only INTERNAL destinations, so
    traffic from one site to another site outside INTERNAL would be policy-routed to a WAN."""
    if not internal:
        return
    raw_sites = intent_vars.get("multiwan_sites")
    if not isinstance(raw_sites, (list, tuple)):
        return
    for i, raw in enumerate(raw_sites):
        if not isinstance(raw, Mapping) or not isinstance(raw.get("networks"), (list, tuple)):
            continue
        for j, text in enumerate(raw["networks"]):
            try:
                network = ipaddress.IPv4Network(str(text).strip(), strict=False)
            except ValueError:
                continue
            if not any(network.subnet_of(net) for net in internal):
                errors.add("multiwan_sites[%d].networks[%d]" % (i, j),
                           "%s is not inside any of multiwan_internal_networks; add it there, or traffic to it from other "
                           "sites would be policy-routed to the internet" % network.with_prefixlen)


def _lan_interfaces(intent_vars: Mapping, errors: Errors, wans: List[_RawWan]) -> List[str]:
    var = schema.LAN_INTERFACES
    if not _is_set(intent_vars, var.name):
        return []
    result: List[str] = []
    for item, name in var.read(intent_vars[var.name], var.name, errors) or []:
        clash = [w for w in wans if w.interface == name]
        if clash:
            errors.add(item, "%r is the interface of WAN %s (%s.interface); an interface cannot be both LAN and WAN" % (
                name, clash[0].name, clash[0].path))
        elif name in result:
            errors.add(item, "duplicate LAN interface %r" % name)
        else:
            result.append(name)
    return result


def _load_balancing(intent_vars: Mapping, errors: Errors, wan_names: List[str], sites: List[Site]) -> Optional[LoadBalancing]:
    # Read key by key, not by read_keys: without a valid method nothing else is reported, and a
    # setting of another method is refused before its value is read.
    var = schema.LOAD_BALANCING
    path = var.name
    if not _is_set(intent_vars, path):
        return None
    raw = read_mapping(intent_vars[path], path, errors)
    if raw is None:
        return None
    check_keys(raw, var.key_names(), path, errors)
    if raw.get("method") is None:
        errors.add(path + ".method", "is required" + var.key("method").required_hint)
        return None
    method = var.key("method").read(raw["method"], path + ".method", errors)
    if method is None:
        return None
    ok = True
    if raw.get("wans") is not None:
        items = read_list(raw["wans"], path + ".wans", errors)
        wans: List[str] = []
        for i, item in enumerate(items or []):
            name = read_name(item, "%s.wans[%d]" % (path, i), errors, "a WAN name")
            if name is None:
                ok = False
            elif name not in wan_names:
                errors.add("%s.wans[%d]" % (path, i), "unknown WAN %s; known WANs: %s" % (shown(name), ", ".join(wan_names) or "none"))
                ok = False
            elif name in wans:
                errors.add("%s.wans[%d]" % (path, i), "WAN %r is listed twice" % name)
                ok = False
            else:
                wans.append(name)
        if items is not None and len(wans) < 2 and ok:
            errors.add(path + ".wans", "load balancing needs at least two WANs, got %d" % len(wans))
            ok = False
    else:
        assigned = set(site.wan for site in sites)
        wans = [name for name in wan_names if name not in assigned]
        if len(wans) < 2:
            errors.add(path + ".wans", "not set, and only %d WAN%s without a site assignment (%s): load balancing needs at "
                                       "least two; list them in multiwan_load_balancing.wans" % (
                                           len(wans), "" if len(wans) == 1 else "s", ", ".join(wans) or "none"))
            ok = False
    classifier = var.key("classifier").default
    if raw.get("classifier") is not None:
        value = var.key("classifier").read(raw["classifier"], path + ".classifier", errors)
        if value is None:
            ok = False
        elif method != "pcc":
            errors.add(path + ".classifier", "only applies to method pcc (method is %s)" % method)
            ok = False
        else:
            classifier = value
    sticky_timeout = var.key("sticky_timeout").default
    if raw.get("sticky_timeout") is not None:
        if method != "nth":
            errors.add(path + ".sticky_timeout", "only applies to method nth (method is %s)" % method)
            ok = False
        else:
            value = var.key("sticky_timeout").read(raw["sticky_timeout"], path + ".sticky_timeout", errors)
            if value is None:
                ok = False
            else:
                sticky_timeout = value
    if method == "ecmp" and ECMP_PSEUDO_WAN in wan_names:
        errors.add(path + ".method", "ecmp uses the name templates with {wan}=%s for its table and mark, which WAN %r "
                                     "already uses; rename that WAN" % (ECMP_PSEUDO_WAN, ECMP_PSEUDO_WAN))
        ok = False
    if not ok:
        return None
    return LoadBalancing(method=method, wans=wans, classifier=classifier, sticky_timeout=sticky_timeout)


def _monitoring(intent_vars: Mapping, errors: Errors, wan_names: List[str]) -> Monitoring:
    """Every WAN gets a probe host: the one ``probe_hosts`` names, else the schema's default."""
    var = schema.MONITORING
    given: Dict[str, str] = {}
    if _is_set(intent_vars, var.name):
        values = read_keys(intent_vars[var.name], var.keys, var.name, errors)
        given = (values or {}).get("probe_hosts") or {}
    for wan in given:
        if wan not in wan_names:
            errors.add("%s.probe_hosts.%s" % (var.name, wan), "unknown WAN; the WANs are %s" % ", ".join(wan_names))
    return Monitoring(probe_hosts=dict((wan, given.get(wan, schema.DEFAULT_PROBE_HOST)) for wan in wan_names))


def _name_collisions(names: Names, wan_names: List[str], lb: Optional[LoadBalancing], errors: Errors) -> None:
    """Generated names that share a RouterOS namespace must not collide."""
    address_lists: Dict[str, str] = {names.internal_list: "multiwan_names.internal_list"}
    tables: Dict[str, str] = {}
    marks: Dict[str, str] = {}
    pseudo = [ECMP_PSEUDO_WAN] if lb is not None and lb.method == "ecmp" else []
    for wan in wan_names + pseudo:
        for generated, space, what in ((names.site_list_for(wan), address_lists, "site_list"),
                                       (names.sticky_list_for(wan), address_lists, "sticky_list"),
                                       (names.table_for(wan), tables, "table"),
                                       (names.connection_mark_for(wan), marks, "connection_mark")):
            if what == "sticky_list" and (lb is None or lb.method != "nth" or wan not in lb.wans):
                continue
            label = "multiwan_names.%s for WAN %s" % (what, wan)
            if generated in space and space[generated] != label:
                errors.add("multiwan_names.%s" % what, "generates %r for WAN %s, which %s also generates" % (
                    generated, wan, space[generated]))
            space.setdefault(generated, label)


# ---------------------------------------------------------------------------------------------
# Edge
# ---------------------------------------------------------------------------------------------

def _edge(intent_vars: Mapping, errors: Errors) -> Optional[Edge]:
    var = schema.EDGE_SETTINGS
    path = var.name
    if not _is_set(intent_vars, path):
        errors.add(path, "is required on an edge router: %s" % ", ".join(var.required_keys()))
        return None
    before = len(errors)
    values = read_keys(intent_vars[path], var.keys, path, errors)
    if values is None:
        return None
    values = dict(var.defaults(), **values)
    wan = values.get("wan")
    # The name goes into the edge's route comments whether or not multiwan_wans is set for this host.
    if wan is not None and _is_set(intent_vars, "multiwan_wans") and isinstance(intent_vars["multiwan_wans"], (list, tuple)):
        known = [str(w.get("name")) for w in intent_vars["multiwan_wans"] if isinstance(w, Mapping) and w.get("name") is not None]
        if wan not in known:
            errors.add(path + ".wan", "unknown WAN %r; known WANs (multiwan_wans): %s" % (wan, ", ".join(known) or "none"))
    internet = values.get("internet_interface")
    transit = values.get("transit_interface")
    if internet is not None and internet == transit:
        errors.add(path + ".transit_interface", "must differ from internet_interface (both are %r)" % internet)
    core = values.get("core_address")
    networks: List[str] = []
    for item, network in values.get("internal_networks", []):
        if network.prefixlen == 0:
            errors.add(item, "0.0.0.0/0 would send the internet to the core")
        elif network.with_prefixlen in networks:
            errors.add(item, "duplicate network %s" % network.with_prefixlen)
        else:
            networks.append(network.with_prefixlen)
            if core is not None and core in network:
                errors.add(item, "%s contains core_address %s: the route to it would point at itself" % (network.with_prefixlen, core))
    if len(errors) != before:
        return None
    return Edge(wan=wan or "", internet_interface=internet or "", transit_interface=transit or "",
                core_address=str(core), internal_networks=networks, fix_transit_srcnat=values["fix_transit_srcnat"])


def _port_forwards(intent_vars: Mapping, errors: Errors, names: Names, edge: Optional[Edge]) -> List[PortForward]:
    var = schema.PORT_FORWARDS
    path = var.name
    edge_networks = [ipaddress.IPv4Network(n) for n in edge.internal_networks] if edge is not None else []
    if not _is_set(intent_vars, path):
        return []
    items = read_list(intent_vars[path], path, errors)
    forwards = []
    seen_names: Dict[str, str] = {}
    public: List[Tuple[str, Tuple[int, int], Optional[str], str]] = []
    for i, raw in enumerate(items or []):
        item = "%s[%d]" % (path, i)
        before = len(errors)
        values = read_keys(raw, var.keys, item, errors)
        if values is None:
            continue
        name = values.get("name")
        if name is not None:
            if name in seen_names:
                errors.add(item + ".name", "duplicate port forward name %r (also %s)" % (name, seen_names[name]))
            else:
                seen_names[name] = item + ".name"
                if raw.get("source"):
                    generated = names.forward_source_list_for(name)
                    problem = limits.generated_name_problem(generated)
                    if problem:
                        errors.add(item + ".name", "the source address list name %r generated from "
                                                   "multiwan_names.forward_source_list %s" % (generated, problem))
        protocol = values.get("protocol")
        port = values.get("port")
        to_address = values.get("to_address")
        to_port = values.get("to_port")
        if to_port is not None and port is not None and "-" in to_port:
            low, high = port_bounds(port)
            tlow, thigh = port_bounds(to_port)
            if (thigh - tlow) != (high - low):
                errors.add(item + ".to_port", "range %s does not have the same size as port %s; use one port or the same-size range" % (
                    to_port, port))
        sources: List[str] = []
        for source_path, network in values.get("source", []):
            if network.with_prefixlen in sources:
                errors.add(source_path, "duplicate source %s" % network.with_prefixlen)
            else:
                sources.append(network.with_prefixlen)
        dst_address = str(values["dst_address"]) if "dst_address" in values else None
        if edge_networks and to_address is not None and not any(to_address in net for net in edge_networks):
            errors.add(item + ".to_address", "%s is not inside multiwan_edge.internal_networks (%s); port forwards go to "
                                             "servers behind the core" % (to_address, ", ".join(str(n) for n in edge_networks)))
        if len(errors) != before:
            continue
        bounds = port_bounds(port)
        for other_proto, other_bounds, other_dst, other_path in public:
            same_address = dst_address is None or other_dst is None or dst_address == other_dst
            if other_proto == protocol and same_address and bounds[0] <= other_bounds[1] and other_bounds[0] <= bounds[1]:
                errors.add(item + ".port", "public %s port %s%s is already forwarded by %s" % (
                    protocol, port, "" if dst_address is None else " on %s" % dst_address, other_path))
        public.append((protocol, bounds, dst_address, item))
        forwards.append(PortForward(name=name, protocol=protocol, port=port, to_address=str(to_address), to_port=to_port,
                                    source=sources, dst_address=dst_address))
    return forwards


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------

# ``variables``: every multiwan_* variable name of the host (the playbooks pass them all), so a
# misspelt one is refused even though its value is never read; the keys of ``intent_vars`` are
# checked the same way.

def check_common(intent_vars: Mapping, variables: Iterable[str] = ()) -> Tuple[Optional[CommonIntent], List[str]]:
    errors = Errors()
    _unknown_variables(list(intent_vars) + list(variables), errors)
    common = _common(intent_vars, errors)
    return (None if errors.messages else common), errors.messages


def check_core(intent_vars: Mapping, variables: Iterable[str] = ()) -> Tuple[Optional[CoreIntent], List[str]]:
    """Validate the core router's intent; returns (intent or None, every violation)."""
    errors = Errors()
    _unknown_variables(list(intent_vars) + list(variables), errors)
    names = _names(intent_vars, errors)
    raw_wans = _wans(intent_vars, errors, names)
    wan_names = [w.name for w in raw_wans if w.name is not None]
    strategy = _strategy(intent_vars, errors)
    internal = _internal_networks(intent_vars, errors, strategy, raw_wans)
    sites = _sites(intent_vars, errors, wan_names)
    _sites_inside_internal(intent_vars, [n for _p, _e, n in internal], errors)
    lan = _lan_interfaces(intent_vars, errors, raw_wans)
    lb = _load_balancing(intent_vars, errors, wan_names, sites)
    common = _common(intent_vars, errors)
    monitoring = _monitoring(intent_vars, errors, wan_names)
    _name_collisions(names, wan_names, lb, errors)
    if errors.messages:
        return None, errors.messages
    wans = []
    all_names = [w.name for w in raw_wans]
    for position, raw in enumerate(raw_wans):
        failover = [name for _path, name in raw.failover] if raw.failover is not None else [n for n in all_names if n != raw.name]
        check = raw.check_gateway or ("ping" if raw.gateway_ip is not None else "none")
        wans.append(Wan(name=raw.name, interface=raw.interface, gateway=raw.gateway or "", gateway_is_ip=raw.gateway_ip is not None,
                        gateway_from=raw.gateway_from,
                        distance=raw.distance if raw.distance is not None else position + 1, failover=failover,
                        inbound=raw.inbound, check_gateway=check, masquerade=raw.masquerade,
                        address=raw.address.with_prefixlen if raw.address is not None else None,
                        vlan=raw.vlan, comment=raw.comment, failover_given=raw.failover is not None))
    intent = CoreIntent(wans=wans, internal_networks=[net for _p, net, _n in internal], internal_strategy=strategy,
                        sites=sites, lan_interfaces=lan, names=names, load_balancing=lb, common=common,
                        monitoring=monitoring)
    return intent, []


def check_edge(intent_vars: Mapping, variables: Iterable[str] = ()) -> Tuple[Optional[EdgeIntent], List[str]]:
    """Validate an edge router's intent; returns (intent or None, every violation)."""
    errors = Errors()
    _unknown_variables(list(intent_vars) + list(variables), errors)
    names = _names(intent_vars, errors)
    edge = _edge(intent_vars, errors)
    forwards = _port_forwards(intent_vars, errors, names, edge)
    common = _common(intent_vars, errors)
    if errors.messages or edge is None:
        return None, errors.messages
    return EdgeIntent(edge=edge, port_forwards=forwards, names=names, common=common), []


def checked(intent_vars: Mapping, kind: str, variables: Iterable[str] = ()) -> Tuple[Any, List[str]]:
    """``(intent, errors)`` for a router of ``kind`` (core, edge or common): the normalised intent (None when invalid)
    and every violation, empty when valid."""
    if not isinstance(intent_vars, Mapping):
        return None, ["intent_vars: must be a mapping of inventory variable names to values, got %s" % type_name(intent_vars)]
    if kind == "core":
        return check_core(intent_vars, variables)
    if kind == "edge":
        return check_edge(intent_vars, variables)
    if kind == "common":
        return check_common(intent_vars, variables)
    raise ValueError("unknown router kind %r; expected one of %s" % (kind, ", ".join(KINDS)))


def intent_errors(intent_vars: Mapping, kind: str, variables: Iterable[str] = ()) -> List[str]:
    """Every violation for a router of ``kind`` (core, edge or common), empty when valid."""
    return checked(intent_vars, kind, variables)[1]


def core_intent(intent_vars: Mapping) -> CoreIntent:
    intent, errors = check_core(intent_vars)
    if intent is None:
        raise IntentError(errors)
    return intent


def edge_intent(intent_vars: Mapping) -> EdgeIntent:
    intent, errors = check_edge(intent_vars)
    if intent is None:
        raise IntentError(errors)
    return intent


def common_intent(intent_vars: Mapping) -> CommonIntent:
    intent, errors = check_common(intent_vars)
    if intent is None:
        raise IntentError(errors)
    return intent
