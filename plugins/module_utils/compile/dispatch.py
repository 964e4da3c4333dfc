# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Role name -> (router kind, compile function), and the validate-then-compile entry point."""

from typing import Any, Callable, Dict, Mapping, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils.compile.common import Desired
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.connection_marks import compile_connection_marks
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.fasttrack_tuning import compile_fasttrack_tuning
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.port_forward_nosrcnat import compile_port_forward_nosrcnat
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.routing_tables import compile_routing_tables
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.site_policy import compile_site_policy
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.wan_interfaces import compile_wan_interfaces
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import common_intent, core_intent, edge_intent

ROLES: Dict[str, Tuple[str, Callable[[Any], Desired]]] = {
    "wan_interfaces": ("core", compile_wan_interfaces),
    "routing_tables": ("core", compile_routing_tables),
    "connection_marks": ("core", compile_connection_marks),
    "site_policy": ("core", compile_site_policy),
    "port_forward_nosrcnat": ("edge", compile_port_forward_nosrcnat),
    "fasttrack_tuning": ("common", compile_fasttrack_tuning),
}

# Every menu a role writes (singletons aside). A role reconciles all of them on every run, even
# when the intent yields no entry for one: an `overridden` run only looks at the paths it is
# given, so the last site, forward or masquerade removed from the intent must still leave its
# path in the desired state (as an empty list) to be removed from the router.
ROLE_PATHS: Dict[str, Tuple[str, ...]] = {
    "wan_interfaces": ("/interface/vlan", "/ip/address", "/interface/list", "/interface/list/member",
                       "/ip/firewall/address-list", "/ip/firewall/nat"),
    "routing_tables": ("/routing/table", "/ip/route", "/routing/rule", "/ip/dhcp-client"),
    "connection_marks": ("/ip/firewall/mangle",),
    "site_policy": ("/ip/firewall/address-list", "/ip/firewall/mangle"),
    "port_forward_nosrcnat": ("/ip/firewall/address-list", "/ip/firewall/nat", "/ip/route"),
    "fasttrack_tuning": ("/ip/firewall/filter",),
}

CORE_ROLES = tuple(name for name, (kind, _f) in ROLES.items() if kind in ("core", "common"))
EDGE_ROLES = tuple(name for name, (kind, _f) in ROLES.items() if kind in ("edge", "common"))

_VALIDATORS = {"core": core_intent, "edge": edge_intent, "common": common_intent}


def role_kind(role: str) -> str:
    if role not in ROLES:
        raise ValueError("unknown role %r; expected one of %s" % (role, ", ".join(sorted(ROLES))))
    return ROLES[role][0]


def desired_state(intent_vars: Mapping, role: str) -> Desired:
    """Validate the intent for the role's router kind (raises IntentError) and compile it."""
    kind, compile_role = ROLES[role] if role in ROLES else (role_kind(role), None)
    desired: Desired = {path: [] for path in ROLE_PATHS[role]}
    desired.update(compile_role(_VALIDATORS[kind](intent_vars)))
    return desired


def merge(*parts: Desired) -> Desired:
    """Several roles' desired states as one (what the router holds once all have run)."""
    merged: Desired = {}
    for part in parts:
        for path, entries in part.items():
            merged.setdefault(path, []).extend(entries)
    return merged
