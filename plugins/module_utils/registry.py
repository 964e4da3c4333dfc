# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one place for the rollout's facts: its phases, its roles, the intent variables of each router kind, the rank table.

Everything else reads them from here: the compiler's dispatch (``compile/dispatch.py``), the rank lookup
(``compile/ranks.py``), the ``desired_state`` filter, the ``multiwan.routeros.intent`` and
``multiwan.routeros.phases`` lookups, and through them the phase playbooks, ``render.yml``, the gates and
``tasks/validate.yml``. A unit test checks that the files Ansible needs by name (the numbered phase playbooks,
``core.yml``/``edge.yml``, the roles, the compiler modules) agree with this registry.

Pure data and small pure functions: no I/O, no import of the compilers. The intent variables and the router
kinds come from the intent schema (``intent/schema.py``), which describes each variable once.
"""

from dataclasses import dataclass
from typing import Collection, Dict, Optional, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.intent import schema

# Router kinds (defined with the intent schema, whose variables say which kinds read them). A host is an edge router
# when it is in the inventory group multiwan_edge, a core router otherwise. COMMON: the settings every router has
# (FastTrack, connection tracking); a role of this kind runs on either.
CORE = schema.CORE
EDGE = schema.EDGE
COMMON = schema.COMMON
ROUTER_KINDS = (CORE, EDGE)

# The inventory group of each router kind.
GROUPS: Dict[str, str] = {CORE: "multiwan_core", EDGE: "multiwan_edge"}

# ---------------------------------------------------------------------------------------------
# Intent variables
# ---------------------------------------------------------------------------------------------

# The inventory variables whose values make up a router kind's intent: the intent schema's variables of that kind.
INTENT_VARIABLES: Dict[str, Tuple[str, ...]] = {
    kind: tuple(var.name for var in schema.variables_of(kind)) for kind in schema.KINDS
}

# Variables a kind's validation reads besides its intent: an edge host's multiwan_wans, when its inventory sets one,
# names the WANs multiwan_edge.wan must be one of. They are checked, never compiled.
CROSS_CHECKED: Dict[str, Tuple[str, ...]] = {CORE: (), EDGE: ("multiwan_wans",), COMMON: ()}


def intent_variables(kind: str, cross_checked: bool = False) -> Tuple[str, ...]:
    """The intent variable names of a router kind (core, edge or common), with those its validation also reads."""
    if kind not in INTENT_VARIABLES:
        raise ValueError("unknown router kind %r; expected one of %s" % (kind, ", ".join(INTENT_VARIABLES)))
    return INTENT_VARIABLES[kind] + (CROSS_CHECKED[kind] if cross_checked else ())


def host_kind(group_names: Collection[str]) -> str:
    """The router kind of a host from its inventory groups."""
    return EDGE if GROUPS[EDGE] in group_names else CORE


# ---------------------------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Role:
    """A role of the collection (roles/<name>/).

    ``kind``: whose intent it reads (core, edge or common). ``paths``: every menu it writes (singletons aside); it
    reconciles all of them on every run, even when the intent yields no entry for one, because an ``overridden`` run
    only looks at the paths it is given: the last site, forward or masquerade removed from the intent must still leave
    its path in the desired state (as an empty list) to be removed from the router. ``compiled``: the role compiles
    the intent with ``compile/<name>.py``'s ``compile_<name>`` and reconciles the result (the backup role does not).
    """

    name: str
    kind: str
    paths: Tuple[str, ...] = ()
    compiled: bool = True


ROLES: Tuple[Role, ...] = (
    Role("backup", COMMON, compiled=False),
    Role("wan_interfaces", CORE, ("/interface/vlan", "/ip/address", "/interface/list", "/interface/list/member",
                                  "/ip/firewall/address-list", "/ip/firewall/nat")),
    Role("routing_tables", CORE, ("/routing/table", "/ip/route", "/routing/rule", "/ip/dhcp-client")),
    Role("connection_marks", CORE, ("/ip/firewall/mangle",)),
    Role("site_policy", CORE, ("/ip/firewall/address-list", "/ip/firewall/mangle")),
    Role("port_forward_nosrcnat", EDGE, ("/ip/firewall/address-list", "/ip/firewall/nat", "/ip/route")),
    Role("fasttrack_tuning", COMMON, ("/ip/firewall/filter",)),
)

ROLES_BY_NAME: Dict[str, Role] = {role.name: role for role in ROLES}


def role(name: str) -> Role:
    if name not in ROLES_BY_NAME:
        raise ValueError("unknown role %r; expected one of %s" % (name, ", ".join(sorted(ROLES_BY_NAME))))
    return ROLES_BY_NAME[name]


def compiled_roles() -> Tuple[Role, ...]:
    """The roles that compile the intent into a desired state, in registry order."""
    return tuple(r for r in ROLES if r.compiled)


# ---------------------------------------------------------------------------------------------
# Phases
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Phase:
    """A rollout phase: playbooks/<number>_<slug>.yml, a thin wrapper of playbooks/phase.yml.

    ``kinds``: the router kinds whose rollout (core.yml, edge.yml) runs it. ``hosts``: the host pattern it runs on
    when run alone, which the variable ``hosts_variable`` (when given) replaces. The phase runs ``role``, or the
    tasks file ``tasks`` (playbooks/tasks/<tasks>.yml); ``lock``: it writes, so an apply run holds the router's run
    lock; ``gate``: the role's read-back must plan nothing more before the next phase starts. ``rollout_tasks``: the
    tasks file it runs instead in core.yml and edge.yml, where the gates of the phases before it verified every
    reconcile in the same run (what it would read back, they read back).
    """

    number: int
    slug: str
    title: str
    kinds: Tuple[str, ...]
    hosts: str
    role: Optional[str] = None
    tasks: Optional[str] = None
    lock: bool = False
    gate: bool = False
    hosts_variable: Optional[str] = None
    rollout_tasks: Optional[str] = None

    @property
    def name(self) -> str:
        return "%02d_%s" % (self.number, self.slug)

    @property
    def file(self) -> str:
        return self.name + ".yml"

    def as_dict(self) -> Dict[str, object]:
        """The phase as the playbooks see it (the multiwan.routeros.phases lookup)."""
        return {"number": "%02d" % self.number, "name": self.name, "file": self.file, "title": self.title,
                "kinds": list(self.kinds), "hosts": self.hosts, "hosts_variable": self.hosts_variable,
                "role": self.role, "tasks": self.tasks, "lock": self.lock, "gate": self.gate,
                "rollout_tasks": self.rollout_tasks}


_CORE_HOSTS = GROUPS[CORE]
_EDGE_HOSTS = GROUPS[EDGE]
_ALL_HOSTS = "%s:%s" % (_CORE_HOSTS, _EDGE_HOSTS)

# A phase that reconciles a role: the run lock around it and its gate after it.
_RECONCILE = {"lock": True, "gate": True}

PHASES: Tuple[Phase, ...] = (
    Phase(0, "backup", "Back up the routers before any change", (CORE, EDGE), _ALL_HOSTS, role="backup",
          hosts_variable="multiwan_backup_hosts"),
    Phase(10, "wan_setup", "WAN interfaces, interface lists and internal address list on the core", (CORE,), _CORE_HOSTS,
          role="wan_interfaces", **_RECONCILE),
    Phase(20, "routing_tables", "Routing tables with failover routes on the core", (CORE,), _CORE_HOSTS,
          role="routing_tables", **_RECONCILE),
    Phase(30, "connection_marks", "Return-path connection and routing marks on the core", (CORE,), _CORE_HOSTS,
          role="connection_marks", **_RECONCILE),
    Phase(40, "edge_port_forwards", "Edge port forwards that preserve the client address", (EDGE,), _EDGE_HOSTS,
          role="port_forward_nosrcnat", **_RECONCILE),
    Phase(50, "site_policy", "Per-site outbound policy on the core", (CORE,), _CORE_HOSTS, role="site_policy", **_RECONCILE),
    Phase(60, "failover", "Failover routes read back from the core", (CORE,), _CORE_HOSTS, tasks="failover",
          rollout_tasks="verify"),
    Phase(70, "performance", "FastTrack and connection tracking on the core", (CORE,), _CORE_HOSTS,
          role="fasttrack_tuning", **_RECONCILE),
    Phase(75, "cleanup", "Removals that waited until nothing used them", (CORE,), _CORE_HOSTS, tasks="cleanup", lock=True),
    Phase(80, "validation", "Validate the routers against the intent", (CORE, EDGE), _CORE_HOSTS, tasks="validate",
          hosts_variable="multiwan_validation_hosts", rollout_tasks="validated"),
)

PHASES_BY_NAME: Dict[str, Phase] = {phase.name: phase for phase in PHASES}


def phase(name: str) -> Phase:
    if name not in PHASES_BY_NAME:
        raise ValueError("unknown phase %r; expected one of %s" % (name, ", ".join(PHASES_BY_NAME)))
    return PHASES_BY_NAME[name]


def phases(kind: Optional[str] = None) -> Tuple[Phase, ...]:
    """The phases in rollout order; with ``kind``, those of that router kind's rollout (core.yml or edge.yml)."""
    if kind is not None and kind not in ROUTER_KINDS:
        raise ValueError("unknown router kind %r; expected one of %s" % (kind, ", ".join(ROUTER_KINDS)))
    return tuple(p for p in PHASES if kind is None or kind in p.kinds)


def reconciling_phases(kind: str) -> Tuple[Phase, ...]:
    """The phases of a router kind's rollout that reconcile a compiled role: what render.yml writes, what phase 80
    reads back, what phase 75 runs again (latest first)."""
    return tuple(p for p in phases(kind) if p.role is not None and role(p.role).compiled)


# ---------------------------------------------------------------------------------------------
# Ranks
# ---------------------------------------------------------------------------------------------

# The ``_rank`` of every ordered rule kind, across all roles (compile/ranks.py explains why one table).
RANK_STRIDE = 10000

# kind: (path, chain, base rank). Order inside a chain = order of the base ranks.
RANKS: Dict[str, Tuple[str, str, int]] = {
    # /ip/firewall/mangle, chain prerouting: marks connections first, then routes by mark.
    "inbound_mark_connection": ("/ip/firewall/mangle", "prerouting", 1 * RANK_STRIDE),
    "site_mark_connection": ("/ip/firewall/mangle", "prerouting", 2 * RANK_STRIDE),
    "lb_sticky_mark_connection": ("/ip/firewall/mangle", "prerouting", 3 * RANK_STRIDE),
    "lb_mark_connection": ("/ip/firewall/mangle", "prerouting", 4 * RANK_STRIDE),
    "lb_sticky_add_source": ("/ip/firewall/mangle", "prerouting", 5 * RANK_STRIDE),
    "mark_routing": ("/ip/firewall/mangle", "prerouting", 6 * RANK_STRIDE),
    # /ip/firewall/mangle, chain output: router-originated replies of marked connections.
    "output_mark_routing": ("/ip/firewall/mangle", "output", 1 * RANK_STRIDE),
    # /ip/firewall/filter, chain forward: FastTrack (unmarked only), then accept the rest.
    "fasttrack": ("/ip/firewall/filter", "forward", 1 * RANK_STRIDE),
    "accept_established": ("/ip/firewall/filter", "forward", 2 * RANK_STRIDE),
    # /ip/firewall/nat, chain dstnat: edge port forwards.
    "port_forward": ("/ip/firewall/nat", "dstnat", 1 * RANK_STRIDE),
    # /ip/firewall/nat, chain srcnat: core masquerade per WAN, edge masquerade to the internet,
    # then foreign transit source-NAT rules adopted as disabled.
    "wan_masquerade": ("/ip/firewall/nat", "srcnat", 1 * RANK_STRIDE),
    "edge_masquerade": ("/ip/firewall/nat", "srcnat", 2 * RANK_STRIDE),
    "transit_srcnat_disabled": ("/ip/firewall/nat", "srcnat", 3 * RANK_STRIDE),
    # /routing/rule: internal networks stay in the main table (rules strategy).
    "internal_rule": ("/routing/rule", "", 1 * RANK_STRIDE),
}
