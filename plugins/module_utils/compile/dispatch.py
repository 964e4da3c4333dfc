# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Role name -> (router kind, compile function), from the registry, and the validate-then-compile entry point.

A role the registry marks as compiled has its compiler in ``compile/<role>.py`` as ``compile_<role>``: adding a role
is that module and its registry line, nothing here (a unit test checks both sides agree).
"""

import hashlib
import json
from importlib import import_module
from typing import Any, Callable, Dict, List, Mapping, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils import registry
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.common import Desired
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import common_intent, core_intent, edge_intent

Compiler = Callable[[Any], Desired]

# This module's package: compile/.
_PACKAGE = __name__.rpartition(".")[0]


def _function(role: str, prefix: str) -> Any:
    """``<prefix><role>`` of ``compile/<role>.py``, None when the module has none."""
    return getattr(import_module("%s.%s" % (_PACKAGE, role)), prefix + role, None)


def _compiler(role: str) -> Compiler:
    """``compile_<role>`` of ``compile/<role>.py``."""
    compiler = _function(role, "compile_")
    if compiler is None:
        raise ImportError("compile/%s.py has no compile_%s" % (role, role))
    return compiler


ROLES: Dict[str, Tuple[str, Compiler]] = {r.name: (r.kind, _compiler(r.name)) for r in registry.compiled_roles()}


def _optional(prefix: str) -> Dict[str, Callable[[Any], Any]]:
    """Role name -> ``<prefix><role>`` of ``compile/<role>.py``, for the roles whose module has one."""
    found = ((name, _function(name, prefix)) for name in ROLES)
    return dict((name, function) for name, function in found if function is not None)


# What must already be on the router for a role, unmanaged (the config module's ``require``), and the paths whose
# untagged entries it takes over besides its ``<role>_adopt`` (``adopt``), from its intent.
REQUIREMENTS: Dict[str, Callable[[Any], Desired]] = _optional("required_")
ADOPTIONS: Dict[str, Callable[[Any], List[str]]] = _optional("adopted_")

CORE_ROLES = tuple(name for name, (kind, _f) in ROLES.items() if kind in (registry.CORE, registry.COMMON))
EDGE_ROLES = tuple(name for name, (kind, _f) in ROLES.items() if kind in (registry.EDGE, registry.COMMON))

_VALIDATORS = {registry.CORE: core_intent, registry.EDGE: edge_intent, registry.COMMON: common_intent}


def role_kind(role: str) -> str:
    if role not in ROLES:
        raise ValueError("unknown role %r; expected one of %s" % (role, ", ".join(sorted(ROLES))))
    return ROLES[role][0]


def validated(intent_vars: Mapping, role: str) -> Any:
    """The intent validated for the role's router kind (raises IntentError)."""
    return _VALIDATORS[role_kind(role)](intent_vars)


def desired_state(intent_vars: Mapping, role: str) -> Desired:
    """Validate the intent for the role's router kind (raises IntentError) and compile it.

    Every menu the role writes is in the result, as an empty list when the intent yields no entry for it
    (registry.Role explains why)."""
    return compiled(validated(intent_vars, role), role)


def compiled(intent: Any, role: str) -> Desired:
    """The role's desired state from an intent already validated for the role's router kind (several roles of one
    router compile one validated intent)."""
    desired: Desired = {path: [] for path in registry.role(role).paths}
    desired.update(ROLES[role][1](intent))
    return desired


def merge(*parts: Desired) -> Desired:
    """Several roles' desired states as one (what the router holds once all have run)."""
    merged: Desired = {}
    for part in parts:
        for path, entries in part.items():
            merged.setdefault(path, []).extend(entries)
    return merged


def digest(intent_vars: Mapping) -> str:
    """A digest of an intent (its variables' values), to tell whether a compiled fact is still the intent's."""
    return hashlib.sha256(json.dumps(intent_vars, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def role_intent(intent_vars: Mapping, role: str) -> Dict[str, Any]:
    """The variables ``role`` compiles from (the intent of its kind), out of a router's intent."""
    names = registry.intent_variables(role_kind(role))
    return dict((name, intent_vars[name]) for name in names if name in intent_vars)


def compile_router(intent_vars: Mapping, kind: str, validated_intent: Any = None) -> Dict[str, Any]:
    """The desired state of every role of a router of ``kind``, each compiled from its own kind's intent as
    ``desired_state`` does it (raises IntentError on invalid intent), with the intent's digest. ``validated_intent``:
    the intent of ``kind`` already validated from ``intent_vars`` (not validated again)."""
    validated: Dict[str, Any] = {kind: validated_intent} if validated_intent is not None else {}
    desired: Dict[str, Desired] = {}
    for role in CORE_ROLES if kind == registry.CORE else EDGE_ROLES:
        role_kind_ = role_kind(role)
        if role_kind_ not in validated:
            validated[role_kind_] = _VALIDATORS[role_kind_](role_intent(intent_vars, role))
        desired[role] = compiled(validated[role_kind_], role)
    summary = design(merge(*desired.values()))
    summary["problems"] = design_problems(summary, kind, (intent_vars.get("multiwan_edge") or {}).get("internet_interface"))
    extras = dict((role, extras_of(validated[role_kind(role)], role)) for role in desired)
    return {"kind": kind, "digest": digest(intent_vars), "desired": desired, "design": summary,
            "required": dict((role, found["required"]) for role, found in extras.items() if found["required"]),
            "adopted": dict((role, found["adopted"]) for role, found in extras.items() if found["adopted"])}


def extras_of(intent: Any, role: str) -> Dict[str, Any]:
    """Besides ``role``'s desired state, from an intent validated for its kind: what must already be on the router
    (``required``, unmanaged) and the paths it takes over (``adopted``)."""
    return {"required": REQUIREMENTS[role](intent) if role in REQUIREMENTS else {},
            "adopted": ADOPTIONS[role](intent) if role in ADOPTIONS else []}


def design_problems(summary: Mapping[str, List[Any]], kind: str, internet_interface: Any = None) -> List[str]:
    """What is wrong with a router's design (``design``): on a core, a routing mark without its table or a FastTrack
    rule that is not limited to unmarked connections; on an edge, a managed masquerade rule that goes out of another
    interface than the internet's."""
    problems = []
    if kind == registry.CORE:
        problems.extend("routing mark %s has no routing table" % mark for mark in summary["routing_marks"] if mark not in summary["tables"])
        problems.extend("a FastTrack rule is limited to connection-mark=%s instead of connection-mark=no-mark" % (mark or "(none)")
                        for mark in summary["fasttrack_marks"] if mark != "no-mark")
    else:
        problems.extend("a managed masquerade rule goes out of %s, not only %s" % (out or "(any interface)", internet_interface)
                        for out in summary["masquerade_out"] if out != internet_interface)
    return problems


def design(merged: Desired) -> Dict[str, List[Any]]:
    """What phases 60 and 80 check of the design, out of every role's desired state together: the WAN tables' default
    and failover routes, the routing marks set and the routing tables created (each mark needs its table), the connection
    marks FastTrack is limited to (only unmarked connections) and the out-interfaces of the managed masquerade rules (an
    edge masquerades only toward the internet). Small, so a playbook judges it without passing the desired states through Jinja."""
    mangle = merged.get("/ip/firewall/mangle", [])
    return {
        # The default routes of the WAN tables, for the failover check of phase 60.
        "failover": [dict((field, entry[field]) for field in ("_key", "routing-table", "gateway", "distance", "check-gateway")
                          if field in entry)
                     for entry in merged.get("/ip/route", [])
                     if entry.get("dst-address") == "0.0.0.0/0" and entry.get("routing-table", "main") != "main"],
        "routing_marks": sorted(set(str(entry["new-routing-mark"]) for entry in mangle if entry.get("action") == "mark-routing")),
        "tables": ["main"] + [str(entry["name"]) for entry in merged.get("/routing/table", [])],
        "fasttrack_marks": [str(entry.get("connection-mark", "")) for entry in merged.get("/ip/firewall/filter", [])
                            if entry.get("action") == "fasttrack-connection"],
        "masquerade_out": [str(entry.get("out-interface", "")) for entry in merged.get("/ip/firewall/nat", [])
                           if entry.get("action") == "masquerade" and not str(entry.get("_key", "")).startswith("transit-srcnat-")],
    }
