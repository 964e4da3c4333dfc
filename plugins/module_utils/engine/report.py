# -*- coding: utf-8 -*-
# Copyright: multiwan.routeros contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A plan as the module reports it: ``plan`` / ``deferred`` mappings and the ``diff`` texts. Pure."""

from typing import Any, Dict, Iterable, List, Mapping, Optional

from ansible_collections.multiwan.routeros.plugins.module_utils.engine import cli as cli_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import normalize as normalize_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine import schema as schema_mod
from ansible_collections.multiwan.routeros.plugins.module_utils.engine.operation import Operation

Row = Mapping[str, Any]


def public_ops(ops: Iterable[Operation]) -> List[Dict[str, Any]]:
    return [op.public() for op in ops]


def _entry_text(spec: schema_mod.PathSpec, fields: Optional[Row]) -> str:
    if not fields:
        return ""
    return "".join("%s=%s\n" % (k, cli_mod.quote(normalize_mod.display(spec, k, v))) for k, v in sorted(fields.items()))


def diff_of(ops: Iterable[Operation], actual: Optional[Mapping[str, List[Row]]] = None) -> List[Dict[str, str]]:
    """Per-entry before/after texts a reviewer can read (Ansible shows each as a unified diff)."""
    selectors = cli_mod.Selectors(actual)

    def where(path: str, rid: Optional[str]) -> str:
        if rid is None:
            return "the end of the table"
        row = selectors.row(path, rid)
        return selectors.select(path, row) if row is not None else str(rid)

    diffs = []
    for op in ops:
        label = "%s %s" % (op.path, op.key or op.id or "")
        spec = schema_mod.get(op.path)
        before = _entry_text(spec, op.before)
        after = _entry_text(spec, op.after) if op.verb != "remove" else ""
        if op.verb == "move":
            before += "position: before %s\n" % where(op.path, op.undo_before)
            after += "position: before %s\n" % where(op.path, op.destination)
        elif op.verb == "add" and spec.ordered:
            after += "position: before %s\n" % where(op.path, op.place_before)
        diffs.append({
            "before_header": "%s (%s)" % (label, "absent" if op.verb == "add" else "router"),
            "after_header": "%s (%s)" % (label, op.verb),
            "before": before,
            "after": after,
        })
    return diffs
