# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed intent model: what the validator returns once every rule holds.

Every value here is already checked and every default already filled in, so the compiler
never has to guess or re-validate. The defaults come from the intent schema (schema.py).
"""

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Union

from ansible_collections.multiwan.routeros.plugins.module_utils.intent import schema


# The {wan} stand-in for the dedicated ECMP table and its connection mark: the name templates
# are applied with this value, so a WAN may not use it as its own name while ECMP is on.
ECMP_PSEUDO_WAN = "ECMP"

# An internal network's gateway when none is given: resolved by the engine from the router's connected routes.
GATEWAY_CONNECTED = schema.INTERNAL_NETWORKS.key("gateway").default

# ``gateway_from``: the WAN's DHCP client installs its default routes (``default-route-tables``), or the
# WAN's interface is a PPPoE client whose routes use that interface as the gateway.
GATEWAY_FROM_DHCP, GATEWAY_FROM_PPPOE = schema.GATEWAY_SOURCES


def _default(variable: schema.Variable, key: str) -> Any:
    """A key's default, as the schema has it (the defaults below are the schema's, never copies)."""
    return variable.key(key).default


@dataclass(frozen=True)
class Vlan:
    vlan_id: int
    interface: str


@dataclass(frozen=True)
class Wan:
    name: str
    interface: str
    gateway: str
    gateway_is_ip: bool
    distance: int
    failover: List[str]
    inbound: bool = _default(schema.WANS, "inbound")
    check_gateway: str = "ping"
    masquerade: bool = _default(schema.WANS, "masquerade")
    address: Optional[str] = None
    vlan: Optional[Vlan] = None
    comment: Optional[str] = None
    # True when the intent lists the failover WANs (their order is then the order of the list).
    failover_given: bool = False
    # None (a static ``gateway``), GATEWAY_FROM_DHCP ("" gateway) or GATEWAY_FROM_PPPOE (gateway = interface).
    gateway_from: Optional[str] = None

    def label(self) -> str:
        """The WAN as it appears in generated comments: its name, plus its comment if any."""
        if self.comment:
            return "%s (%s)" % (self.name, self.comment)
        return self.name


@dataclass(frozen=True)
class InternalNetwork:
    dst: str
    # An IPv4 address, an interface name, or GATEWAY_CONNECTED (resolved by the engine from the
    # router's connected routes at apply time). Only used by the `routes` strategy.
    gateway: str = GATEWAY_CONNECTED


@dataclass(frozen=True)
class Site:
    name: str
    networks: List[str]
    wan: str


@dataclass(frozen=True)
class Names:
    table: str = _default(schema.NAMES, "table")
    connection_mark: str = _default(schema.NAMES, "connection_mark")
    site_list: str = _default(schema.NAMES, "site_list")
    wan_list: str = _default(schema.NAMES, "wan_list")
    lan_list: str = _default(schema.NAMES, "lan_list")
    internal_list: str = _default(schema.NAMES, "internal_list")
    # Additions to the intent contract (documented in docs/intent.md):
    sticky_list: str = _default(schema.NAMES, "sticky_list")
    forward_source_list: str = _default(schema.NAMES, "forward_source_list")

    def table_for(self, wan: str) -> str:
        return self.table.replace("{wan}", wan)

    def connection_mark_for(self, wan: str) -> str:
        return self.connection_mark.replace("{wan}", wan)

    def site_list_for(self, wan: str) -> str:
        return self.site_list.replace("{wan}", wan)

    def sticky_list_for(self, wan: str) -> str:
        return self.sticky_list.replace("{wan}", wan)

    def forward_source_list_for(self, forward: str) -> str:
        return self.forward_source_list.replace("{forward}", forward)


@dataclass(frozen=True)
class FastTrack:
    enabled: bool = _default(schema.FASTTRACK, "enabled")
    hw_offload: bool = _default(schema.FASTTRACK, "hw_offload")


@dataclass(frozen=True)
class LoadBalancing:
    method: str
    wans: List[str]
    classifier: str = _default(schema.LOAD_BALANCING, "classifier")
    sticky_timeout: str = _default(schema.LOAD_BALANCING, "sticky_timeout")


@dataclass(frozen=True)
class Monitoring:
    # WAN name -> the far host probed through that WAN's table; every WAN has one (the default filled in).
    probe_hosts: Dict[str, str] = field(default_factory=dict)

    def probe_host(self, wan: str) -> str:
        return self.probe_hosts.get(wan, schema.DEFAULT_PROBE_HOST)


@dataclass(frozen=True)
class CommonIntent:
    """Settings every router kind may carry (FastTrack and connection tracking)."""
    fasttrack: FastTrack = field(default_factory=FastTrack)
    # RouterOS field name (dashes) -> value, in the order given.
    conntrack: Dict[str, Union[str, int, bool]] = field(default_factory=dict)


@dataclass(frozen=True)
class CoreIntent:
    wans: List[Wan]
    internal_networks: List[InternalNetwork]
    internal_strategy: str = schema.INTERNAL_STRATEGY.default
    sites: List[Site] = field(default_factory=list)
    lan_interfaces: List[str] = field(default_factory=list)
    names: Names = field(default_factory=Names)
    load_balancing: Optional[LoadBalancing] = None
    common: CommonIntent = field(default_factory=CommonIntent)
    monitoring: Monitoring = field(default_factory=Monitoring)

    def wan(self, name: str) -> Wan:
        for wan in self.wans:
            if wan.name == name:
                return wan
        raise KeyError(name)

    def routed_wans(self) -> List[Wan]:
        """WANs that need their own table and marks: inbound, used by a site, or balanced over."""
        used = set(site.wan for site in self.sites)
        if self.load_balancing is not None and self.load_balancing.method in ("pcc", "nth"):
            used.update(self.load_balancing.wans)
        return [wan for wan in self.wans if wan.inbound or wan.name in used]

    def has_ecmp(self) -> bool:
        return self.load_balancing is not None and self.load_balancing.method == "ecmp"


@dataclass(frozen=True)
class PortForward:
    name: str
    protocol: str
    port: str
    to_address: str
    to_port: Optional[str] = None
    source: List[str] = field(default_factory=list)
    dst_address: Optional[str] = None


@dataclass(frozen=True)
class Edge:
    wan: str
    internet_interface: str
    transit_interface: str
    core_address: str
    internal_networks: List[str]
    fix_transit_srcnat: bool = _default(schema.EDGE_SETTINGS, "fix_transit_srcnat")


@dataclass(frozen=True)
class EdgeIntent:
    edge: Edge
    port_forwards: List[PortForward] = field(default_factory=list)
    names: Names = field(default_factory=Names)
    common: CommonIntent = field(default_factory=CommonIntent)
