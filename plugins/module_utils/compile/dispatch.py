# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Role name -> (router kind, compile function), from the registry, and the validate-then-compile entry point.

A role the registry marks as compiled has its compiler in ``compile/<role>.py`` as ``compile_<role>``: adding a role
is that module and its registry line, nothing here (a unit test checks both sides agree).
"""

from importlib import import_module
from typing import Any, Callable, Dict, Mapping, Tuple

from ansible_collections.multiwan.routeros.plugins.module_utils import registry
from ansible_collections.multiwan.routeros.plugins.module_utils.compile.common import Desired
from ansible_collections.multiwan.routeros.plugins.module_utils.intent.validate import common_intent, core_intent, edge_intent

Compiler = Callable[[Any], Desired]

# This module's package: compile/.
_PACKAGE = __name__.rpartition(".")[0]


def _compiler(role: str) -> Compiler:
    """``compile_<role>`` of ``compile/<role>.py``."""
    return getattr(import_module("%s.%s" % (_PACKAGE, role)), "compile_" + role)


ROLES: Dict[str, Tuple[str, Compiler]] = {r.name: (r.kind, _compiler(r.name)) for r in registry.compiled_roles()}

CORE_ROLES = tuple(name for name, (kind, _f) in ROLES.items() if kind in (registry.CORE, registry.COMMON))
EDGE_ROLES = tuple(name for name, (kind, _f) in ROLES.items() if kind in (registry.EDGE, registry.COMMON))

_VALIDATORS = {registry.CORE: core_intent, registry.EDGE: edge_intent, registry.COMMON: common_intent}


def role_kind(role: str) -> str:
    if role not in ROLES:
        raise ValueError("unknown role %r; expected one of %s" % (role, ", ".join(sorted(ROLES))))
    return ROLES[role][0]


def desired_state(intent_vars: Mapping, role: str) -> Desired:
    """Validate the intent for the role's router kind (raises IntentError) and compile it.

    Every menu the role writes is in the result, as an empty list when the intent yields no entry for it
    (registry.Role explains why)."""
    kind = role_kind(role)
    desired: Desired = {path: [] for path in registry.role(role).paths}
    desired.update(ROLES[role][1](_VALIDATORS[kind](intent_vars)))
    return desired


def merge(*parts: Desired) -> Desired:
    """Several roles' desired states as one (what the router holds once all have run)."""
    merged: Desired = {}
    for part in parts:
        for path, entries in part.items():
            merged.setdefault(path, []).extend(entries)
    return merged
