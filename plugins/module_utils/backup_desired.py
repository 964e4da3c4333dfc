# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A backup's entries of one role, as that role's desired state: what ``playbooks/rollback.yml`` reconciles. Pure.

The backup is the router's ``/export`` that phase 00 saved. Its rows are read with the engine's export parser;
those that carry the role's owner tag become the role's desired entries (key and rank from the tag). Every path the
role writes is in the result, empty when the backup has none of its entries there, so an ``overridden`` run removes
what the role added since. The role's settings singletons (connection tracking) are taken whole.
"""

from typing import Any, Dict, List

from ansible_collections.multiwan.routeros.plugins.module_utils import registry
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import owner as owner_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.export import parse_export
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.gather import exported_desired

# The settings singletons a role writes (the registry lists list paths only).
ROLE_SETTINGS = {"fasttrack_tuning": ("/ip/firewall/connection/tracking",)}


def backup_desired(text: str, role: str) -> Dict[str, List[Dict[str, Any]]]:
    """``{path: [entry]}`` of ``role`` in the export ``text``; ValueError for a role that reconciles nothing."""
    spec = registry.role(role)
    if not spec.compiled:
        raise ValueError("role %s reconciles nothing: it has no entries to roll back" % role)
    rows = parse_export(text)
    desired: Dict[str, List[Dict[str, Any]]] = {}
    for path in schema_mod.dependency_order(spec.paths):
        tagged = [row for row in rows.get(path) or [] if (owner_mod.parse(row.get("comment")) or (None,))[0] == role]
        desired[path] = exported_desired(schema_mod.get(path), tagged, role)
    for path in ROLE_SETTINGS.get(role, ()):
        desired[path] = exported_desired(schema_mod.get(path), rows.get(path) or [{}], role)
    return desired
