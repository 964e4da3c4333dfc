# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``state: rendered`` and ``state: parsed``: the engine without a device. Pure."""

from typing import Any, Dict, Optional, Sequence

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import cli as cli_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import owner as owner_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import plan as plan_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.desired import involved_paths
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.export import parse_export
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.gather import exported_desired
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.report import public_ops


def render_offline(desired: Any, owner: str, paths: Optional[Sequence[str]] = None,
                   placement: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    """``state: rendered``: the plan against an empty router, without a device."""
    plan = plan_mod.build_plan(desired, {}, owner, "merged", None, None, paths, placement, resolve_gateways=False)
    commands = cli_mod.render(plan.ops, {})
    return {"changed": False, "rendered": commands, "commands": commands, "plan": public_ops(plan.ops),
            "warnings": list(plan.warnings)}


def parse_offline(text: str, owner: str, paths: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    """``state: parsed``: an ``/export`` text -> entries in ``desired`` format (see ``gather.exported_desired``)."""
    owner_mod.check_owner(owner)
    rows_by_path = parse_export(text)
    wanted = involved_paths(None, paths) if paths else schema_mod.dependency_order(
        p for p in rows_by_path if schema_mod.is_known(p))
    parsed = dict((path, exported_desired(schema_mod.get(path), rows_by_path.get(path) or [], owner)) for path in wanted)
    return {"changed": False, "parsed": parsed, "warnings": []}
